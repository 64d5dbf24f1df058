#!/usr/bin/env bash
# Starts the task worker and the web server together; Ctrl+C stops both.
set -euo pipefail
port="${1:-8000}"
bin="$(dirname "$0")/../.venv/bin"
"$bin/leitwerk" db_worker --queue-name "*" &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
"$bin/leitwerk" runserver "127.0.0.1:${port}"
