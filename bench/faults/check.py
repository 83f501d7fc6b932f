#!/usr/bin/env python3
"""Database side of bench/faults.sh: queries and the outbox-vs-sink accounting.

The database is named as the app names it: a SQLite path (`sqlite://PATH`, `file:PATH?...`
or a plain path; read with Python's sqlite3 module) or a `postgres://` URL (read with
psql, which must be on PATH).

  check.py sql   DB "SELECT ..."               rows, tab-separated
  check.py wait-drained DB --timeout S         until no outbox row is 'pending'; prints seconds
  check.py mail  DB --record FILE              JSON: owed/sent/dead/pending rows, deliveries,
                                               distinct, duplicates, lost (owed, never delivered)
  check.py comments DB --ids FILE              JSON: accepted ids (FILE) missing from comments
"""

import argparse
import json
import sqlite3
import subprocess
import sys
import time
import urllib.parse


def sqlite_path(db):
    if db.startswith("sqlite://"):
        return db[len("sqlite://"):]
    if db.startswith("sqlite:"):
        return db[len("sqlite:"):]
    if db.startswith("file:"):
        return urllib.parse.urlsplit(db).path
    return db


def query(db, sql):
    if db.startswith("postgres://") or db.startswith("postgresql://"):
        out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", db, "-c", sql],
                             check=True, capture_output=True, text=True, timeout=60)
        return [line.split("\t") for line in out.stdout.splitlines() if line != ""]
    # Read-only, so it never takes a write lock from the app.
    conn = sqlite3.connect(f"file:{sqlite_path(db)}?mode=ro", uri=True, timeout=30)
    try:
        return [[("" if v is None else str(v)) for v in row] for row in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def scalar(db, sql):
    rows = query(db, sql)
    return int(rows[0][0]) if rows and rows[0] and rows[0][0] != "" else 0


def norm(mid):
    return mid.strip().strip("<>").strip()


def cmd_sql(args):
    for row in query(args.db, args.sql):
        print("\t".join(row))


def cmd_wait_drained(args):
    started = time.monotonic()
    while True:
        try:
            pending = scalar(args.db, "SELECT count(*) FROM outbox WHERE status = 'pending'")
        except Exception as e:  # the database is briefly busy
            pending = -1
            last_error = str(e)
        if pending == 0:
            print(round(time.monotonic() - started, 2))
            return 0
        if time.monotonic() - started > args.timeout:
            print(f"timeout: {pending} pending after {args.timeout:g} s", file=sys.stderr)
            print(-1)
            return 1
        time.sleep(0.2)


def cmd_mail(args):
    where = f" WHERE recipient LIKE '{args.recipient_like}'" if args.recipient_like else ""
    rows = query(args.db, f"SELECT message_id, status FROM outbox{where}")
    owed = {norm(mid): status for mid, status in rows}
    try:
        with open(args.record, encoding="utf-8") as f:
            lines = [norm(line) for line in f if line.strip()]
    except FileNotFoundError:
        lines = []
    delivered = {}
    for mid in lines:
        delivered[mid] = delivered.get(mid, 0) + 1
    lost = [mid for mid in owed if mid not in delivered]
    print(json.dumps({
        "owed": len(owed),
        "sent": sum(1 for s in owed.values() if s == "sent"),
        "dead": sum(1 for s in owed.values() if s == "dead"),
        "pending": sum(1 for s in owed.values() if s == "pending"),
        "deliveries": len(lines),
        "distinct": len(delivered),
        "duplicates": len(lines) - len(delivered),
        "max_copies": max(delivered.values()) if delivered else 0,
        "lost": len(lost),
        "unknown": sum(1 for mid in delivered if mid not in owed),
    }))


def cmd_comments(args):
    with open(args.ids) as f:
        ids = sorted({int(line) for line in f if line.strip().isdigit()})
    stored = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = query(args.db, "SELECT id FROM comments WHERE id IN (%s)" % ",".join(map(str, chunk)))
        stored.update(int(r[0]) for r in rows)
    missing = [i for i in ids if i not in stored]
    print(json.dumps({"accepted": len(ids), "missing": len(missing), "missing_ids": missing[:20]}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sql")
    p.add_argument("db")
    p.add_argument("sql")
    p.set_defaults(run=cmd_sql)
    p = sub.add_parser("wait-drained")
    p.add_argument("db")
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(run=cmd_wait_drained)
    p = sub.add_parser("mail")
    p.add_argument("db")
    p.add_argument("--record", required=True)
    p.add_argument("--recipient-like")
    p.set_defaults(run=cmd_mail)
    p = sub.add_parser("comments")
    p.add_argument("db")
    p.add_argument("--ids", required=True)
    p.set_defaults(run=cmd_comments)
    args = parser.parse_args()
    return args.run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
