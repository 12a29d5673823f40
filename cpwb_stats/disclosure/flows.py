"""Disclosure control of the derived numbers of flows: the funnel, leavers, promotions.

A count hidden in a table must stay hidden in every number published beside it: rates,
intervals, impact ratios, tests, shortfalls, pooled rows over campaigns, average headcounts and
the balance of a period (``start + hires - leavers = end``). The rule used throughout: a derived
number is computed from published counts only, or it is not published. (Policy and examples in
``docs/disclosure.md``; the attacker's tests in ``tests/test_disclosure_flows.py``.)
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from cpwb_stats.disclosure.control import DisclosurePolicy

# --------------------------------------------------------------------------------- funnel

FUNNEL_HIDDEN = ["entered", "passed", "pass_rate", "ci_low", "ci_high", "cumulative_rate",
                 "shortfall", "impact_ratio", "p_fisher", "z_score"]
COMPARED = ["impact_ratio", "p_fisher", "z_score", "one_person_flips", "reference_group",
            "insufficient_data", "below_four_fifths"]


def protect_funnel(table: pd.DataFrame, policy: DisclosurePolicy, reference: str = "highest",
                   pooled: bool = False, min_group: int | None = None,
                   hidden: set[tuple] | None = None,
                   measured: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The funnel of every campaign, and its pooled rows, with nothing a hidden count gives back.

    - ``hidden``: the stage counts hidden, as (campaign, zone, dimension, group, stage), chosen
      for every dimension of the campaign together (:func:`funnel_hidden`); without it, those
      of this table alone. A row whose ``entered`` or ``passed`` count is hidden shows none of
      its numbers. The number passing a stage is the number entering the next, so a count
      hidden at one stage is hidden wherever it appears.
    - Impact ratios, Fisher and z tests and the one-person check compare published rows only:
      the reference group is chosen among the published rows of the stage.
    - ``shortfall`` uses the overall rate of the declared groups at the stage, and is shown
      only when every declared group's row of that stage is published.
    - ``cumulative_rate`` is hidden when the group's number of applicants is.
    - Pooled rows (``pooled=True``, Cochran-Mantel-Haenszel) pool the published campaign rows
      only (``campaigns`` says how many), so a campaign row hidden above is never pooled in.
    ``table`` is :func:`cpwb_stats.measures.funnel.funnel_impact`'s output (with ``applied`` and
    ``overall_rate``); ``measured`` the stages it was computed over (read off the table's
    order when not given).
    """
    from cpwb_stats.measures.funnel import MIN_GROUP, pooled_impact, rejudged

    min_group = MIN_GROUP if min_group is None else min_group
    if table.empty:  # no declared group in the file: nothing to compare, nothing to hide
        return table.drop(columns=["applied", "overall_rate"], errors="ignore").assign(
            suppressed=pd.Series(dtype=bool))
    entered_at, passed_at, applied_at = _row_cells(table, measured)
    if hidden is None:
        hidden = funnel_hidden(_table_counts(table, entered_at, passed_at), {}, policy)
    small = pd.Series([e in hidden or p in hidden for e, p in zip(entered_at, passed_at)],
                      index=table.index, dtype=bool)
    protected = table.copy()
    for column in ("entered", "passed", "applied"):
        if column in protected:
            protected[column] = protected[column].astype("Int64")
    for column in FUNNEL_HIDDEN:
        protected[column] = protected[column].mask(small)
    if policy.active and "applied" in table:
        protected["cumulative_rate"] = protected["cumulative_rate"].mask(pd.Series(
            [a in hidden for a in applied_at], index=table.index, dtype=bool))
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


_LAST = "__after_last_stage__"  # the stage a table's last pair passes into, when not named


