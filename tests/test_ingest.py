"""Bytes to a validation report, for each kind of extract, without raising on bad input."""

import pytest

from cpwb_stats import pipeline
from cpwb_stats.contract.extracts import validate_file
from tests.conftest import SAMPLE_DATA


def test_the_pipeline_validates_through_the_same_function():
    assert pipeline.validate_file is validate_file


@pytest.mark.parametrize("kind", ["workforce", "applicants", "movements"])
def test_unreadable_bytes_give_a_report_of_that_kind_not_an_exception(kind):
    report = validate_file(b"\x00\x01\x02", "x.xlsx", kind=kind)
    assert not report.valid and report.errors and report.kind == kind


@pytest.mark.parametrize(("name", "kind"), [("workforce_gent.csv", "workforce"),
                                            ("applicants_gent.csv", "applicants"),
                                            ("movements_gent.csv", "movements")])
def test_each_sample_file_validates_as_its_kind(name, kind):
    report = validate_file((SAMPLE_DATA / name).read_bytes(), name, kind=kind)
    assert report.valid and report.kind == kind and report.rows > 0


@pytest.mark.parametrize(("content", "kind", "stages"), [
    ((SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "workforce",
     ["reading", "checking", "counting"]),
    ((SAMPLE_DATA / "movements_gent.csv").read_bytes(), "movements",
     ["reading", "checking", "counting"]),
    ((SAMPLE_DATA / "applicants_gent.csv").read_bytes(), "applicants",
     ["reading", "checking", "counting"]),
    (b"reference_date,rank,gender\n2024,aspirant,man\n", "workforce", ["reading", "checking"]),
    (b"\x00\x01\x02", "workforce", ["reading"]),
])
def test_each_stage_is_announced_as_it_starts(content, kind, stages):
    """Counting is announced only once every cell is found right; an unreadable file stops at
    reading."""
    seen = []
    validate_file(content, "w.csv", kind=kind, on_stage=seen.append)
    assert seen == stages
