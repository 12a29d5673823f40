"""The everyday flow of a zone's HR officer, page by page through Streamlit's AppTest."""

import csv
import hashlib
import io

import pytest
import streamlit as st

from cpwb_stats import stored
from cpwb_stats.access import SYSTEM
from cpwb_stats.database import database_url
from cpwb_stats.startup import open_workspace
from tests.conftest import SAMPLE_DATA
from tests.test_app import make_account, open_app, sign_in, texts


@pytest.fixture(autouse=True)
def fresh_caches(data_dir):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def with_zone_column(path, zone: str) -> bytes:
    """The sample file with a zone column added, written with the csv module."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([*rows[0], "zone"])
    writer.writerows([*row, zone] for row in rows[1:])
    return out.getvalue().encode("utf-8")


def uploader(at):
    """The page's file picker for the extract (its key changes once a file is stored)."""
    return next(f for f in at.file_uploader if str(f.key).startswith("upload"))


def store_button(at):
    return at.button(key="store_extract")


def test_the_page_names_the_zone_of_the_rows_and_the_button_says_so():
    at = sign_in(open_app(), make_account("ada", "admin"))
    at.switch_page("pages/upload.py").run()
    at.text_input(key="upload_zone").set_value("Antwerpen").run()
    uploader(at).set_value(("z.csv", with_zone_column(SAMPLE_DATA / "workforce_gent.csv", "5330"),
                            "text/csv")).run()
    assert not at.exception
    assert "The rows of this file belong to: 5330." in texts(at)
    assert any("You chose the zone Antwerpen, but the file's own zone column says 5330" in w.value
               for w in at.warning)
    assert store_button(at).label == "Store as a new version for 5330"
    store_button(at).click().run()
    assert not at.exception
    engine = open_workspace(database_url())
    assert [z.name for z in stored.visible_zones(engine, SYSTEM) if not z.demo] == ["5330"]


def test_a_byte_identical_re_upload_is_named_and_not_stored_again():
    engine = open_workspace(database_url())
    make_account("erik", "zone_editor", ("Gent",))
    at = sign_in(open_app(), "erik")
    content = (SAMPLE_DATA / "workforce_gent.csv").read_bytes()
    at.switch_page("pages/upload.py").run()
    uploader(at).set_value(("first.csv", content, "text/csv")).run()
    assert store_button(at).label == "Store as a new version for Gent"
    store_button(at).click().run()
    assert not at.exception
    assert "Stored for Gent" in texts(at)
    # the zone just stored is the one the sidebar now follows, and the picker is empty again
    assert at.session_state["zone"] == "Gent"
    assert uploader(at).value is None
    uploader(at).set_value(("again.csv", content, "text/csv")).run()
    digest = hashlib.sha256(content).hexdigest()
    message = next(i.value for i in at.info if "already stored" in i.value)
    assert "version 1" in message and digest[:12] in message
    assert store_button(at).disabled
    history = stored.history(engine, SYSTEM, "Gent")
    assert history["sha256"].tolist() == [digest] * len(history)
    assert history["version"].max() == 1


def test_coming_back_to_the_upload_page_forgets_the_file():
    at = open_app()
    at.switch_page("pages/upload.py").run()
    uploader(at).set_value(("g.csv", (SAMPLE_DATA / "workforce_gent.csv").read_bytes(),
                            "text/csv")).run()
    assert "The extract is valid" in texts(at)
    at.switch_page("pages/about.py").run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    assert uploader(at).value is None
    assert "The extract is valid" not in texts(at)


@pytest.mark.parametrize("kind, words", [("applicants", "Applicants (a recruitment campaign)"),
                                         ("movements", "Movements (hires, leavers, promotions)")])
def test_the_upload_page_names_the_kind_chosen_and_offers_one_drop_zone(kind, words):
    at = open_app()
    at.switch_page("pages/upload.py").run()
    at.radio(key="upload_kind").set_value(kind).run()
    assert uploader(at).label.startswith(words)
    assert "workforce" not in " ".join(f.label.lower() for f in at.file_uploader)
    assert not any("Targets file" in f.label for f in at.file_uploader)
