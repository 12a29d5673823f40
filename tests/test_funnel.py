import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency, hypergeom

from cpwb_stats.disclosure.control import DisclosurePolicy, protect_funnel
from cpwb_stats.measures.funnel import (
    funnel_impact,
    mantel_haenszel,
    pooled_impact,
    stage_contributions,
    verdicts,
)
from cpwb_stats.terms.stages import BELGIAN_SELECTION, stage_ladder_from_dict
from cpwb_stats.terms.vocabulary import MIGRATION_BACKGROUND, Dimension

TWO_STAGES = stage_ladder_from_dict({"stages": [{"code": "applied"}, {"code": "hired"}]})
ETHNICITY = Dimension("ethnicity", ("white", "american-indian", "hispanic", "black"))


def counts(entries: dict[tuple[str, str], list[int]], stages=TWO_STAGES, dimension="ethnicity",
           campaign="c1") -> pd.DataFrame:
    """{(campaign, group): [entered at each stage]} -> canonical applicant counts."""
    rows = []
    for (camp, group), numbers in entries.items():
        for stage, entered in zip(stages.codes, numbers):
            rows.append({"campaign": camp or campaign, "zone": "z", "stage": stage,
                         "dimension": dimension, "group": group, "entered": entered})
    return pd.DataFrame(rows)


def row(table, group, stage="applied", campaign="c1"):
    match = table[(table["group"] == group) & (table["stage"] == stage)
                  & (table["campaign"] == campaign)]
    assert len(match) == 1
    return match.iloc[0]


def test_uniform_guidelines_questions_and_answers_example():
    """Q&A 12 (44 FR 11996, 1979): rates 60%, 45%, 48%, 51% give ratios 75%, 80%, 85%."""
    frame = counts({("c1", "white"): [100, 60], ("c1", "american-indian"): [100, 45],
                    ("c1", "hispanic"): [100, 48], ("c1", "black"): [100, 51]})
    table = funnel_impact(frame, ETHNICITY, TWO_STAGES, TWO_STAGES.codes)
    assert set(table.loc[table["stage"] == "applied", "reference_group"]) == {"white"}
    expected = {"american-indian": (0.75, True), "hispanic": (0.80, False), "black": (0.85, False)}
    for group, (ratio, adverse) in expected.items():
        result = row(table, group)
        assert result["impact_ratio"] == pytest.approx(ratio)
        assert bool(result["below_four_fifths"]) is adverse, group
        assert result["z_score"] < 0


def test_shortfall_and_the_one_person_check():
    frame = counts({("c1", "white"): [10, 5], ("c1", "black"): [10, 3]})
    table = funnel_impact(frame, ETHNICITY, TWO_STAGES, TWO_STAGES.codes)
    black = row(table, "black")
    assert black["impact_ratio"] == pytest.approx(0.6)
    assert black["shortfall"] == pytest.approx(10 * 8 / 20 - 3)
    assert bool(black["one_person_flips"])  # 4/10 against 5/10 is 0.8


def test_tiny_groups_are_insufficient_not_judged():
    frame = counts({("c1", "white"): [50, 30], ("c1", "black"): [3, 0]})
    table = funnel_impact(frame, ETHNICITY, TWO_STAGES, TWO_STAGES.codes)
    black = row(table, "black")
    assert black["insufficient_data"] and pd.isna(black["impact_ratio"])
    assert not black["below_four_fifths"]


def test_zero_and_full_pass_rates():
    frame = counts({("c1", "white"): [20, 20], ("c1", "black"): [20, 0]})
    table = funnel_impact(frame, ETHNICITY, TWO_STAGES, TWO_STAGES.codes)
    assert row(table, "black")["impact_ratio"] == 0
    assert row(table, "black")["p_fisher"] < 1e-6
    nobody = counts({("c1", "white"): [20, 0], ("c1", "black"): [20, 0]})
    table = funnel_impact(nobody, ETHNICITY, TWO_STAGES, TWO_STAGES.codes)
    assert pd.isna(row(table, "black")["impact_ratio"])
    assert not row(table, "black")["below_four_fifths"]


