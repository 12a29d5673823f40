"""The rates projections start from: pooled over every period and group, as DESIGN 3 says."""

from __future__ import annotations

import pandas as pd
import pytest

from cpwb_stats.targets.projection_rates import ladder_rates, zone_rates
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.vocabulary import GENDER


def stock(rows):
    frame = pd.DataFrame(rows, columns=["period", "rank", "group", "count"])
    return frame.assign(zone="z", staff_category="operational", dimension="gender")[
        ["period", "zone", "staff_category", "rank", "dimension", "group", "count"]]


def moves(rows):
    frame = pd.DataFrame(rows, columns=["period", "movement", "rank", "leave_reason", "group",
                                        "count"])
    return frame.assign(zone="z", staff_category="operational", from_rank="", entry_year="",
                        dimension="gender")


def test_ten_promotions_from_a_hundred_inspectors_over_two_years_is_five_percent():
    # Issue 13 item 6: 100 inspectors (60 men, 40 women) at each of three year-end snapshots;
    # 10 men promoted to chief inspector in the first year, nobody in the second.
    workforce = stock([(p, r, g, n) for p in ("2022", "2023", "2024")
                       for r, g, n in (("inspector", "man", 60), ("inspector", "woman", 40),
                                       ("chief-inspector", "man", 20))])
    movements = moves([("2023-06-01", "promotion", "chief-inspector", "", "man", 10),
                       ("2024-06-01", "leave", "chief-inspector", "retirement", "man", 1)])
    ranks = {r.rank: r for r in ladder_rates(workforce, movements, BELGIAN_POLICE, GENDER,
                                             "woman", "operational")}
    # By hand: 10 promotions / (100 + 100) opening inspectors = 0.05; women 0 / (40 + 40).
    assert ranks["inspector"].promotion_rate == pytest.approx(10 / 200)
    assert ranks["inspector"].group_promotion_rate == 0.0
    # The chief inspectors: 1 leaver / (20 + 20) average headcount over the two periods.
    assert ranks["chief-inspector"].leaver_rate == pytest.approx(1 / 40)


def test_leavers_without_a_headcount_are_left_out_of_the_pooled_rate():
    workforce = stock([("2023", "inspector", "man", 100), ("2024", "inspector", "man", 100)])
    movements = moves([("2024-06-01", "leave", "inspector", "resignation", "man", 10),
                       ("2020-06-01", "leave", "inspector", "resignation", "man", 50)])
    rates = zone_rates(workforce, movements, GENDER, "man")
    assert rates["leaver_rate"] == pytest.approx(10 / 100)
