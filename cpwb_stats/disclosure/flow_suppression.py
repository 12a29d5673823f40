"""Which numbers of a table of flows to hide: the cost optimiser over balances as well as sums.

The counts of a leaver table are tied by more than sums of parts: the balance of a period
(``start + hires - leavers - end = 0``, promotions in and out beside them), resignations at most
the leavers. Each relation is written as ``sum(coefficient x cell) = 0`` (equations) or
``<= 0`` (bounds), and the choice is made as for the representation tables
(:mod:`cpwb_stats.disclosure.suppression`): hide the set of cells of least cost such that

1. no relation has exactly one hidden cell (nothing is given back by one subtraction), and
2. an attacker who knows every shown number and every relation, and that a hidden number is at
   least its ``floor`` (0 for a flow: a 0 may be hidden here, which leaves the reader without an
   upper bound; 1 for a headcount, which the representation never hides at 0), cannot narrow
   any protected cell to a range narrower than k.

Rule 1 and a rough form of rule 2 (the hidden partners of a small cell can absorb k) are written
into a 0/1 programme solved with SciPy's HiGHS ``milp``; rule 2 is then checked exactly (linear
programme, then whole numbers) and the optimiser is told to hide at least one more of the shown
cells that pin a cell, until none is pinned. No clock limit: the same table gives the same
pattern.

>>> cells = {"start": 20, "hires": 2, "leavers": 3, "end": 19}
>>> balance = {"start": 1, "hires": 1, "leavers": -1, "end": -1}
>>> sorted(hidden_flows(cells, [balance], [], {c: 1.0 for c in cells}, k=5,
...                     hideable={"hires", "leavers"}))
['hires', 'leavers']
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from cpwb_stats.disclosure.linear import LinearProgramme
from cpwb_stats.disclosure.suppression import Witnesses

Relation = dict  # cell -> coefficient: sum(coefficient x value) = 0 (or <= 0 for a bound)
MAX_ROUNDS = 80
# A round of the optimiser stops checking once this many cells are found pinned: the next
# pattern changes anyway, and the cells left are checked in the next round (the last round
# checks them all). Fewer solves per round; the same rule for when a pattern is accepted.
PINNED_PER_ROUND = 40


def hidden_flows(cells: dict[Hashable, int], equations: list[Relation], bounds: list[Relation],
                 costs: dict[Hashable, float], k: int, hideable: set[Hashable],
                 hidden: set[Hashable] = frozenset(), guarded: list[Relation] = (),
                 floors: dict[Hashable, int] | None = None,
                 kept: set[Hashable] = frozenset()) -> set[Hashable]:
    """The cells to hide: ``hidden`` (unknown to the reader: hidden by another page, or never
    published), every hideable count of 1..k-1, and the cheapest hideable complements that keep
    every hideable count of 1..k-1 at least k wide.

    A cell outside ``hideable`` and ``hidden`` is published by another page and stays known.
    Rule 1 holds for the hideable cells in every relation, and for every cell in the
    ``guarded`` ones (a relation this table adds to another page's cells, such as a balance
    that would give back a headcount the representation hides). Rule 2 holds for the ``kept``
    cells of ``hidden`` too (another page's small counts this table must not give back).
    """
    floors = floors or {}
    protected = {c for c in hideable if 0 < cells[c] < k}
    fixed = set(hidden) | protected
    protected |= set(kept) & fixed
    if not protected and not any(c in fixed for r in guarded for c in r):
        return fixed
    problem = _Problem(cells, [r for r in equations if len(r) > 1], bounds, costs, k,
                       hideable | fixed, {c: floors.get(c, 0) for c in cells})
    problem.owned = set(hideable)
    problem.guarded = [r for r in guarded if len(r) > 1]
    # A kept cell the other page's own sums pin even with every hideable cell hidden is
    # beyond this table's reach: judged there, not here.
    protected -= set(problem.pinned(fixed | set(hideable), set(kept) & protected)[0])
    cuts: list[set] = []
    chosen = fixed
    checked = protected
    for _ in range(MAX_ROUNDS):
        chosen = problem.closed(problem.cheapest(fixed, cuts) or fixed)
        pinned, unchecked = problem.pinned(chosen, checked, PINNED_PER_ROUND)
        if not pinned:
            return chosen
        fixed, checked = chosen, set(pinned) | unchecked
        more = [support or problem.neighbours(c, chosen) for c, support in pinned.items()]
        more = [cut for cut in more if cut]
        if not more:
            return chosen
        cuts += more
    return problem.greedy(chosen, checked)


class _Problem:
    def __init__(self, cells, equations, bounds, costs, k, hideable, floors):
        self.cells, self.equations, self.bounds = cells, equations, bounds
        self.costs, self.k, self.hideable, self.floors = costs, k, hideable, floors
        self.owned, self.guarded = set(), []
        self.names = list(cells)
        self.index = {c: i for i, c in enumerate(self.names)}

    def watched(self):
        """(relation, cell, sign): the cells rule 1 holds for, in each relation."""
        for relation in self.equations:
            for cell, sign in relation.items():
                if cell in self.owned or relation in self.guarded:
                    yield relation, cell, sign

    def cheapest(self, fixed: set, cuts: list[set]) -> set:
        """Least-cost pattern: every hidden cell of a relation has a hidden partner there, and a
        hidden small cell's partners can absorb k (a partner on the same side gives up to its
        value, one on the other side moves with it without limit)."""
        entries: list[tuple[int, int, float]] = []  # (row, column, coefficient), kept sparse
        low: list[float] = []

        def row(coefficients: dict[int, float], bound: float) -> None:
            entries.extend((len(low), column, value) for column, value in coefficients.items())
            low.append(bound)

        for relation, cell, sign in self.watched():
            partner, mass = {}, {}
            for other, other_sign in relation.items():
                if other == cell:
                    continue
                partner[self.index[other]] = 1.0
                same_side = (sign > 0) == (other_sign > 0)
                give = self.cells[other] - self.floors[other] if same_side else self.k
                mass[self.index[other]] = max(give, 0)
            partner[self.index[cell]] = -1.0
            row(partner, 0.0)
            if cell in self.owned and 0 < self.cells[cell] < self.k:
                mass[self.index[cell]] = -(self.k - self.cells[cell])
                row(mass, 0.0)
        for cut in cuts:
            row({self.index[c]: 1.0 for c in cut}, 1.0)
        lower = np.array([1.0 if c in fixed else 0.0 for c in self.names])
        upper = np.array([1.0 if c in self.hideable else 0.0 for c in self.names])
        constraints = []
        if low:
            r, c, v = zip(*entries, strict=True)
            matrix = coo_array((np.array(v, dtype=float), (r, c)),
                               shape=(len(low), len(self.names))).tocsr()
            constraints = [LinearConstraint(matrix, np.array(low), np.inf)]
        solved = milp(np.array([self.costs.get(c, 1.0) for c in self.names], dtype=float),
                      constraints=constraints, integrality=np.ones(len(self.names)),
                      bounds=Bounds(lower, upper), options={"mip_rel_gap": 0.01})
        if solved.x is None:
            return set()
        return {c for c, value in zip(self.names, solved.x) if value > 0.5}

    def closed(self, hidden: set) -> set:
        """While a relation has exactly one hidden cell, hide its cheapest hideable partner."""
        hidden = set(hidden)
        changed = True
        while changed:
            changed = False
            for relation in self.equations + self.guarded:
                alone = [c for c in relation if c in hidden]
                if len(alone) != 1 or (relation not in self.guarded and alone[0] not in self.owned):
                    continue
                open_ = [c for c in relation if c not in hidden and c in self.hideable]
                if open_:
                    hidden.add(min(open_, key=lambda c: (self.costs.get(c, 1.0), str(c))))
                    changed = True
        return hidden

    def pinned(self, hidden: set, checked: set, enough: int | None = None) -> tuple[dict, set]:
        """Protected cells an attacker narrows below k, each with the shown hideable cells of
        the relations that pin it (non-zero prices of the linear programme), and the cells not
        checked: once ``enough`` are found pinned, the rest are left for the next round."""
        unknown = sorted(hidden, key=str)
        position = {c: i for i, c in enumerate(unknown)}
        a_eq, b_eq, eq_rows = self._rows(self.equations, hidden, position)
        a_ub, b_ub, ub_rows = self._rows(self.bounds, hidden, position)
        floors = np.array([self.floors[c] for c in unknown], dtype=float)
        programme = LinearProgramme(len(unknown), a_ub, b_ub, a_eq, b_eq, lower=floors,
                                     warm=True)
        seen = Witnesses(self.k, floors, a_eq, b_eq, a_ub, b_ub)
        seen.add(np.array([self.cells[c] for c in unknown], dtype=float))
        cells = sorted(checked, key=str)
        seen.seed([position[c] for c in cells], programme.minimise)
        seen.rays([position[c] for c in cells])
        pinned = {}
        for number, cell in enumerate(cells):
            if enough is not None and len(pinned) >= enough:
                return pinned, set(cells[number:])
            if seen.wide(position[cell]):  # two whole-number answers k apart: not pinned
                continue
            objective = np.zeros(len(unknown))
            objective[position[cell]] = 1.0
            highest = programme.minimise(-objective)
            seen.add(highest.x)
            if seen.wide(position[cell]):  # as large as that, and the true value: not pinned
                continue
            extremes = [programme.minimise(objective), highest]
            seen.add(extremes[0].x)
            if _width(*extremes) < self.k - 1e-6:
                pinned[cell] = self._support(extremes, eq_rows, ub_rows, hidden)
            elif extremes[1].status != 3 and self._whole_width(
                    objective, a_eq, b_eq, a_ub, b_ub, unknown) < self.k - 1e-6:
                pinned[cell] = set()
        return pinned, set()

    def _rows(self, relations: list[Relation], hidden: set, position: dict):
        """The relations that hold a hidden cell, as a sparse matrix over the hidden cells (a
        zone's table over ten years holds thousands) and what the shown cells leave for them."""
        entries, rhs, used = [], [], []
        for relation in relations:
            if not any(c in hidden for c in relation):
                continue
            constant = 0.0
            for cell, sign in relation.items():
                if cell in hidden:
                    entries.append((len(rhs), position[cell], sign))
                else:
                    constant -= sign * self.cells[cell]
            rhs.append(constant)
            used.append(relation)
        if not rhs:
            return None, None, []
        r, c, v = zip(*entries, strict=True)
        # duplicates (a cell twice in a relation) are summed, as the dense rows added them
        matrix = coo_array((np.array(v, dtype=float), (r, c)),
                           shape=(len(rhs), len(position))).tocsr()
        return matrix, np.array(rhs), used

    def _whole_width(self, objective, a_eq, b_eq, a_ub, b_ub, unknown) -> float:
        constraints = []
        if a_eq is not None:
            constraints.append(LinearConstraint(a_eq, b_eq, b_eq))
        if a_ub is not None:
            constraints.append(LinearConstraint(a_ub, -np.inf, b_ub))
        lower = np.array([self.floors[c] for c in unknown], dtype=float)
        whole = np.ones(len(unknown))
        extremes = [milp(sign * objective, constraints=constraints, integrality=whole,
                         bounds=Bounds(lower, np.inf)) for sign in (1.0, -1.0)]
        return _width(*extremes)

    def _support(self, solutions: list, eq_rows: list, ub_rows: list, hidden: set) -> set:
        support = set()
        for solved in solutions:
            if solved.x is None:
                continue
            for prices, relations in ((solved.eqlin.marginals, eq_rows),
                                      (solved.ineqlin.marginals, ub_rows)):
                for price, relation in zip(prices, relations):
                    if abs(price) > 1e-9:
                        support |= {c for c in relation
                                    if c not in hidden and c in self.hideable}
        return support

    def neighbours(self, cell: Hashable, hidden: set) -> set:
        """The shown hideable cells of the relations that reach ``cell`` through hidden cells."""
        by_cell: dict = defaultdict(list)
        for relation in self.equations + self.bounds:
            for member in relation:
                by_cell[member].append(relation)
        tied, frontier = {cell}, [cell]
        while frontier:
            for relation in by_cell[frontier.pop()]:
                for member in relation:
                    if member in hidden and member not in tied:
                        tied.add(member)
                        frontier.append(member)
        return {m for c in tied for relation in by_cell[c] for m in relation
                if m not in hidden and m in self.hideable}

    def greedy(self, hidden: set, checked: set) -> set:
        """After the optimiser's rounds: the cheapest shown cell around each pinned one, until
        none is pinned or nothing is left to hide (each step hides at least one more cell)."""
        pinned = self.pinned(hidden, checked)[0]
        while pinned:
            more = set()
            for cell, support in pinned.items():
                around = support or self.neighbours(cell, hidden)
                if around:
                    more.add(min(around, key=lambda c: (self.costs.get(c, 1.0), str(c))))
            if not more:
                break
            hidden = self.closed(hidden | more)
            pinned = self.pinned(hidden, set(pinned))[0]
        return hidden


def _width(low, high) -> float:
    """Largest minus smallest feasible value (no optimum above: nothing bounds that side)."""
    upper = math.inf if high.x is None else -high.fun
    lower = 0.0 if low.x is None else low.fun
    return upper - lower
