"""Disclosure control: the one gate every count passes before it is shown, downloaded or logged.

Policy (see ``docs/disclosure.md``):

- a view of a zone and period with fewer people than the population floor is refused;
- ``x``, ``undisclosed`` and ``unknown`` are shown together as "other or not stated" wherever
  one of them is small (:func:`merge_small_categories`);
- a count of 1 to k-1 is hidden (primary suppression);
- complementary cells are chosen by cost with an optimiser (:mod:`cpwb_stats.disclosure.suppression`):
  no hidden cell can be narrowed to a range under k from the totals, the other groups, the
  declared total and headcount, the other ranks or categories; totals and the whole zone are
  expensive to hide, so a headline is hidden only when nothing cheaper protects;
- every hidden count carries the same mark ("hidden"), whatever the reason: a mark that told
  "small" apart would itself say 1 to k-1;
- a share is hidden when its count or denominator is hidden or the denominator is below k;
  shares are withheld and marked "not robust" when the declaration rate shown is below 60%,
  or its band (:func:`rate_bands`, which never straddles 60 %) is;
- zones compared or combined: each zone shows exactly its own page; the zones and their sum
  are one problem (the sum of the zones' cells is the combined cell), so a number for the
  zones together is hidden only where showing it would narrow a zone's hidden count below k;
  every period of it at once, with the change of a zone's headcount between two years that
  both hide it known (the leaver tables publish it).

``min_cell = 0`` switches suppression off; only an owner working on their own file may do that.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from cpwb_stats.disclosure.suppression import hidden_cells, narrowed
from cpwb_stats.measures.representation import COMBINED_ZONE
from cpwb_stats.measures.survival import risk_table
from cpwb_stats.terms.ladders import ALL
from cpwb_stats.terms.schemas import CELL, KEYS, Representation
from cpwb_stats.terms.vocabulary import UNDISCLOSED, UNKNOWN, Dimension

DEFAULT_MIN_CELL = 5
DECLARED = "__declared__"
HEADCOUNT = "__headcount__"
HIDDEN = "hidden"  # the one mark of every hidden count
SMALL = "small"  # a count of 1..k-1 (the reason, never published)
COMPLEMENTARY = "complementary"  # hidden so that a small count elsewhere cannot be worked out
OTHER_OR_NOT_STATED = "other_or_not_stated"
MERGEABLE = ("x", UNDISCLOSED, UNKNOWN)
# Relative cost of hiding a cell: a rank's count costs itself; totals and the whole zone,
# whose shares are the headline, cost far more.
COST_FACTORS = {"rank": 1.0, "rank_total": 3.0, "category": 50.0, "zone": 10_000.0,
                "headline": 1_000_000.0}


@dataclass(frozen=True)
class DisclosurePolicy:
    min_cell: int = DEFAULT_MIN_CELL
    min_declaration_rate: float = 0.6
    min_population: int | None = None

    @property
    def active(self) -> bool:
        return self.min_cell > 0

    @property
    def population_floor(self) -> int:
        """The fewest people a zone's view may describe (4 k unless configured)."""
        if not self.active:
            return 0
        return self.min_population if self.min_population is not None else 4 * self.min_cell

    def is_small(self, count: float) -> bool:
        return self.active and 0 < count < self.min_cell

    def label(self) -> str:
        return f"<{self.min_cell}"


