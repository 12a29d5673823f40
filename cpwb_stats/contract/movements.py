"""The movements contract: hires, leavers with their reason, and promotions.

Records (one event a row) and long tables (a ``count`` a row) are read. A leaver without a
reason counts as ``other`` (with a warning, since the resignation rate then undercounts); a
promotion into the lowest rank of its staff category is an error, since nobody is promoted
into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import partial

import pandas as pd

from cpwb_stats.contract.checks import TOTAL, Source, check_cells, date_order_problems, total_rows
from cpwb_stats.contract.engine import GROUPS, Contract, Field, Run, stripped
from cpwb_stats.ingest.cell_values import parse_period, parse_year
from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.problems import Problem, accepted_labels, error, vocabulary_label, warning
from cpwb_stats.terms.ladders import Ladder, best_ladder
from cpwb_stats.terms.schemas import MOVEMENT_KEYS, MovementCounts
from cpwb_stats.terms.vocabulary import (
    LEAVE_REASON_ALIASES,
    LEAVE_REASONS,
    MOVEMENT_ALIASES,
    MOVEMENTS,
    Dimension,
    normalise_label,
)

KIND = "movements"


@dataclass(frozen=True)
class MovementsExtract:
    """Movement counts (see :class:`MovementCounts`) on one rank ladder."""

    counts: pd.DataFrame
    shape: str
    ladder: Ladder
    dimensions: dict[str, Dimension]


_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*(?:/|-|to|–)\s*(\d{2}|\d{4})\s*$")


def parse_event_period(text: str, order: str | None = None) -> str | None:
    """A date, month or year, or a financial year (``2005/06``, ``2005-06``) as its last year.

    >>> [parse_event_period(t) for t in ["2024-03-01", "2005/06", "2019 to 2020", "2005/07"]]
    ['2024-03-01', '2006', '2020', None]
    """
    period = parse_period(text, order)
    if period is not None:
        return period
    match = _FINANCIAL_YEAR.match(text)
    if not match:
        return None
    first, last = int(match.group(1)), match.group(2)
    end = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
    return str(end) if end == first + 1 else None


def _leavers_only(profile: MappingProfile, fields: set[str]) -> tuple[MappingProfile, list]:
    """A table of leavers (with a reason, without a movement column), as official tables are."""
    if "movement" in fields or "movement" in profile.constants or "leave_reason" not in fields:
        return profile, []
    constants = {**profile.constants, "movement": "leave"}
    return replace(profile, constants=constants), [warning("movements_all_leavers")]


def _without_total_rows(run: Run) -> list[Problem]:
    """Total rows of a movements table are not checked against anything: left out, said once."""
    totals = total_rows(run.frame)
    if not totals.any():
        return []
    run.source = Source(run.frame[~totals], run.origin)
    return [warning("total_rows_ignored", value=str(int(totals.sum())))]


def _ladder(run: Run) -> dict[str, object]:
    frame = run.frame
    ranks = frame["rank"].tolist() + (frame["from_rank"].tolist() if "from_rank" in frame else [])
    return {"ladder": run.profile.resolve_ladder() or best_ladder(list(dict.fromkeys(ranks)))}


def _rank_of(run: Run):
    ladder, rank_values = run.context["ladder"], run.profile.values.get("rank", {})
    return lambda v: ladder.rank_code(rank_values.get(v.strip(), v))


def _ranks(run: Run):
    return run.context["ladder"].accepted_rank_labels()


def _date(run: Run, out: pd.DataFrame) -> list[Problem]:
    problems = date_order_problems(run.frame["date"], run.origin["date"], run.profile)
    out["period"], found = check_cells(run.frame["date"],
                                       partial(parse_event_period, order=run.profile.date_order),
                                       "bad_period", run.origin["date"])
    return problems + found


def _movement(run: Run):
    values = run.profile.values.get("movement", {})
    return lambda v: MOVEMENT_ALIASES.get(normalise_label(values.get(v.strip(), v)))


def _staff_category(run: Run, out: pd.DataFrame) -> list[Problem]:
    ladder = run.context["ladder"]
    out["staff_category"] = out["rank"].map(lambda c: ladder.category_of(c) if pd.notna(c)
                                            else None)
    return []


def _from_rank(run: Run, out: pd.DataFrame) -> list[Problem]:
    out["from_rank"] = ""
    if "from_rank" not in run.frame:
        return []
    given = run.frame["from_rank"][run.frame["from_rank"].str.strip() != ""]
    from_rank, problems = check_cells(given, _rank_of(run), "unknown_rank",
                                      run.origin["from_rank"], accepted=_ranks(run))
    out.loc[from_rank.index, "from_rank"] = from_rank
    return problems


def _leave_reasons(run: Run, out: pd.DataFrame) -> list[Problem]:
    frame, origin, mapping = run.frame, run.origin, run.profile.values.get("leave_reason", {})
    out["leave_reason"] = ""
    leaving = out.index[out["movement"] == "leave"]
    if "leave_reason" not in frame:
        out.loc[leaving, "leave_reason"] = "other"
        return [warning("leave_reason_missing", value=str(len(leaving)))] if len(leaving) else []
    text = frame.loc[leaving, "leave_reason"]
    blank = text.str.strip() == ""
    reasons, problems = check_cells(
        text[~blank], lambda v: LEAVE_REASON_ALIASES.get(normalise_label(mapping.get(v.strip(), v))),
        "unknown_leave_reason", origin["leave_reason"],
        accepted=accepted_labels(LEAVE_REASONS, vocabulary_label("leave_reason")))
    out.loc[reasons.index, "leave_reason"] = reasons
    out.loc[text.index[blank], "leave_reason"] = "other"
    if blank.any():
        problems.append(warning("leave_reason_missing", value=str(int(blank.sum()))))
    return problems


def _entry_years(run: Run, out: pd.DataFrame) -> list[Problem]:
    frame, origin = run.frame, run.origin
    out["entry_year"] = ""
    if "entry_year" not in frame:
        return []
    filled = frame["entry_year"][frame["entry_year"].str.strip() != ""]
    years, problems = check_cells(filled, parse_year, "bad_year", origin["entry_year"])
    out.loc[years.index, "entry_year"] = years.map(lambda y: "" if pd.isna(y) else str(int(y)))
    event_year = pd.to_numeric(out.loc[years.index, "period"].str[:4], errors="coerce")
    later = years.notna() & (years.astype(float) > event_year)
    problems += [error("entry_after_reference", row=int(r), column=origin["entry_year"],
                       value=frame.at[r, "entry_year"]) for r in years.index[later]]
    return problems


def promotions_go_up(run: Run) -> list[Problem]:
    """Nobody is promoted into the lowest rank of a staff category."""
    out, ladder = run.parsed, run.context["ladder"]
    lowest = {category: next(r.code for r in ladder.ranks if r.staff_category == category)
              for category in ladder.categories}
    into_lowest = (out["movement"] == "promotion") & out["rank"].notna() & (
        out["rank"] == out["staff_category"].map(lowest))
    return [error("promotion_into_lowest_rank", row=int(r), column=run.origin["rank"],
                  value=out.at[r, "rank"]) for r in out.index[into_lowest]]


def _counts(run: Run) -> tuple[pd.DataFrame, list[Problem]]:
    parsed, dimensions = run.parsed, run.dimensions
    weight = parsed["count"] if "count" in parsed else pd.Series(1, index=parsed.index)
    frame = parsed.assign(count=weight.astype("int64"))
    frame = frame[~(frame[list(dimensions)] == TOTAL).any(axis=1)]
    pieces = [frame.groupby([*MOVEMENT_KEYS, name], as_index=False)["count"].sum()
              .rename(columns={name: "group"}).assign(dimension=name)
              for name in dimensions]
    columns = [*MOVEMENT_KEYS, "dimension", "group", "count"]
    return pd.concat(pieces, ignore_index=True)[columns], []


def _detect(targets: list[str]) -> str:
    return "long" if {"count", "total"} & set(targets) else "records"


BOTH = frozenset({"records", "long"})

MOVEMENTS_CONTRACT = Contract(
    kind=KIND,
    fields=(
        Field("date", required=BOTH, column=_date),
        Field("zone", read=stripped, problem="missing_zone"),
        Field("movement", required=BOTH, read=_movement, problem="unknown_movement",
              accepted=lambda run: accepted_labels(MOVEMENTS, vocabulary_label("movement"))),
        Field("rank", required=BOTH, read=_rank_of, problem="unknown_rank", accepted=_ranks),
        Field("staff_category", column=_staff_category),
        Field("from_rank", column=_from_rank),
        Field("leave_reason", column=_leave_reasons),
        Field("entry_year", column=_entry_years),
        Field(GROUPS),
        Field("count", required=frozenset({"long"})),
    ),
    rules=(promotions_go_up,),
    schema=MovementCounts,
    counts={"records": _counts, "long": _counts},
    extract=lambda run: MovementsExtract(run.counts, run.shape, run.context["ladder"],
                                         run.dimensions),
    rows=lambda run: len(run.frame),
    context=_ladder,
    headers={"reference_date": "date"},
    detect=_detect,
    not_shape="movements_not_wide",
    prepare=_leavers_only,
    steps=(_without_total_rows,),
)
