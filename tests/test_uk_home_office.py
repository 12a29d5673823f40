"""The Home Office's published officer tables, read through a mapping profile.

Expected figures are computed here straight from the raw CSV with the standard library,
independently of the package's loader and measures.
"""

import csv
import json
from collections import defaultdict
from dataclasses import replace

import pytest

from cpwb_stats.cli.main import main
from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.ingest.mapping import profile_from_yaml
from cpwb_stats.pipeline import RepresentationRequest, protected_representation, validate_file
from tests.conftest import SAMPLE_DATA, SHARED_DATA

BY_RANK = SHARED_DATA / "uk-home-office-officers-by-rank-2003-2006.csv"
CHIEF_OFFICERS = SHARED_DATA / "uk-home-office-chief-officers-2003-2021.csv"
PROFILE = SAMPLE_DATA / "mappings" / "uk-home-office-ethnicity.yaml"
RANK_CODES = {"Constable": "constable", "Sergeant": "sergeant", "Inspector": "inspector",
              "Chief Inspector": "chief-inspector", "Superintendent": "superintendent",
              "Chief Superintendent": "chief-superintendent", "Chief Officer": "chief-officer"}


def raw_headcounts(path):
    """(year, force, rank, ethnic group) -> headcount, read with csv only."""
    totals = defaultdict(int)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            text = row["Total (headcount)"].strip().replace(",", "")
            totals[(row["As at 31 March..."], row["Force Name"], row["Rank description"],
                    row["Ethnic group"])] += 0 if text == "-" else int(text)
    return totals


@pytest.fixture(scope="module")
def by_rank():
    profile = profile_from_yaml(PROFILE.read_text())
    report = validate_file(BY_RANK.read_bytes(), BY_RANK.name, profile)
    assert report.valid, report.errors[:3]
    return report


def test_every_row_is_accepted(by_rank):
    with open(BY_RANK, encoding="utf-8") as handle:
        assert by_rank.rows == sum(1 for _ in handle) - 1
    assert by_rank.extract.ladder.name == "england-wales"


def test_national_minority_share_2006_matches_the_raw_file(by_rank):
    raw = raw_headcounts(BY_RANK)
    minority = sum(v for (y, _, _, g), v in raw.items() if y == "2006" and g.startswith("Black"))
    white = sum(v for (y, _, _, g), v in raw.items() if y == "2006" and g == "White")
    # Each period is protected on its own (they share no total): 2006 alone is enough.
    extract = by_rank.extract
    extract = replace(extract, counts=extract.counts[extract.counts["period"] == "2006"])
    table = protected_representation(extract, RepresentationRequest(
        dimension="ethnicity", combine_zones=True))
    zone = table[(table["period"] == "2006") & (table["staff_category"] == "all")
                 & (table["group"] == "minority")].iloc[0]
    assert zone["count"] == minority and zone["declared"] == minority + white
    assert zone["share"] == pytest.approx(minority / (minority + white))
    assert zone["share"] == pytest.approx(0.037, abs=0.001)  # "about 3.7%" (data README)


def test_per_force_counts_by_rank_match_the_raw_file(by_rank):
    raw = raw_headcounts(BY_RANK)
    table = protected_representation(by_rank.extract, RepresentationRequest(
        dimension="ethnicity", policy=DisclosurePolicy(min_cell=0)))
    detail = table[(table["rank"] != "all") & (table["group"] == "minority")]
    for row in detail.sample(200, random_state=1).itertuples():
        rank = next(k for k, v in RANK_CODES.items() if v == row.rank)
        expected = raw[(row.period, row.zone, rank, "Black, Asian and Minority Ethnic")]
        assert row.count == expected


def test_published_tables_under_disclosure_show_no_small_count(by_rank):
    table = protected_representation(by_rank.extract, RepresentationRequest(dimension="ethnicity"))
    for column in ("count", "declared", "headcount"):
        visible = table[column].dropna()
        assert not ((visible > 0) & (visible < 5)).any()
    assert table["suppressed"].any()


