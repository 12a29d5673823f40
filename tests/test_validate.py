import pytest

from cpwb_stats.ingest.mapping import profile_from_yaml
from cpwb_stats.pipeline import validate_file
from tests.conftest import xlsx_bytes


def validate(text: str, profile: str | None = None, zone: str | None = "Test", encoding="utf-8"):
    return validate_file(text.encode(encoding), "test.csv",
                         profile_from_yaml(profile) if profile else None, zone)


def counts_of(report, dimension: str) -> dict:
    frame = report.extract.counts
    frame = frame[frame["dimension"] == dimension]
    return {(r.rank, r.group): r.count for r in frame.itertuples() if r.count}


RECORDS_EN = """reference_date,rank,gender,migration_background
2024-12-31,inspector,woman,yes
2024-12-31,inspector,man,no
2024-12-31,inspector,man,prefer not to say
2024-12-31,commissioner,woman,
"""


def test_records_become_counts_per_dimension():
    report = validate(RECORDS_EN)
    assert report.valid and report.shape == "records" and report.rows == 4
    assert counts_of(report, "gender") == {("inspector", "woman"): 1, ("inspector", "man"): 2,
                                           ("commissioner", "woman"): 1}
    assert counts_of(report, "migration_background") == {
        ("inspector", "yes"): 1, ("inspector", "no"): 1, ("inspector", "undisclosed"): 1,
        ("commissioner", "unknown"): 1}


def test_dutch_headers_codes_and_belgian_dates():
    text = ("peildatum;graad;geslacht;migratieachtergrond\n"
            "31/12/2024;Hoofdinspecteur;V;ja\n31/12/2024;Niveau B;M;nee\n")
    report = validate(text)
    assert report.valid
    frame = report.extract.counts
    assert set(frame["period"]) == {"2024-12-31"}
    assert set(frame["rank"]) == {"chief-inspector", "calog-b"}
    assert set(frame["staff_category"]) == {"operational", "calog"}


def test_french_headers_and_windows_1252():
    text = ("date de référence;grade;genre;origine migratoire\n"
            "2024;Commissaire divisionnaire;femme;oui\n2024;Inspecteur principal;homme;non\n")
    report = validate(text, encoding="cp1252")
    assert report.valid
    assert counts_of(report, "gender") == {("chief-commissioner", "woman"): 1,
                                           ("chief-inspector", "man"): 1}


LONG = """year;rank;gender;count
2024;agent;woman;1.084
2024;agent;man;1 200
2024;inspector;woman;-
2024;inspector;man;/
2024;Total;woman;1084
"""


def test_long_shape_with_separators_zero_marks_and_a_control_total():
    report = validate(LONG)
    assert report.valid and report.shape == "long"
    assert counts_of(report, "gender") == {("agent", "woman"): 1084, ("agent", "man"): 1200}
    assert report.rows == 4


def test_long_control_total_mismatch_is_an_error_on_its_row():
    report = validate(LONG.replace("Total;woman;1084", "Total;woman;1085"))
    assert not report.valid
    [problem] = report.errors
    assert (problem.code, problem.row, problem.column) == ("control_total_mismatch", 6, "count")
    assert problem.params["expected"] == 1084


WIDE = """Graad;Totaal;Vrouwen;Mannen
Inspecteur;100;21;79
Hoofdcommissaris;10;1;8
Totaal;110;22;87
"""


def test_wide_shape_checks_the_total_row_and_reports_shortfall_as_undisclosed():
    profile = "constants:\n  reference_date: 2018-12-31\n  zone: federal-police\n"
    report = validate(WIDE, profile)
    assert report.valid and report.shape == "wide"
    assert counts_of(report, "gender")[("chief-commissioner", "undisclosed")] == 1
    assert [w.code for w in report.warnings] == ["shortfall_undisclosed"]
    assert report.warnings[0].row == 3


@pytest.mark.parametrize("original, changed, code", [
    ("Totaal;110;22;87", "Totaal;111;22;87", "control_total_mismatch"),
    ("Inspecteur;100;21;79", "Inspecteur;100;41;79", "dimension_exceeds_total"),
])
def test_wide_inconsistencies_are_errors(original, changed, code):
    profile = "constants:\n  reference_date: 2018\n"
    report = validate(WIDE.replace(original, changed), profile)
    assert not report.valid
    assert code in {p.code for p in report.errors}


