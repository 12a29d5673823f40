import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cpwb_stats.disclosure import DisclosurePolicy, protect_comparison, protect_representation
from cpwb_stats.ladders import BELGIAN_POLICE
from cpwb_stats.representation import combine_zones, representation_by_rank
from cpwb_stats.vocabulary import GENDER, MIGRATION_BACKGROUND
from tests.test_representation import counts

DIMENSIONS = {"gender": GENDER, "migration_background": MIGRATION_BACKGROUND}
KEYS = ["period", "zone", "staff_category", "rank"]


def protected(frame, k=5, dimension=None):
    table = representation_by_rank(frame, DIMENSIONS, BELGIAN_POLICE, dimension)
    return table, protect_representation(table, DisclosurePolicy(min_cell=k))


def equations(table: pd.DataFrame):
    """Every sum a reader could subtract from, written independently of the package."""
    for _, cell in table.groupby(KEYS + ["dimension"]):
        declared = cell[cell["declared_group"]]
        other = cell[~cell["declared_group"]]
        d_hidden, h_hidden = cell["declared"].isna().iloc[0], cell["headcount"].isna().iloc[0]
        yield list(declared["count"].isna()) + [d_hidden]
        yield list(cell["count"].isna()) + [h_hidden]
        yield list(other["count"].isna()) + [d_hidden, h_hidden]
    detail = table[(table["rank"] != "all")]
    for (period, zone, category, dimension, group), part in detail.groupby(
            ["period", "zone", "staff_category", "dimension", "group"]):
        total = table[(table["period"] == period) & (table["zone"] == zone)
                      & (table["staff_category"] == category) & (table["rank"] == "all")
                      & (table["dimension"] == dimension) & (table["group"] == group)]
        yield list(part["count"].isna()) + list(total["count"].isna())
    categories = table[(table["rank"] == "all") & (table["staff_category"] != "all")]
    for (dimension, group), part in categories.groupby(["dimension", "group"]):
        total = table[(table["staff_category"] == "all") & (table["dimension"] == dimension)
                      & (table["group"] == group)]
        yield list(part["count"].isna()) + list(total["count"].isna())


def test_small_counts_are_hidden_and_labelled():
    frame = counts([("commissioner", "gender", "woman", 2), ("commissioner", "gender", "man", 30),
                    ("inspector", "gender", "woman", 40), ("inspector", "gender", "man", 160)])
    _, table = protected(frame)
    woman = table[(table["rank"] == "commissioner") & (table["group"] == "woman")].iloc[0]
    assert pd.isna(woman["count"]) and pd.isna(woman["share"]) and woman["suppressed"]
    assert woman["suppression"] == "small"
    man = table[(table["rank"] == "commissioner") & (table["group"] == "man")].iloc[0]
    assert pd.isna(man["count"]) and man["suppression"] == "complementary"


def test_no_hidden_cell_can_be_recovered_from_one_sum():
    frame = counts([("commissioner", "gender", "woman", 2), ("commissioner", "gender", "man", 30),
                    ("inspector", "gender", "woman", 40), ("inspector", "gender", "man", 160),
                    ("agent", "gender", "woman", 9), ("agent", "gender", "man", 11)])
    _, table = protected(frame)
    assert all(sum(eq) != 1 for eq in equations(table))


def test_min_cell_zero_shows_everything():
    frame = counts([("commissioner", "gender", "woman", 1), ("commissioner", "gender", "man", 3)])
    raw, table = protected(frame, k=0)
    assert table["count"].tolist() == raw["count"].tolist()
    assert not table["suppressed"].any()


def test_share_is_hidden_when_fewer_than_k_declared():
    frame = counts([("commissioner", "gender", "man", 0), ("commissioner", "gender", "woman", 0),
                    ("commissioner", "gender", "unknown", 40), ("agent", "gender", "man", 3),
                    ("agent", "gender", "unknown", 50), ("inspector", "gender", "man", 90),
                    ("inspector", "gender", "woman", 30)])
    _, table = protected(frame)
    agent = table[(table["rank"] == "agent") & table["declared_group"]]
    assert agent["share"].isna().all()


