"""Validate: check a raw workforce table against the data contract and normalise it.

Validation is lazy: every row is checked and every problem is reported at once, with the row as
the user sees it in the file. Only a table with no errors yields counts; a failing one yields a
report and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import pandas as pd

from cpwb_stats.ages import age_bands
from cpwb_stats.cell_values import parse_decimal, parse_period, parse_year
from cpwb_stats.checks import (
    BLANK,
    TOTAL,
    Source,
    ValidationReport,
    capped,
    check_cells,
    control_totals,
    date_order_problems,
    detect_shape,
    dimensions_present,
    failed,
    first_per_cell,
    groups_and_counts,
    named_by_source,
    read_blanks,
    read_key,
    source_fields,
    structural,
    subtotal_rows,
    subtotals_confirmed,
    total_rows,
    unmapped_warning,
    wrong_kind,
)
from cpwb_stats.distinct import per_value
from cpwb_stats.identifiers import find_identifiers
from cpwb_stats.ladders import Ladder, best_ladder
from cpwb_stats.load import RawTable
from cpwb_stats.mapping import MappingProfile, propose_columns
from cpwb_stats.problems import Problem, accepted_labels, error, warning
from cpwb_stats.schemas import CELL, KEYS, WorkforceCounts
from cpwb_stats.vocabulary import Dimension


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


SNAPSHOTS_A_YEAR = 4


def validate_workforce(raw: RawTable, profile: MappingProfile | None = None,
                       default_zone: str | None = None) -> ValidationReport:
    """Check every row of a workforce table and, when all is well, normalise it to counts.

    No check stops another: identifiers, formulas, unknown codes and impossible dates are all
    reported together. Only a wrong kind of file or a missing required column ends the checks
    early, since the cells cannot be read without them.
    """
    profile = profile or MappingProfile()
    rows = len(raw.cells)
    columns = propose_columns(list(raw.cells.columns), profile)
    identifiers = find_identifiers(raw.cells, [h for h, t in columns.items() if t])
    mapped = {h: t for h, t in columns.items() if t}
    shape = profile.shape or detect_shape(list(mapped.values()))
    refused = {p.column for p in identifiers}  # named as identifiers, not as columns to map
    warnings = unmapped_warning({h: t for h, t in columns.items() if h not in refused})
    kind_problems = wrong_kind("workforce", mapped)
    if kind_problems:
        return failed(identifiers + kind_problems + warnings, rows, shape, columns)
    source, problems = _source_fields(raw.cells, mapped, profile, default_zone, shape)
    warnings += [p for p in problems if p.severity == "warning"]
    problems = [p for p in problems if p.severity == "error"]
    if structural(problems):
        if "no_dimension_column" in {p.code for p in problems}:  # it lists the columns itself
            warnings = [w for w in warnings if w.code != "unmapped_columns"]
        return failed(identifiers + problems + warnings, rows, shape, columns)
    source, found = read_blanks(source, profile, shape, wide_missing=True)
    problems, warnings = problems + _errors(found), warnings + _warnings(found)
    source, found = age_bands(source)
    problems, warnings = problems + _errors(found), warnings + _warnings(found)
    total_count = int(total_rows(source.frame).sum())
    if shape == "records" and total_count:
        warnings.append(warning("total_rows_ignored", value=str(total_count)))
    parsed, found, ladder = _parse_fields(source, profile, shape, raw.subtotal_rows)
    problems = first_per_cell(problems + _errors(found))
    warnings += _warnings(found)
    problems += _many_reference_dates(parsed, profile)
    dimensions = dimensions_present(parsed, profile)
    entries = None
    if not problems:
        entries = _entries(parsed, dimensions)
        parsed, more = (_wide_counts if shape == "wide" else _long_counts)(parsed, dimensions)
        problems += named_by_source(_errors(more), source.origin)
        warnings += named_by_source(_warnings(more), source.origin)
    if identifiers or problems:
        return failed(identifiers + capped(_without_values(problems, identifiers)) + warnings,
                      rows, shape, columns)
    extract = WorkforceExtract(WorkforceCounts.validate(parsed), shape, ladder, dimensions,
                               source.frame if shape == "records" else None, entries)
    counted = len(source.frame) - (0 if shape == "records" else total_count)
    return ValidationReport(True, "workforce", shape, counted, (), tuple(warnings), extract,
                            columns)


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def _without_values(problems: list[Problem], identifiers: list[Problem]) -> list[Problem]:
    """Cells of a column that holds identifiers are named, never repeated."""
    columns = {p.column for p in identifiers}
    return [replace(p, value=None) if p.column in columns else p for p in problems]


def _many_reference_dates(parsed: pd.DataFrame, profile: MappingProfile) -> list[Problem]:
    """A workforce extract is a few snapshots a year; many dates suggest a file of events.

    Yearly series (an official table over twenty years) pass; more than
    :data:`SNAPSHOTS_A_YEAR` reference dates in one year of one zone ask for confirmation.
    """
    dated = parsed[["zone", "period"]].dropna().drop_duplicates()
    per_year = dated.groupby([dated["zone"], dated["period"].str[:4]]).size()
    if profile.many_reference_dates or per_year.empty or per_year.max() <= SNAPSHOTS_A_YEAR:
        return []
    dates = sorted(dated["period"].unique())
    return [error("many_reference_dates", column="reference_date", value=str(len(dates)),
                  first=dates[0], last=dates[-1])]


def _source_fields(cells: pd.DataFrame, mapped: dict[str, str], profile: MappingProfile,
                   default_zone: str | None, shape: str) -> tuple[Source, list[Problem]]:
    required = ["reference_date", "rank"] + (["count"] if shape == "long" else [])
    return source_fields(cells, mapped, profile, default_zone, shape, required)


def _parse_fields(source: Source, profile: MappingProfile, shape: str,
                  marked: frozenset[int] = frozenset()
                  ) -> tuple[pd.DataFrame, list[Problem], Ladder]:
    frame, origin = source.frame, source.origin
    if shape == "records":
        source.frame = frame = frame[~total_rows(frame)]
        summary, candidates = pd.Series(False, index=frame.index), pd.Series("", index=frame.index)
    else:
        summary, candidates = total_rows(frame), subtotal_rows(frame, profile, marked)
    detail = frame[~summary]
    ladder = profile.resolve_ladder() or best_ladder(detail["rank"].drop_duplicates().tolist())
    out = pd.DataFrame(index=frame.index)
    problems: list[Problem] = date_order_problems(frame["reference_date"],
                                                  origin["reference_date"], profile)
    out["period"], found = check_cells(frame["reference_date"],
                                       partial(parse_period, order=profile.date_order),
                                       "bad_period", origin["reference_date"])
    problems += found

    def key(field: str, read, code: str, **params) -> pd.Series:
        parsed, found = check_cells(detail[field], read, code, origin[field], **params)
        summed, more = check_cells(frame.loc[summary, field], lambda v: read_key(v, read), code,
                                   origin[field], **params)
        problems.extend(found + more)
        return pd.concat([parsed, summed]).reindex(frame.index)

    out["zone"] = key("zone", lambda v: v.strip() or None, "missing_zone")
    rank_values = profile.values.get("rank", {})
    out["rank"] = key("rank", lambda v: ladder.rank_code(rank_values.get(v.strip(), v)),
                      "unknown_rank", accepted=ladder.accepted_rank_labels())
    category, found = _categories(frame, detail, out["rank"], ladder, profile, origin, summary)
    out["staff_category"] = category
    problems += found
    groups, found = groups_and_counts(frame, origin, profile, shape)
    out = out.join(groups)
    problems += found
    out["subtotal"] = candidates
    if shape == "records":
        problems += _record_fields(frame, out, origin)
    if "entry_year" in frame and shape != "wide":
        years = per_value(frame["entry_year"], parse_year)
        out["entry_year"] = per_value(years, lambda y: "" if pd.isna(y) else str(int(y)))
    return out, first_per_cell(problems), ladder


def _categories(frame, detail, rank, ladder, profile, origin, summary):
    """Staff category from the rank; a given one must agree. Total rows may name a category."""
    derived = per_value(rank, lambda code: TOTAL if code == TOTAL or pd.isna(code)
                        else ladder.category_of(code))
    if "staff_category" not in frame:
        return derived, []
    values = profile.values.get("staff_category", {})
    read = lambda v: ladder.category_code(values.get(v.strip(), v))  # noqa: E731
    detail = detail[detail["staff_category"].str.strip() != ""]  # empty: taken from the rank
    categories = accepted_labels(ladder.categories, ladder.category_label)
    given, problems = check_cells(detail["staff_category"], read, "unknown_category",
                                  origin["staff_category"], accepted=categories)
    clash = given.notna() & derived[given.index].notna() & (given != derived[given.index])
    problems += [error("rank_category_mismatch", row=int(r), column=origin["staff_category"],
                       value=frame.at[r, "staff_category"], rank=frame.at[r, "rank"],
                       category=derived[r]) for r in given.index[clash]]
    summed, more = check_cells(frame.loc[summary, "staff_category"], lambda v: read_key(v, read),
                               "unknown_category", origin["staff_category"],
                               accepted=categories)
    derived = derived.copy()
    derived[summed.index[summed.notna()]] = summed[summed.notna()]
    return derived, problems + more


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
    frame = frame[(frame["entry_year"] != "") & ~(frame[KEYS] == TOTAL).any(axis=1)
                  & (frame["subtotal"] == "") & ~(frame[list(dimensions)] == TOTAL).any(axis=1)]
    pieces = [frame.groupby([*KEYS, name, "entry_year"], as_index=False)["count"].sum()
              .rename(columns={name: "group"}).assign(dimension=name) for name in dimensions]
    return pd.concat(pieces, ignore_index=True)[[*CELL, "entry_year", "count"]]


def _long_counts(parsed: pd.DataFrame, dimensions: dict[str, Dimension]):
    """Records (one person a row) or long (a count a row) to per-dimension marginal counts."""
    weight = parsed["count"] if "count" in parsed else pd.Series(1, index=parsed.index)
    frame = parsed.assign(count=weight.astype("int64"))
    keys = [*KEYS, *dimensions]
    detail, totals, subtotals, problems = _split_totals(frame, keys, ["count"])
    problems += control_totals(detail, totals, keys, ["count"])
    counts = pd.concat([_marginal(detail, name, dimension) for name, dimension in dimensions.items()],
                       ignore_index=True)
    return counts, problems


def _split_totals(frame: pd.DataFrame, keys: list[str], value_columns: list[str]):
    """Detail rows, total rows (a key reads Total) and confirmed region subtotal rows.

    Totals and subtotals are checked, never counted; a subtotal is reported in a warning.
    """
    total = (frame[keys] == TOTAL).any(axis=1)
    rest = frame[~total]
    is_subtotal, problems = subtotals_confirmed(rest, rest["subtotal"], frame.index[total], keys,
                                                value_columns)
    subtotals = rest[is_subtotal]
    detail = rest[~is_subtotal].drop(columns="subtotal")
    if len(subtotals):
        names = ", ".join(dict.fromkeys(subtotals["zone"].str.strip()))
        problems.append(warning("subtotal_rows", value=names, count=len(subtotals)))
    return detail, frame[total], subtotals, problems


def _marginal(frame: pd.DataFrame, name: str, dimension: Dimension) -> pd.DataFrame:
    summed = frame.groupby([*KEYS, name], as_index=False, observed=True)["count"].sum()
    return summed.rename(columns={name: "group"}).assign(dimension=name)[CELL + ["count"]]


def _wide_counts(parsed: pd.DataFrame, dimensions: dict[str, Dimension]):
    """Wide rows (a count column per group) to marginal counts; the total checks each dimension."""
    count_columns = [c for c in parsed.columns if ("=" in c or c == "total")
                     and not c.endswith(BLANK)]
    detail, totals, subtotals, problems = _split_totals(parsed, KEYS, count_columns)
    problems += control_totals(detail, totals, KEYS, count_columns)
    problems += [error("duplicate_rank_row", row=int(r), column="rank", value=detail.at[r, "rank"])
                 for r in detail.index[detail.duplicated(KEYS)]]
    pieces = []
    for name, dimension in dimensions.items():
        piece, found = _wide_dimension(detail, name, dimension)
        pieces.append(piece)
        problems += found
    return pd.concat(pieces, ignore_index=True), problems


def _wide_dimension(detail: pd.DataFrame, name: str,
                    dimension: Dimension) -> tuple[pd.DataFrame, list[Problem]]:
    """One dimension's columns to counts; people the columns leave out of the total count as
    the dimension's undisclosed value (its unknown one where the profile says blanks are
    missing and a cell was blank)."""
    columns = [c for c in detail.columns if c.startswith(f"{name}=") and not c.endswith(BLANK)]
    values = detail[columns].astype("int64")
    not_known = detail.get(f"{name}={BLANK}", pd.Series(False, index=detail.index)).astype(bool)
    given = values.sum(axis=1)
    total = detail["total"].astype("int64") if "total" in detail else given
    problems = [error("dimension_exceeds_total", row=int(r), dimension=name,
                      value=str(given[r]), total=int(total[r]))
                for r in detail.index[given > total]]
    shortfall = (total - given).clip(lower=0)
    problems += [warning("shortfall_undisclosed", row=int(r), dimension=name,
                         value=str(shortfall[r])) for r in detail.index[(shortfall > 0) & ~not_known]]
    problems += [warning("shortfall_unknown", row=int(r), dimension=name,
                         value=str(shortfall[r])) for r in detail.index[(shortfall > 0) & not_known]]
    values = values.rename(columns=lambda c: c.split("=", 1)[1])
    undisclosed, unknown = dimension.undisclosed[0], dimension.unknown[0]
    values[undisclosed] = values.get(undisclosed, 0) + shortfall.where(~not_known, 0)
    if not_known.any():
        values[unknown] = values.get(unknown, 0) + shortfall.where(not_known, 0)
    long = detail[KEYS].join(values).melt(id_vars=KEYS, var_name="group", value_name="count")
    long = long.groupby(KEYS + ["group"], as_index=False)["count"].sum()
    return long.assign(dimension=name)[CELL + ["count"]], problems


