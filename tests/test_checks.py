"""Checks shared by every kind of extract: totals in any key column, region subtotals, blanks in
published tables, every problem at once, the wrong kind of file.

Expected figures are worked out by hand from the rows written in each test.
"""

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpwb_stats.contract.extracts import validate_file
from cpwb_stats.ingest.mapping import profile_from_yaml
from cpwb_stats.pipeline import RepresentationRequest, protected_representation
from tests.conftest import ROOT, SAMPLE_DATA


def validate(text: str, profile: str | None = None, zone: str | None = "Test", kind="workforce"):
    return validate_file(text.encode(), "test.csv",
                         profile_from_yaml(profile) if profile else None, zone, kind)


def gender_counts(report, zone: str | None = None) -> dict:
    frame = report.extract.counts
    frame = frame[frame["dimension"] == "gender"]
    if zone is not None:
        frame = frame[frame["zone"] == zone]
    return frame.groupby("group")["count"].sum().loc[lambda s: s > 0].to_dict()


def codes(problems) -> list[str]:
    return [p.code for p in problems]


ISSUE_EXAMPLE = """year,force,rank,gender,count
2017,Force A,constable,female,10
2017,Force A,constable,male,30
2017,Force B,constable,female,20
2017,Force B,constable,male,40
2017,Total,constable,female,30
2017,Total,constable,male,70
"""


def test_issue_example_total_zone_rows_are_checked_not_counted():
    report = validate(ISSUE_EXAMPLE)
    assert report.valid, report.errors
    assert set(report.extract.counts["zone"]) == {"Force A", "Force B"}
    table = protected_representation(report.extract, RepresentationRequest(
        dimension="gender", combine_zones=True))
    constables = table[(table["rank"] == "constable") & (table["zone"] == "all")]
    shown = dict(zip(constables["group"], constables["count"]))
    assert (shown["woman"], shown["man"]) == (10 + 20, 30 + 40)


