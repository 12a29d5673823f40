import pandas as pd
import pytest

from cpwb_stats.contract.extracts import validate_file
from cpwb_stats.ingest.identifiers import find_identifiers, is_national_register_number
from cpwb_stats.ingest.load import list_sheets, read_extract
from cpwb_stats.ingest.mapping import profile_from_yaml
from cpwb_stats.problems import ExtractRejected
from tests.conftest import SAMPLE_DATA, SHARED_DATA


def national_number(first_nine: str, after_2000: bool = False) -> str:
    base = int(first_nine) + (2_000_000_000 if after_2000 else 0)
    return f"{first_nine}{97 - base % 97:02d}"


@pytest.mark.parametrize("text, valid", [
    (national_number("850730033"), True),
    (national_number("010203123", after_2000=True), True),
    ("85.07.30-033." + national_number("850730033")[-2:], True),
    ("85073003300", False),
    ("1234567890", False),
    ("2024-12-31", False),
])
def test_national_register_numbers_need_valid_check_digits(text, valid):
    assert is_national_register_number(text) is valid


@pytest.mark.parametrize("header", [
    "Name", "Naam", "Nom", "Prénom", "Voornaam", "Rijksregisternummer",
    "Numéro de registre national", "National register number", "Personeelsnummer",
    "Matricule", "E-mail", "Courriel", "Telefoon", "Téléphone", "GSM", "Geboortedatum",
    "Date de naissance", "Date of birth", "Adres", "Adresse", "Address",
])
def test_identifier_headers_in_three_languages(header):
    cells = pd.DataFrame({header: ["x"], "rank": ["agent"]}, index=[2])
    problems = find_identifiers(cells)
    assert [(p.code, p.column) for p in problems] == [("identifier_header", header)]


@pytest.mark.parametrize("value, kind", [
    ("jan.peeters@politie.be", "email"),
    (national_number("920115123"), "national_register_number"),
    ("0475 12 34 56", "phone"),
    ("+32 9 266 61 11", "phone"),
    ("02/123.45.67", "phone"),
])
def test_identifier_values_whatever_the_column_is_called(value, kind):
    cells = pd.DataFrame({"opmerking": ["", "ok", value]}, index=[2, 3, 4])
    problems = find_identifiers(cells)
    assert len(problems) == 1
    assert (problems[0].row, problems[0].column, problems[0].params["kind"]) == (4, "opmerking",
                                                                                 kind)
    assert problems[0].value is None, "the identifier itself must never be repeated"


@pytest.mark.parametrize("value", ["2024-12-31", "31/12/2024", "1 084", "1.084", " - ",
                                   "Force Name", "2015", "0,8", "01/12/2024", "100000000"])
def test_ordinary_cells_are_not_identifiers(value):
    cells = pd.DataFrame({"Force Name": [value], "count": [value]}, index=[2])
    assert find_identifiers(cells) == []


HR_EXPORT = """Worker,Primary Home Address,Other IDs,Date of Birth,Rank,Gender,As of
Jan Peeters (012345),Kerkstraat 12 9000 Gent,SAP 0012345,1985-03-14,Inspecteur,M,2024-12-31
Marie Dubois (012346),Rue de la Loi 16 1000 Bruxelles,SAP 0012346,1990-11-02,Agent,V,2024-12-31
"""


def test_an_hr_export_is_refused_column_by_column_though_the_profile_maps_two():
    profile = profile_from_yaml("columns:\n  Rank: rank\n  Gender: gender\n"
                                "  As of: reference_date\n")
    report = validate_file(HR_EXPORT.encode(), "export.csv", profile, "Gent")
    assert not report.valid
    assert [(p.column, p.params["kind"]) for p in report.errors] == [
        ("Worker", "name"), ("Primary Home Address", "address"),
        ("Other IDs", "personnel_number"), ("Date of Birth", "birth_date")]
    assert not any(v in str(p.as_dict()) for p in report.errors
                   for v in ("Peeters", "Kerkstraat", "0012345", "1985"))


