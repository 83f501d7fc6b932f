#!/usr/bin/env python3
"""Verdicts of bench/faults.sh: from the JSON a test wrote (load.py, check.py) and a few
values, prints `OK<TAB>MEASURED` where OK is 1 (pass) or 0 (fail).

  verdict.py KIND name=VALUE...

A VALUE naming an existing .json file is read as JSON; anything else is kept as text.
A test whose measurements are missing fails with what was missing (bench/faults/common.py
reads the arguments and prints the row).
"""

import re

from common import num, seconds, verdict_main, yes

CONCURRENCY = 16  # ANSWERABLE_MAIL_CONCURRENCY's default: the messages in flight at once
MAX_DEPTH = 100  # domain::thread::MAX_DEPTH: the deepest a reply is stored


def mail_words(m):
    return (f"owed={m['owed']} delivered={m['distinct']} dup={m['duplicates']} "
            f"lost={m['lost']} dead={m['dead']}")


def kill(l, c, m, pending_at_kill, drain):
    measured = (f"accepted={l['accepted']} ({l['accepted_per_s']}/s for {l['accepting_s']} s), missing after restart={c['missing']}; "
                f"pending at kill={pending_at_kill}; {mail_words(m)}; drained in {seconds(drain)}")
    ok = (l["accepted"] > 0 and c["accepted"] == l["accepted"] and c["missing"] == 0
          and m["owed"] >= c["accepted"] and m["lost"] == 0 and m["pending"] == 0
          and m["duplicates"] <= CONCURRENCY and num(drain) >= 0)
    return ok, measured


def outage(l, m, attempts, drain):
    # The delivery itself counts one attempt; a server that cannot be reached counts none.
    measured = (f"accepted={l['accepted']}; {mail_words(m)}; max attempts on a row={attempts} (the delivery counts 1); "
                f"drained {seconds(drain)} after SMTP came up")
    ok = (l["accepted"] > 0 and m["owed"] == l["accepted"] and m["lost"] == 0 and m["duplicates"] == 0
          and m["dead"] == 0 and m["pending"] == 0 and m["unknown"] == 0 and 0 < num(attempts) <= 1)
    return ok, measured


def _mixed(r):
    g, p, h = r["get"], r["post"], r["health"]
    five = g["5xx"] + p["5xx"]
    errors = g["errors"] + p["errors"]
    healthy = h["statuses"].get("200", 0)
    words = (f"GET p50/p99={g['p50_ms']}/{g['p99_ms']} ms, POST p99={p['p99_ms']} ms, "
             f"{p['statuses'].get('303', 0)} comments; 5xx={five} (503={g['503'] + p['503']}), "
             f"errors={errors}; healthz 200 {healthy}/{h['n']}")
    clean = (five == 0 and errors == 0 and h["n"] > 0 and healthy == h["n"]
             and p["statuses"].get("303", 0) > 0 and g["p99_ms"] is not None)
    return clean, words


def baseline(r):
    return _mixed(r)


def degraded(r, b):
    clean, words = _mixed(r)
    ratio = None
    if r["get"]["p99_ms"] is not None and b and b["get"]["p99_ms"]:
        ratio = r["get"]["p99_ms"] / b["get"]["p99_ms"]
        words += f"; GET p99 {ratio:.1f}x baseline"
    else:
        words += "; no baseline GET p99"
    return clean and ratio is not None and ratio <= 2.0, words


def lease(m, drain):
    measured = f"deliveries={m['deliveries']} {mail_words(m)}; most copies of one={m['max_copies']}; drained in {seconds(drain)}"
    ok = (m["owed"] >= 100 and m["deliveries"] == m["distinct"] == m["owed"] and m["lost"] == 0
          and m["pending"] == 0)
    return ok, measured


def multi(a, b, m, drain):
    measured = (f"accepted via A={a['accepted']}, via B={b['accepted']}; deliveries={m['deliveries']} "
                f"{mail_words(m)}; drained in {seconds(drain)}")
    ok = (a["accepted"] > 0 and b["accepted"] > 0 and m["owed"] == a["accepted"] + b["accepted"]
          and m["duplicates"] == 0 and m["lost"] == 0 and m["pending"] == 0)
    return ok, measured


def nul_form(f, stored):
    measured = (f"HTTP {f['status']}; field named: {yes(f['field_named'])}; text kept: {yes(f['text_kept'])}; "
                f"stored: {stored}")
    ok = 400 <= f["status"] < 500 and f["field_named"] and f["text_kept"] and stored == "0"
    return ok, measured


def nul_api(a, before, after):
    stored = int(after) - int(before)
    measured = f"HTTP {a['status']}; fields: {','.join(a['fields']) or 'none'}; stored: {stored}"
    ok = 400 <= a["status"] < 500 and "body" in a["fields"] and stored == 0
    return ok, measured


def depth(c, wanted, deepest, alive):
    p, r = c["posts"], c["reads"]
    statuses = ", ".join(f"{k}: {v}" for k, v in p["statuses"].items()) or "none"
    reads = ", ".join(f"{what} {s}" for what, s in c["read_statuses"].items())
    measured = (f"POSTs {{{statuses}}}, 5xx={p['5xx']}, errors={p['errors']}, {c['posts_elapsed_s']} s; "
                f"reads 5xx={r['5xx']} errors={r['errors']} ({reads}); deepest stored depth={deepest}; "
                f"server alive after: {alive}")
    # Replies past MAX_DEPTH (100) are attached one level up: every reply is still a 303.
    ok = (p["5xx"] == 0 and p["errors"] == 0 and p["statuses"].get("303", 0) == int(wanted)
          and 0 <= num(deepest) <= MAX_DEPTH and r["5xx"] == 0 and r["errors"] == 0 and alive == "yes")
    return ok, measured


def readonly(f, health_code, health_body, stored, after="", file_folder=""):
    measured = (f"POST {f['status']}, text kept: {yes(f['text_kept'])}; healthz {health_code} "
                f"\"{health_body.strip()}\"; stored: {stored}")
    if isinstance(after, dict):
        measured += f"; after undo: POST {after['status']}"
    if file_folder:
        measured += f"; file: folder made: {file_folder}"
    says_writes = re.search(r"writ|read-only|read only", health_body, re.I) is not None
    ok = (f["status"] == 503 and f["text_kept"] and health_code == "503" and says_writes
          and file_folder != "yes")
    return ok, measured


def main():
    verdict_main(globals())


if __name__ == "__main__":
    main()
