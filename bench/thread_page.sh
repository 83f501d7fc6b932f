#!/usr/bin/env bash
# Benchmark: the post page of a large threaded discussion.
#
# Builds the release binary, loads the demo data into a fresh data directory,
# starts the server on 127.0.0.1 and runs wrk against the big post's page.
#
# Environment (all optional):
#   COMMENTS      comments in the big discussion        (default 500)
#   CONNS         wrk connections                       (default 32)
#   DURATION      wrk duration in seconds               (default 20)
#   PORT          local port for the server             (default 18080)
#   THREADS_PER_PAGE, COMMENTS_PER_PAGE
#                 page layout (default 1000 each: one page holds the whole discussion)
#   ANSWERABLE_BIN  use this binary instead of building target/release/answerable
#   DATABASE_URL  benchmark this database instead of a temporary SQLite file,
#                 e.g. postgres://postgres@127.0.0.1:5432/answerable_bench
#                 (it must be empty: `answerable demo` only fills an empty one)
#   ANSWERABLE_PAGE_CACHE_SECONDS=0  draw the comments section on every request (the
#                 "uncached page": what readers pay just after a comment is added)
#   ANSWERABLE_FRAGMENT_CACHE_MB=0   also render every comment on every request,
#                 instead of drawing unchanged ones from the kept fragments
#   NEW_COMMENT_EVERY_MS  also post a new comment to the big discussion this often during
#                 the measured run (through the form, as a guest), so readers read a page
#                 that keeps changing; the summary says how many were posted and whether
#                 the last one was on the page at once
#   NO_NGINX      set to skip the yardstick: nginx serving the same page as a static
#                 file, measured with the same wrk settings (port PORT+1)
#
# Only ever talks to 127.0.0.1. Shell functions shared with the other bench/ scripts:
# bench/lib.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMMENTS="${COMMENTS:-500}"
CONNS="${CONNS:-32}"
DURATION="${DURATION:-20}"
PORT="${PORT:-18080}"
HOST="127.0.0.1"
BASE="http://${HOST}:${PORT}"

positive_ints bench COMMENTS CONNS DURATION PORT
if [ -n "${NEW_COMMENT_EVERY_MS:-}" ]; then positive_ints bench NEW_COMMENT_EVERY_MS; fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmp="$(mktemp -d -t answerable-bench.XXXXXX)"
server_pid=""

