"""Disclosure control of the derived numbers of flows: the funnel, leavers, promotions.

A count hidden in a table must stay hidden in every number published beside it: rates,
intervals, impact ratios, tests, shortfalls, pooled rows over campaigns, average headcounts and
the balance of a period (``start + hires - leavers = end``). The rule used throughout: a derived
number is computed from published counts only, or it is not published. (Policy and examples in
``docs/disclosure.md``; the attacker's tests in ``tests/test_disclosure_flows.py``.)
"""

from __future__ import annotations

import pandas as pd

from cpwb_stats.disclosure import DisclosurePolicy

# --------------------------------------------------------------------------------- funnel

FUNNEL_HIDDEN = ["entered", "passed", "pass_rate", "ci_low", "ci_high", "cumulative_rate",
                 "shortfall", "impact_ratio", "p_fisher", "z_score"]
COMPARED = ["impact_ratio", "p_fisher", "z_score", "one_person_flips", "reference_group",
            "insufficient_data", "below_four_fifths"]


def protect_funnel(table: pd.DataFrame, policy: DisclosurePolicy, reference: str = "highest",
                   pooled: bool = False, min_group: int | None = None) -> pd.DataFrame:
    """The funnel of every campaign, and its pooled rows, with nothing a hidden count gives back.

    - A row whose ``entered`` or ``passed`` count is 1..k-1 shows none of its numbers. The
      number passing a stage is the number entering the next, so a count hidden at one stage is
      hidden wherever it appears.
    - Impact ratios, Fisher and z tests and the one-person check compare published rows only:
      the reference group is chosen among the published rows of the stage.
    - ``shortfall`` uses the overall rate of the declared groups at the stage, and is shown
      only when every declared group's row of that stage is published.
    - ``cumulative_rate`` is hidden when the group's number of applicants is.
    - Pooled rows (``pooled=True``, Cochran-Mantel-Haenszel) pool the published campaign rows
      only (``campaigns`` says how many), so a campaign row hidden above is never pooled in.
    ``table`` is :func:`cpwb_stats.funnel.funnel_impact`'s output (with ``applied`` and
    ``overall_rate``).
    """
    from cpwb_stats.funnel import MIN_GROUP, pooled_impact, rejudged

    min_group = MIN_GROUP if min_group is None else min_group
    if table.empty:  # no declared group in the file: nothing to compare, nothing to hide
        return table.drop(columns=["applied", "overall_rate"], errors="ignore").assign(
            suppressed=pd.Series(dtype=bool))
    small = (table["entered"].map(policy.is_small) | table["passed"].map(policy.is_small)
             ).astype(bool)
    protected = table.copy()
    for column in ("entered", "passed", "applied"):
        if column in protected:
            protected[column] = protected[column].astype("Int64")
    for column in FUNNEL_HIDDEN:
        protected[column] = protected[column].mask(small)
    if policy.active and "applied" in table:
        protected["cumulative_rate"] = protected["cumulative_rate"].mask(
            table["applied"].map(policy.is_small).astype(bool))
    protected = rejudged(protected, reference, min_group)
    protected["shortfall"] = _published_shortfall(protected)
    protected = protected.assign(suppressed=small,
                                 insufficient_data=protected["insufficient_data"] | small)
    protected = protected.drop(columns=["applied", "overall_rate"], errors="ignore")
    if not pooled:
        return protected
    rows = pooled_impact(protected[~protected["suppressed"]], reference, min_group)
    if rows.empty:
        return protected
    rows = rows.assign(dimension=protected["dimension"].iloc[0])
    return pd.concat([protected, rows], ignore_index=True)


def _published_shortfall(table: pd.DataFrame) -> pd.Series:
    """entered x (passed / entered of the declared groups at the stage) - passed, when all shown."""
    stage = ["campaign", "zone", "stage"]
    grouped = table.assign(_hidden=table["entered"].isna() | table["passed"].isna(),
                           _entered=table["entered"].astype("Float64"),
                           _passed=table["passed"].astype("Float64")).groupby(stage)
    any_hidden = grouped["_hidden"].transform("any")
    entered = grouped["_entered"].transform("sum")
    overall = grouped["_passed"].transform("sum") / entered.where(entered > 0)
    shortfall = table["entered"].astype("Float64") * overall - table["passed"].astype("Float64")
    return shortfall.mask(any_hidden).astype(float)


