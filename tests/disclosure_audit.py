"""The attacker: how far can a reader narrow down each hidden number from all that is published?

A reusable test helper. Everything a view publishes becomes an unknown whole number with its
value fixed where it is shown; every relation a reader knows ties the unknowns together (a
total is the sum of its parts, a share is count / denominator, a marker bounds a cell, an
interval pins the count and denominator it was computed from). For each hidden number an
exact integer solver (SciPy's HiGHS ``milp``) finds its smallest and largest feasible value.
A hidden number is protected when that range is at least ``k`` wide.

Written independently of ``cpwb_stats.disclosure.control``: the only inputs are the published frames
(and, to report what leaked, the true values).

>>> attack = Attack()
>>> attack.cell("a", 3, shown=False); attack.cell("b", 7, shown=True)
>>> attack.cell("total", 10, shown=True)
>>> attack.sum_of(["a", "b"], "total")
>>> attack.leaks(k=5)[0].key
'a'
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

KEYS = ["period", "zone", "staff_category", "rank"]
ALL = "all"
DECLARED = "declared"
HEADCOUNT = "headcount"
Z = 1.959963984540054
OTHER_OR_NOT_STATED = "other_or_not_stated"  # the groups below, shown together (the policy)
MERGED = ("x", "undisclosed", "unknown")


@dataclass(frozen=True)
class Leak:
    key: tuple
    true: int
    low: float
    high: float


@dataclass
class Attack:
    """Unknowns, what is shown of them, and the relations between them."""

    true: dict = field(default_factory=dict)
    shown: dict = field(default_factory=dict)
    lower: dict = field(default_factory=dict)
    upper: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)  # (coefficients, low, high)

    def cell(self, key, true: float, shown: bool) -> None:
        """An unknown; ``shown`` when its value is published. Declaring it twice unifies."""
        self.true.setdefault(key, int(true))
        if shown:
            self.shown[key] = int(true)

    def bound(self, key, low: float, high: float) -> None:
        """What a marker says, e.g. ``<5`` means 1..4."""
        self.lower[key] = max(self.lower.get(key, 0), low)
        self.upper[key] = min(self.upper.get(key, math.inf), high)

    def sum_of(self, parts, total) -> None:
        parts = [p for p in parts if p in self.true]
        if total in self.true and parts:
            coefficients = defaultdict(float, {total: -1.0})
            for part in parts:
                coefficients[part] += 1.0
            self.rows.append((dict(coefficients), 0.0, 0.0))

    def ratio(self, numerator, denominator, value: float, half_width: float = 1e-9) -> None:
        """``numerator / denominator`` is published as ``value`` (rounded to +- half_width)."""
        if value is None or pd.isna(value):
            return
        self.rows.append(({numerator: 1.0, denominator: -(value + half_width)}, -math.inf, 1e-7))
        self.rows.append(({numerator: 1.0, denominator: -(value - half_width)}, -1e-7, math.inf))

    def at_most(self, coefficients: dict, high: float) -> None:
        self.rows.append((coefficients, -math.inf, high))

    def ranges(self, wanted=None) -> dict:
        """Smallest and largest feasible value of each hidden unknown (of those ``wanted``).

        Unknowns that share no relation are independent, so each connected part is solved
        on its own (periods, for instance, never meet).
        """
        result = {}
        for names, rows in self._components():
            if any(k not in self.shown and (wanted is None or k in wanted) for k in names):
                result |= self._component_ranges(names, rows, wanted)
        return result

    def _components(self):
        parent = {key: key for key in self.true}

        def root(key):
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for coefficients, _, _ in self.rows:
            first, *others = coefficients
            for other in others:
                parent[root(other)] = root(first)
        names, rows = defaultdict(list), defaultdict(list)
        for key in self.true:
            names[root(key)].append(key)
        for row in self.rows:
            rows[root(next(iter(row[0])))].append(row)
        return [(names[r], rows[r]) for r in names]

    def _programme(self, names: list, rows: list, index: dict):
        low = np.array([self.shown.get(k, self.lower.get(k, 0)) for k in names], dtype=float)
        high = np.array([self.shown.get(k, self.upper.get(k, math.inf)) for k in names],
                        dtype=float)
        constraints = []
        if rows:
            matrix = np.zeros((len(rows), len(names)))
            for r, (coefficients, _, _) in enumerate(rows):
                for key, value in coefficients.items():
                    matrix[r, index[key]] += value
            constraints = [LinearConstraint(matrix, [r[1] for r in rows], [r[2] for r in rows])]
        return low, high, constraints

    def _component_ranges(self, names: list, rows: list, wanted=None) -> dict:
        index = {key: i for i, key in enumerate(names)}
        low, high, constraints = self._programme(names, rows, index)
        return {key: tuple(self._extreme(index[key], sign, low, high, constraints)
                           for sign in (1.0, -1.0))
                for key in names if key not in self.shown and (wanted is None or key in wanted)}

    @staticmethod
    def _extreme(position: int, sign: float, low, high, constraints) -> float:
        return Attack._solve(position, sign, low, high, constraints)[0]

    @staticmethod
    def _solve(position: int, sign: float, low, high, constraints) -> tuple[float, object]:
        """The smallest (``sign`` 1) or largest (-1) whole value, and the solution found."""
        objective = np.zeros(len(low))
        objective[position] = sign
        solved = milp(objective, constraints=constraints, integrality=np.ones(len(low)),
                      bounds=Bounds(low, high))
        if solved.x is None and sign < 0 and solved.status in (3, 4):
            return math.inf, None  # nothing bounds it from above
        if solved.x is None:
            raise AssertionError(f"the published numbers contradict each other: {solved.message}")
        return float(round(solved.x[position])), np.round(solved.x)

    def leaks(self, k: int, small_only: bool = False) -> list[Leak]:
        """Hidden unknowns whose feasible range is narrower than ``k``.

        ``small_only``: judge only the hidden numbers that are 1 to k-1 (the ones protected;
        the others are hidden only to protect them, as a statistics office's checker judges).
        Every whole-number solution found (the true values first, then each solver's optimum)
        is a point the attacker cannot rule out: a number two such points already put k apart
        is not narrowed, and needs no solve. A leak's range is always solved exactly.
        """
        found = []
        wanted = {key for key, value in self.true.items() if 0 < value < k} if small_only else None
        for names, rows in self._components():
            judged = [key for key in names if key not in self.shown
                      and (wanted is None or key in wanted)]
            if judged:
                found += self._component_leaks(names, rows, judged, k)
        return found

    def _component_leaks(self, names: list, rows: list, judged: list, k: int) -> list[Leak]:
        index = {key: i for i, key in enumerate(names)}
        low, high, constraints = self._programme(names, rows, index)
        points = [np.array([self.true[key] for key in names], dtype=float)]
        found = []
        for key in sorted(judged, key=str):
            position = index[key]
            seen = [point[position] for point in points]
            if max(seen) - min(seen) >= k:
                continue
            extremes = []
            for sign in (-1.0, 1.0):  # the largest first: a hidden number is usually low
                value, point = self._solve(position, sign, low, high, constraints)
                if point is not None:
                    points.append(point)
                extremes.append(value)
                seen = [p[position] for p in points] + [value]
                if max(seen) - min(seen) >= k:
                    break
            else:
                largest, smallest = extremes
                if largest - smallest < k:
                    found.append(Leak(key, self.true[key], smallest, largest))
        return found


def representation_attack(published: list[pd.DataFrame], truth: pd.DataFrame, k: int,
                          denominator: str = "declared", zeros_shown: bool = False) -> Attack:
    """Everything a reader learns from representation tables published together.

    ``published``: the frames as shown (CLI JSON, page tables, downloads; several zones, a
    combined zone 'all', several periods). ``truth``: the same table without suppression
    (``--min-cell 0``), used only to report what a leak gives back. ``zeros_shown``: the
    reader knows the policy never hides a 0. Cells are keyed by
    (period, zone, staff_category, rank, dimension, group); a declared total by its cell
    with group ``declared``; a headcount likewise with group ``headcount``. The headcount
    under two dimensions is one number where every person is counted under both (a file of
    people): the reader then knows them equal. A file of counts may count a dimension for
    fewer people (none, where it lacks the column), so they are tied only where equal.
    """
    attack = Attack()
    frame = pd.concat(published, ignore_index=True)
    true_of = _truth_lookup(truth)
    for row in frame.to_dict("records"):
        _add_row(attack, row, true_of, k, denominator)
    if zeros_shown:  # the policy says a 0 is never hidden, so a hidden number is at least 1
        for key in attack.true:
            if key not in attack.shown:
                attack.bound(key, 1, math.inf)
    _add_sums(attack, truth)
    _add_zone_sums(attack, truth, true_of)
    _add_same_headcounts(attack)
    return attack


def _add_same_headcounts(attack: Attack) -> None:
    by_rank: dict = defaultdict(list)
    for key, value in attack.true.items():
        if key[-1] == HEADCOUNT:
            by_rank[(*key[:4], value)].append(key)
    for first, *others in by_rank.values():
        for other in others:
            attack.sum_of([first], other)


def _keys(row: dict) -> tuple[tuple, tuple, tuple]:
    base = tuple(row[c] for c in KEYS)
    return ((*base, row["dimension"], row["group"]), (*base, row["dimension"], DECLARED),
            (*base, row["dimension"], HEADCOUNT))


def _truth_lookup(truth: pd.DataFrame) -> dict:
    values = {}
    for row in truth.to_dict("records"):
        cell, declared, headcount = _keys(row)
        values[cell], values[declared], values[headcount] = (
            row["count"], row["declared"], row["headcount"])
    return values


def _shown(value) -> bool:
    return value is not None and not pd.isna(value)


def _add_row(attack: Attack, row: dict, true_of: dict, k: int, denominator: str) -> None:
    cell, declared, headcount = _keys(row)
    for key, column in ((cell, "count"), (declared, "declared"), (headcount, "headcount")):
        attack.cell(key, true_of[key], _shown(row.get(column)))
    if row.get("suppression") == "small" or str(row.get("count_text", "")).startswith("<"):
        attack.bound(cell, 1, k - 1)
    base = declared if denominator == "declared" else headcount
    if _shown(row.get("share")):
        attack.ratio(cell, base, row["share"])
    if _shown(row.get("ci_low")) and _shown(row.get("ci_high")):
        # A Wilson interval with its share gives back both numbers it was computed from.
        attack.cell(cell, true_of[cell], True)
        attack.cell(base, true_of[base], True)
    if _shown(row.get("declaration_rate")):
        attack.ratio(declared, headcount, row["declaration_rate"])
    band = row.get("declaration_rate_band")
    if _shown(band) and band:
        # "0.95-0.98": 95 % <= declared / headcount < 98 %, in whole numbers
        # 100 declared - 95 headcount >= 0 and 100 declared - 98 headcount <= -1
        low, high = (Fraction(edge) for edge in band.split("-"))
        scale = math.lcm(low.denominator, high.denominator)
        attack.rows.append(({declared: float(scale), headcount: -float(low * scale)}, 0.0,
                            math.inf))
        if high < 1:
            attack.at_most({declared: float(scale), headcount: -float(high * scale)}, -1.0)
    if _shown(row.get("not_robust")) and bool(row["not_robust"]):
        attack.at_most({declared: 1.0, headcount: -0.6}, 0.0)


def _add_sums(attack: Attack, truth: pd.DataFrame) -> None:
    """Groups add up to the declared total and the headcount; ranks to their category;
    categories to the zone; zones to the combined zone 'all' (``_add_zone_sums``)."""
    groups = truth.groupby(KEYS + ["dimension"], sort=False)
    for name, part in groups:
        declared, headcount = (*name, DECLARED), (*name, HEADCOUNT)
        cells = [(*name, g) for g in part["group"]]
        chosen = [(*name, g) for g in part.loc[part["declared_group"], "group"]]
        attack.sum_of(chosen, declared)
        attack.sum_of(cells, headcount)
    for tail in _tails(truth):
        for key_of_total, parts in _hierarchy(truth, tail).items():
            attack.sum_of(parts, key_of_total)


def _add_zone_sums(attack: Attack, truth: pd.DataFrame, true_of: dict) -> None:
    """The zones together (zone 'all') are the sum of the zones, group by group. Where the
    table of the zones together shows "other or not stated" and a zone shows its ``x``,
    ``undisclosed`` and ``unknown`` apart, the zone's part is the sum of those; where the
    zones together count fewer groups as declared (a merged ``x`` leaves the declared total),
    a zone's part of the declared total is the sum of its groups that are declared there. A
    zone that is not published (below the population floor) is an unknown part."""

    def sum_of(parts, total):
        if total in attack.true:
            for part in parts:
                attack.cell(part, true_of[part], False)
            attack.sum_of(parts, total)

    combined = truth[truth["zone"] == ALL]
    zones = truth[truth["zone"] != ALL]
    if combined.empty or zones.empty:
        return
    declared_there = combined[combined["declared_group"]].groupby("dimension")["group"].agg(set)
    for (period, category, rank, dimension), part in combined.groupby(
            ["period", "staff_category", "rank", "dimension"], sort=False):
        here = zones[(zones["period"] == period) & (zones["staff_category"] == category)
                     & (zones["rank"] == rank) & (zones["dimension"] == dimension)]
        total = (period, ALL, category, rank, dimension)
        sum_of([(period, z, category, rank, dimension, HEADCOUNT) for z in here["zone"].unique()],
               (*total, HEADCOUNT))
        wanted = declared_there.get(dimension, set())
        declared_parts = []
        for zone, own in here.groupby("zone", sort=False):
            cell = (period, zone, category, rank, dimension)
            if set(own.loc[own["declared_group"], "group"]) == wanted:
                declared_parts.append((*cell, DECLARED))
            else:
                declared_parts += [(*cell, g) for g in own["group"] if g in wanted]
        sum_of(declared_parts, (*total, DECLARED))
        for group in part["group"]:
            parts = []
            for zone, own in here.groupby("zone", sort=False):
                names = set(own["group"])
                mine = [group] if group in names else (
                    sorted(names & set(MERGED)) if group == OTHER_OR_NOT_STATED else [])
                parts += [(period, zone, category, rank, dimension, g) for g in mine]
            sum_of(parts, (*total, group))


def _tails(truth: pd.DataFrame) -> list[tuple]:
    tails = [(d, g) for d, g in truth[["dimension", "group"]].drop_duplicates().itertuples(
        index=False)]
    return tails + [(d, name) for d in truth["dimension"].unique()
                    for name in (DECLARED, HEADCOUNT)]


def _hierarchy(truth: pd.DataFrame, tail: tuple) -> dict:
    frame = truth[KEYS].drop_duplicates()
    totals: dict = defaultdict(list)
    for period, zone, category, rank in frame.itertuples(index=False):
        key = (period, zone, category, rank, *tail)
        if rank != ALL:
            totals[(period, zone, category, ALL, *tail)].append(key)
        elif category != ALL:
            totals[(period, zone, ALL, ALL, *tail)].append(key)
    return totals


# ------------------------------------------------------------------ leaver tables beside it

FLOW_COLUMNS = ("leavers", "hires", "resignations")
LEAVER_PLACE = ["period", "zone", "staff_category", "rank", "dimension", "group"]
ALL_GROUPS = "all groups"  # a rank's number over every group: one number whatever the dimension


def add_leaver_tables(attack: Attack, published: pd.DataFrame, truth: pd.DataFrame,
                      promotions: pd.DataFrame | None = None,
                      promotions_truth: pd.DataFrame | None = None) -> None:
    """Everything a reader learns from the leaver tables of every period (and the promotions)
    read beside the representation of every snapshot already in ``attack``.

    ``published``: the leaver table as shown (every period, every dimension); ``truth``: the
    same with nothing hidden (``start`` and ``end`` name the snapshots of each period). A
    headcount at the start or end of a period is the representation's cell of that snapshot
    (one unknown, keyed as :func:`representation_attack` keys it). The relations a reader knows:

    - a rank's leavers, hires, resignations (and promotions) over the groups of a dimension are
      one number, the same in every dimension that counts everyone; ranks add up to their staff
      category, categories to the zone;
    - the balance of each row, ``start + hires + promoted in - leavers - promoted out = end``
      (promotions only at rank level: they stay inside a staff category above it), where the
      file's counts do balance;
    - resignations are at most the leavers;
    - a shown rate is the count over the average headcount (the mean of the start and end
      headcounts, or the one of them there is), so with the average shown the count is known;
      a promotion rate is the promotions over the start headcount of the rank promoted from.
    """
    truth = truth.set_index(LEAVER_PLACE)
    rows = published.to_dict("records")
    category_of = dict(zip(truth.index.get_level_values("rank"),
                           truth.index.get_level_values("staff_category")))
    moved_in: dict = defaultdict(list)
    moved_out: dict = defaultdict(list)
    flow_keys: set = set()
    for row in [] if promotions is None else _promotion_rows(promotions, promotions_truth):
        key = ("promotions", row["period"], row["zone"], row["staff_category"], row["rank"],
               row["from_rank"], row["dimension"], row["group"])
        attack.cell(key, row["_true"], _shown(row["promotions"]))
        if not _shown(row["promotions"]):  # a row is listed only where someone was promoted
            attack.bound(key, 1, math.inf)
        flow_keys.add(key)
        moved_in[(row["period"], row["zone"], row["rank"], row["dimension"], row["group"])].append(
            key)
        moved_out[(row["period"], row["zone"], row["from_rank"], row["dimension"],
                   row["group"])].append(key)
        start = truth.xs((row["period"], row["zone"]), level=["period", "zone"])["start"].iloc[0]
        base = (start, row["zone"], category_of.get(row["from_rank"], row["staff_category"]),
                row["from_rank"], row["dimension"], row["group"])
        if base in attack.true and _shown(row["promotion_rate"]):
            attack.ratio(key, base, row["promotion_rate"])
    for row in rows:
        place = tuple(row[c] for c in LEAVER_PLACE)
        true = truth.loc[place]
        tail = place[1:]
        start, end = (true["start"], *tail), (true["end"], *tail)
        cells = {column: (column, *place) for column in FLOW_COLUMNS}
        for column, key in cells.items():
            attack.cell(key, true[column], _shown(row[column]))
            flow_keys.add(key)
        for column, key in (("start_headcount", start), ("end_headcount", end)):
            if pd.notna(true[column]):
                attack.cell(key, true[column], _shown(row[column]))
        attack.at_most({cells["resignations"]: 1.0, cells["leavers"]: -1.0}, 0.0)
        _add_rates(attack, row, cells, [s for s, c in ((start, "start_headcount"),
                                                       (end, "end_headcount"))
                                        if pd.notna(true[c])])
        balance = defaultdict(float, {start: 1.0, cells["hires"]: 1.0,
                                      cells["leavers"]: -1.0, end: -1.0})
        if row["rank"] != ALL:
            here = (row["period"], row["zone"], row["rank"], row["dimension"], row["group"])
            for key in moved_in.get(here, []):
                balance[key] += 1.0
            for key in moved_out.get(here, []):
                balance[key] -= 1.0
        known = all(key in attack.true for key in balance)
        if known and sum(sign * attack.true[key] for key, sign in balance.items()) == 0:
            attack.rows.append((dict(balance), 0.0, 0.0))
    _add_flow_sums(attack, flow_keys)


def _promotion_rows(promotions: pd.DataFrame, truth: pd.DataFrame) -> list[dict]:
    place = ["period", "zone", "staff_category", "rank", "from_rank", "dimension", "group"]
    true = {tuple(r[c] for c in place): int(r["promotions"]) for r in truth.to_dict("records")}
    return [r | {"_true": true[tuple(r[c] for c in place)]}
            for r in promotions.to_dict("records")]


def _add_rates(attack: Attack, row: dict, cells: dict, stocks: list) -> None:
    """rate = count / average headcount; the average is (start + end) / 2, or the one there is."""
    average = ("average", *cells["leavers"][1:])
    if not stocks:
        return
    attack.cell(average, sum(attack.true[s] for s in stocks), _shown(row["average_headcount"]))
    attack.sum_of(stocks, average)  # ``average`` stands for len(stocks) x the average
    for rate, count in (("leaver_rate", "leavers"), ("resignation_rate", "resignations")):
        if _shown(row[rate]):
            attack.ratio(cells[count], average, row[rate] / len(stocks), 1e-9)


def _add_flow_sums(attack: Attack, keys: set) -> None:
    """Ranks add up to their category, categories to the zone; the groups of a rank add up to
    its number over every group, one number for every dimension that counts everyone."""
    by_total: dict = defaultdict(list)
    by_rank: dict = defaultdict(list)
    for key in keys:
        column, period, zone, category, rank, *rest = key
        *between, dimension, group = rest  # promotions also carry the rank promoted from
        if column != "promotions":
            if rank != ALL:
                by_total[(column, period, zone, category, ALL, dimension, group)].append(key)
            elif category != ALL:
                by_total[(column, period, zone, ALL, ALL, dimension, group)].append(key)
        by_rank[(column, period, zone, category, rank, *between, dimension)].append(key)
    for total, parts in by_total.items():
        attack.sum_of(parts, total)
    for place, parts in by_rank.items():
        value = sum(attack.true[p] for p in parts)
        total = (*place[:-1], ALL_GROUPS)
        if attack.true.setdefault(total, value) != value:  # a dimension counting fewer people
            total = (*place, ALL_GROUPS)
            attack.cell(total, value, shown=False)
        attack.sum_of(parts, total)
