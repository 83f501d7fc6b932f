#!/usr/bin/env bash
# Benchmark: the email outbox. Builds and runs examples/mail_bench.rs in release mode:
# 10,000 messages queued and sent to an in-process SMTP sink (messages/s), then comment
# POST latency with the SMTP server up and down.
#
# Environment (all optional): MESSAGES (10000), POSTS (200), DATABASE_URL (a temporary
# SQLite file; a postgres:// URL must name an empty database).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec cargo run --quiet --release --example mail_bench
