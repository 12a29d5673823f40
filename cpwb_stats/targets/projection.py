"""Projection: where a group's share is heading, and what it would take to reach a target.

**Single stock** (one rank, or the whole zone), at constant headcount *H*: each year the group
loses ``w_g * G`` leavers, everyone together loses ``w * H`` (the overall leaver rate *w* is
held fixed), the leavers are replaced by as many hires, of whom a share *q* is in the group::

    G[t+1] = G[t] - w_g * G[t] + q * w * H

so ``G[t] = G* + (G[0] - G*) * (1 - w_g)**t`` with the steady state ``G* = q * w * H / w_g``:
the share tends to ``q * w / w_g`` (to *q* itself when the group leaves as often as everyone).

**Per rank** (a Markov stock-flow model): in each rank people leave (rate by group), are
promoted to the next rank (rate by group) as far as it has places, and the rank is refilled to
its headcount by the promotions from below and, for the rest, by hires of whom a share *q* is
in the group.

The condition: the others supply ``w * H - w_g * G`` leavers, which must lie between 0 and
their number ``H - G``. While ``q * w / w_g <= 1`` it does; when it is above 1 (the group's share
would have to pass 100%), the others' leavers are held within those bounds, so the share stays
below 1 and the leavers are people who exist.

Both run deterministically (expected values) and as a Monte-Carlo simulation (binomial
leavers, promotions and hires). The single stock's Monte-Carlo mean follows the deterministic
line while the condition above holds (near its bound, runs reach it at different times and the
mean can differ slightly). In the ladder, promotions into a rank are capped at its places
left and those not promoted stay where they are (nobody disappears from the model); its
Monte-Carlo mean follows the line too (the tests check it where promotions exceed the places
above), within the chance spread of the runs.

>>> line = project(headcount=100, group_count=10, leaver_rate=0.1, group_leaver_rate=0.1,
...                hire_share=0.3, years=2)
>>> [round(s, 3) for s in line["share"]]
[0.1, 0.12, 0.138]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

PROJECTION_COLUMNS = ["year", "headcount", "group_count", "share", "leavers", "group_leavers",
                      "hires", "group_hires"]


def project(headcount: float, group_count: float, leaver_rate: float, group_leaver_rate: float,
            hire_share: float, years: int) -> pd.DataFrame:
    """The deterministic single-stock projection: one record per year, year 0 the start."""
    _check_rates(leaver_rate, group_leaver_rate, hire_share)
    rows, group = [], float(group_count)
    for year in range(years + 1):
        group_leavers = group_leaver_rate * group
        # The others supply the rest of the w * H leavers, but no more than there are of them
        # and never fewer than none: the model holds as long as the group is not more than
        # q * w / w_g of the stock; beyond, the leavers are only those who exist.
        other_leavers = min(max(leaver_rate * headcount - group_leavers, 0.0), headcount - group)
        leavers = group_leavers + other_leavers
        group_hires = hire_share * leavers
        rows.append({"year": year, "headcount": float(headcount), "group_count": group,
                     "share": group / headcount if headcount else math.nan, "leavers": leavers,
                     "group_leavers": group_leavers, "hires": leavers,
                     "group_hires": group_hires})
        group = min(max(group - group_leavers + group_hires, 0.0), float(headcount))
    return pd.DataFrame(rows, columns=PROJECTION_COLUMNS)


def _check_rates(*rates: float) -> None:
    for rate in rates:
        if not 0 <= rate <= 1:
            raise ValueError(f"a rate or share must lie between 0 and 1, not {rate}")


def steady_share(leaver_rate: float, group_leaver_rate: float, hire_share: float) -> float:
    """The share :func:`project` tends to: q * w / w_g while the others can supply the rest of
    the leavers there (w - w_g * s <= 1 - s at that share s); beyond, every other leaves each
    year and the share settles where w_g * s = q * (w_g * s + 1 - s), q / (q + w_g (1 - q)).

    >>> round(steady_share(0.05, 0.10, 0.10), 4), round(steady_share(0.5, 0.125, 0.25), 4)
    (0.05, 0.7273)
    """
    if group_leaver_rate == 0:
        return 1.0 if hire_share > 0 else math.nan
    share = hire_share * leaver_rate / group_leaver_rate
    if _others_suffice(leaver_rate, group_leaver_rate, min(share, 1.0)):
        return min(share, 1.0)
    return hire_share / (hire_share + group_leaver_rate * (1 - hire_share))


def _others_suffice(leaver_rate: float, group_leaver_rate: float, share: float) -> bool:
    """At this share, the others are enough to supply the leavers the group does not."""
    return leaver_rate - group_leaver_rate * share <= 1 - share + 1e-12


def years_to_target(headcount: float, group_count: float, leaver_rate: float,
                    group_leaver_rate: float, hire_share: float, target: float) -> float:
    """Years until the share first reaches the target (closed form); inf if it never does."""
    start = group_count / headcount
    if start >= target:
        return 0.0
    if group_leaver_rate == 0:
        gain = hire_share * leaver_rate * headcount
        return (target * headcount - group_count) / gain if gain > 0 else math.inf
    if not _others_suffice(leaver_rate, group_leaver_rate, target):
        # on the way to the target every other would leave each year: the closed form does not
        # hold there; the model's own line says when (or that it never does)
        if steady_share(leaver_rate, group_leaver_rate, hire_share) <= target:
            return math.inf
        line = project(headcount, group_count, leaver_rate, group_leaver_rate, hire_share,
                       years=1000)
        reached = line.index[line["share"] >= target - 1e-12]
        return float(reached[0]) if len(reached) else math.inf
    steady = hire_share * leaver_rate * headcount / group_leaver_rate
    if steady <= target * headcount or group_leaver_rate >= 1:
        return math.inf
    return math.log((target * headcount - steady) / (group_count - steady)) / math.log(
        1 - group_leaver_rate)


def hire_share_needed(headcount: float, group_count: float, leaver_rate: float,
                      group_leaver_rate: float, target: float, years: int) -> float:
    """The group share of hires, every year, that brings the share to the target in ``years``.

    Above 1 (or inf), the target is out of reach by recruitment alone. The closed form holds
    while the path keeps the model's condition; where it does not, the line is searched.
    """
    keep = (1 - group_leaver_rate) ** years
    hires = leaver_rate * headcount
    if hires == 0 or years == 0:
        return math.inf
    if group_leaver_rate == 0:
        needed = (target * headcount - group_count) / (hires * years)
    else:
        needed = ((target * headcount - group_count * keep) * group_leaver_rate
                  / (hires * (1 - keep)))
    if not 0 <= needed <= 1 or math.isclose(_reached(
            headcount, group_count, leaver_rate, group_leaver_rate, needed, years), target,
            abs_tol=1e-9):
        return needed
    # The path leaves the model's condition (the others run out of leavers): search the line.
    if _reached(headcount, group_count, leaver_rate, group_leaver_rate, 1.0, years) < target:
        return math.inf
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        reached = _reached(headcount, group_count, leaver_rate, group_leaver_rate, middle, years)
        low, high = (middle, high) if reached < target else (low, middle)
    return high


def _reached(headcount: float, group_count: float, leaver_rate: float,
             group_leaver_rate: float, hire_share: float, years: int) -> float:
    return float(project(headcount, group_count, leaver_rate, group_leaver_rate, hire_share,
                         years)["share"].iloc[-1])


def simulate(headcount: int, group_count: int, leaver_rate: float, group_leaver_rate: float,
             hire_share: float, years: int, runs: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Monte-Carlo runs of the single stock: per year the mean share and the 5%-95% band."""
    _check_rates(leaver_rate, group_leaver_rate, hire_share)
    rng = np.random.default_rng(seed)
    group = np.full(runs, group_count, dtype=np.int64)
    shares = [group / headcount]
    for _ in range(years):
        group_leavers = rng.binomial(group, group_leaver_rate)
        others = headcount - group
        other_rate = np.clip((leaver_rate * headcount - group_leaver_rate * group)
                             / np.maximum(others, 1), 0, 1)
        other_leavers = rng.binomial(others, other_rate)
        hires = group_leavers + other_leavers
        group = np.minimum(group - group_leavers + rng.binomial(hires, hire_share), headcount)
        shares.append(group / headcount)
    return _bands(np.array(shares))


