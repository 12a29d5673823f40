#!/usr/bin/env bash
# Start the dashboard on http://localhost:8501 (demo workspace with the synthetic sample zones).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"
