"""The Leeds City Region diversity tables, read through the mapping profile kept in
``sample_data/mappings/``, against figures computed from the raw file with the csv module."""

import csv
import datetime as dt
import io

import pytest

from cpwb_stats.contract.extracts import validate_file
from cpwb_stats.ingest.mapping import profile_from_yaml
from tests.conftest import SAMPLE_DATA, SHARED_DATA

LEEDS = SHARED_DATA / "leeds-city-region-workforce-diversity.csv"
PROFILE = SAMPLE_DATA / "mappings" / "leeds-city-region-diversity.yaml"


def raw_rows() -> list[dict[str, str]]:
    text = LEEDS.read_bytes().decode("utf-8-sig")
    return [r for r in csv.DictReader(io.StringIO(text)) if any(v.strip() for v in r.values())]


def number(cell: str) -> int:
    return int(cell) if cell.strip() else 0


def period(published: str) -> str:
    if "/" in published:
        return dt.datetime.strptime(published, "%d/%m/%Y").date().isoformat()
    return published


def zone(row: dict[str, str]) -> str:
    parts = [row["organisation"].strip(), row["organisation_grouping"].strip()]
    return " / ".join(dict.fromkeys(p for p in parts if p))


@pytest.fixture(scope="module")
def report():
    return validate_file(LEEDS.read_bytes(), LEEDS.name, profile_from_yaml(PROFILE.read_text()))


@pytest.fixture(scope="module")
def gender(report):
    counts = report.extract.counts
    return counts[counts["dimension"] == "gender"]


def test_the_file_reads_through_its_profile(report):
    assert report.valid, report.errors[:3]
    warned = {p.code: p for p in report.warnings}
    gender_cells = ["gender_female", "gender_male", "gender_other", "gender_prefernottosay",
                    "gender_undisclosed"]
    rows = raw_rows()
    assert "blank_counts_zero" in warned
    no_count = [r for r in rows if not any(r[c].strip() for c in report.columns
                                           if report.columns[c] and "=" in report.columns[c]
                                           or report.columns[c] == "total")]
    assert warned["blank_rows_skipped"].value == str(len(no_count))
    assert len(rows) == 23 and len(no_count) == 3 and all(
        not any(r[c].strip() for c in gender_cells) for r in no_count)


def test_leeds_city_council_figures(gender):
    council = gender[gender["zone"] == "Leeds City Council"]
    assert int(council["count"].sum()) == 14_107
    assert int(council.loc[council["group"] == "woman", "count"].sum()) == 8_586


def test_every_organisation_and_publication_matches_the_raw_file(gender):
    for row in raw_rows():
        groups = {"woman": number(row["gender_female"]), "man": number(row["gender_male"]),
                  "x": number(row["gender_other"])}
        if not any(groups.values()):
            continue
        mine = gender[(gender["zone"] == zone(row)) & (gender["period"] == period(row["published"]))]
        shown = mine.groupby("group")["count"].sum()
        assert {g: int(shown.get(g, 0)) for g in groups} == groups, zone(row)
        if row["employees"].strip():
            assert int(shown.sum()) == int(row["employees"]), zone(row)


def test_people_a_table_leaves_out_count_as_undisclosed(report):
    counts = report.extract.counts
    ethnicity = counts[(counts["dimension"] == "ethnicity")
                       & (counts["zone"] == "Leeds City Council")]
    row = next(r for r in raw_rows() if r["organisation"] == "Leeds City Council")
    listed = sum(number(row[f"ethnicity_{g}"]) for g in ("asian", "black", "mixed", "other",
                                                         "white", "prefernottosay",
                                                         "undisclosed"))
    shown = ethnicity.groupby("group")["count"].sum()
    assert int(shown.sum()) == int(row["employees"])
    assert int(shown["not-stated"]) == number(row["ethnicity_prefernottosay"]) + (
        int(row["employees"]) - listed)
