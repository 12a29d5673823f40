import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpwb_stats.measures.representation import combine_zones, representation_by_rank
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.schemas import WorkforceCounts
from cpwb_stats.terms.vocabulary import GENDER, MIGRATION_BACKGROUND

DIMENSIONS = {"gender": GENDER, "migration_background": MIGRATION_BACKGROUND}


def counts(rows: list[tuple[str, str, str, int]], zone: str = "z") -> pd.DataFrame:
    """(rank, dimension, group, count) rows for one zone on one date."""
    frame = pd.DataFrame(rows, columns=["rank", "dimension", "group", "count"])
    frame["staff_category"] = frame["rank"].map(BELGIAN_POLICE.category_of)
    return frame.assign(period="2024", zone=zone)[
        ["period", "zone", "staff_category", "rank", "dimension", "group", "count"]]


def row(table, group, rank="inspector", category=None, dimension="migration_background"):
    category = category or ("all" if rank == "all" and category is None else
                            BELGIAN_POLICE.category_of(rank))
    match = table[(table["rank"] == rank) & (table["staff_category"] == category)
                  & (table["group"] == group) & (table["dimension"] == dimension)]
    assert len(match) == 1
    return match.iloc[0]


EXAMPLE = counts([
    ("inspector", "migration_background", "yes", 6), ("inspector", "migration_background", "no", 54),
    ("inspector", "migration_background", "undisclosed", 10),
    ("inspector", "migration_background", "unknown", 10),
    ("commissioner", "migration_background", "yes", 1),
    ("commissioner", "migration_background", "no", 19),
    ("calog-b", "migration_background", "yes", 5), ("calog-b", "migration_background", "no", 15),
])


def test_share_uses_the_declared_denominator_and_reports_the_declaration_rate():
    table = representation_by_rank(EXAMPLE, DIMENSIONS, BELGIAN_POLICE, "migration_background")
    yes = row(table, "yes")
    assert (yes["count"], yes["declared"], yes["headcount"]) == (6, 60, 80)
    assert yes["share"] == pytest.approx(0.1)
    assert yes["declaration_rate"] == pytest.approx(0.75)
    assert yes["ci_low"] < 0.1 < yes["ci_high"]
    assert pd.isna(row(table, "undisclosed")["share"])


def test_rcmp_convention_divides_by_headcount():
    table = representation_by_rank(EXAMPLE, DIMENSIONS, BELGIAN_POLICE, "migration_background",
                                   denominator="headcount")
    assert row(table, "yes")["share"] == pytest.approx(6 / 80)


def test_category_and_zone_rows_sum_the_ranks():
    table = representation_by_rank(EXAMPLE, DIMENSIONS, BELGIAN_POLICE, "migration_background")
    operational = row(table, "yes", rank="all", category="operational")
    zone = row(table, "yes", rank="all", category="all")
    assert (operational["count"], operational["declared"]) == (7, 80)
    assert (zone["count"], zone["declared"], zone["headcount"]) == (12, 100, 120)


def test_ranks_come_lowest_first_then_category_totals_then_the_zone():
    table = representation_by_rank(EXAMPLE, DIMENSIONS, BELGIAN_POLICE, "migration_background")
    order = table[table["group"] == "yes"][["staff_category", "rank"]].apply(tuple, axis=1)
    assert order.tolist() == [("operational", "inspector"), ("operational", "commissioner"),
                              ("operational", "all"), ("calog", "calog-b"), ("calog", "all"),
                              ("all", "all")]


def test_a_rank_with_no_women_still_has_a_row_with_zero():
    frame = counts([("commissioner", "gender", "man", 12)])
    table = representation_by_rank(frame, DIMENSIONS, BELGIAN_POLICE, "gender")
    woman = row(table, "woman", rank="commissioner", dimension="gender")
    assert (woman["count"], woman["share"]) == (0, 0.0)


def test_nobody_declared_gives_no_share():
    frame = counts([("agent", "gender", "unknown", 7)])
    table = representation_by_rank(frame, DIMENSIONS, BELGIAN_POLICE, "gender")
    woman = row(table, "woman", rank="agent", dimension="gender")
    assert woman["declared"] == 0 and pd.isna(woman["share"]) and woman["declaration_rate"] == 0


def test_combining_zones_sums_them():
    both = pd.concat([EXAMPLE, EXAMPLE.assign(zone="other")], ignore_index=True)
    table = representation_by_rank(combine_zones(both), DIMENSIONS, BELGIAN_POLICE,
                                   "migration_background")
    assert set(table["zone"]) == {"all"}
    assert row(table, "yes")["count"] == 12


ranks = st.sampled_from(BELGIAN_POLICE.rank_codes)
cell_counts = st.lists(st.tuples(ranks, st.sampled_from(GENDER.values),
                                 st.integers(min_value=0, max_value=400)), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(cell_counts)
def test_invariants_on_random_workforces(cells):
    frame = counts([(rank, "gender", group, n) for rank, group, n in cells])
    WorkforceCounts.validate(frame)
    table = representation_by_rank(frame, DIMENSIONS, BELGIAN_POLICE, "gender")
    shares = table["share"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all()
    declared = table[table["declared_group"] & (table["declared"] > 0)]
    sums = declared.groupby(["staff_category", "rank"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)
    zone = table[(table["staff_category"] == "all")]
    assert zone["count"].sum() == frame["count"].sum()
    assert (table["declared"] <= table["headcount"]).all()
