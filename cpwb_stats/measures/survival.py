"""Cohort retention: Kaplan-Meier survival in the police from the year of entry, by group.

Time is years since entry (``entry_year``, taken as its middle). The observation runs from the
first workforce snapshot to the last (at least two are needed). The people observed are those
in post at the first snapshot (they entered the observation late: left truncation at their
tenure then) and those hired afterwards; each of them either leaves within the window (an
event, at the leaver's date) or is still in post at the last snapshot (censored there).
Leavers on or before the first snapshot, and after the last one (they are in the last
snapshot, censored there), are outside the window and left out. People are not linked across
files: the leavers in the window and the last snapshot together make the population, so the
files must cover the same zone and the same window.

Dates: a day stands for its middle; a month or a bare year for its last day (as in
``retention.period_key``), so a leaver dated by month in the month of the first snapshot,
taken on the month's last day, left before it (outside the window), and one dated in the month
of a snapshot taken mid-month left after it, keeping the late entry.

- ``retention`` S(t) = prod over event times s <= t of (1 - d_s / n_s), with n_s the people at
  risk (entered before s, not yet left or censored) and d_s the leavers at s;
- 95% interval: Greenwood's variance on the log(-log) scale (as lifelines computes it);
- ``at_risk`` n_s; ``events`` d_s;
- the log-rank test (with the same risk sets) compares the groups;
- ``cumulative_incidence`` by leave reason (Aalen-Johansen): the probability of having left for
  that reason by t, the reasons competing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2

from cpwb_stats.measures.retention import period_key

Z95 = 1.959963984540054
SMALLEST = 1 / 365


class NeedsTwoSnapshots(ValueError):
    """Cohort retention was asked of a workforce with a single snapshot."""


def year_fraction(period: str) -> float:
    """A period as a point in time, in years: ``2024-07-01`` -> 2024.5 (the day's middle).

    A month or a year is taken at its last day (``retention.period_key``), as leaver rates
    place it: a leaver dated ``2024-06`` is in the period ending on a 30 June snapshot.
    """
    stamp = pd.Timestamp(period_key(period))
    return stamp.year + (stamp.day_of_year - 0.5) / (366 if stamp.is_leap_year else 365)


def observations(entries: pd.DataFrame, movements: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One row per kind of person: group, entry (truncation), duration, event, reason, weight.

    ``entries`` has the workforce's people per entry year at each snapshot; ``movements`` the
    leavers with their entry year (leavers without one cannot be placed and are left out).
    """
    stock = entries[entries["dimension"] == dimension]
    first, last = _first_and_last(stock)
    if first == last:
        raise NeedsTwoSnapshots(first)
    leavers = movements[(movements["movement"] == "leave") & (movements["dimension"] == dimension)
                        & (movements["entry_year"] != "")]
    when = leavers["period"].map(period_key)
    leavers = leavers[(when > period_key(first)) & (when <= period_key(last))]
    stayers = stock[stock["period"] == last]
    t0 = year_fraction(first)
    leave = pd.DataFrame({
        "group": leavers["group"], "entered_at": leavers["entry_year"].astype(int) + 0.5,
        "at": leavers["period"].map(year_fraction), "event": True,
        "reason": leavers["leave_reason"], "weight": leavers["count"]})
    stay = pd.DataFrame({
        "group": stayers["group"], "entered_at": stayers["entry_year"].astype(int) + 0.5,
        "at": year_fraction(last), "event": False, "reason": "", "weight": stayers["count"]})
    people = pd.concat([leave, stay], ignore_index=True)
    duration = (people["at"] - people["entered_at"]).clip(lower=SMALLEST)
    entry = (t0 - people["entered_at"]).clip(lower=0)
    return pd.DataFrame({"group": people["group"], "entry": entry.where(entry < duration, 0),
                         "duration": duration, "event": people["event"].astype(bool),
                         "reason": people["reason"], "weight": people["weight"].astype(float)})


def _first_and_last(stock: pd.DataFrame) -> tuple[str, str]:
    periods = sorted(stock["period"].unique(), key=period_key)
    return periods[0], periods[-1]


def risk_table(people: pd.DataFrame) -> pd.DataFrame:
    """Per event time: people at risk, leavers, and leavers per reason (weighted).

    At risk at *t*: entered before *t* and still observed at *t* (``entry < t <= duration``).
    Computed with sorted sums rather than one pass over everyone per time, so that a national
    history (tens of thousands of people, thousands of event times) takes a moment.
    """
    leavers = people[people["event"].to_numpy(bool)]
    times = np.sort(leavers["duration"].unique())
    if not len(times):
        return pd.DataFrame()
    entry, duration = people["entry"].to_numpy(float), people["duration"].to_numpy(float)
    weight = people["weight"].to_numpy(float)
    observed = entry < duration  # nobody else is ever at risk
    at_risk = (_weight_from(duration[observed], weight[observed], times)
               - _weight_from(entry[observed], weight[observed], times))
    events = leavers.groupby("duration")["weight"].sum().reindex(times, fill_value=0)
    reasons = (leavers.groupby(["duration", "reason"])["weight"].sum()
               .unstack(fill_value=0.0).reindex(index=times, columns=leavers["reason"].unique(),
                                                fill_value=0.0))
    table = pd.DataFrame({"years": times, "at_risk": at_risk,
                          "events": events.to_numpy(float)})
    return pd.concat([table, reasons.add_prefix("reason:").reset_index(drop=True)], axis=1)


def _weight_from(values: np.ndarray, weight: np.ndarray, times: np.ndarray) -> np.ndarray:
    """For each time *t*, the total weight of the values at or after *t*."""
    order = np.argsort(values, kind="stable")
    before = np.concatenate([[0.0], np.cumsum(weight[order])])
    return before[-1] - before[np.searchsorted(values[order], times, side="left")]


def kaplan_meier(people: pd.DataFrame) -> pd.DataFrame:
    """``years, at_risk, events, retention, ci_low, ci_high`` at each event time."""
    table = risk_table(people)
    if table.empty:
        return pd.DataFrame(columns=["years", "at_risk", "events", "retention", "ci_low",
                                     "ci_high"])
    n, d = table["at_risk"], table["events"]
    retention = (1 - d / n).cumprod()
    greenwood = (d / (n * (n - d))).replace([np.inf], np.nan).cumsum()
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.log(retention)
        spread = Z95 * np.sqrt(greenwood) / log_s
        low = np.exp(-np.exp(np.log(-log_s) - spread))
        high = np.exp(-np.exp(np.log(-log_s) + spread))
    # Where everyone at risk has left the retention is 0 and so is its interval (as lifelines).
    return table[["years", "at_risk", "events"]].assign(
        retention=retention, ci_low=low.where(retention < 1).mask(retention == 0, 0.0),
        ci_high=high.where(retention < 1).mask(retention == 0, 0.0))


def retention_by_group(people: pd.DataFrame) -> pd.DataFrame:
    pieces = [kaplan_meier(part).assign(group=group) for group, part in people.groupby("group")
              if part["event"].any()]
    columns = ["group", "years", "at_risk", "events", "retention", "ci_low", "ci_high"]
    return pd.concat(pieces, ignore_index=True)[columns] if pieces else pd.DataFrame(
        columns=columns)


def retention_at(curve: pd.DataFrame, years: tuple[float, ...] = (1, 3, 5)) -> pd.DataFrame:
    """The retention after 1, 3 and 5 years (the last step at or before), per group."""
    rows = []
    for group, part in curve.groupby("group"):
        for horizon in years:
            before = part[part["years"] <= horizon]
            last = before.iloc[-1] if not before.empty else None
            rows.append({"group": group, "years": horizon,
                         "retention": 1.0 if last is None else last["retention"],
                         "ci_low": None if last is None else last["ci_low"],
                         "ci_high": None if last is None else last["ci_high"],
                         "at_risk": None if last is None else last["at_risk"]})
    return pd.DataFrame(rows, columns=["group", "years", "retention", "ci_low", "ci_high",
                                       "at_risk"])


def incidence_at(incidence: pd.DataFrame, horizon: float = 5) -> pd.DataFrame:
    """Per group and reason, the cumulative incidence at ``horizon`` years (last step before)."""
    before = incidence[incidence["years"] <= horizon]
    return (before.sort_values("years").groupby(["group", "reason"], as_index=False)
            .last()[["group", "reason", "cumulative_incidence"]])


def logrank_test(people: pd.DataFrame) -> tuple[float, float]:
    """Chi-square statistic and p-value of the log-rank test that all groups retain alike."""
    groups = sorted(people["group"].unique())
    if len(groups) < 2:
        return float("nan"), float("nan")
    times = np.sort(people.loc[people["event"], "duration"].unique())
    observed_minus_expected = np.zeros(len(groups))
    variance = np.zeros((len(groups), len(groups)))
    entry, duration = people["entry"].to_numpy(), people["duration"].to_numpy()
    weight, event = people["weight"].to_numpy(), people["event"].to_numpy()
    membership = np.array([people["group"].to_numpy() == g for g in groups])
    for t in times:
        risk = (entry < t) & (duration >= t)
        died = (duration == t) & event
        n_g = (membership * (weight * risk)).sum(axis=1)
        d_g = (membership * (weight * died)).sum(axis=1)
        n, d = n_g.sum(), d_g.sum()
        if n <= 1:
            continue
        observed_minus_expected += d_g - d * n_g / n
        share = n_g / n
        variance += d * (n - d) / (n - 1) * (np.diag(share) - np.outer(share, share))
    keep = slice(0, len(groups) - 1)
    statistic = float(observed_minus_expected[keep] @ np.linalg.pinv(variance[keep, keep])
                      @ observed_minus_expected[keep])
    return statistic, float(chi2.sf(statistic, len(groups) - 1))


def cumulative_incidence(people: pd.DataFrame) -> pd.DataFrame:
    """Aalen-Johansen: per group and leave reason, the probability of having left for it by t."""
    pieces = []
    for group, part in people.groupby("group"):
        table = risk_table(part)
        if table.empty:
            continue
        survival_before = (1 - table["events"] / table["at_risk"]).cumprod().shift(fill_value=1)
        for column in [c for c in table.columns if c.startswith("reason:")]:
            incidence = (survival_before * table[column] / table["at_risk"]).cumsum()
            pieces.append(pd.DataFrame({"group": group, "reason": column.split(":", 1)[1],
                                        "years": table["years"],
                                        "cumulative_incidence": incidence,
                                        "at_risk": table["at_risk"], "events": table[column]}))
    columns = ["group", "reason", "years", "cumulative_incidence", "at_risk", "events"]
    return pd.concat(pieces, ignore_index=True)[columns] if pieces else pd.DataFrame(
        columns=columns)