def test_chief_officer_file_with_newer_gender_codes_and_trailing_columns():
    report = validate_file(CHIEF_OFFICERS.read_bytes(), CHIEF_OFFICERS.name,
                           profile_from_yaml(PROFILE.read_text()))
    assert report.valid
    counts = report.extract.counts
    gender_2021 = counts[(counts["period"] == "2021") & (counts["dimension"] == "gender")]
    by_group = gender_2021.groupby("group")["count"].sum()
    assert by_group["woman"] > 0 and by_group["man"] > by_group["woman"]
    raw = defaultdict(int)
    with open(CHIEF_OFFICERS, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["As at 31 March..."] == "2021":
                raw[row["Gender"]] += int(row["Total (headcount)"].strip() or 0)
    assert by_group["x"] == raw["Prefer to self-describe"]
    assert by_group["undisclosed"] == raw["Prefer not to say"]
    assert by_group["unknown"] == raw["Not stated"]


LEAVERS = """Financial Year,Force Name,Rank description,Gender,Ethnic group,Leaver type,Headcount
2005/06,Avon & Somerset,Constable,Female,White,Voluntary resignation," 12 "
2005/06,Avon & Somerset,Constable,Male,"Black, Asian and Minority Ethnic",Voluntary resignation,6
2005/06,Avon & Somerset,Constable,Male,White,Normal retirement," 1,040 "
2005/06,Avon & Somerset,Sergeant,Male,Not stated,Dismissed / required to resign,1
"""
# The published profile's columns, plus those of a leavers table: one profile for both files.
LEAVERS_COLUMNS = "  Financial Year: date\n  Leaver type: leave_reason\n  Headcount: count\n"


def test_an_official_leavers_table_against_the_published_snapshots(tmp_path, capsys):
    """A leavers table (financial years, no movement column) beside the workforce snapshots."""
    profile = tmp_path / "uk.yaml"
    profile.write_text(PROFILE.read_text().replace("columns:\n", "columns:\n" + LEAVERS_COLUMNS))
    leavers = tmp_path / "leavers.csv"
    leavers.write_text(LEAVERS)
    assert main(["retention", "--workforce", str(BY_RANK), "--movements", str(leavers),
                 "--mapping", str(profile), "--dimension", "ethnicity"]) == 0
    records = json.loads(capsys.readouterr().out)
    force = [r for r in records if r["zone"] == "Avon & Somerset"
             and r["staff_category"] == "all" and r["group"] == "white"][0]
    headcounts = raw_headcounts(BY_RANK)
    start, end = (sum(v for (y, f, _, group), v in headcounts.items()
                      if y == year and f == "Avon & Somerset" and group == "White")
                  for year in ("2005", "2006"))
    assert force["period"] == "2006" and force["headcount_basis"] == "average"
    assert force["average_headcount"] == pytest.approx((start + end) / 2)
    assert force["leavers"] == 12 + 1040
    assert force["leaver_rate"] == pytest.approx(1052 / ((start + end) / 2))


WORKBOOK = SHARED_DATA / "uk-home-office-police-workforce-2018-09-tables.ods"
# The Home Office's police regions of England and Wales, as the workbook names them.
REGIONS = ["North East", "North West", "Yorkshire and the Humber", "East Midlands",
           "West Midlands", "Eastern", "London", "South East", "South West", "Wales"]


@pytest.mark.parametrize("sheet", [None, *(f"Table_{n}" for n in range(1, 8))])
def test_workbook_tables_without_a_group_column_get_one_message(sheet):
    report = validate_file(WORKBOOK.read_bytes(), WORKBOOK.name, None, None, "workforce", sheet)
    assert not report.valid
    assert [p.code for p in report.errors] == ["no_dimension_column"]
    assert "no designated-group column" in report.errors[0].message("en")
    assert "As at: 2018-09-30" in report.errors[0].params["columns"]
    assert report.errors[0].value is None
    assert "unmapped_columns" not in [p.code for p in report.warnings]


def test_workbook_region_rows_are_subtotals_and_the_force_west_midlands_is_a_zone():
    from cpwb_stats.contract.checks import subtotal_rows, subtotals_confirmed, total_rows
    from cpwb_stats.ingest.cell_values import parse_count
    from cpwb_stats.ingest.load import read_extract
    from cpwb_stats.ingest.mapping import MappingProfile

    raw = read_extract(WORKBOOK.read_bytes(), WORKBOOK.name, "Table_6")  # headcounts
    dates = [c for c in raw.cells.columns if c.startswith("As at")]
    frame = raw.cells[[raw.cells.columns[0]]].set_axis(["zone"], axis=1)
    frame = frame.join(raw.cells[dates].apply(lambda column: column.map(parse_count)))
    labels = frame["zone"].str.strip()
    assert labels.isin(REGIONS).sum() == 11  # ten regions and the force West Midlands
    totals = total_rows(frame)
    assert labels[totals].tolist() == ["Total 43 forces", "Total"]
    detail = frame[~totals]
    confirmed, problems = subtotals_confirmed(detail, subtotal_rows(detail, MappingProfile()),
                                              frame.index[totals], ["zone"], dates)
    assert problems == [] and labels[confirmed[confirmed].index].tolist() == REGIONS
    zones = detail[~confirmed]
    assert zones["zone"].str.strip().tolist()[-1] == "British Transport Police"
    assert "West Midlands" in zones["zone"].str.strip().tolist()
    # Independently: the 43 territorial forces sum to the "Total 43 forces" row on every date.
    at = frame.index[labels == "Total 43 forces"][0]
    forces = zones[zones.index < at]
    assert len(forces) == 43
    assert all(int(forces[d].sum()) == frame.at[at, d] for d in dates)


HOME_OFFICE_ODS = SHARED_DATA / "uk-home-office-police-workforce-2018-09-tables.ods"
SPECIALS_PROFILE = """kind: workforce
columns:
  "(A)": zone
  "As at: 2018-09-30": count
constants:
  rank: constable
  gender: woman
  reference_date: 2018-09-30
ladder: england-wales
"""
# The regions other than West Midlands, which names both a region and a force.
REGIONS_NOT_FORCES = set(REGIONS) - {"West Midlands"}


def ods_sheet_rows(path, name):
    """The rows of one sheet, read from the ODS XML with the standard library only."""
    import xml.etree.ElementTree as ET
    import zipfile

    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}

    def tag(name):
        prefix, local = name.split(":")
        return f"{{{ns[prefix]}}}{local}"
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("content.xml"))
    table = next(t for t in root.iter(tag("table:table")) if t.get(tag("table:name")) == name)
    rows = []
    for row in table.iter(tag("table:table-row")):
        cells = []
        for cell in row:
            repeat = min(int(cell.get(tag("table:number-columns-repeated"), "1")), 20)
            value = cell.get(tag("office:value"))
            text = "".join("".join(p.itertext()) for p in cell.findall(tag("text:p")))
            cells += [value if value is not None else text] * repeat
        rows.append(cells)
    return rows


