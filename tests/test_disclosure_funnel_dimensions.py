"""The funnel of one campaign, published per dimension, read together by the attacker.

Every dimension's funnel counts the same candidates: at each stage the groups of gender add up
to the same number as the groups of migration background (the groups a funnel does not show,
such as ``undisclosed``, are unknown parts of it). A count hidden in one dimension's table must
not come back from another's. The attacker (``tests/funnel_audit.py``, an exact whole-number
solver) reads every dimension's published funnel of a campaign at once; a hidden count of 1 to
k-1 passes when its smallest and largest feasible values are at least k apart.
"""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpwb_stats.contract.validate_applicants import ApplicantsExtract
from cpwb_stats.disclosure.control import DisclosurePolicy, protect_funnel
from cpwb_stats.measures.funnel import funnel_impact
from cpwb_stats.pipeline import FunnelRequest, protected_funnel, validate_file
from cpwb_stats.terms.stages import stage_ladder_from_dict
from cpwb_stats.terms.vocabulary import GENDER, MIGRATION_BACKGROUND
from tests.conftest import SAMPLE_DATA
from tests.funnel_audit import funnel_attack, funnel_leaks

K = 5
THREE = stage_ladder_from_dict({"stages": [{"code": "applied"}, {"code": "tested"},
                                           {"code": "hired"}]})
DIMENSIONS = {"gender": GENDER, "migration_background": MIGRATION_BACKGROUND}
DEMO = sorted(SAMPLE_DATA.glob("applicants_*.csv"))


def extract_of(people: dict[tuple[str, str, str], list[int]]) -> ApplicantsExtract:
    """Stage counts of one campaign: (dimension, group) -> people entering each stage."""
    rows = [{"campaign": "c1", "zone": "z", "stage": stage, "dimension": dimension,
             "group": group, "entered": n}
            for (dimension, group), numbers in people.items()
            for stage, n in zip(THREE.codes, numbers)]
    return ApplicantsExtract(pd.DataFrame(rows), "long", THREE, THREE.codes, DIMENSIONS)


def published(extract: ApplicantsExtract, k: int = K) -> list[pd.DataFrame]:
    """What the command line, the page and the download publish: each dimension's funnel."""
    policy = DisclosurePolicy(min_cell=k)
    return [protected_funnel(extract, FunnelRequest(name, "highest", True, policy))
            for name in extract.dimensions]


def each_alone(extract: ApplicantsExtract, k: int = K) -> list[pd.DataFrame]:
    """Each dimension protected on its own (the rule before this test)."""
    return [protect_funnel(funnel_impact(extract.counts, extract.dimensions[name], extract.stages,
                                         extract.measured), DisclosurePolicy(k), pooled=True)
            for name in extract.dimensions]


def leaks(extract: ApplicantsExtract, tables: list[pd.DataFrame], k: int = K) -> list:
    return funnel_leaks(funnel_attack(tables, extract.counts, extract.measured), k)


# Every candidate stated both: the gender and migration funnels add up to 30, 18 and 11.
HAND = {("gender", "man"): [20, 12, 8], ("gender", "woman"): [10, 6, 3],
        ("migration_background", "yes"): [14, 9, 6],
        ("migration_background", "no"): [16, 9, 5]}


def test_three_women_hired_are_given_back_by_the_migration_funnel_when_each_is_protected_alone():
    """Hand computation: 11 hired by the migration funnel (6 + 5), 8 men hired: 3 women."""
    extract = extract_of(HAND)
    found = {(leak.key[4], leak.key[5], leak.low, leak.high) for leak in
             leaks(extract, each_alone(extract))}
    assert ("woman", "hired", 3, 3) in found


def test_three_women_hired_stay_hidden_when_every_dimension_is_protected_together():
    extract = extract_of(HAND)
    tables = published(extract)
    gender = tables[0]
    hired = gender[(gender["campaign"] == "c1") & (gender["stage"] == "tested")].set_index("group")
    assert hired.loc["woman", "suppressed"] and pd.isna(hired.loc["woman", "passed"])
    assert leaks(extract, tables) == []
    # Something beside the 3 is hidden too: another gender or migration count of the stage.
    hidden = [t[t["campaign"] == "c1"] for t in tables]
    assert sum(int(t["suppressed"].sum()) for t in hidden) > 2