def merge_small_categories(counts: pd.DataFrame, dimensions: dict[str, Dimension],
                           policy: DisclosurePolicy) -> tuple[pd.DataFrame, dict[str, Dimension]]:
    """``x``, ``undisclosed`` and ``unknown`` as one group wherever one of them is small.

    ``counts`` is one zone's view. When any of these groups counts 1..k-1 in any rank and
    period, they are shown together as "other or not stated" for the whole view (every rank
    and period, so the trend compares like with like). A merged ``x`` leaves the declared
    total: the shares are then of those who answered woman or man.
    """
    if not policy.active:
        return counts, dimensions
    merged = dict(dimensions)
    for name, dimension in dimensions.items():
        mergeable = [g for g in dimension.values if g in MERGEABLE]
        rows = (counts["dimension"] == name) & counts["group"].isin(mergeable)
        cells = counts[rows].groupby(CELL)["count"].sum()
        if len(mergeable) > 1 and cells.map(policy.is_small).any():
            counts = counts.assign(group=counts["group"].mask(rows, OTHER_OR_NOT_STATED))
            merged[name] = _merged(dimension, mergeable)
    if merged == dimensions:
        return counts, dimensions
    return counts.groupby(CELL, as_index=False, sort=False)["count"].sum(), merged


def _merged(dimension: Dimension, mergeable: list[str]) -> Dimension:
    return Dimension(name=dimension.name,
                     declared=tuple(g for g in dimension.declared if g not in mergeable),
                     undisclosed=(), unknown=(OTHER_OR_NOT_STATED,), aliases=dimension.aliases)


