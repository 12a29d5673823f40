"""Page re-render time for a zone with 100,000 stored rows, through Streamlit's AppTest.

A throw-away SQLite workspace gets one zone: ten yearly snapshots of 10,000 staff (100,000
workforce rows), their movements and 20,000 applicants. Each page is opened once (its first
render fills the caches), then a selector is changed and the page run again: the CPU time of
that run is what a user waits for. Switching to a value never seen computes its table; switching
back to one already seen is served from the cache, keyed on the stored version.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ZONE = "Zone 100k"


def _store_zone() -> None:
    from benchmarks.inputs import applicants, national_history
    from cpwb_stats.demo.startup import open_workspace
    from cpwb_stats.pipeline import store_file
    from cpwb_stats.workspace.access import Actor
    from cpwb_stats.workspace.database import database_url

    engine = open_workspace(database_url())
    actor = Actor("benchmark", "admin")
    history, movements = national_history(staff=10_000, seed=5)
    files = [(history.assign(zone=ZONE), "workforce", ","),
             (movements.assign(zone=ZONE), "movements", ","),
             (applicants(20_000, seed=6), "applicants", ";")]
    for frame, kind, sep in files:
        content = frame.to_csv(index=False, sep=sep).encode()
        report, versions = store_file(engine, actor, content, f"{kind}.csv", None, ZONE, kind)
        if not versions:
            raise SystemExit(f"{kind}: {[p.code for p in report.errors]}")


def _timed(at) -> float:
    start = time.process_time()
    at.run()
    if at.exception:
        raise SystemExit(str(at.exception[0].value))
    return time.process_time() - start


def rerender_seconds():
    """(page: selector change, CPU seconds of the run that follows it), one at a time as each is
    measured; the first view of each page (its caches filled) is reported with ``first view``."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(CPWB_DATA_DIR=folder, CPWB_DEMO="0")
        from streamlit.testing.v1 import AppTest

        from cpwb_stats.demo.startup import open_workspace
        from cpwb_stats.workspace import accounts
        from cpwb_stats.workspace.access import SYSTEM
        from cpwb_stats.workspace.database import database_url

        _store_zone()
        engine = open_workspace(database_url())
        token = accounts.create_user(engine, SYSTEM, "analyst", "admin", [])
        accounts.redeem_token(engine, token, "a long enough password for this")
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.session_state["language"] = "en"
        now = datetime.now(UTC)
        at.session_state["account"] = {"name": "analyst", "since": now, "seen": now}
        at.session_state["zone"] = ZONE
        at.run()
        opened = None
        dimensions = ("gender", "migration_background")
        for page, key, widget, values in (
                ("pages/representation.py", "dimension", "selectbox", dimensions),
                ("pages/representation.py", "denominator", "radio", ("headcount", "declared")),
                ("pages/recruitment.py", "funnel_dimension", "selectbox", dimensions),
                ("pages/retention.py", "retention_dimension", "selectbox", dimensions)):
            name = Path(page).stem.title()
            if page != opened:
                at.switch_page(page)
                yield f"{name}: first view", _timed(at)
                opened = page
            for value, seen in zip(values, ("new value", "back, cached"), strict=True):
                getattr(at, widget)(key=key).set_value(value)
                yield f"{name}: {key} -> {value} ({seen})", _timed(at)


if __name__ == "__main__":
    for label, seconds in rerender_seconds():
        if "--json" in sys.argv:  # one line a measure, so a run stopped early keeps what it has
            print(json.dumps([label, seconds]), flush=True)
        else:
            print(f"{seconds:6.2f} s  {label}", flush=True)
