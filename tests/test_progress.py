"""Progress against a target: the path, the status, and the flows."""

from __future__ import annotations

import pandas as pd
import pytest

from cpwb_stats.measures.progress import check_targets, flow_series, target_progress
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.vocabulary import GENDER, MIGRATION_BACKGROUND


def series(*shares: float | None) -> pd.DataFrame:
    return pd.DataFrame({"period": [f"{2021 + i}-12-31" for i in range(len(shares))],
                         "share": shares})


@pytest.mark.parametrize("shares, status", [
    ((0.05, 0.07, 0.09), "on_track"),
    ((0.05, 0.055, 0.06), "behind"),
    ((0.05, 0.08, 0.11), "reached"),
])
def test_status_against_the_straight_path(shares, status):
    table = target_progress(series(*shares), 0.10, "2025-12-31", "2021-12-31")
    assert table["status"].iloc[-1] == status
    assert table["status"].iloc[:-1].isna().all()


def test_the_path_runs_straight_from_baseline_to_target():
    table = target_progress(series(0.05, 0.06, 0.07, 0.08, 0.09), 0.10, "2025-12-31",
                            "2021-12-31")
    assert table["path"].tolist() == pytest.approx([0.05, 0.0625, 0.075, 0.0875, 0.10], abs=2e-4)
    assert table["gap_pp"].iloc[-1] == pytest.approx(-1.0)
    assert table["gap_change_pp"].iloc[-1] == pytest.approx(1.0)


def test_hidden_shares_leave_holes_not_numbers():
    table = target_progress(series(0.05, None, 0.07), 0.10, "2025-12-31")
    assert table["period"].tolist() == ["2021-12-31", "2023-12-31"]


def test_the_group_s_share_of_hires_per_year():
    moves = pd.DataFrame({
        "period": ["2023-03-01", "2023-05-01", "2023-06-01", "2024-02-01"],
        "movement": ["hire", "hire", "hire", "hire"], "dimension": "gender",
        "group": ["woman", "man", "undisclosed", "woman"], "count": [2, 6, 5, 1]})
    table = flow_series(moves, "hires", GENDER, "woman").set_index("period")
    assert table.loc["2023", "share"] == pytest.approx(2 / 8)  # undisclosed not counted
    assert table.loc["2024", "share"] == 1.0


@pytest.mark.parametrize("row, code", [
    (("ethnicity", "yes", "all", 0.1, "2030"), "target_bad_dimension"),
    (("gender", "undisclosed", "all", 0.1, "2030"), "target_bad_group"),
    (("gender", "woman", "board", 0.1, "2030"), "target_bad_scope"),
    (("gender", "woman", "all", 1.5, "2030"), "target_bad_share"),
    (("gender", "woman", "all", 0.3, "soon"), "target_bad_deadline"),
])
def test_an_edited_target_is_checked(row, code):
    table = pd.DataFrame([row], columns=["dimension", "group", "scope", "target_share",
                                         "deadline"])
    problems = check_targets(table, {"gender": GENDER, "migration_background":
                                     MIGRATION_BACKGROUND}, BELGIAN_POLICE)
    assert [p.code for p in problems] == [code]


DIMENSIONS = {"gender": GENDER, "migration_background": MIGRATION_BACKGROUND}


def test_a_row_added_by_hand_names_each_empty_cell_and_never_says_none():
    """Issue 15 item 2, as a new user met it: a row typed into an empty grid with only the
    dimension and the share read "Row 1: Group 'None' is not a declared group ... yes, no"."""
    table = pd.DataFrame([("migration_background", None, None, 0.1, None)],
                         columns=["dimension", "group", "scope", "target_share", "deadline"])
    problems = check_targets(table, DIMENSIONS, BELGIAN_POLICE)
    assert [(p.code, p.column) for p in problems] == [
        ("target_missing", "group"), ("target_missing", "scope"), ("target_missing", "deadline")]
    assert [p.message("nl") for p in problems] == [
        "Groep is leeg: vul het in.", "Bereik is leeg: vul het in.", "Termijn is leeg: vul het in."]
    assert not any("None" in p.message(language) for p in problems for language in ("en", "fr"))


@pytest.mark.parametrize(("language", "row", "words"), [
    ("nl", ("migration_background", "woman", "all", 0.1, "2030"), "Kies uit: ja, nee."),
    ("fr", ("gender", "woman", "board", 0.1, "2030"), "Acceptés : Toute la zone,"),
    ("nl", ("ethnicity", "yes", "all", 0.1, "2030"), "Kies uit: Geslacht, Migratieachtergrond."),
])
def test_a_value_not_accepted_lists_what_is_in_the_reader_s_words(language, row, words):
    table = pd.DataFrame([row], columns=["dimension", "group", "scope", "target_share",
                                         "deadline"])
    [problem] = check_targets(table, DIMENSIONS, BELGIAN_POLICE)
    assert words in problem.message(language)
    assert "inspector" not in problem.message(language)
