"""The whole kind: rates and cohort retention on simulated histories equal the people's truth.

A person-level simulator (``tests/simulator.py``) draws careers; the files a zone would upload
are derived from them (workforce in the records, long or wide shape; movements dated at day,
month or year precision), loaded as an upload is, and measured. The truth is computed here
from the people themselves: leavers, resignations and promotions counted per period, average
headcounts from who was in post on each snapshot day, and Kaplan-Meier / Aalen-Johansen from
lifelines on one row per person with the same entry and censoring.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.exceptions import StatError

from cpwb_stats.measures.retention import leaver_rates, promotion_rates
from cpwb_stats.measures.survival import cumulative_incidence, observations, retention_by_group
from cpwb_stats.pipeline import validate_file
from cpwb_stats.terms.ladders import ALL
from tests import simulator as sim


@st.composite
def histories(draw):
    precision = draw(st.sampled_from(["day", "month", "year"]))
    count = draw(st.integers(2, 4))
    middle = precision != "year" and draw(st.booleans())
    snapshots = (sim.mid_years if middle else sim.year_ends)(2019, count)
    crowd = sim.people(draw(st.integers(0, 2**32 - 1)), snapshots, draw(st.integers(15, 70)),
                       empties=draw(st.booleans()))
    return precision, snapshots, crowd


def loaded(content: bytes, name: str, kind: str):
    report = validate_file(content, name, None, "Z", kind)
    assert report.valid, [p.code for p in report.errors]
    return report.extract


def written_day(day: dt.date, precision: str) -> dt.date:
    """The day a date written at ``precision`` stands for: its last day (DESIGN, docs)."""
    if precision == "year":
        return dt.date(day.year, 12, 31)
    if precision == "month":
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def truth_rates(crowd, snapshots, precision):
    """Per period between snapshots, rank (and all) and group: leavers, resignations,
    promotions, and the headcounts on the two snapshot days."""
    rows = []
    for start, end in zip(snapshots, snapshots[1:]):
        for rank in (sim.LOW, sim.HIGH, ALL):
            for group in sim.GROUPS:
                def here(p, day, rank=rank, group=group):
                    return p.group == group and p.in_post(day) and rank in (ALL, p.rank(day))
                left = [p for p in crowd if p.group == group and p.exit is not None
                        and start < written_day(p.exit, precision) <= end
                        and rank in (ALL, p.rank(p.exit))]
                rows.append({"period": end.isoformat(), "rank": rank, "group": group,
                             "leavers": len(left),
                             "resignations": sum(p.reason == "resignation" for p in left),
                             "start_headcount": sum(here(p, start) for p in crowd),
                             "end_headcount": sum(here(p, end) for p in crowd),
                             "promotions": sum(p.group == group and p.promoted is not None
                                               and start < written_day(p.promoted, precision)
                                               <= end for p in crowd) if rank == sim.LOW
                             else None})
    return pd.DataFrame(rows)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.sampled_from(["records", "long", "wide"]),
       st.sampled_from(["records", "long"]))
def test_leaver_resignation_and_promotion_rates_equal_the_truth(history, shape, moves_shape):
    precision, snapshots, crowd = history
    workforce = loaded(sim.workforce_file(crowd, snapshots, shape), f"w.{shape}.csv",
                       "workforce")
    movements = loaded(sim.movements_file(crowd, precision, moves_shape), "m.csv", "movements")
    ours = leaver_rates(workforce.counts, movements.counts, workforce.dimensions, "gender")
    ours = ours[ours["staff_category"].isin(["operational", ALL])
                & ~((ours["staff_category"] == ALL) & (ours["rank"] != ALL))]
    ours = ours.assign(rank=ours["rank"].where(ours["staff_category"] != ALL, ALL))
    ours = ours[ours["staff_category"] == ALL].drop_duplicates(["period", "group"]).pipe(
        lambda whole: pd.concat([ours[ours["staff_category"] != ALL], whole]))
    truth = truth_rates(crowd, snapshots, precision)
    covered = set(ours["period"])
    for want in truth.itertuples():
        if want.period not in covered:
            # A period the movements file does not reach (nothing moved in it or after).
            assert want.leavers == 0
            continue
        got = ours[(ours["period"] == want.period) & (ours["rank"] == want.rank)
                   & (ours["group"] == want.group)]
        average = (want.start_headcount + want.end_headcount) / 2
        if got.empty:
            assert want.leavers == 0 and average == 0
            continue
        row = got.iloc[0]
        assert row["leavers"] == want.leavers and row["resignations"] == want.resignations
        assert row["average_headcount"] == pytest.approx(average)
        if average > 0:
            assert row["leaver_rate"] == pytest.approx(want.leavers / average)
            assert row["resignation_rate"] == pytest.approx(want.resignations / average)
        else:
            assert pd.isna(row["leaver_rate"])
    promoted = promotion_rates(workforce.counts, movements.counts, workforce.ladder, "gender")
    for want in truth[truth["rank"] == sim.LOW].itertuples():
        got = promoted[(promoted["period"] == want.period) & (promoted["group"] == want.group)]
        assert int(got["promotions"].sum()) == want.promotions
        if want.promotions:
            assert got["start_headcount"].iloc[0] == want.start_headcount or (
                pd.isna(got["start_headcount"].iloc[0]) and want.start_headcount == 0)
            if want.start_headcount:
                assert got["promotion_rate"].iloc[0] == pytest.approx(
                    want.promotions / want.start_headcount)


def _time(day: dt.date, precision: str) -> float:
    day = written_day(day, precision)
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 0.5) / days


def person_rows(crowd, snapshots, precision) -> pd.DataFrame:
    """One row per person observed: in post at the first snapshot or hired before the last;
    an event when leaving within the window, else censored at the last snapshot."""
    first, last = snapshots[0], snapshots[-1]
    t0, t_last = _time(first, "day"), _time(last, "day")
    rows = []
    for p in crowd:
        if not (p.in_post(first) or first < p.entry <= last):
            continue
        leaves = (p.exit is not None
                  and first < written_day(p.exit, precision) <= last)
        if not leaves and not p.in_post(last):
            continue
        at = _time(p.exit, precision) if leaves else t_last
        entered = p.entry.year + 0.5
        duration = max(at - entered, 1 / 365)
        entry = max(t0 - entered, 0.0)
        rows.append({"group": p.group, "entry": entry if entry < duration else 0.0,
                     "duration": duration, "event": leaves,
                     "reason": p.reason if leaves else ""})
    return pd.DataFrame(rows, columns=["group", "entry", "duration", "event", "reason"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_kaplan_meier_its_interval_and_aalen_johansen_equal_lifelines(history):
    precision, snapshots, crowd = history
    workforce = loaded(sim.workforce_file(crowd, snapshots, "records"), "w.csv", "workforce")
    movements = loaded(sim.movements_file(crowd, precision), "m.csv", "movements")
    people = observations(workforce.entries, movements.counts, "gender")
    truth = person_rows(crowd, snapshots, precision)
    assert people.groupby("group")["weight"].sum().to_dict() == truth.groupby("group").size(
        ).astype(float).to_dict()
    curves = retention_by_group(people)
    incidence = cumulative_incidence(people)
    for group, mine in truth.groupby("group"):
        ours = curves[curves["group"] == group]
        if not mine["event"].any():
            assert ours.empty
            continue
        # By hand first: at each leaving time, the people who entered before it and had not
        # left or been censored, and the product of (1 - leavers / at risk).
        times = np.sort(mine.loc[mine["event"], "duration"].unique())
        at_risk = [((mine["entry"] < t) & (mine["duration"] >= t)).sum() for t in times]
        leaving = [(mine["event"] & (mine["duration"] == t)).sum() for t in times]
        assert ours["at_risk"].tolist() == at_risk and ours["events"].tolist() == leaving
        assert np.allclose(ours["retention"],
                           np.cumprod([1 - d / n for d, n in zip(leaving, at_risk)]))
        try:
            fitted = KaplanMeierFitter().fit(mine["duration"], mine["event"],
                                             entry=mine["entry"])
        except StatError:
            continue  # lifelines declines a curve that reaches 0 before later entries
        assert np.allclose(ours["retention"], fitted.survival_function_at_times(ours["years"]))
        bounds = fitted.confidence_interval_survival_function_.reindex(ours["years"])
        assert np.allclose(ours["ci_low"], bounds.iloc[:, 0], equal_nan=True)
        assert np.allclose(ours["ci_high"], bounds.iloc[:, 1], equal_nan=True)
        # lifelines' event table lists people entering exactly at a leaving time as at risk
        # there (its estimate does not use them); the hand count above (entered before t)
        # covers those times.
        untied = ~ours["years"].isin(mine["entry"]).to_numpy()
        assert np.allclose(ours["at_risk"].to_numpy()[untied],
                           fitted.event_table["at_risk"].reindex(ours["years"]).to_numpy()[untied])
        times = ours["years"].to_numpy()
        between = np.append((times[:-1] + times[1:]) / 2, times[-1] + 0.001)
        mine = mine.reset_index(drop=True)
        ties = (mine.loc[mine["event"], "duration"].duplicated().any()
                or mine["entry"].isin(times).any())
        before = np.cumprod([1.0] + [1 - d / n for d, n in zip(leaving, at_risk)])[:-1]
        for reason in mine.loc[mine["event"], "reason"].unique():
            mine_ci = incidence[(incidence["group"] == group) & (incidence["reason"] == reason)]
            step = mine_ci.set_index("years")["cumulative_incidence"]
            ours_at = step.reindex(step.index.union(between)).ffill().loc[between]
            if ties:
                # lifelines breaks tied times by random jitter: compare with the hand
                # Aalen-Johansen instead, sum of S(t-) * leavers for the reason / at risk.
                by_reason = [(mine["event"] & (mine["duration"] == t)
                              & (mine["reason"] == reason)).sum() for t in times]
                hand = np.cumsum(before * np.array(by_reason) / np.array(at_risk))
                assert np.allclose(ours_at.to_numpy(), hand, atol=1e-9)
                continue
            codes = np.where(mine["event"], np.where(mine["reason"] == reason, 1, 2), 0)
            try:
                aj = AalenJohansenFitter(calculate_variance=False, seed=0).fit(
                    mine["duration"], codes, event_of_interest=1, entry=mine["entry"])
            except StatError:
                # lifelines declines when everyone at risk leaves (S reaches 0) with late
                # entries; the incidences then add up to 1 - S, checked below.
                total = incidence[incidence["group"] == group].pivot_table(
                    index="years", columns="reason", values="cumulative_incidence"
                ).ffill().fillna(0).sum(axis=1)
                assert np.allclose(total.to_numpy(), 1 - ours["retention"].to_numpy())
                break
            theirs = aj.cumulative_density_.iloc[:, 0]
            theirs_at = theirs.iloc[theirs.index.get_indexer(between, method="pad")]
            assert np.allclose(ours_at.to_numpy(), theirs_at.to_numpy(), atol=1e-9)