def above_floor(table: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    """The rows of the zones and periods with at least the population floor of people."""
    whole = table[(table["staff_category"] == ALL) & (table["rank"] == ALL)]
    population = whole.groupby(["period", "zone"])["headcount"].max()
    kept = population[population >= policy.population_floor].index
    keys = pd.MultiIndex.from_frame(table[["period", "zone"]])
    return table[keys.isin(kept)].reset_index(drop=True)


def protect_representation(table: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    """Hide every count, share and interval the policy does not allow to be seen.

    Each zone and period is protected on its own (they share no total), every dimension
    together (they share the headcount), so a zone's page, its trend and its downloads show
    one pattern whichever dimension or period is looked at.
    """
    if not policy.active:
        return _finish(table.assign(suppressed=False, suppression="",
                                    declaration_rate_band=None), policy, hide_not_robust=False)
    table = above_floor(table, policy)
    hidden: set[tuple] = set()
    bands: dict[tuple, tuple[Fraction, Fraction]] = {}
    for _, by_zone in table.groupby("zone", sort=False):
        snapshots = []
        for _, part in by_zone.groupby("period", sort=True):
            cells = _representation_cells(part)
            # The whole zone's share of each declared group: its count and its declared total.
            whole = part[(part["staff_category"] == ALL) & part["declared_group"]]
            headline = {key for row in whole[KEYS + ["dimension", "group"]].itertuples(
                index=False) for key in (tuple(row), (*tuple(row)[:5], DECLARED))}
            relations = _relations(part, cells)
            here = hidden_cells(cells, relations, _costs(cells, headline), policy.min_cell)
            hidden |= here
            snapshots.append((cells, relations, here))
        bands |= rate_bands_shown(*_snapshots_together(snapshots), policy.min_cell,
                                  rule=rule_edge(policy))
    return _masked(table, hidden, policy, bands)


def _snapshots_together(snapshots: list[tuple[dict, list, set]]) -> tuple[dict, list, set]:
    """A zone's snapshots as one table for choosing its declaration-rate bands, with the change
    of the whole zone's headcount from one snapshot to the next taken as known.

    A leaver file publishes that change (``start + hires - leavers = end``, over every group, or
    over a group whose other groups are shown), so where both headcounts are hidden, a band's
    bound on one is a bound on the other: the bands are checked together with the change. (Next
    to a shown headcount, a band adds nothing to what the change would give back.)"""
    cells, relations, hidden = {}, [], set()
    for part_cells, part_relations, part_hidden in snapshots:
        cells |= part_cells
        relations += part_relations
        hidden |= part_hidden
    for (before, _, hidden_before), (after, _, hidden_after) in zip(snapshots, snapshots[1:]):
        for start in hidden_before:
            if start[2] != ALL or start[3] != ALL or start[5] != HEADCOUNT:
                continue
            end = next((c for c in hidden_after if c[1:] == start[1:]), None)
            if end is None:
                continue
            change = ("headcount change", *start[1:], start[0], end[0])
            cells[change] = abs(after[end] - before[start])
            low, high = (start, end) if after[end] >= before[start] else (end, start)
            relations.append(([low, change], high))
    return cells, relations, hidden


def _masked(table: pd.DataFrame, hidden: set[tuple], policy: DisclosurePolicy,
            bands: dict | None = None) -> pd.DataFrame:
    row_key = [tuple(r) for r in table[CELL].itertuples(index=False)]
    keys = [tuple(r) for r in table[KEYS].itertuples(index=False)]
    count_hidden = pd.Series([k in hidden for k in row_key], index=table.index, dtype=bool)
    declared_hidden = pd.Series([(*k, d, DECLARED) in hidden for k, d in
                                 zip(keys, table["dimension"])], index=table.index, dtype=bool)
    headcount_hidden = pd.Series([(*k, d, HEADCOUNT) in hidden for k, d in
                                  zip(keys, table["dimension"])], index=table.index, dtype=bool)
    base_hidden = declared_hidden if _denominator(table) == "declared" else headcount_hidden
    share_hidden = count_hidden | base_hidden | (table["declared"] < policy.min_cell)
    rate_hidden = declared_hidden | headcount_hidden
    protected = table.assign(
        count=table["count"].astype("Int64").mask(count_hidden),
        declared=table["declared"].astype("Int64").mask(declared_hidden),
        headcount=table["headcount"].astype("Int64").mask(headcount_hidden),
        share=table["share"].mask(share_hidden),
        ci_low=table["ci_low"].mask(share_hidden),
        ci_high=table["ci_high"].mask(share_hidden),
        declaration_rate=table["declaration_rate"].mask(rate_hidden),
        declaration_rate_band=pd.Series(
            [band_code(bands.get((*k, d))) if bands and hidden_rate else None
             for k, d, hidden_rate in zip(keys, table["dimension"], rate_hidden)],
            index=table.index, dtype=object),
        suppressed=count_hidden | (share_hidden & table["share"].notna()),
        suppression=pd.Series("", index=table.index).mask(count_hidden, HIDDEN),
    )
    return _finish(protected, policy, hide_not_robust=True)


SLACK = "__band_slack__"  # the hidden distance from a headcount to its band's edge
# The edges of the declaration-rate bands, highest first (a band is "from low to under high").
RATE_EDGES = tuple(Fraction(e) for e in ("0.99", "0.98", "0.95", "0.9", "0.8", "0.7", "0.6",
                                         "0.5", "0.4", "0.3", "0.2", "0.1", "0"))


RULE = Fraction("0.6")  # the declaration rate under which shares are withheld (DESIGN 4)


def rule_edge(policy: DisclosurePolicy) -> Fraction:
    """The policy's minimum declaration rate as an exact band edge (0.6 by default)."""
    return Fraction(str(policy.min_declaration_rate)).limit_denominator(1000)


def rate_bands(declared: int, k: int, rule: Fraction = RULE) -> list[tuple[Fraction, Fraction]]:
    """The bands a whole-zone declaration rate is published in when its headcount is hidden.

    ``declared`` (D) is shown, so a rate of at least ``low`` says that at most
    D (1 - low) / low people did not state (n), and under ``high`` that more than
    D (1 - high) / high did. The bands cut 0..100 % into pieces, highest first, each as narrow
    as the edges allow while the numbers of people not stated that it allows span at least k
    (from 1, since a hidden headcount means somebody did not state). They depend on D and k
    only, both known to the reader, and do not overlap: the band shown tells exactly that the
    rate lies in it, and nothing from which band was chosen.

    No band crosses ``rule`` (60 %, under which shares are withheld as not robust): a band
    that would end just above it, too narrow on its own, is joined to the band above it (so
    that the band shown says on which side of the rule the rate is, and the "not robust" mark
    follows from the band alone). Only where nothing at or above the rule allows k people not
    stated (fewer than about 1.5 k declared) does the first band cross it; such a band is
    never published (:func:`crosses_rule`).

    >>> [(float(lo), float(hi)) for lo, hi in rate_bands(1328, 5)][:3]
    [(0.99, 1.0), (0.98, 0.99), (0.95, 0.98)]
    >>> [(float(lo), float(hi)) for lo, hi in rate_bands(30, 5)][:2]
    [(0.8, 1.0), (0.6, 0.8)]
    >>> [(float(lo), float(hi)) for lo, hi in rate_bands(20, 5)][:2]
    [(0.6, 1.0), (0.5, 0.6)]
    """
    edges = sorted(set(RATE_EDGES) | {rule}, reverse=True)

    def most_of(low: Fraction) -> float:
        return math.inf if low == 0 else math.floor(declared * (1 - low) / low)

    bands, high, fewest = [], Fraction(1), 1
    while high > 0:
        stop = rule if high > rule else Fraction(0)
        low = next((e for e in edges if stop <= e < high and most_of(e) - fewest >= k), stop)
        if most_of(low) - fewest < k:  # low is the rule, and the band above it too narrow
            if bands:
                bands[-1] = (rule, bands[-1][1])
                high, fewest = rule, most_of(rule) + 1
                continue
            low = next(e for e in edges if e < high and most_of(e) - fewest >= k)
        bands.append((low, high))
        if low == 0:
            break
        high, fewest = low, most_of(low) + 1
    return bands


def crosses_rule(band: tuple[Fraction, Fraction], rule: Fraction = RULE) -> bool:
    """True for a band that holds rates on both sides of the rule ("40 % or more")."""
    return band[0] < rule < band[1]


def band_of(declared: int, headcount: int, k: int,
            rule: Fraction = RULE) -> tuple[Fraction, Fraction]:
    """The band (of :func:`rate_bands`) holding the rate ``declared / headcount``."""
    rate = Fraction(declared, headcount)
    return next(b for b in rate_bands(declared, k, rule)
                if b[0] <= rate < b[1] or rate == b[1] == 1)


def band_code(band: tuple[Fraction, Fraction] | None) -> str | None:
    """A band as published: "0.95-0.98" (from 95 % to under 98 %), "0.99-1" (99 % or more)."""
    if band is None:
        return None
    return f"{float(band[0]):g}-{float(band[1]):g}"


def band_from_code(code) -> tuple[float, float] | None:
    if code is None or (not isinstance(code, str) and pd.isna(code)) or not code:
        return None
    low, high = code.split("-")
    return float(low), float(high)


def rate_band_text(code, language: str) -> str | None:
    """A band in words: "99 % or more", "80 % to under 90 %", "under 60 %"; None for none."""
    from cpwb_stats.i18n import translate

    band = band_from_code(code)
    if band is None:
        return None
    low, high = (f"{round(edge * 100)} %" for edge in band)
    if band[1] >= 1:
        return translate("band.at_least", language, low=low)
    if band[0] <= 0:
        return translate("band.under", language, high=high)
    return translate("band.between", language, low=low, high=high)


def rate_bands_shown(cells: dict[tuple, int], relations: list, hidden: set[tuple], k: int,
                     among: set[tuple] | None = None,
                     known: tuple[dict, list] = ({}, []),
                     rule: Fraction = RULE) -> dict[tuple, tuple]:
    """The whole-zone declaration rates published as a band, keyed by (period, zone, 'all',
    'all', dimension).

    Where the headcount of the whole zone is hidden and its declared total shown, the exact
    rate would give the headcount (and the people not stated) back; its band of
    :func:`rate_bands` is shown instead, when an exact attacker who knows every shown number,
    every sum and the band still cannot narrow any hidden small count, nor the headcount,
    to a range under k (:func:`cpwb_stats.disclosure.suppression.narrowed`). The band is a pair of
    inequalities on the headcount, written as sums with one more hidden number each
    (:func:`band_inequalities`). ``among``: the tables whose rates may be banded (by
    (period, zone)); ``known``: the inequalities of bands other tables already publish.
    """
    candidates = {}
    for cell in sorted((c for c in cells if c[2] == ALL and c[3] == ALL and c[5] == HEADCOUNT
                        and (among is None or c[:2] in among)), key=str):
        declared = (*cell[:5], DECLARED)
        if cell in hidden and declared not in hidden and cells[declared] > 0:
            band = band_of(cells[declared], cells[cell], k, rule)
            # "0 % or more" says nothing; a band across the 60 % rule would leave the reader
            # unable to tell whether the shares beside it are robust
            if band == (0, 1) or crosses_rule(band, rule):
                continue
            candidates[cell] = (band, *band_inequalities(cell, cells[declared], cells[cell],
                                                         band))
    watched = {c for c in hidden if 0 < cells[c] < k}

    def safe(chosen: list[tuple]) -> bool:
        trial_cells = cells | known[0]
        trial_relations = relations + list(known[1])
        for cell in chosen:
            trial_cells = trial_cells | candidates[cell][1]
            trial_relations = trial_relations + candidates[cell][2]
        trial_hidden = hidden | {c for c in trial_cells if c[-1] == SLACK}
        return not narrowed(trial_cells, trial_relations, trial_hidden, watched | set(chosen), k)

    # Every band at once (the usual answer, one check); else one by one, in a fixed order.
    chosen = list(candidates)
    if candidates and not safe(chosen):
        chosen = []
        for cell in candidates:
            if safe([*chosen, cell]):
                chosen.append(cell)
    return {cell[:5]: candidates[cell][0] for cell in chosen}


def band_inequalities(headcount: tuple, declared: int, true_headcount: int,
                      band: tuple[Fraction, Fraction]) -> tuple[dict, list]:
    """A band as sums: headcount + s = D + most + 1 and D + fewest - 1 + t = headcount, with
    s and t hidden and at least 1 (the cells' values are the true ones)."""
    low, high = band
    cells, relations = {}, []
    if low > 0:
        most = math.floor(declared * (1 - low) / low)
        bound, slack = (*headcount, "upper_bound"), (*headcount, "upper", SLACK)
        cells[bound] = declared + most + 1
        cells[slack] = cells[bound] - true_headcount
        relations.append(([headcount, slack], bound))
    if high < 1:
        fewest = math.floor(declared * (1 - high) / high) + 1
        bound, slack = (*headcount, "lower_bound"), (*headcount, "lower", SLACK)
        cells[bound] = declared + fewest - 1
        cells[slack] = true_headcount - cells[bound]
        relations.append(([bound, slack], headcount))
    return cells, relations


def _denominator(table: pd.DataFrame) -> str:
    """Which total the shares divide by, read back from a row that has a share."""
    with_share = table[table["share"].notna() & (table["count"] > 0)]
    if with_share.empty or not (~with_share["declared_group"]).any():
        return "declared"
    return "headcount"


def _finish(table: pd.DataFrame, policy: DisclosurePolicy, hide_not_robust: bool) -> pd.DataFrame:
    # Read from the rate as shown: a hidden rate tells nothing, not even that it is low.
    not_robust = (table["declaration_rate"] < policy.min_declaration_rate).fillna(False)
    # A band wholly under the rule says as much as the rate would. No band published straddles
    # the rule (rate_bands, rate_bands_shown), so the mark is the band's, never the hidden rate's.
    band_high = pd.Series([b[1] if (b := band_from_code(c)) else math.nan
                           for c in table["declaration_rate_band"]], index=table.index)
    not_robust |= (band_high <= policy.min_declaration_rate).fillna(False)
    not_robust &= table["declared_group"]
    if hide_not_robust:
        table = table.assign(share=table["share"].mask(not_robust),
                             ci_low=table["ci_low"].mask(not_robust),
                             ci_high=table["ci_high"].mask(not_robust))
    table = table.assign(not_robust=not_robust.astype(bool))
    for column in ("count", "declared", "headcount"):
        table[column] = table[column].astype("Int64")
    return Representation.validate(table)


def _representation_cells(table: pd.DataFrame) -> dict[tuple, int]:
    """Group counts, declared totals (per dimension) and headcounts (one per rank)."""
    values: dict[tuple, int] = {}
    for row in table[KEYS + ["dimension", "group", "count", "declared", "headcount"]].itertuples(
            index=False):
        keys = tuple(row[:4])
        values[(*keys, row.dimension, row.group)] = int(row.count)
        values[(*keys, row.dimension, DECLARED)] = int(row.declared)
        values[(*keys, row.dimension, HEADCOUNT)] = int(row.headcount)
    return values


def _relations(table: pd.DataFrame, cells: dict[tuple, int]) -> list[tuple[list, tuple]]:
    """Every sum a reader knows: groups to the declared total and the headcount, ranks to
    their category, categories to the zone."""
    relations = []
    for (period, zone, category, rank, dimension), part in table.groupby(
            KEYS + ["dimension"], sort=False):
        base = (period, zone, category, rank)
        declared, headcount = (*base, dimension, DECLARED), (*base, dimension, HEADCOUNT)
        chosen = [(*base, dimension, g) for g in part.loc[part["declared_group"], "group"]]
        others = [(*base, dimension, g) for g in part.loc[~part["declared_group"], "group"]]
        relations += [(chosen, declared), (chosen + others, headcount),
                      ([declared] + others, headcount)]
    # One headcount is shown under every dimension: hidden under one, hidden under all.
    headcounts: dict[tuple, list[tuple]] = defaultdict(list)
    for cell, value in cells.items():
        if cell[-1] == HEADCOUNT:
            headcounts[(*cell[:4], value)].append(cell)
    relations += [([first], other) for first, *others in headcounts.values() for other in others]
    totals: dict[tuple, list[tuple]] = defaultdict(list)
    for cell in cells:
        period, zone, category, rank, *tail = cell
        if rank != ALL:
            totals[(period, zone, category, ALL, *tail)].append(cell)
        elif category != ALL:
            totals[(period, zone, ALL, ALL, *tail)].append(cell)
    return relations + [(parts, total) for total, parts in totals.items()]


def _costs(cells: dict[tuple, int], headline: set[tuple] = frozenset()) -> dict[tuple, float]:
    """Hiding a cell costs its count (plus one, so a zero is not free), times its weight; the
    numbers of a whole-zone share (``headline``) weigh most, more than the zone's headcount."""
    costs = {}
    for cell, value in cells.items():
        category, rank, last = cell[2], cell[3], cell[-1]
        if cell in headline:
            level = "headline"
        elif category == ALL:
            level = "zone"
        elif rank == ALL:
            level = "category"
        else:
            level = "rank_total" if last in (DECLARED, HEADCOUNT) else "rank"
        costs[cell] = (value + 1) * COST_FACTORS[level]
    return costs


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
    """Zones side by side and their sum (zone 'all'), with nothing to subtract.

    Each zone is protected exactly as on its own page (``by_zone`` holds each zone's own
    table). The zones and their sum are then one problem per period (years tied by a zone's
    headcount hidden in both, whose change the leaver tables give, together): a cell of the sum is
    the sum of the zones' cells (of several groups where a zone merged small groups), each
    zone's hidden cells stay hidden and its shown cells are known to every reader, and the
    cells of the sum to hide are chosen by cost (:func:`hidden_cells`) so that no hidden
    count of any zone can be narrowed below k by everything published together. A national
    share is thus shown whenever the zones' hidden parts of it are enough to protect one
    another (several zones each hiding a count), and hidden when it would give a count back.
    ``combined`` is the sum of the zones (zone 'all'), with a group merged wherever any zone
    merged it.
    """
    zones = protect_representation(by_zone, policy)
    if not policy.active:
        return pd.concat([zones, protect_representation(combined, policy)], ignore_index=True)
    shown = _published_values(zones)
    refused = set(by_zone[["period", "zone"]].itertuples(index=False, name=None)) - set(
        zones[["period", "zone"]].itertuples(index=False, name=None))
    hidden: set[tuple] = set()
    pieces = []
    for (period, _), part in combined.sort_values("period", kind="stable").groupby(
            ["period", "zone"], sort=False):
        own = by_zone[by_zone["period"] == period]
        together = _representation_cells(part)
        if any(p == period for p, _ in refused):
            # a zone below the population floor shows nothing: the sum would be its count
            # (a 0 stays shown, as everywhere: it gives nobody away)
            hidden |= {cell for cell, value in together.items() if value > 0}
            continue
        cells = _representation_cells(own)
        already = {key for key in cells if pd.isna(shown.get(key))}
        relations = [relation for _, zone in own.groupby("zone", sort=False)
                     for relation in _relations(zone, _representation_cells(zone))]
        relations += _relations(part, together) + _across_zones(own, part)
        whole = part[(part["staff_category"] == ALL) & part["declared_group"]]
        headline = {key for row in whole[KEYS + ["dimension", "group"]].itertuples(index=False)
                    for key in (tuple(row), (*tuple(row)[:5], DECLARED))}
        # the zones' own declaration-rate bands are published beside the sum too
        band_cells, band_relations = _published_bands(zones[zones["period"] == period], cells)
        slacks = {c for c in band_cells if c[-1] == SLACK}
        pieces.append({
            "period": period, "cells": cells | together, "relations": relations,
            "band_cells": band_cells, "band_relations": band_relations,
            "costs": dict.fromkeys(cells | band_cells, 1.0) | _costs(together, headline),
            "already": already | slacks, "hidden": already,
            "frozen": (set(cells) - already) | (set(band_cells) - slacks)})
    # The compare view of every year is read beside each zone's own pages and leaver tables,
    # which give the change of a zone's headcount from one year to the next (``start + hires -
    # leavers = end``). Where a zone hides its headcount in two years in a row, that change
    # ties the two years' tables together: the sums of the zones of such years are chosen
    # together with it, and so are their declaration-rate bands (:func:`_snapshots_together`,
    # as for a zone's own bands). Years tied to no other are each a problem of their own.
    for run in _tied_years(pieces):
        changes_cells, changes, _ = _snapshots_together(
            [(piece["cells"], [], piece["hidden"]) for piece in run])
        changes_cells = {c: v for c, v in changes_cells.items() if c[0] == "headcount change"}
        cells = changes_cells | {c: v for piece in run for c, v in
                                 (piece["cells"] | piece["band_cells"]).items()}
        found = hidden_cells(
            cells, [r for piece in run for r in piece["relations"] + piece["band_relations"]]
            + changes, dict.fromkeys(changes_cells, 1.0) | {
                c: v for piece in run for c, v in piece["costs"].items()},
            policy.min_cell, already=set().union(*(piece["already"] for piece in run)),
            frozen=set(changes_cells).union(*(piece["frozen"] for piece in run)))
        for piece in run:
            mine = {c for c in found & set(piece["cells"]) if c[1] == COMBINED_ZONE}
            piece["hidden"] = piece["hidden"] | mine
            hidden |= mine
    bands: dict[tuple, tuple[Fraction, Fraction]] = {}
    for run in _tied_years(pieces):
        known = ({c: v for piece in run for c, v in piece["band_cells"].items()},
                 [r for piece in run for r in piece["band_relations"]])
        bands |= rate_bands_shown(
            *_snapshots_together([(p["cells"], p["relations"], p["hidden"]) for p in run]),
            policy.min_cell, among={(p["period"], COMBINED_ZONE) for p in run}, known=known,
            rule=rule_edge(policy))
    return pd.concat([zones, _masked(combined, hidden, policy, bands)], ignore_index=True)


def _tied_years(pieces: list[dict]) -> list[list[dict]]:
    """The periods (in order) in runs of years tied by a headcount hidden in both, by any zone
    or by the zones together (each piece has its ``cells`` and ``hidden`` cells)."""
    runs: list[list[dict]] = []
    for piece in pieces:
        if runs and _snapshots_together([(runs[-1][-1]["cells"], [], runs[-1][-1]["hidden"]),
                                         (piece["cells"], [], piece["hidden"])])[1]:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


def _published_bands(zones: pd.DataFrame, cells: dict[tuple, int]) -> tuple[dict, list]:
    """The inequalities of the declaration-rate bands the zones' own pages show."""
    band_cells, band_relations = {}, []
    rows = zones[zones["declaration_rate_band"].notna()].drop_duplicates(KEYS + ["dimension"])
    for row in rows[KEYS + ["dimension", "declaration_rate_band"]].itertuples(index=False):
        headcount = (*row[:5], HEADCOUNT)
        low, high = (Fraction(edge) for edge in row.declaration_rate_band.split("-"))
        more_cells, more_relations = band_inequalities(
            headcount, cells[(*row[:5], DECLARED)], cells[headcount], (low, high))
        band_cells |= more_cells
        band_relations += more_relations
    return band_cells, band_relations


def _across_zones(by_zone: pd.DataFrame, combined: pd.DataFrame) -> list[tuple[list, tuple]]:
    """Each cell of the sum (zone 'all') as the sum of the zones' cells it is made of: the
    same group, or the groups a zone kept apart where the sum merged them; the declared total
    of the zones' groups that the sum counts as declared."""
    groups = by_zone.groupby(["zone", "dimension"])["group"].agg(set).to_dict()
    declared = by_zone[by_zone["declared_group"]].groupby(["zone", "dimension"])["group"].agg(
        set).to_dict()
    combined_declared = combined[combined["declared_group"]].groupby("dimension")["group"].agg(
        set).to_dict()
    present: dict[tuple, list[str]] = defaultdict(list)
    for period, zone, category, rank in by_zone[KEYS].drop_duplicates().itertuples(
            index=False, name=None):
        present[(period, category, rank)].append(zone)
    relations = []
    for period, _, category, rank, dimension, group in combined[CELL].itertuples(index=False):
        base = (period, COMBINED_ZONE, category, rank, dimension)
        parts = {group: [], DECLARED: [], HEADCOUNT: []}
        for zone in present.get((period, category, rank), ()):
            cell = (period, zone, category, rank, dimension)
            parts[group] += [(*cell, g) for g in _zone_parts(group, groups[(zone, dimension)])]
            parts[HEADCOUNT].append((*cell, HEADCOUNT))
            wanted = combined_declared.get(dimension, set())
            parts[DECLARED] += ([(*cell, DECLARED)] if declared[(zone, dimension)] == wanted
                                else [(*cell, g) for g in sorted(wanted)
                                      if g in groups[(zone, dimension)]])
        relations += [(members, (*base, name)) for name, members in parts.items()]
    return relations


def _zone_parts(group: str, zone_groups: set[str]) -> list[str]:
    """The zone's groups that make up one group of the sum (several where it merged)."""
    if group in zone_groups:
        return [group]
    if group == OTHER_OR_NOT_STATED:
        return sorted(zone_groups & set(MERGEABLE))
    return []


def _published_values(table: pd.DataFrame) -> dict[tuple, object]:
    shown: dict[tuple, object] = {}
    for row in table[KEYS + ["dimension", "group", "count", "declared", "headcount"]].itertuples(
            index=False):
        base = tuple(row[:4])
        shown[(*base, row.dimension, row.group)] = row.count
        shown[(*base, row.dimension, DECLARED)] = row.declared
        shown[(*base, row.dimension, HEADCOUNT)] = row.headcount
    return shown


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
from cpwb_stats.disclosure.flows import protect_funnel, protect_retention  # noqa: E402, F401
