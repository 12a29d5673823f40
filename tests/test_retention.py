"""Leaver, resignation and promotion rates on hand-made cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cpwb_stats.disclosure.control import DisclosurePolicy, protect_retention
from cpwb_stats.measures.retention import leaver_rates, movement_periods, promotion_rates
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.vocabulary import GENDER

DIMENSIONS = {"gender": GENDER}


def stock(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    """(period, rank, group, count) for zone z."""
    frame = pd.DataFrame(rows, columns=["period", "rank", "group", "count"])
    return frame.assign(zone="z", staff_category=frame["rank"].map(BELGIAN_POLICE.category_of),
                        dimension="gender")[["period", "zone", "staff_category", "rank",
                                             "dimension", "group", "count"]]


def events(rows: list[tuple[str, str, str, str, str, int]]) -> pd.DataFrame:
    """(period, movement, rank, reason, group, count) for zone z."""
    frame = pd.DataFrame(rows, columns=["period", "movement", "rank", "leave_reason", "group",
                                        "count"])
    return frame.assign(zone="z", staff_category=frame["rank"].map(BELGIAN_POLICE.category_of),
                        from_rank="", entry_year="", dimension="gender")


def cell(table, group, rank="inspector"):
    match = table[(table["rank"] == rank) & (table["group"] == group)]
    assert len(match) == 1
    return match.iloc[0]


WORKFORCE = stock([("2023", "inspector", "woman", 40), ("2024", "inspector", "woman", 60),
                   ("2023", "inspector", "man", 100), ("2024", "inspector", "man", 100),
                   ("2023", "commissioner", "man", 10), ("2024", "commissioner", "man", 10)])


def test_leaver_rate_is_leavers_over_the_average_of_start_and_end():
    moves = events([("2024-05-01", "leave", "inspector", "resignation", "woman", 3),
                    ("2024-06-01", "leave", "inspector", "retirement", "woman", 2),
                    ("2024-06-01", "leave", "inspector", "resignation", "man", 4)])
    table = leaver_rates(WORKFORCE, moves, DIMENSIONS)
    woman = cell(table, "woman")
    assert (woman["period"], woman["leavers"], woman["resignations"]) == ("2024", 5, 3)
    assert woman["average_headcount"] == 50 and woman["headcount_basis"] == "average"
    assert woman["leaver_rate"] == pytest.approx(5 / 50)
    assert woman["resignation_rate"] == pytest.approx(3 / 50)
    whole = table[(table["staff_category"] == "all") & (table["group"] == "man")].iloc[0]
    assert whole["leavers"] == 4 and whole["average_headcount"] == 110


def test_a_group_with_no_leavers_has_a_rate_of_zero():
    moves = events([("2024-06-01", "leave", "inspector", "resignation", "man", 4)])
    woman = cell(leaver_rates(WORKFORCE, moves, DIMENSIONS), "woman")
    assert woman["leavers"] == 0 and woman["leaver_rate"] == 0


def test_relative_leaver_rate_against_the_largest_group():
    moves = events([("2024-05-01", "leave", "inspector", "resignation", "woman", 10),
                    ("2024-06-01", "leave", "inspector", "resignation", "man", 10)])
    woman = cell(leaver_rates(WORKFORCE, moves, DIMENSIONS), "woman")
    assert woman["reference_group"] == "man"
    assert woman["relative_leaver_rate"] == pytest.approx((10 / 50) / (10 / 100))
    spread = 1.959964 * math.sqrt(1 / 10 + 1 / 10)
    assert woman["rr_ci_low"] == pytest.approx(2 * math.exp(-spread), rel=1e-5)
    assert 0 < woman["p_value"] < 0.2


def test_a_leaver_with_no_snapshot_after_it_uses_the_start_and_says_so():
    moves = events([("2025-03-01", "leave", "inspector", "resignation", "man", 2)])
    man = cell(leaver_rates(WORKFORCE, moves, DIMENSIONS), "man")
    assert (man["period"], man["headcount_basis"], man["average_headcount"]) == ("2025", "start",
                                                                                 100)


def test_a_leaver_in_a_rank_nobody_held_has_no_rate():
    moves = events([("2024-03-01", "leave", "chief-commissioner", "retirement", "man", 1)])
    row = cell(leaver_rates(WORKFORCE, moves, DIMENSIONS), "man", "chief-commissioner")
    # Both snapshots exist and hold nobody in that rank: a headcount of 0, so no rate.
    assert row["leavers"] == 1 and row["headcount_basis"] == "average"
    assert row["average_headcount"] == 0 and pd.isna(row["leaver_rate"])


@pytest.mark.parametrize("period, start, end", [
    ("2024-06-30", "2023-12-31", "2024-12-31"),
    ("2024-12-31", "2023-12-31", "2024-12-31"),
    ("2024", "2023-12-31", "2024-12-31"),
    ("2023-01-15", None, "2023-12-31"),
    ("2025-01-01", "2024-12-31", None),
])
def test_a_movement_falls_in_the_period_between_two_snapshots(period, start, end):
    spans = movement_periods(pd.Series([period]), ["2023-12-31", "2024-12-31"]).iloc[0]
    assert (spans["start"], spans["end"]) == (start, end)


def test_promotion_rate_is_promotions_over_the_rank_below_at_the_start():
    moves = events([("2024-05-01", "promotion", "commissioner", "", "woman", 2),
                    ("2024-05-01", "promotion", "commissioner", "", "man", 5)])
    table = promotion_rates(WORKFORCE, moves, BELGIAN_POLICE, "gender").set_index("group")
    assert table.loc["woman", "from_rank"] == "chief-inspector"  # nobody held it: no rate
    assert pd.isna(table.loc["woman", "promotion_rate"])
    moves = events([("2024-05-01", "promotion", "chief-inspector", "", "woman", 2)])
    woman = promotion_rates(WORKFORCE, moves, BELGIAN_POLICE, "gender").iloc[0]
    assert (woman["from_rank"], woman["start_headcount"]) == ("inspector", 40)
    assert woman["promotion_rate"] == pytest.approx(2 / 40)


def test_small_leaver_counts_and_their_rates_are_hidden():
    moves = events([("2024-05-01", "leave", "inspector", "resignation", "woman", 2),
                    ("2024-06-01", "leave", "inspector", "resignation", "man", 30)])
    table = protect_retention(leaver_rates(WORKFORCE, moves, DIMENSIONS),
                              DisclosurePolicy(min_cell=5))
    woman = cell(table, "woman")
    assert pd.isna(woman["leavers"]) and pd.isna(woman["leaver_rate"]) and woman["suppressed"]
    man = cell(table, "man")
    assert pd.isna(man["relative_leaver_rate"])
    visible = table[["leavers", "resignations", "hires"]].stack().dropna()
    assert not ((visible > 0) & (visible < 5)).any()


def _two_sided_binomial_p(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial p-value by hand: the outcomes no likelier than the one seen."""
    pmf = [math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(n + 1)]
    return min(1.0, sum(q for q in pmf if q <= pmf[k] * (1 + 1e-7)))


