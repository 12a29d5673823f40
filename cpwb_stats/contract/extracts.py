"""Bytes in, a validation report out: the reader and the validator of each kind of extract.

Kept apart from ``pipeline`` so that checking a file loads none of the measures (SciPy) nor the
workspace (SQLAlchemy): ``python -m cpwb_stats validate`` starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from cpwb_stats.contract.validate import ValidationReport, failed, validate_workforce
from cpwb_stats.contract.validate_applicants import validate_applicants
from cpwb_stats.contract.validate_movements import validate_movements
from cpwb_stats.ingest.load import read_extract
from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.problems import ExtractRejected, error

VALIDATORS = {"workforce": validate_workforce, "applicants": validate_applicants,
              "movements": validate_movements}


def validate_file(content: bytes, filename: str = "", profile: MappingProfile | None = None,
                  default_zone: str | None = None, kind: str = "workforce",
                  sheet: str | None = None,
                  on_stage: Callable[[str], None] | None = None) -> ValidationReport:
    """Read and validate an uploaded extract of the given kind; never raises on bad input.

    ``sheet`` chooses the sheet of a workbook (by default the first that holds a table).
    ``on_stage`` is told when each stage starts (``reading``, ``checking``, then ``counting``
    once every cell is found right), so that a page can say what a large file is waiting for.
    """
    kind = profile.kind if profile is not None else kind
    stage = on_stage or (lambda _: None)
    stage("reading")
    try:
        raw = read_extract(content, filename, sheet)
    except ExtractRejected as rejected:
        return failed(rejected.problems, kind=kind)
    stage("checking")
    validate = VALIDATORS.get(kind)
    if validate is None:  # a kind no contract declares is refused, never read as another
        return failed([error("unknown_kind", value=kind, accepted=", ".join(VALIDATORS))],
                      kind=kind)
    return _with_reader_findings(validate(raw, profile, default_zone, on_stage=stage), raw)


def _with_reader_findings(report: ValidationReport, raw) -> ValidationReport:
    """The reader's warnings and cell problems (a formula without a saved result) listed with
    every problem the checks found in the rest of the file."""
    errors = tuple(p for p in raw.problems if p.severity == "error")
    warnings = tuple(raw.warnings) + tuple(p for p in raw.problems if p.severity == "warning")
    if not errors and not warnings:
        return report
    valid = report.valid and not errors
    return replace(report, valid=valid, errors=errors + tuple(report.errors),
                   warnings=warnings + tuple(report.warnings),
                   extract=report.extract if valid else None)