def _bands(shares: np.ndarray, target: float | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"year": range(shares.shape[0]), "mean": shares.mean(axis=1),
                          "low": np.quantile(shares, 0.05, axis=1),
                          "high": np.quantile(shares, 0.95, axis=1)})
    if target is not None:
        frame["p_reached"] = (shares >= target).mean(axis=1)
    return frame


@dataclass(frozen=True)
class RankRates:
    """One rank of the ladder: its headcount and group count now, and the group's rates."""

    rank: str
    headcount: float
    group_count: float
    leaver_rate: float
    group_leaver_rate: float
    promotion_rate: float
    group_promotion_rate: float


def project_ladder(ranks: list[RankRates], hire_share: float, years: int) -> pd.DataFrame:
    """The per-rank stock-flow model, deterministic: ``year, rank, headcount, group_count, share``."""
    group = np.array([r.group_count for r in ranks], dtype=float)
    rows = []
    for year in range(years + 1):
        rows += [{"year": year, "rank": r.rank, "headcount": r.headcount, "group_count": g,
                  "share": g / r.headcount if r.headcount else math.nan}
                 for r, g in zip(ranks, group)]
        group = _ladder_step(ranks, group, hire_share)
    return pd.DataFrame(rows)


def _ladder_step(ranks: list[RankRates], group: np.ndarray, hire_share: float,
                 draw=None) -> np.ndarray:
    """One year: leavers out, promotions up as far as the rank above has places, hires in.

    Ranks are filled from the top: a rank's promotions from below are capped at its places
    left (people who would be promoted but find no place stay where they are; nobody is lost),
    and the promotions out of the highest rank leave the ladder. The places left then go to
    hires, a share ``hire_share`` of them in the group.
    """
    headcount = np.array([r.headcount for r in ranks])
    others = headcount - group
    group_out_leave = _flow(group, [r.group_leaver_rate for r in ranks], draw)
    other_leave_rate = [_other_rate(r.leaver_rate, r.group_leaver_rate, r, g)
                        for r, g in zip(ranks, group)]
    other_promo_rate = [_other_rate(r.promotion_rate, r.group_promotion_rate, r, g)
                        for r, g in zip(ranks, group)]
    other_out_leave = _flow(others, other_leave_rate, draw)
    stay_group, stay_others = group - group_out_leave, others - other_out_leave
    want_group = _flow(stay_group, [r.group_promotion_rate for r in ranks], draw)
    want_others = _flow(stay_others, other_promo_rate, draw)
    up_group, up_others = np.zeros(len(ranks)), np.zeros(len(ranks))
    up_group[-1], up_others[-1] = want_group[-1], want_others[-1]
    for i in range(len(ranks) - 1, 0, -1):
        room = max(headcount[i] - (stay_group[i] - up_group[i]) - (stay_others[i] - up_others[i]),
                   0.0)
        up_group[i - 1], up_others[i - 1] = _placed(want_group[i - 1], want_others[i - 1], room,
                                                    draw)
    new_group = stay_group - up_group
    new_others = stay_others - up_others
    new_group[1:] += up_group[:-1]
    new_others[1:] += up_others[:-1]
    vacancies = np.maximum(headcount - new_group - new_others, 0)
    hired_group = vacancies * hire_share if draw is None else draw.binomial(
        np.round(vacancies).astype(np.int64), hire_share)
    return np.minimum(new_group + hired_group, headcount)