@pytest.mark.parametrize("header, kind", [
    ("Worker", "name"), ("Employee", "name"), ("Legal Name", "name"), ("Preferred Name", "name"),
    ("Employee Name", "name"), ("Naam medewerker", "name"), ("Nom de l'agent", "name"),
    ("Last Name", "name"), ("Achternaam", "name"), ("Nom de famille", "name"),
    ("Primary Home Address", "address"), ("Home Address - Street", "address"),
    ("Adres", "address"), ("Woonadres", "address"), ("Adresse postale", "address"),
    ("Postcode", "address"),
    ("Other IDs", "personnel_number"), ("Employee ID", "personnel_number"),
    ("Worker ID", "personnel_number"), ("Personnel Number", "personnel_number"),
    ("Pers.No.", "personnel_number"), ("PERNR", "personnel_number"),
    ("Personeelsnummer", "personnel_number"), ("Stamnummer", "personnel_number"),
    ("Matricule", "personnel_number"), ("Numéro de matricule", "personnel_number"),
    ("Date of Birth", "birth_date"), ("Birth Date", "birth_date"), ("DOB", "birth_date"),
    ("Geboortedatum", "birth_date"), ("Date de naissance", "birth_date"),
    ("Work Email", "email"), ("E-mailadres", "email"), ("Adresse e-mail", "email"),
    ("Mobile Phone", "phone"), ("Telefoonnummer", "phone"), ("Numéro de téléphone", "phone"),
    ("INSZ-nummer", "national_register_number"), ("NISS", "national_register_number"),
    ("National Insurance Number", "national_register_number"),
])
def test_identifier_headers_in_hr_system_spellings(header, kind):
    cells = pd.DataFrame({header: ["x"], "rank": ["agent"]}, index=[2])
    assert [(p.column, p.params["kind"]) for p in find_identifiers(cells)] == [(header, kind)]


@pytest.mark.parametrize("header", [
    "Force Name", "Organisation", "organisation_grouping", "Rank description", "Geo code",
    "Staff category", "Country of birth", "Geboorteland", "Year joined", "Ethnic group",
    "Region", "Worker type", "Age band", "Naam zone", "gender_prefernottosay", "link_to_dei_info",
])
def test_ordinary_headers_are_not_identifiers(header):
    cells = pd.DataFrame({header: ["x"]}, index=[2])
    assert find_identifiers(cells) == []


@pytest.mark.parametrize("values, kind", [
    (["", "Firstname Lastname (012345)"], "name"),
    (["Sophie Van den Broeck (E01234)"], "name"),
    (["Kerkstraat 12, 9000 Gent"], "address"),
    (["Rue de la Loi 16, 1000 Bruxelles"], "address"),
    (["12 High Street, Leeds"], "address"),
    (["Leeds LS1 1UR"], "address"),
    (["Jan Peeters", "Marie Dubois", "Tom Janssens", "Fatima El Amrani"], "name"),
    (["Peeters, Jan", "Dubois, Marie", "Janssens, Tom"], "name"),
    (["E01234", "E01235", "E02001", "E03310", "E04777"], "personnel_number"),
    (["012345", "012346", "020001", "033100", "047770"], "personnel_number"),
    (["1985-03-14", "1990-11-02", "1972-06-30", "1999-01-01", "1968-12-24"], "birth_date"),
    (["14/03/1985", "02/11/1990", "30/06/1972", "01/01/1999", "24/12/1968"], "birth_date"),
])
def test_identifier_values_in_a_column_with_an_innocent_header(values, kind):
    cells = pd.DataFrame({"kolom": values}, index=range(2, 2 + len(values)))
    problems = find_identifiers(cells)
    assert [(p.column, p.params["kind"]) for p in problems] == [("kolom", kind)]
    assert problems[0].value is None


