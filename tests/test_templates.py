import io

import openpyxl
import pytest

from cpwb_stats.i18n import LANGUAGES
from cpwb_stats.output.templates import WORKFORCE_TEMPLATE_FIELDS, template_bytes, template_headers
from cpwb_stats.pipeline import validate_file

FILLED = {"reference_date": "31/12/2024", "zone": "Gent", "rank": "inspector",
          "staff_category": "", "gender": None, "migration_background": None,
          "disability": None, "age_band": "25-34", "entry_year": "2019", "fte": "0,8"}
GROUP_WORDS = {"en": ("woman", "yes", "no"), "nl": ("vrouw", "ja", "nee"),
               "fr": ("femme", "oui", "non")}


def filled_row(language: str) -> list[str]:
    woman, yes, no = GROUP_WORDS[language]
    values = dict(FILLED, gender=woman, migration_background=yes, disability=no,
                  fte="0.8" if language == "en" else "0,8")
    return [values[name] for name in WORKFORCE_TEMPLATE_FIELDS]


@pytest.mark.parametrize("language", LANGUAGES)
def test_filled_csv_template_validates_in_every_language(language):
    blank = template_bytes("workforce", "csv", language).decode("utf-8-sig")
    delimiter = "," if language == "en" else ";"
    content = blank + delimiter.join(filled_row(language)) + "\n"
    report = validate_file(content.encode("utf-8"), "template.csv")
    assert report.valid, [p.message("en") for p in report.errors]
    assert report.warnings == ()


@pytest.mark.parametrize("language", LANGUAGES)
def test_xlsx_template_has_a_data_dictionary_in_the_language(language):
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("workforce", "xlsx", language)))
    data, dictionary = book.worksheets
    headers = [c.value for c in data[1]]
    assert headers == template_headers("workforce", language)
    described = [row[0].value for row in dictionary.iter_rows(min_row=2)]
    assert described == headers
    assert all(row[2].value for row in dictionary.iter_rows(min_row=2))


def test_filled_xlsx_template_validates():
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("workforce", "xlsx", "nl")))
    book.worksheets[0].append(filled_row("nl"))
    buffer = io.BytesIO()
    book.save(buffer)
    assert validate_file(buffer.getvalue(), "t.xlsx").valid
