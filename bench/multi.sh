#!/usr/bin/env bash
# Several instances behind nginx (issue 15): two `answerable serve` processes (A and B,
# each with its mail worker) on one fresh PostgreSQL database, behind Debian's nginx
# (round-robin over A and B, `proxy_next_upstream error timeout`, which never sends a
# POST again once it reached an instance), and prints one table:
#     test | expected | measured | pass/FAIL
# The exit status is non-zero if any row failed.
#
#   1. a session started on A works on B
#   2. a comment posted on A is on B's post page at once
#   3. rate limits are shared: ANSWERABLE_COMMENTS_PER_MINUTE=5, posts alternating A/B
#      from one address (127.0.0.3): the 6th and 7th are 429, on B and on A
#   4. each email is sent once: comments with "email me" through nginx, both workers
#      sending to one SMTP sink (bench/faults/smtp_sink.py) that records Message-IDs
#   5. SIGTERM to A while 20 clients read and post through nginx: no failed request,
#      every 303 stored
#   Then with nginx's proxy cache (a second server block on another port; the
#   instances run with ANSWERABLE_PUBLIC_CACHE_SECONDS=1):
#   6. readers' requests per second on the post page with and without the cache (wrk,
#      32 connections), and the hit ratio from X-Cache-Status
#   7a. a new comment shows through the cache within s-maxage (1 s) + 1.25 s (nginx
#      keeps an entry s-maxage to s-maxage + 1 s: its cache clock counts whole seconds)
#   7b. an unchanged page is revalidated with a 304 from upstream (REVALIDATED); the
#      row also GETs the page from B with If-None-Match 1.1 s later, to tell why not
#   (the rows run in the order 1-4, 6, 7a, 7b, 5: row 5 stops A; the table is in order)
#   Rows 1-3 run on instances with the low comment limit; 4-7 on a second pair with
#   high limits (behind nginx every reader has nginx's address, see the README).
#
# Helpers: bench/multi/probe.py (rows 1-3, 7a, 7b), bench/faults/load.py (rows 4, 5),
# bench/faults/check.py (outbox vs sink, stored comments), bench/multi/count.lua (wrk),
# bench/multi/verdict.py (with bench/faults/common.py), bench/lib.sh (the shell
# functions it shares with the other bench/ scripts). Installs nginx and wrk with
# apt-get when missing (as root). Loopback only, on free ports; nginx runs in the
# foreground with its own config, logs and cache in the temporary directory.
#
# Environment (all optional):
#   PG_ADMIN_URL    where the test database is created     (default postgres://postgres@127.0.0.1:5432/postgres)
#   ANSWERABLE_BIN  use this binary instead of building target/release/answerable
#   CONNS           wrk connections in row 6                (default 32)
#   DURATION        seconds of each wrk run in row 6        (default 10)
#   CLIENTS         clients in row 5                        (default 20)
#   LOAD_SECONDS    length of row 5's load                  (default 10; SIGTERM at 3 s)
#   MULTI_RUST_LOG  RUST_LOG of the instances               (default info, for the request log)
#   KEEPALIVE       idle kept-alive connections from nginx to the instances (default 0:
#                   nginx's default, a new connection per request; e.g. 16 to try row 5
#                   with `keepalive 16`, HTTP/1.1 upstream)
# Any other ANSWERABLE_* or DATABASE_URL in the caller's environment is ignored.
#
# Takes about 1 minute on the 2-core development machine (plus the build). The
# database is dropped at exit; logs (the instances', nginx's access logs with upstream
# and cache status), the sink's record and every measurement's JSON stay in the
# temporary directory printed at the start and the end.
set -euo pipefail

PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
CONNS="${CONNS:-32}"
DURATION="${DURATION:-10}"
CLIENTS="${CLIENTS:-20}"
LOAD_SECONDS="${LOAD_SECONDS:-10}"
KEEPALIVE="${KEEPALIVE:-0}"
bin="${ANSWERABLE_BIN:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
positive_ints multi CONNS DURATION CLIENTS LOAD_SECONDS
[[ "$KEEPALIVE" =~ ^[0-9]+$ ]] || { echo "multi: KEEPALIVE must be a number" >&2; exit 2; }
[ "$LOAD_SECONDS" -ge 5 ] || { echo "multi: LOAD_SECONDS must be at least 5" >&2; exit 2; }

cd "$here/.."
clear_app_env

# --- tools -----------------------------------------------------------------------------
need_apt() { # need_apt COMMAND PACKAGE
    command -v "$1" >/dev/null && return 0
    [ "$(id -u)" = 0 ] || { echo "multi: $1 is required (apt-get install $2)" >&2; exit 1; }
    echo "==> apt-get install -y $2"
    apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
    command -v "$1" >/dev/null || { echo "multi: could not install $2" >&2; exit 1; }
}
PATH="$PATH:/usr/sbin:/sbin"
need_apt nginx nginx
need_apt wrk wrk
for c in curl python3 psql; do
    command -v "$c" >/dev/null || { echo "multi: $c is required" >&2; exit 1; }
done
psql -X -q "$PG_ADMIN_URL" -c "SELECT 1" >/dev/null || { echo "multi: cannot reach PostgreSQL at $PG_ADMIN_URL" >&2; exit 1; }
build_bin nice -n 19 cargo build --release
need_bin multi

exec 3>&1
tmp="$(mktemp -d -t answerable-multi.XXXXXX)"
logs="$tmp/logs"
mkdir -p "$logs" "$tmp/data"
echo "==> binary $bin"
echo "==> logs and measurements in $tmp"
started_at=$(date +%s)
pids=()
db_name=""
results="$tmp/results.tsv"
: >"$results"

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_started
    if [ -n "$db_name" ]; then
        psql -X -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    echo "==> logs kept in $tmp" >&3
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

check() { timeout 150 python3 "$here/faults/check.py" "$@"; }
probe() { timeout 90 python3 "$here/multi/probe.py" "$@"; }

result() { # result TEST EXPECTED MEASURED OK
    local verdict=FAIL measured="$3" gone
    gone="$(gone_words)"
    [ "$4" = 1 ] && [ -z "$gone" ] && verdict=pass
    set -- "$1" "$2" "$measured$gone" "$4"
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$verdict" >>"$results"
    printf '    %-4s  %s: %s\n' "$verdict" "$1" "$3"
}
verdict() { # verdict TEST EXPECTED KIND name=VALUE...
    local out
    out="$(python3 "$here/multi/verdict.py" "${@:3}" 2>>"$logs/verdict.err")" ||
        out=$'0\tno measurement (verdict.py failed, see logs/verdict.err)'
    result "$1" "$2" "${out#*$'\t'}" "${out%%$'\t'*}"
}

# --- the database, a post, a user, the sink --------------------------------------------
port_a=$(free_port)
port_b=$(free_port)
port_n=$(free_port)   # nginx, no cache
port_c=$(free_port)   # nginx, proxy cache
port_s=$(free_port)   # SMTP sink
base_a="http://127.0.0.1:$port_a"
base_b="http://127.0.0.1:$port_b"
base_n="http://127.0.0.1:$port_n"
base_c="http://127.0.0.1:$port_c"
echo "==> A $base_a, B $base_b, nginx $base_n (cache: $base_c), SMTP sink 127.0.0.1:$port_s"

db_name="answerable_multi_$$"
pg_create "$db_name"
DB="${PG_ADMIN_URL%/*}/$db_name"
password="multi-bench-password-123"
email="reader@example.org"
printf 'A post for several instances.\n\nIs the library open on Sundays?\n' >"$tmp/post.md"
make_post "$DB" "Two instances" || { echo "multi: no post made" >&2; exit 1; }
slug="$SLUG"
# Row 7's own post: its page shows the new comment (the first post's holds 200 threads
# by then, more than its first page shows).
make_post "$DB" "Through the cache" || { echo "multi: no post made" >&2; exit 1; }
slug_fresh="$SLUG"
printf '%s\n' "$password" | env DATABASE_URL="$DB" ANSWERABLE_DATA_DIR="$tmp/data" RUST_LOG=warn \
    "$bin" user create --email "$email" --name "Multi Reader" --role reader --password-stdin >>"$logs/cli.log" 2>&1

