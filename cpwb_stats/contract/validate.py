"""Validate: check a raw workforce table against the data contract and normalise it.

Validation is lazy: every row is checked and every problem is reported at once, with the row as
the user sees it in the file. Only a table with no errors yields counts; a failing one yields a
report and nothing else. The contract (fields, rules, counts) is
:data:`cpwb_stats.contract.workforce.WORKFORCE_CONTRACT`; this is its entry point, run by the
contract engine (:mod:`cpwb_stats.contract.engine`).
"""

from __future__ import annotations

from collections.abc import Callable

from cpwb_stats.contract.checks import ValidationReport, failed
from cpwb_stats.contract.engine import validate_extract
from cpwb_stats.contract.workforce import (
    SNAPSHOTS_A_YEAR,
    WORKFORCE_CONTRACT,
    WorkforceExtract,
)
from cpwb_stats.ingest.load import RawTable
from cpwb_stats.ingest.mapping import MappingProfile

__all__ = ["SNAPSHOTS_A_YEAR", "ValidationReport", "WorkforceExtract", "failed",
           "validate_workforce"]


def validate_workforce(raw: RawTable, profile: MappingProfile | None = None,
                       default_zone: str | None = None,
                       on_stage: Callable[[str], None] | None = None) -> ValidationReport:
    """Check every row of a workforce table and, when all is well, normalise it to counts.

    No check stops another: identifiers, formulas, unknown codes and impossible dates are all
    reported together. Only a wrong kind of file or a missing required column ends the checks
    early, since the cells cannot be read without them.
    """
    return validate_extract(WORKFORCE_CONTRACT, raw, profile, default_zone, on_stage)