def _row_cells(table: pd.DataFrame, measured: tuple[str, ...] | None
               ) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """For each row, the stage counts it shows: entered, passed and applied, each as
    (campaign, zone, dimension, group, stage)."""
    from cpwb_stats.measures.funnel import ALL_STAGES

    if measured is None:
        seen = list(dict.fromkeys(s for s in table["stage"] if s != ALL_STAGES))
        measured = (*seen, _LAST)
    following = dict(zip(measured[:-1], measured[1:]))
    following[ALL_STAGES] = measured[-1]
    entered, passed, applied = [], [], []
    for row in table[["campaign", "zone", "dimension", "group", "stage"]].itertuples(index=False):
        place = (row.campaign, row.zone, row.dimension, row.group)
        first = measured[0] if row.stage == ALL_STAGES else row.stage
        entered.append((*place, first))
        passed.append((*place, following[row.stage]))
        applied.append((*place, measured[0]))
    return entered, passed, applied


def _table_counts(table: pd.DataFrame, entered_at: list, passed_at: list) -> pd.DataFrame:
    """The stage counts a funnel table shows (its declared groups only)."""
    cells = dict(zip(entered_at, table["entered"])) | dict(zip(passed_at, table["passed"]))
    return pd.DataFrame([(*key, value) for key, value in cells.items() if pd.notna(value)],
                        columns=["campaign", "zone", "dimension", "group", "stage", "entered"])


def funnel_hidden(counts: pd.DataFrame, dimensions: dict, policy: DisclosurePolicy,
                  measured: tuple[str, ...] | None = None) -> set[tuple]:
    """The stage counts every dimension's funnel hides, as (campaign, zone, dimension, group,
    stage): all dimensions of a campaign protected together.

    Each dimension counts the same candidates, so at every stage the groups of one dimension
    add up to the same number as those of another (the candidates who entered the stage; a
    reader does not see it, but knows it is one number). The groups a funnel does not publish
    (``undisclosed``, ``unknown``: not in ``dimensions[d].declared``) are unknown parts of it;
    within a group, no more people enter a stage than the stage before. A count of 1..k-1 is
    hidden, and the cheapest complements are hidden with it
    (:func:`cpwb_stats.disclosure.flow_suppression.hidden_flows`) so that no hidden count of 1..k-1, and
    no unpublished group's count of 1..k-1, can be narrowed to fewer than k values from what
    the funnels of every dimension show. Hiding costs the count plus one (the applicants, the
    first stage, weigh double): small complements first.

    ``counts``: the applicants' stage counts (campaign, zone, stage, dimension, group,
    entered); ``dimensions``: name -> :class:`~cpwb_stats.terms.vocabulary.Dimension` (a dimension
    not named counts every group as published).
    """
    if not policy.active or counts.empty:
        return set()
    hidden: set[tuple] = set()
    for _, part in counts.groupby(["campaign", "zone"], sort=False):
        hidden |= _campaign_hidden(part, dimensions, policy.min_cell, measured)
    return hidden


def _campaign_hidden(counts: pd.DataFrame, dimensions: dict, k: int,
                     measured: tuple[str, ...] | None) -> set[tuple]:
    from cpwb_stats.disclosure.flow_suppression import hidden_flows

    stages = list(measured) if measured else list(dict.fromkeys(counts["stage"]))
    table = counts.pivot_table(index=["campaign", "zone", "dimension", "group"],
                               columns="stage", values="entered", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=stages, fill_value=0)
    cells: dict[tuple, int] = {}
    equations, bounds, unpublished = [], [], set()
    for (campaign, zone, dimension, group), row in table.iterrows():
        dimension_of = dimensions.get(dimension)
        declared = dimension_of is None or group in dimension_of.declared
        for stage in stages:
            key = (campaign, zone, dimension, group, stage)
            cells[key] = int(row[stage])
            if not declared:
                unpublished.add(key)
        for stage, following in zip(stages[:-1], stages[1:]):
            bounds.append({(campaign, zone, dimension, group, following): 1,
                           (campaign, zone, dimension, group, stage): -1})
    totals = set()
    for (campaign, zone, dimension), part in table.groupby(level=[0, 1, 2], sort=False):
        for stage in stages:
            value = int(part[stage].sum())
            total = ("total", campaign, zone, stage)
            if cells.setdefault(total, value) != value:  # a dimension counting fewer people
                total = ("total", campaign, zone, stage, dimension)
                cells[total] = value
            totals.add(total)
            equations.append({total: -1, **{(campaign, zone, dimension, g, stage): 1
                                            for g in part.index.get_level_values(3)}})
    first = stages[0]
    costs = {c: (v + 1) * (2.0 if c[-1] == first else 1.0) for c, v in cells.items()}
    hideable = {c for c in cells if c not in totals and c not in unpublished}
    kept = {c for c in unpublished if 0 < cells[c] < k}
    chosen = hidden_flows(cells, equations, bounds, costs, k, hideable=hideable,
                          hidden=totals | unpublished, kept=kept)
    return {c for c in chosen if c in hideable}


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


