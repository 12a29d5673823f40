"""Validate an applicants extract (a recruitment campaign) and normalise it to stage counts.

The contract (fields, rules, counts) is
:data:`cpwb_stats.contract.applicants.APPLICANTS_CONTRACT`; this is its entry point, run by
the contract engine.
"""

from __future__ import annotations

from collections.abc import Callable

from cpwb_stats.contract.applicants import APPLICANTS_CONTRACT, KIND, ApplicantsExtract
from cpwb_stats.contract.checks import ValidationReport
from cpwb_stats.contract.engine import validate_extract
from cpwb_stats.ingest.load import RawTable
from cpwb_stats.ingest.mapping import MappingProfile

__all__ = ["KIND", "ApplicantsExtract", "validate_applicants"]


def validate_applicants(raw: RawTable, profile: MappingProfile | None = None,
                        default_zone: str | None = None,
                        on_stage: Callable[[str], None] | None = None) -> ValidationReport:
    """Check every row of an applicants table and, when all is well, count entries per stage."""
    return validate_extract(APPLICANTS_CONTRACT, raw, profile, default_zone, on_stage)
