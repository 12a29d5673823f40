"""Confidence intervals for proportions."""

from __future__ import annotations

import numpy as np
import pandas as pd

Z_95 = 1.959963984540054


def wilson_interval(successes: pd.Series, trials: pd.Series, z: float = Z_95):
    """Wilson score interval for successes/trials; NaN where there are no trials.

    Unlike the normal approximation it stays inside [0, 1] and behaves at 0% and 100%.

    >>> low, high = wilson_interval(pd.Series([0, 5]), pd.Series([10, 10]))
    >>> [round(x, 4) for x in low], [round(x, 4) for x in high]
    ([0.0, 0.2366], [0.2775, 0.7634])
    """
    n = trials.astype("float64").where(trials > 0)
    p = successes.astype("float64") / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = (centre - half).clip(0, 1).mask(successes == 0, 0.0)  # exact at the bounds,
    high = (centre + half).clip(0, 1).mask(successes == trials, 1.0)  # not 1e-18 off
    return low.where(n.notna()), high.where(n.notna())
