"""Retention and progression: leaver, resignation and promotion rates per rank and group.

Periods are the intervals between workforce snapshots: a movement dated in (s_{i-1}, s_i]
belongs to the period labelled s_i; a movement after the last snapshot belongs to its own year.
Dates are compared at the precision written, a bare year standing for its last day (the
official tables that say ``2006`` for "the year to 31 March 2006" label their snapshots the
same way).

For group g in a cell (period, zone, staff category, rank):

- ``leavers`` = movements of kind leave; ``resignations`` = leavers with reason resignation;
- ``average_headcount`` = the mean of the headcounts at the start and end snapshots; with only
  one of them, that one (``headcount_basis`` says which: ``average``, ``start`` or ``end``).
  A snapshot that exists but has nobody in the cell counts 0 (a group that empties). Leavers
  more than a year before the first snapshot have no headcount: their rows say
  ``before_first_snapshot`` and carry no rate (they are reported apart, never added to a
  period);
- ``leaver_rate`` = leavers / average_headcount; ``resignation_rate`` = resignations /
  average_headcount (None when the headcount is 0 or unknown);
- ``relative_leaver_rate`` = leaver_rate_g / leaver_rate_ref, the reference being the declared
  group with the largest headcount in the cell, or a group the caller names; a 95% interval on
  the log scale (Poisson), and an exact conditional binomial test of equal rates.

Rows per rank, per staff category (``rank = all``) and for the whole zone
(``staff_category = all, rank = all``). Example, ten women of whom one left:

>>> workforce = pd.DataFrame({"period": ["2023", "2024"], "zone": "z",
...     "staff_category": "operational", "rank": "inspector", "dimension": "gender",
...     "group": "woman", "count": [10, 10]})
>>> movements = pd.DataFrame({"period": ["2024"], "zone": "z", "movement": "leave",
...     "staff_category": "operational", "rank": "inspector", "from_rank": "",
...     "leave_reason": "resignation", "entry_year": "", "dimension": "gender",
...     "group": "woman", "count": [1]})
>>> row = leaver_rates(workforce, movements, {"gender": GENDER}).iloc[0]
>>> int(row["leavers"]), float(row["average_headcount"]), float(row["leaver_rate"])
(1, 10.0, 0.1)
>>> row["headcount_basis"]
'average'
"""

from __future__ import annotations

import calendar
import math

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_stats.terms.schemas import KEYS
from cpwb_stats.terms.vocabulary import GENDER, VOLUNTARY, Dimension  # noqa: F401  (doctest)

CELL = [*KEYS, "dimension", "group"]
Z95 = 1.959963984540054


BEFORE_FIRST = "before_first_snapshot"


def period_key(period: str) -> str:
    """A period as a comparable date: ``2024`` -> ``2024-12-31``, ``2024-02`` -> ``2024-02-29``.

    A year or a month stands for its last day, so a movement known only by its month belongs to
    the period that ends on a snapshot taken on that month's last day (as a December leaver
    belongs to the year ending on 31 December).
    """
    if len(period) == 7:
        return f"{period}-{calendar.monthrange(int(period[:4]), int(period[5:]))[1]:02d}"
    return {4: f"{period}-12-31"}.get(len(period), period)


def _year_before(key: str) -> str:
    return f"{int(key[:4]) - 1:04d}{key[4:]}"


def movement_periods(movement_periods_: pd.Series, snapshots: list[str]) -> pd.DataFrame:
    """For each movement period: the period label, and its start and end snapshots (or None).

    A movement in (s_{i-1}, s_i] belongs to s_i; one in the year up to the first snapshot
    belongs to it (no opening snapshot); one after the last snapshot to its own year (no closing
    snapshot). A movement earlier than a year before the first snapshot has neither: it is
    reported apart under its own year, without a rate.
    """
    ordered = sorted(set(snapshots), key=period_key)
    keys = [period_key(s) for s in ordered]
    rows = []
    for period in movement_periods_:
        key = period_key(period)
        after = [i for i, k in enumerate(keys) if k >= key]
        end = ordered[after[0]] if after else None
        before = (after[0] - 1) if after else len(ordered) - 1
        start = ordered[before] if before >= 0 else None
        if start is None and end is not None and key <= _year_before(keys[0]):
            end = None
        rows.append({"movement_period": period, "period": end or period[:4], "start": start,
                     "end": end})
    return pd.DataFrame(rows, columns=["movement_period", "period", "start", "end"])


