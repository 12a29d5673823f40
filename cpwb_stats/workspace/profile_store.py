"""Mapping profiles saved per zone in the local data folder, to be reused at the next upload.

The folder is ``$CPWB_DATA_DIR`` (default ``local_data/`` beside the project), kept out of
version control. Zone names are user input: they become a safe file name, never a path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from cpwb_stats.ingest.mapping import MappingProfile, profile_from_yaml, profile_to_yaml
from cpwb_stats.problems import ExtractRejected
from cpwb_stats.terms.vocabulary import normalise_label

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "local_data"


def data_root() -> Path:
    return Path(os.environ.get("CPWB_DATA_DIR", DEFAULT_ROOT))


def _path(root: Path, zone: str, kind: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_label(zone)).strip("-") or "unspecified"
    return root / "mappings" / slug / f"{kind}.yaml"


def save_profile(zone: str, profile: MappingProfile, root: Path | None = None) -> Path:
    path = _path(root or data_root(), zone, profile.kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(profile_to_yaml(profile), encoding="utf-8")
    temporary.replace(path)  # atomic: a reader never sees half a profile
    return path


def load_profile(zone: str, kind: str = "workforce", root: Path | None = None) -> MappingProfile | None:
    path = _path(root or data_root(), zone, kind)
    if not path.exists():
        return None
    try:
        return profile_from_yaml(path.read_text(encoding="utf-8"))
    except ExtractRejected:
        return None