def test_an_undisclosed_count_is_not_given_back_by_subtraction():
    """Gender adds up to every candidate; yes + no + undisclosed likewise: with every other
    count shown, the 2 who did not state their background at the last stage would be 11 - 9."""
    people = {("gender", "man"): [20, 12, 8], ("gender", "woman"): [10, 6, 5],
              ("migration_background", "yes"): [12, 8, 5],
              ("migration_background", "no"): [14, 7, 6],
              ("migration_background", "undisclosed"): [4, 3, 2]}
    extract = extract_of(people)
    assert any(leak.key[4] == "undisclosed" for leak in leaks(extract, each_alone(extract)))
    assert leaks(extract, published(extract)) == []


def test_the_pattern_of_one_dimension_does_not_depend_on_the_dimension_asked_for():
    """The command line's ``--dimension`` and the page show the joint pattern: the gender
    funnel asked alone hides what it hides beside the migration funnel."""
    extract = extract_of(HAND)
    policy = DisclosurePolicy(min_cell=K)
    alone = protected_funnel(extract, FunnelRequest("gender", "highest", False, policy))
    together = published(extract)[0]
    together = together[together["campaign"] != "pooled"].reset_index(drop=True)
    assert alone["suppressed"].tolist() == together["suppressed"].tolist()


stage_chains = st.lists(st.integers(0, 14), min_size=3, max_size=3).map(
    lambda xs: sorted(xs, reverse=True))


@st.composite
def campaigns(draw):
    """One campaign's candidates, each with a gender and a migration answer (maybe none)."""
    people = draw(st.lists(st.tuples(st.sampled_from(["woman", "man", "x"]),
                                     st.sampled_from(["yes", "no", "undisclosed"]),
                                     st.integers(0, 2)), min_size=1, max_size=45))
    counts: dict[tuple[str, str], list[int]] = {}
    for gender, migration, reached in people:
        for key in (("gender", gender), ("migration_background", migration)):
            numbers = counts.setdefault(key, [0, 0, 0])
            for stage in range(reached + 1):
                numbers[stage] += 1
    return counts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(campaigns(), st.sampled_from([3, 5]))
def test_no_hidden_count_of_a_generated_campaign_is_narrowed_below_k(people, k):
    extract = extract_of(people)
    assert leaks(extract, published(extract, k), k) == []


def demo(stem: str) -> ApplicantsExtract:
    path = SAMPLE_DATA / f"applicants_{stem}.csv"
    return validate_file(path.read_bytes(), path.name, default_zone=stem,
                         kind="applicants").extract


@pytest.mark.parametrize("stem", [p.stem.removeprefix("applicants_") for p in DEMO])
def test_no_hidden_count_of_a_demo_zone_funnel_is_narrowed_below_k(stem):
    extract = demo(stem)
    assert leaks(extract, published(extract)) == []


def test_the_four_charleroi_hires_without_a_stated_background_are_not_given_back():
    """Charleroi, campaign 2024-1: every hire stated a gender, so the gender funnel's hires add
    up to all of them; the migration funnel's yes and no hires, shown, left 4 who did not
    answer. Protected one dimension at a time, nothing was hidden and the 4 came back exactly."""
    extract = demo("charleroi")
    counts = extract.counts
    hired = counts[(counts["campaign"] == "2024-1") & (counts["stage"] == extract.measured[-1])]
    by_group = hired.set_index(["dimension", "group"])["entered"]
    assert by_group["gender"].sum() - by_group["migration_background"][["yes", "no"]].sum() == 4
    assert by_group[("migration_background", "undisclosed")] == 4
    found = [(leak.key[1], leak.key[4], leak.low, leak.high)
             for leak in leaks(extract, each_alone(extract))]
    assert ("2024-1", "undisclosed", 4, 4) in found
    tables = published(extract)
    assert sum(int(t["suppressed"].sum()) for t in tables) > 0
    assert leaks(extract, tables) == []


TWO = stage_ladder_from_dict({"stages": [{"code": "applied"}, {"code": "hired"}]})


