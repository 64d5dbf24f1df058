#!/usr/bin/env bash
# `make bench`: a clean PostgreSQL database, scales S and M, then `leitwerk bench --json`.
# DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/leitwerk_bench);
# it is dropped and created again, so never point it at data you want to keep.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/leitwerk_bench}"
export DJANGO_SETTINGS_MODULE=config.settings.bench
SCALES="${BENCH_SCALES:-S,M}"

$BIN/python scripts/bench_db.py "$DATABASE_URL" >&2
$BIN/leitwerk migrate --noinput --verbosity 0 >&2
for scale in ${SCALES//,/ }; do
  $BIN/leitwerk generate --scale "$scale" --seed "${BENCH_SEED:-1}" >&2
done
$BIN/leitwerk bench --scales "$SCALES" --json ${BENCH_ARGS:-}