def test_shares_below_sixty_percent_declaration_are_not_robust():
    frame = counts([("inspector", "migration_background", "yes", 10),
                    ("inspector", "migration_background", "no", 40),
                    ("inspector", "migration_background", "unknown", 50)])
    _, table = protected(frame, dimension="migration_background")
    yes = table[(table["rank"] == "inspector") & (table["group"] == "yes")].iloc[0]
    assert yes["not_robust"] and pd.isna(yes["share"]) and yes["count"] == 10


cells = st.lists(st.tuples(st.sampled_from(["agent", "inspector", "commissioner", "calog-a",
                                            "calog-d"]),
                           st.sampled_from(["gender", "migration_background"]),
                           st.sampled_from(["woman", "man", "x", "yes", "no", "undisclosed",
                                            "unknown"]),
                           st.integers(min_value=0, max_value=25)), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None)
@given(cells, st.sampled_from([3, 5, 10]))
def test_policy_holds_on_random_small_workforces(rows, k):
    valid = [(r, d, g, n) for r, d, g, n in rows if g in DIMENSIONS[d].values]
    if not valid:
        return
    frame = counts(valid).groupby(KEYS + ["dimension", "group"], as_index=False)["count"].sum()
    _, table = protected(frame, k=k)
    for column in ("count", "declared", "headcount"):
        visible = table[column].dropna()
        assert not ((visible > 0) & (visible < k)).any(), column
    assert all(sum(eq) != 1 for eq in equations(table))
    shown_share = table["share"].notna()
    assert (~shown_share | (table["declared"] >= k)).all()


def zone_equations(table: pd.DataFrame):
    """The sum of the zones (zone 'all') minus the zones shown: one more way to subtract."""
    for column in ("count", "declared", "headcount"):
        for _, part in table.groupby(["period", "staff_category", "rank", "dimension", "group"]):
            yield list(part[column].isna())


def compared(frames: list[pd.DataFrame], k: int) -> pd.DataFrame:
    both = pd.concat(frames, ignore_index=True)
    by_zone = representation_by_rank(both, DIMENSIONS, BELGIAN_POLICE)
    combined = representation_by_rank(combine_zones(both), DIMENSIONS, BELGIAN_POLICE)
    return protect_comparison(by_zone, combined, DisclosurePolicy(min_cell=k))


def test_a_zone_s_hidden_count_is_not_given_away_by_the_sum_of_the_zones():
    small = counts([("commissioner", "gender", "woman", 2), ("commissioner", "gender", "man", 30)],
                   zone="a")
    large = counts([("commissioner", "gender", "woman", 12), ("commissioner", "gender", "man", 40)],
                   zone="b")
    table = compared([small, large], k=5)
    woman = table[(table["rank"] == "commissioner") & (table["group"] == "woman")]
    # The total of the zones stays; the other zone is hidden beside the small one instead.
    assert woman.set_index("zone")["count"].isna().to_dict() == {"a": True, "b": True,
                                                                  "all": False}
    for zone, part in table.groupby("zone"):
        assert all(sum(eq) != 1 for eq in equations(part)), zone
    assert all(sum(eq) != 1 for eq in zone_equations(table))


@settings(max_examples=30, deadline=None)
@given(cells, cells, st.sampled_from([3, 5]))
def test_comparing_zones_keeps_every_hidden_value_hidden(rows_a, rows_b, k):
    frames = []
    for zone, rows in (("a", rows_a), ("b", rows_b)):
        valid = [(r, d, g, n) for r, d, g, n in rows if g in DIMENSIONS[d].values]
        if not valid:
            return
        frames.append(counts(valid, zone=zone).groupby(KEYS + ["dimension", "group"],
                                                       as_index=False)["count"].sum())
    table = compared(frames, k)
    for column in ("count", "declared", "headcount"):
        visible = table[column].dropna()
        assert not ((visible > 0) & (visible < k)).any(), column
    for zone, part in table.groupby("zone"):
        assert all(sum(eq) != 1 for eq in equations(part)), zone
    assert all(sum(eq) != 1 for eq in zone_equations(table))