def test_empty_stage_has_no_rate():
    three = stage_ladder_from_dict({"stages": [{"code": "applied"}, {"code": "interview"},
                                               {"code": "hired"}]})
    frame = counts({("c1", "white"): [20, 0, 0], ("c1", "black"): [20, 0, 0]}, stages=three)
    table = funnel_impact(frame, ETHNICITY, three, three.codes)
    interview = row(table, "black", stage="interview")
    assert interview["entered"] == 0 and pd.isna(interview["pass_rate"])
    assert interview["insufficient_data"]


def test_fixed_reference_absent_from_a_stage():
    frame = counts({("c1", "black"): [20, 5], ("c1", "hispanic"): [20, 10]})
    table = funnel_impact(frame, ETHNICITY, TWO_STAGES, TWO_STAGES.codes, reference="white")
    assert table["insufficient_data"].all()
    assert table["impact_ratio"].isna().all()


pairs = st.tuples(st.integers(1, 300), st.integers(1, 300)).flatmap(
    lambda n: st.tuples(st.integers(0, n[0]), st.just(n[0]), st.integers(0, n[1]),
                        st.just(n[1])))


@settings(max_examples=60, deadline=None)
@given(pairs)
def test_tests_agree_with_scipy_on_random_tables(case):
    passed, entered, ref_passed, ref_entered = case
    frame = counts({("c1", "black"): [entered, passed], ("c1", "white"): [ref_entered,
                                                                          ref_passed]})
    table = funnel_impact(frame, ETHNICITY, TWO_STAGES, TWO_STAGES.codes, reference="white",
                          min_group=1)
    black = row(table, "black")
    total_passed = passed + ref_passed
    expected_p = hypergeom.cdf(passed, entered + ref_entered, total_passed, entered)
    assert black["p_fisher"] == pytest.approx(expected_p, rel=1e-6, abs=1e-12)
    observed = np.array([[passed, entered - passed], [ref_passed, ref_entered - ref_passed]])
    if 0 < total_passed < entered + ref_entered:
        chi2 = chi2_contingency(observed, correction=False)[0]
        assert black["z_score"] ** 2 == pytest.approx(chi2, rel=1e-6, abs=1e-9)
        rate_gap = passed / entered - ref_passed / ref_entered
        assert math.copysign(1, black["z_score"]) == math.copysign(1, rate_gap) or rate_gap == 0
    if ref_passed:
        assert black["impact_ratio"] == pytest.approx((passed / entered) / (ref_passed / ref_entered))


SIMPSON = {("hard", "yes"): [160, 32], ("hard", "no"): [40, 6],
           ("easy", "yes"): [40, 32], ("easy", "no"): [160, 120]}


def test_pooling_with_cmh_is_not_fooled_by_simpsons_paradox():
    frame = counts(SIMPSON, dimension="migration_background")
    table = funnel_impact(frame, MIGRATION_BACKGROUND, TWO_STAGES, TWO_STAGES.codes,
                          reference="no")
    for campaign in ("hard", "easy"):
        assert row(table, "yes", campaign=campaign)["impact_ratio"] > 1
    naive = (64 / 200) / (126 / 200)
    assert naive < 0.8  # a naive sum would call it adverse impact
    pooled = pooled_impact(table, reference="no")
    yes = pooled[(pooled["group"] == "yes") & (pooled["stage"] == "applied")].iloc[0]
    assert yes["impact_ratio"] > 1 and not yes["below_four_fifths"]
    assert yes["z_score"] > 0


def test_mantel_haenszel_with_one_stratum_is_the_plain_ratio():
    group = pd.DataFrame({"passed": [30], "entered": [100]}, index=["c1"])
    ref = pd.DataFrame({"passed": [60], "entered": [100]}, index=["c1"])
    ratio, z = mantel_haenszel(group, ref)
    assert ratio == pytest.approx(0.5)
    assert z < -3


