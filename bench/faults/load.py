#!/usr/bin/env python3
"""HTTP side of bench/faults.sh (Python 3.11 stdlib only: threads + http.client).

Every comment is posted like a browser does: GET the post page (for the signed
`form_stamp`), then POST /posts/{slug}/comments with `Origin: <base>` (every POST this
client sends carries the Origin of --base, as browsers do) and
  form_stamp, website (the honeypot, empty), name, email, body, email_me=yes
(and parent_id for a reply). An anonymous reader's post page sets no CSRF cookie and its
form has no `_csrf` field: a guest's post is accepted on its Origin (issue 15). When the
page does carry `_csrf` (a signed-in browser, or one holding comments), it is sent back
with the cookie, as a browser would. A guest's "email me" makes each comment owe one
email (the confirmation link). An accepted comment answers 303 to /comments/{id}.

Subcommands (each prints one JSON object on stdout):
  post   --rate R --duration S --threads N : comments at a steady rate; the id of every
                                             303 is appended to --accepted at once
  mixed  --clients N --duration S          : N clients each GET the post page then POST a
                                             comment, in a loop; /healthz polled meanwhile
  chain  --depth N                         : a chain of N comments, each a reply to the last
  form   --body-raw TEXT                   : one comment with a raw (percent-encoded) body
  api    --email E --password P --json J   : sign in, make an API token, POST J to the API
"""

import argparse
import html
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse

TIMEOUT = 30.0


