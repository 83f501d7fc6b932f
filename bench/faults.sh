#!/usr/bin/env bash
# Fault tests (issue 12): runs each fault below against `answerable serve` on SQLite (a
# temporary file) and on PostgreSQL (a fresh database per test, created under
# PG_ADMIN_URL and dropped at the end), and prints one table:
#     backend | test | expected | measured | pass/FAIL
# The exit status is non-zero if any row failed.
#
#   kill -9 of serve during ~100 comments/s, each owing an email; restart, drain
#   SMTP down, then up (every message delivered exactly once)
#   a long SMTP outage with few attempts allowed (no message dead)
#   slow (1 s/message) and silent SMTP while 20 clients read and post, against a baseline
#   a lease shorter than a batch (no duplicates)
#   two `serve` and one `mail-worker` on one PostgreSQL database (no duplicates)
#   a NUL byte in a comment (the form and the JSON API)
#   a chain of 1,000 replies
#   a read-only database
#   DATABASE_URL='' and an unreachable PostgreSQL
#
# Helpers: bench/faults/smtp_sink.py (an asyncio ESMTP sink that records each delivered
# Message-ID), bench/faults/load.py (threads + http.client: posts comments like a browser,
# with its Origin header, and the CSRF field and cookie only when the page has them),
# bench/faults/check.py (database queries, outbox vs sink),
# bench/faults/verdict.py (each row's pass/FAIL and measured words, with
# bench/faults/common.py), bench/lib.sh (the shell functions it shares with the other
# bench/ scripts).
# Needs only bash, curl, psql and Python 3.11 (stdlib). Only ever talks to 127.0.0.1, on
# free ports.
#
# Environment (all optional):
#   BACKENDS        which backends, in order               (default "sqlite postgres")
#   TESTS           which tests                             (default: all of
#                   "kill smtp-down outage slow lease multi nul depth readonly config")
#   PG_ADMIN_URL    where test databases are created        (default postgres://postgres@127.0.0.1:5432/postgres)
#   ANSWERABLE_BIN  use this binary instead of building target/release/answerable
#   LOAD_SECONDS    length of each 20-client run             (default 15)
#   KILL_RATE       comments per second in the kill test     (default 100)
#   DEPTH           replies in the chain                     (default 1000)
#   FAULTS_RUST_LOG RUST_LOG of the servers                  (default warn)
# Any other ANSWERABLE_* or DATABASE_URL in the caller's environment is ignored.
#
# Takes about 4 minutes for both backends on the 2-core development machine (about 2
# per backend); every wait has a timeout, so a hung fault costs at most a few minutes.
# Logs of each process, the sinks' records and the JSON of every measurement stay in the
# temporary directory printed at the start (and at the end).
set -euo pipefail

BACKENDS="${BACKENDS:-sqlite postgres}"
TESTS="${TESTS:-kill smtp-down outage slow lease multi nul depth readonly config}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
LOAD_SECONDS="${LOAD_SECONDS:-15}"
KILL_RATE="${KILL_RATE:-100}"
DEPTH="${DEPTH:-1000}"
bin="${ANSWERABLE_BIN:-}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
positive_ints faults LOAD_SECONDS KILL_RATE DEPTH
for be in $BACKENDS; do
    case "$be" in sqlite | postgres) ;; *) echo "faults: BACKENDS: unknown backend '$be'" >&2; exit 2 ;; esac
done

helpers="$here/faults"
cd "$here/.."

# The servers' settings are set here and per test, never inherited.
clear_app_env