rm -f "$tmp/sink.ready"
python3 "$here/faults/smtp_sink.py" --port "$port_s" --record "$tmp/sink.ids" --ready "$tmp/sink.ready" \
    >>"$logs/sink.log" 2>&1 </dev/null &
pids+=("$!")
for ((i = 0; i < 50; i++)); do [ -f "$tmp/sink.ready" ] && break; sleep 0.1; done
[ -f "$tmp/sink.ready" ] || { echo "multi: the SMTP sink did not start" >&2; exit 1; }

# The settings of every instance: one secret, one public address (nginx's), a mail
# worker each, quick mail polling, no spam timer (the probes post at once).
export ANSWERABLE_SECRET="multi-secret-multi-secret-multi-secret-012345"
export ANSWERABLE_BASE_URL="$base_n" ANSWERABLE_MAIL_WORKER=on ANSWERABLE_MAIL_POLL_MS=200
export ANSWERABLE_SMTP_URL="smtp://127.0.0.1:$port_s" ANSWERABLE_MIN_FORM_SECONDS=0
export RUST_LOG="${MULTI_RUST_LOG:-info}"

pid_a="" pid_b=""
serve_one() { # serve_one PORT LOG [VAR=VALUE...]: one instance in the background ($! is its pid)
    local port="$1" log="$2"
    shift 2
    env DATABASE_URL="$DB" ANSWERABLE_DATA_DIR="$tmp/data" ANSWERABLE_BIND="127.0.0.1:$port" "$@" \
        "$bin" serve >>"$log" 2>&1 </dev/null &
    pids+=("$!")
}
start_pair() { # start_pair TAG [VAR=VALUE...]: starts A and B; sets pid_a, pid_b
    local tag="$1"
    shift
    serve_one "$port_a" "$logs/$tag-a.log" "$@"
    pid_a=$!
    serve_one "$port_b" "$logs/$tag-b.log" "$@"
    pid_b=$!
    echo "      A: pid $pid_a, log $logs/$tag-a.log; B: pid $pid_b, log $logs/$tag-b.log"
    wait_http "$base_a/healthz" "$pid_a" 30 && wait_http "$base_b/healthz" "$pid_b" 30
}
# gone_words: which of A, B and nginx stopped without this script asking, or nothing
gone_words() {
    local gone=()
    [ -n "$pid_a" ] && ! kill -0 "$pid_a" 2>/dev/null && gone+=(A)
    [ -n "$pid_b" ] && ! kill -0 "$pid_b" 2>/dev/null && gone+=(B)
    [ -n "${nginx_pid:-}" ] && ! kill -0 "$nginx_pid" 2>/dev/null && gone+=(nginx)
    [ "${#gone[@]}" -gt 0 ] && echo "; ${gone[*]} had stopped by the end of this row (not by this script: see its log)"
    return 0
}
stop_pair() {
    local pid
    for pid in "$pid_a" "$pid_b"; do
        [ -n "$pid" ] || continue
        stop_pid "$pid" 30
        forget "$pid"
    done
    pid_a="" pid_b=""
}