def snapshot_periods(snapshots: list[str], located: pd.DataFrame) -> pd.DataFrame:
    """The periods between consecutive snapshots inside the span the movements cover.

    A period in which nothing moved still counts (with no leaver, no promotion), so pooled rates
    divide by every period the movements file covers, not only those with a movement.
    """
    ordered = sorted(set(snapshots), key=period_key)
    covered = located.dropna(subset=["end"])
    if covered.empty:
        return located.iloc[0:0][["period", "start", "end"]]
    low, high = (covered["end"].map(period_key).min(), covered["end"].map(period_key).max())
    rows = [{"period": end, "start": start, "end": end}
            for start, end in zip(ordered, ordered[1:]) if low <= period_key(end) <= high]
    return pd.DataFrame(rows, columns=["period", "start", "end"])


def with_totals(frame: pd.DataFrame, value_columns: list[str]) -> pd.DataFrame:
    """Adds rank 'all' per staff category and staff category 'all' for the zone."""
    keys = [c for c in frame.columns if c not in value_columns]
    by_rank = [k for k in keys if k != "rank"]
    categories = frame.groupby(by_rank, as_index=False)[value_columns].sum().assign(rank=ALL)
    zone_keys = [k for k in by_rank if k != "staff_category"]
    zone = frame.groupby(zone_keys, as_index=False)[value_columns].sum().assign(
        staff_category=ALL, rank=ALL)
    return pd.concat([frame, categories, zone], ignore_index=True)[keys + value_columns]


def leaver_rates(workforce: pd.DataFrame, movements: pd.DataFrame,
                 dimensions: dict[str, Dimension], dimension: str | None = None,
                 reference: str | None = None) -> pd.DataFrame:
    """Leavers, average headcount, leaver and resignation rates and relative leaver rates."""
    chosen = [d for d in dimensions if dimension in (None, d)]
    flows = _flows(movements[movements["dimension"].isin(chosen)], workforce)
    stock = workforce[workforce["dimension"].isin(chosen)][CELL + ["count"]]
    stock = with_totals(stock, ["count"])
    table = _with_headcounts(flows, stock)
    table = table.assign(
        leaver_rate=_rate(table["leavers"], table["average_headcount"]),
        resignation_rate=_rate(table["resignations"], table["average_headcount"]))
    return _relative(table, dimensions, reference).sort_values(CELL, kind="stable").reset_index(
        drop=True)


def _flows(movements: pd.DataFrame, workforce: pd.DataFrame) -> pd.DataFrame:
    """Leavers, resignations and hires per cell and period, with the period's snapshots."""
    pieces, quiet = [], []
    for zone, part in movements.groupby("zone"):
        snapshots = workforce.loc[workforce["zone"] == zone, "period"].unique().tolist()
        spans = movement_periods(part["period"].drop_duplicates(), snapshots)
        located = part.merge(spans, left_on="period", right_on="movement_period",
                             suffixes=("_event", ""))
        pieces.append(located)
        quiet.append(snapshot_periods(snapshots, spans).assign(zone=zone))
    if not pieces:
        return pd.DataFrame(columns=[*CELL, "start", "end", "leavers", "resignations", "hires"])
    events = pd.concat(pieces, ignore_index=True)
    events = events.assign(
        leavers=events["count"].where(events["movement"] == "leave", 0),
        resignations=events["count"].where((events["movement"] == "leave")
                                           & (events["leave_reason"] == VOLUNTARY), 0),
        hires=events["count"].where(events["movement"] == "hire", 0))
    spans = pd.concat([events[["period", "zone", "start", "end"]], *quiet],
                      ignore_index=True).drop_duplicates(["period", "zone"])
    summed = events.groupby(CELL, as_index=False)[["leavers", "resignations", "hires"]].sum()
    return with_totals(summed, ["leavers", "resignations", "hires"]).merge(
        spans, on=["period", "zone"], how="right")


