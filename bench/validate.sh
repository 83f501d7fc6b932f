#!/usr/bin/env bash
# HTML validity: the Nu HTML Checker (vnu) on the site's pages, public and signed in.
#
# Loads the demo into a fresh SQLite database in a temporary directory, starts the
# server on 127.0.0.1, gives the moderation queue something to show (pre-moderation on,
# two held comments, one reported), signs in as the demo's admin, moderator and DWP
# official, fetches each page as each of them and as an anonymous reader (plus a few
# forms sent back with errors), and prints a table: page, errors. Exits 1 when any page
# has an error. Not part of `cargo test`.
#
# Environment (all optional):
#   COMMENTS       comments in the demo's big discussion     (default 400)
#   PORT           local port for the server                 (default: a free one)
#   ANSWERABLE_BIN use this binary instead of building target/release/answerable
#   VNU_JAR        the checker's jar; default: vnu-jar from the npm registry, installed
#                  with npm under ${XDG_CACHE_HOME:-~/.cache}/answerable/vnu if missing
#   KEEP           set to keep the temporary directory (pages, server log, vnu output)
#
# Needs java (17 or later), curl, python3, and npm when VNU_JAR is not given.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"

COMMENTS="${COMMENTS:-400}"
positive_ints validate COMMENTS
bin="${ANSWERABLE_BIN:-}"
cd "$here/.."
clear_app_env

for tool in java curl python3; do
    command -v "$tool" >/dev/null || { echo "validate: $tool is required" >&2; exit 1; }
done

# --- the checker --------------------------------------------------------------------
if [ -z "${VNU_JAR:-}" ]; then
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/answerable/vnu"
    VNU_JAR="$cache/node_modules/vnu-jar/build/dist/vnu.jar"
    if [ ! -f "$VNU_JAR" ]; then
        command -v npm >/dev/null || { echo "validate: npm is required to install vnu-jar (or set VNU_JAR)" >&2; exit 1; }
        echo "==> installing vnu-jar into $cache"
        mkdir -p "$cache"
        npm install --prefix "$cache" --no-audit --no-fund --no-save vnu-jar >/dev/null
    fi
fi
[ -f "$VNU_JAR" ] || { echo "validate: no checker at $VNU_JAR" >&2; exit 1; }

# --- build, data, server ---------------------------------------------------------------
build_bin nice -n 19 cargo build --release
need_bin validate

tmp="$(mktemp -d -t answerable-validate.XXXXXX)"
pids=()
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_started
    if [ -n "${KEEP:-}" ]; then echo "==> kept $tmp"; else rm -rf "$tmp"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="${PORT:-$(free_port)}"
B="http://127.0.0.1:$PORT"
export DATABASE_URL="sqlite://$tmp/answerable.db" ANSWERABLE_DATA_DIR="$tmp" ANSWERABLE_BIND="127.0.0.1:$PORT" \
    ANSWERABLE_BASE_URL="$B" ANSWERABLE_MAIL_WORKER=off ANSWERABLE_MIN_FORM_SECONDS=0 RUST_LOG=warn
echo "==> demo with $COMMENTS comments"
"$bin" demo --comments "$COMMENTS" >"$tmp/demo.txt"
password="$(sed -n 's/.*password for each: \([^)]*\)).*/\1/p' "$tmp/demo.txt")"
slug="$(sed -n 's|^big post: /posts/||p' "$tmp/demo.txt")"
[ -n "$password" ] && [ -n "$slug" ] || { echo "validate: cannot read the demo's summary" >&2; cat "$tmp/demo.txt" >&2; exit 1; }
"$bin" serve >"$tmp/server.log" 2>&1 &
pids+=("$!")
wait_http "$B/healthz" "${pids[0]}" 30 || { echo "validate: the server did not start" >&2; tail "$tmp/server.log" >&2; exit 1; }

# --- browsing ------------------------------------------------------------------------
mkdir -p "$tmp/pages"
# token JAR PATH: the CSRF token of the page's last form
token() { curl -s -b "$1" -c "$1" "$B$2" | grep -o 'name="_csrf" value="[^"]*"' | tail -n 1 | sed 's/.*value="//; s/"$//'; }
# send JAR FROM ACTION [--data-urlencode FIELD=VALUE]...: posts a form as a browser would;
# the answer is kept in $tmp/answer.html
send() {
    local jar="$1" from="$2" action="$3"
    shift 3
    curl -s -o "$tmp/answer.html" -w '%{http_code}' -b "$jar" -c "$jar" -H "Origin: $B" \
        --data-urlencode "_csrf=$(token "$jar" "$from")" "$@" "$B$action"
}
sign_in() { # sign_in JAR EMAIL
    local code
    code="$(send "$1" /signin /signin --data-urlencode "email=$2" --data-urlencode "password=$password")"
    [ "$code" = 303 ] || { echo "validate: $2 could not sign in ($code)" >&2; exit 1; }
}
anon="$tmp/anonymous.jar"
: >"$anon"
for who in admin moderator official; do : >"$tmp/$who.jar"; done
sign_in "$tmp/admin.jar" admin@example.org
sign_in "$tmp/moderator.jar" moderator@example.org
sign_in "$tmp/official.jar" jane.doe@dwp.example.org