# --- build ---------------------------------------------------------------------------
build_bin nice -n 19 cargo build --release
need_bin faults
command -v curl >/dev/null || { echo "faults: curl is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "faults: python3 is required" >&2; exit 1; }
if [[ " $BACKENDS " == *" postgres "* ]]; then
    command -v psql >/dev/null || { echo "faults: psql is required for the postgres backend" >&2; exit 1; }
    psql -X -q "$PG_ADMIN_URL" -c "SELECT 1" >/dev/null ||
        { echo "faults: cannot reach PostgreSQL at $PG_ADMIN_URL" >&2; exit 1; }
fi

# fd 3: the script's own output, for the clean-up's words wherever the trap fires.
exec 3>&1
tmp="$(mktemp -d -t answerable-faults.XXXXXX)"
logs="$tmp/logs"
mkdir -p "$logs" "$tmp/data"
echo "==> binary $bin"
echo "==> logs, sink records and measurements in $tmp"
# Serve runs from here, so the read-only test can tell that a `file:` URL makes no
# folder named `file:` in the working directory (it once did).
cd "$tmp"
printf 'A post for the fault tests.\n\nIs the library open on Sundays?\n' >"$tmp/post.md"
started_at=$(date +%s)

pids=()
pg_dbs=()
results="$tmp/results.tsv"
: >"$results"

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_started
    local db
    for db in "${pg_dbs[@]}"; do
        psql -X -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    echo "==> logs kept in $tmp" >&3
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

check() { timeout 150 python3 "$helpers/check.py" "$@"; }

# drained DB SECONDS: waits until no outbox row is pending; sets DRAIN to the seconds it
# took (-1 on timeout)
drained() {
    DRAIN=-1
    bg check wait-drained "$1" --timeout "$2" >"$tmp/drained.out"
    DRAIN="$(cat "$tmp/drained.out")"
}

# drained_mail TAG SECONDS: drained "$DB" SECONDS, then outbox vs the sink TAG's record
# in $tmp/TAG.mail.json
drained_mail() {
    drained "$DB" "$2"
    check mail "$DB" --record "$tmp/$1.ids" >"$tmp/$1.mail.json"
}

load() { python3 "$helpers/load.py" "$@"; }

# result BACKEND TEST EXPECTED MEASURED OK(1 or anything else)
result() {
    local verdict=FAIL
    [ "$5" = 1 ] && verdict=pass
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$verdict" >>"$results"
    printf '    %-4s  %s: %s\n' "$verdict" "$2" "$4"
}

# new_db BACKEND TAG: sets DB to a fresh, empty database
new_db() {
    case "$1" in
        sqlite) DB="sqlite://$tmp/$2.db" ;;
        postgres)
            local name="answerable_faults_$$_${2//-/_}"
            pg_create "$name" || return 1
            pg_dbs+=("$name")
            PG_NAME="$name"
            DB="${PG_ADMIN_URL%/*}/$name"
            ;;
    esac
}

# start_serve TAG DB PORT [VAR=VALUE...]: sets SERVE_PID; fails if it does not answer
start_serve() {
    local tag="$1" db="$2" port="$3"
    shift 3
    env DATABASE_URL="$db" ANSWERABLE_DATA_DIR="$tmp/data" ANSWERABLE_BIND="127.0.0.1:$port" \
        ANSWERABLE_BASE_URL="http://127.0.0.1:$port" "$@" "$bin" serve >>"$logs/$tag.log" 2>&1 </dev/null &
    SERVE_PID=$!
    pids+=("$SERVE_PID")
    echo "      serve $tag: pid $SERVE_PID, port $port, log $logs/$tag.log"
    wait_http "http://127.0.0.1:$port/healthz" "$SERVE_PID" 30
}

# restart_serve TAG [VAR=VALUE...]: the second server of a test, TAG-2, on DB and a new port
restart_serve() {
    local tag="$1" port
    shift
    port=$(free_port)
    start_serve "$tag-2" "$DB" "$port" "$@"
}