def protect_flows(table: pd.DataFrame, promotions: pd.DataFrame, policy: DisclosurePolicy,
                  hidden_stocks: set[tuple] = frozenset(),
                  declared: set[tuple[str, str, str]] | None = None,
                  bands: dict[tuple, tuple[float, float]] | None = None,
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The leaver table and the promotions table, protected together.

    Promotions out of a rank and into the next are in each rank's balance
    (``start + hires + promoted in = leavers + promoted out + end``): shown beside the leaver
    table, a lone hidden promotion, leaver or hire would be given back by it. Both tables are
    one problem for the optimiser (see :func:`protect_retention`); the promotions' groups add
    up to a rank's promotions as the leavers' do. A promotion rate is hidden with its count or
    when the headcount below is hidden or under k.

    ``declared``: the (zone, dimension, group) whose people gave an answer. The representation
    shows how many of a rank declared; the headcounts of those groups add up to it, one more sum
    the reader holds beside the balances. ``bands``: (snapshot, zone, staff category, rank,
    dimension) -> (low, high) of a declaration rate the representation shows as a band
    (``low <= declared / headcount < high``), where it hides a number behind it.
    """
    hidden = _hidden_flows(table, promotions, policy, hidden_stocks, declared, bands)
    retention = _masked_retention(table, policy, hidden)
    if promotions.empty or not policy.active:
        return retention, promotions.assign(suppressed=False)
    starts = dict(zip(zip(table["period"], table["zone"]), table["start"]))
    return retention, _masked_promotions(promotions, policy, hidden, starts)


def _masked_promotions(promotions: pd.DataFrame, policy: DisclosurePolicy,
                       hidden: set[tuple], starts: dict[tuple, str]) -> pd.DataFrame:
    rows = promotions.to_dict("records")
    count_hidden = pd.Series([_promotion_key(r) in hidden for r in rows], index=promotions.index)
    base = promotions["start_headcount"]
    below = [("stock", starts.get((r["period"], r["zone"])), r["zone"], r["staff_category"],
              r["from_rank"], r["dimension"], r["group"]) for r in rows]
    base_hidden = pd.Series([cell in hidden for cell in below], index=promotions.index) | (
        base.isna() | (base < policy.min_cell))
    return promotions.assign(
        promotions=promotions["promotions"].astype("Int64").mask(count_hidden),
        start_headcount=base.astype("Int64").mask(base_hidden),
        promotion_rate=promotions["promotion_rate"].mask(count_hidden | base_hidden),
        suppressed=count_hidden | base_hidden)


def _promotion_key(row: dict) -> tuple:
    return ("promotions", row["period"], row["zone"], row["staff_category"], row["rank"],
            row["from_rank"], row["dimension"], row["group"])


def protect_retention(table: pd.DataFrame, policy: DisclosurePolicy,
                      hidden_stocks: set[tuple] = frozenset()) -> pd.DataFrame:
    """Leaver counts, headcounts and the rates built on them, protected as one table.

    A count of 1..k-1 is hidden, and further numbers are hidden, at least cost
    (:func:`cpwb_stats.disclosure.flow_suppression.hidden_flows`), wherever the hidden one could be worked
    out, or narrowed to fewer than k values, from what is shown beside it:

    - the groups of a rank (their sum is a number a reader may know: another dimension's table
      shows it, unless it is itself under k);
    - the ranks of a staff category and the categories of the zone (their totals are rows);
    - the balance of a period, ``start + hires = leavers + end``, where the file's counts do
      balance (a leavers table without hires does not): the headcounts are the
      representation's, shown on its pages, so the balance is protected with the flows;
    - resignations, at most the leavers;
    - ``hidden_stocks``: (snapshot, zone, category, rank, dimension, group) of the headcounts
      the representation of that snapshot hides, hidden here too.

    Hiding a count costs the count (plus one), far more for a staff category and the whole
    zone, so a large leaver count is hidden only when nothing cheaper protects. A hidden leaver
    or hire may be a 0 (a hidden 0 leaves the reader without an upper bound).

    A rate is hidden when its numerator or its denominator is, or when the average headcount
    is under k; a relative rate when either rate it compares is.
    """
    return _masked_retention(table, policy, _hidden_flows(table, None, policy, hidden_stocks))


def _hidden_flows(table: pd.DataFrame, promotions: pd.DataFrame | None,
                  policy: DisclosurePolicy, hidden_stocks: set[tuple],
                  declared: set[tuple[str, str, str]] | None = None,
                  bands: dict[tuple, tuple[float, float]] | None = None) -> set[tuple]:
    if not policy.active:
        return set()
    table = table.astype({c: "Float64" for c in RETENTION_COUNTS + RETENTION_STOCKS})
    hidden: set[tuple] = set()
    for zone, part in table.groupby("zone", sort=False):
        promoted = None if promotions is None or promotions.empty else promotions[
            promotions["zone"] == zone]
        hidden |= _hidden_in_zone(part, hidden_stocks, policy.min_cell, promoted, declared,
                                  bands)
    return hidden


def _masked_retention(table: pd.DataFrame, policy: DisclosurePolicy,
                      hidden: set[tuple]) -> pd.DataFrame:
    table = table.astype({c: "Float64" for c in RETENTION_COUNTS + RETENTION_STOCKS})
    if not policy.active:
        return _whole_counts(table.assign(suppressed=False))
    protected = table.copy()
    for column in RETENTION_COUNTS + RETENTION_STOCKS:
        cells = [_cell_key(column, row) for row in table.to_dict("records")]
        protected[column] = protected[column].mask(
            pd.Series([c in hidden for c in cells], index=table.index))
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


RANK_TOTAL = "__all_groups__"  # the number of a rank over every group, shared by all dimensions
# Hiding a leaver count of a staff category or of the whole zone (the retention page's
# headline) costs far more than a rank's.
FLOW_COST = {"rank": 1.0, "category": 50.0, "zone": 10_000.0}


def _cell_key(column: str, row: dict) -> tuple:
    """A flow is a cell of its period; a headcount is the cell of its snapshot, one number
    whichever period's row shows it (the end of one period is the start of the next)."""
    tail = (row["zone"], row["staff_category"], row["rank"], row["dimension"], row["group"])
    if column == "start_headcount":
        return ("stock", row["start"], *tail)
    if column == "end_headcount":
        return ("stock", row["end"], *tail)
    return (column, row["period"], *tail)


def _hidden_in_zone(table: pd.DataFrame, hidden_stocks: set[tuple], k: int,
                    promotions: pd.DataFrame | None = None,
                    declared: set[tuple[str, str, str]] | None = None,
                    bands: dict[tuple, tuple[float, float]] | None = None) -> set[tuple]:
    """One zone's leaver table (every period and dimension: they share headcounts and totals),
    and its promotions."""
    from cpwb_stats.disclosure.flow_suppression import hidden_flows

    cells: dict[tuple, int] = {}
    for row in table.to_dict("records"):
        for column in RETENTION_COUNTS + RETENTION_STOCKS:
            if pd.notna(row[column]):
                cells[_cell_key(column, row)] = int(row[column])
    promoted = [] if promotions is None else promotions.to_dict("records")
    equations, balances, bounds = _retention_relations(table, cells, promoted, declared)
    bounds += _band_bounds(cells, bands)
    flows = {c for c in cells if c[0] in RETENTION_COUNTS + ["promotions"]
             and c[-1] != RANK_TOTAL}
    # Headcounts the representation hides (and any of 1..k-1, and a rank's headcount under k)
    # are unknown to the reader; so is a rank's number of leavers over every group (no table
    # shows it: the reader finds it only by adding groups of a dimension that are all shown).
    unknown = {c for c, value in cells.items()
               if c[-1] == RANK_TOTAL and c[0] != "stock"
               or (c[0] == "stock" and c[1:] in hidden_stocks) or c[0] == "stock" and 0 < value < k}
    # A headcount the representation hides is at least 1 (it never hides a 0); so is a hidden
    # promotion count: the promotions table has a row only where someone was promoted.
    floors = {c: min(value, 1) for c, value in cells.items()
              if c[0] == "stock" or c[0] == "promotions" and c[-1] != RANK_TOTAL}
    costs = {c: (value + 1) * _flow_level(c) for c, value in cells.items()}
    # A small headcount the representation hides: not given back through this table's sums.
    small_stocks = {c for c in unknown if c[0] == "stock" and 0 < cells[c] < k}
    return hidden_flows(cells, equations, bounds, costs, k, hideable=flows, hidden=unknown,
                        guarded=balances, floors=floors, kept=small_stocks)


def _promotion_cells(promoted: list[dict], cells: dict[tuple, int]) -> tuple[dict, dict]:
    """Each promotion count as a cell, by the (period, zone, rank, dimension, group) it enters
    and the one it leaves."""
    moved_in: dict[tuple, list] = defaultdict(list)
    moved_out: dict[tuple, list] = defaultdict(list)
    for row in promoted:
        key = _promotion_key(row)
        cells[key] = int(row["promotions"])
        tail = (row["dimension"], row["group"])
        moved_in[(row["period"], row["zone"], row["rank"], *tail)].append(key)
        moved_out[(row["period"], row["zone"], row["from_rank"], *tail)].append(key)
    return moved_in, moved_out


def _promotion_groups(promoted: list[dict]) -> dict[tuple, list]:
    groups: dict[tuple, list] = defaultdict(list)
    for row in promoted:
        groups[(row["period"], row["zone"], row["staff_category"], row["rank"],
                row["dimension"])].append(_promotion_key(row))
    return groups


def _flow_level(cell: tuple) -> float:
    category, rank = cell[3], cell[4]
    from cpwb_stats.terms.ladders import ALL

    return FLOW_COST["zone" if category == ALL else "category" if rank == ALL else "rank"]


def _retention_relations(table: pd.DataFrame, cells: dict[tuple, int],
                         promoted: list[dict] = (),
                         declared: set[tuple[str, str, str]] | None = None,
                         ) -> tuple[list, list, list]:
    """Equations (sum of coefficient x cell = 0), the balances among them, and bounds (<= 0)
    a reader knows. Adds each rank's total over the groups to ``cells``, and, with
    ``declared``, each rank's number who declared (shown by the representation: known)."""
    from cpwb_stats.terms.ladders import ALL

    equations: dict[frozenset, dict] = {}

    def add(relation: dict) -> None:
        if all(c in cells for c in relation):
            equations.setdefault(frozenset(relation.items()), relation)

    by_group: dict[tuple, list[tuple]] = defaultdict(list)
    by_rank: dict[tuple, list[tuple]] = defaultdict(list)
    for cell in cells:
        kind, when, zone, category, rank, dimension, group = cell
        by_group[(kind, when, zone, category, rank, dimension)].append(cell)
        if category != ALL and rank != ALL:
            by_rank[(kind, when, zone, category, ALL, dimension, group)].append(cell)
        elif category != ALL:
            by_rank[(kind, when, zone, ALL, ALL, dimension, group)].append(cell)
    for total, parts in by_rank.items():
        add({total: -1, **{p: 1 for p in parts}})
    for (kind, when, zone, category, rank, dimension), parts in by_group.items():
        value = int(sum(cells[p] for p in parts))
        total = (kind, when, zone, category, rank, RANK_TOTAL, RANK_TOTAL)
        if cells.setdefault(total, value) != value:  # dimensions that do not count everyone
            total = (kind, when, zone, category, rank, dimension, RANK_TOTAL)
            cells[total] = value
        add({total: -1, **{p: 1 for p in parts}})
    for total, parts in _declared_totals(cells, declared).items():
        cells[total] = int(sum(cells[p] for p in parts))
        add({total: -1, **{p: 1 for p in parts}})
    moved_in, moved_out = _promotion_cells(promoted, cells)
    for (period, zone, category, rank, dimension), parts in _promotion_groups(promoted).items():
        total = ("promotions", period, zone, category, rank, dimension, RANK_TOTAL, RANK_TOTAL)
        cells[total] = int(sum(cells[p] for p in parts))
        add({total: -1, **{p: 1 for p in parts}})
    bounds, balances = [], []
    for row in table.to_dict("records"):
        start, end = _cell_key("start_headcount", row), _cell_key("end_headcount", row)
        hires, leavers = _cell_key("hires", row), _cell_key("leavers", row)
        resignations = _cell_key("resignations", row)
        place = (row["period"], row["zone"], row["rank"], row["dimension"], row["group"])
        balance = {start: 1, hires: 1, leavers: -1, end: -1}
        if row["rank"] != ALL:
            for cell in moved_in.get(place, []):
                balance[cell] = balance.get(cell, 0) + 1
            for cell in moved_out.get(place, []):
                balance[cell] = balance.get(cell, 0) - 1
        if all(c in cells for c in balance) and sum(
                sign * cells[c] for c, sign in balance.items()) == 0:
            balances.append({c: sign for c, sign in balance.items() if sign})
            add(balances[-1])
        if resignations in cells and leavers in cells:
            bounds.append({resignations: 1, leavers: -1})
    return list(equations.values()), balances, bounds


DECLARED_TOTAL = "__declared__"  # a rank's headcount of the groups that gave an answer


def _declared_totals(cells: dict[tuple, int], declared: set[tuple[str, str, str]] | None
                     ) -> dict[tuple, list[tuple]]:
    """Each snapshot's, rank's and dimension's declared headcount, with the headcounts that add
    up to it, where the dimension has a group that did not declare (else it is the total)."""
    if declared is None:
        return {}
    parts: dict[tuple, list[tuple]] = defaultdict(list)
    open_: set[tuple] = set()
    for cell in cells:
        kind, when, zone, category, rank, dimension, group = cell
        if kind != "stock" or group == RANK_TOTAL or dimension == RANK_TOTAL:
            continue
        total = (kind, when, zone, category, rank, dimension, DECLARED_TOTAL)
        if (zone, dimension, group) in declared:
            parts[total].append(cell)
        else:
            open_.add(total)
    return {total: cells_ for total, cells_ in parts.items() if total in open_}


def _band_bounds(cells: dict[tuple, int], bands: dict[tuple, tuple[float, float]] | None
                 ) -> list[dict]:
    """A declaration-rate band as two bounds (``<= 0``) over a rank's declared total and its
    headcount: ``low x headcount - declared <= 0`` and ``declared - high x headcount <= 0``."""
    relations = []
    for place, (low, high) in (bands or {}).items():
        when, zone, category, rank, dimension = place
        headcount = ("stock", when, zone, category, rank, dimension, RANK_TOTAL)
        if headcount not in cells:
            headcount = ("stock", when, zone, category, rank, RANK_TOTAL, RANK_TOTAL)
        declared = ("stock", *place, DECLARED_TOTAL)
        if declared not in cells:  # everyone's group is declared: the rate is 1
            declared = headcount
        if headcount not in cells or declared is headcount:
            continue
        relations.append({headcount: float(low), declared: -1.0})
        if high < 1:
            relations.append({declared: 1.0, headcount: -float(high)})
    return relations


def _whole_counts(table: pd.DataFrame) -> pd.DataFrame:
    return table.astype({c: "Int64" for c in RETENTION_COUNTS + RETENTION_STOCKS})


def _reference_hidden(table: pd.DataFrame, hidden: pd.Series) -> pd.Series:
    from cpwb_stats.terms.schemas import KEYS

    cell = KEYS + ["dimension"]
    marked = table[cell + ["group", "reference_group"]].assign(_hidden=hidden)
    reference = marked[marked["group"] == marked["reference_group"]][cell + ["_hidden"]]
    merged = marked[cell].merge(reference.drop_duplicates(cell), on=cell, how="left")
    return pd.Series(merged["_hidden"].fillna(False).to_numpy(dtype=bool), index=table.index)