# --- 1-3: one session, one comment, one rate limit ---------------------------------------
echo "  -- rows 1-3: instances with ANSWERABLE_COMMENTS_PER_MINUTE=5 ($(($(date +%s) - started_at)) s)"
name1="1. session started on A, used on B" exp1="GET /account on B: 200, signed in"
name2="2. comment posted on A, read on B at once" exp2="303 on A; on B's post page at once"
name3="3. 5 comments/min, posts alternating A/B, one address" exp3="1st-5th 303; 6th (B) and 7th (A) 429"
if start_pair limits ANSWERABLE_COMMENTS_PER_MINUTE=5; then
    probe session --via "$base_a" --other "$base_b" --email "$email" --password "$password" \
        >"$tmp/session.json" 2>>"$logs/probe.err" || true
    verdict "$name1" "$exp1" session s="$tmp/session.json"
    probe visible --via "$base_a" --other "$base_b" --slug "$slug" >"$tmp/visible.json" 2>>"$logs/probe.err" || true
    verdict "$name2" "$exp2" visible v="$tmp/visible.json"
    probe limit --bases "$base_a,$base_b" --slug "$slug" --count 7 --source 127.0.0.3 \
        >"$tmp/limit.json" 2>>"$logs/probe.err" || true
    verdict "$name3" "$exp3" limit r="$tmp/limit.json" a="$port_a" b="$port_b" per_minute=5
else
    for n in 1 2 3; do
        eval "result \"\$name$n\" \"\$exp$n\" 'not measured: serve did not start (see logs)' 0"
    done
fi
stop_pair

# --- nginx -------------------------------------------------------------------------------
ngx="$tmp/nginx"
mkdir -p "$ngx/cache" "$ngx/temp" "$ngx/logs"
user_line=""
if [ "$(id -u)" = 0 ]; then
    # Workers run as nobody: they must reach the cache and temp folders.
    user_line="user nobody $(id -gn nobody 2>/dev/null || echo nogroup);"
    chmod 755 "$tmp" "$ngx"
    chown -R nobody "$ngx/cache" "$ngx/temp"
fi
keepalive_upstream="" keepalive_proxy=""
if [ "$KEEPALIVE" -gt 0 ]; then
    keepalive_upstream="keepalive $KEEPALIVE;"
    keepalive_proxy='proxy_http_version 1.1; proxy_set_header Connection "";'
fi
# Both servers' proxying. nginx's default proxy_next_upstream: a request goes to the
# other instance when this one cannot be reached, but a POST never once it has been sent.
proxy='proxy_pass http://answerable;
            proxy_set_header Host $http_host;
            proxy_set_header X-Request-Id $request_id;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;'
[ -z "$keepalive_proxy" ] || proxy+="
            $keepalive_proxy"
cat >"$ngx/nginx.conf" <<EOF
# Generated by bench/multi.sh.
$user_line
worker_processes 2;
pid $ngx/nginx.pid;
error_log $ngx/logs/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $ngx/temp/body;
    proxy_temp_path $ngx/temp/proxy;
    fastcgi_temp_path $ngx/temp/fastcgi;
    uwsgi_temp_path $ngx/temp/uwsgi;
    scgi_temp_path $ngx/temp/scgi;
    log_format multi '\$msec \$request_id \$request_method \$request_uri \$status '
                     'upstream=\$upstream_addr upstream_status=\$upstream_status cache=\$upstream_cache_status '
                     'time=\$request_time';
    proxy_cache_path $ngx/cache levels=1:2 keys_zone=pages:10m max_size=64m inactive=10m use_temp_path=off;
    upstream answerable {
        server 127.0.0.1:$port_a;
        server 127.0.0.1:$port_b;
        $keepalive_upstream
    }
    # No cache.
    server {
        listen 127.0.0.1:$port_n;
        access_log $ngx/logs/plain.log multi buffer=64k flush=1s;
        location / {
            $proxy
        }
    }
    # With the proxy cache: public pages for s-maxage, revalidated with their ETag.
    server {
        listen 127.0.0.1:$port_c;
        access_log $ngx/logs/cached.log multi buffer=64k flush=1s;
        location / {
            $proxy
            proxy_cache pages;
            proxy_cache_revalidate on;
            proxy_cache_key \$scheme\$host\$request_uri;
            proxy_no_cache \$cookie_answerable_session\$cookie_answerable_held;
            proxy_cache_bypass \$cookie_answerable_session\$cookie_answerable_held;
            add_header X-Cache-Status \$upstream_cache_status;
        }
    }
}
EOF
nginx -p "$ngx" -e "$ngx/logs/error.log" -c "$ngx/nginx.conf" -t >"$logs/nginx-t.log" 2>&1 ||
    { cat "$logs/nginx-t.log" >&2; exit 1; }
