import pytest

from cpwb_stats.ingest.mapping import profile_from_yaml
from cpwb_stats.pipeline import validate_file


def validate(text: str, profile: str | None = None):
    return validate_file(text.encode(), "a.csv",
                         profile_from_yaml(profile) if profile else None, "Gent",
                         kind="applicants")


def entered(report, group, dimension="migration_background"):
    frame = report.extract.counts
    frame = frame[(frame["dimension"] == dimension) & (frame["group"] == group)]
    return dict(zip(frame["stage"], frame["entered"]))


RECORDS = """campagne;bereikte stap;resultaat;migratieachtergrond
2024-1;Benoeming;geslaagd;ja
2024-1;Selectiecommissie;niet geslaagd;nee
2024-1;Cognitieve proef;afgehaakt;ja
2024-1;Kandidatuur;niet geslaagd;
"""


def test_records_count_everyone_at_every_stage_they_entered():
    report = validate(RECORDS)
    assert report.valid and report.shape == "records" and report.rows == 4
    yes = entered(report, "yes")
    assert (yes["applied"], yes["cognitive_test"], yes["physical_test"], yes["hired"]) == (2, 2, 1, 1)
    assert entered(report, "no")["interview"] == 1 and entered(report, "no")["medical"] == 0


def test_passed_before_the_last_stage_is_an_error():
    report = validate("campaign,stage_reached,outcome,gender\n2024,interview,passed,woman\n")
    assert [(p.code, p.row) for p in report.errors] == [("passed_before_last_stage", 2)]


def test_unknown_stage_lists_the_accepted_stages():
    report = validate("campaign,stage_reached,gender\n2024,lunch,woman\n")
    assert report.errors[0].code == "unknown_stage"
    assert "Personality test" in report.errors[0].message("en")


def test_pending_candidates_are_a_warning():
    report = validate("campaign,stage_reached,outcome,gender\n2024,interview,pending,woman\n")
    assert report.valid and [w.code for w in report.warnings] == ["pending_candidates"]


WIDE = """campaign;stage;total;with migration background;without migration background
2024;Applied;1.000;300;650
2024;Eligible;800;250;520
2024;Cognitive test;500;140;350
2024;Hired;90;20;70
"""


def test_wide_funnel_with_shortfall_as_undisclosed():
    report = validate(WIDE)
    assert report.valid and report.shape == "wide"
    assert entered(report, "yes") == {"applied": 300, "eligible": 250, "cognitive_test": 140,
                                      "hired": 20}
    assert entered(report, "undisclosed")["applied"] == 50
    assert report.extract.measured == ("applied", "eligible", "cognitive_test", "hired")


def test_a_stage_larger_than_the_one_before_is_an_error_naming_both():
    report = validate(WIDE.replace("2024;Cognitive test;500;140;350",
                                   "2024;Cognitive test;600;260;340"))
    assert not report.valid
    [problem] = report.errors
    assert problem.code == "stage_exceeds_previous" and problem.row == 4
    message = problem.message("en")
    assert "cognitive_test" in message and "eligible" in message


def test_long_shape_and_a_zone_stage_ladder_from_the_profile():
    profile = """
kind: applicants
stages:
  name: zone-gent
  stages:
    - {code: applied, labels: {en: Applied, nl: Kandidatuur}}
    - {code: test, labels: {en: Test, nl: Proef}}
    - {code: hired, labels: {en: Hired, nl: Aangeworven}}
"""
    text = ("campaign,stage,gender,count\n2024,Kandidatuur,woman,40\n2024,Proef,woman,20\n"
            "2024,Aangeworven,woman,5\n2024,Kandidatuur,man,60\n2024,Proef,man,30\n"
            "2024,Aangeworven,man,10\n")
    report = validate(text, profile)
    assert report.valid
    assert entered(report, "woman", "gender") == {"applied": 40, "test": 20, "hired": 5}


@pytest.mark.parametrize("text, code", [
    ("stage_reached,gender\nhired,woman\n", "missing_column"),
    ("campaign,stage_reached,outcome,gender\n2024,hired,maybe,woman\n", "unknown_outcome"),
    ("campaign,stage_reached,gender,E-mail\n2024,hired,woman,x\n", "identifier_header"),
])
def test_applicant_problems(text, code):
    assert code in [p.code for p in validate(text).errors]


ZONES_LONG = """campaign,zone,stage,gender,count
2024,Gent,applied,woman,40
2024,Gent,applied,man,60
2024,Eeklo,applied,woman,10
2024,Eeklo,applied,man,15
2024,Totaal,applied,woman,50
2024,Totaal,applied,man,75
"""


def test_a_zone_total_row_in_an_aggregated_campaign_is_checked_not_counted():
    report = validate(ZONES_LONG)
    assert report.valid, report.errors
    frame = report.extract.counts
    frame = frame[(frame["dimension"] == "gender") & (frame["stage"] == "applied")]
    assert set(frame["zone"]) == {"Gent", "Eeklo"}
    assert frame.groupby("group")["entered"].sum().to_dict() == {"woman": 50, "man": 75}
    wrong = validate(ZONES_LONG.replace("Totaal,applied,man,75", "Totaal,applied,man,76"))
    assert [(p.code, p.row) for p in wrong.errors] == [("control_total_mismatch", 7)]


def test_blank_counts_in_a_wide_campaign_table_are_zero_with_one_warning():
    text = "campaign,stage,total,women,men\n2024,applied,100,40,\n2024,hired,10,,\n"
    report = validate(text)
    assert report.valid, report.errors
    assert [p.value for p in report.warnings if p.code == "blank_counts_zero"] == ["3"]
    assert entered(report, "woman", "gender") == {"applied": 40, "hired": 0}
