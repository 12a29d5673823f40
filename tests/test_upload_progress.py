"""The upload page says which stage a file is in (reading, checking, counting), in the reader's
language, and keeps nothing of a file that fails."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cpwb_stats.demo.startup import open_workspace
from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import SYSTEM
from cpwb_stats.workspace.database import database_url
from cpwb_ui import upload_flow
from tests.conftest import SAMPLE_DATA, SHARED_DATA
from tests.test_app import make_account, open_app, sign_in, texts

GENT = (SAMPLE_DATA / "workforce_gent.csv").read_bytes()
# An unknown rank: read and checked, never counted.
WRONG = b"reference_date,rank,gender\n2024,aspirant,man\n2024,agent,woman\n"

# What each stage is called, written out by hand in the three languages.
STAGES = {
    "en": ["Reading the file", "Checking every cell", "Counting the rows into tables"],
    "nl": ["Het bestand wordt gelezen", "Elke cel wordt gecontroleerd",
           "De rijen worden tot tabellen geteld"],
    "fr": ["Lecture du fichier", "Vérification de chaque cellule",
           "Comptage des lignes en tableaux"],
}
DONE = {"en": "File read and checked in ", "nl": "Bestand gelezen en gecontroleerd in ",
        "fr": "Fichier lu et vérifié en "}


@pytest.fixture(autouse=True)
def fresh_caches(data_dir):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def every_check_takes_a_moment(monkeypatch):
    """The small files of a test are checked in less than a moment: count every check as long,
    so the stages stay on the page to be read."""
    monkeypatch.setattr(upload_flow, "MOMENT", -1.0)


def upload(at: AppTest, name: str, content: bytes, zone: str = "Gent") -> AppTest:
    at.switch_page("pages/upload.py").run()
    at.text_input(key="upload_zone").set_value(zone).run()
    at.file_uploader(key="upload").set_value((name, content, "text/csv")).run()
    assert not at.exception
    return at


def stage_lines(at: AppTest) -> list[str]:
    (status,) = at.status
    return [m.value for m in status.markdown]


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_each_stage_of_a_valid_file_is_named_in_the_readers_language(
        language, every_check_takes_a_moment):
    at = upload(open_app(language), "gent.csv", GENT)
    (status,) = at.status
    assert status.label.startswith(DONE[language])
    lines = stage_lines(at)
    assert len(lines) == 3
    for line, stage in zip(lines, STAGES[language], strict=True):
        assert line.startswith(stage) and line.endswith(" s")


def test_a_file_found_wrong_is_never_counted_and_nothing_is_stored(every_check_takes_a_moment):
    from cpwb_stats.pipeline import store_file

    engine = open_workspace(database_url())
    _, versions = store_file(engine, SYSTEM, GENT, "gent.csv", None, "Gent", "workforce")
    before = stored.history(engine, SYSTEM, "Gent")
    assert len(before) == len(versions) == 4  # the file's four yearly snapshots
    at = sign_in(open_app("nl"), make_account("ada", "admin"))
    at = upload(at, "fout.csv", WRONG)
    assert "kan niet gebruikt worden" in texts(at)
    lines = stage_lines(at)
    assert [line.split(":")[0] for line in lines] == STAGES["nl"][:2]
    assert not [b for b in at.button if b.key == "store_extract"]
    assert stored.history(engine, SYSTEM, "Gent").equals(before)


def test_a_quick_check_leaves_nothing_behind(monkeypatch):
    monkeypatch.setattr(upload_flow, "MOMENT", 3600.0)
    at = upload(open_app(), "gent.csv", GENT)
    assert "The extract is valid: 5,304 rows" in texts(at)
    assert not at.status


def test_the_rerun_after_a_click_reuses_the_check(every_check_takes_a_moment, monkeypatch):
    at = upload(open_app("fr"), "gent.csv", GENT)
    assert len(at.status) == 1

    def no_second_check(*args, **kwargs):
        raise AssertionError("the same file was checked twice")

    monkeypatch.setattr(upload_flow, "validate_file", no_second_check)
    at.run()
    assert not at.exception
    assert not at.status  # nothing was checked: no stages to show
    assert "L'extrait est valide" in texts(at)


def test_a_new_file_is_checked_once_when_its_mapping_is_left_as_proposed(monkeypatch):
    checks = []
    real = upload_flow.validate_file

    def counted(*args, **kwargs):
        checks.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(upload_flow, "validate_file", counted)
    at = upload(open_app(), "gent.csv", GENT)
    assert "The extract is valid: 5,304 rows" in texts(at)
    assert checks == ["gent.csv"]


@pytest.mark.parametrize(("path", "kind", "mapping"), [
    (SAMPLE_DATA / "workforce_gent.csv", "workforce", None),
    (SAMPLE_DATA / "movements_gent.csv", "movements", None),
    (SAMPLE_DATA / "applicants_gent.csv", "applicants", None),
    (SAMPLE_DATA / "federal_police_2018_wide.csv", "workforce", "federal-police-wide.yaml"),
    (SHARED_DATA / "leeds-city-region-workforce-diversity.csv", "workforce",
     "leeds-city-region-diversity.yaml"),
    (SHARED_DATA / "uk-home-office-officers-by-rank-2003-2006.csv", "workforce",
     "uk-home-office-ethnicity.yaml"),
    (SHARED_DATA / "uk-home-office-police-workforce-2018-09-tables.ods", "workforce", None),
])
def test_the_proposed_mapping_written_out_gives_the_same_report(path, kind, mapping):
    """Why the page need not check a file again when its mapping is left as proposed."""
    from cpwb_stats.contract.extracts import validate_file
    from cpwb_stats.ingest.mapping import MappingProfile, profile_from_yaml

    given = profile_from_yaml((SAMPLE_DATA / "mappings" / mapping).read_text()) if mapping \
        else MappingProfile(kind=kind)
    content = path.read_bytes()
    first = validate_file(content, path.name, given, "Gent", kind)
    proposed = {header: target for header, target in first.columns.items() if target}
    assert not upload_flow.mapping_changed(first, proposed, {})
    again = validate_file(content, path.name, upload_flow.merged_profile(given, proposed, {}),
                          "Gent", kind)
    assert (again.valid, again.rows, again.shape, again.columns, again.errors, again.warnings) \
        == (first.valid, first.rows, first.shape, first.columns, first.errors, first.warnings)
    if first.extract is not None:
        for name in first.extract.__dataclass_fields__:
            mine, theirs = getattr(first.extract, name), getattr(again.extract, name)
            assert mine.equals(theirs) if hasattr(mine, "equals") else mine == theirs
