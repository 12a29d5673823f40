"""DESIGN 4: "a view whose filtered population is below a floor is refused, not shown".

The floor is 4 k (20 people by default). A zone and period with fewer people is refused with
a message the reader can act on, in their language, on the command line, on the page and in
every download, and nothing of it is shown.
"""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cpwb_stats.cli.main import main
from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.output.publication import ZoneData, publication
from cpwb_stats.pipeline import validate_file
from cpwb_stats.problems import ExtractRejected
from tests.conftest import ROOT

FLOOR_WORDS = {"en": "Too few people to show", "nl": "Te weinig mensen om te tonen",
               "fr": "Trop peu de personnes pour afficher"}


def _file(people: int, zone: str = "Tiny", period: str = "2024-12-31") -> str:
    """``people`` inspectors, 6 of them women, on one date."""
    return "".join(f"{period},{zone},inspector,operational,{'F' if i < 6 else 'M'}\n"
                   for i in range(people))


HEADER = "reference_date,zone,rank,staff_category,gender\n"


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_the_command_line_refuses_a_zone_of_19_people_in_the_reader_s_language(
        tmp_path, capsys, language):
    path = tmp_path / "tiny.csv"
    path.write_text(HEADER + _file(19))
    assert main(["--lang", language, "representation", str(path), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert FLOOR_WORDS[language] in err and "20" in err


def test_the_command_line_shows_a_zone_of_20_people():
    """The floor itself is allowed: 20 people are shown (6 women is at least k)."""
    extract = validate_file((HEADER + _file(20)).encode(), "twenty.csv").extract
    from cpwb_stats.pipeline import RepresentationRequest, protected_representation

    table = protected_representation(extract, RepresentationRequest(policy=DisclosurePolicy()))
    whole = table[(table["staff_category"] == "all") & (table["group"] == "woman")]
    assert whole["count"].tolist() == [6]


def test_the_command_line_csv_download_of_a_small_zone_is_refused(tmp_path, capsys):
    path = tmp_path / "tiny.csv"
    path.write_text(HEADER + _file(16))
    assert main(["representation", str(path), "--format", "csv"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and FLOOR_WORDS["en"] in err


def test_the_open_data_package_of_a_period_below_the_floor_is_refused():
    """A zone with 40 people in 2023 and 16 in 2024: the 2024 package is refused as a whole
    (not published with its representation tables left out and the rest in)."""
    content = HEADER + _file(40, period="2023-12-31") + _file(16)
    extract = validate_file(content.encode(), "two.csv").extract
    with pytest.raises(ExtractRejected) as refused:
        publication(ZoneData(extract), "Tiny", "2024-12-31", DisclosurePolicy())
    assert [p.code for p in refused.value.problems] == ["population_below_floor"]
    shown = publication(ZoneData(extract), "Tiny", "2023-12-31", DisclosurePolicy())
    assert "representation" in shown.tables


@pytest.fixture
def fresh_caches(data_dir):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_page_refuses_a_zone_below_the_floor_and_offers_no_download(fresh_caches, language):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.session_state["language"] = language
    at.session_state["_requested_page"] = "pages/representation.py"
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="upload_zone").set_value("Tiny").run()
    at.file_uploader(key="upload").set_value(("tiny.csv", (HEADER + _file(16)).encode(),
                                              "text/csv")).run()
    at.button(key="use_extract").click().run()
    at.switch_page("pages/representation.py").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(FLOOR_WORDS[language] in e for e in errors), errors
    assert not any("went wrong" in e or "misgelopen" in e for e in errors)
    assert len(at.dataframe) == 0 and len(at.get("plotly_chart")) == 0
    assert len(at.get("download_button")) == 0
    assert not at.metric