# ------------------------------------------------------------------------------ retention

RETENTION_COUNTS = ["leavers", "resignations", "hires"]
RETENTION_STOCKS = ["start_headcount", "end_headcount"]
FLOWS = ["leavers", "hires"]


def protect_retention(table: pd.DataFrame, policy: DisclosurePolicy,
                      hidden_stocks: set[tuple] = frozenset()) -> pd.DataFrame:
    """Leaver counts, headcounts and the rates built on them, protected as one table.

    A count of 1..k-1 is hidden, and a second number is hidden wherever the hidden one could be
    worked out from what is shown beside it:

    - the groups of a cell (their sum is a number a reader may know);
    - the ranks of a staff category and the categories of the zone (their totals are rows);
    - the balance of a period, ``start + hires = leavers + end``: the headcounts are shown on
      the representation pages, so leavers and hires of a row are hidden together;
    - ``hidden_stocks``: (snapshot, zone, category, rank, dimension, group) of the headcounts
      another page hides (the representation of that snapshot), hidden here too.

    A rate is hidden when its numerator or its denominator is, or when the average headcount
    is under k; a relative rate when either rate it compares is.
    """
    from cpwb_stats.retention import CELL

    table = table.astype({c: "Float64" for c in RETENTION_COUNTS + RETENTION_STOCKS})
    if not policy.active:
        return _whole_counts(table.assign(suppressed=False))
    keys = [tuple(k) for k in table[CELL].itertuples(index=False)]
    values: dict[tuple, float] = {}
    for column in RETENTION_COUNTS + RETENTION_STOCKS:
        for key, value in zip(keys, table[column]):
            if pd.notna(value):
                values[(column, *key)] = float(value)
    hidden = {cell for cell, value in values.items() if policy.is_small(value)}
    snapshots = {"start_headcount": table["start"], "end_headcount": table["end"]}
    for column, snapshot in snapshots.items():
        for key, at in zip(keys, snapshot):
            if (at, *key[1:]) in hidden_stocks and (column, *key) in values:
                hidden.add((column, *key))
    _complete(hidden, values, _retention_equations(table, keys, values), policy.min_cell)
    protected = table.copy()
    for column in RETENTION_COUNTS + RETENTION_STOCKS:
        mask = pd.Series([(column, *k) in hidden for k in keys], index=table.index)
        protected[column] = protected[column].mask(mask)
    stock_hidden = protected[RETENTION_STOCKS].isna().any(axis=1) & table[RETENTION_STOCKS].notna(
    ).any(axis=1)
    small_base = table["average_headcount"] < policy.min_cell
    protected["average_headcount"] = protected["average_headcount"].mask(stock_hidden)
    leaver_hidden = protected["leavers"].isna() | stock_hidden | small_base
    protected["leaver_rate"] = protected["leaver_rate"].mask(leaver_hidden)
    protected["resignation_rate"] = protected["resignation_rate"].mask(
        protected["resignations"].isna() | stock_hidden | small_base)
    reference_hidden = _reference_hidden(protected, leaver_hidden)
    for column in ("relative_leaver_rate", "rr_ci_low", "rr_ci_high", "p_value"):
        protected[column] = protected[column].mask(leaver_hidden | reference_hidden)
    return _whole_counts(protected.assign(suppressed=leaver_hidden))


Equation = tuple[list[tuple], "tuple | None"]  # (parts, total), or (members, None)


