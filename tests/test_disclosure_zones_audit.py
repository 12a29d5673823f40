"""The attacker (an exact whole-number solver) over zones published together.

A reader who may open several zones sees each zone's own page and the zones together
(compare zones, ``--combine-zones``): everything they publish is one set of equations (a cell
of the zones together is the sum of the zones' cells). Every hidden count of 1 to k-1 must
keep a range of at least k, and a number of the zones together is hidden only where showing
it would give such a count back.

Across years: the leaver tables of a zone give the change of its headcount from one year to
the next (staff at the start + hired - left = staff at the end). Where a zone hides its
headcount in two years in a row, that change ties the two years' tables together, and the
compare view of every year is read beside it; the attacker knows every such change
(:func:`_with_changes`).
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
from tests.disclosure_audit import HEADCOUNT, representation_attack
from tests.test_representation import counts

K = 5
DIMENSIONS = {"gender": GENDER, "migration_background": MIGRATION_BACKGROUND}


def _leaks(published: pd.DataFrame, truth: pd.DataFrame, k: int = K, changes: bool = True):
    attack = representation_attack([published], truth, k, zeros_shown=True)
    if changes:
        _with_changes(attack, truth)
    return attack.leaks(k, small_only=True)


def _with_changes(attack, truth: pd.DataFrame) -> int:
    """Each zone's change of headcount between two years in a row that both hide it, as the
    leaver tables publish it (next to a shown headcount the change would give the other year
    back: that is the leaver tables' to protect). The change of the zones together is the sum
    of the zones' changes, which the sums of every year give wherever each zone's is known."""
    whole = truth[(truth["staff_category"] == "all") & (truth["rank"] == "all")
                  & (truth["zone"] != "all")].drop_duplicates(["period", "zone", "dimension"])
    added = 0
    for (zone, dimension), part in whole.groupby(["zone", "dimension"]):
        years = list(part.sort_values("period")[["period", "headcount"]].itertuples(index=False))
        for (p0, h0), (p1, h1) in zip(years, years[1:]):
            before = (p0, zone, "all", "all", dimension, HEADCOUNT)
            after = (p1, zone, "all", "all", dimension, HEADCOUNT)
            if before in attack.true and after in attack.true and not (
                    before in attack.shown or after in attack.shown):
                attack.rows.append(({after: 1.0, before: -1.0}, float(h1 - h0), float(h1 - h0)))
                added += 1
    return added


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


def test_the_demo_zones_compared_over_every_year_leak_nothing():
    """The three demo zones side by side and together, every year of them, as an analyst
    compares them, read with each zone's change of headcount from one year to the next
    (Charleroi hides its headcount in 2023 and 2024: the change between them is known).

    Before the years were protected together, the zones together showed their 2024 headcount
    (4,788) and bands for 2021 and 2023 chosen one year at a time: with Charleroi's change over
    2023-2024 the attacker narrowed Gent's 2024 headcount to 1,332..1,336 and 23 hidden small
    counts (Gent's 4 inspectors not stated among them) to ranges of 4."""
    extract = combine_extracts([_demo_extract(n, z) for n, z in SAMPLE_ZONES.items()])
    request = RepresentationRequest(policy=DisclosurePolicy(min_cell=K))
    by_zone, combined = comparison_tables(extract, request)
    published = protected_comparison(extract, request)
    truth = pd.concat([by_zone, combined], ignore_index=True)
    hidden_small = published["count"].isna() & truth["count"].between(1, K - 1).to_numpy()
    assert hidden_small.any()
    attack = representation_attack([published], truth, K, zeros_shown=True)
    assert _with_changes(attack, truth) == 3  # Charleroi 2023-2024, one per dimension
    assert attack.leaks(K, small_only=True) == []
    whole = published[(published["staff_category"] == "all") & (published["rank"] == "all")]
    banded = {(r.period, r.zone, "all", "all", r.dimension, HEADCOUNT)
              for r in whole[whole["declaration_rate_band"].notna()].itertuples()}
    assert banded
    for key, (low, high) in attack.ranges(banded).items():
        assert high - low >= K, (key, low, high)
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


def _years(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    """(period, zone, rank, group, count) rows of gender."""
    frame = pd.DataFrame(rows, columns=["period", "zone", "rank", "group", "count"])
    frame["staff_category"] = frame["rank"].map(BELGIAN_POLICE.category_of)
    return frame.assign(dimension="gender")[["period", "zone", "staff_category", "rank",
                                             "dimension", "group", "count"]]


def _compared_years(frame: pd.DataFrame, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    dimensions = {"gender": GENDER}
    by_zone = representation_by_rank(frame, dimensions, BELGIAN_POLICE)
    combined = representation_by_rank(combine_zones(frame), dimensions, BELGIAN_POLICE)
    published = protect_comparison(by_zone, combined, DisclosurePolicy(min_cell=k))
    return published, pd.concat([by_zone, combined], ignore_index=True)


def test_two_zones_over_two_years_the_sum_with_one_zone_s_change_gives_nothing_back():
    """Zone a: 89 of 92 answered in 2023 (3 inspectors not stated), 140 of 150 in 2024.
    Zone b: 122 of 128 in 2023 (3 agents, 3 inspectors not stated), 146 of 147 in 2024 (1).
    Each zone's page hides its small not-stated counts and, with them, its 2023 headcount
    (both zones) and b's 2024 headcount; it shows a's 2023 rate as "90 % or more" (n of 89 + n
    with n = 1..9) and b's 2024 rate as "95 % or more" (n = 1..7). b's leaver table gives its
    change: 147 - 128 = 19.

    By hand, had the zones together shown their 2023 headcount (92 + 128 = 220, as a one-year
    check allows, two zones hiding a part each): b's 2023 headcount is 146 + (1..7) - 19 =
    128..134, so a's is 220 - (128..134) = 86..92, and with its band 90..98 that leaves
    90..92: 1 to 3 for a's 3 not stated, under k = 5. Protected over both years, nothing of
    the kind is left."""
    rows = [("2023", "a", "agent", "woman", 6), ("2023", "a", "agent", "man", 6),
            ("2023", "a", "inspector", "woman", 29), ("2023", "a", "inspector", "man", 48),
            ("2023", "a", "inspector", "unknown", 3),
            ("2024", "a", "agent", "woman", 32), ("2024", "a", "agent", "man", 51),
            ("2024", "a", "inspector", "woman", 38), ("2024", "a", "inspector", "man", 19),
            ("2024", "a", "inspector", "unknown", 10),
            ("2023", "b", "agent", "woman", 36), ("2023", "b", "agent", "man", 40),
            ("2023", "b", "agent", "unknown", 3), ("2023", "b", "inspector", "woman", 27),
            ("2023", "b", "inspector", "man", 19), ("2023", "b", "inspector", "unknown", 3),
            ("2024", "b", "agent", "woman", 34), ("2024", "b", "agent", "man", 23),
            ("2024", "b", "inspector", "woman", 31), ("2024", "b", "inspector", "man", 58),
            ("2024", "b", "inspector", "unknown", 1)]
    published, truth = _compared_years(_years(rows), K)
    whole = published[(published["staff_category"] == "all") & (published["rank"] == "all")
                      & (published["group"] == "woman")].set_index(["period", "zone"])
    assert whole.loc[("2023", "a"), "declaration_rate_band"] == "0.9-1"
    assert whole.loc[("2024", "b"), "declaration_rate_band"] == "0.95-1"
    assert pd.isna(whole.loc[("2023", "b"), "headcount"])
    assert pd.isna(whole.loc[("2024", "b"), "headcount"])
    # the hand computation above: 220 shown would leave a's 2023 headcount 90..92
    b_2023 = range(146 + 1 - 19, 146 + 7 - 19 + 1)
    a_2023 = sorted({220 - h for h in b_2023} & set(range(89 + 1, 89 + 9 + 1)))
    assert (a_2023[0], a_2023[-1]) == (90, 92)
    assert pd.isna(whole.loc[("2023", "all"), "headcount"])
    assert _leaks(published, truth) == []


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["2023", "2024"]), st.sampled_from(["a", "b"]),
                          st.sampled_from(["agent", "inspector"]),
                          st.sampled_from(["woman", "man", "unknown"]),
                          st.integers(min_value=0, max_value=40)), min_size=8, max_size=16),
       st.sampled_from([3, 5]))
def test_generated_zones_compared_over_two_years_leak_nothing(rows, k):
    """Two zones, two years, each zone's change of headcount known where both years hide it:
    no hidden small count is narrowed below k."""
    frame = _years(rows).groupby(["period", "zone", "staff_category", "rank", "dimension",
                                  "group"], as_index=False)["count"].sum()
    if frame[["period", "zone"]].drop_duplicates().shape[0] < 4:
        return
    published, truth = _compared_years(frame, k)
    assert _leaks(published, truth, k) == []