post="/posts/$slug"
# The moderation queue with something in it: everything held, two guests' comments, a report.
send "$tmp/admin.jar" /admin/moderation /admin/moderation --data-urlencode premoderation=all \
    --data-urlencode flag_threshold=3 --data-urlencode max_links=2 --data-urlencode words= --data-urlencode domains= \
    --data-urlencode emails= --data-urlencode ips= >/dev/null
for n in 1 2; do
    send "$anon" "$post" "$post/comments" --data-urlencode "name=Guest $n" --data-urlencode "email=guest$n@example.org" \
        --data-urlencode "body=The VPN drops every hour ($n)." \
        --data-urlencode "form_stamp=$(curl -s "$B$post" | grep -o 'name="form_stamp" value="[^"]*"' | sed 's/.*value="//; s/"$//')" >/dev/null
done
reply="$(curl -s "$B$post?page=2" | grep -o 'href="/comments/[0-9]*/report"' | tail -n 1 | grep -o '[0-9]*')"
send "$anon" "/comments/$reply/report" "/comments/$reply/report" --data-urlencode reason=abusive >/dev/null
send "$tmp/admin.jar" /account/tokens /account/tokens --data-urlencode token_name=validator >/dev/null

public=(
    / "$post" "$post?page=2" "$post?show=awaiting" "$post?show=answered" "$post?show=official"
    "/comments/$reply" "/comments/$reply/responses" "/comments/$reply/report" "$post/comments/new?parent=$reply"
    "$post/follow" /departments /departments/DWP "/search?q=log" /signin /register /password/forgot
)
signed_in=(
    /account /account/notifications /account/comments /account/tokens /account/delete
    /triage "/triage?department=DWP&overdue=1" /moderation
    /admin /admin/users /admin/departments /admin/departments/new /admin/departments/1 /admin/officials
    /admin/outbox /admin/posts /admin/posts/new /admin/posts/1/edit /admin/moderation /admin/freezes /admin/audit
    "$post" "$post/comments/new?parent=$reply"
)
n=0
list="$tmp/pages.tsv"
: >"$list"
fetch() { # fetch WHO JAR PATH: keeps the page (after one redirect) when it answers 200
    local file code
    n=$((n + 1))
    file="$tmp/pages/$n.html"
    code="$(curl -s -L --max-redirs 1 -o "$file" -w '%{http_code}' -b "$2" "$B$3")"
    if [ "$code" = 200 ]; then printf '%s\t%s\t%s\n' "$file" "$1" "$3" >>"$list"; else rm -f "$file"; fi
}
for path in "${public[@]}"; do fetch anonymous "$anon" "$path"; done
for who in admin moderator official; do
    for path in "${signed_in[@]}"; do fetch "$who" "$tmp/$who.jar" "$path"; done
done
# Forms sent back with their errors shown.
keep_answer() { n=$((n + 1)); cp "$tmp/answer.html" "$tmp/pages/$n.html"; printf '%s\t%s\t%s\n' "$tmp/pages/$n.html" "$1" "$2" >>"$list"; }
send "$anon" /signin /signin --data-urlencode email=nobody >/dev/null && keep_answer anonymous "POST /signin (errors)"
send "$anon" "$post" "$post/comments" --data-urlencode name= >/dev/null && keep_answer anonymous "POST comment (errors)"
send "$tmp/admin.jar" /triage /triage/bulk --data-urlencode action=route >/dev/null && keep_answer admin "POST /triage/bulk (errors)"
send "$tmp/admin.jar" /admin/departments/new /admin/departments/new --data-urlencode name= >/dev/null &&
    keep_answer admin "POST /admin/departments/new (errors)"
send "$tmp/official.jar" "$post/comments/new?parent=$reply" "$post/comments" --data-urlencode "parent_id=$reply" \
    --data-urlencode as_official=1 --data-urlencode body= >/dev/null && keep_answer official "POST official reply (errors)"

# --- the checker's verdict -----------------------------------------------------------
echo "==> checking $(wc -l <"$list") pages with $(basename "$VNU_JAR")"
cut -f1 "$list" | xargs java -jar "$VNU_JAR" --errors-only --format gnu 2>"$tmp/vnu.txt" || true
python3 - "$list" "$tmp/vnu.txt" <<'EOF'
import sys
pages = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
errors = {}
for line in open(sys.argv[2], encoding="utf-8", errors="replace"):
    if ": error:" in line:
        name = line.split('"')[1].removeprefix("file:") if line.startswith('"') else line.split(":")[0]
        errors.setdefault(name, []).append(line.split(": error:", 1)[1].strip())
rows = [(f"{who} {path}", len(errors.get(file, []))) for file, who, path in pages]
width = max(len(r[0]) for r in rows + [("page", 0)])
print(f"{'page'.ljust(width)} | errors")
print(f"{'-' * width}-+-------")
for page, count in rows:
    print(f"{page.ljust(width)} | {count}")
total = sum(c for _, c in rows)
print(f"\n{total} errors on {sum(1 for _, c in rows if c)} of {len(rows)} pages")
for file, who, path in pages:
    for message in errors.get(file, [])[:5]:
        print(f"  {who} {path}: {message}")
sys.exit(1 if total else 0)
EOF
