"""Validate a movements extract: hires, leavers with their reason, and promotions.

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

from cpwb_stats.cell_values import parse_period, parse_year
from cpwb_stats.checks import (
    TOTAL,
    ValidationReport,
    capped,
    check_cells,
    date_order_problems,
    dimensions_present,
    failed,
    first_per_cell,
    groups_and_counts,
    read_blanks,
    source_fields,
    structural,
    total_rows,
    unmapped_warning,
    wrong_kind,
)
from cpwb_stats.identifiers import find_identifiers
from cpwb_stats.ladders import Ladder, best_ladder
from cpwb_stats.load import RawTable
from cpwb_stats.mapping import MappingProfile, propose_columns
from cpwb_stats.problems import Problem, accepted_labels, error, vocabulary_label, warning
from cpwb_stats.schemas import MOVEMENT_KEYS, MovementCounts
from cpwb_stats.vocabulary import (
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


def validate_movements(raw: RawTable, profile: MappingProfile | None = None,
                       default_zone: str | None = None) -> ValidationReport:
    """Check every row of a movements table and, when all is well, count the events."""
    profile = profile or MappingProfile(kind=KIND)
    rows = len(raw.cells)
    columns = {h: ("date" if t == "reference_date" else t)
               for h, t in propose_columns(list(raw.cells.columns), profile).items()}
    identifiers = find_identifiers(raw.cells, [h for h, t in columns.items() if t])
    mapped = {h: t for h, t in columns.items() if t}
    shape = profile.shape or ("long" if {"count", "total"} & set(mapped.values()) else "records")
    warnings = unmapped_warning(columns)
    kind_problems = wrong_kind(KIND, mapped)
    if kind_problems:
        return failed(identifiers + kind_problems + warnings, rows, shape, columns, KIND)
    if shape == "wide":
        return failed(identifiers + [error("movements_not_wide")], rows, shape, columns, KIND)
    required = ["date", "movement", "rank"] + (["count"] if shape == "long" else [])
    profile, all_leavers = _leavers_only(profile, set(mapped.values()))
    source, problems = source_fields(raw.cells, mapped, profile, default_zone, shape, required)
    warnings += [p for p in problems if p.severity == "warning"] + all_leavers
    errors = [p for p in problems if p.severity == "error"]
    if structural(errors):
        return failed(identifiers + errors + warnings, rows, shape, columns, KIND)
    source, found = read_blanks(source, profile, shape)
    errors += [p for p in found if p.severity == "error"]
    warnings += [p for p in found if p.severity == "warning"]
    frame = source.frame
    totals = total_rows(frame)
    if totals.any():
        warnings.append(warning("total_rows_ignored", value=str(int(totals.sum()))))
        frame = frame[~totals]
    parsed, problems, ladder = _parse(frame, source.origin, profile, shape)
    dimensions = dimensions_present(parsed, profile)
    errors = first_per_cell(errors + [p for p in problems if p.severity == "error"])
    warnings += [p for p in problems if p.severity == "warning"]
    if errors or identifiers:
        return failed(identifiers + capped(errors) + warnings, rows, shape, columns, KIND)
    counts = _counts(parsed, dimensions)
    extract = MovementsExtract(MovementCounts.validate(counts), shape, ladder, dimensions)
    return ValidationReport(True, KIND, shape, len(frame), (), tuple(warnings), extract, columns)


def _leavers_only(profile: MappingProfile, fields: set[str]) -> tuple[MappingProfile, list]:
    """A table of leavers (with a reason, without a movement column), as official tables are."""
    if "movement" in fields or "movement" in profile.constants or "leave_reason" not in fields:
        return profile, []
    constants = {**profile.constants, "movement": "leave"}
    return replace(profile, constants=constants), [warning("movements_all_leavers")]


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


def _parse(frame: pd.DataFrame, origin: dict[str, str], profile: MappingProfile,
           shape: str) -> tuple[pd.DataFrame, list[Problem], Ladder]:
    values = profile.values
    ranks = frame["rank"].tolist() + (frame["from_rank"].tolist() if "from_rank" in frame else [])
    ladder = profile.resolve_ladder() or best_ladder(list(dict.fromkeys(ranks)))
    out = pd.DataFrame(index=frame.index)
    problems: list[Problem] = []

    def read(field: str, reader, code: str, **params) -> None:
        out[field], found = check_cells(frame[field], reader, code, origin[field], **params)
        problems.extend(found)

    problems.extend(date_order_problems(frame["date"], origin["date"], profile))
    read("date", partial(parse_event_period, order=profile.date_order), "bad_period")
    out = out.rename(columns={"date": "period"})
    read("zone", lambda v: v.strip() or None, "missing_zone")
    movement_values = values.get("movement", {})
    read("movement", lambda v: MOVEMENT_ALIASES.get(normalise_label(movement_values.get(v.strip(), v))),
         "unknown_movement", accepted=accepted_labels(MOVEMENTS, vocabulary_label("movement")))
    rank_values = values.get("rank", {})
    rank_of = lambda v: ladder.rank_code(rank_values.get(v.strip(), v))  # noqa: E731
    read("rank", rank_of, "unknown_rank", accepted=ladder.accepted_rank_labels())
    out["staff_category"] = out["rank"].map(lambda c: ladder.category_of(c) if pd.notna(c) else None)
    out["from_rank"] = ""
    if "from_rank" in frame:
        given = frame["from_rank"][frame["from_rank"].str.strip() != ""]
        from_rank, found = check_cells(given, rank_of, "unknown_rank", origin["from_rank"],
                                       accepted=ladder.accepted_rank_labels())
        out.loc[from_rank.index, "from_rank"] = from_rank
        problems += found
    problems += _leave_reasons(frame, out, origin, values.get("leave_reason", {}))
    problems += _entry_years(frame, out, origin)
    groups, found = groups_and_counts(frame, origin, profile, shape)
    out = out.join(groups)
    problems += found
    problems += _promotions_into_lowest_rank(out, ladder, origin)
    return out, first_per_cell(problems), ladder


def _leave_reasons(frame, out, origin, mapping: dict[str, str]) -> list[Problem]:
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


def _entry_years(frame, out, origin) -> list[Problem]:
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


def _promotions_into_lowest_rank(out: pd.DataFrame, ladder: Ladder,
                                 origin: dict[str, str]) -> list[Problem]:
    lowest = {category: next(r.code for r in ladder.ranks if r.staff_category == category)
              for category in ladder.categories}
    into_lowest = (out["movement"] == "promotion") & out["rank"].notna() & (
        out["rank"] == out["staff_category"].map(lowest))
    return [error("promotion_into_lowest_rank", row=int(r), column=origin["rank"],
                  value=out.at[r, "rank"]) for r in out.index[into_lowest]]


def _counts(parsed: pd.DataFrame, dimensions: dict[str, Dimension]) -> pd.DataFrame:
    weight = parsed["count"] if "count" in parsed else pd.Series(1, index=parsed.index)
    frame = parsed.assign(count=weight.astype("int64"))
    frame = frame[~(frame[list(dimensions)] == TOTAL).any(axis=1)]
    pieces = [frame.groupby([*MOVEMENT_KEYS, name], as_index=False)["count"].sum()
              .rename(columns={name: "group"}).assign(dimension=name)
              for name in dimensions]
    columns = [*MOVEMENT_KEYS, "dimension", "group", "count"]
    return pd.concat(pieces, ignore_index=True)[columns]