def test_stage_contributions_add_up_to_the_bottom_line():
    frame = counts({("c1", "no"): [400, 300, 240, 200, 150, 140, 130, 120, 110, 100],
                    ("c1", "yes"): [200, 140, 100, 60, 45, 40, 38, 36, 34, 30]},
                   stages=BELGIAN_SELECTION, dimension="migration_background")
    table = funnel_impact(frame, MIGRATION_BACKGROUND, BELGIAN_SELECTION,
                          BELGIAN_SELECTION.codes, reference="no")
    parts = stage_contributions(table)
    yes = parts[parts["group"] == "yes"]
    bottom_line = row(table, "yes", stage="all")["impact_ratio"]
    assert yes["log_impact"].sum() == pytest.approx(math.log(bottom_line))
    assert yes["share"].sum() == pytest.approx(1)
    assert yes.loc[yes["log_impact"].idxmin(), "stage"] == "cognitive_test"  # 100 -> 60


def test_verdicts_name_the_stage_and_how_sure():
    frame = counts({("c1", "no"): [400, 200], ("c1", "yes"): [400, 100]},
                   dimension="migration_background")
    table = funnel_impact(frame, MIGRATION_BACKGROUND, TWO_STAGES, TWO_STAGES.codes)
    verdict = verdicts(table).set_index("group").loc["yes"]
    assert (verdict["strength"], verdict["stage"]) == ("clear", "applied")
    small = counts({("c1", "no"): [10, 5], ("c1", "yes"): [10, 3]},
                   dimension="migration_background")
    table = funnel_impact(small, MIGRATION_BACKGROUND, TWO_STAGES, TWO_STAGES.codes)
    assert verdicts(table).set_index("group").loc["yes", "strength"] == "uncertain"


def test_disclosure_hides_rows_with_small_counts():
    frame = counts({("c1", "no"): [100, 40], ("c1", "yes"): [30, 3]},
                   dimension="migration_background")
    table = funnel_impact(frame, MIGRATION_BACKGROUND, TWO_STAGES, TWO_STAGES.codes)
    protected = protect_funnel(table, DisclosurePolicy(min_cell=5))
    yes = row(protected, "yes")
    assert yes["suppressed"] and pd.isna(yes["passed"]) and pd.isna(yes["impact_ratio"])
    assert pd.isna(yes["entered"]) and yes["insufficient_data"]
    visible = protected[["entered", "passed"]].stack().dropna()
    assert not ((visible > 0) & (visible < 5)).any()


def test_a_group_under_five_is_never_the_reference_whatever_its_rate():
    """Issue 13 item 8: 'yes' passes 4 of 4 (100%) but is too small to judge; 'no' (10 of 20)
    is the reference, and 'yes' is marked insufficient, not compared."""
    frame = counts({("c1", "yes"): [4, 4], ("c1", "no"): [20, 10]},
                   dimension="migration_background")
    table = funnel_impact(frame, MIGRATION_BACKGROUND, TWO_STAGES, TWO_STAGES.codes)
    assert set(table["reference_group"]) == {"no"}
    yes, no = row(table, "yes"), row(table, "no")
    assert yes["insufficient_data"] and pd.isna(yes["impact_ratio"])
    assert no["impact_ratio"] == 1.0 and not no["insufficient_data"]
    pooled = pooled_impact(table)
    assert set(pooled["reference_group"]) == {"no"}
    # With five, the same rate makes 'yes' the reference and 'no' is measured against it.
    frame = counts({("c1", "yes"): [5, 5], ("c1", "no"): [20, 10]},
                   dimension="migration_background")
    table = funnel_impact(frame, MIGRATION_BACKGROUND, TWO_STAGES, TWO_STAGES.codes)
    assert row(table, "no")["impact_ratio"] == pytest.approx(0.5)
