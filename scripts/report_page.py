"""Make docs/screenshots/report_page1.png: page 1 of the Gent demo zone's report, in English.

Builds the report from a throw-away demo workspace with the command line, prints it to PDF
and turns its first page into a PNG with Debian's pdftoppm (poppler-utils).
Run: .venv/bin/python scripts/report_page.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "report_page1.png"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        env = dict(os.environ, CPWB_DATABASE_URL=f"sqlite:///{Path(folder) / 'demo.sqlite3'}",
                   CPWB_DEMO="1", PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, "-m", "cpwb_stats", "--lang", "en", "report",
                        "--stored-zone", "Gent (demo)", "--period", "2024-12-31", "-o", str(pdf)],
                       check=True, env=env, cwd=ROOT)
        stem = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(stem)], check=True)
        OUT.write_bytes(stem.with_suffix(".png").read_bytes())
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
