#!/usr/bin/env bash
# Scale benchmark: loads a large discussion (1,000,000 comments by default) and prints
# the server time (from the server's own request log) of the triage queue with each
# filter and sort, the department accountability pages and their open data.
#
# Environment (all optional):
#   COMMENTS       comments to generate                      (default 1000000)
#   RUNS           requests per URL                          (default 15)
#   PORT           local port                                (default 18085)
#   BACKEND        sqlite or postgres                        (default sqlite)
#   PG_ADMIN_URL   where to create the PostgreSQL database   (default postgres://postgres@127.0.0.1:5432/postgres)
#   ANSWERABLE_BIN use this binary instead of building target/release/answerable
#
# Only ever talks to 127.0.0.1. Shell functions shared with the other bench/ scripts:
# bench/lib.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMMENTS="${COMMENTS:-1000000}"
RUNS="${RUNS:-15}"
PORT="${PORT:-18085}"
BACKEND="${BACKEND:-sqlite}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
BASE="http://127.0.0.1:${PORT}"

cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp="$(mktemp -d -t answerable-scale.XXXXXX)"
server_pid=""
pg_db=""
cleanup() {
    if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [ -n "$pg_db" ]; then psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

bin="${ANSWERABLE_BIN:-}"
build_bin cargo build --release

export ANSWERABLE_DATA_DIR="$tmp" ANSWERABLE_BIND="127.0.0.1:${PORT}" ANSWERABLE_BASE_URL="$BASE"
export ANSWERABLE_PAGE_CACHE_SECONDS=0 ANSWERABLE_LOG_FORMAT=json RUST_LOG="warn,answerable::request=info"
case "$BACKEND" in
    sqlite) unset DATABASE_URL ;;
    postgres)
        pg_db="answerable_scale_$$"
        psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $pg_db" >/dev/null
        export DATABASE_URL="${PG_ADMIN_URL%/*}/$pg_db"
        ;;
    *) echo "BACKEND must be sqlite or postgres" >&2; exit 2 ;;
esac

echo "==> answerable demo --comments $COMMENTS ($BACKEND)"
start=$(date +%s)
"$bin" demo --comments "$COMMENTS" >"$tmp/demo.out"
echo "loaded in $(( $(date +%s) - start )) s"
password="$(sed -n 's/.*password for each: \(.*\)):$/\1/p' "$tmp/demo.out")"
post_path="$(sed -n 's|^big post: \(/posts/[^ ]*\)|\1|p' "$tmp/demo.out")"
post_id="$("$bin" post list | awk -v slug="${post_path#/posts/}" '$4 == slug { print $1 }')"
dwp_id="$("$bin" department list | awk '$2 == "DWP" { print $1 }')"

"$bin" serve >"$tmp/server.log" 2>&1 </dev/null &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break; sleep 0.2; done

jar="$tmp/cookies"
token="$(curl -s -c "$jar" -b "$jar" "$BASE/signin" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" --data-urlencode "email=moderator@example.org" \
    --data-urlencode "password=$password" --data-urlencode "next=/" "$BASE/signin"

urls=(
    "/triage?department=all&sort=oldest"
    "/triage?department=all&sort=recent"
    "/triage?department=all&sort=replies"
    "/triage?department=$dwp_id&sort=oldest"
    "/triage?department=$dwp_id&sort=replies"
    "/triage?department=unrouted&sort=oldest"
    "/triage?department=unrouted&sort=replies"
    "/triage?department=all&overdue=1&sort=oldest"
    "/triage?department=all&overdue=1&sort=replies"
    "/triage?department=all&post=$post_id&sort=oldest"
    "/triage?department=all&assigned=1&sort=oldest"
    "/departments"
    "/departments/DWP"
    "/departments.json"
    "/departments.csv"
    "/departments/DWP.json"
)

printf '\n%-55s %8s %8s %8s\n' "server time (ms), $RUNS requests each" "median" "p95" "max"
for url in "${urls[@]}"; do
    before=$(wc -l <"$tmp/server.log")
    for _ in $(seq 1 "$RUNS"); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$BASE$url")
        [ "$code" = "200" ] || { echo "GET $url returned $code" >&2; exit 1; }
    done
    tail -n +"$((before + 1))" "$tmp/server.log" | python3 -c '
import json, sys
url = sys.argv[1]
times = sorted(float(l["fields"]["elapsed_ms"]) for l in map(json.loads, filter(str.strip, sys.stdin))
               if l.get("fields", {}).get("path") == url)
if not times:
    sys.exit("no log lines for " + url)
p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
print("%-55s %8.1f %8.1f %8.1f" % (url, times[len(times) // 2], p95, times[-1]))
' "$url"
done