cleanup() {
    local rc=$?
    if [ -n "$server_pid" ]; then stop_pid "$server_pid" 10; fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() {
    echo "bench: $*" >&2
    if [ -f "$tmp/server.log" ]; then
        echo "--- last lines of server log ---" >&2
        tail -n 30 "$tmp/server.log" >&2 || true
    fi
    exit 1
}

# --- tools -------------------------------------------------------------------
command -v curl >/dev/null 2>&1 || die "curl is required"
if ! command -v wrk >/dev/null 2>&1; then
    echo "==> installing wrk"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "wrk is missing and not running as root; install wrk"
        sudo_cmd=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends wrk </dev/null; then
        "${sudo_cmd[@]}" apt-get update </dev/null
        "${sudo_cmd[@]}" apt-get install -y --no-install-recommends wrk </dev/null
    fi
fi

# --- build -------------------------------------------------------------------
bin="${ANSWERABLE_BIN:-}"
build_bin cargo build --release
[ -x "$bin" ] || die "binary not found at $bin"

# --- data --------------------------------------------------------------------
export ANSWERABLE_DATA_DIR="$tmp"
export ANSWERABLE_BIND="${HOST}:${PORT}"
export ANSWERABLE_BASE_URL="$BASE"
export RUST_LOG=warn
if [ -n "${NEW_COMMENT_EVERY_MS:-}" ]; then
    # The writer is one guest posting far faster than the limits allow a person.
    export ANSWERABLE_COMMENTS_PER_MINUTE=1000000 ANSWERABLE_COMMENTS_PER_DAY=1000000
    export ANSWERABLE_MIN_FORM_SECONDS=0
fi
# One page carrying every thread, so the page measured holds all the demo's comments.
export ANSWERABLE_THREADS_PER_PAGE="${THREADS_PER_PAGE:-1000}"
export ANSWERABLE_COMMENTS_PER_PAGE="${COMMENTS_PER_PAGE:-1000}"
if [ -n "${DATABASE_URL:-}" ]; then
    db_desc="$DATABASE_URL"
else
    unset DATABASE_URL
    db_desc="SQLite $tmp/answerable.db"
fi

echo "==> answerable demo --comments $COMMENTS ($db_desc)"
if ! "$bin" demo --comments "$COMMENTS" >"$tmp/demo.out" 2>&1; then
    cat "$tmp/demo.out" >&2
    die "answerable demo failed"
fi
cat "$tmp/demo.out"
path="$(sed -n 's|.*big post: \(/posts/[^[:space:]]*\).*|\1|p' "$tmp/demo.out" | head -n 1)"
[ -n "$path" ] || die "no 'big post: /posts/<slug>' line in the demo output"
url="${BASE}${path}"

# --- server ------------------------------------------------------------------
if curl -s -o /dev/null --max-time 2 "$BASE/"; then
    die "something is already listening on $HOST:$PORT; set PORT to a free port"
fi

echo "==> answerable serve on $HOST:$PORT"
"$bin" serve >"$tmp/server.log" 2>&1 </dev/null &
server_pid=$!

ready=""
for _ in $(seq 1 150); do
    kill -0 "$server_pid" 2>/dev/null || die "server exited during start-up"
    if curl -fsS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.2
done
[ -n "$ready" ] || die "server did not answer $BASE/healthz within 30 s"

# --- the page ----------------------------------------------------------------
status="$(curl -sS -o "$tmp/page.html" -w '%{http_code}' --max-time 30 "$url")"
[ "$status" = "200" ] || die "GET $url returned HTTP $status"
page_bytes="$(wc -c <"$tmp/page.html")"
articles="$({ grep -o '<article' "$tmp/page.html" || true; } | wc -l)"
page_kb="$(awk -v b="$page_bytes" 'BEGIN { printf "%.1f", b / 1024 }')"

# --- load --------------------------------------------------------------------
echo "==> warm-up (3 s)"
wrk -t2 -c"$CONNS" -d3s "$url" >/dev/null

# A guest posting through the page's own form (no cookie: the origin check lets it in).
writer() {
    local stamp n=0 code
    stamp="$(sed -n 's/.*name="form_stamp" value="\([^"]*\)".*/\1/p' "$tmp/page.html" | head -n 1)"
    while [ ! -e "$tmp/writer.stop" ]; do
        n=$((n + 1))
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Origin: $BASE" \
            --data-urlencode "name=Bench writer" --data-urlencode "email=writer@example.org" \
            --data-urlencode "body=New comment $n, posted while the page is read" \
            --data-urlencode "form_stamp=$stamp" --data-urlencode "website=" \
            "$url/comments" || true)"
        echo "$n $code" >>"$tmp/writes"
        sleep "$(awk -v ms="$NEW_COMMENT_EVERY_MS" 'BEGIN { printf "%.3f", ms / 1000 }')"
    done
}

# The server's CPU time so far (user + system, in clock ticks).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
ticks_before="$(cpu_ticks)"
echo "==> wrk -t2 -c$CONNS -d${DURATION}s --latency $url"
wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$url" >"$tmp/wrk.out" 2>&1 &
wrk_pid=$!
writer_pid=""
if [ -n "${NEW_COMMENT_EVERY_MS:-}" ]; then
    : >"$tmp/writes"
    writer &
    writer_pid=$!
fi

rss_peak_kb=0
while kill -0 "$wrk_pid" 2>/dev/null; do
    rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || true)"
    if [ -n "$rss_kb" ] && [ "$rss_kb" -gt "$rss_peak_kb" ]; then
        rss_peak_kb="$rss_kb"
    fi
    sleep 0.2
done
wrk_rc=0
wait "$wrk_pid" || wrk_rc=$?
ticks_after="$(cpu_ticks)"
cat "$tmp/wrk.out"
written="" last_seen=""
if [ -n "$writer_pid" ]; then
    touch "$tmp/writer.stop"
    wait "$writer_pid" || true
    written="$(awk '$2 == 303 { n++ } END { print n + 0 }' "$tmp/writes")"
    refused="$(awk '$2 != 303 { n++ } END { print n + 0 }' "$tmp/writes")"
    last="$(awk '$2 == 303 { n = $1 } END { print n }' "$tmp/writes")"
    last_seen="no"
    if [ -n "$last" ] && curl -s --max-time 30 "$url" | grep -q "New comment $last, posted"; then last_seen="yes"; fi
fi
[ "$wrk_rc" -eq 0 ] || die "wrk exited with status $wrk_rc"
kill -0 "$server_pid" 2>/dev/null || die "server died during the run"

hwm_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || echo 0)"

# The same bytes from nginx, in the same run, as the yardstick: a static file served
# by a web server built for it, on the same machine with the same wrk settings.
nginx_rps=""
if [ -z "${NO_NGINX:-}" ]; then
    if ! command -v nginx >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        echo "==> installing nginx"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx </dev/null >/dev/null 2>&1 || true
    fi
    if command -v nginx >/dev/null 2>&1; then
        nginx_port=$((PORT + 1))
        mkdir -p "$tmp/nginx/logs" "$tmp/nginx/www"
        cp "$tmp/page.html" "$tmp/nginx/www/page.html"
        # nginx's workers run as nobody: let them read the page (mktemp made the folder 0700).
        chmod 755 "$tmp" "$tmp/nginx" "$tmp/nginx/www"
        chmod 644 "$tmp/nginx/www/page.html"
        cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx;
    uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
    server {
        listen ${HOST}:${nginx_port};
        location / { root $tmp/nginx/www; default_type text/html; }
    }
}
CONF
        nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
        nginx_pid=$!
        sleep 0.5
        echo "==> nginx, the same page as a static file: wrk -t2 -c$CONNS -d${DURATION}s"
        wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "http://${HOST}:${nginx_port}/page.html" >"$tmp/wrk-nginx.out" 2>&1 || true
        kill -TERM "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
        nginx_rps="$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk-nginx.out")"
        if grep -q "Non-2xx" "$tmp/wrk-nginx.out"; then
            echo "==> nginx answered errors; its figure is left out:" >&2
            cat "$tmp/wrk-nginx.out" >&2
            nginx_rps=""
        fi
    else
        echo "==> nginx not available: no yardstick (set NO_NGINX=1 to skip it quietly)"
    fi