def test_every_problem_is_reported_at_once_with_file_rows():
    text = ("reference_date,rank,gender\n2024-02-30,inspector,woman\n2024,aspirant,man\n"
            "2024,inspector,martian\n2024,agent,woman\n")
    report = validate(text)
    assert not report.valid
    assert [(p.row, p.column, p.code) for p in report.errors] == [
        (2, "reference_date", "bad_period"), (3, "rank", "unknown_rank"),
        (4, "gender", "unknown_group")]
    assert "Chief inspector" in report.errors[1].message("en")
    assert report.extract is None


def test_messages_follow_the_language():
    report = validate("reference_date,rank,gender\n2024,aspirant,man\n")
    assert report.errors[0].message("nl").startswith("Onbekende graad")
    assert report.errors[0].message("fr").startswith("Grade inconnu")


def test_missing_required_columns():
    report = validate("rank,gender\nagent,woman\n")
    assert [p.code for p in report.errors] == ["missing_column"]
    report = validate("reference_date,rank\n2024,agent\n")
    assert [p.code for p in report.errors] == ["no_dimension_column"]


def test_rank_and_staff_category_must_agree():
    report = validate("reference_date,rank,staff_category,gender\n2024,agent,calog,man\n")
    assert [p.code for p in report.errors] == ["rank_category_mismatch"]


def test_entry_year_after_the_reference_date():
    report = validate("reference_date,rank,gender,entry_year\n2020,agent,man,2023\n")
    assert [p.code for p in report.errors] == ["entry_after_reference"]


def test_formula_in_a_cell_is_refused():
    report = validate('reference_date,rank,gender\n2024,"=HYPERLINK(""http://x"")",man\n')
    assert [p.code for p in report.errors] == ["formula_in_cell"]


def test_identifier_column_refuses_the_whole_file():
    report = validate("reference_date,rank,gender,Naam\n2024,agent,man,Jan Peeters\n")
    assert not report.valid and report.extract is None
    assert [(p.code, p.column) for p in report.errors] == [("identifier_header", "Naam")]


def test_unmapped_columns_are_listed_and_summed_over_in_long_shape():
    text = "year,rank,gender,region,count\n2024,agent,man,North,3\n2024,agent,man,South,4\n"
    report = validate(text)
    assert report.valid
    assert counts_of(report, "gender") == {("agent", "man"): 7}
    assert [w.code for w in report.warnings] == ["unmapped_columns"]


def test_ladder_is_chosen_from_the_ranks():
    report = validate("year,rank,gender\n2006,Constable,Female\n2006,Chief Officer,Male\n")
    assert report.valid and report.extract.ladder.name == "england-wales"


def test_profile_maps_values_and_custom_dimensions():
    profile = """
columns:
  Ethnic group: ethnicity
values:
  rank:
    Aspirant: agent
  ethnicity:
    BAME: minority
dimensions:
  ethnicity:
    values: [minority, white]
    undisclosed: [not-stated]
"""
    text = "year,rank,Ethnic group\n2024,Aspirant,BAME\n2024,agent,white\n2024,agent,not-stated\n"
    report = validate(text, profile)
    assert report.valid
    assert counts_of(report, "ethnicity") == {("agent", "minority"): 1, ("agent", "white"): 1,
                                              ("agent", "not-stated"): 1}


def test_xlsx_upload_validates_like_csv():
    content = xlsx_bytes([["peildatum", "graad", "geslacht"], ["31/12/2024", "Inspecteur", "V"]])
    report = validate_file(content, "zone.xlsx", None, "Gent")
    assert report.valid and report.rows == 1


def test_without_a_zone_the_rows_are_unspecified_and_a_warning_says_so():
    report = validate(RECORDS_EN, zone=None)
    assert set(report.extract.counts["zone"]) == {"unspecified"}
    assert "no_zone_column" in [w.code for w in report.warnings]


def test_month_first_dates_read_with_the_profile_setting():
    text = "reference_date,rank,gender\n12/31/2024,agent,V\n"
    assert [p.code for p in validate(text).errors] == ["bad_period"]
    assert "dates_look_month_first" in [p.code for p in validate(text).warnings]
    report = validate(text, "date_order: mdy\n")
    assert report.valid and set(report.extract.counts["period"]) == {"2024-12-31"}


def test_ambiguous_dates_warn_when_the_order_is_not_set():
    text = "reference_date,rank,gender\n10/01/2024,agent,V\n10/01/2024,agent,M\n"
    report = validate(text)
    assert report.valid and set(report.extract.counts["period"]) == {"2024-01-10"}
    assert [(p.code, p.column) for p in report.warnings] == [("ambiguous_date_order",
                                                              "reference_date")]
    set_order = validate(text, "date_order: mdy\n")
    assert set(set_order.extract.counts["period"]) == {"2024-10-01"} and not set_order.warnings