def _retention_equations(table: pd.DataFrame, keys: list[tuple],
                         values: dict[tuple, float]) -> tuple[list[Equation], list[list[tuple]]]:
    """Sums (parts, published total or None when the reader may know it) and balances."""
    from cpwb_stats.ladders import ALL

    groups: dict[tuple, list[tuple]] = {}
    ranks: dict[tuple, list[tuple]] = {}
    categories: dict[tuple, list[tuple]] = {}
    for cell in values:
        column, period, zone, category, rank, dimension, group = cell
        groups.setdefault((column, period, zone, category, rank, dimension), []).append(cell)
        if category != ALL and rank != ALL:
            ranks.setdefault((column, period, zone, category, ALL, dimension, group),
                             []).append(cell)
        elif category != ALL:
            categories.setdefault((column, period, zone, ALL, ALL, dimension, group),
                                  []).append(cell)
    sums: list[Equation] = [(members, None) for members in groups.values()]
    for grouping in (ranks, categories):
        sums += [(parts, total) for total, parts in grouping.items() if total in values]
    balances = []
    for key in keys:
        balance = [(c, *key) for c in ("start_headcount", "hires", "leavers", "end_headcount")]
        if all(cell in values for cell in balance):
            balances.append(balance)
    return sums, balances


def _complete(hidden: set[tuple], values: dict[tuple, float],
              equations: tuple[list[Equation], list[list[tuple]]], min_cell: int) -> None:
    """Hide more numbers until no hidden one can be narrowed below what ``<k`` says.

    - The headcounts are published by the representation pages, so a period's balance
      ``start + hires = leavers + end`` makes ``leavers - hires`` known: leavers and hires of a
      row are hidden together, and resignations (at most the leavers) with the leavers.
    - In a sum whose total the reader knows, the hidden parts add up to a known number: when
      that number is under k-2 (a lone hidden part, or hidden zeros beside a zero total), one
      more part is hidden, else the total. A hidden total takes a part with it.
    - A lone hidden number of a balance takes a flow with it.
    The number chosen is a flow first (the smallest non-zero one, else a zero: a hidden zero
    leaves the reader without an upper bound), else the smallest headcount. A number alone in
    a sum (the only group of a rank: its headcount is the rank's) is known to the reader
    whatever is hidden, and is never chosen to protect another.
    """
    sums, balances = equations
    known = {parts[0] for parts, total in sums
             if total is None and len(parts) == 1 and parts[0][0] in RETENTION_STOCKS}

    def cheapest(cells: list[tuple]) -> tuple | None:
        open_ = [m for m in cells if m not in hidden and m not in known]
        if not open_:
            return None
        return min(open_, key=lambda m: (m[0] not in FLOWS, values[m] == 0, values[m]))

    _pair_flows(hidden, values)
    changed = True
    while changed:
        changed = False
        for parts, total in sums:
            hidden_parts = [m for m in parts if m in hidden]
            total_hidden = total is not None and total in hidden
            if total_hidden and hidden_parts:
                continue
            if not total_hidden and (not hidden_parts or (
                    len(hidden_parts) > 1
                    and sum(values[m] for m in hidden_parts) >= min_cell - 2)):
                continue
            choice = cheapest(parts)
            if choice is None and total is not None and total not in known:
                choice = total
            if choice is not None and choice not in hidden:  # a hidden total alone adds nothing
                hidden.add(choice)
                changed = True
        for members in balances:
            if sum(m in hidden for m in members) == 1:
                choice = cheapest(members)
                if choice is not None:
                    hidden.add(choice)
                    changed = True
        if changed:
            _pair_flows(hidden, values)


def _pair_flows(hidden: set[tuple], values: dict[tuple, float]) -> None:
    for cell in [c for c in hidden if c[0] in FLOWS]:
        partners = [("hires" if cell[0] == "leavers" else "leavers", *cell[1:])]
        if cell[0] == "leavers":
            partners.append(("resignations", *cell[1:]))
        hidden.update(p for p in partners if p in values)


def _whole_counts(table: pd.DataFrame) -> pd.DataFrame:
    return table.astype({c: "Int64" for c in RETENTION_COUNTS + RETENTION_STOCKS})


def _reference_hidden(table: pd.DataFrame, hidden: pd.Series) -> pd.Series:
    from cpwb_stats.schemas import KEYS

    cell = KEYS + ["dimension"]
    marked = table[cell + ["group", "reference_group"]].assign(_hidden=hidden)
    reference = marked[marked["group"] == marked["reference_group"]][cell + ["_hidden"]]
    merged = marked[cell].merge(reference.drop_duplicates(cell), on=cell, how="left")
    return pd.Series(merged["_hidden"].fillna(False).to_numpy(dtype=bool), index=table.index)
