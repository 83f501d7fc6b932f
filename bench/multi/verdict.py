#!/usr/bin/env python3
"""Verdicts of bench/multi.sh, from the JSON its probes wrote and a few values: prints
`OK<TAB>MEASURED`, OK 1 (pass) or 0 (fail).

  verdict.py KIND name=VALUE...

A VALUE ending in .json is read as JSON; anything else is kept as text. A row whose
measurements are missing fails, saying what was missing (bench/faults/common.py reads
the arguments and prints the row).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from common import num, seconds, verdict_main, yes  # noqa: E402


def session(s):
    measured = (f"sign-in on A {s['signin_status']} (session cookie: {yes(s['session_cookie'])}); "
                f"GET /account on B {s['account_status']}, signed in: {yes(s['signed_in'])}")
    return s["signin_status"] == 303 and s["session_cookie"] and s["signed_in"], measured


def visible(v):
    measured = (f"POST on A {v['post_status']}; GET on B {v['read_after_ms']} ms later: {v['read_status']}, "
                f"comment shown: {yes(v['visible'])}")
    return v["post_status"] == 303 and v["read_status"] == 200 and v["visible"], measured


def limit(r, a, b, per_minute):
    names = {a: "A", b: "B"}
    seq = [f"{names.get(port, port)}:{status}" for port, status in r["statuses"]]
    n = int(per_minute)
    statuses = [status for _, status in r["statuses"]]
    measured = " ".join(seq)
    if any(r["retry_after"][n:]):
        measured += f"; Retry-After {r['retry_after'][n]} s"
    over = statuses[n:]
    over_ports = {port for port, _ in r["statuses"][n:]}
    ok = (len(statuses) > n and all(s == 303 for s in statuses[:n]) and all(s == 429 for s in over)
          and {a, b} <= over_ports)
    return ok, measured


def mail(l, m, drain, upstreams):
    measured = (f"accepted={l['accepted']} via nginx (upstreams {upstreams}); owed={m['owed']} "
                f"deliveries={m['deliveries']} distinct={m['distinct']} dup={m['duplicates']} "
                f"lost={m['lost']} dead={m['dead']} pending={m['pending']}; drained in {seconds(drain)}")
    ok = (l["accepted"] > 0 and m["owed"] >= l["accepted"] and m["deliveries"] == m["distinct"] == m["owed"]
          and m["duplicates"] == 0 and m["lost"] == 0 and m["pending"] == 0 and m["dead"] == 0)
    return ok, measured


def sigterm(r, c, nginx_5xx, exit_code, exit_s, upstreams_after):
    g, p, h = r["get"], r["post"], r["health"]
    failed = (g["errors"] + p["errors"] + h["errors"] + g["5xx"] + p["5xx"] + h["5xx"])
    other_get = sum(v for k, v in g["statuses"].items() if k != "200")
    other_post = sum(v for k, v in p["statuses"].items() if k != "303")
    measured = (f"GET {g['n']} (non-200 {other_get}), POST {p['n']} ({p['statuses'].get('303', 0)} x 303, other {other_post}), "
                f"healthz {h['n']}; failed at clients={failed} (5xx {g['5xx'] + p['5xx'] + h['5xx']}, "
                f"errors {g['errors'] + p['errors'] + h['errors']}), resent by clients={r.get('resent', 0)}; "
                f"nginx 5xx={nginx_5xx}; 303s not stored={c['missing']}/{c['accepted']}; "
                f"A exit {exit_code} {exit_s} s after SIGTERM; upstreams after it: {upstreams_after}")
    ok = (failed == 0 and other_get == 0 and other_post == 0 and num(nginx_5xx) == 0
          and c["accepted"] > 0 and c["missing"] == 0 and r.get("resent", 0) == 0 and exit_code == "0")
    return ok, measured


def cache(plain, cached):
    def errors(w):
        return sum(w["errors"].values())

    served = sum(cached["cache"].values())
    hits = cached["cache"].get("HIT", 0)
    ratio = hits / served if served else 0.0
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(cached["cache"].items()))
    speedup = cached["rps"] / plain["rps"] if plain["rps"] else 0.0
    measured = (f"without cache {plain['rps']:.0f} req/s (p99 {plain['p99_ms']:.1f} ms, errors {errors(plain)}); "
                f"with cache {cached['rps']:.0f} req/s (p99 {cached['p99_ms']:.1f} ms, errors {errors(cached)}), "
                f"{speedup:.1f}x; hit ratio {ratio:.2%} ({kinds})")
    ok = (errors(plain) == 0 and errors(cached) == 0 and cached["rps"] > plain["rps"] and ratio >= 0.9)
    return ok, measured


def fresh(f, seconds):
    # nginx's cache clock counts whole seconds: an entry is stale once the second after
    # (stored second + s-maxage) begins, so it lives s-maxage to s-maxage + 1 s.
    limit_s = float(seconds) + 1.25
    seen = f["seen_after_s"]
    measured = (f"POST {f['post_status']}; shown after "
                + (f"{seen} s ({f['seen_with']})" if seen is not None else "never")
                + f"; GETs until then: {f['polls']}")
    return f["post_status"] == 303 and seen is not None and seen <= limit_s, measured


def revalidate(f, upstream_304):
    d = f.get("direct") or {}
    measured = (f"unchanged page after s-maxage: {f['revalidate_status']} {f['revalidate_cache']}; "
                f"upstream 304s to nginx: {upstream_304}")
    if d:
        measured += f"; direct to B 1.1 s later with If-None-Match: {d['status_with_if_none_match']}"
        if d["etag_changed"]:
            measured += (f" (ETag changed; pages differ only in form_stamp: "
                         f"{yes(d['same_but_form_stamp'])})")
    return f["revalidate_cache"] == "REVALIDATED" and num(upstream_304) > 0, measured


def main():
    verdict_main(globals())


if __name__ == "__main__":
    main()
