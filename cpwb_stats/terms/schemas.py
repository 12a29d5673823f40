"""The frames that cross a boundary, as pandera models: the vocabulary of the package.

Code refers to columns through these models (``WorkforceCounts.rank``) rather than through
scattered string literals.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class WorkforceCounts(pa.DataFrameModel):
    """Validated workforce stock: one row per (period, zone, category, rank, dimension, group).

    For every (period, zone, staff_category, rank) the groups of each dimension sum to the
    same headcount: undisclosed and unknown answers are groups too.
    """

    period: Series[str]
    zone: Series[str]
    staff_category: Series[str]
    rank: Series[str]
    dimension: Series[str]
    group: Series[str]
    count: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True


KEYS = ["period", "zone", "staff_category", "rank"]
CELL = [*KEYS, "dimension", "group"]


class Representation(pa.DataFrameModel):
    """Representation of each group per rank, staff category (rank 'all') and zone."""

    period: Series[str]
    zone: Series[str]
    staff_category: Series[str]
    rank: Series[str]
    dimension: Series[str]
    group: Series[str]
    declared_group: Series[bool]
    count: Series[pa.Int64] = pa.Field(ge=0, nullable=True)
    declared: Series[pa.Int64] = pa.Field(ge=0, nullable=True)
    headcount: Series[pa.Int64] = pa.Field(ge=0, nullable=True)
    share: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    declaration_rate: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    ci_low: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    ci_high: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    suppressed: Series[bool]
    suppression: Series[str] = pa.Field(isin=["", "hidden"])
    not_robust: Series[bool]

    class Config:
        coerce = True


class ApplicantCounts(pa.DataFrameModel):
    """Validated recruitment campaign: people who entered each stage, per group of a dimension.

    ``entered`` never grows from one stage to the next within a campaign, zone and group.
    """

    campaign: Series[str]
    zone: Series[str]
    stage: Series[str]
    dimension: Series[str]
    group: Series[str]
    entered: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True


APPLICANT_KEYS = ["campaign", "zone"]


class MovementCounts(pa.DataFrameModel):
    """Validated movements: hires, leavers (with reason) and promotions, per group of a dimension.

    ``period`` is the event's date at the precision written; ``rank`` is the rank at the event
    (for a promotion, the new rank); ``leave_reason`` is empty except for leavers, and
    ``from_rank`` and ``entry_year`` are empty where the file does not give them.
    """

    period: Series[str]
    zone: Series[str]
    movement: Series[str] = pa.Field(isin=["hire", "leave", "promotion"])
    staff_category: Series[str]
    rank: Series[str]
    from_rank: Series[str]
    leave_reason: Series[str]
    entry_year: Series[str]
    dimension: Series[str]
    group: Series[str]
    count: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True


MOVEMENT_KEYS = ["period", "zone", "movement", "staff_category", "rank", "from_rank",
                 "leave_reason", "entry_year"]
