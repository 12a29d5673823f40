#!/usr/bin/env bash
# Install everything the tests need (Python packages into .venv, Debian's Chromium for the
# browser test, Debian's PostgreSQL for the storage tests), then lint and run the whole suite
# with a throw-away PostgreSQL server that is stopped and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
stamp=".venv/.reference-$(sha256sum requirements-reference.txt | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --no-deps -r requirements-reference.txt
  touch "$stamp"
fi
if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check .
pgdir="$(mktemp -d /tmp/cpwb-postgres.XXXXXX)"
trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
CPWB_TEST_POSTGRES_URL="$(bash scripts/postgres.sh start "$pgdir")"
export CPWB_TEST_POSTGRES_URL
.venv/bin/python -m pytest "$@"
