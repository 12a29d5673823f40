"""`python -m cpwb_stats retention`: leaver-rate records and survival records."""

from __future__ import annotations

import json

import pytest

from cpwb_stats.cli.main import main
from tests.conftest import SAMPLE_DATA

GENT = str(SAMPLE_DATA / "workforce_gent.csv")
GENT_LINES = (SAMPLE_DATA / "workforce_gent.csv").read_text(encoding="utf-8-sig").splitlines(
    keepends=True)
HEADER = "datum;zone;beweging;graad;reden van vertrek;jaar van indiensttreding;geslacht\n"
MOVEMENTS = """15/06/2024;Gent;uitstroom;Inspecteur;ontslag op eigen verzoek;2015;V
15/06/2024;Gent;uitstroom;Inspecteur;pensioen;1985;M
"""


@pytest.fixture
def movements(tmp_path):
    path = tmp_path / "bewegingen.csv"
    path.write_text(HEADER + MOVEMENTS * 6, encoding="utf-8")
    return str(path)


def run(capsys, *args: str) -> list[dict]:
    assert main(["retention", "--workforce", GENT, "--zone", "Gent", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_leaver_records_carry_the_contract_fields(capsys, movements):
    records = run(capsys, "--movements", movements, "--dimension", "gender", "--min-cell", "0")
    required = {"period", "zone", "staff_category", "rank", "dimension", "group", "leavers",
                "average_headcount", "leaver_rate", "resignations", "resignation_rate"}
    assert required <= set(records[0])
    whole = [r for r in records if r["staff_category"] == "all" and r["rank"] == "all"]
    women = next(r for r in whole if r["group"] == "woman")
    assert women["period"] == "2024-12-31" and women["leavers"] == 6
    assert women["resignations"] == 6
    assert women["leaver_rate"] == pytest.approx(6 / women["average_headcount"])


def test_small_counts_never_leave_the_command(capsys, movements, tmp_path):
    few = tmp_path / "few.csv"
    few.write_text(HEADER + MOVEMENTS, encoding="utf-8")
    records = run(capsys, "--movements", str(few), "--dimension", "gender")
    for record in records:
        for column in ("leavers", "resignations", "hires"):
            assert record[column] is None or record[column] == 0 or record[column] >= 5


def test_survival_records(capsys, movements):
    # The fields of the records, with nothing hidden (a curve whose group's leavers the leaver
    # table hides is withheld: tests/test_disclosure_curve_and_table.py).
    records = run(capsys, "--movements", movements, "--dimension", "gender", "--survival",
                  "--min-cell", "0")
    assert records
    assert set(records[0]) >= {"dimension", "group", "years", "retention", "ci_low", "ci_high",
                               "at_risk"}
    assert all(0 <= r["retention"] <= 1 for r in records)


def test_a_bad_movements_file_exits_1_with_the_row(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,movement,rank,gender\n2024-01-01,promotion,agent,man\n")
    assert main(["retention", "--workforce", GENT, "--zone", "Gent", "--movements",
                 str(bad)]) == 1
    assert "row 2" in capsys.readouterr().err.lower()


def test_survival_from_one_snapshot_is_refused_saying_what_is_needed(capsys, movements,
                                                                     tmp_path):
    # Issue 13 item 2: one workforce snapshot and the next year's leavers.
    one = tmp_path / "one.csv"
    lines = GENT_LINES[:1] + [line for line in GENT_LINES[1:] if line.startswith("2023-12-31")]
    one.write_text("".join(lines), encoding="utf-8")
    assert main(["retention", "--workforce", str(one), "--zone", "Gent", "--movements",
                 movements, "--survival"]) == 1
    err = capsys.readouterr().err
    assert "two workforce snapshots" in err and "2023-12-31" in err


def test_withheld_curves_say_why_in_the_readers_language(capsys, tmp_path):
    """Issue 10: a curve the protection withholds is named, with the reason, in words.

    3 women and 6 men left in 2024. Which curves must be withheld is read from the leaver
    table the same command prints (without --survival): a group whose whole-zone leavers are
    hidden in any period; the women's 3 are."""
    from cpwb_stats.i18n import translate

    movements = tmp_path / "bewegingen.csv"
    movements.write_text(HEADER + MOVEMENTS.splitlines(keepends=True)[0] * 3
                         + MOVEMENTS.splitlines(keepends=True)[1] * 6, encoding="utf-8")
    movements = str(movements)
    leavers = run(capsys, "--movements", movements, "--dimension", "gender")
    hidden = {r["group"] for r in leavers if r["staff_category"] == "all" and r["rank"] == "all"
              and r["leavers"] is None}
    assert "woman" in hidden
    assert main(["--lang", "nl", "retention", "--workforce", GENT, "--zone", "Gent",
                 "--movements", movements, "--dimension", "gender", "--survival"]) == 0
    captured = capsys.readouterr()
    curves = {r["group"] for r in json.loads(captured.out)}
    lines = captured.err.splitlines()
    for group in hidden & {"woman", "man"}:  # the groups with leavers, so with a curve
        label = translate(f"group.gender.{group}", "nl")
        assert any(line.startswith(f"{label}: deze curve wordt niet getoond. De vertrekkerstabel "
                                   "verbergt") for line in lines)
        assert group not in curves
    assert all(line.split(":")[0] for line in lines) and len(lines) >= len(hidden & {"woman",
                                                                                     "man"})