def test_a_partial_total_above_british_transport_police_is_checked_against_the_forces_above():
    """Issue 12 item 2: ``Total 43 forces`` (11,029) stands above BTP and the grand total."""
    rows = ods_sheet_rows(HOME_OFFICE_ODS, "Table_6")
    figures = {r[0]: int(float(r[3])) for r in rows if r and r[0] and r[3:4] and
               r[3].replace(".", "").isdigit()}
    forces = [r[0] for r in rows[6:] if r and r[0] and r[0] not in REGIONS_NOT_FORCES
              and not r[0].startswith("Total") and r[3:4] and r[3].replace(".", "").isdigit()]
    forces.remove("West Midlands")  # a region (row 28) and a force (row 32) of that name
    assert len(forces) == 44 and forces.count("British Transport Police") == 1
    # The raw file's own published figures: 43 forces, then BTP, then the grand total.
    assert figures["Total 43 forces"] == 11029 and figures["Total"] == 11343
    assert figures["Total"] - figures["Total 43 forces"] == figures["British Transport Police"]
    report = validate_file(HOME_OFFICE_ODS.read_bytes(), HOME_OFFICE_ODS.name,
                           profile_from_yaml(SPECIALS_PROFILE), sheet="Table_6")
    assert report.valid, report.errors[:3]
    counts = report.extract.counts
    counts = counts[counts["dimension"] == "gender"]
    assert counts["count"].sum() == figures["Total"]
    assert set(counts["zone"]) == set(forces)