def _with_headcounts(flows: pd.DataFrame, stock: pd.DataFrame) -> pd.DataFrame:
    """Every cell of the period's snapshots, with no leavers where none left."""
    cell = ["zone", "staff_category", "rank", "dimension", "group"]
    at = stock.rename(columns={"period": "snapshot"})
    spans = flows[["period", "zone", "start", "end"]].drop_duplicates(["period", "zone"])
    present = pd.concat([spans.merge(at, left_on=["zone", side], right_on=["zone", "snapshot"])
                         for side in ("start", "end")], ignore_index=True)
    cells = pd.concat([present[CELL], flows.dropna(subset=["group"])[CELL]],
                      ignore_index=True).drop_duplicates()
    counted = ["leavers", "resignations", "hires"]
    flows = (cells.merge(flows.dropna(subset=["group"]).drop(columns=["start", "end"]), on=CELL,
                         how="left")
             .fillna({c: 0 for c in counted}).merge(spans, on=["period", "zone"], how="left")
             .astype({c: "int64" for c in counted}))
    table = flows.merge(at.rename(columns={"snapshot": "start", "count": "start_headcount"}),
                        on=[*cell, "start"], how="left")
    table = table.merge(at.rename(columns={"snapshot": "end", "count": "end_headcount"}),
                        on=[*cell, "end"], how="left")
    taken = set(zip(stock["zone"], stock["dimension"], stock["period"]))
    for side in ("start", "end"):
        exists = pd.Series([(z, d, s) in taken for z, d, s in zip(
            table["zone"], table["dimension"], table[side])], index=table.index, dtype=bool)
        column = f"{side}_headcount"
        table[column] = table[column].mask(table[column].isna() & exists, 0)
    both = table["start_headcount"].notna() & table["end_headcount"].notna()
    before = table["start"].isna() & table["end"].isna()
    basis = np.select([both, table["start_headcount"].notna(), table["end_headcount"].notna(),
                       before], ["average", "start", "end", BEFORE_FIRST], default="none")
    average = table[["start_headcount", "end_headcount"]].mean(axis=1)
    return table.assign(average_headcount=average, headcount_basis=basis)


def _rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return (numerator / denominator).where(denominator > 0)


def _relative(table: pd.DataFrame, dimensions: dict[str, Dimension],
              reference: str | None) -> pd.DataFrame:
    """Each group's leaver rate against its cell's reference group (see the module's text).

    Worked out for every cell at once: the reference of each cell (the declared group with the
    largest average headcount, the first of equals; or the one named), its row found by a
    merge, and the rate ratio worked out once per distinct set of figures.
    """
    if table.empty:
        return _relative_by_cell(table, dimensions, reference)
    pairs = table[["dimension", "group"]].drop_duplicates()
    declared_of = {(d, g): bool(dimensions[d].is_declared(g))
                   for d, g in zip(pairs["dimension"], pairs["group"])}
    table = table.assign(declared_group=[declared_of[k] for k in zip(table["dimension"],
                                                                      table["group"])])
    cell = table.groupby([*KEYS, "dimension"], sort=False).ngroup()
    table = table[cell >= 0]  # a row with no period or zone belongs to no cell
    cell = cell[cell >= 0]
    if reference is None:
        candidates = table["declared_group"] & (table["average_headcount"] > 0)
        largest = table.loc[candidates, "average_headcount"].groupby(
            cell[candidates], sort=False).idxmax()
        chosen = pd.Series(table.loc[largest.to_numpy(), "group"].to_numpy(),
                           index=largest.index, dtype=object)
        references = cell.map(chosen).astype(object)
        references = references.where(references.notna(), None)
    else:
        references = pd.Series(reference, index=table.index, dtype=object)
    is_reference = (table["group"] == references).fillna(False).astype(bool)
    first = table[is_reference].groupby(cell[is_reference], sort=False).head(1)
    ref_leavers = cell.map(pd.Series(first["leavers"].to_numpy(),
                                     index=cell[first.index].to_numpy()))
    ref_headcount = cell.map(pd.Series(first["average_headcount"].to_numpy(),
                                       index=cell[first.index].to_numpy()))
    compared = (table["declared_group"] & (table["group"] != references)
                & ref_leavers.notna()).to_numpy()
    figures = zip(table["leavers"], table["average_headcount"], ref_leavers, ref_headcount)
    ratios = {}
    results = []
    for row, key in zip(compared, figures):
        if not row:
            results.append((np.nan,) * 4)
            continue
        if key not in ratios:
            ratios[key] = _rate_ratio(*key)
        results.append(ratios[key])
    ratio, low, high, p = (list(c) for c in zip(*results))
    if references.notna().all():
        references = references.astype("str")  # as a cell-by-cell assignment types it
    return table.assign(reference_group=references, relative_leaver_rate=ratio, rr_ci_low=low,
                        rr_ci_high=high, p_value=p).reset_index(drop=True)


def _relative_by_cell(table: pd.DataFrame, dimensions: dict[str, Dimension],
                      reference: str | None) -> pd.DataFrame:
    """:func:`_relative` one cell at a time (kept as the reference the faster one is tested
    against)."""
    declared = table.apply(lambda r: dimensions[r["dimension"]].is_declared(r["group"]), axis=1)
    table = table.assign(declared_group=declared.astype(bool) if len(table) else declared)
    pieces = []
    for _, cell in table.groupby([*KEYS, "dimension"], sort=False):
        pieces.append(_against_reference(cell, reference))
    columns = ["reference_group", "relative_leaver_rate", "rr_ci_low", "rr_ci_high", "p_value"]
    if not pieces:
        return table.assign(**{c: np.nan for c in columns})
    return pd.concat(pieces, ignore_index=True)


