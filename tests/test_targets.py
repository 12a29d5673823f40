import pandas as pd
import pytest

from cpwb_stats.problems import ExtractRejected
from cpwb_stats.targets.definitions import compare_with_reference, read_benchmarks, read_targets
from tests.conftest import SAMPLE_DATA


def test_sample_targets_and_benchmarks_read():
    targets = read_targets((SAMPLE_DATA / "targets.csv").read_bytes())
    assert targets["target_share"].between(0, 1).all()
    benchmarks = read_benchmarks((SAMPLE_DATA / "benchmarks.csv").read_bytes())
    assert benchmarks.loc[benchmarks["zone"] == "Gent", "share"].iloc[0] == pytest.approx(0.164)


@pytest.mark.parametrize("written, share", [("12%", 0.12), ("12,5 %", 0.125), ("0.3", 0.3),
                                            ("30", 0.3)])
def test_shares_as_fractions_or_percentages(written, share):
    content = f"zone;dimension;group;scope;target_share\nGent;gender;woman;all;{written}\n"
    assert read_targets(content.encode())["target_share"].iloc[0] == pytest.approx(share)


def test_bad_share_is_refused():
    with pytest.raises(ExtractRejected):
        read_targets(b"zone;dimension;group;scope;target_share\nGent;gender;woman;all;lots\n")


def test_people_needed_gap_and_index():
    row = pd.DataFrame({"count": pd.array([6], dtype="Int64"),
                        "declared": pd.array([60], dtype="Int64"), "share": [0.1]})
    compared = compare_with_reference(row, 0.25).iloc[0]
    assert compared["people_needed"] == 9  # ceil(0.25 * 60) - 6
    assert compared["gap_pp"] == pytest.approx(-15)
    assert compared["index"] == pytest.approx(0.4)
    assert compared["p_value"] < 0.01


def test_nothing_is_compared_when_the_share_is_hidden():
    row = pd.DataFrame({"count": pd.array([pd.NA], dtype="Int64"),
                        "declared": pd.array([60], dtype="Int64"), "share": [None]})
    compared = compare_with_reference(row, 0.25).iloc[0]
    assert pd.isna(compared["gap_pp"]) and pd.isna(compared["people_needed"])