# start_sink TAG PORT [--delay S | --silent]: sets SINK_PID; records to $tmp/TAG.ids
start_sink() {
    local tag="$1" port="$2" i
    shift 2
    rm -f "$tmp/$tag.ready"
    python3 "$helpers/smtp_sink.py" --port "$port" --record "$tmp/$tag.ids" --ready "$tmp/$tag.ready" "$@" \
        >>"$logs/$tag.sink.log" 2>&1 </dev/null &
    SINK_PID=$!
    pids+=("$SINK_PID")
    touch "$tmp/$tag.ids"
    for ((i = 0; i < 50; i++)); do
        [ -f "$tmp/$tag.ready" ] && return 0
        kill -0 "$SINK_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# The settings every server runs with: no rate limits or spam timer (all load comes
# from 127.0.0.1 and posts at once), quick mail polling, one secret for all instances.
export ANSWERABLE_SECRET="faults-secret-faults-secret-faults-secret-0123"
export ANSWERABLE_COMMENTS_PER_MINUTE=1000000 ANSWERABLE_COMMENTS_PER_DAY=1000000
export ANSWERABLE_EMAILS_PER_HOUR=1000000 ANSWERABLE_MIN_FORM_SECONDS=0
export ANSWERABLE_REGISTRATIONS_PER_HOUR=1000000 ANSWERABLE_MAIL_POLL_MS=200
export RUST_LOG="${FAULTS_RUST_LOG:-warn}"

setup_failed() { # setup_failed BACKEND TEST EXPECTED WHAT
    result "$1" "$2" "$3" "not measured: $4 failed (see $logs)" 0
    stop_started
}

# verdict BACKEND TEST EXPECTED KIND name=VALUE...: the row, from bench/faults/verdict.py
verdict() {
    local out
    out="$(python3 "$helpers/verdict.py" "${@:4}" 2>>"$logs/verdict.err")" ||
        out=$'0\tno measurement (verdict.py failed, see logs/verdict.err)'
    result "$1" "$2" "$3" "${out#*$'\t'}" "${out%%$'\t'*}"
}

# post_comments NAME BASE SLUG RATE SECONDS THREADS [more load.py args]: JSON in $tmp/NAME.load.json
post_comments() {
    local name="$1" base="$2" slug="$3" rate="$4" duration="$5" threads="$6"
    shift 6
    timeout $((duration + 60)) python3 "$helpers/load.py" post --base "$base" --slug "$slug" --rate "$rate" \
        --duration "$duration" --threads "$threads" --prefix "$name" "$@" \
        >"$tmp/$name.load.json" 2>>"$logs/$name.load.err" || true
}

# --- 1. kill -9 of serve during ~100 comments/s --------------------------------------
test_kill() {
    local be="$1" name="kill -9 serve at ${KILL_RATE} comments/s" tag="$1-kill"
    local expected="0 accepted comments lost; 0 owed emails lost; dup <= 16 (concurrency)"
    local sink port load_pid pending_at_kill drain
    new_db "$be" kill && make_post "$DB" "Kill nine" || { setup_failed "$be" "$name" "$expected" "database"; return; }
    sink=$(free_port)
    start_sink "$tag" "$sink" || { setup_failed "$be" "$name" "$expected" "sink"; return; }
    # A 10 s lease (not 5 min) so that what the killed server held is sent within the
    # test; the SMTP timeout at 4 s keeps the lease at least two timeouts long.
    local envs=(ANSWERABLE_SMTP_URL="smtp://127.0.0.1:$sink" ANSWERABLE_MAIL_LEASE_MS=10000
        ANSWERABLE_SMTP_TIMEOUT_MS=4000)
    port=$(free_port)
    start_serve "$tag-1" "$DB" "$port" "${envs[@]}" || { setup_failed "$be" "$name" "$expected" "serve"; return; }
    : >"$tmp/$tag.accepted"
    post_comments "$tag" "http://127.0.0.1:$port" "$SLUG" "$KILL_RATE" 6 12 --accepted "$tmp/$tag.accepted" &
    load_pid=$!
    pids+=("$load_pid")
    sleep 3
    kill -KILL "$SERVE_PID" 2>/dev/null
    wait "$SERVE_PID" 2>/dev/null
    forget "$SERVE_PID"
    echo "      kill -9 $SERVE_PID"
    pending_at_kill="$(check sql "$DB" "SELECT count(*) FROM outbox WHERE status = 'pending'" 2>/dev/null || echo '?')"
    wait "$load_pid"
    forget "$load_pid"
    restart_serve "$tag" "${envs[@]}" || { setup_failed "$be" "$name" "$expected" "restart after kill -9"; return; }
    drained_mail "$tag" 90
    drain="$DRAIN"
    check comments "$DB" --ids "$tmp/$tag.accepted" >"$tmp/$tag.comments.json"
    stop_started
    verdict "$be" "$name" "$expected" kill l="$tmp/$tag.load.json" c="$tmp/$tag.comments.json" \
        m="$tmp/$tag.mail.json" pending_at_kill="$pending_at_kill" drain="$drain"
}

# --- 2 and 3. SMTP down, then up -----------------------------------------------------
# smtp_outage BACKEND TAG NAME EXPECTED DOWN_SECONDS [VAR=VALUE...]
smtp_outage() {
    local be="$1" name="$3" expected="$4" down="$5" tag="$1-$2"
    local sink port drain attempts
    new_db "$be" "$2" && make_post "$DB" "Outage $2" || { setup_failed "$be" "$name" "$expected" "database"; return; }
    shift 5
    sink=$(free_port) # nothing listens there yet
    port=$(free_port)
    start_serve "$tag" "$DB" "$port" ANSWERABLE_SMTP_URL="smtp://127.0.0.1:$sink" "$@" ||
        { setup_failed "$be" "$name" "$expected" "serve"; return; }
    bg post_comments "$tag" "http://127.0.0.1:$port" "$SLUG" 20 2 2
    sleep "$down"
    start_sink "$tag" "$sink" || { setup_failed "$be" "$name" "$expected" "sink"; return; }
    drained_mail "$tag" 60
    drain="$DRAIN"
    attempts="$(check sql "$DB" "SELECT coalesce(max(attempts), 0) FROM outbox" 2>/dev/null || echo '?')"
    stop_started
    verdict "$be" "$name" "$expected" outage l="$tmp/$tag.load.json" m="$tmp/$tag.mail.json" \
        attempts="$attempts" drain="$drain"
}

test_smtp_down() {
    smtp_outage "$1" smtpdown "SMTP down 4 s, then up" \
        "every message delivered exactly once; no attempt counted while down" 4 \
        ANSWERABLE_MAIL_RETRY_MS=500 ANSWERABLE_MAIL_RETRY_CAP_MS=2000
}

test_outage() {
    smtp_outage "$1" outage "SMTP down 5 s, MAX_ATTEMPTS=3 (retry 50-200 ms)" \
        "0 dead; every message delivered exactly once; no attempt counted while down" 5 \
        ANSWERABLE_MAIL_MAX_ATTEMPTS=3 ANSWERABLE_MAIL_RETRY_MS=50 ANSWERABLE_MAIL_RETRY_CAP_MS=200
}

# --- 4. slow and silent SMTP while 20 clients read and post --------------------------
# mixed_run BACKEND TAG [sink args]: 20 clients for LOAD_SECONDS; JSON in $tmp/BACKEND-TAG.mixed.json
mixed_run() {
    local be="$1" tag="$1-$2" sink port
    new_db "$be" "$2" && make_post "$DB" "Readers $2" || return 1
    shift 2
    sink=$(free_port)
    start_sink "$tag" "$sink" "$@" || return 1
    port=$(free_port)
    # The default ANSWERABLE_MAIL_CONCURRENCY (16) and ANSWERABLE_POOL_SIZE (16): that is the fault.
    start_serve "$tag" "$DB" "$port" ANSWERABLE_SMTP_URL="smtp://127.0.0.1:$sink" || return 1
    bg timeout $((LOAD_SECONDS + 90)) python3 "$helpers/load.py" mixed --base "http://127.0.0.1:$port" --slug "$SLUG" \
        --clients 20 --duration "$LOAD_SECONDS" --prefix "$tag" \
        >"$tmp/$tag.mixed.json" 2>>"$logs/$tag.load.err"
    stop_started
}

test_slow() {
    local be="$1" name expected
    name="20 clients ${LOAD_SECONDS} s, fast SMTP (baseline)"
    expected="no 5xx; /healthz 200 every time"
    if mixed_run "$be" baseline; then
        verdict "$be" "$name" "$expected" baseline r="$tmp/$be-baseline.mixed.json"
    else
        setup_failed "$be" "$name" "$expected" "setup"
    fi
    expected="no 503/5xx; /healthz 200 every time; GET p99 <= 2x baseline"
    name="20 clients ${LOAD_SECONDS} s, SMTP 1 s/message"
    if mixed_run "$be" slow --delay 1; then
        verdict "$be" "$name" "$expected" degraded r="$tmp/$be-slow.mixed.json" b="$tmp/$be-baseline.mixed.json"
    else
        setup_failed "$be" "$name" "$expected" "setup"
    fi
    name="20 clients ${LOAD_SECONDS} s, silent SMTP"
    if mixed_run "$be" silent --silent; then
        verdict "$be" "$name" "$expected" degraded r="$tmp/$be-silent.mixed.json" b="$tmp/$be-baseline.mixed.json"
    else
        setup_failed "$be" "$name" "$expected" "setup"
    fi
}

# --- 5. lease shorter than a batch ---------------------------------------------------
test_lease() {
    local be="$1" name="lease 3 s < batch (SMTP 0.5 s/message, ~140 owed)" tag="$1-lease"
    local expected="0 duplicates: deliveries = distinct = owed"
    local sink port drain
    new_db "$be" lease && make_post "$DB" "Short lease" || { setup_failed "$be" "$name" "$expected" "database"; return; }
    sink=$(free_port)
    start_sink "$tag" "$sink" --delay 0.5 || { setup_failed "$be" "$name" "$expected" "sink"; return; }
    # Leases are per message claim and renewed after each message; 3 s is still shorter
    # than a batch of 20 at 0.5 s each. The SMTP timeout (1.5 s) keeps lease >= 2 x timeout.
    local envs=(ANSWERABLE_SMTP_URL="smtp://127.0.0.1:$sink" ANSWERABLE_MAIL_LEASE_MS=3000
        ANSWERABLE_SMTP_TIMEOUT_MS=1500)
    # The messages are owed first (no worker), so the senders find full batches.
    port=$(free_port)
    start_serve "$tag-1" "$DB" "$port" "${envs[@]}" ANSWERABLE_MAIL_WORKER=off ||
        { setup_failed "$be" "$name" "$expected" "serve"; return; }
    bg post_comments "$tag" "http://127.0.0.1:$port" "$SLUG" 70 2 4
    stop_pid "$SERVE_PID"
    forget "$SERVE_PID"
    restart_serve "$tag" "${envs[@]}" || { setup_failed "$be" "$name" "$expected" "serve"; return; }
    drained_mail "$tag" 120
    drain="$DRAIN"
    stop_started
    verdict "$be" "$name" "$expected" lease m="$tmp/$tag.mail.json" drain="$drain"
}

# --- 6. two serve + one mail-worker on one PostgreSQL --------------------------------
test_multi() {
    local be="$1" name="2 serve + 1 mail-worker on one database" tag="$1-multi"
    local expected="0 duplicates; all delivered"
    [ "$be" = postgres ] || return 0
    local sink port_a port_b worker_pid drain load_a load_b
    new_db "$be" multi && make_post "$DB" "Many workers" || { setup_failed "$be" "$name" "$expected" "database"; return; }
    sink=$(free_port)
    start_sink "$tag" "$sink" --delay 0.02 || { setup_failed "$be" "$name" "$expected" "sink"; return; }
    local envs=(ANSWERABLE_SMTP_URL="smtp://127.0.0.1:$sink")
    port_a=$(free_port)
    start_serve "$tag-a" "$DB" "$port_a" "${envs[@]}" || { setup_failed "$be" "$name" "$expected" "serve A"; return; }
    port_b=$(free_port)
    start_serve "$tag-b" "$DB" "$port_b" "${envs[@]}" || { setup_failed "$be" "$name" "$expected" "serve B"; return; }
    env DATABASE_URL="$DB" ANSWERABLE_DATA_DIR="$tmp/data" "${envs[@]}" "$bin" mail-worker \
        >>"$logs/$tag-worker.log" 2>&1 </dev/null &
    worker_pid=$!
    pids+=("$worker_pid")
    echo "      mail-worker: pid $worker_pid, log $logs/$tag-worker.log"
    sleep 1
    kill -0 "$worker_pid" 2>/dev/null || { setup_failed "$be" "$name" "$expected" "mail-worker"; return; }
    post_comments "$tag-a" "http://127.0.0.1:$port_a" "$SLUG" 40 4 4 &
    load_a=$!
    post_comments "$tag-b" "http://127.0.0.1:$port_b" "$SLUG" 40 4 4 &
    load_b=$!
    pids+=("$load_a" "$load_b")
    wait "$load_a" "$load_b"
    forget "$load_a"
    forget "$load_b"
    drained_mail "$tag" 90
    drain="$DRAIN"
    stop_started
    verdict "$be" "$name" "$expected" multi a="$tmp/$tag-a.load.json" b="$tmp/$tag-b.load.json" \
        m="$tmp/$tag.mail.json" drain="$drain"
}

# --- 7. NUL byte ---------------------------------------------------------------------
test_nul() {
    local be="$1" tag="$1-nul" name="NUL byte: form body=a%00b" name_api='NUL byte: API {"body": "a\u0000b"}'
    local expected="4xx (422) naming the field, text kept, nothing stored"
    local expected_api="4xx (422) naming body, nothing stored"
    local port stored stored_api password="fault-tests-password-123"
    if ! { new_db "$be" nul && make_post "$DB" "Nul bytes"; }; then
        setup_failed "$be" "$name" "$expected" "database"
        result "$be" "$name_api" "$expected_api" "not measured" 0
        return
    fi
    printf '%s\n' "$password" | env DATABASE_URL="$DB" ANSWERABLE_DATA_DIR="$tmp/data" RUST_LOG=warn \
        "$bin" user create --email api-tester@example.org --name "API Tester" --password-stdin \
        >>"$logs/$tag.cli.log" 2>&1
    port=$(free_port)
    if ! start_serve "$tag" "$DB" "$port"; then
        setup_failed "$be" "$name" "$expected" "serve"
        result "$be" "$name_api" "$expected_api" "not measured" 0
        return
    fi
    bg timeout 60 python3 "$helpers/load.py" form --base "http://127.0.0.1:$port" --slug "$SLUG" --body-raw 'a%00b' \
        --expect-regex 'a.{0,8}b' --save "$tmp/$tag.form.html" >"$tmp/$tag.form.json" 2>>"$logs/$tag.load.err"
    stored="$(check sql "$DB" "SELECT count(*) FROM comments" 2>/dev/null || echo '?')"
    bg timeout 60 python3 "$helpers/load.py" api --base "http://127.0.0.1:$port" --slug "$SLUG" \
        --email api-tester@example.org --password "$password" --json '{"body": "a\u0000b"}' \
        >"$tmp/$tag.api.json" 2>>"$logs/$tag.load.err"
    stored_api="$(check sql "$DB" "SELECT count(*) FROM comments" 2>/dev/null || echo '?')"
    stop_started
    verdict "$be" "$name" "$expected" nul_form f="$tmp/$tag.form.json" stored="$stored"
    verdict "$be" "$name_api" "$expected_api" nul_api a="$tmp/$tag.api.json" before="$stored" after="$stored_api"
}

# --- 8. a chain of DEPTH replies -----------------------------------------------------
test_depth() {
    local be="$1" tag="$1-depth" name="chain of $DEPTH replies (HTML form)"
    local expected="every reply 303, 0 5xx; deepest stored depth <= 100 (deeper ones attached one level up)"
    local port deepest alive=yes
    new_db "$be" depth && make_post "$DB" "Deep thread" || { setup_failed "$be" "$name" "$expected" "database"; return; }
    port=$(free_port)
    start_serve "$tag" "$DB" "$port" || { setup_failed "$be" "$name" "$expected" "serve"; return; }
    bg timeout 600 python3 "$helpers/load.py" chain --base "http://127.0.0.1:$port" --slug "$SLUG" --depth "$DEPTH" \
        >"$tmp/$tag.json" 2>>"$logs/$tag.load.err"
    kill -0 "$SERVE_PID" 2>/dev/null || alive="no (it died)"
    deepest="$(check sql "$DB" "SELECT coalesce(max(depth), -1) FROM comments" 2>/dev/null || echo '?')"
    stop_started
    verdict "$be" "$name" "$expected" depth c="$tmp/$tag.json" wanted="$DEPTH" deepest="$deepest" alive="$alive"
}

# --- 9. read-only database -----------------------------------------------------------
test_readonly() {
    local be="$1" tag="$1-readonly" name="read-only database"
    local expected="comment POST 503 with the text kept; /healthz 503 saying writes fail"
    [ "$be" = sqlite ] && expected+="; no file: folder made"
    local port marker="Read-only check $RANDOM$RANDOM" health_code health_body stored
    new_db "$be" readonly && make_post "$DB" "Read only" || { setup_failed "$be" "$name" "$expected" "database"; return; }
    port=$(free_port)
    start_serve "$tag-rw" "$DB" "$port" || { setup_failed "$be" "$name" "$expected" "serve"; return; }
    if [ "$be" = sqlite ]; then
        # We run as root, so chmod would not stop writes: open the file read-only instead.
        stop_started
        port=$(free_port)
        start_serve "$tag-ro" "file:${DB#sqlite://}?mode=ro" "$port" ||
            { setup_failed "$be" "$name" "$expected" "serve on file:...?mode=ro"; return; }
    else
        psql -X -q "$PG_ADMIN_URL" -c "ALTER DATABASE $PG_NAME SET default_transaction_read_only = on" >/dev/null
        pg_terminate "$PG_NAME"
    fi
    local base="http://127.0.0.1:$port"
    health_code="$(curl -s -o "$tmp/$tag.health" -w '%{http_code}' --max-time 15 "$base/healthz")"
    health_body="$(head -c 200 "$tmp/$tag.health" 2>/dev/null | tr -s '\r\n' '  ')"
    bg timeout 60 python3 "$helpers/load.py" form --base "$base" --slug "$SLUG" --body-raw "${marker// /+}" \
        --expect-regex "$marker" --save "$tmp/$tag.form.html" >"$tmp/$tag.form.json" 2>>"$logs/$tag.load.err"
    local after=()
    if [ "$be" = postgres ]; then
        psql -X -q "$PG_ADMIN_URL" -c "ALTER DATABASE $PG_NAME RESET default_transaction_read_only" >/dev/null
        pg_terminate "$PG_NAME"
        # Not part of the verdict: does the server write again once the database does?
        bg timeout 60 python3 "$helpers/load.py" form --base "$base" --slug "$SLUG" --body-raw "Writable+again" \
            >"$tmp/$tag.after.json" 2>>"$logs/$tag.load.err"
        after=(after="$tmp/$tag.after.json")
    fi
    stored="$(check sql "$DB" "SELECT count(*) FROM comments WHERE body_md LIKE 'Read-only check%'" 2>/dev/null || echo '?')"
    stop_started
    [ "$be" = sqlite ] && { if [ -e "$tmp/file:" ]; then after+=(file_folder=yes); else after+=(file_folder=no); fi; }
    verdict "$be" "$name" "$expected" readonly f="$tmp/$tag.form.json" health_code="$health_code" \
        health_body="$health_body" stored="$stored" "${after[@]}"
}

# pg_terminate DB: ends every session on DB, so the app's pool reconnects
pg_terminate() {
    psql -X -q "$PG_ADMIN_URL" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$1' AND pid <> pg_backend_pid()" >/dev/null
    sleep 1
}

# --- 10. configuration ---------------------------------------------------------------
test_config_empty_url() {
    local name="DATABASE_URL='' serve" expected="exits non-zero, message names DATABASE_URL"
    local port rc=0 dir="$tmp/empty-url" measured ok=0 named=no
    mkdir -p "$dir"
    port=$(free_port)
    env DATABASE_URL= ANSWERABLE_DATA_DIR="$dir" ANSWERABLE_BIND="127.0.0.1:$port" timeout 8 "$bin" serve \
        >"$logs/empty-url.log" 2>&1 </dev/null || rc=$?
    grep -q DATABASE_URL "$logs/empty-url.log" && named=yes
    if [ "$rc" = 124 ]; then measured="still serving after 8 s (stopped by timeout)"; else measured="exit $rc"; fi
    measured+="; names DATABASE_URL: $named"
    [ -e "$dir/answerable.db" ] && measured+="; used $dir/answerable.db"
    [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$named" = yes ] && ok=1
    result "-" "$name" "$expected" "$measured" "$ok"
}

test_config_pg_unreachable() {
    local name="PostgreSQL unreachable (127.0.0.1:1)" expected="exits non-zero, exactly 1 error line"
    local port rc=0 measured ok=0 lines errors
    port=$(free_port)
    # At the default log level (RUST_LOG unset), as an operator would first run it.
    env -u RUST_LOG DATABASE_URL="postgres://postgres@127.0.0.1:1/x" ANSWERABLE_DATA_DIR="$tmp/data" \
        ANSWERABLE_BIND="127.0.0.1:$port" timeout 60 "$bin" serve >"$logs/pg-unreachable.log" 2>&1 </dev/null || rc=$?
    lines=$(wc -l <"$logs/pg-unreachable.log")
    errors=$(grep -ciE 'error|fail|refused|cannot|could not|unreachable' "$logs/pg-unreachable.log" || true)
    if [ "$rc" = 124 ]; then measured="still running after 60 s"; else measured="exit $rc"; fi
    measured+="; $errors error lines ($lines lines in all)"
    [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$errors" = 1 ] && ok=1
    result postgres "$name" "$expected" "$measured" "$ok"
}

# --- run ------------------------------------------------------------------------------
wants() { [[ " $TESTS " == *" $1 "* ]]; }

for be in $BACKENDS; do
    echo "==> $be"
    for t in kill smtp-down outage slow lease multi nul depth readonly; do
        wants "$t" || continue
        echo "  -- $t ($(($(date +%s) - started_at)) s)"
        # Each test records its own rows and carries on past a failed step (set -e is
        # off inside a function called with ||).
        "test_${t//-/_}" "$be" || true
        stop_started
    done
done
if wants config; then
    echo "==> configuration"
    test_config_empty_url || true
    if [[ " $BACKENDS " == *" postgres "* ]]; then test_config_pg_unreachable || true; fi
fi

elapsed=$(($(date +%s) - started_at))
echo
print_table "$results" backend test expected measured pass/FAIL
rows_summary "$results" "$elapsed"
