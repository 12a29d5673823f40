"""The attacker helper itself, on published numbers written out by hand."""

import pandas as pd

from tests.disclosure_audit import Attack, representation_attack


def two_by_two(markers: bool) -> Attack:
    """Two ranks x two groups, every inner cell hidden, every total shown."""
    attack = Attack()
    inner = {("r1", "a"): 2, ("r1", "b"): 40, ("r2", "a"): 40, ("r2", "b"): 2}
    for key, value in inner.items():
        attack.cell(key, value, shown=False)
        if markers and value < 5:
            attack.bound(key, 1, 4)
    for total, value in {"r1": 42, "r2": 42, "a": 42, "b": 42}.items():
        attack.cell(total, value, shown=True)
    attack.sum_of([("r1", "a"), ("r1", "b")], "r1")
    attack.sum_of([("r2", "a"), ("r2", "b")], "r2")
    attack.sum_of([("r1", "a"), ("r2", "a")], "a")
    attack.sum_of([("r1", "b"), ("r2", "b")], "b")
    return attack


def test_a_table_with_every_inner_cell_hidden_keeps_them_hidden():
    ranges = two_by_two(markers=False).ranges()
    assert ranges[("r1", "a")] == (0, 42)  # a + b = 42 and nothing else pins a
    assert two_by_two(markers=False).leaks(5) == []


def test_a_small_count_marker_is_itself_an_equation():
    leaks = two_by_two(markers=True).leaks(5)
    # <5 says 1..4: the small cells and, through the totals, their partners are within 3.
    assert {leak.key for leak in leaks} == {("r1", "a"), ("r1", "b"), ("r2", "a"), ("r2", "b")}
    assert {(leak.low, leak.high) for leak in leaks} == {(1, 4), (38, 41)}


def test_several_sums_together_give_back_what_no_single_sum_does():
    """r1 = a1 + b1 and r2 = a2 + b2 shown, the group totals shown, and a1 shown:
    every sum has two hidden cells, yet a2 = A - a1 follows and then b2."""
    attack = Attack()
    for key, value, shown in [("a1", 7, True), ("b1", 20, False), ("a2", 3, False),
                              ("b2", 30, False), ("r1", 27, True), ("r2", 33, True),
                              ("A", 10, True), ("B", 50, True)]:
        attack.cell(key, value, shown)
    attack.sum_of(["a1", "b1"], "r1")
    attack.sum_of(["a2", "b2"], "r2")
    attack.sum_of(["a1", "a2"], "A")
    attack.sum_of(["b1", "b2"], "B")
    assert attack.ranges()["a2"] == (3, 3)


def test_a_share_and_its_interval_give_the_count_back():
    attack = Attack()
    attack.cell("women", 3, shown=False)
    attack.cell("declared", 40, shown=True)
    attack.ratio("women", "declared", 3 / 40)
    assert attack.ranges()["women"] == (3, 3)


def test_nothing_above_a_hidden_cell_leaves_it_unbounded():
    attack = Attack()
    attack.cell("alone", 2, shown=False)
    assert attack.ranges()["alone"][1] == float("inf") and attack.leaks(5) == []


def published_rank(count, declared, headcount, share=None):
    return {"period": "2024", "zone": "z", "staff_category": "operational", "rank": "agent",
            "dimension": "gender", "declared_group": True, "count": count,
            "declared": declared, "headcount": headcount, "share": share}


def test_representation_rows_are_read_with_their_relations():
    truth = pd.DataFrame([published_rank(3, 40, 40, 3 / 40) | {"group": "woman"},
                          published_rank(37, 40, 40, 37 / 40) | {"group": "man"}])
    shown = truth.assign(count=[None, None], share=[None, None])
    assert representation_attack([shown], truth, 5).leaks(5) == []
    one_shown = truth.assign(count=[None, 37], share=[None, 37 / 40])
    leaks = representation_attack([one_shown], truth, 5).leaks(5)
    assert [(leak.key[-1], leak.low, leak.high) for leak in leaks] == [("woman", 3, 3)]