def test_issue_example_on_the_command_line(tmp_path):
    path = tmp_path / "forces.csv"
    path.write_text(ISSUE_EXAMPLE)
    result = subprocess.run([sys.executable, "-m", "cpwb_stats", "representation", str(path),
                             "--combine-zones", "--dimension", "gender"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = [r for r in json.loads(result.stdout) if r["rank"] == "constable"]
    shown = {r["group"]: r["count"] for r in rows}
    assert (shown["woman"], shown["man"]) == (30, 70)


@pytest.mark.parametrize("label", ["Total", "Totaal", "Totaal generaal", "Total général", "All",
                                   "Alle", "Tous", "Belgique", "België", "Belgium",
                                   "England and Wales", "TOTAL ", "Grand total", "Sub-total",
                                   # issue 12 item 3: plurals and common variants
                                   "Totals", "Overall", "Grand totals", "Totalen", "Totaux",
                                   "Subtotal", "Sous-total", "Eindtotaal", "Overall total"])
def test_total_labels_in_the_zone_column(label):
    text = ISSUE_EXAMPLE.replace("Total,", f"{label},")
    report = validate(text)
    assert report.valid, report.errors
    assert gender_counts(report) == {"woman": 30, "man": 70}


@pytest.mark.parametrize("column", ["zone", "staff_category", "rank", "gender"])
def test_a_total_row_in_any_key_column_is_a_control_total(column):
    detail = {"zone": "Gent", "staff_category": "operational", "rank": "inspector",
              "gender": "woman"}
    rows = [dict(detail, count="4"), dict(detail, gender="man", count="6"),
            dict(detail, rank="agent", count="5"), dict(detail, rank="agent", gender="man",
                                                        count="5")]
    covered = [r for r in rows if all(r[k] == rows[0][k] for k in detail if k != column)]
    total = dict(rows[0], **{column: "Totaal"}, count=str(sum(int(r["count"]) for r in covered)))
    header = ["reference_date", *detail, "count"]
    lines = [",".join(header)] + [",".join(["2024-12-31", *(r[k] for k in [*detail, "count"])])
                                  for r in [*rows, total]]
    report = validate("\n".join(lines) + "\n")
    assert report.valid, report.errors
    assert gender_counts(report) == {"woman": 9, "man": 11}


@pytest.mark.parametrize("label", ["Totals", "Overall", "Totalen", "Totaux", "Grand totals",
                                   "Subtotal"])
def test_total_labels_in_the_rank_column(label):
    """Issue 12 item 3: rank ``Totals`` was an unknown rank."""
    text = ("year,force,rank,gender,count\n2017,Force A,constable,female,10\n"
            "2017,Force A,constable,male,30\n2017,Force A,sergeant,female,2\n"
            "2017,Force A,sergeant,male,8\n"
            f"2017,Force A,{label},female,12\n2017,Force A,{label},male,38\n")
    report = validate(text)
    assert report.valid, report.errors
    assert gender_counts(report) == {"woman": 12, "man": 38}


PARTIAL_TOTAL = ISSUE_EXAMPLE.replace("Total,", "Total 2 forces,") + """\
2017,British Transport Police,constable,female,5
2017,British Transport Police,constable,male,5
2017,Total,constable,female,35
2017,Total,constable,male,75
"""


def test_a_partial_total_is_checked_against_the_rows_above_it():
    """Issue 12 item 2: ``Total 2 forces`` (30/70) covers Force A and B, not the row below."""
    report = validate(PARTIAL_TOTAL)
    assert report.valid, report.errors
    assert gender_counts(report) == {"woman": 35, "man": 75}
    wrong = validate(PARTIAL_TOTAL.replace("Total 2 forces,constable,male,70",
                                           "Total 2 forces,constable,male,75"))
    assert [(p.code, p.row, p.value, p.params["expected"]) for p in wrong.errors] == \
        [("control_total_mismatch", 7, "75", 70)]


def test_zone_totals_above_their_rows_cover_their_own_zone():
    text = ("year,force,rank,gender,count\n"
            "2017,Force A,Totaal,female,12\n2017,Force A,constable,female,10\n"
            "2017,Force A,sergeant,female,2\n"
            "2017,Force B,Totaal,female,7\n2017,Force B,constable,female,4\n"
            "2017,Force B,sergeant,female,3\n")
    report = validate(text)
    assert report.valid, report.errors
    assert gender_counts(report) == {"woman": 19}


def test_a_total_that_does_not_add_up_is_an_error():
    report = validate(ISSUE_EXAMPLE.replace("Total,constable,male,70", "Total,constable,male,71"))
    assert not report.valid
    mismatch = [p for p in report.errors if p.code == "control_total_mismatch"]
    assert [(p.row, p.value, p.params["expected"]) for p in mismatch] == [(7, "71", 70)]


def test_total_rows_in_a_records_file_are_ignored_with_a_warning():
    report = validate("reference_date,zone,rank,gender\n2024,Gent,agent,V\n2024,Totaal,agent,V\n")
    assert report.valid and gender_counts(report) == {"woman": 1}
    assert "total_rows_ignored" in codes(report.warnings)


REGIONS_WIDE = """date,force,rank,total,women,men
2018,North East,constable,60,20,40
2018,Cleveland,constable,25,10,15
2018,Durham,constable,35,10,25
2018,West Midlands,constable,50,15,35
2018,Staffordshire,constable,20,5,15
2018,West Midlands,constable,30,10,20
2018,England and Wales,constable,110,35,75
"""


def test_region_rows_are_subtotals_when_they_add_up_and_zones_otherwise():
    report = validate(REGIONS_WIDE)
    assert report.valid, report.errors
    # The region West Midlands (row 5) sums Staffordshire and the force West Midlands (row 7).
    zones = set(report.extract.counts["zone"])
    assert zones == {"Cleveland", "Durham", "Staffordshire", "West Midlands"}
    assert gender_counts(report) == {"woman": 10 + 10 + 5 + 10, "man": 15 + 25 + 15 + 20}
    assert gender_counts(report, "West Midlands") == {"woman": 10, "man": 20}
    note = next(p for p in report.warnings if p.code == "subtotal_rows")
    assert note.params["count"] == 2 and note.value == "North East, West Midlands"


def test_a_force_named_like_a_region_is_a_zone():
    text = ("date,force,rank,gender,count\n2018,Staffordshire,constable,female,5\n"
            "2018,West Midlands,constable,female,7\n2018,Wiltshire,constable,female,2\n")
    report = validate(text)
    assert report.valid and gender_counts(report, "West Midlands") == {"woman": 7}
    assert "subtotal_rows" not in codes(report.warnings)


def test_subtotals_the_profile_names_must_add_up():
    text = ("date,zone,rank,total,women,men\n2024,District Noord,agent,30,10,20\n"
            "2024,Gent,agent,20,5,15\n2024,Eeklo,agent,9,5,4\n")
    report = validate(text, "subtotals: [District Noord]\n")
    assert [(p.code, p.row) for p in report.errors] == [("subtotal_mismatch", 2)]
    fixed = validate(text.replace("Eeklo,agent,9,5,4", "Eeklo,agent,10,5,5"),
                     "subtotals: [District Noord]\n")
    assert fixed.valid and gender_counts(fixed) == {"woman": 10, "man": 20}


BLANKS_WIDE = """reference_date,zone,rank,total,women,men,x
2024,Gent,agent,10,4,6,
2024,Gent,inspector,8,,8,
2024,Eeklo,agent,5,2,,
"""


def test_blank_group_cells_in_a_published_table_are_zero_with_one_warning():
    report = validate(BLANKS_WIDE)
    assert report.valid, report.errors
    blank = [p for p in report.warnings if p.code == "blank_counts_zero"]
    assert [p.value for p in blank] == ["5"]
    assert gender_counts(report, "Gent") == {"woman": 4, "man": 14}
    # Eeklo: 5 people, 2 women, men blank -> 0; the 3 left over are undisclosed.
    assert gender_counts(report, "Eeklo") == {"woman": 2, "undisclosed": 3}


def test_blanks_missing_leaves_the_unaccounted_unknown():
    report = validate(BLANKS_WIDE, "blanks: missing\n")
    assert report.valid, report.errors
    assert "blank_counts_zero" not in codes(report.warnings)
    assert gender_counts(report, "Eeklo") == {"woman": 2, "unknown": 3}
    assert "shortfall_unknown" in codes(report.warnings)


def test_blanks_missing_in_a_long_table_is_an_error_per_cell():
    text = "reference_date,rank,gender,count\n2024,agent,V,3\n2024,agent,M,\n"
    assert validate(text).valid
    report = validate(text, "blanks: missing\n")
    assert [(p.code, p.row, p.column) for p in report.errors] == [
        ("blank_count_missing", 3, "count")]


def test_a_row_without_any_count_is_skipped_and_a_blank_total_is_the_group_sum():
    text = ("reference_date,zone,rank,total,women,men\n2024,A,agent,,3,4\n"
            "2024,B,agent,,,\n2024,C,agent,6,1,5\n")
    report = validate(text)
    assert report.valid, report.errors
    warned = {p.code: p.value for p in report.warnings}
    assert (warned["blank_rows_skipped"], warned["blank_total_summed"]) == ("1", "1")
    assert gender_counts(report, "A") == {"woman": 3, "man": 4}
    assert "B" not in set(report.extract.counts["zone"])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 50)),
                          st.one_of(st.none(), st.integers(0, 50))), min_size=1, max_size=6))
