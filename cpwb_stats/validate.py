"""Validate: check a raw workforce table against the data contract and normalise it.

Validation is lazy: every row is checked and every problem is reported at once, with the row as
the user sees it in the file. Only a table with no errors yields counts; a failing one yields a
report and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cpwb_stats.cell_values import parse_decimal, parse_period, parse_year
from cpwb_stats.checks import (
    TOTAL,
    Source,
    ValidationReport,
    capped,
    check_cells,
    control_totals,
    detect_shape,
    dimensions_present,
    failed,
    first_per_cell,
    groups_and_counts,
    named_by_source,
    source_fields,
    unmapped_warning,
)
from cpwb_stats.identifiers import find_identifiers
from cpwb_stats.ladders import Ladder, best_ladder
from cpwb_stats.load import RawTable
from cpwb_stats.mapping import MappingProfile, propose_columns
from cpwb_stats.problems import Problem, error, warning
from cpwb_stats.schemas import CELL, KEYS, WorkforceCounts
from cpwb_stats.vocabulary import UNDISCLOSED, Dimension, is_total_label


@dataclass(frozen=True)
class WorkforceExtract:
    """A validated workforce extract in canonical form (see :class:`WorkforceCounts`)."""

    counts: pd.DataFrame
    shape: str
    ladder: Ladder
    dimensions: dict[str, Dimension]
    people: pd.DataFrame | None = None
    entries: pd.DataFrame | None = None
    """People per year of entry: (period, zone, category, rank, dimension, group, entry_year,
    count), when the file gives ``entry_year``; what cohort retention starts from."""


def validate_workforce(raw: RawTable, profile: MappingProfile | None = None,
                       default_zone: str | None = None) -> ValidationReport:
    """Check every row of a workforce table and, when all is well, normalise it to counts."""
    profile = profile or MappingProfile()
    rows = len(raw.cells)
    identifiers = find_identifiers(raw.cells)
    if identifiers:
        return failed(identifiers, rows)
    columns = propose_columns(list(raw.cells.columns), profile)
    mapped = {h: t for h, t in columns.items() if t}
    shape = profile.shape or detect_shape(list(mapped.values()))
    warnings = unmapped_warning(columns)
    source, problems = _source_fields(raw.cells, mapped, profile, default_zone, shape)
    warnings += [p for p in problems if p.severity == "warning"]
    if any(p.severity == "error" for p in problems):
        return failed(problems + warnings, rows, shape, columns)
    total_rows = int(source.frame["rank"].map(is_total_label).sum())
    if shape == "records" and total_rows:
        warnings.append(warning("total_rows_ignored", value=str(total_rows)))
    parsed, problems, ladder = _parse_fields(source, profile, shape)
    dimensions = dimensions_present(parsed, profile)
    entries = None
    if not problems:
        entries = _entries(parsed, dimensions)
        parsed, more = (_wide_counts if shape == "wide" else _long_counts)(parsed, dimensions)
        problems += named_by_source(more, source.origin)
    if any(p.severity == "error" for p in problems):
        return failed(capped(problems) + warnings, rows, shape, columns)
    extract = WorkforceExtract(WorkforceCounts.validate(parsed), shape, ladder, dimensions,
                               source.frame if shape == "records" else None, entries)
    return ValidationReport(True, "workforce", shape, rows - total_rows, (),
                            tuple(warnings + problems), extract, columns)


def _source_fields(cells: pd.DataFrame, mapped: dict[str, str], profile: MappingProfile,
                   default_zone: str | None, shape: str) -> tuple[Source, list[Problem]]:
    required = ["reference_date", "rank"] + (["count"] if shape == "long" else [])
    return source_fields(cells, mapped, profile, default_zone, shape, required)


def _parse_fields(source: Source, profile: MappingProfile,
                  shape: str) -> tuple[pd.DataFrame, list[Problem], Ladder]:
    frame, origin = source.frame, source.origin
    is_total = frame["rank"].map(is_total_label)
    if shape == "records" and is_total.any():
        source.frame = frame = frame[~is_total]
        is_total = is_total[~is_total]
    detail = frame[~is_total]
    ladder = profile.resolve_ladder() or best_ladder(detail["rank"].drop_duplicates().tolist())
    out = pd.DataFrame(index=frame.index)
    problems: list[Problem] = []
    out["period"], found = check_cells(frame["reference_date"], parse_period, "bad_period",
                                  origin["reference_date"])
    problems += found
    out["zone"], found = check_cells(frame["zone"], lambda v: v.strip() or None, "missing_zone",
                                origin["zone"])
    problems += found
    rank_values = profile.values.get("rank", {})
    rank, found = check_cells(detail["rank"], lambda v: ladder.rank_code(rank_values.get(v.strip(), v)),
                         "unknown_rank", origin["rank"],
                         accepted=", ".join(ladder.accepted_rank_labels()))
    problems += found
    out["rank"] = rank.reindex(frame.index).fillna(TOTAL)
    category, found = _categories(frame, detail, out["rank"], ladder, profile, origin)
    out["staff_category"] = category
    problems += found
    groups, found = groups_and_counts(frame, origin, profile, shape)
    out = out.join(groups)
    problems += found
    if shape == "records":
        problems += _record_fields(frame, out, origin)
    if "entry_year" in frame and shape != "wide":
        years = frame["entry_year"].map(parse_year)
        out["entry_year"] = years.map(lambda y: "" if pd.isna(y) else str(int(y)))
    return out, first_per_cell(problems), ladder


def _categories(frame, detail, rank, ladder, profile, origin):
    derived = rank.map(lambda code: TOTAL if code == TOTAL or pd.isna(code)
                       else ladder.category_of(code))
    if "staff_category" not in frame:
        return derived, []
    values = profile.values.get("staff_category", {})
    detail = detail[detail["staff_category"].str.strip() != ""]  # empty: taken from the rank
    given, problems = check_cells(detail["staff_category"],
                             lambda v: ladder.category_code(values.get(v.strip(), v)),
                             "unknown_category", origin["staff_category"],
                             accepted=", ".join(ladder.categories))
    clash = given.notna() & derived[given.index].notna() & (given != derived[given.index])
    problems += [error("rank_category_mismatch", row=int(r), column=origin["staff_category"],
                       value=frame.at[r, "staff_category"], rank=frame.at[r, "rank"],
                       category=derived[r]) for r in given.index[clash]]
    return derived, problems


def _record_fields(frame: pd.DataFrame, out: pd.DataFrame, origin: dict[str, str]) -> list[Problem]:
    problems = []
    if "entry_year" in frame:
        filled = frame["entry_year"][frame["entry_year"].str.strip() != ""]
        years, found = check_cells(filled, parse_year, "bad_year", origin["entry_year"])
        problems += found
        reference_year = pd.to_numeric(out.loc[years.index, "period"].str[:4], errors="coerce")
        later = years.notna() & (years.astype(float) > reference_year)
        problems += [error("entry_after_reference", row=int(r), column=origin["entry_year"],
                           value=frame.at[r, "entry_year"]) for r in years.index[later]]
    if "fte" in frame:
        filled = frame["fte"][frame["fte"].str.strip() != ""]
        fte, found = check_cells(filled, lambda v: _fte(parse_decimal(v)), "bad_fte", origin["fte"])
        problems += found
    return problems


def _fte(value: float | None) -> float | None:
    return value if value is not None and value <= 1.5 else None


def _entries(parsed: pd.DataFrame, dimensions: dict[str, Dimension]) -> pd.DataFrame | None:
    """People per entry year and group, for cohort retention (rows without a year left out)."""
    if "entry_year" not in parsed:
        return None
    weight = parsed["count"] if "count" in parsed else pd.Series(1, index=parsed.index)
    frame = parsed.assign(count=weight.astype("int64"))
    frame = frame[(frame["entry_year"] != "") & (frame["rank"] != TOTAL)
                  & ~(frame[list(dimensions)] == TOTAL).any(axis=1)]
    pieces = [frame.groupby([*KEYS, name, "entry_year"], as_index=False)["count"].sum()
              .rename(columns={name: "group"}).assign(dimension=name) for name in dimensions]
    return pd.concat(pieces, ignore_index=True)[[*CELL, "entry_year", "count"]]


def _long_counts(parsed: pd.DataFrame, dimensions: dict[str, Dimension]):
    """Records (one person a row) or long (a count a row) to per-dimension marginal counts."""
    weight = parsed["count"] if "count" in parsed else pd.Series(1, index=parsed.index)
    frame = parsed.assign(count=weight.astype("int64"))
    totals = frame[(frame[list(dimensions)] == TOTAL).any(axis=1) | (frame["rank"] == TOTAL)]
    detail = frame.drop(totals.index)
    problems = control_totals(detail, totals, [*KEYS, *dimensions], ["count"])
    counts = pd.concat([_marginal(detail, name, dimension) for name, dimension in dimensions.items()],
                       ignore_index=True)
    return counts, problems


def _marginal(frame: pd.DataFrame, name: str, dimension: Dimension) -> pd.DataFrame:
    summed = frame.groupby([*KEYS, name], as_index=False, observed=True)["count"].sum()
    return summed.rename(columns={name: "group"}).assign(dimension=name)[CELL + ["count"]]


def _wide_counts(parsed: pd.DataFrame, dimensions: dict[str, Dimension]):
    """Wide rows (a count column per group) to marginal counts; the total checks each dimension."""
    count_columns = [c for c in parsed.columns if "=" in c or c == "total"]
    totals = parsed[parsed["rank"] == TOTAL]
    detail = parsed.drop(totals.index)
    problems = control_totals(detail, totals, KEYS, count_columns)
    problems += [error("duplicate_rank_row", row=int(r), column="rank", value=detail.at[r, "rank"])
                 for r in detail.index[detail.duplicated(KEYS)]]
    pieces = []
    for name in dimensions:
        piece, found = _wide_dimension(detail, name)
        pieces.append(piece)
        problems += found
    return pd.concat(pieces, ignore_index=True), problems


def _wide_dimension(detail: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    columns = [c for c in detail.columns if c.startswith(f"{name}=")]
    values = detail[columns].astype("int64")
    given = values.sum(axis=1)
    total = detail["total"].astype("int64") if "total" in detail else given
    problems = [error("dimension_exceeds_total", row=int(r), dimension=name,
                      value=str(given[r]), total=int(total[r]))
                for r in detail.index[given > total]]
    shortfall = (total - given).clip(lower=0)
    problems += [warning("shortfall_undisclosed", row=int(r), dimension=name,
                         value=str(shortfall[r])) for r in detail.index[shortfall > 0]]
    values = values.rename(columns=lambda c: c.split("=", 1)[1])
    values[UNDISCLOSED] = values.get(UNDISCLOSED, 0) + shortfall
    long = detail[KEYS].join(values).melt(id_vars=KEYS, var_name="group", value_name="count")
    long = long.groupby(KEYS + ["group"], as_index=False)["count"].sum()
    return long.assign(dimension=name)[CELL + ["count"]], problems