@pytest.mark.parametrize("values", [
    ["Leeds City Council", "Calderdale Council", "Kelda group Plc", "Leeds Trinity University"],
    ["West Midlands", "Thames Valley", "London, City of", "Avon & Somerset", "North Wales"],
    ["Gent", "Brussel-Elsene/Bruxelles-Ixelles", "Charleroi", "Antwerpen", "Sint-Niklaas"],
    ["E23000014", "E23000015", "E23000016", "E23000017", "E23000018"],
    ["2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31", "2020-12-31"],
    ["1976", "1 084", "250", "12", "7"],
    ["Agent van politie", "Hoofdinspecteur", "Commissaris", "Niveau A", "CALog B"],
    ["constable", "sergeant", "inspector", "chief-inspector", "superintendent"],
])
def test_ordinary_columns_are_not_identifiers(values):
    cells = pd.DataFrame({"kolom": values}, index=range(2, 2 + len(values)))
    assert find_identifiers(cells) == []


@pytest.mark.parametrize("name", ["workforce_gent.csv", "workforce_charleroi.csv",
                                  "movements_gent.csv", "applicants_gent.csv"])
def test_the_sample_files_carry_no_identifiers(name):
    assert find_identifiers(read_extract((SAMPLE_DATA / name).read_bytes(), name).cells) == []


@pytest.mark.parametrize("name", ["leeds-city-region-workforce-diversity.csv",
                                  "uk-home-office-officers-by-rank-2003-2006.csv"])
def test_real_published_tables_carry_no_identifiers(name):
    assert find_identifiers(read_extract((SHARED_DATA / name).read_bytes(), name).cells) == []


# --- Identifiers that HR systems write otherwise (issue 12, item 6 leftovers) ------------------

@pytest.mark.parametrize("header", [
    "Geb. datum", "Geb.datum", "Geboortedatum", "Geboren op", "Né(e) le", "Né le", "Née le",
    "Date de naissance", "Date naiss.", "GBDAT", "Geburtsdatum", "Geb.-Datum", "D.O.B.", "DoB",
])
def test_birth_date_headers_in_every_spelling(header):
    cells = pd.DataFrame({header: ["x"], "rank": ["agent"]}, index=[2])
    assert [(p.column, p.params["kind"]) for p in find_identifiers(cells)] == [
        (header, "birth_date")]


@pytest.mark.parametrize("header, kind", [
    ("Vorname", "name"), ("Nachname", "name"), ("NACHN", "name"), ("VORNA", "name"),
    ("Personalnummer", "personnel_number"), ("Anschrift", "address"), ("PSTLZ", "address"),
    ("Telefonnummer", "phone"),
])
def test_german_and_sap_headers(header, kind):
    cells = pd.DataFrame({header: ["x"], "rank": ["agent"]}, index=[2])
    assert [(p.column, p.params["kind"]) for p in find_identifiers(cells)] == [(header, kind)]


def test_sap_birth_dates_written_as_eight_digits_are_birth_dates_by_value_too():
    """SAP's GBDAT as it is exported: 19800115. Under an innocent header, by value alone."""
    cells = pd.DataFrame({"veld 7": ["19800115", "19720630", "19911102"]}, index=[2, 3, 4])
    assert [(p.column, p.row, p.params["kind"]) for p in find_identifiers(cells)] == [
        ("veld 7", 2, "birth_date")]


@pytest.mark.parametrize("values", [
    ["1985-03-14"], ["14/03/1985", "02/11/1990"], ["1972-06-30", "1999-01-17", "1968-12-24"],
    ["19800115"], ["1942-05-08", "2009-10-21"],
])
def test_a_small_column_of_birth_dates_is_recognised_by_value(values):
    cells = pd.DataFrame({"kolom": values, "rank": ["agent"] * len(values)},
                         index=range(2, 2 + len(values)))
    assert [(p.column, p.params["kind"]) for p in find_identifiers(cells)] == [
        ("kolom", "birth_date")]


