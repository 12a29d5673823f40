#!/usr/bin/env bash
# Start the dashboard on http://localhost:8501 (demo workspace with the synthetic sample zones).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
# The first administrator's one-time link, printed now rather than at the first browser visit.
PYTHONPATH=. .venv/bin/python scripts/setup_link.py "$@"
export CPWB_SETUP_LINK_SHOWN=1
exec .venv/bin/streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"
