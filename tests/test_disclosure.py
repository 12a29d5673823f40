import csv
from collections import Counter

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpwb_stats.disclosure.control import (
    DisclosurePolicy,
    merge_small_categories,
    protect_comparison,
    protect_representation,
)
from cpwb_stats.measures.representation import combine_zones, representation_by_rank
from cpwb_stats.pipeline import RepresentationRequest, protected_representation, validate_file
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.vocabulary import GENDER, MIGRATION_BACKGROUND
from cpwb_ui.views import labelled
from tests.conftest import SAMPLE_DATA
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
    man = table[(table["rank"] == "commissioner") & (table["group"] == "man")].iloc[0]
    assert pd.isna(man["count"])
    # One mark for both: a mark for "small" would itself tell 1 to k-1.
    assert woman["suppression"] == man["suppression"] == "hidden"


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


@settings(max_examples=20, deadline=None)
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
            zones = part[part["zone"] != "all"]
            # A hidden sum of shown zones hides nothing; a hidden zone must not be the only one.
            if zones[column].isna().any():
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
    # Each zone as on its own page; the zones together only where every zone is shown.
    assert woman.set_index("zone")["count"].isna().to_dict() == {"a": True, "b": False,
                                                                  "all": True}
    for zone, part in table.groupby("zone"):
        assert all(sum(eq) != 1 for eq in equations(part)), zone
    assert all(sum(eq) != 1 for eq in zone_equations(table))


@settings(max_examples=10, deadline=None)
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


DEMO_ZONES = sorted(SAMPLE_DATA.glob("workforce_*.csv"))


def demo_extract(path):
    return validate_file(path.read_bytes(), path.name).extract


@pytest.mark.parametrize("path", DEMO_ZONES, ids=lambda p: p.stem)
def test_every_demo_zone_shows_the_whole_zone_share_of_every_group_with_k_people(path):
    """Gent's whole-zone share of women was hidden by a cascade from a few x and unknown."""
    extract = demo_extract(path)
    policy = DisclosurePolicy()
    table = protected_representation(extract, RepresentationRequest(policy=policy))
    whole = table[(table["staff_category"] == "all") & table["declared_group"]]
    whole = whole.assign(x_shown=(table["group"] == "x").any())
    people = _people(path)
    for row in whole.itertuples():
        true_count, true_declared = _true_share(people, row)
        if true_count >= policy.min_cell and true_declared >= policy.min_cell \
                and not row.not_robust:
            assert row.share == pytest.approx(true_count / true_declared), row


READING = {  # delimiter, encoding, date, gender, migration background, disability columns
    "workforce_gent": (";", "utf-8-sig", "peildatum", "geslacht", "migratieachtergrond",
                       "handicap"),
    "workforce_brussels": (",", "utf-8", "reference_date", "gender", "migration_background",
                           "disability"),
    "workforce_charleroi": (";", "cp1252", "date de référence", "genre", "origine migratoire",
                            "handicap"),
}
CODES = {"V": "woman", "F": "woman", "woman": "woman", "M": "man", "H": "man", "man": "man",
         "X": "x", "x": "x", "ja": "yes", "oui": "yes", "yes": "yes", "nee": "no", "non": "no",
         "no": "no"}


def _people(path) -> dict:
    """Whole-zone counts per period, dimension and group, read with the csv module (one row
    per person); the declared total with and without x."""
    delimiter, encoding, date, *columns = READING[path.stem]
    counts: Counter = Counter()
    with open(path, encoding=encoding, newline="") as handle:
        for person in csv.DictReader(handle, delimiter=delimiter):
            day = person[date]
            period = "-".join(reversed(day.split("/"))) if "/" in day else day
            for dimension, column in zip(["gender", "migration_background", "disability"],
                                         columns):
                group = CODES.get(person[column].strip())
                if group is not None:
                    counts[(period, dimension, group)] += 1
    return counts


def _true_share(people: Counter, row) -> tuple[int, int]:
    """Count and declared total; x counts as declared unless the table merged it away."""
    groups = ["woman", "man"] + (["x"] if row.x_shown else []) if row.dimension == "gender" \
        else ["yes", "no"]
    return people[(row.period, row.dimension, row.group)], sum(
        people[(row.period, row.dimension, g)] for g in groups)


def test_small_x_undisclosed_and_unknown_are_shown_as_other_or_not_stated():
    frame = counts([("inspector", "gender", "woman", 40), ("inspector", "gender", "man", 60),
                    ("inspector", "gender", "x", 1), ("inspector", "gender", "unknown", 9)])
    merged, dimensions = merge_small_categories(frame, DIMENSIONS, DisclosurePolicy())
    table = representation_by_rank(merged, dimensions, BELGIAN_POLICE, "gender")
    inspector = table[table["rank"] == "inspector"].set_index("group")
    assert set(inspector.index) == {"woman", "man", "other_or_not_stated"}
    assert inspector.loc["other_or_not_stated", "count"] == 10  # 1 x + 9 unknown
    assert inspector.loc["woman", "declared"] == 100  # woman + man: x left the denominator
    assert inspector.loc["woman", "share"] == pytest.approx(0.4)


def test_nothing_is_merged_when_every_such_group_is_large_enough():
    frame = counts([("inspector", "gender", "woman", 40), ("inspector", "gender", "x", 5),
                    ("inspector", "gender", "unknown", 9)])
    merged, dimensions = merge_small_categories(frame, DIMENSIONS, DisclosurePolicy())
    assert dimensions == DIMENSIONS and set(merged["group"]) == {"woman", "x", "unknown"}


def test_a_view_below_the_population_floor_is_refused():
    frame = counts([("inspector", "gender", "woman", 6), ("inspector", "gender", "man", 10)])
    _, table = protected(frame)
    assert table.empty  # 16 people, under the floor of 4 k = 20
    _, shown = protected(counts([("inspector", "gender", "woman", 6),
                                 ("inspector", "gender", "man", 14)]))
    assert not shown.empty


def test_a_hidden_count_carries_no_mark_of_its_reason_in_any_output():
    frame = counts([("commissioner", "gender", "woman", 2), ("commissioner", "gender", "man", 30),
                    ("inspector", "gender", "woman", 40), ("inspector", "gender", "man", 160)])
    _, table = protected(frame)
    assert set(table["suppression"]) == {"", "hidden"}
    rows = labelled(table, BELGIAN_POLICE, "en", DisclosurePolicy())
    assert set(rows.loc[table["count"].isna(), "count_text"]) == {"✱"}