def test_a_share_of_applicants_beside_a_target_does_not_give_back_a_hidden_complement():
    """3 women applied (hidden); every candidate stated both answers, so the gender and
    migration funnels add up to 23 applicants, and one migration count of the first stage is
    hidden beside the 3 ('yes', 10). The Recruitment page's note beside a 'yes' applicants
    target showed 10 / (10 + 13) = 43.5 %: with the 13 'no' shown in the funnel, the 10 comes
    back (share x 13 / (1 - share)). The note now shows ✱ where the funnel hides a first-stage
    count of the dimension; beside the HAND campaign, which hides none, it shows the share."""
    from cpwb_ui.data import Dataset
    from cpwb_ui.references import applicant_target_notes

    people = {("gender", "man"): [20, 8], ("gender", "woman"): [3, 1],
              ("migration_background", "yes"): [10, 4],
              ("migration_background", "no"): [13, 5]}
    rows = [{"campaign": "c1", "zone": "z", "stage": stage, "dimension": dimension,
             "group": group, "entered": n} for (dimension, group), numbers in people.items()
            for stage, n in zip(TWO.codes, numbers)]
    extract = ApplicantsExtract(pd.DataFrame(rows), "long", TWO, TWO.codes, DIMENSIONS)
    migration = published(extract)[1]
    applied = migration[(migration["campaign"] == "c1") & (migration["stage"] == "applied")]
    assert applied.set_index("group").loc["yes", "suppressed"]  # the complement
    assert not applied.set_index("group").loc["no", "suppressed"]
    targets = pd.DataFrame([{"zone": "z", "dimension": "migration_background", "group": "yes",
                             "scope": "applicants", "target_share": 0.5,
                             "deadline": "2026-12-31"}])
    policy = DisclosurePolicy(min_cell=K)
    # Each dataset its own key, as in the app: the notes are remembered by the data's key.
    notes = applicant_target_notes(Dataset("k1", "z", None, targets, applicants=extract), "z",
                                   "migration_background", "c1", "en", policy)
    assert len(notes) == 1 and "✱" in notes[0] and "43" not in notes[0]
    shown = applicant_target_notes(Dataset("k2", "z", None, targets, applicants=extract_of(HAND)),
                                   "z", "migration_background", "c1", "en", policy)
    assert "46.7" in shown[0] or "46,7" in shown[0]  # 14 of the 30 applicants: 46.7 %


def test_the_targets_page_applicant_series_does_not_give_back_a_hidden_complement():
    """The same campaign on the Targets page: its applicants line showed 'yes' 10 of 23
    declared, the count the funnel hides as the complement of the 3 women. Hidden now (share,
    count and number declared); the HAND campaign, whose first stage the funnel hides nowhere,
    still shows 14 of 30."""
    from types import SimpleNamespace

    from cpwb_ui.targets_view import series_for

    people = {("gender", "man"): [20, 8], ("gender", "woman"): [3, 1],
              ("migration_background", "yes"): [10, 4],
              ("migration_background", "no"): [13, 5]}
    rows = [{"campaign": "c1", "zone": "z", "stage": stage, "dimension": dimension,
             "group": group, "entered": n} for (dimension, group), numbers in people.items()
            for stage, n in zip(TWO.codes, numbers)]
    target = pd.Series({"dimension": "migration_background", "group": "yes",
                        "scope": "applicants"})
    policy = DisclosurePolicy(min_cell=K)
    for applicants, expected in (
            (ApplicantsExtract(pd.DataFrame(rows), "long", TWO, TWO.codes, DIMENSIONS), None),
            (extract_of(HAND), (14, 30))):
        dataset = SimpleNamespace(extract=SimpleNamespace(dimensions=DIMENSIONS, ladder=None),
                                  applicants=applicants)
        series = series_for(dataset, "z", target, None, policy).set_index("period")
        if expected is None:
            assert series.loc["c1", ["share", "count", "declared"]].isna().all()
        else:
            assert (series.loc["c1", "count"], series.loc["c1", "declared"]) == expected
            assert series.loc["c1", "share"] == pytest.approx(14 / 30)
