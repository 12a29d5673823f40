"""Cohort retention: Kaplan-Meier equal to lifelines' own, left truncation included."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from cpwb_stats.disclosure.control import DisclosurePolicy, protect_curve
from cpwb_stats.measures.retention import Z95
from cpwb_stats.measures.survival import (
    NeedsTwoSnapshots,
    cumulative_incidence,
    kaplan_meier,
    logrank_test,
    observations,
    retention_at,
    retention_by_group,
    risk_table,
)


def generated(seed: int, truncated: bool = True, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    entry = rng.uniform(0, 6, n) * (rng.random(n) < 0.5) if truncated else np.zeros(n)
    leaving = entry + rng.exponential(9, n)
    censored = rng.uniform(2, 16, n)
    duration = np.minimum(leaving, censored)
    people = pd.DataFrame({"group": rng.choice(["a", "b"], n), "entry": entry,
                           "duration": duration, "event": leaving < censored,
                           "reason": rng.choice(["resignation", "retirement"], n),
                           "weight": 1.0})
    return people[people["duration"] > people["entry"]].reset_index(drop=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kaplan_meier_equals_lifelines_with_left_truncation(seed):
    people = generated(seed)
    ours = kaplan_meier(people)
    theirs = KaplanMeierFitter().fit(people["duration"], people["event"], entry=people["entry"])
    assert np.allclose(ours["retention"], theirs.survival_function_at_times(ours["years"]))
    bounds = theirs.confidence_interval_survival_function_.reindex(ours["years"])
    assert np.allclose(ours["ci_low"], bounds.iloc[:, 0], equal_nan=True)
    assert np.allclose(ours["ci_high"], bounds.iloc[:, 1], equal_nan=True)
    assert np.allclose(ours["at_risk"], theirs.event_table["at_risk"].reindex(ours["years"]))


def test_weights_count_as_that_many_people():
    people = generated(4)
    repeated = people.loc[people.index.repeat(3)].reset_index(drop=True)
    weighted = people.assign(weight=3.0)
    assert np.allclose(kaplan_meier(repeated)["retention"], kaplan_meier(weighted)["retention"])


def test_the_log_rank_test_equals_lifelines_without_truncation():
    people = generated(5, truncated=False)
    statistic, p = logrank_test(people)
    theirs = multivariate_logrank_test(people["duration"], people["group"], people["event"])
    assert statistic == pytest.approx(theirs.test_statistic)
    assert p == pytest.approx(theirs.p_value)


def test_cumulative_incidence_equals_aalen_johansen():
    people = generated(6, truncated=False)
    people = people[people["group"] == "a"]
    ours = cumulative_incidence(people)
    ours = ours[ours["reason"] == "resignation"]
    codes = np.where(people["event"], np.where(people["reason"] == "resignation", 1, 2), 0)
    theirs = AalenJohansenFitter(calculate_variance=False).fit(people["duration"], codes,
                                                               event_of_interest=1)
    expected = theirs.cumulative_density_.iloc[:, 0]
    at = expected.index.get_indexer(ours["years"], method="pad")
    assert np.allclose(ours["cumulative_incidence"], expected.iloc[at])


def test_incidences_of_all_reasons_add_up_to_one_minus_retention():
    people = generated(7, truncated=False)
    curve = kaplan_meier(people)
    incidence = cumulative_incidence(people.assign(group="all"))
    total = incidence.pivot_table(index="years", columns="reason",
                                  values="cumulative_incidence").ffill().fillna(0).sum(axis=1)
    assert np.allclose(total.to_numpy(), 1 - curve["retention"].to_numpy())


def test_every_step_shown_reflects_at_least_k_leavers_and_k_at_risk():
    people = generated(8)
    protected = protect_curve(people, DisclosurePolicy(min_cell=5))
    shown = retention_by_group(protected)
    assert not shown.empty
    assert (shown["events"] >= 5).all() and (shown["at_risk"] >= 5).all()
    # The curve shown is the Kaplan-Meier of the protected observations (lifelines agrees).
    for group, part in shown.groupby("group"):
        mine = protected[protected["group"] == group]
        theirs = KaplanMeierFitter().fit(mine["duration"], mine["event"], entry=mine["entry"],
                                         weights=mine["weight"])
        assert np.allclose(part["retention"], theirs.survival_function_at_times(part["years"]))


def test_retention_after_one_three_and_five_years():
    curve = retention_by_group(generated(9))
    table = retention_at(curve)
    assert table["years"].tolist() == [1, 3, 5, 1, 3, 5]
    assert (table.groupby("group")["retention"].diff().dropna() <= 0).all()


def test_people_come_from_the_snapshots_and_the_leavers():
    entries = pd.DataFrame({"period": ["2020-12-31", "2024-12-31"], "zone": "z",
                            "staff_category": "operational", "rank": "inspector",
                            "dimension": "gender", "group": "woman", "entry_year": "2010",
                            "count": [10, 8]})
    movements = pd.DataFrame({"period": ["2022-06-30", "2019-06-30"], "zone": "z",
                              "movement": "leave", "staff_category": "operational",
                              "rank": "inspector", "from_rank": "", "leave_reason": "resignation",
                              "entry_year": "2010", "dimension": "gender", "group": "woman",
                              "count": [2, 1]})
    people = observations(entries, movements, "gender")
    # The 2019 leaver is before the first snapshot, outside the window.
    assert people["weight"].tolist() == [2.0, 8.0]
    assert people["event"].tolist() == [True, False]
    assert people["entry"].iloc[0] == pytest.approx(10.5, abs=0.01)
    assert people["duration"].iloc[0] == pytest.approx(12.0, abs=0.01)


def _entries(rows):
    """(period, entry_year, count) of women inspectors in zone z."""
    frame = pd.DataFrame(rows, columns=["period", "entry_year", "count"])
    return frame.assign(zone="z", staff_category="operational", rank="inspector",
                        dimension="gender", group="woman")


def _leavers(rows):
    """(period, entry_year, count) of women inspectors who resigned."""
    frame = pd.DataFrame(rows, columns=["period", "entry_year", "count"])
    return frame.assign(zone="z", movement="leave", staff_category="operational",
                        rank="inspector", from_rank="", leave_reason="resignation",
                        dimension="gender", group="woman")


def test_one_snapshot_and_the_next_years_leavers_is_refused():
    # Issue 13 item 2: four inspectors on 2023-12-31, two of them leave in 2024. Without the
    # closing snapshot nobody knows who was still in post when observation ended.
    entries = _entries([("2023-12-31", "2015", 4)])
    with pytest.raises(NeedsTwoSnapshots):
        observations(entries, _leavers([("2024-06-30", "2015", 2)]), "gender")


def test_leavers_after_the_last_snapshot_are_neither_counted_nor_censored_twice():
    # Issue 13 item 3: 8 in post at the end of 2022, 2 leave in 2023, 6 left at the end of
    # 2023; one of those 6 leaves in 2024, after the last snapshot: censored there, in post.
    entries = _entries([("2022", "2015", 8), ("2023", "2015", 6)])
    people = observations(entries, _leavers([("2023-06", "2015", 2), ("2024-03", "2015", 1)]),
                          "gender")
    assert people["weight"].sum() == 8
    curve = kaplan_meier(people)
    # By hand: 8 at risk, 2 leave; the 6 others stay to the end -> retention 6/8.
    assert curve["at_risk"].tolist() == [8] and curve["events"].tolist() == [2]
    assert curve["retention"].iloc[-1] == pytest.approx(6 / 8)


def test_month_precision_leavers_in_the_first_snapshots_month_keep_their_late_entry():
    # Issue 13 item 4: 10 in post on 2023-06-15 (hired in 2010), 2 leave "in 2023-06" after
    # being counted, 8 in post on 2024-06-15. A month stands for its last day, 30 June.
    entries = _entries([("2023-06-15", "2010", 10), ("2024-06-15", "2010", 8)])
    people = observations(entries, _leavers([("2023-06", "2010", 2)]), "gender")
    t0 = 2023 + (166 - 0.5) / 365  # 15 June, the 166th day
    assert people["entry"].tolist() == [pytest.approx(t0 - 2010.5)] * 2
    leaver = people[people["event"]].iloc[0]
    assert leaver["duration"] == pytest.approx(2023 + (181 - 0.5) / 365 - 2010.5)  # 30 June
    curve = kaplan_meier(people)
    assert curve["at_risk"].tolist() == [10] and curve["retention"].tolist() == [
        pytest.approx(0.8)]
    theirs = KaplanMeierFitter().fit(people["duration"], people["event"], entry=people["entry"],
                                     weights=people["weight"])
    assert theirs.survival_function_at_times(curve["years"]).tolist() == [pytest.approx(0.8)]


def test_month_precision_leavers_in_the_month_of_a_snapshot_on_its_last_day_left_before_it():
    # The same month with the snapshot on 30 June: "2023-06" is on or before it, outside the
    # window (those two were not in post on 30 June: 8 were, and 8 are a year later).
    entries = _entries([("2023-06-30", "2010", 8), ("2024-06-30", "2010", 8)])
    people = observations(entries, _leavers([("2023-06", "2010", 2)]), "gender")
    assert people["weight"].sum() == 8 and not people["event"].any()


# The attacker of a published curve. Between two published steps, retention changes by
# (1 - d/n) of the later one unless a hidden step is multiplied in; the Greenwood variance read
# back from the interval changes by d / (n (n - d)) likewise. Any other change is a hidden step
# (d, n): the solver enumerates every integer pair that fits both equations exactly.

def _variance(retention: float, low: float) -> float:
    log_s = math.log(retention)
    spread = math.log(-log_s) - math.log(-math.log(low))
    return (spread * log_s / Z95) ** 2


def attack(curve: pd.DataFrame, largest: int = 200) -> list[tuple[int, int]]:
    """Every hidden step (leavers, at risk) the published curve gives back exactly."""
    found = []
    for _, part in curve.groupby("group"):
        before, variance = 1.0, 0.0
        for row in part.itertuples():
            own = 1 - row.events / row.at_risk
            ratio = row.retention / (before * own) if own > 0 else 1.0
            gain = (_variance(row.retention, row.ci_low) - variance
                    - row.events / (row.at_risk * (row.at_risk - row.events))
                    if 0 < row.retention < 1 and pd.notna(row.ci_low) and own > 0 else 0.0)
            if abs(ratio - 1) > 1e-9 or abs(gain) > 1e-9:
                fits = [(d, n) for n in range(1, largest) for d in range(1, n)
                        if abs(1 - d / n - ratio) < 1e-9
                        and abs(d / (n * (n - d)) - gain) < 1e-6]
                if len(fits) == 1:
                    found.append(fits[0])
            before = row.retention
            if 0 < row.retention < 1 and pd.notna(row.ci_low):
                variance = _variance(row.retention, row.ci_low)
    return found


def _rising_again() -> pd.DataFrame:
    """6 start; 5 leave at 1; at 2, 3 at risk (2 joined at 1.5) and 1 leaves; 10 join at 2.5
    and 5 leave at 3."""
    rows = ([(0, 1, True)] * 5 + [(0, 4, False)] + [(1.5, 2, True), (1.5, 4, False)]
            + [(2.5, 3, True)] * 5 + [(2.5, 4, False)] * 5)
    frame = pd.DataFrame(rows, columns=["entry", "duration", "event"])
    return frame.assign(group="a", reason="resignation", weight=1.0)[
        ["group", "entry", "duration", "event", "reason", "weight"]]


def test_the_attacker_recovers_a_hidden_step_from_an_unprotected_curve():
    # The solver is sound: on the raw curve, drop the hidden step as the old rule did
    # (steps with fewer than k at risk) and it gives the 1 leaver among 3 at risk back.
    raw = retention_by_group(_rising_again())
    old_rule = raw[raw["at_risk"] >= 5]
    assert attack(old_rule) == [(1, 3)]


def test_no_hidden_step_is_multiplied_into_a_later_published_value():
    # Issue 10: where the number at risk falls below k and rises again, the curve stops.
    shown = retention_by_group(protect_curve(_rising_again(), DisclosurePolicy(min_cell=5)))
    assert shown["years"].tolist() == [1] and shown["events"].tolist() == [5]
    assert attack(shown) == []


def _published_facts_hold(people: pd.DataFrame, k: int) -> None:
    protected = protect_curve(people, DisclosurePolicy(min_cell=k))
    curve = retention_by_group(protected)
    assert attack(curve) == []
    assert (curve["events"] >= k).all() and (curve["at_risk"] >= k).all()
    leavers = people[people["event"]].groupby("group")["weight"].sum()
    tail = leavers.reindex(curve["group"].unique()) - curve.groupby("group")["events"].sum()
    assert ((tail == 0) | (tail >= k)).all()
    incidence = cumulative_incidence(protect_curve(people, DisclosurePolicy(min_cell=k),
                                                   by_reason=True))
    assert incidence["events"].map(lambda v: v == 0 or v >= k).all()
    # The dropped tail: leavers per group and reason (published beside the curve as leaver
    # counts) minus those the curve shows is none or at least k.
    # (A group with no curve at all publishes nothing here to subtract.)
    everyone = people[people["event"] & people["group"].isin(incidence["group"])].groupby(
        ["group", "reason"])["weight"].sum()
    shown = incidence.groupby(["group", "reason"])["events"].sum().reindex(
        everyone.index, fill_value=0).astype(float)
    assert ((everyone - shown == 0) | (everyone - shown >= k)).all()
    # Every published value is a function of the published steps alone.
    for _, part in curve.groupby("group"):
        product = (1 - part["events"] / part["at_risk"]).cumprod()
        assert np.allclose(part["retention"], product)


@pytest.mark.parametrize("seed", range(10, 16))
def test_generated_curves_give_nothing_hidden_back(seed):
    rng = np.random.default_rng(seed)
    _published_facts_hold(generated(seed, n=int(rng.integers(20, 120))), k=5)


def test_the_dropped_tail_is_never_a_small_difference():
    # 10 at risk, 5 leave at 1, 2 leave at 2 (hidden: too few), 3 stay to 5. Publishing the
    # first step alone would leave 10 - 5 - 3 stayers = 2 tail leavers: so no step is shown.
    rows = [(0, 1, True)] * 5 + [(0, 2, True)] * 2 + [(0, 5, False)] * 3
    people = pd.DataFrame(rows, columns=["entry", "duration", "event"]).assign(
        group="a", reason="resignation", weight=1.0)
    shown = retention_by_group(protect_curve(people, DisclosurePolicy(min_cell=5)))
    assert shown.empty


observation = st.tuples(st.sampled_from([0.0, 0.5, 1.0, 2.5]),        # entry
                        st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]),   # duration
                        st.booleans(),                                # left (event)
                        st.sampled_from(["resignation", "transfer", ""]),
                        st.integers(1, 4))                            # weight


@settings(max_examples=60, deadline=None)
@given(st.lists(observation, min_size=1, max_size=12))
def test_risk_table_counts_as_the_definition_by_hand(rows):
    """At each leaving time t: weight with entry < t <= duration at risk, leavers per reason."""
    people = pd.DataFrame(rows, columns=["entry", "duration", "event", "reason", "weight"]).assign(
        group="a", weight=lambda f: f["weight"].astype(float))
    table = risk_table(people)
    leavers = [r for r in rows if r[2]]
    times = sorted({r[1] for r in leavers})
    assert table.empty if not times else table["years"].tolist() == times
    for t, line in zip(times, table.itertuples(index=False), strict=True):
        line = line._asdict()
        assert line["at_risk"] == sum(w for e, d, _, _, w in rows if e < t <= d)
        assert line["events"] == sum(w for _, d, _, _, w in leavers if d == t)
        for reason in {r[3] for r in leavers}:
            assert table.loc[table["years"] == t, f"reason:{reason}"].item() == sum(
                w for _, d, _, why, w in leavers if d == t and why == reason)


def test_risk_table_at_national_size_counts_by_the_definition():
    """20,000 people, 2,000 leaving times: sorted sums, not a pass over everyone per time."""
    rng = np.random.default_rng(4)
    n = 20_000
    duration = rng.integers(1, 2_000, n) / 100
    people = pd.DataFrame({"group": "a", "entry": np.minimum(rng.integers(0, 500, n) / 100,
                                                             duration / 2),
                           "duration": duration, "event": rng.random(n) < 0.3,
                           "reason": rng.choice(["resignation", "transfer"], n), "weight": 1.0})
    table = risk_table(people)
    t = table["years"].iloc[len(table) // 2]
    assert table["at_risk"].iloc[len(table) // 2] == ((people["entry"] < t)
                                                      & (people["duration"] >= t)).sum()
