"""The attacker (an exact whole-number solver) over zones published together.

A reader who may open several zones sees each zone's own page and the zones together
(compare zones, ``--combine-zones``): everything they publish is one set of equations (a cell
of the zones together is the sum of the zones' cells). Every hidden count of 1 to k-1 must
keep a range of at least k, and a number of the zones together is hidden only where showing
it would give such a count back.
"""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpwb_stats.demo.samples import SAMPLE_ZONES, combine_extracts
from cpwb_stats.disclosure.control import DisclosurePolicy, protect_comparison, protect_representation
from cpwb_stats.measures.representation import combine_zones, representation_by_rank
from cpwb_stats.pipeline import (
    RepresentationRequest,
    comparison_tables,
    protected_comparison,
    validate_file,
)
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.vocabulary import GENDER, MIGRATION_BACKGROUND
from tests.conftest import SAMPLE_DATA
from tests.disclosure_audit import representation_attack
from tests.test_representation import counts

K = 5
DIMENSIONS = {"gender": GENDER, "migration_background": MIGRATION_BACKGROUND}


def _leaks(published: pd.DataFrame, truth: pd.DataFrame, k: int = K):
    attack = representation_attack([published], truth, k, zeros_shown=True)
    return attack.leaks(k, small_only=True)


def _compared(frames: list[pd.DataFrame], k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What compare zones publishes (each zone's page and the zones together) and the truth."""
    both = pd.concat(frames, ignore_index=True)
    by_zone = representation_by_rank(both, DIMENSIONS, BELGIAN_POLICE)
    combined = representation_by_rank(combine_zones(both), DIMENSIONS, BELGIAN_POLICE)
    published = protect_comparison(by_zone, combined, DisclosurePolicy(min_cell=k))
    return published, pd.concat([by_zone, combined], ignore_index=True)


def _row(table, zone, rank, group, dimension="gender"):
    return table[(table["zone"] == zone) & (table["rank"] == rank)
                 & (table["dimension"] == dimension) & (table["group"] == group)].iloc[0]


def test_the_sum_of_two_zones_is_shown_when_their_hidden_parts_protect_each_other():
    """Each zone hides a few commissioners who are women (2 and 3); the two zones together
    count 5 of 35 + 2 + 33 + 3 = 73, and 5 people split into 1..4 + 1..4 ways (any of 1 to 4
    for zone a) leaves each zone's count as open as on its own page."""
    a = counts([("commissioner", "gender", "woman", 2), ("commissioner", "gender", "man", 35),
                ("agent", "gender", "woman", 20), ("agent", "gender", "man", 60)], zone="a")
    b = counts([("commissioner", "gender", "woman", 3), ("commissioner", "gender", "man", 33),
                ("agent", "gender", "woman", 25), ("agent", "gender", "man", 70)], zone="b")
    published, truth = _compared([a, b], K)
    assert pd.isna(_row(published, "a", "commissioner", "woman")["count"])
    assert pd.isna(_row(published, "b", "commissioner", "woman")["count"])
    together = _row(published, "all", "all", "woman")
    assert together["count"] == 2 + 20 + 3 + 25
    assert together["share"] == pytest.approx(50 / (2 + 35 + 20 + 60 + 3 + 33 + 25 + 70))
    assert _leaks(published, truth) == []


def test_the_sum_of_the_zones_is_hidden_where_it_gives_one_zone_s_count_back():
    a = counts([("commissioner", "gender", "woman", 2), ("commissioner", "gender", "man", 30)],
               zone="a")
    b = counts([("commissioner", "gender", "woman", 12), ("commissioner", "gender", "man", 40)],
               zone="b")
    published, truth = _compared([a, b], K)
    assert pd.isna(_row(published, "all", "commissioner", "woman")["count"])
    assert _leaks(published, truth) == []


def test_zones_that_merge_different_groups_are_summed_group_by_group():
    """Zone a shows x, undisclosed and unknown together (one of them is small), zone b shows
    them apart: the zones together show 'other or not stated', which for zone b is the sum of
    its three groups, and their declared total leaves b's x out. The attacker states these
    relations exactly (a wrong one made it call the published numbers contradictory)."""
    a = counts([("agent", "gender", "woman", 30), ("agent", "gender", "man", 60),
                ("agent", "gender", "x", 2), ("agent", "gender", "unknown", 9)], zone="a")
    b = counts([("agent", "gender", "woman", 25), ("agent", "gender", "man", 50),
                ("agent", "gender", "x", 6), ("agent", "gender", "unknown", 7)], zone="b")
    extract = combine_extracts([_extract_of(a), _extract_of(b)])
    request = RepresentationRequest(dimension="gender", policy=DisclosurePolicy(min_cell=K))
    by_zone, combined = comparison_tables(extract, request)
    assert set(by_zone.loc[by_zone["zone"] == "b", "group"]) >= {"x", "unknown"}
    published = protected_comparison(extract, request)
    whole = _row(published, "all", "all", "other_or_not_stated")
    assert whole["count"] == 2 + 9 + 6 + 7
    assert _row(published, "all", "all", "woman")["declared"] == 30 + 60 + 25 + 50
    assert _leaks(published, pd.concat([by_zone, combined], ignore_index=True)) == []


def _extract_of(frame: pd.DataFrame):
    from cpwb_stats.contract.validate import WorkforceExtract

    return WorkforceExtract(frame, "counts", BELGIAN_POLICE, {"gender": GENDER})


def _demo_extract(name: str, zone: str):
    return validate_file((SAMPLE_DATA / name).read_bytes(), name, default_zone=zone).extract


def test_the_demo_zones_compared_leak_nothing():
    """The three demo zones side by side and together, as an analyst compares them."""
    extract = combine_extracts([_demo_extract(n, z) for n, z in SAMPLE_ZONES.items()])
    request = RepresentationRequest(policy=DisclosurePolicy(min_cell=K))
    by_zone, combined = comparison_tables(extract, request)
    published = protected_comparison(extract, request)
    truth = pd.concat([by_zone, combined], ignore_index=True)
    hidden_small = published["count"].isna() & truth["count"].between(1, K - 1).to_numpy()
    assert hidden_small.any()
    assert _leaks(published, truth) == []
    # every zone's own rows are exactly its own page
    cell = ["period", "zone", "staff_category", "rank", "dimension", "group"]
    for name, zone in SAMPLE_ZONES.items():
        own = _demo_extract(name, zone)
        page = protect_representation(comparison_tables(own, request)[0], request.policy)
        shown = published.merge(page[cell + ["count"]], on=cell, suffixes=("", "_own"))
        assert len(shown) == len(page) > 0
        assert (shown["count"].isna() == shown["count_own"].isna()).all()


small_zone = st.lists(
    st.tuples(st.sampled_from(["agent", "inspector", "commissioner", "calog-a"]),
              st.sampled_from(["gender", "migration_background"]),
              st.sampled_from(["woman", "man", "x", "yes", "no", "undisclosed", "unknown"]),
              st.integers(min_value=0, max_value=25)), min_size=1, max_size=14)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(small_zone, min_size=2, max_size=3), st.sampled_from([3, 5]))
def test_generated_small_zones_compared_leak_nothing(zones, k):
    """Two or three generated zones, each on its own page and together: the attacker finds
    the published numbers consistent and no hidden small count narrowed below k."""
    frames = []
    for number, rows in enumerate(zones):
        valid = [(r, d, g, n) for r, d, g, n in rows if g in DIMENSIONS[d].values]
        if not valid:
            return
        frame = counts(valid, zone=f"zone {number}")
        frames.append(frame.groupby(["period", "zone", "staff_category", "rank", "dimension",
                                     "group"], as_index=False)["count"].sum())
    published, truth = _compared(frames, k)
    for column in ("count", "declared", "headcount"):
        visible = published[column].dropna()
        assert not ((visible > 0) & (visible < k)).any(), column
    assert _leaks(published, truth, k) == []