nginx -p "$ngx" -e "$ngx/logs/error.log" -c "$ngx/nginx.conf" -g 'daemon off;' >>"$logs/nginx.log" 2>&1 </dev/null &
nginx_pid=$!
pids+=("$nginx_pid")
echo "      nginx: pid $nginx_pid, config $ngx/nginx.conf"

# --- 4-7 -----------------------------------------------------------------------------------
echo "  -- rows 4-7: high limits, ANSWERABLE_PUBLIC_CACHE_SECONDS=1 ($(($(date +%s) - started_at)) s)"
name4="4. each email sent once (2 workers, comments via nginx)" exp4="deliveries = distinct = owed; 0 duplicates"
name6="6. readers' req/s on the post page via nginx (wrk -c$CONNS ${DURATION}s)" exp6="with cache > without; hit ratio >= 90%; 0 errors"
name7="7a. new comment through the cache (s-maxage=1)" exp7="shown <= 2.25 s (s-maxage + nginx's 1 s clock)"
name8="7b. unchanged page revalidated through the cache" exp8="upstream 304 (X-Cache-Status REVALIDATED)"
name5="5. SIGTERM to A at 3 s, $CLIENTS clients via nginx for ${LOAD_SECONDS} s"
exp5="0 failed (no 5xx/connection errors); every 303 stored; A exits 0"
if [ "$KEEPALIVE" -gt 0 ]; then name5+=" (upstream keepalive $KEEPALIVE)"; fi
if ! start_pair open ANSWERABLE_COMMENTS_PER_MINUTE=1000000 ANSWERABLE_COMMENTS_PER_DAY=1000000 \
    ANSWERABLE_EMAILS_PER_HOUR=1000000 ANSWERABLE_PUBLIC_CACHE_SECONDS=1 ||
    ! wait_http "$base_n/healthz" "$nginx_pid" 15; then
    for n in 4 6 7 8 5; do
        eval "result \"\$name$n\" \"\$exp$n\" 'not measured: serve or nginx did not start (see logs)' 0"
    done
    exit 1
fi

# 4. email once
: >"$tmp/mail.accepted"
bg timeout 90 python3 "$here/faults/load.py" post --base "$base_n" --slug "$slug" --rate 40 --duration 5 \
    --threads 8 --prefix mail --accepted "$tmp/mail.accepted" >"$tmp/mail.load.json" 2>>"$logs/load.err" || true
bg check wait-drained "$DB" --timeout 90 >"$tmp/drained.out" || true
drain="$(cat "$tmp/drained.out" 2>/dev/null || echo -1)"
sleep 0.5 # the sink's last lines
check mail "$DB" --record "$tmp/sink.ids" >"$tmp/mail.json" || true
sleep 1.1 # nginx flushes its access log every second
upstreams="$(grep ' POST /posts/' "$ngx/logs/plain.log" | sed -n 's/.* upstream=\([^ ]*\) .*/\1/p' |
    sed -e "s/127.0.0.1:$port_a/A/" -e "s/127.0.0.1:$port_b/B/" | sort | uniq -c | awk '{printf "%s%s %s", sep, $2, $1; sep=", "}')"
verdict "$name4" "$exp4" mail l="$tmp/mail.load.json" m="$tmp/mail.json" drain="$drain" upstreams="${upstreams:-none}"

# 6. requests per second, without and with the cache
wrk_run() { # wrk_run BASE NAME
    bg timeout $((DURATION + 30)) wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$here/multi/count.lua" \
        "$1/posts/$slug" >"$tmp/$2.wrk.out" 2>&1 || true
    grep '^{' "$tmp/$2.wrk.out" | tail -n 1 >"$tmp/$2.wrk.json" || true
}
wrk_run "$base_n" plain
curl -s -o /dev/null "$base_c/posts/$slug" || true # the first request fills the cache
wrk_run "$base_c" cached
verdict "$name6" "$exp6" cache plain="$tmp/plain.wrk.json" cached="$tmp/cached.wrk.json"