def _placed(group: float, others: float, room: float, draw) -> tuple[float, float]:
    """The promotions that find a place: all of them, or ``room`` chosen among them."""
    if group + others <= room:
        return group, others
    if draw is None:
        scale = room / (group + others) if group + others > 0 else 0.0
        return group * scale, others * scale
    chosen_group = float(draw.hypergeometric(int(group), int(others), int(room)))
    return chosen_group, float(int(room) - chosen_group)


def _flow(stock: np.ndarray, rates: list[float], draw) -> np.ndarray:
    rates = np.clip(np.array(rates, dtype=float), 0, 1)
    if draw is None:
        return stock * rates
    return draw.binomial(np.maximum(stock, 0).astype(np.int64), rates).astype(float)


def _other_rate(overall: float, group_rate: float, rank: RankRates, group: float) -> float:
    """The rate of those outside the group that keeps the rank's overall rate as given."""
    others = rank.headcount - group
    if others <= 0:
        return 0.0
    return float(np.clip((overall * rank.headcount - group_rate * group) / others, 0, 1))


def simulate_ladder(ranks: list[RankRates], hire_share: float, years: int, scope: list[str],
                    target: float | None = None, runs: int = 500, seed: int = 0) -> pd.DataFrame:
    """Monte-Carlo runs of the ladder; the share over the ranks in ``scope``, per year."""
    rng = np.random.default_rng(seed)
    chosen = np.array([r.rank in scope for r in ranks])
    total = sum(r.headcount for r in ranks if r.rank in scope)
    shares = np.zeros((years + 1, runs))
    for run in range(runs):
        group = np.array([round(r.group_count) for r in ranks], dtype=float)
        shares[0, run] = group[chosen].sum() / total
        for year in range(1, years + 1):
            group = _ladder_step(ranks, group, hire_share, rng)
            shares[year, run] = group[chosen].sum() / total
    return _bands(shares, target)


def ladder_share(projection: pd.DataFrame, scope: list[str]) -> pd.DataFrame:
    """The share over the ranks in ``scope`` per year of a ladder projection."""
    part = projection[projection["rank"].isin(scope)]
    summed = part.groupby("year", as_index=False)[["headcount", "group_count"]].sum()
    return summed.assign(share=summed["group_count"] / summed["headcount"])


def ladder_hire_share_needed(ranks: list[RankRates], scope: list[str], target: float,
                             years: int) -> float:
    """The group share of hires that reaches the target share in ``scope`` after ``years``;
    inf when even hiring only from the group would not (out of reach by recruitment alone)."""
    def reached(q: float) -> float:
        return ladder_share(project_ladder(ranks, q, years), scope)["share"].iloc[-1]

    if reached(1.0) < target:
        return math.inf
    low, high = 0.0, 1.0
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if reached(middle) < target else (low, middle)
    return high
