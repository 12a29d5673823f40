"""The largest file accepted, set once for the web app and the command line.

Besides its size on disk, a file is bounded by what it expands to, whatever its format: a
small file can hold millions of rows (a zipped workbook, or a text file of short lines), and
reading them takes time and memory far beyond their bytes. Readers count rows and cells as
they go and stop at :data:`MAX_ROWS` rows or :data:`MAX_CELLS` cells, so that no more than
that is ever held.

Streamlit's ``server.maxUploadSize`` (in ``.streamlit/config.toml``, or the environment variable
``STREAMLIT_SERVER_MAX_UPLOAD_SIZE`` that Streamlit also reads) is the setting; the loader reads
the same value, so a file the app takes is one the command line takes, and the other way round.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
STREAMLIT_DEFAULT_MB = 200
# As many rows as an Excel sheet holds: a zone's extract, even every year of a national one
# (about 470 000 rows), is far below it.
MAX_ROWS = 1_048_576
# Every cell read from a text file, filled or empty (a million people with twenty columns).
MAX_CELLS = 20_000_000


def upload_limit_mb(config: Path = CONFIG) -> int:
    """Megabytes: the environment's setting, else the config file's, else Streamlit's default."""
    configured = os.environ.get("STREAMLIT_SERVER_MAX_UPLOAD_SIZE")
    if configured and configured.strip().isdigit():
        return int(configured)
    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return STREAMLIT_DEFAULT_MB
    return int(settings.get("server", {}).get("maxUploadSize", STREAMLIT_DEFAULT_MB))
