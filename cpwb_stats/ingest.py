"""Bytes in, a validation report out: the reader and the validator of each kind of extract.

Kept apart from ``pipeline`` so that checking a file loads none of the measures (SciPy) nor the
workspace (SQLAlchemy): ``python -m cpwb_stats validate`` starts fast.
"""

from __future__ import annotations

from cpwb_stats.load import read_extract
from cpwb_stats.mapping import MappingProfile
from cpwb_stats.problems import ExtractRejected
from cpwb_stats.validate import ValidationReport, failed, validate_workforce
from cpwb_stats.validate_applicants import validate_applicants
from cpwb_stats.validate_movements import validate_movements


def validate_file(content: bytes, filename: str = "", profile: MappingProfile | None = None,
                  default_zone: str | None = None, kind: str = "workforce") -> ValidationReport:
    """Read and validate an uploaded extract of the given kind; never raises on bad input."""
    kind = profile.kind if profile is not None else kind
    try:
        raw = read_extract(content, filename)
    except ExtractRejected as rejected:
        return failed(rejected.problems, kind=kind)
    if kind == "applicants":
        return validate_applicants(raw, profile, default_zone)
    if kind == "movements":
        return validate_movements(raw, profile, default_zone)
    return validate_workforce(raw, profile, default_zone)
