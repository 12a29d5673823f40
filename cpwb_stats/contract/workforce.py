"""The workforce contract: a snapshot of the staff, as records, long or wide counts.

Records: one person a row. Long: a ``count`` a row. Wide: a row per rank with a count column
per group and a ``total``. Total rows (a key reads Total) and region subtotals are checked
against the rows they cover, never counted; the groups of each dimension become marginal
counts per (period, zone, staff category, rank).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd

from cpwb_stats.contract.ages import age_bands
from cpwb_stats.contract.checks import (
    BLANK,
    TOTAL,
    Source,
    check_cells,
    control_totals,
    date_order_problems,
    read_key,
    subtotal_rows,
    subtotals_confirmed,
    total_rows,
)
from cpwb_stats.contract.engine import GROUPS, Contract, Field, Run
from cpwb_stats.ingest.cell_values import parse_decimal, parse_period, parse_year
from cpwb_stats.ingest.distinct import per_value
from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.problems import Problem, accepted_labels, error, warning
from cpwb_stats.terms.ladders import Ladder, best_ladder
from cpwb_stats.terms.schemas import CELL, KEYS, WorkforceCounts
from cpwb_stats.terms.vocabulary import Dimension

KIND = "workforce"


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


SNAPSHOTS_A_YEAR = 4


def _banded(run: Run) -> list[Problem]:
    run.source, problems = age_bands(run.source)
    return problems


def _total_rows(run: Run) -> list[Problem]:
    """Total rows check the rows they cover in counted files; in records they are left out."""
    totals = total_rows(run.frame)
    run.context["total_count"] = total_count = int(totals.sum())
    if run.shape != "records":
        return []
    run.source = Source(run.frame[~totals], run.origin)
    return [warning("total_rows_ignored", value=str(total_count))] if total_count else []


def _rows_and_ladder(run: Run) -> dict[str, object]:
    """Which rows sum others (totals, subtotal candidates), and the ladder of the detail rows."""
    frame = run.frame
    if run.shape == "records":
        summary, candidates = pd.Series(False, index=frame.index), pd.Series("", index=frame.index)
    else:
        summary = total_rows(frame)
        candidates = subtotal_rows(frame, run.profile, run.raw.subtotal_rows)
    detail = frame[~summary]
    ladder = (run.profile.resolve_ladder()
              or best_ladder(detail["rank"].drop_duplicates().tolist()))
    return {"summary": summary, "candidates": candidates, "ladder": ladder}


def _key(run: Run, out: pd.DataFrame, field: str, read, code: str, **params) -> list[Problem]:
    """A key cell: read as usual on detail rows; on a total row Total (or blank) covers all."""
    frame, summary, origin = run.frame, run.context["summary"], run.origin
    parsed, found = check_cells(frame.loc[~summary, field], read, code, origin[field], **params)
    summed, more = check_cells(frame.loc[summary, field], lambda v: read_key(v, read), code,
                               origin[field], **params)
    out[field] = pd.concat([parsed, summed]).reindex(frame.index)
    return found + more


def _period(run: Run, out: pd.DataFrame) -> list[Problem]:
    text, column = run.frame["reference_date"], run.origin["reference_date"]
    problems = date_order_problems(text, column, run.profile)
    out["period"], found = check_cells(text, partial(parse_period, order=run.profile.date_order),
                                       "bad_period", column)
    return problems + found


def _zone(run: Run, out: pd.DataFrame) -> list[Problem]:
    return _key(run, out, "zone", lambda v: v.strip() or None, "missing_zone")


def _rank(run: Run, out: pd.DataFrame) -> list[Problem]:
    ladder, rank_values = run.context["ladder"], run.profile.values.get("rank", {})
    return _key(run, out, "rank", lambda v: ladder.rank_code(rank_values.get(v.strip(), v)),
                "unknown_rank", accepted=ladder.accepted_rank_labels())


def _staff_category(run: Run, out: pd.DataFrame) -> list[Problem]:
    frame, summary = run.frame, run.context["summary"]
    out["staff_category"], problems = _categories(frame, frame[~summary], out["rank"],
                                                  run.context["ladder"], run.profile,
                                                  run.origin, summary)
    return problems


def _subtotal(run: Run, out: pd.DataFrame) -> list[Problem]:
    out["subtotal"] = run.context["candidates"]
    return []


def _entry_year(run: Run, out: pd.DataFrame) -> list[Problem]:
    """Checked in records (a year, not after the reference date); kept for cohort retention."""
    frame, origin, problems = run.frame, run.origin, []
    if "entry_year" not in frame:
        return []
    if run.shape == "records":
        filled = frame["entry_year"][frame["entry_year"].str.strip() != ""]
        years, problems = check_cells(filled, parse_year, "bad_year", origin["entry_year"])
        reference_year = pd.to_numeric(out.loc[years.index, "period"].str[:4], errors="coerce")
        later = years.notna() & (years.astype(float) > reference_year)
        problems += [error("entry_after_reference", row=int(r), column=origin["entry_year"],
                           value=frame.at[r, "entry_year"]) for r in years.index[later]]
    if run.shape != "wide":
        years = per_value(frame["entry_year"], parse_year)
        out["entry_year"] = per_value(years, lambda y: "" if pd.isna(y) else str(int(y)))
    return problems


def _fte_cells(run: Run, out: pd.DataFrame) -> list[Problem]:
    """A full-time equivalent is a number up to 1.5 (checked, not counted)."""
    if "fte" not in run.frame:
        return []
    filled = run.frame["fte"][run.frame["fte"].str.strip() != ""]
    return check_cells(filled, lambda v: _fte(parse_decimal(v)), "bad_fte", run.origin["fte"])[1]


def many_reference_dates(run: Run) -> list[Problem]:
    return _many_reference_dates(run.parsed, run.profile)


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
    known = derived[given.index].notna() & (derived[given.index] != TOTAL)  # an unknown rank
    clash = given.notna() & known & (given != derived[given.index])  # is named on its own
    problems += [error("rank_category_mismatch", row=int(r), column=origin["staff_category"],
                       value=frame.at[r, "staff_category"], rank=frame.at[r, "rank"],
                       category=derived[r]) for r in given.index[clash]]
    summed, more = check_cells(frame.loc[summary, "staff_category"], lambda v: read_key(v, read),
                               "unknown_category", origin["staff_category"],
                               accepted=categories)
    derived = derived.copy()
    derived[summed.index[summed.notna()]] = summed[summed.notna()]
    return derived, problems + more


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


def _counts(run: Run) -> tuple[pd.DataFrame, list[Problem]]:
    """Marginal counts per dimension, and the people per entry year for cohort retention."""
    run.context["entries"] = _entries(run.parsed, run.dimensions)
    build = _wide_counts if run.shape == "wide" else _long_counts
    return build(run.parsed, run.dimensions)


def _extract(run: Run) -> WorkforceExtract:
    people = run.frame if run.shape == "records" else None
    return WorkforceExtract(run.counts, run.shape, run.context["ladder"], run.dimensions,
                            people, run.context["entries"])


def _rows(run: Run) -> int:
    return len(run.frame) - (0 if run.shape == "records" else run.context["total_count"])


EVERY_SHAPE = frozenset({"records", "long", "wide"})
RECORDS = frozenset({"records"})

WORKFORCE_CONTRACT = Contract(
    kind=KIND,
    fields=(
        Field("reference_date", required=EVERY_SHAPE, column=_period),
        Field("zone", column=_zone),
        Field("rank", required=EVERY_SHAPE, column=_rank),
        Field("staff_category", column=_staff_category),
        Field(GROUPS),
        Field("count", required=frozenset({"long"})),
        Field("subtotal", column=_subtotal),
        Field("entry_year", column=_entry_year),
        Field("fte", column=_fte_cells, shapes=RECORDS),
    ),
    file_rules=(many_reference_dates,),
    schema=WorkforceCounts,
    counts={"records": _counts, "long": _counts, "wide": _counts},
    extract=_extract,
    rows=_rows,
    context=_rows_and_ladder,
    steps=(_banded, _total_rows),
    wide_missing=True,
    identifiers_named_only=True,
    counts_despite_identifiers=True,
)
