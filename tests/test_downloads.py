"""Every page's downloads read in the reader's language: headers, codes, separators (issue 15).

The files are captured as the page hands them to the browser, and read back with the ``csv``
module, as a spreadsheet would read them; the expected headers are written out by hand.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime import memory_media_file_storage
from streamlit.testing.v1 import AppTest

from cpwb_stats.i18n import LANGUAGES, translate
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.schemas import Representation
from cpwb_ui import downloads, targets_view
from tests.conftest import ROOT, SAMPLE_DATA

# Codes and English words that must never reach a Dutch or French reader's file.
CODES = {"migration_background", "operational", "calog", "inspector", "hidden", "True", "False",
         "all", "yes", "no", "undisclosed", "unknown", "average", "applied", "pooled", "woman",
         "man", "other_or_not_stated"}

HEADERS = {
    ("representation", "nl"): ["Periode", "Zone", "Personeelscategorie", "Graad", "Dimensie",
                               "Groep", "Personen", "Opgegeven", "Personeelsbestand", "Aandeel"],
    ("representation", "fr"): ["Période", "Zone", "Catégorie de personnel", "Grade",
                               "Dimension", "Groupe", "Personnes", "Déclarés", "Effectif",
                               "Part"],
    ("recruitment", "nl"): ["Campagne", "Zone", "Groep", "Stap", "Aan de stap begonnen",
                            "Geslaagd voor de stap", "Slaagpercentage"],
    ("recruitment", "fr"): ["Campagne", "Zone", "Groupe", "Étape", "Entrés dans l'étape",
                            "Ont réussi l'étape", "Taux de réussite"],
    ("retention", "nl"): ["Periode", "Zone", "Personeelscategorie", "Graad", "Dimensie",
                          "Groep", "Vertrekkers", "Ontslagnemingen", "Aanwervingen"],
    ("retention", "fr"): ["Période", "Zone", "Catégorie de personnel", "Grade", "Dimension",
                          "Groupe", "Départs", "Démissions", "Recrutements"],
    ("targets", "nl"): ["Zone", "Dimensie", "Groep", "Bereik", "Doel (%)", "Termijn",
                        "Basisperiode", "Waarom (toelichting)"],
    ("targets", "fr"): ["Zone", "Dimension", "Groupe", "Portée", "Objectif (%)", "Échéance",
                        "Période de base", "Pourquoi (note)"],
}

# The files' names in the reader's words, written out by hand.
FILE_NAMES = {
    "nl": {"representation": "vertegenwoordiging_migratieachtergrond.csv",
           "recruitment": "wervingstrechter_migratieachtergrond.csv",
           "targets": "streefcijfers.csv",
           "retention": "vertrekpercentages_migratieachtergrond.csv"},
    "fr": {"representation": "representation_origine_migratoire.csv",
           "recruitment": "entonnoir_origine_migratoire.csv",
           "targets": "objectifs.csv",
           "retention": "taux_de_depart_origine_migratoire.csv"},
}


@pytest.fixture
def captured(monkeypatch, data_dir):
    """Every file a page offers for download, by file name, as the browser would receive it."""
    files: dict[str, bytes] = {}
    original = memory_media_file_storage.MemoryMediaFileStorage.load_and_get_id

    def keep(self, data, mimetype, kind, filename=None):
        files[filename] = data
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(memory_media_file_storage.MemoryMediaFileStorage, "load_and_get_id",
                        keep)
    # A file written only when its button is clicked: made here as the click would make it.
    offered = DeltaGenerator.download_button

    def clicked(self, label, data, *args, **kwargs):
        if callable(data):
            made = data()
            files[kwargs.get("file_name")] = made if isinstance(made, bytes) else made.encode()
        return offered(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", clicked)
    st.cache_data.clear()
    yield files
    st.cache_data.clear()


def open_page(language: str, page: str) -> AppTest:
    # A language test, not a speed test: the pages may take long on a busy machine.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=360)
    at.session_state["language"] = language
    at.session_state["_requested_page"] = f"pages/{page}.py"
    at.session_state["zone"] = "Gent (demo)"
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


def read_csv(content: bytes, language: str) -> list[dict[str, str]]:
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";" if language != "en" else ","))


def number(text: str, language: str) -> float | None:
    if text == "":
        return None
    return float(text.replace(",", ".") if language != "en" else text)


def cells(rows: list[dict[str, str]]) -> set[str]:
    return {value for row in rows for value in row.values()}


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_page_s_downloads_speak_the_reader_s_language(captured, language):
    for page, name in FILE_NAMES[language].items():
        captured.clear()
        open_page(language, page)
        rows = read_csv(captured[name], language)
        assert rows, page
        headers = list(rows[0])
        assert headers[:len(HEADERS[page, language])] == HEADERS[page, language], page
        english = {h for h in headers if h == translate(f"download.col.{h}", "en")}
        assert not english, (page, english)
        assert not CODES & cells(rows), (page, CODES & cells(rows))


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_representation_download_numbers_read_back_with_the_reader_s_decimal_comma(
        captured, language):
    open_page(language, "representation")
    rows = read_csv(captured[FILE_NAMES[language]["representation"]], language)
    headers = HEADERS["representation", language]
    people, declared, share = headers[6], headers[7], headers[9]
    checked = 0
    for row in rows:
        if row[people] and row[declared] and row[share]:
            # a share is count / declared, worked out by hand from the same row, and reads
            # with 4 decimals (0,4469), not every digit of a float
            by_hand = number(row[people], language) / number(row[declared], language)
            assert number(row[share], language) == round(by_hand, 4)
            assert len(row[share].partition(",")[2]) <= 4
            checked += 1
    assert checked > 10
    hidden = {"nl": "verborgen", "fr": "masqué"}[language]
    assert any(row[people] == "" for row in rows if hidden in row.values())
    workbook = FILE_NAMES[language]["representation"].replace(".csv", ".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(captured[workbook]))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:10] == HEADERS["representation", language]
    # shares are numbers shown as percentages (55,3 %), not fractions printed as 0.5531...
    shares = [row[9] for row in sheet.iter_rows(min_row=2) if row[9].value is not None]
    assert shares and all(isinstance(c.value, float) and 0 <= c.value <= 1 for c in shares)
    assert {c.number_format for c in shares} == {"0.0%"}
    counts = [row[6] for row in sheet.iter_rows(min_row=2) if row[6].value is not None]
    assert counts and {c.number_format for c in counts} == {"General"}


def test_english_downloads_keep_commas_and_points():
    table = pd.DataFrame({"share": [0.25], "group": ["yes"], "dimension": ["gender"]})
    text = downloads.csv_bytes(downloads.reader_table(table, "en"), "en").decode("utf-8-sig")
    assert text.splitlines()[1] == "0.25,yes,Gender"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_column_of_a_published_table_has_a_header_in_every_language(language):
    columns = set(Representation.to_schema().columns) | {
        "campaign", "stage", "entered", "passed", "pass_rate", "cumulative_rate", "shortfall",
        "reference_group", "insufficient_data", "impact_ratio", "p_fisher", "z_score",
        "one_person_flips", "below_four_fifths", "campaigns", "p_cmh", "leavers",
        "resignations", "hires", "start", "end", "start_headcount", "end_headcount",
        "average_headcount", "headcount_basis", "leaver_rate", "resignation_rate",
        "relative_leaver_rate", "rr_ci_low", "rr_ci_high", "p_value"}
    missing = {c for c in columns if downloads.header(c, language) == c}
    assert not missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_exported_targets_file_is_imported_back_as_the_same_targets(language):
    with open(SAMPLE_DATA / "targets.csv", encoding="utf-8", newline="") as handle:
        gent = [r for r in csv.DictReader(handle) if r["zone"] == "Gent"]
    rows = pd.DataFrame(gent).drop(columns="zone").assign(
        target_share=[float(r["target_share"].rstrip("%")) / 100 for r in gent])
    dimensions = _demo_dimensions()
    exported = targets_view.export_rows(rows, "targets", "Gent", dimensions, BELGIAN_POLICE,
                                        language)
    back = targets_view.read_reference(downloads.csv_bytes(exported, language), "targets",
                                       dimensions, BELGIAN_POLICE)
    assert back["scope"].tolist() == [r["scope"] for r in gent]
    assert back["group"].tolist() == [r["group"] for r in gent]
    assert back["dimension"].tolist() == [r["dimension"] for r in gent]
    assert back["target_share"].tolist() == pytest.approx(
        [float(r["target_share"].rstrip("%")) / 100 for r in gent])
    assert back["deadline"].tolist() == [r["deadline"] for r in gent]


def _demo_dimensions() -> dict:
    from cpwb_stats.pipeline import validate_file

    report = validate_file((SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "gent.csv", None,
                           "Gent", "workforce", None)
    return report.extract.dimensions


@pytest.mark.parametrize("language, names", [
    ("en", ["representation_migration_background_yes.png", "workforce_template.xlsx",
            "leaver_rates_2024_12_31_gender.csv"]),
    ("nl", ["vertegenwoordiging_migratieachtergrond_ja.png", "sjabloon_personeel.xlsx",
            "vertrekpercentages_2024_12_31_geslacht.csv"]),
    ("fr", ["representation_origine_migratoire_oui.png", "modele_personnel.xlsx",
            "taux_de_depart_2024_12_31_genre.csv"])])
def test_download_file_names_are_in_the_reader_s_words_and_plain_letters(language, names):
    made = [downloads.file_name("representation", language, dimension="migration_background",
                                group="yes", suffix="png"),
            downloads.file_name("template_workforce", language, suffix="xlsx"),
            downloads.file_name("leaver_rates", language, "2024-12-31", dimension="gender",
                                suffix="csv")]
    assert made == names
