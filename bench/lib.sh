# Shell functions shared by the bench/ scripts (sourced, not run: `. bench/lib.sh`).
#
# Argument checks and the binary: positive_ints, clear_app_env, build_bin, need_bin.
# Processes (faults.sh, multi.sh, thread_page.sh): stop_pid, and, with the caller's array
# `pids` of the processes it started, forget, stop_started and bg; free_port, wait_http.
# The servers' data (faults.sh, multi.sh: they set bin, tmp, logs and PG_ADMIN_URL):
# pg_create, make_post. Their table: print_table, rows_summary.

# positive_ints SCRIPT VAR...: exits 2 unless each VAR holds a positive integer
positive_ints() {
    local who="$1" v
    shift
    for v in "$@"; do
        if ! [[ "${!v}" =~ ^[0-9]+$ ]] || [ "${!v}" -le 0 ]; then
            echo "$who: $v must be a positive integer (got '${!v}')" >&2
            exit 2
        fi
    done
}

# clear_app_env: unsets every ANSWERABLE_* and DATABASE_URL (the servers' settings are
# set by the script, never inherited)
clear_app_env() {
    local v
    while IFS= read -r v; do
        case "$v" in ANSWERABLE_* | DATABASE_URL) unset "$v" ;; esac
    done < <(compgen -e)
}

# build_bin BUILD-COMMAND...: unless bin is already set (from ANSWERABLE_BIN), prints
# "==> BUILD-COMMAND", runs it and sets bin to the release binary it builds
build_bin() {
    [ -z "${bin:-}" ] || return 0
    echo "==> $*"
    "$@"
    bin="${CARGO_TARGET_DIR:-target}/release/answerable"
}

# need_bin SCRIPT: exits 1 unless bin is executable; makes bin an absolute path
need_bin() {
    [ -x "$bin" ] || { echo "$1: binary not found at $bin" >&2; exit 1; }
    bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
}

stop_pid() { # stop_pid PID [seconds]: TERM, then KILL after the grace period
    local pid="$1" grace="${2:-20}" i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

forget() { # forget PID: a process already waited for (its id may be reused)
    local kept=() pid
    for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
    pids=("${kept[@]}")
}

stop_started() { # stops every process this script started and that still runs
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid" 20; done
    pids=()
}

# bg CMD...: runs CMD in the background, remembered for clean-up, and waits for it. The
# wait, unlike a foreground command, lets INT/TERM reach the script's trap at once.
bg() {
    "$@" &
    local pid=$! rc=0
    pids+=("$pid")
    wait "$pid" || rc=$?
    forget "$pid"
    return "$rc"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL PID SECONDS: until URL answers anything over HTTP (any status)
wait_http() {
    local url="$1" pid="$2" i code
    for ((i = 0; i < $3 * 5; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)"
        [ -n "$code" ] && [ "$code" != 000 ] && return 0
        sleep 0.2
    done
    return 1
}

# pg_create NAME: a fresh, empty database NAME under PG_ADMIN_URL (dropped first if left over)
pg_create() {
    psql -X -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true
    psql -X -q "$PG_ADMIN_URL" -c "CREATE DATABASE $1" >/dev/null
}

# make_post DB TITLE: migrates DB and makes an open post with the body $tmp/post.md;
# sets SLUG
make_post() {
    local out
    out="$(env DATABASE_URL="$1" ANSWERABLE_DATA_DIR="$tmp/data" RUST_LOG=warn \
        "$bin" post create --title "$2" --body-file "$tmp/post.md" 2>&1)" || {
        echo "$out" >&2
        return 1
    }
    SLUG="$(sed -n 's|.*/posts/\([^ ]*\).*|\1|p' <<<"$out" | head -n 1)"
    [ -n "$SLUG" ]
}

# print_table RESULTS [--by-number] HEAD...: the tab-separated rows of RESULTS as a
# table under HEAD (--by-number: in the order of the number the first column starts with)
print_table() {
    python3 - "$@" <<'EOF'
import re
import sys
path, head = sys.argv[1], sys.argv[2:]
rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
if head[0] == "--by-number":
    head = head[1:]
    rows.sort(key=lambda r: int(re.match(r"\d*", r[0]).group() or 99))
widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
line = lambda r: " | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
print(line(head))
print("-+-".join("-" * w for w in widths))
for r in rows:
    print(line(r))
EOF
}

# rows_summary RESULTS ELAPSED: "N of M rows passed, ..."; fails if any row failed
rows_summary() {
    local failed total
    failed=$(grep -c $'\tFAIL$' "$1" || true)
    total=$(wc -l <"$1")
    echo
    echo "$((total - failed)) of $total rows passed, $failed failed, in $2 s; logs in $tmp"
    [ "$failed" -eq 0 ]
}
