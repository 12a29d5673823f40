"""Movements extracts: hires, leavers with reasons, promotions, in EN/NL/FR, records and long."""

from __future__ import annotations

import pytest

from cpwb_stats.i18n import translate
from cpwb_stats.output.templates import template_headers
from cpwb_stats.pipeline import validate_file

HEADER = "date,zone,movement,rank,leave_reason,entry_year,gender"


def movements(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def codes(report) -> list[tuple[str, int | None]]:
    return [(p.code, p.row) for p in report.errors]


def test_records_are_counted_per_event():
    report = validate_file(movements("2024-03-01,Gent,leave,inspector,resignation,2015,woman",
                                     "2024-05-01,Gent,hire,agent,,2024,man",
                                     "2024-06-01,Gent,promotion,chief-inspector,,2010,woman"),
                           "m.csv", kind="movements")
    assert report.valid
    counts = report.extract.counts.set_index("movement")
    assert counts.loc["leave", ["rank", "leave_reason", "entry_year", "group", "count"]].tolist() == [
        "inspector", "resignation", "2015", "woman", 1]
    assert counts.loc["hire", "leave_reason"] == ""


def test_a_dutch_template_filled_in_dutch_validates():
    header = ";".join(template_headers("movements", "nl"))
    row = ";".join(["31/03/2024", "Gent", "uitstroom", "Inspecteur", "", "ontslag op eigen verzoek",
                    "2015", "V", "ja", "nee"])
    report = validate_file(f"{header}\n{row}\n".encode(), "b.csv", kind="movements")
    assert report.valid, report.errors
    leaver = report.extract.counts.iloc[0]
    assert (leaver["period"], leaver["movement"], leaver["leave_reason"]) == (
        "2024-03-31", "leave", "resignation")


def test_a_long_table_with_counts():
    report = validate_file(movements("2024,Gent,leavers,Inspecteur,Retirement,,Female,3",
                                     "2024,Gent,joiners,Agent de police,,,Male,\" 1,204 \"",
                                     header=HEADER + ",count"), "long.csv", kind="movements")
    assert report.valid, report.errors
    counts = report.extract.counts.set_index("movement")["count"]
    assert counts.to_dict() == {"leave": 3, "hire": 1204}


@pytest.mark.parametrize("row, code", [
    ("2024-06-01,Gent,promotion,agent,,2010,woman", "promotion_into_lowest_rank"),
    ("2024-06-01,Gent,fired,agent,,2010,woman", "unknown_movement"),
    ("2024-06-01,Gent,leave,agent,bored,2010,woman", "unknown_leave_reason"),
    ("2024-06-01,Gent,leave,agent,resignation,2030,woman", "entry_after_reference"),
    ("2024-13-01,Gent,leave,agent,resignation,2010,woman", "bad_period"),
])
def test_each_bad_row_is_reported_with_its_row(row, code):
    report = validate_file(movements("2024-03-01,Gent,hire,agent,,2024,man", row), "m.csv",
                           kind="movements")
    assert not report.valid
    assert codes(report) == [(code, 3)]
    assert report.errors[0].message("fr") != translate(f"problem.{code}", "en")


def test_a_leaver_without_a_reason_counts_as_other_with_a_warning():
    report = validate_file(movements("2024-03-01,Gent,leave,inspector,,2015,woman"), "m.csv",
                           kind="movements")
    assert report.valid
    assert report.extract.counts["leave_reason"].tolist() == ["other"]
    assert [w.code for w in report.warnings] == ["leave_reason_missing"]