@pytest.mark.parametrize("values", [
    ["2024-12-31"], ["2008-12-31", "2009-12-31"], ["31/03/2006", "30/06/2006"],
    ["2021-01-01", "2022-01-01", "2023-01-01"], ["1985"], ["2024-03-14"], ["1939-06-15"],
    ["20241231"],
])
def test_dates_of_reference_and_other_dates_are_not_birth_dates(values):
    cells = pd.DataFrame({"kolom": values}, index=range(2, 2 + len(values)))
    assert find_identifiers(cells) == []


def test_a_few_dates_in_a_column_read_as_a_field_are_not_birth_dates():
    """The same dates are birth dates in a column read as nothing, and what the field says in
    a column mapped to one (a movements file of 2005-2009 read as movement dates)."""
    cells = pd.DataFrame({"Datum": ["2005-03-14", "2009-11-02"]}, index=[2, 3])
    assert find_identifiers(cells, mapped=["Datum"]) == []
    assert [p.params["kind"] for p in find_identifiers(cells)] == ["birth_date"]


@pytest.mark.parametrize("value", [
    "PEETERS Jan", "VAN DEN BROECK Sophie", "Willems K. (6551)", "Dupont, Marie",
    "PEETERS Jan (012345)", "Van den Broeck S.J. (E01234)", "Janssens, Tom",
])
def test_one_person_written_as_hr_systems_list_people_is_a_name(value):
    cells = pd.DataFrame({"opmerking": ["", value]}, index=[2, 3])
    problems = find_identifiers(cells)
    assert [(p.column, p.row, p.params["kind"]) for p in problems] == [("opmerking", 3, "name")]
    assert value not in str(problems[0].as_dict())


@pytest.mark.parametrize("values", [
    ["Willems K.", "Peeters J.", "Dubois M.-L.", "Claes A.B."],
    ["PEETERS Jan", "DUBOIS Marie", "JANSSENS Tom"],
])
def test_a_column_of_names_written_as_hr_systems_write_them(values):
    cells = pd.DataFrame({"kolom": values}, index=range(2, 2 + len(values)))
    assert [(p.column, p.params["kind"]) for p in find_identifiers(cells)] == [("kolom", "name")]


@pytest.mark.parametrize("value", [
    "Zone Gent (5415)", "PZ Antwerpen (5345)", "Antwerpen", "Brussel-Elsene/Bruxelles-Ixelles",
    "CALog B", "INP", "HINP", "Agent van politie", "Commissaris", "Campagne 2024-1",
    "Selectie Gent 2023", "Niveau A", "London, City of", "Avon & Somerset", "DRI Antwerpen",
    "CP Charleroi", "Total", "2024-12-31",
])
def test_ranks_zones_and_campaigns_are_not_names(value):
    cells = pd.DataFrame({"kolom": [value, value, value]}, index=[2, 3, 4])
    assert find_identifiers(cells) == []
    assert find_identifiers(pd.DataFrame({"kolom": [value]}, index=[2])) == []


SHARED_FILES = sorted(p for p in SHARED_DATA.iterdir() if p.suffix in (".csv", ".ods"))
SAMPLE_FILES = sorted(SAMPLE_DATA.glob("*.csv"))


@pytest.mark.parametrize("path", SHARED_FILES + SAMPLE_FILES, ids=lambda p: p.name)
def test_every_real_and_sample_file_reads_without_an_identifier_alarm(path):
    content = path.read_bytes()
    sheets = list_sheets(content) or [None]
    for sheet in sheets:
        try:
            raw = read_extract(content, path.name, sheet)
        except ExtractRejected:
            continue  # a sheet of notes, without a table: nothing to look at
        assert find_identifiers(raw.cells) == [], (path.name, sheet)
    assert len(SHARED_FILES) >= 4 and len(SAMPLE_FILES) >= 10
