#!/usr/bin/env python3
"""HTTP probes of bench/multi.sh (Python 3.11 stdlib; the client of bench/faults/load.py).

Each subcommand prints one JSON object on stdout.

  session  --via URL --other URL --email E --password P
           sign in on --via (GET /signin for its CSRF token, POST /signin), then GET
           /account on --other with the same cookies
  visible  --via URL --other URL --slug S
           post a comment on --via, then at once GET the post page on --other: is it there?
  limit    --bases URL,URL --slug S --count N --source 127.0.0.N
           N comments from one client address, alternating between the bases (each with
           its own email, so only the address is counted); every status in order
  fresh    --base URL --slug S --wait-max S --revalidate-after S [--direct URL]
           through a caching proxy: warm the page (until a HIT), post a comment, then GET
           the page every 50 ms until the comment shows (seconds, X-Cache-Status of each
           GET); then leave the page unchanged past its s-maxage and GET it once more
           (X-Cache-Status: REVALIDATED when the proxy revalidated it with a 304); with
           --direct, GET the page from that instance, then again 1.1 s later with its
           ETag in If-None-Match (304 if the page is the same), and tell whether the two
           pages differ only in the form's form_stamp
"""

import argparse
import json
import os
import re
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from load import Client, comment_fields, comment_id, form_tokens, hidden  # noqa: E402


def post_comment(client, slug, body, name="Multi Tester", email=None, email_me=False):
    csrf, stamp = form_tokens(client, f"/posts/{slug}")
    email = email or f"multi-{uuid.uuid4().hex[:12]}@example.org"
    fields = comment_fields(csrf, stamp, name, email, body, email_me=email_me)
    status, headers, data, seconds = client.post_form(f"/posts/{slug}/comments", fields)
    return status, headers, data


def cmd_session(args):
    via = Client(args.via)
    status, _, data, _ = via.get("/signin")
    csrf = hidden(data.decode("utf-8", "replace"), "_csrf")
    fields = [("_csrf", csrf or ""), ("email", args.email), ("password", args.password), ("next", "/account")]
    signin_status, headers, _, _ = via.post_form("/signin", fields)
    other = Client(args.other)
    other.cookies = dict(via.cookies)
    account_status, _, data, _ = other.get("/account")
    page = data.decode("utf-8", "replace")
    print(json.dumps({
        "signin_status": signin_status,
        "session_cookie": "answerable_session" in via.cookies,
        "account_status": account_status,
        "signed_in": account_status == 200 and args.email in page,
    }))


def cmd_visible(args):
    marker = f"Seen on the other instance {uuid.uuid4().hex[:10]}"
    via = Client(args.via)
    status, headers, _ = post_comment(via, args.slug, marker)
    posted = time.monotonic()
    # A reader of the other instance, without the poster's cookies.
    other_status, _, data, _ = Client(args.other).get(f"/posts/{args.slug}")
    print(json.dumps({
        "post_status": status,
        "id": comment_id(headers),
        "read_status": other_status,
        "visible": marker in data.decode("utf-8", "replace"),
        "read_after_ms": round((time.monotonic() - posted) * 1000, 1),
    }))


def cmd_limit(args):
    bases = args.bases.split(",")
    statuses, retry_after = [], []
    for i in range(args.count):
        base = bases[i % len(bases)]
        client = Client(base, source=args.source)
        status, headers, _ = post_comment(client, args.slug, f"Rate limit check {i}: is the library open late?",
                                          email=f"limit-{i}-{uuid.uuid4().hex[:8]}@example.org")
        statuses.append([base.rsplit(":", 1)[-1], status])
        retry_after.append(headers.get("Retry-After") if headers else None)
    print(json.dumps({"statuses": statuses, "retry_after": retry_after}))


def cache_get(client, path):
    status, headers, data, _ = client.get(path)
    return status, headers.get("X-Cache-Status", "-"), data.decode("utf-8", "replace")


def cmd_fresh(args):
    page = f"/posts/{args.slug}"
    reader = Client(args.base)
    warm = []
    for _ in range(20):
        _, cache, _ = cache_get(reader, page)
        warm.append(cache)
        if cache == "HIT":
            break
        time.sleep(0.1)
    marker = f"Fresh through the cache {uuid.uuid4().hex[:10]}"
    post_status, headers, data = post_comment(Client(args.base), args.slug, marker)
    posted = time.monotonic()
    if post_status != 303 and args.save:
        with open(args.save, "wb") as f:
            f.write(data)
    seen, seen_after, polls = None, None, []
    while time.monotonic() - posted < args.wait_max:
        _, cache, text = cache_get(reader, page)
        polls.append(cache)
        if marker in text:
            seen, seen_after = cache, time.monotonic() - posted
            break
        time.sleep(0.05)
    # Unchanged past s-maxage: the next GET revalidates. Public pages change when the
    # minute turns (the form's stamp and "N minutes ago" name the minute), so a try
    # that spans a turn of the minute is made again.
    for _ in range(2):
        minute = int(time.time()) // 60
        time.sleep(args.revalidate_after)
        reval_status, reval_cache, _ = cache_get(reader, page)
        if reval_cache == "REVALIDATED" or int(time.time()) // 60 == minute:
            break
        cache_get(reader, page)  # stored again, for the second try
    # Why not, if not: the same page straight from an instance, 1.1 s apart.
    direct = {}
    if args.direct:
        inst = Client(args.direct)
        for _ in range(2):
            minute = int(time.time()) // 60
            _, h1, b1, _ = inst.get(page)
            time.sleep(1.1)
            s2, h2, b2, _ = inst.request("GET", page, headers={"If-None-Match": h1.get("ETag", "")})
            _, h3, b3, _ = inst.get(page)
            if int(time.time()) // 60 == minute:
                break
        strip = lambda b: re.sub(r'name="form_stamp" value="[^"]*"', "", b.decode("utf-8", "replace"))
        direct = {"status_with_if_none_match": s2, "etag_changed": h1.get("ETag") != h3.get("ETag"),
                  "same_but_form_stamp": strip(b1) == strip(b3)}
    compact = []
    for c in polls:
        if compact and compact[-1][0] == c:
            compact[-1][1] += 1
        else:
            compact.append([c, 1])
    print(json.dumps({
        "warm": warm,
        "post_status": post_status,
        "location": headers.get("Location") if headers else None,
        "seen_after_s": round(seen_after, 3) if seen_after is not None else None,
        "seen_with": seen,
        "polls": " ".join(f"{c}x{n}" for c, n in compact),
        "revalidate_status": reval_status,
        "revalidate_cache": reval_cache,
        "direct": direct,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, run, more in (("session", cmd_session, ("--email", "--password")),
                            ("visible", cmd_visible, ("--slug",))):
        p = sub.add_parser(name)
        for flag in ("--via", "--other") + more:
            p.add_argument(flag, required=True)
        p.set_defaults(run=run)
    p = sub.add_parser("limit")
    p.add_argument("--bases", required=True)
    p.add_argument("--slug", required=True)
    p.add_argument("--count", type=int, default=6)
    p.add_argument("--source", default=None)
    p.set_defaults(run=cmd_limit)
    p = sub.add_parser("fresh")
    p.add_argument("--base", required=True)
    p.add_argument("--slug", required=True)
    p.add_argument("--wait-max", type=float, default=15.0)
    p.add_argument("--revalidate-after", type=float, default=1.5)
    p.add_argument("--direct", help="an instance's own URL, to GET the page from it with If-None-Match")
    p.add_argument("--save", help="write the POST's answer here when it is not a 303")
    p.set_defaults(run=cmd_fresh)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    sys.exit(main())
