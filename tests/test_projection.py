"""The projection model: steady states, closed forms, Monte Carlo, and hires needed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpwb_stats.targets.projection import (
    RankRates,
    hire_share_needed,
    ladder_hire_share_needed,
    ladder_share,
    project,
    project_ladder,
    simulate,
    simulate_ladder,
    steady_share,
    years_to_target,
)

rates = st.floats(min_value=0.01, max_value=0.5)
shares = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=50, deadline=None)
@given(shares, shares, rates)
def test_with_equal_leaver_rates_the_share_tends_to_the_hire_share(start, q, w):
    line = project(1000, 1000 * start, w, w, q, years=2000)
    assert line["share"].iloc[-1] == pytest.approx(q, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(shares, st.floats(min_value=0.0, max_value=0.3), rates, rates)
def test_otherwise_the_share_tends_to_q_w_over_w_g(start, q, w, w_g):
    """While the others can supply the rest of the leavers at that share (w - w_g s <= 1 - s);
    beyond, every other leaves each year and w_g s = q (w_g s + 1 - s) settles it (q = 0.25,
    w = 0.5, w_g = 0.125: 0.727, not 1)."""
    expected = q * w / w_g
    if expected > 1:
        return
    if w - w_g * expected > 1 - expected + 1e-12:
        expected = q / (q + w_g * (1 - q))
    line = project(1000, 1000 * start, w, w_g, q, years=3000)
    assert line["share"].iloc[-1] == pytest.approx(expected, abs=1e-6)
    assert steady_share(w, w_g, q) == pytest.approx(expected)


def test_where_every_other_leaves_each_year_the_share_settles_below_q_w_over_w_g():
    """w = 50 %, w_g = 12.5 %, q = 25 %: q w / w_g is 100 %, but above 57 % the others cannot
    supply the leavers the model asks of them; the share settles at 0.25 / 0.34375."""
    line = project(1000, 0, 0.5, 0.125, 0.25, years=3000)
    assert line["share"].iloc[-1] == pytest.approx(0.25 / 0.34375, abs=1e-9)
    assert years_to_target(1000, 0, 0.5, 0.125, 0.25, target=0.8) == math.inf
    reached = years_to_target(1000, 0, 0.5, 0.125, 0.25, target=0.7)
    assert line["share"].iloc[int(reached)] >= 0.7 > line["share"].iloc[int(reached) - 1]


@pytest.mark.parametrize("start, w, w_g, q, target", [
    (0.05, 0.05, 0.05, 0.20, 0.10),
    (0.05, 0.05, 0.08, 0.30, 0.12),
    (0.10, 0.06, 0.04, 0.12, 0.15),
])
def test_years_to_target_matches_the_year_by_year_line(start, w, w_g, q, target):
    years = years_to_target(1000, 1000 * start, w, w_g, q, target)
    line = project(1000, 1000 * start, w, w_g, q, years=math.ceil(years) + 1)
    assert line["share"].iloc[math.ceil(years)] >= target - 1e-9
    assert line["share"].iloc[math.floor(years)] <= target + 1e-9


def test_a_target_above_the_steady_state_is_never_reached():
    assert years_to_target(1000, 50, 0.05, 0.10, 0.10, target=0.06) == math.inf


@settings(max_examples=40, deadline=None)
@given(shares, rates, rates, st.floats(min_value=0.0, max_value=0.6), st.integers(1, 15))
def test_the_hire_share_needed_reproduces_the_target(start, w, w_g, target, years):
    q = hire_share_needed(1000, 1000 * start, w, w_g, target, years)
    if not 0 <= q <= 1:
        return
    line = project(1000, 1000 * start, w, w_g, q, years)
    assert line["share"].iloc[-1] == pytest.approx(target, abs=1e-9)


def test_a_target_out_of_reach_by_recruitment_needs_more_than_every_hire():
    assert hire_share_needed(100, 2, 0.03, 0.03, target=0.5, years=3) > 1


def test_the_monte_carlo_mean_converges_on_the_deterministic_line():
    line = project(2000, 100, 0.06, 0.09, 0.2, years=10)
    runs = simulate(2000, 100, 0.06, 0.09, 0.2, years=10, runs=4000, seed=3)
    assert runs["mean"].to_numpy() == pytest.approx(line["share"].to_numpy(), abs=0.002)
    assert (runs["low"] <= runs["mean"] + 1e-12).all()
    assert (runs["mean"] <= runs["high"] + 1e-12).all()


LADDER = [RankRates("inspector", 500, 50, 0.06, 0.08, 0.05, 0.04),
          RankRates("chief-inspector", 200, 10, 0.05, 0.05, 0.04, 0.04),
          RankRates("commissioner", 60, 2, 0.07, 0.07, 0.0, 0.0)]


def test_the_ladder_keeps_every_rank_at_its_headcount():
    projection = project_ladder(LADDER, 0.2, years=15)
    assert (projection.groupby("rank")["headcount"].nunique() == 1).all()
    assert (projection["group_count"] <= projection["headcount"] + 1e-9).all()
    assert (projection["group_count"] >= 0).all()


def test_more_group_hires_raise_every_rank_eventually():
    low = project_ladder(LADDER, 0.05, years=30).query("year == 30").set_index("rank")["share"]
    high = project_ladder(LADDER, 0.40, years=30).query("year == 30").set_index("rank")["share"]
    assert (high > low).all()


def test_a_senior_rank_is_out_of_reach_in_a_few_years_by_recruitment_alone():
    assert ladder_hire_share_needed(LADDER, ["commissioner"], target=0.4, years=3) == math.inf
    needed = ladder_hire_share_needed(LADDER, ["inspector"], target=0.12, years=10)
    assert 0 < needed < 1
    reached = ladder_share(project_ladder(LADDER, needed, 10), ["inspector"])["share"].iloc[-1]
    assert reached == pytest.approx(0.12, abs=1e-6)


def test_the_ladder_simulation_follows_the_deterministic_line():
    line = ladder_share(project_ladder(LADDER, 0.25, 8), ["inspector", "chief-inspector"])
    runs = simulate_ladder(LADDER, 0.25, 8, ["inspector", "chief-inspector"], target=0.1,
                           runs=800, seed=5)
    assert runs["mean"].to_numpy() == pytest.approx(line["share"].to_numpy(), abs=0.01)
    assert runs["p_reached"].between(0, 1).all()


def test_the_single_stock_stays_feasible_when_q_w_over_w_g_is_above_one():
    # Issue 13 item 7: q * w / w_g = 0.9 * 0.1 / 0.05 = 1.8 > 1.
    line = project(headcount=100, group_count=60, leaver_rate=0.1, group_leaver_rate=0.05,
                   hire_share=0.9, years=40)
    others = line["headcount"] - line["group_count"]
    other_leavers = line["hires"] - line["group_leavers"]
    assert (line["share"] <= 1).all() and (line["group_count"] <= line["headcount"]).all()
    assert (other_leavers >= -1e-9).all() and (other_leavers <= others + 1e-9).all()
    # By hand, year 0 -> 1: group leavers 3, others 10 - 3 = 7 (of 40), hires 10, 9 of them
    # in the group: 60 - 3 + 9 = 66.
    assert line["group_count"].iloc[1] == pytest.approx(66)
    # The Monte-Carlo mean follows the deterministic line while the others still supply
    # w * H - w_g * G leavers (the first six years here), and never passes 1.
    runs = simulate(100, 60, 0.1, 0.05, 0.9, years=10, runs=4000, seed=3)
    assert np.allclose(runs["mean"].iloc[:7], line["share"].iloc[:7], atol=0.005)
    assert (runs["high"] <= 1).all()


def test_people_promoted_beyond_the_places_above_stay_in_their_rank():
    # Issue 13 item 7: 50 of 100 agents would be promoted, the rank above has 1 place a year.
    ranks = [RankRates("agent", 100, 50, 0.0, 0.0, 0.5, 0.5),
             RankRates("inspector", 10, 5, 0.1, 0.1, 0.0, 0.0)]
    line = project_ladder(ranks, hire_share=0.0, years=1)
    after = line[line["year"] == 1].set_index("rank")["group_count"]
    # By hand: the inspectors lose 0.5 women and 0.5 others, so 1 place; the 50 candidates
    # (25 women) share it: 0.5 women go up, 24.5 stay agents; 1 agent's place is hired (q = 0).
    assert after["agent"] == pytest.approx(49.5)
    assert after["inspector"] == pytest.approx(5.0)
    assert (line["headcount"] == line["rank"].map({"agent": 100, "inspector": 10})).all()


def test_the_ladder_monte_carlo_mean_when_promotions_exceed_the_places():
    ranks = [RankRates("agent", 200, 60, 0.05, 0.05, 0.3, 0.3),
             RankRates("inspector", 40, 4, 0.1, 0.1, 0.0, 0.0)]
    line = ladder_share(project_ladder(ranks, 0.4, 8), ["agent", "inspector"])
    runs = simulate_ladder(ranks, 0.4, 8, ["agent", "inspector"], runs=1500, seed=2)
    assert runs["mean"].to_numpy() == pytest.approx(line["share"].to_numpy(), abs=0.01)