fi

rps="$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk.out")"
requests="$(awk '/requests in/ { print $1 }' "$tmp/wrk.out")"
cpu_ms="$(awk -v t="$((ticks_after - ticks_before))" -v hz="$(getconf CLK_TCK)" -v n="${requests:-0}" \
    'BEGIN { if (n > 0) printf "%.2f", t / hz * 1000 / n; else print "?" }')"
p50="$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.out")"
p99="$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out")"
non2xx="$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$tmp/wrk.out")"
sock_err="$(sed -n 's/^ *Socket errors: *//p' "$tmp/wrk.out")"
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

echo
echo "==> summary"
printf '%-22s %s\n' "database" "$db_desc"
printf '%-22s %s\n' "url" "$url"
printf '%-22s %s\n' "demo comments" "$COMMENTS"
printf '%-22s %s\n' "<article> on page" "$articles"
printf '%-22s %s KB\n' "page size" "$page_kb"
printf '%-22s %s\n' "connections" "$CONNS"
printf '%-22s %s s\n' "duration" "$DURATION"
printf '%-22s %s\n' "requests/s" "${rps:-?}"
printf '%-22s %s ms\n' "server CPU/request" "$cpu_ms"
printf '%-22s %s\n' "latency p50" "${p50:-?}"
printf '%-22s %s\n' "latency p99" "${p99:-?}"
printf '%-22s %s\n' "non-2xx/3xx" "${non2xx:-0}"
if [ -n "$sock_err" ]; then
    printf '%-22s %s\n' "socket errors" "$sock_err"
fi
if [ -n "$written" ]; then
    printf '%-22s %s (every %s ms; %s refused)\n' "comments posted" "$written" "$NEW_COMMENT_EVERY_MS" "$refused"
    printf '%-22s %s\n' "last one on the page" "$last_seen"
fi
printf '%-22s %s MB\n' "peak RSS during run" "$(mb "$rss_peak_kb")"
printf '%-22s %s MB\n' "peak RSS (VmHWM)" "$(mb "${hwm_kb:-0}")"
if [ -n "$nginx_rps" ]; then
    printf '%-22s %s\n' "nginx requests/s" "$nginx_rps"
    printf '%-22s %s\n' "share of nginx" "$(awk -v a="${rps:-0}" -v n="$nginx_rps" 'BEGIN { printf "%.2f", a / n }')"
fi
