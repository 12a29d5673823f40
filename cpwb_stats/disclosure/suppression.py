"""Which cells of a table of counts to hide: primary cells, then the cheapest complements.

A table is a set of cells (each a whole number) and the sums a reader knows ties them with
(a total is the sum of its parts). Cells of 1 to k-1 are hidden (primary suppression). The
complements are chosen by an optimiser (SciPy's HiGHS ``milp``), as tau-Argus does with its
optimal method: hide the set of cells of least cost such that

1. no known sum has exactly one hidden cell (nothing is given back by one subtraction), and
2. an attacker who knows every shown cell and every sum (a linear programme over whole
   numbers of at least 0) cannot narrow any hidden cell to a range narrower than k.

Rule 1, and for each single sum rule 2, are written into the optimisation; rule 2 over all
sums together is then checked exactly (whole numbers, each hidden cell at least 1 since a 0
is never hidden). Where a small cell is still pinned the optimiser is told to hide at least
one more of the shown cells of the sums that pin it, and solves again; after ``MAX_ROUNDS``
the cheapest such cell is hidden around each pinned one until none is pinned (this ends: a
cell whose sums are all hidden cannot be narrowed). No clock limit is used, so the same
table always gives the same pattern.

The cost of hiding a cell is given by the caller: the statistics layer makes it the count
itself (least information lost) with a large factor on totals and headline numbers, so a
headline is hidden only when no cheaper complement exists.

>>> cells = {"a": 2, "b": 40, "c": 9, "total": 51}
>>> sorted(hidden_cells(cells, [(["a", "b", "c"], "total")], {k: v + 1 for k, v in cells.items()},
...                     k=5))
['a', 'c']
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from cpwb_stats.disclosure.linear import LinearProgramme

Relation = tuple[list[Hashable], Hashable]  # (parts, total): sum of parts == total
MAX_ROUNDS = 30
_REMEMBERED: dict = {}  # the same table asked again (a page re-run, every dimension) is not re-solved


def hidden_cells(cells: dict[Hashable, int], relations: Iterable[Relation],
                 costs: dict[Hashable, float], k: int, already: Iterable[Hashable] = (),
                 frozen: Iterable[Hashable] = ()) -> set[Hashable]:
    """The cells to hide: every count of 1..k-1 and the cheapest complements that protect them.

    ``cells`` maps a key to its count; ``relations`` lists the sums a reader knows (keys not in
    ``cells`` are ignored: an unpublished number needs no hiding but is not known either).
    Tables published together are one problem: ``already`` are cells another publication
    hides (they stay hidden), ``frozen`` cells another publication shows (hiding them here
    would protect nothing, so they are never chosen as complements).
    """
    relations = [([p for p in parts if p in cells], total) for parts, total in relations
                 if total in cells]
    already, frozen = frozenset(already).intersection(cells), frozenset(frozen).intersection(cells)
    key = (tuple(cells.items()), tuple((tuple(p), t) for p, t in relations),
           tuple(costs.get(c) for c in cells), k, already, frozen)
    if key not in _REMEMBERED:
        if len(_REMEMBERED) > 512:
            _REMEMBERED.clear()
        _REMEMBERED[key] = frozenset(_hidden_cells(cells, relations, costs, k, already,
                                                   frozen))
    return set(_REMEMBERED[key])


def _hidden_cells(cells: dict, relations: list[Relation], costs: dict, k: int,
                  already: frozenset = frozenset(), frozen: frozenset = frozenset()) -> set:
    relations = [(parts, total) for parts, total in relations if parts]
    primary = {c for c, v in cells.items() if 0 < v < k}
    if not primary:
        return set(already)
    # what may still be chosen as a complement: a shown, non-zero cell nobody else publishes
    choosable = {c: v if c not in frozen else 0 for c, v in cells.items()}
    members = [[*parts, total] for parts, total in relations]
    cuts: list[set[Hashable]] = []
    fixed = set(primary) | set(already)
    hidden = closed(fixed, members, choosable)
    for _ in range(MAX_ROUNDS):
        hidden = closed(_cheapest_pattern(cells, members, costs, fixed, cuts, k, frozen)
                        or fixed, members, choosable)
        # Hidden cells are only ever added, which only widens what an attacker must allow:
        # a cell once free stays free, so only the cells pinned last time are checked again.
        pinned = _pinned(cells, relations, hidden, primary, k, frozen)
        if not pinned:
            return hidden
        primary = set(pinned)
        # Keep what is hidden and ask for at least one more of the shown cells of the sums
        # that pin each pinned cell (all shown cells around it when whole numbers pin it).
        fixed = hidden
        more = [support or _neighbours(c, members, hidden, choosable)
                for c, support in pinned.items()]
        more = [cut for cut in more if cut]
        if not more:
            break
        cuts += more
    # Still pinned after the optimiser's rounds: hide, for each pinned cell, the cheapest of
    # those shown cells, and check again. Every step hides at least one more cell, and a cell
    # whose sums are all hidden cannot be narrowed (any multiple of the true values fits
    # them), so this ends with none pinned.
    pinned = _pinned(cells, relations, hidden, primary, k, frozen)
    while pinned:
        more = set()
        for cell, support in pinned.items():
            around = support or _neighbours(cell, members, hidden, choosable)
            if around:
                more.add(min(around, key=lambda c: (costs[c], str(c))))
        if not more:
            break
        hidden = closed(hidden | more, members, choosable)
        pinned = _pinned(cells, relations, hidden, set(pinned), k, frozen)
    return hidden


def narrowed(cells: dict, relations: Iterable[Relation], hidden: set, watched: Iterable,
             k: int) -> set:
    """The ``watched`` hidden cells an exact attacker narrows to a range under k, knowing every
    shown cell, every sum and that a hidden cell is at least 1 (the check of
    :func:`hidden_cells`, for a pattern already chosen)."""
    relations = [([p for p in parts if p in cells], total) for parts, total in relations
                 if total in cells]
    return set(_pinned(cells, relations, set(hidden), set(watched) & set(hidden), k))


def _cheapest_pattern(cells: dict, members: list[list], costs: dict, primary: set,
                      cuts: list[set], k: int, frozen: frozenset = frozenset()) -> set:
    """Least-cost hiding (a 0/1 programme) in which, for every sum and every hidden cell of it,
    another cell of the sum is hidden, and the hidden cells of the sum hold together at least
    k people (else the cell's range, 0 to their total, would be narrower than k).

    ``frozen`` cells (shown by another publication) and zeros are never hidden. The rows are
    written sparse: tables published together hold thousands of cells."""
    names = list(cells)
    index = {key: i for i, key in enumerate(names)}
    entries: list[tuple[int, int, float]] = []
    low: list[float] = []

    def add(coefficients: dict, bound: float) -> None:
        entries.extend((len(low), index[c], v) for c, v in coefficients.items() if v != 0)
        low.append(bound)

    for group in members:
        for cell in group:
            partner: dict = defaultdict(float)
            mass: dict = defaultdict(float)
            for position, other in enumerate(group):
                partner[other] += 1.0
                # a hidden total leaves the sum unknown: enough on its own
                is_total = position == len(group) - 1
                # a hidden cell is at least 1 (a 0 is never hidden), so with n hidden cells
                # summing to S each lies in 1..S-(n-1): the range is k wide when the hidden
                # cells hold k people beyond one each
                mass[other] += max(cells[other], 2 * k) if is_total else cells[other] - 1
            partner[cell] -= 2.0  # the other cells of the sum minus this one: at least 0
            add(partner, 0.0)
            if cells[cell] < k:
                mass[cell] -= k
                add(mass, 0.0)
    for cut in cuts:
        add(dict.fromkeys(cut, 1.0), 1.0)
    lower = np.array([1.0 if key in primary else 0.0 for key in names])
    upper = np.array([1.0 if cells[key] > 0 and key not in frozen else 0.0 for key in names])
    objective = np.array([costs[key] for key in names], dtype=float)
    constraints = []
    if low:
        r, c, v = zip(*entries, strict=True)
        matrix = coo_array((v, (r, c)), shape=(len(low), len(names))).tocsr()
        constraints = [LinearConstraint(matrix, np.array(low), np.inf)]
    solved = milp(objective, constraints=constraints, integrality=np.ones(len(names)),
                  bounds=Bounds(lower, upper),
                  options={"mip_rel_gap": 0.01})
    if solved.x is None:  # no pattern found: the caller closes what it has
        return set()
    return {key for key, value in zip(names, solved.x) if value > 0.5}


def _pinned(cells: dict, relations: list[Relation], hidden: set, primary: set,
            k: int, frozen: frozenset = frozenset()) -> dict:
    """Small cells an attacker can narrow to a range under k: the exact smallest and largest
    whole-number value of each, given every shown cell and every known sum.

    Every hidden cell is at least 1 (a 0 is always shown), which the attacker knows. Each
    pinned cell comes with the shown cells of the sums that pin it (those with a non-zero
    price in the linear programme's solution): at least one of them must be hidden to free it.
    """
    unknown = sorted(hidden, key=str)
    index = {key: i for i, key in enumerate(unknown)}
    entries, rhs, groups = [], [], []
    for parts, total in relations:
        group = [*parts, total]
        if not any(c in hidden for c in group):
            continue
        known = 0.0
        for cell, sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
            if cell in hidden:
                entries.append((len(rhs), index[cell], sign))
            else:
                known += sign * cells[cell]
        rhs.append(-known)
        groups.append(group)
    if not rhs:
        return {}
    r, c, v = zip(*entries, strict=True)
    matrix = coo_array((v, (r, c)), shape=(len(rhs), len(unknown))).tocsr()
    rhs = np.array(rhs)
    constraints = [LinearConstraint(matrix, rhs, rhs)]
    whole = np.ones(len(unknown))
    lower = np.ones(len(unknown))
    seen = Witnesses(k, lower, matrix, rhs)
    seen.add(np.array([cells[c] for c in unknown], dtype=float))
    checked = sorted(primary, key=str)
    programme = LinearProgramme(len(unknown), a_eq=matrix, b_eq=rhs, lower=1.0)
    seen.seed([index[key] for key in checked], programme.minimise)
    seen.rays([index[key] for key in checked])
    pinned = {}
    for key in checked:
        if seen.wide(index[key]):  # two whole-number answers already k apart: not pinned
            continue
        objective = np.zeros(len(unknown))
        objective[index[key]] = 1.0
        # The linear relaxation first (fast); when it already pins the cell, so do whole numbers.
        low, high = programme.minimise(objective), programme.minimise(-objective)
        seen.add(low.x)
        seen.add(high.x)
        if _width(low, high) < k - 1e-6:
            pinned[key] = _support([low, high], groups, hidden, cells) - frozen
            continue
        if high.x is None:  # unbounded above in whole numbers too (a feasible point exists)
            continue
        if _whole(low) and _whole(high):  # the relaxation's optima are whole numbers: exact
            continue
        low = milp(objective, constraints=constraints, integrality=whole, bounds=Bounds(1, np.inf))
        high = milp(-objective, constraints=constraints, integrality=whole,
                    bounds=Bounds(1, np.inf))
        if _width(low, high) < k - 1e-6:
            pinned[key] = set()
    return pinned


class Witnesses:
    """Whole-number answers an attacker could give (every known sum holds, every hidden cell at
    least its floor), kept to skip the solver where two of them already put a cell k apart.

    Such a cell is not pinned: its exact range (linear or whole-number) is at least as wide as
    any two answers show. The true values are one answer; every optimum the solver returns
    that is a whole-number point is another. A cell not shown wide this way is checked by the
    solver exactly as before, so the cells found pinned, and why, do not change.
    """

    def __init__(self, k: int, lower: np.ndarray, a_eq=None, b_eq=None, a_ub=None, b_ub=None):
        self.k, self.lower = k, lower
        self.a_eq, self.b_eq, self.a_ub, self.b_ub = a_eq, b_eq, a_ub, b_ub
        self.low = self.high = None
        self.endless = np.zeros(len(lower), dtype=bool)

    def add(self, x) -> None:
        """Keep ``x`` if it is a whole-number answer (checked in exact whole numbers)."""
        if x is None:
            return
        point = np.round(np.asarray(x, dtype=float))
        if not np.all(np.abs(point - x) < 1e-7) or np.any(point < self.lower):
            return
        if self.a_eq is not None and not np.array_equal(self.a_eq @ point, self.b_eq):
            return
        if self.a_ub is not None and np.any(self.a_ub @ point > self.b_ub):
            return
        if self.low is None:
            self.low, self.high = point.copy(), point.copy()
        else:
            np.minimum(self.low, point, out=self.low)
            np.maximum(self.high, point, out=self.high)

    def seed(self, columns: list[int], solve) -> None:
        """Two answers from the solver: the checked cells all as large, then all as small, as
        the sums allow (most cells are then shown wide without a solve of their own)."""
        if len(columns) < 3:
            return
        objective = np.zeros(len(self.lower))
        objective[columns] = 1.0
        for sign in (-1.0, 1.0):
            self.add(solve(sign * objective).x)

    def rays(self, columns: list[int]) -> None:
        """Cells with no largest value: a direction the hidden cells can all move along
        without end (no sum changes, none falls below its floor) that raises them. One
        linear programme finds a direction raising as many of ``columns`` as it can; it is
        kept only if it is such a direction in exact whole numbers."""
        if len(columns) < 3:
            return
        size = len(self.lower)
        zeros = np.zeros
        programme = LinearProgramme(
            size, self.a_ub, None if self.a_ub is None else zeros(self.a_ub.shape[0]),
            self.a_eq, None if self.a_eq is None else zeros(self.a_eq.shape[0]),
            lower=0.0, upper=1.0)
        objective = zeros(size)
        objective[columns] = -1.0
        solved = programme.minimise(objective)
        if solved.x is None:
            return
        ray = np.round(solved.x)
        if not np.all(np.abs(ray - solved.x) < 1e-7) or np.any(ray < 0):
            return
        if self.a_eq is not None and np.any(self.a_eq @ ray != 0):
            return
        if self.a_ub is not None and np.any(self.a_ub @ ray > 0):
            return
        self.endless |= ray > 0

    def wide(self, column: int) -> bool:
        """Shown to have a range of at least k: no largest value, or two answers k apart."""
        if self.endless[column]:
            return True
        return self.low is not None and self.high[column] - self.low[column] >= self.k


def _whole(solved) -> bool:
    """The optimum is a whole-number point, so no whole-number solution does better."""
    return solved.x is not None and bool(np.all(np.abs(solved.x - np.round(solved.x)) < 1e-7))


def _support(solutions: list, groups: list[list], hidden: set, cells: dict) -> set:
    """The shown non-zero cells of the sums with a non-zero price in either solution."""
    support = set()
    for solved in solutions:
        if solved.x is None:
            continue
        for price, group in zip(solved.eqlin.marginals, groups):
            if abs(price) > 1e-9:
                support |= {c for c in group if c not in hidden and cells[c] > 0}
    return support


def _width(low, high) -> float:
    """Largest minus smallest feasible value (a missing optimum: nothing bounds that side)."""
    upper = math.inf if high.x is None else -high.fun
    lower = 1.0 if low.x is None else low.fun
    return upper - lower


def _neighbours(cell: Hashable, members: list[list], hidden: set, cells: dict) -> set:
    """The shown cells that share a sum with the hidden cells tied to ``cell``."""
    tied, frontier = {cell}, [cell]
    by_cell: dict[Hashable, list[int]] = defaultdict(list)
    for number, group in enumerate(members):
        for member in group:
            by_cell[member].append(number)
    while frontier:
        current = frontier.pop()
        for number in by_cell[current]:
            for member in members[number]:
                if member in hidden and member not in tied:
                    tied.add(member)
                    frontier.append(member)
    shown = {m for c in tied for n in by_cell[c] for m in members[n] if m not in hidden}
    return {m for m in shown if cells[m] > 0}


def closed(hidden: set, members: list[list], cells: dict) -> set:
    """A safety net under the optimiser: while a sum holds exactly one hidden cell, hide the
    smallest other non-zero cell of it too."""
    hidden = set(hidden)
    changed = True
    while changed:
        changed = False
        for group in members:
            if sum(c in hidden for c in group) == 1:
                shown = [c for c in group if c not in hidden and cells[c] > 0]
                if shown:
                    hidden.add(min(shown, key=lambda c: cells[c]))
                    changed = True
    return hidden
