import pandas as pd
import pytest

from cpwb_stats.identifiers import find_identifiers, is_national_register_number


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
