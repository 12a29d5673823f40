"""`python -m cpwb_stats project`: the deterministic single-stock projection."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from cpwb_stats.cli.main import main
from tests.conftest import SAMPLE_DATA

ARGS = ["project", "--headcount", "1000", "--group-count", "50", "--leaver-rate", "0.05",
        "--group-leaver-rate", "0.08", "--hire-share", "0.15", "--years", "5"]


def test_one_record_per_year_with_the_contract_fields(capsys):
    assert main(ARGS) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in records] == [0, 1, 2, 3, 4, 5]
    assert {"year", "headcount", "group_count", "share"} <= set(records[0])
    assert all(r["headcount"] == 1000 for r in records)
    # G[t+1] = G[t] - w_g G[t] + q w H, written out for the first year:
    assert records[1]["group_count"] == pytest.approx(50 - 0.08 * 50 + 0.15 * 0.05 * 1000)
    assert all(r["share"] == pytest.approx(r["group_count"] / 1000) for r in records)


def test_csv_and_percentages(capsys):
    percent = [a.replace("0.05", "5%") for a in ARGS]
    assert main([*percent, "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")))
    assert list(table.columns[:4]) == ["year", "headcount", "group_count", "share"]
    assert len(table) == 6


@pytest.mark.parametrize("change", [["--leaver-rate", "1.5"], ["--headcount", "0"],
                                    ["--hire-share", "abc"], ["--group-count", "-3"]])
def test_impossible_inputs_exit_2(change, capsys):
    args = list(ARGS)
    args[args.index(change[0]) + 1] = change[1]
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2


def test_a_group_larger_than_the_headcount_exits_2(capsys):
    args = list(ARGS)
    args[args.index("--group-count") + 1] = "2000"
    assert main(args) == 2


def test_rates_left_out_are_estimated_from_the_zone_s_files(capsys):
    assert main(["project", "--workforce", str(SAMPLE_DATA / "workforce_gent.csv"),
                 "--movements", str(SAMPLE_DATA / "movements_gent.csv"), "--zone", "Gent",
                 "--years", "3", "--hire-share", "0.5"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[-1]["share"] > records[0]["share"]  # hiring half from the group raises it


def test_rates_from_a_zone_stored_in_the_workspace(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CPWB_DATABASE_URL", f"sqlite:///{tmp_path / 'ws.sqlite3'}")
    monkeypatch.setenv("CPWB_DEMO", "0")
    assert main(["project", "--stored-zone", "Gent", "--years", "2"]) == 1
    assert "no zone named 'Gent'" in capsys.readouterr().err
    store = ["store", "--zone", "Gent", "--kind"]
    assert main([*store, "workforce", str(SAMPLE_DATA / "workforce_gent.csv")]) == 0
    assert main(["project", "--stored-zone", "Gent", "--years", "2"]) == 1
    assert "no workforce and movements" in capsys.readouterr().err
    assert main([*store, "movements", str(SAMPLE_DATA / "movements_gent.csv")]) == 0
    capsys.readouterr()
    assert main(["project", "--stored-zone", "Gent", "--years", "2"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in records] == [0, 1, 2]


def test_an_estimated_start_under_the_threshold_is_refused(capsys):
    args = ["project", "--workforce", str(SAMPLE_DATA / "workforce_gent.csv"),
            "--movements", str(SAMPLE_DATA / "movements_gent.csv"), "--zone", "Gent",
            "--years", "3", "--dimension", "gender", "--group", "x"]
    assert main(args) == 1
    assert "fewer than 5 people" in capsys.readouterr().err
    assert main([*args, "--min-cell", "0"]) == 0