def _against_reference(cell: pd.DataFrame, reference: str | None) -> pd.DataFrame:
    candidates = cell[cell["declared_group"] & (cell["average_headcount"] > 0)]
    if reference is None and not candidates.empty:
        reference = candidates.sort_values("average_headcount", ascending=False)["group"].iloc[0]
    ref = cell[cell["group"] == reference]
    if ref.empty:
        return cell.assign(reference_group=reference, relative_leaver_rate=np.nan,
                           rr_ci_low=np.nan, rr_ci_high=np.nan, p_value=np.nan)
    ref_leavers, ref_headcount = ref["leavers"].iloc[0], ref["average_headcount"].iloc[0]
    results = [_rate_ratio(row.leavers, row.average_headcount, ref_leavers, ref_headcount)
               if row.declared_group and row.group != reference else (np.nan,) * 4
               for row in cell.itertuples()]
    ratio, low, high, p = zip(*results) if results else ((), (), (), ())
    return cell.assign(reference_group=reference, relative_leaver_rate=ratio, rr_ci_low=low,
                       rr_ci_high=high, p_value=p)


def _rate_ratio(leavers: float, headcount: float, ref_leavers: float,
                ref_headcount: float) -> tuple:
    """Ratio of two Poisson rates: estimate, 95% interval (log scale), exact conditional test."""
    if not headcount or not ref_headcount or pd.isna(headcount) or pd.isna(ref_headcount):
        return (np.nan,) * 4
    leavers, ref_leavers = int(leavers), int(ref_leavers)
    total = leavers + ref_leavers
    p = binomtest(leavers, total, headcount / (headcount + ref_headcount)).pvalue if total else np.nan
    if leavers == 0 or ref_leavers == 0:
        ratio = (leavers / headcount) / (ref_leavers / ref_headcount) if ref_leavers else np.nan
        return ratio, np.nan, np.nan, p
    ratio = (leavers / headcount) / (ref_leavers / ref_headcount)
    spread = Z95 * math.sqrt(1 / leavers + 1 / ref_leavers)
    return ratio, ratio * math.exp(-spread), ratio * math.exp(spread), p


def leave_reasons(movements: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Leavers per reason and group for the whole zone, with each reason's share of leavers."""
    leavers = movements[(movements["movement"] == "leave") & (movements["dimension"] == dimension)]
    by_reason = leavers.groupby(["zone", "group", "leave_reason"], as_index=False)["count"].sum()
    totals = by_reason.groupby(["zone", "group"])["count"].transform("sum")
    return by_reason.assign(share=by_reason["count"] / totals)


def promotion_rates(workforce: pd.DataFrame, movements: pd.DataFrame, ladder: Ladder,
                    dimension: str) -> pd.DataFrame:
    """Promotions into rank r+1 / headcount at rank r at the start of the period, by group.

    The rank promoted from is ``from_rank`` where given, else the rank below the new one.
    """
    promoted = movements[(movements["movement"] == "promotion")
                         & (movements["dimension"] == dimension)]
    below = {r.code: prev.code for prev, r in zip(ladder.ranks, ladder.ranks[1:])
             if prev.staff_category == r.staff_category}
    promoted = promoted.assign(from_rank=promoted["from_rank"].mask(
        promoted["from_rank"] == "", promoted["rank"].map(below)))
    pieces = []
    for zone, part in promoted.groupby("zone"):
        snapshots = workforce.loc[workforce["zone"] == zone, "period"].unique().tolist()
        spans = movement_periods(part["period"].drop_duplicates(), snapshots)
        pieces.append(part.merge(spans, left_on="period", right_on="movement_period",
                                 suffixes=("_event", "")))
    columns = ["period", "zone", "staff_category", "rank", "from_rank", "dimension", "group",
               "promotions", "start_headcount", "promotion_rate"]
    if not pieces:
        return pd.DataFrame(columns=columns)
    events = pd.concat(pieces, ignore_index=True)
    counted = events.groupby(["period", "start", "zone", "staff_category", "rank", "from_rank",
                              "dimension", "group"], as_index=False)["count"].sum()
    stock = workforce[workforce["dimension"] == dimension].rename(
        columns={"period": "start", "rank": "from_rank", "count": "start_headcount"})
    table = counted.merge(stock[["start", "zone", "from_rank", "dimension", "group",
                                 "start_headcount"]],
                          on=["start", "zone", "from_rank", "dimension", "group"], how="left")
    table = table.rename(columns={"count": "promotions"})
    table["promotion_rate"] = _rate(table["promotions"], table["start_headcount"])
    return table[columns]
