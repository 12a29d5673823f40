"""One linear programme solved many times with only its objective changed (the attacker's
smallest and largest value of each hidden cell), at a fraction of ``scipy.optimize.linprog``'s
cost per solve.

Each solve is the one ``linprog(c, A_ub, b_ub, A_eq, b_eq, bounds, method="highs")`` makes: the
same HiGHS solver (SciPy's own copy), the same options, the same matrix, a fresh solver each
time (no answer carried from one solve to the next). Only the checking and conversion
``linprog`` repeats on every call is done once, so the answers, prices included, are the same.

With ``warm=True`` one solver is kept and each solve starts from the last one's optimal basis
(only the objective changes, so that basis stays feasible): about three times faster on the
leaver tables' thousand-cell programmes. The optimal values are the same; where a programme has
several optimal points, the point and prices returned may be another of them.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import OptimizeResult
from scipy.optimize._highspy import _core
from scipy.optimize._linprog_highs import _highs_to_scipy_status_message
from scipy.sparse import csc_array, issparse
from scipy.sparse import vstack as sparse_vstack

_INF = _core.kHighsInf


def _options() -> _core.HighsOptions:
    """The options ``linprog(method="highs")`` passes by default."""
    options = _core.HighsOptions()
    options.presolve = "on"
    options.highs_debug_level = _core.HighsDebugLevel.kHighsDebugLevelNone
    options.log_to_console = False
    options.output_flag = False
    options.simplex_strategy = _core.simplex_constants.SimplexStrategy.kSimplexStrategyDual
    return options


class LinearProgramme:
    """``A_ub x <= b_ub``, ``A_eq x = b_eq``, ``lower <= x <= upper``; :meth:`minimise` gives
    what ``linprog`` gives for an objective (``x``, ``fun``, ``status``, ``eqlin`` and
    ``ineqlin`` prices)."""

    def __init__(self, columns: int, a_ub=None, b_ub=None, a_eq=None, b_eq=None,
                 lower: float | np.ndarray = 0.0, upper: float | np.ndarray | None = None,
                 warm: bool = False):
        a_ub = np.zeros((0, columns)) if a_ub is None else a_ub
        a_eq = np.zeros((0, columns)) if a_eq is None else a_eq
        b_ub = np.zeros(0) if b_ub is None else np.asarray(b_ub, dtype=float)
        b_eq = np.zeros(0) if b_eq is None else np.asarray(b_eq, dtype=float)
        if issparse(a_ub) or issparse(a_eq):
            matrix = csc_array(sparse_vstack((a_ub, a_eq)))
        else:
            matrix = csc_array(np.vstack((a_ub, a_eq)))
        self.inequalities = len(b_ub)
        lhs = np.concatenate((np.full(len(b_ub), -_INF), b_eq))
        rhs = np.concatenate((b_ub, b_eq))
        rhs[np.isinf(rhs)] = np.sign(rhs[np.isinf(rhs)]) * _INF
        lower = np.broadcast_to(np.asarray(lower, dtype=float), (columns,)).copy()
        upper = np.full(columns, _INF) if upper is None else np.broadcast_to(
            np.asarray(upper, dtype=float), (columns,)).copy()
        lower[np.isinf(lower)] = np.sign(lower[np.isinf(lower)]) * _INF
        upper[np.isinf(upper)] = np.sign(upper[np.isinf(upper)]) * _INF
        lp = _core.HighsLp()
        lp.num_col_, lp.num_row_ = columns, len(rhs)
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = columns, len(rhs)
        lp.a_matrix_.format_ = _core.MatrixFormat.kColwise
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_, lp.row_upper_ = lhs, rhs
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        self.lp, self.rhs, self.options = lp, rhs, _options()
        self.warm, self._solver = warm, None

    def minimise(self, objective: np.ndarray) -> OptimizeResult:
        objective = np.asarray(objective, dtype=float)
        highs = self._solver
        if highs is None:
            self.lp.col_cost_ = objective
            highs = _core._Highs()
            highs.passOptions(self.options)
            highs.passModel(self.lp)
            if self.warm:
                self._solver = highs
        else:
            columns = len(objective)
            highs.changeColsCost(columns, np.arange(columns, dtype=np.int32), objective)
        highs.run()
        status = highs.getModelStatus()
        if status != _core.HighsModelStatus.kOptimal:
            return OptimizeResult(x=None, fun=None,
                                  status=_highs_to_scipy_status_message(status, "")[0],
                                  eqlin=OptimizeResult(marginals=None),
                                  ineqlin=OptimizeResult(marginals=None))
        solution = highs.getSolution()
        prices = np.array(solution.row_dual)
        return OptimizeResult(
            x=np.array(solution.col_value), fun=highs.getInfo().objective_function_value,
            status=0, eqlin=OptimizeResult(marginals=prices[self.inequalities:]),
            ineqlin=OptimizeResult(marginals=prices[:self.inequalities]))
