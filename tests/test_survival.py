"""Cohort retention: Kaplan-Meier equal to lifelines' own, left truncation included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from cpwb_stats.disclosure import DisclosurePolicy, protect_curve
from cpwb_stats.survival import (
    cumulative_incidence,
    kaplan_meier,
    logrank_test,
    observations,
    retention_at,
    retention_by_group,
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
    curve = retention_by_group(generated(8))
    shown = protect_curve(curve, DisclosurePolicy(min_cell=5))
    assert (shown["events"] >= 5).all() and (shown["at_risk"] >= 5).all()
    for group, part in shown.groupby("group"):
        full = curve[curve["group"] == group].set_index("years")["retention"]
        assert np.allclose(part["retention"], full.loc[part["years"]])


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
