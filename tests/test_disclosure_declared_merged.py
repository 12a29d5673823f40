"""F3: the "declared" total once small groups are shown together as "other or not stated".

Where ``x`` is merged with ``undisclosed`` and ``unknown`` it leaves the declared total. If a
table counted ``x`` as declared at some levels (ranks, categories, the whole zone, the zones
together) and not at others, the differences of the declared totals would give the ``x``
count back. The checks:

- in every published table, each zone and period counts the same groups as declared at every
  level, and a declared total that is shown with all its groups equals their sum;
- the exact attacker, with the declared totals of every level, every zone's own page and the
  zones together (``--combine-zones``, compare zones), narrows no hidden small count below k:
  over generated small zones where ``x`` is small in some zones only, and the demo zones.
"""

import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpwb_stats.cli.main import main
from cpwb_stats.contract.validate import WorkforceExtract
from cpwb_stats.demo.samples import combine_extracts
from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.pipeline import RepresentationRequest, comparison_tables, protected_comparison
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.vocabulary import GENDER
from tests.disclosure_audit import representation_attack
from tests.test_representation import counts

K = 5
CELL = ["period", "zone", "staff_category", "rank", "dimension", "group"]


def _extract(frame: pd.DataFrame) -> WorkforceExtract:
    return WorkforceExtract(frame, "counts", BELGIAN_POLICE, {"gender": GENDER})


def _declared_groups_are_the_same_at_every_level(table: pd.DataFrame) -> None:
    for (period, zone, dimension), part in table.groupby(["period", "zone", "dimension"]):
        per_level = part.groupby(["staff_category", "rank"]).apply(
            lambda rows: frozenset(rows.loc[rows["declared_group"], "group"]),
            include_groups=False)
        assert per_level.nunique() == 1, (period, zone, dimension, per_level.to_dict())
        for _, rows in part.groupby(["staff_category", "rank"]):
            chosen = rows[rows["declared_group"]]
            if chosen["count"].notna().all() and rows["declared"].notna().all():
                assert rows["declared"].iloc[0] == chosen["count"].sum()


def _published_together(frames: list[pd.DataFrame], k: int):
    extract = combine_extracts([_extract(f) for f in frames])
    request = RepresentationRequest(policy=DisclosurePolicy(min_cell=k))
    by_zone, combined = comparison_tables(extract, request)
    published = protected_comparison(extract, request)
    return published, pd.concat([by_zone, combined], ignore_index=True)


def test_x_small_in_one_zone_is_left_out_of_every_declared_total_of_that_zone_and_the_sum():
    """Zone a has 2 x among its agents (merged: 'other or not stated'), zone b 6 x among its
    agents and 7 among its inspectors (kept apart, counted as declared on b's own page). The
    zones together merge x, so their declared total is woman + man of both zones at every
    level; a's declared totals leave its x out at the rank, the category and the zone alike.
    """
    a = counts([("agent", "gender", "woman", 30), ("agent", "gender", "man", 60),
                ("agent", "gender", "x", 2), ("inspector", "gender", "woman", 12),
                ("inspector", "gender", "man", 20), ("inspector", "gender", "unknown", 6)],
               zone="a")
    b = counts([("agent", "gender", "woman", 25), ("agent", "gender", "man", 50),
                ("agent", "gender", "x", 6), ("inspector", "gender", "woman", 15),
                ("inspector", "gender", "man", 22), ("inspector", "gender", "x", 7)], zone="b")
    published, truth = _published_together([a, b], K)
    _declared_groups_are_the_same_at_every_level(published)
    whole = published[(published["staff_category"] == "all") & (published["group"] == "woman")]
    declared = whole.set_index("zone")["declared"]
    assert declared["a"] == 30 + 60 + 12 + 20  # a's x is not declared
    assert declared["b"] == 25 + 50 + 6 + 15 + 22 + 7  # b shows x apart, as declared
    assert declared["all"] == 30 + 60 + 12 + 20 + 25 + 50 + 15 + 22  # the sum leaves x out
    attack = representation_attack([published], truth, K, zeros_shown=True)
    assert attack.leaks(K, small_only=True) == []


