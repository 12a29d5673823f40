"""Disclosure control: the one gate every count passes before it is shown, downloaded or logged.

Policy (see ``docs/disclosure.md``):

- a count of 1 to k-1 is hidden and shown as ``<k`` (primary suppression);
- a share is hidden when its numerator is hidden or its denominator is below k;
- complementary suppression: wherever a hidden cell could be worked out by subtraction, from a
  total and the other cells of the same dimension, from the declared total and the headcount,
  from the other ranks of the category and the category total, or (comparing zones) from
  the sum of the zones and the other zones, a second cell is hidden too
  (the smallest non-zero one, so the least information is lost);
- shares are withheld and marked "not robust" when the declaration rate is below 60%.

``min_cell = 0`` switches suppression off; only an owner working on their own file may do that.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cpwb_stats.ladders import ALL
from cpwb_stats.representation import COMBINED_ZONE
from cpwb_stats.schemas import KEYS, Representation
from cpwb_stats.survival import risk_table

DEFAULT_MIN_CELL = 5
DECLARED = "__declared__"
HEADCOUNT = "__headcount__"
SMALL = "small"  # a count of 1..k-1, shown as <k
COMPLEMENTARY = "complementary"  # hidden so that a small count elsewhere cannot be worked out


@dataclass(frozen=True)
class DisclosurePolicy:
    min_cell: int = DEFAULT_MIN_CELL
    min_declaration_rate: float = 0.6

    @property
    def active(self) -> bool:
        return self.min_cell > 0

    def is_small(self, count: float) -> bool:
        return self.active and 0 < count < self.min_cell

    def label(self) -> str:
        return f"<{self.min_cell}"


def protect_representation(table: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    """Hide every count, share and interval the policy does not allow to be seen."""
    if not policy.active:
        return _finish(table.assign(suppressed=False, suppression=""), policy,
                       hide_not_robust=False)
    cells = _cell_values(table)
    declared_groups = set(zip(table.loc[table["declared_group"], "dimension"],
                              table.loc[table["declared_group"], "group"]))
    hidden = suppress_cells(cells, declared_groups, policy)
    row_key = [tuple(r) for r in table[KEYS + ["dimension", "group"]].itertuples(index=False)]
    denominator_key = [tuple(r) for r in table[KEYS + ["dimension"]].itertuples(index=False)]
    count_hidden = pd.Series([k in hidden for k in row_key], index=table.index)
    declared_hidden = pd.Series([(*k, DECLARED) in hidden for k in denominator_key],
                                index=table.index)
    headcount_hidden = pd.Series([(*k, HEADCOUNT) in hidden for k in denominator_key],
                                 index=table.index)
    share_hidden = count_hidden | declared_hidden | (table["declared"] < policy.min_cell)
    protected = table.assign(
        count=table["count"].astype("Int64").mask(count_hidden),
        declared=table["declared"].astype("Int64").mask(declared_hidden),
        headcount=table["headcount"].astype("Int64").mask(headcount_hidden),
        share=table["share"].mask(share_hidden),
        ci_low=table["ci_low"].mask(share_hidden),
        ci_high=table["ci_high"].mask(share_hidden),
        declaration_rate=table["declaration_rate"].mask(declared_hidden | headcount_hidden),
        suppressed=count_hidden | (share_hidden & table["share"].notna()),
        suppression=pd.Series("", index=table.index).mask(count_hidden, COMPLEMENTARY)
        .mask(table["count"].map(policy.is_small), SMALL),
    )
    return _finish(protected, policy, hide_not_robust=True)


def _finish(table: pd.DataFrame, policy: DisclosurePolicy, hide_not_robust: bool) -> pd.DataFrame:
    not_robust = (table["declaration_rate"] < policy.min_declaration_rate).fillna(False)
    not_robust &= table["declared_group"]
    if hide_not_robust:
        table = table.assign(share=table["share"].mask(not_robust),
                             ci_low=table["ci_low"].mask(not_robust),
                             ci_high=table["ci_high"].mask(not_robust))
    table = table.assign(not_robust=not_robust.astype(bool))
    for column in ("count", "declared", "headcount"):
        table[column] = table[column].astype("Int64")
    return Representation.validate(table)


def _cell_values(table: pd.DataFrame) -> dict[tuple, int]:
    """Every published number, keyed: group counts, declared totals and headcounts."""
    values: dict[tuple, int] = {}
    for row in table[KEYS + ["dimension", "group", "count", "declared", "headcount"]].itertuples(
            index=False):
        keys = tuple(row[:4])
        values[(*keys, row.dimension, row.group)] = int(row.count)
        values[(*keys, row.dimension, DECLARED)] = int(row.declared)
        values[(*keys, row.dimension, HEADCOUNT)] = int(row.headcount)
    return values


def _equations(cells: dict[tuple, int],
               declared_groups: set[tuple[str, str]]) -> list[tuple[list[tuple], tuple]]:
    """The sums a reader can use to recover a hidden cell: (parts, total) pairs."""
    by_denominator: dict[tuple, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    across_ranks: dict[tuple, list[tuple]] = defaultdict(list)
    across_categories: dict[tuple, list[tuple]] = defaultdict(list)
    across_zones: dict[tuple, list[tuple]] = defaultdict(list)
    for cell in cells:
        period, zone, category, rank, dimension, group = cell
        if zone != COMBINED_ZONE:
            across_zones[(period, COMBINED_ZONE, *cell[2:])].append(cell)
        if group not in (DECLARED, HEADCOUNT):
            kind = "declared" if (dimension, group) in declared_groups else "other"
            by_denominator[cell[:5]][kind].append(cell)
        if category != ALL and rank != ALL:
            across_ranks[(period, zone, category, ALL, dimension, group)].append(cell)
        elif category != ALL:
            across_categories[(period, zone, ALL, ALL, dimension, group)].append(cell)
    equations = []
    for (period, zone, category, rank, dimension), parts in by_denominator.items():
        declared = (period, zone, category, rank, dimension, DECLARED)
        headcount = (period, zone, category, rank, dimension, HEADCOUNT)
        equations += [(parts["declared"], declared),
                       (parts["declared"] + parts["other"], headcount),
                       ([declared] + parts["other"], headcount)]
    for grouping in (across_ranks, across_categories, across_zones):
        equations += [(parts, total) for total, parts in grouping.items() if total in cells]
    return equations


def suppress_cells(cells: dict[tuple, int], declared_groups: set[tuple[str, str]],
                   policy: DisclosurePolicy) -> set[tuple]:
    """Primary then complementary suppression, repeated until no hidden cell can be recovered.

    ``cells`` maps (period, zone, category, rank, dimension, group) to a count; declared totals
    and headcounts are cells too. Returns the keys to hide.
    """
    hidden = {cell for cell, value in cells.items() if policy.is_small(value)}
    # Only published cells can be hidden; a sum over cells some tables do not publish (the
    # declared total of a retention table, say) still counts as known to the reader.
    equations = [([p for p in parts if p in cells], total)
                 for parts, total in _equations(cells, declared_groups)]
    changed = True
    while changed:
        changed = False
        for parts, total in equations:
            if sum(m in hidden for m in parts) + (total in hidden) != 1:
                continue
            cell = _complement(parts, total, hidden, cells)
            # A total that is not published (a retention table has no declared totals) needs
            # no hiding.
            if cell in cells and cell not in hidden:
                hidden.add(cell)
                changed = True
        changed |= _same_headcount_hidden_everywhere(cells, hidden)
    return hidden


def _same_headcount_hidden_everywhere(cells: dict[tuple, int], hidden: set[tuple]) -> bool:
    """A headcount is one number shown under every dimension: hidden in one, hidden in all."""
    hidden_headcounts = {(cell[:4], cells[cell]) for cell in hidden if cell[5] == HEADCOUNT}
    more = {cell for cell in cells if cell[5] == HEADCOUNT and cell not in hidden
            and (cell[:4], cells[cell]) in hidden_headcounts}
    hidden |= more
    return bool(more)


def _complement(parts: list[tuple], total: tuple, hidden: set[tuple],
                cells: dict[tuple, int]) -> tuple:
    """The cell to hide beside a lone hidden one: the smallest non-zero part, else the total."""
    open_parts = [p for p in parts if p not in hidden]
    nonzero = [p for p in open_parts if cells[p] > 0]
    candidates = nonzero or open_parts
    if candidates:
        return min(candidates, key=lambda p: cells[p])
    return total


def protect_comparison(by_zone: pd.DataFrame, combined: pd.DataFrame,
                       policy: DisclosurePolicy) -> pd.DataFrame:
    """Zones side by side and their sum (zone 'all'), protected as one table.

    The sum of the zones is one more way to recover a hidden value (the sum minus the zones
    shown), so the suppression runs over the zones and the sum together, with that equation
    among the others: no hidden value of any zone can be worked out by subtraction.
    """
    return protect_representation(pd.concat([by_zone, combined], ignore_index=True), policy)


def protect_curve(people: pd.DataFrame, policy: DisclosurePolicy,
                  by_reason: bool = False) -> pd.DataFrame:
    """The observations a retention or incidence curve may be drawn from, per group.

    ``people`` are the observations of ``survival.observations`` (group, entry, duration,
    event, reason, weight). Per group:

    - the curve stops at the first leaving time where fewer than k people are at risk: everyone
      still observed then is censored at the last step shown (people who join later are left
      out), so no step hidden there is multiplied into a later value;
    - the remaining leaving times are merged into steps (each leaver moved to the last time of
      its step) until each step counts at least k leavers;
    - the leavers dropped at the end (after the last step shown) are none or at least k, else
      the last step goes too: the tail is never a small difference between the leavers
      published elsewhere and those the curve shows.

    With ``by_reason`` (for the incidence by reason) the steps of the curve are merged further
    until every step and the tail also count, per reason, none or at least k leavers; its steps
    are merged steps of the curve's, so the two together tell no more than each.

    Every curve, interval, at-risk count and incidence computed from the result is a function of
    steps that each reflect at least k leavers among at least k at risk.
    """
    if not policy.active or people.empty:
        return people
    pieces = []
    for _, part in people.groupby("group", sort=False):
        curve = _coarsened(part, policy.min_cell, False, _leavers(part))
        pieces.append(_coarsened(curve, policy.min_cell, True, _leavers(part))
                      if by_reason else curve)
    return pd.concat(pieces, ignore_index=True)


def _leavers(people: pd.DataFrame) -> pd.Series:
    """Leavers in all and per reason (``reason:...``), as the risk table labels them."""
    leaving = people[people["event"]]
    by_reason = leaving.groupby("reason")["weight"].sum()
    return pd.concat([pd.Series({"events": leaving["weight"].sum()}),
                      by_reason.rename(lambda r: f"reason:{r}")])


def _coarsened(people: pd.DataFrame, k: int, by_reason: bool,
               totals: pd.Series) -> pd.DataFrame:
    """Steps merged and the curve stopped (see ``protect_curve``); ``totals`` are the leavers
    of the original observations, against which the dropped tail is measured."""
    table = risk_table(people)
    if table.empty:
        return people
    reasons = [c for c in totals.index if c.startswith("reason:")] if by_reason else []
    table = table.reindex(columns=["years", "at_risk", "events", *reasons], fill_value=0.0)
    shown = table[(table["at_risk"] < k).cummax().eq(False)]
    counted = ["events", *reasons]  # plain arrays: a national curve has thousands of steps
    blocks, times, pending = [], [], None
    for when, step in zip(shown["years"].to_numpy(), shown[counted].to_numpy(float),
                          strict=True):
        pending = step if pending is None else pending + step
        times.append(when)
        if pending[0] >= k and all(v == 0 or v >= k for v in pending[1:]):
            blocks.append((times, pending))
            times, pending = [], None
    totals = totals[counted].to_numpy(float)

    def tail_is_safe() -> bool:
        published = sum((b[1] for b in blocks), start=totals * 0)
        return all(v == 0 or v >= k for v in totals - published)

    while blocks and not tail_is_safe():
        blocks.pop()
    duration, event = people["duration"].to_numpy(copy=True), people["event"].to_numpy(copy=True)
    if not blocks:
        return people.assign(event=False)
    step_times = np.concatenate([block_times for block_times, _ in blocks])
    step_last = np.concatenate([np.full(len(block_times), block_times[-1])
                                for block_times, _ in blocks])
    place = np.minimum(np.searchsorted(step_times, duration), len(step_times) - 1)
    moved = event & (step_times[place] == duration)
    duration[moved] = step_last[place[moved]]
    last = blocks[-1][0][-1]
    after = duration > last
    event[after] = False
    duration[after] = last
    kept = people["entry"].to_numpy() < last
    return people.assign(duration=duration, event=event)[kept]


def protect_breakdown(table: pd.DataFrame, count: str, within: list[str],
                      policy: DisclosurePolicy, derived: tuple[str, ...] = ()) -> pd.DataFrame:
    """A breakdown (reasons for leaving, promotions) with counts of 1..k-1 hidden.

    Within each ``within`` group the parts add up to a total a reader may know, so a lone hidden
    part takes the smallest other non-zero part with it. ``derived`` columns (shares, rates) are
    hidden with their count.
    """
    if not policy.active or table.empty:
        return table.assign(suppressed=False)
    hidden = table[count].map(policy.is_small)
    for _, index in table.groupby(within).groups.items():
        part = table.loc[index, count]
        if hidden[index].sum() == 1:
            others = part[~hidden[index] & (part > 0)]
            if not others.empty:
                hidden[others.idxmin()] = True
    protected = table.assign(**{count: table[count].astype("Int64").mask(hidden)})
    for column in derived:
        protected[column] = protected[column].mask(hidden)
    return protected.assign(suppressed=hidden)


# The funnel's and the flows' derived numbers are protected in their own module.
from cpwb_stats.disclosure_flows import protect_funnel, protect_retention  # noqa: E402, F401