class Client:
    """One browser: a keep-alive connection and a cookie jar."""

    # Requests sent again on a new connection after a kept-alive one failed (all clients).
    resent = 0

    def __init__(self, base, timeout=TIMEOUT, source=None):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.origin = f"{url.scheme}://{url.netloc}"
        self.timeout = timeout
        # A loopback source address (127.0.0.N) stands for another client address.
        self.source = (source, 0) if source else None
        self.conn = None
        self.cookies = {}

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body bytes, seconds). Raises OSError/HTTPException on failure."""
        headers = dict(headers or {})
        if method == "POST":
            headers.setdefault("Origin", self.origin)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None and isinstance(body, str):
            body = body.encode("utf-8")
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout,
                                                       source_address=self.source)
            started = time.monotonic()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # A keep-alive connection the server had closed: retry once on a new one.
                self.close()
                if attempt == 2 or time.monotonic() - started > 1.0:
                    raise e
                Client.resent += 1
                continue
            except Exception:
                self.close()
                raise
            elapsed = time.monotonic() - started
            for value in response.headers.get_all("Set-Cookie") or []:
                pair = value.split(";", 1)[0]
                name, _, val = pair.partition("=")
                if "max-age=0" in value.lower():
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = val.strip()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, response.headers, data, elapsed
        raise RuntimeError("unreachable")

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, fields):
        body = urllib.parse.urlencode(fields) if not isinstance(fields, str) else fields
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def hidden(page, name):
    m = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    return html.unescape(m.group(1)) if m else None


def page_tokens(page):
    """(csrf or None, stamp) of the comment form in `page`, or None if it has no form."""
    stamp = hidden(page, "form_stamp")
    if stamp is None and 'name="body"' not in page:
        return None
    return hidden(page, "_csrf") or None, stamp or ""


def form_tokens(client, path):
    """(csrf or None, stamp) from the comment form on `path`, or raises."""
    status, _, data, _ = client.get(path)
    tokens = page_tokens(data.decode("utf-8", "replace")) if status == 200 else None
    if tokens is None:
        raise RuntimeError(f"GET {path}: {status}, no comment form")
    return tokens


def comment_fields(csrf, stamp, name, email, body, parent=None, email_me=True):
    fields = [("_csrf", csrf)] if csrf else []
    fields += [("form_stamp", stamp), ("website", ""), ("name", name), ("email", email), ("body", body)]
    if parent is not None:
        fields.append(("parent_id", str(parent)))
    if email_me:
        fields.append(("email_me", "yes"))
    return fields


def comment_id(headers):
    location = headers.get("Location", "") if headers else ""
    m = re.match(r"^/comments/(\d+)", location)
    return int(m.group(1)) if m else None


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p * (len(values) - 1)))))]


def summary(latencies, statuses, errors):
    return {
        "n": len(latencies) + errors,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": errors,
        "5xx": sum(v for k, v in statuses.items() if 500 <= k < 600),
        "503": statuses.get(503, 0),
    }


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.statuses, self.errors = [], {}, 0
        self.error_kinds = {}

    def ok(self, status, seconds):
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def error(self, e):
        with self.lock:
            self.errors += 1
            kind = type(e).__name__
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def result(self):
        with self.lock:
            out = summary(self.latencies, self.statuses, self.errors)
            out["error_kinds"] = dict(self.error_kinds)
            return out


# --- post: a steady rate of comments -------------------------------------------------

def cmd_post(args):
    page = f"/posts/{args.slug}"
    action = f"/posts/{args.slug}/comments"
    lock = threading.Lock()
    state = {"next": 0}
    tally = Tally()
    accepted = open(args.accepted, "a", buffering=1) if args.accepted else None
    accepted_ids = []
    start = time.monotonic()
    end = start + args.duration

    def worker():
        client = Client(args.base, timeout=args.timeout)
        tokens = None
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            slot = start + i / args.rate
            if slot >= end:
                break
            delay = slot - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                if tokens is None:
                    tokens = form_tokens(client, page)
                csrf, stamp = tokens
                fields = comment_fields(
                    csrf, stamp, f"Guest {args.prefix} {i}", f"{args.prefix}-{i}@example.org",
                    f"Fault test {args.prefix} comment {i}: is the library open on Sundays?")
                status, headers, _, seconds = client.post_form(action, fields)
                tally.ok(status, seconds)
                if status == 303:
                    cid = comment_id(headers)
                    with lock:
                        accepted_ids.append(cid)
                        state["last_accept"] = time.monotonic()
                        if accepted:
                            accepted.write(f"{cid}\n")
                            accepted.flush()
                elif status == 403:
                    tokens = None
            except Exception as e:  # connection refused/reset while the server is down
                tally.error(e)
                tokens = None
                time.sleep(0.02)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    out = tally.result()
    # The rate while comments were being accepted (a killed server accepts none after).
    span = state.get("last_accept", start) - start
    out.update({"accepted": len(accepted_ids), "elapsed_s": round(elapsed, 2), "accepting_s": round(span, 2),
                "accepted_per_s": round(len(accepted_ids) / span, 1) if span > 0 else None})
    print(json.dumps(out))


# --- mixed: readers that also post, with /healthz polled -----------------------------

def cmd_mixed(args):
    page = f"/posts/{args.slug}"
    action = f"/posts/{args.slug}/comments"
    gets, posts, health = Tally(), Tally(), Tally()
    stop = threading.Event()
    counter = {"n": 0}
    lock = threading.Lock()
    accepted = open(args.accepted, "a", buffering=1) if args.accepted else None

    def client_loop(n):
        client = Client(args.base, timeout=args.timeout)
        tokens = None
        while not stop.is_set():
            try:
                status, _, data, seconds = client.get(page)
                gets.ok(status, seconds)
                if status == 200:
                    tokens = page_tokens(data.decode("utf-8", "replace")) or tokens
            except Exception as e:
                gets.error(e)
                time.sleep(0.05)
                continue
            if stop.is_set() or tokens is None:
                continue
            with lock:
                counter["n"] += 1
                i = counter["n"]
            try:
                fields = comment_fields(
                    tokens[0], tokens[1], f"Reader {args.prefix} {n}", f"{args.prefix}-{i}@example.org",
                    f"Reader {n} of {args.prefix}, comment {i}: when does the consultation close?")
                status, headers, _, seconds = client.post_form(action, fields)
                posts.ok(status, seconds)
                if status == 303 and accepted is not None:
                    with lock:
                        accepted.write(f"{comment_id(headers)}\n")
            except Exception as e:
                posts.error(e)
                time.sleep(0.05)

    def health_loop():
        client = Client(args.base, timeout=10.0)
        while not stop.is_set():
            try:
                status, _, _, seconds = client.get("/healthz")
                health.ok(status, seconds)
            except Exception as e:
                health.error(e)
            stop.wait(args.health_every)

    threads = [threading.Thread(target=client_loop, args=(n,), daemon=True) for n in range(args.clients)]
    threads.append(threading.Thread(target=health_loop, daemon=True))
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(args.duration)
    stop.set()
    for t in threads:
        t.join(timeout=args.timeout + 5)
    print(json.dumps({"get": gets.result(), "post": posts.result(), "health": health.result(),
                      "elapsed_s": round(time.monotonic() - started, 2), "resent": Client.resent}))


# --- chain: each comment a reply to the one before -----------------------------------

def cmd_chain(args):
    page = f"/posts/{args.slug}"
    action = f"/posts/{args.slug}/comments"
    client = Client(args.base, timeout=args.timeout)
    tally = Tally()
    csrf, stamp = form_tokens(client, page)
    parent, root, last_ok_depth, consecutive_errors = None, None, -1, 0
    started = time.monotonic()
    for k in range(args.depth):
        fields = comment_fields(csrf, stamp, "Chain", "chain@example.org",
                                f"Reply number {k} in a long chain of replies.", parent=parent, email_me=False)
        try:
            status, headers, _, seconds = client.post_form(action, fields)
            tally.ok(status, seconds)
            consecutive_errors = 0
            if status == 303:
                cid = comment_id(headers)
                if cid is not None:
                    parent = cid
                    root = root if root is not None else cid
                    last_ok_depth = k
        except Exception as e:
            tally.error(e)
            consecutive_errors += 1
            if consecutive_errors >= 20:
                break  # the server is gone
            time.sleep(0.2)
    post_elapsed = time.monotonic() - started
    reads = Tally()
    paths = [("post page", page)]
    if root is not None:
        paths.append(("thread page", f"/posts/{args.slug}/threads/{root}"))
    if parent is not None:
        paths.append(("permalink", f"/comments/{parent}"))
        paths.append(("responses", f"/comments/{parent}/responses"))
    read_statuses = {}
    for what, path in paths:
        try:
            status, _, _, seconds = Client(args.base, timeout=args.timeout).get(path)
            reads.ok(status, seconds)
            read_statuses[what] = status
        except Exception as e:
            reads.error(e)
            read_statuses[what] = type(e).__name__
    print(json.dumps({"posts": tally.result(), "reads": reads.result(), "read_statuses": read_statuses,
                      "root": root, "last": parent, "posts_elapsed_s": round(post_elapsed, 2)}))


# --- form: one comment with a raw body ------------------------------------------------

def textarea(page, name):
    m = re.search(r'<textarea[^>]*\bname="%s"[^>]*>(.*?)</textarea>' % re.escape(name), page, re.S)
    return html.unescape(m.group(1)) if m else None


def cmd_form(args):
    page = f"/posts/{args.slug}"
    client = Client(args.base, timeout=args.timeout)
    csrf, stamp = form_tokens(client, page)
    fields = comment_fields(csrf, stamp, "Form Tester", args.email, "", email_me=False)
    raw = "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in fields if k != "body")
    raw += "&body=" + args.body_raw
    status, headers, data, _ = client.post_form(f"/posts/{args.slug}/comments", raw)
    text = data.decode("utf-8", "replace")
    if args.save:
        with open(args.save, "wb") as f:
            f.write(data)
    kept = textarea(text, "body")
    expect = re.compile(args.expect_regex, re.S) if args.expect_regex else None
    print(json.dumps({
        "status": status,
        "location": headers.get("Location"),
        "field_named": ('href="#field-body"' in text) or ('id="body-error"' in text),
        "textarea": kept,
        "text_kept": bool(kept is not None and expect is not None and expect.fullmatch(kept.strip())),
    }))


# --- api: sign in, make a token, POST to the JSON API ---------------------------------

def cmd_api(args):
    client = Client(args.base, timeout=args.timeout)
    status, _, data, _ = client.get("/signin")
    csrf = hidden(data.decode("utf-8", "replace"), "_csrf")
    status, _, _, _ = client.post_form("/signin", [("_csrf", csrf), ("email", args.email),
                                                   ("password", args.password), ("next", "/")])
    if status != 303:
        raise SystemExit(f"sign-in answered {status}")
    status, _, data, _ = client.get("/account/tokens")
    csrf = hidden(data.decode("utf-8", "replace"), "_csrf")
    status, _, data, _ = client.post_form("/account/tokens", [("_csrf", csrf), ("token_name", "faults")])
    m = re.search(r'class="token">([^<]+)<', data.decode("utf-8", "replace"))
    if status != 200 or not m:
        raise SystemExit(f"making an API token answered {status}, no token on the page")
    token = html.unescape(m.group(1)).strip()
    api = Client(args.base, timeout=args.timeout)
    status, _, data, _ = api.request("POST", f"/api/v1/posts/{args.slug}/comments", args.json,
                                     {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    body = data.decode("utf-8", "replace")
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    fields = []
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
        fields = [f.get("field") for f in parsed["error"].get("fields", []) if isinstance(f, dict)]
    print(json.dumps({"status": status, "fields": fields, "body": body[:500]}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
        p.add_argument("--slug", required=True)
        p.add_argument("--timeout", type=float, default=TIMEOUT)
        return p

    def load(name, run, duration, prefix):  # post and mixed: a run of comments
        p = common(sub.add_parser(name))
        p.add_argument("--duration", type=float, default=duration)
        p.add_argument("--prefix", default=prefix)
        p.add_argument("--accepted", help="append the id of every accepted comment here")
        p.set_defaults(run=run)
        return p

    p = load("post", cmd_post, 5.0, "guest")
    p.add_argument("--rate", type=float, default=100.0)
    p.add_argument("--threads", type=int, default=8)

    p = load("mixed", cmd_mixed, 15.0, "reader")
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--health-every", type=float, default=0.5)

    p = common(sub.add_parser("chain"))
    p.add_argument("--depth", type=int, default=1000)
    p.set_defaults(run=cmd_chain)

    p = common(sub.add_parser("form"))
    p.add_argument("--body-raw", required=True, help="the body field, already percent-encoded")
    p.add_argument("--email", default="form-tester@example.org")
    p.add_argument("--expect-regex", help="what the textarea must hold when the form comes back")
    p.add_argument("--save", help="write the response body here")
    p.set_defaults(run=cmd_form)

    p = common(sub.add_parser("api"))
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--json", required=True, help="the request body, sent as is")
    p.set_defaults(run=cmd_api)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    sys.exit(main())