def test_an_unambiguous_file_gives_no_date_warning():
    report = validate("reference_date,rank,gender\n31/12/2024,agent,V\n01/12/2024,agent,M\n")
    assert report.valid and not report.warnings


def test_date_order_flag_on_the_command_line(tmp_path):
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    path = tmp_path / "w.csv"
    path.write_text("reference_date,rank,gender\n10/01/2024,agent,V\n")
    result = subprocess.run([sys.executable, "-m", "cpwb_stats", "representation", str(path),
                             "--date-order", "mdy", "--min-cell", "0"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert {r["period"] for r in json.loads(result.stdout)} == {"2024-10-01"}


def test_exact_ages_are_read_into_bands():
    text = ("reference_date,rank,gender,leeftijd\n2024,agent,V,23\n2024,agent,M,37\n"
            "2024,agent,M,58\n2024,agent,V,25-34\n")
    report = validate(text)
    assert report.valid
    banded = [p for p in report.warnings if p.code == "exact_ages_banded"]
    assert [(p.column, p.value) for p in banded] == [("leeftijd", "3")]
    assert report.extract.people["age_band"].tolist() == ["<25", "35-44", "55+", "25-34"]


AGE_FILE = "peildatum,zone,graad,geslacht,leeftijd\n"


@pytest.mark.parametrize("age", ["201", "240", "999", "5", "0", "15", "101", "15.9"])
def test_an_impossible_exact_age_is_a_cell_error(age):
    """Issue 12 item 1: 201 crashed; 0 and 5 were banded <25 without question."""
    report = validate(AGE_FILE + f"31/12/2024,Gent,inspecteur,V,35\n31/12/2024,Gent,inspecteur,M,{age}\n")
    assert not report.valid and report.extract is None
    assert [(p.code, p.row, p.column, p.value) for p in report.errors] == \
        [("impossible_age", 3, "leeftijd", age)]


@pytest.mark.parametrize("age, band", [("37.5", "35-44"), ('"24,9"', "<25"), ("16", "<25"),
                                       ("54.99", "45-54"), ("100", "55+")])
def test_a_decimal_or_edge_exact_age_is_read_into_its_band(age, band):
    report = validate(AGE_FILE + f"31/12/2024,Gent,inspecteur,V,{age}\n")
    assert report.valid
    assert report.extract.people["age_band"].tolist() == [band]
    assert [(p.code, p.value) for p in report.warnings if p.code == "exact_ages_banded"] == \
        [("exact_ages_banded", "1")]


def test_every_age_problem_of_a_file_is_listed_together():
    """The reviewer's age4/age6 files: 37.5 is banded, 240, 5 and 0 are each an error."""
    rows = ["37.5", "240", "5", "0"]
    report = validate(AGE_FILE + "".join(f"31/12/2024,Gent,inspecteur,M,{a}\n" for a in rows))
    assert [(p.code, p.row) for p in report.errors] == \
        [("impossible_age", 3), ("impossible_age", 4), ("impossible_age", 5)]
    for language in ("en", "nl", "fr"):
        assert "16" in report.errors[0].message(language)
        assert "100" in report.errors[0].message(language)


@pytest.mark.parametrize("count, valid", [
    ("1000000", True), ("1 000 000", True), ("1000001", False),
    ("9223372036854775807", False), ("92233720368547758070000", False),
    ("9" * 400, False)])
def test_a_count_has_an_upper_bound_of_a_million(count, valid):
    """Issue 11 item 6: no cell of one zone holds millions; longer numbers are a message too."""
    report = validate(f"reference_date,rank,gender,count\n2024-12-31,inspector,woman,{count}\n"
                      "2024-12-31,inspector,man,12\n")
    assert report.valid is valid
    if not valid:
        assert [(p.code, p.row, p.column) for p in report.errors] == \
            [("count_too_large", 2, "count")]
        assert "1 000 000" in report.errors[0].message("fr")


@pytest.mark.parametrize("shape", ["wide", "total"])
def test_the_bound_holds_in_wide_tables_and_totals(shape):
    header, row = (("reference_date,rank,woman,man\n", "2024-12-31,inspector,5,2000000\n")
                   if shape == "wide" else
                   ("reference_date,rank,woman,man,total\n", "2024-12-31,inspector,5,2,2000007\n"))
    profile = "columns:\n  woman: gender=woman\n  man: gender=man\n" + (
        "  total: total\n" if shape == "total" else "")
    report = validate(header + row, profile)
    assert "count_too_large" in [p.code for p in report.errors]


@pytest.mark.parametrize("language, rank_words, gender_words", [
    ("nl", "Aanvaarde graden: Agent van politie, Inspecteur, Hoofdinspecteur",
     "Onbekende waarde voor geslacht. Aanvaard: vrouw, man, x, wil niet zeggen, onbekend."),
    ("fr", "Grades acceptés : Agent de police, Inspecteur, Inspecteur principal",
     "Valeur inconnue pour genre. Valeurs acceptées : femme, homme, x, ne souhaite pas "
     "répondre, inconnu."),
])
def test_accepted_values_are_listed_in_the_reader_s_language(language, rank_words, gender_words):
    report = validate_file(b"reference_date,rank,gender\n2024,aspirant,vrouwelijk persoon\n",
                           "x.csv", None, "Gent")
    messages = [p.message(language) for p in report.errors]
    assert any(rank_words in m for m in messages), messages
    assert gender_words in messages
    assert not any(english in m for m in messages for english in ("woman", "Chief", "unknown"))


@pytest.mark.parametrize("content, code, french", [
    (b"date,movement,rank,gender\n2024-03-01,arrival,agent,man\n", "unknown_movement",
     "Acceptés : recrutement, départ, promotion"),
    (b"date,movement,rank,gender,leave_reason\n2024-03-01,leave,agent,man,moved away\n",
     "unknown_leave_reason", "démission"),
])
def test_accepted_movements_and_reasons_are_listed_in_french(content, code, french):
    from cpwb_stats.pipeline import validate_file as validate

    report = validate(content, "m.csv", None, "Gent", kind="movements")
    message = next(p.message("fr") for p in report.errors if p.code == code)
    assert french in message, message
    assert "resignation" not in message and "hire, leave" not in message


def test_an_identifier_column_is_not_also_offered_for_mapping():
    """Issue 12 item 4: a refused identifier column is not 'not used ... Map them'."""
    report = validate("reference_date,rank,gender,Date of Birth,Notes\n"
                      "2024-12-31,agent,V,10/01/1979,x\n2024-12-31,agent,M,03/05/1985,y\n")
    assert not report.valid
    assert "Date of Birth" in {p.column for p in report.errors}
    unmapped = [p.column for p in report.warnings if p.code == "unmapped_columns"]
    assert unmapped == ["Notes"]


@pytest.mark.parametrize("language, line", [
    ("nl", "waarschuwing: kolom 'Opmerking': Deze kolom wordt niet gebruikt: Opmerking."),
    ("fr", "avertissement: colonne 'Opmerking': Cette colonne n'est pas utilisée : Opmerking."),
    ("en", "warning: column 'Opmerking': This column is not used: Opmerking.")])
def test_an_unused_column_is_named_as_a_column_not_as_a_value(tmp_path, capsys, language, line):
    from cpwb_stats.cli.main import main

    extract = tmp_path / "gent.csv"
    extract.write_text("reference_date,rank,gender,Opmerking\n"
                       "2024-12-31,agent,V,nieuw\n2024-12-31,agent,M,\n")
    assert main(["validate", str(extract), "--zone", "Gent", "--lang", language]) == 0
    printed = capsys.readouterr()
    assert line in printed.out + printed.err
    report = validate("reference_date,rank,gender,Opmerking,Notes\n2024-12-31,agent,V,x,y\n")
    assert [(p.column, p.value) for p in report.warnings if p.code == "unmapped_columns"] == [
        ("Opmerking, Notes", None)]
    assert "These columns are not used: Opmerking, Notes." in report.warnings[0].message("en")


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_an_unknown_rank_beside_a_staff_category_is_named_once_never_as_an_internal_code(language):
    """A new user's row 'Brigadier;operationeel' read: the rank 'Brigadier' belongs to the
    staff category '__total__', not this one (beside the right message, unknown rank)."""
    content = (b"peildatum;graad;personeelscategorie;geslacht\n"
               b"2024-12-31;Brigadier;operationeel;vrouw\n")
    report = validate_file(content, "bad.csv", default_zone="Gent")
    assert [(p.row, p.code) for p in report.errors] == [(2, "unknown_rank")]
    assert not any("__total__" in p.message(language) for p in report.errors + report.warnings)
