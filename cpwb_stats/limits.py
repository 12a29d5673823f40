"""The largest file accepted, set once for the web app and the command line.

Streamlit's ``server.maxUploadSize`` (in ``.streamlit/config.toml``, or the environment variable
``STREAMLIT_SERVER_MAX_UPLOAD_SIZE`` that Streamlit also reads) is the setting; the loader reads
the same value, so a file the app takes is one the command line takes, and the other way round.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
STREAMLIT_DEFAULT_MB = 200


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
