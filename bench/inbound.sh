#!/usr/bin/env bash
# Benchmark: replies by email through `answerable mail receive`, one process per
# message as an MTA's pipe transport runs it. Builds the release binary and
# examples/inbound_bench.rs, which sets up a site with MESSAGES comments routed to an
# official, pipes one official reply to each into the binary (first one at a time,
# then PARALLEL at once), and prints messages processed per second.
#
# Environment (all optional): MESSAGES (300), PARALLEL (2), ANSWERABLE_BIN (a binary
# to use instead of building one), DATABASE_URL (a temporary SQLite file by default; a
# postgres:// URL must name an empty database), PROFILE (release).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROFILE="${PROFILE:-release}"
flag=$([ "$PROFILE" = release ] && echo --release || true)
if [ -z "${ANSWERABLE_BIN:-}" ]; then
    cargo build --quiet $flag --bin answerable
    export ANSWERABLE_BIN="target/$([ "$PROFILE" = release ] && echo release || echo debug)/answerable"
fi
exec cargo run --quiet $flag --example inbound_bench
