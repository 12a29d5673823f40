"""Opening the workspace: connect, migrate to the newest schema, and fill the demo zones."""

from __future__ import annotations

import os

from sqlalchemy import Engine

from cpwb_stats.demo.samples import seed_demo
from cpwb_stats.workspace.database import connect, migrate


def demo_enabled() -> bool:
    """The demo workspace is on unless ``CPWB_DEMO=0`` (for a production database, say)."""
    return os.environ.get("CPWB_DEMO", "1").strip().lower() not in ("0", "false", "no", "off")


def open_workspace(url: str | None = None, demo: bool | None = None) -> Engine:
    engine = connect(url)
    migrate(engine)
    if demo_enabled() if demo is None else demo:
        seed_demo(engine)
    return engine