def test_blank_cells_count_as_zero_whatever_the_table(rows):
    lines = ["reference_date,zone,rank,women,men"]
    for i, (women, men) in enumerate(rows):
        cells = ["" if v is None else str(v) for v in (women, men)]
        lines.append(f"2024,Zone {i},agent,{cells[0]},{cells[1]}")
    report = validate("\n".join(lines) + "\n")
    reported = [(w, m) for w, m in rows if (w, m) != (None, None)]
    blanks = sum((w is None) + (m is None) for w, m in reported)
    assert report.valid, report.errors
    warned = {p.code: p.value for p in report.warnings}
    assert warned.get("blank_counts_zero") == (str(blanks) if blanks else None)
    assert warned.get("blank_rows_skipped") == (str(len(rows) - len(reported))
                                                if len(reported) < len(rows) else None)
    expected = {"woman": sum(w or 0 for w, _ in reported), "man": sum(m or 0 for _, m in reported)}
    assert gender_counts(report) == {k: v for k, v in expected.items() if v}


def test_every_problem_is_listed_at_once():
    text = ("reference_date,zone,rank,gender\n2024-12-31,=A1&B1,agent,V\n"
            "2024-12-31,Gent,brigadier,M\n2024-12-31,Gent,agent,robot\n2024-02-30,Gent,agent,V\n")
    report = validate(text)
    assert [(p.code, p.row) for p in report.errors] == [
        ("formula_in_cell", 2), ("unknown_rank", 3), ("unknown_group", 4), ("bad_period", 5)]


