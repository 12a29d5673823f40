"""Validate a movements extract: hires, leavers with their reason, and promotions.

The contract (fields, rules, counts) is :data:`cpwb_stats.contract.movements.MOVEMENTS_CONTRACT`;
this is its entry point, run by the contract engine.
"""

from __future__ import annotations

from collections.abc import Callable

from cpwb_stats.contract.checks import ValidationReport
from cpwb_stats.contract.engine import validate_extract
from cpwb_stats.contract.movements import KIND, MOVEMENTS_CONTRACT, MovementsExtract
from cpwb_stats.contract.movements import parse_event_period as parse_event_period
from cpwb_stats.ingest.load import RawTable
from cpwb_stats.ingest.mapping import MappingProfile

__all__ = ["KIND", "MovementsExtract", "parse_event_period", "validate_movements"]


def validate_movements(raw: RawTable, profile: MappingProfile | None = None,
                       default_zone: str | None = None,
                       on_stage: Callable[[str], None] | None = None) -> ValidationReport:
    """Check every row of a movements table and, when all is well, count the events."""
    return validate_extract(MOVEMENTS_CONTRACT, raw, profile, default_zone, on_stage)