def test_a_group_that_empties_counts_zero_at_the_snapshot_it_is_missing_from():
    # Issue 13 item 1: the 2024 snapshot exists and holds no woman inspector.
    workforce = stock([("2023", "inspector", "woman", 4), ("2023", "inspector", "man", 20),
                       ("2024", "inspector", "man", 20)])
    moves = events([("2024", "leave", "inspector", "resignation", "woman", 4),
                    ("2024", "leave", "inspector", "resignation", "man", 2)])
    table = leaver_rates(workforce, moves, DIMENSIONS)
    woman, man = cell(table, "woman"), cell(table, "man")
    # By hand from the people: women (4 + 0) / 2 = 2 on average, 4 left; men (20 + 20) / 2, 2 left.
    assert woman["average_headcount"] == 2 and woman["headcount_basis"] == "average"
    assert woman["leaver_rate"] == pytest.approx(4 / 2)
    assert woman["resignation_rate"] == pytest.approx(4 / 2)
    assert man["leaver_rate"] == pytest.approx(2 / 20)
    assert woman["relative_leaver_rate"] == pytest.approx(20.0)
    # Given 6 leavers, under equal rates a leaver is a woman with probability 2 / (2 + 20).
    assert woman["p_value"] == pytest.approx(_two_sided_binomial_p(4, 6, 2 / 22))
    assert woman["p_value"] < 0.01


def test_leavers_before_the_first_snapshot_are_reported_apart_without_a_rate():
    # Issue 13 item 5: 10 left in 2023 (the year up to the first snapshot), 10 in 2022.
    moves = events([("2023-05-01", "leave", "inspector", "resignation", "man", 10),
                    ("2022-05-01", "leave", "inspector", "resignation", "man", 10)])
    table = leaver_rates(WORKFORCE, moves, DIMENSIONS)
    first = table[(table["period"] == "2023") & (table["rank"] == "inspector")
                  & (table["group"] == "man")].iloc[0]
    assert first["leavers"] == 10 and first["headcount_basis"] == "end"
    assert first["leaver_rate"] == pytest.approx(10 / 100)
    apart = table[(table["period"] == "2022") & (table["rank"] == "inspector")
                  & (table["group"] == "man")].iloc[0]
    assert apart["leavers"] == 10 and apart["headcount_basis"] == "before_first_snapshot"
    assert pd.isna(apart["leaver_rate"]) and pd.isna(apart["average_headcount"])
    assert table.loc[table["rank"] == "inspector", "leavers"].sum() == 20


def test_a_period_in_which_nobody_left_still_counts():
    workforce = stock([("2022", "inspector", "man", 50), ("2023", "inspector", "man", 50),
                       ("2024", "inspector", "man", 50)])
    moves = events([("2023-05-01", "leave", "inspector", "resignation", "man", 5),
                    ("2024-05-01", "hire", "inspector", "", "man", 0)])
    table = leaver_rates(workforce, moves, DIMENSIONS)
    rows = table[(table["rank"] == "inspector") & (table["group"] == "man")]
    assert rows.set_index("period")["leavers"].to_dict() == {"2023": 5, "2024": 0}