def test_identifiers_do_not_hide_other_problems_and_are_never_repeated():
    text = "reference_date,rank,gender,opmerking\n2024,agent,V,a.b@politie.be\n2024,brigadier,M,\n"
    report = validate(text)
    assert codes(report.errors) == ["identifier_value", "unknown_rank"]
    assert all("a.b@" not in str(p.as_dict()) for p in report.errors)


def test_a_movements_file_checked_as_workforce_is_named_as_such():
    content = (SAMPLE_DATA / "movements_gent.csv").read_bytes()
    report = validate_file(content, "movements_gent.csv", None, "Gent", "workforce")
    assert not report.valid
    assert [(p.code, p.params["suggested"]) for p in report.errors] == [("wrong_kind", "movements")]
    assert validate_file(content, "movements_gent.csv", None, "Gent", "movements").valid


def test_an_applicants_file_checked_as_movements_is_named_as_such():
    content = (SAMPLE_DATA / "applicants_gent.csv").read_bytes()
    report = validate_file(content, "applicants_gent.csv", None, "Gent", "movements")
    assert [(p.code, p.params["suggested"]) for p in report.errors] == [("wrong_kind",
                                                                         "applicants")]


def test_the_command_line_names_the_kind_and_the_flag(tmp_path):
    result = subprocess.run([sys.executable, "-m", "cpwb_stats", "--lang", "en", "validate",
                             str(SAMPLE_DATA / "movements_gent.csv"), "--zone", "Gent"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "--kind movements" in result.stdout + result.stderr
    assert "movements extract" in result.stdout + result.stderr


def dated_workforce(dates: list[str]) -> str:
    return "reference_date,zone,rank,gender\n" + "".join(f"{d},Gent,agent,V\n" for d in dates)


def test_many_reference_dates_in_a_year_ask_for_confirmation():
    dates = [f"2024-{m:02d}-15" for m in range(1, 7)]
    report = validate(dated_workforce(dates))
    assert [(p.code, p.value) for p in report.errors] == [("many_reference_dates", "6")]
    assert validate(dated_workforce(dates), "many_reference_dates: true\n").valid


def test_a_yearly_series_or_four_snapshots_a_year_need_no_confirmation():
    assert validate(dated_workforce([f"{y}-12-31" for y in range(2000, 2021)])).valid
    assert validate(dated_workforce(["2024-03-31", "2024-06-30", "2024-09-30",
                                     "2024-12-31"])).valid


def test_the_command_line_confirms_many_dates(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(dated_workforce([f"2024-{m:02d}-15" for m in range(1, 7)]))
    base = [sys.executable, "-m", "cpwb_stats", "validate", str(path), "--format", "json"]
    refused = subprocess.run(base, cwd=ROOT, capture_output=True, text=True, timeout=120)
    confirmed = subprocess.run([*base, "--many-dates"], cwd=ROOT, capture_output=True, text=True,
                               timeout=120)
    assert (refused.returncode, confirmed.returncode) == (1, 0)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=5),
       st.sampled_from(["Total", "Totaal generaal", "Total général", "Belgique", "All"]),
       st.booleans())
def test_total_rows_never_change_the_counts(zones, label, total_first):
    detail = [f"2024,Zone {i},agent,{g},{n}" for i, (w, m) in enumerate(zones)
              for g, n in (("woman", w), ("man", m))]
    totals = [f"2024,{label},agent,woman,{sum(w for w, _ in zones)}",
              f"2024,{label},agent,man,{sum(m for _, m in zones)}"]
    rows = totals + detail if total_first else detail + totals
    report = validate("reference_date,zone,rank,gender,count\n" + "\n".join(rows) + "\n")
    assert report.valid, report.errors
    assert label not in set(report.extract.counts["zone"])
    expected = {"woman": sum(w for w, _ in zones), "man": sum(m for _, m in zones)}
    assert gender_counts(report) == {k: v for k, v in expected.items() if v}