# 7. freshness through the cache
lines_before=$(wc -l <"$ngx/logs/cached.log")
probe fresh --base "$base_c" --slug "$slug_fresh" --wait-max 10 --revalidate-after 2.2 --direct "$base_b" --save "$tmp/fresh.post.html" >"$tmp/fresh.json" 2>>"$logs/probe.err" || true
sleep 1.1
upstream_304="$(tail -n +"$((lines_before + 1))" "$ngx/logs/cached.log" | grep -c 'upstream_status=304' || true)"
verdict "$name7" "$exp7" fresh f="$tmp/fresh.json" seconds=1
verdict "$name8" "$exp8" revalidate f="$tmp/fresh.json" upstream_304="$upstream_304"

# 5. SIGTERM to A under load
lines_before=$(wc -l <"$ngx/logs/plain.log")
errors_before=$(wc -l <"$ngx/logs/error.log")
: >"$tmp/sigterm.accepted"
timeout $((LOAD_SECONDS + 90)) python3 "$here/faults/load.py" mixed --base "$base_n" --slug "$slug" \
    --clients "$CLIENTS" --duration "$LOAD_SECONDS" --prefix sigterm --accepted "$tmp/sigterm.accepted" \
    >"$tmp/sigterm.load.json" 2>>"$logs/load.err" &
load_pid=$!
pids+=("$load_pid")
sleep 3
term_at=$(date +%s.%N)
kill -TERM "$pid_a" 2>/dev/null || echo "      A (pid $pid_a) had already stopped"
echo "      SIGTERM to A (pid $pid_a)"
exit_a="still running"
for ((i = 0; i < 400; i++)); do
    kill -0 "$pid_a" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid_a" 2>/dev/null; then
    exit_s="> 40"
    stop_pid "$pid_a" 1
else
    rc=0
    wait "$pid_a" || rc=$?
    exit_a="$rc"
    exit_s="$(python3 -c "import sys, time; print(round(time.time() - float(sys.argv[1]), 1))" "$term_at")"
fi
forget "$pid_a"
pid_a=""
wait "$load_pid" || true
forget "$load_pid"
sleep 1.1
after="$(tail -n +"$((lines_before + 1))" "$ngx/logs/plain.log")"
nginx_5xx="$(awk '$5 ~ /^5/' <<<"$after" | wc -l)"
upstreams_after="$(awk -v t="$term_at" '$1 > t + 1' <<<"$after" | sed -n 's/.* upstream=\([^ ]*\) .*/\1/p' |
    sed -e "s/127.0.0.1:$port_a/A/g" -e "s/127.0.0.1:$port_b/B/g" | sort | uniq -c |
    awk '{printf "%s%s %s", sep, $2, $1; sep=", "}')"
# Requests nginx sent on to B because A refused the connection (not sent to A yet).
moved="$(tail -n +"$((errors_before + 1))" "$ngx/logs/error.log" | grep -c 'connect() failed' || true)"
upstreams_after="${upstreams_after:-none}; moved to B on a refused connect: $moved"
check comments "$DB" --ids "$tmp/sigterm.accepted" >"$tmp/sigterm.comments.json" || true
verdict "$name5" "$exp5" sigterm r="$tmp/sigterm.load.json" c="$tmp/sigterm.comments.json" nginx_5xx="$nginx_5xx" \
    exit_code="$exit_a" exit_s="$exit_s" upstreams_after="$upstreams_after"

# --- the table -----------------------------------------------------------------------------
elapsed=$(($(date +%s) - started_at))
echo
print_table "$results" --by-number test expected measured pass/FAIL
rows_summary "$results" "$elapsed"