def test_the_command_line_combined_zones_and_each_zone_leak_no_x(tmp_path, capsys):
    """The same two zones as files: ``representation --combine-zones`` and each zone's own
    ``representation``, all read by the attacker together."""
    lines = ["reference_date,zone,rank,staff_category,gender"]
    people = {("a", "agent", "F"): 30, ("a", "agent", "M"): 60, ("a", "agent", "X"): 2,
              ("a", "inspector", "F"): 12, ("a", "inspector", "M"): 20,
              ("b", "agent", "F"): 25, ("b", "agent", "M"): 50, ("b", "agent", "X"): 6,
              ("b", "inspector", "F"): 15, ("b", "inspector", "M"): 22,
              ("b", "inspector", "X"): 7}
    for (zone, rank, gender), n in people.items():
        category = "operational"
        lines += [f"2024-12-31,{zone},{rank},{category},{gender}"] * n
    both = tmp_path / "both.csv"
    both.write_text("\n".join(lines) + "\n")
    frames = []
    for args in ([str(both), "--combine-zones"], [str(both)]):
        assert main(["representation", *args, "--format", "json"]) == 0
        frames.append(pd.DataFrame(json.loads(capsys.readouterr().out)))
    combined, own = frames
    assert set(combined["zone"]) == {"all"} and set(own["zone"]) == {"a", "b"}
    for table in (combined, own):
        _declared_groups_are_the_same_at_every_level(table)
    x_of_a = own[(own["zone"] == "a") & (own["group"] == "x")]
    assert x_of_a.empty  # a shows x only as part of "other or not stated"
    from cpwb_stats.pipeline import validate_file

    extract = validate_file(both.read_bytes(), both.name).extract
    by_zone, summed = comparison_tables(extract, RepresentationRequest())
    truth = pd.concat([by_zone, summed], ignore_index=True)
    attack = representation_attack([own, combined], truth, K, zeros_shown=True)
    assert attack.leaks(K, small_only=True) == []


small_zone = st.lists(
    st.tuples(st.sampled_from(["agent", "inspector", "commissioner", "calog-a"]),
              st.sampled_from(["woman", "man", "x", "undisclosed", "unknown"]),
              st.integers(min_value=0, max_value=30)), min_size=2, max_size=10)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(small_zone, min_size=2, max_size=3), st.sampled_from([3, 5]))
def test_generated_zones_merging_x_differently_give_no_x_back_through_declared_totals(zones, k):
    frames = []
    for number, rows in enumerate(zones):
        frame = counts([(r, "gender", g, n) for r, g, n in rows], zone=f"zone {number}")
        frames.append(frame.groupby(CELL, as_index=False)["count"].sum())
    published, truth = _published_together(frames, k)
    _declared_groups_are_the_same_at_every_level(published)
    attack = representation_attack([published], truth, k, zeros_shown=True)
    assert attack.leaks(k, small_only=True) == []


def test_the_demo_zones_compared_count_the_same_groups_as_declared_at_every_level():
    """The demo zones merge different groups (x is small in some of them): each zone's own
    rows and the zones together keep one set of declared groups at every level."""
    from cpwb_stats.demo.samples import SAMPLE_ZONES
    from cpwb_stats.pipeline import validate_file
    from tests.conftest import SAMPLE_DATA

    extract = combine_extracts([
        validate_file((SAMPLE_DATA / name).read_bytes(), name, default_zone=zone).extract
        for name, zone in SAMPLE_ZONES.items()])
    published = protected_comparison(extract, RepresentationRequest(policy=DisclosurePolicy()))
    _declared_groups_are_the_same_at_every_level(published)
    merged = published[published["group"] == "other_or_not_stated"]
    assert not merged.empty
