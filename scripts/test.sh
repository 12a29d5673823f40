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
# The zone report: WeasyPrint needs Pango and fonts, the report test reads PDFs with pdftotext.
report_packages=""
command -v pdftotext >/dev/null 2>&1 || report_packages="poppler-utils"
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0; do
  ldconfig -p | grep -q "$lib" || report_packages="$report_packages libpango-1.0-0 libpangoft2-1.0-0"
done
fc-list | grep -qi dejavu || report_packages="$report_packages fonts-dejavu-core"
if [ -n "$report_packages" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $report_packages >/dev/null
fi
.venv/bin/ruff check .
pgdir="$(mktemp -d /tmp/cpwb-postgres.XXXXXX)"
trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
CPWB_TEST_POSTGRES_URL="$(bash scripts/postgres.sh start "$pgdir")"
export CPWB_TEST_POSTGRES_URL
.venv/bin/python -m pytest "$@"
