"""The everyday flow of a zone's HR officer, page by page through Streamlit's AppTest."""

import csv
import hashlib
import io
import json

import pytest
import streamlit as st

from cpwb_stats.demo.startup import open_workspace
from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import SYSTEM
from cpwb_stats.workspace.database import database_url
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
    assert store_button(at).label == "Already stored as version 1"
    history = stored.history(engine, SYSTEM, "Gent")
    assert history["sha256"].tolist() == [digest] * len(history)
    assert history["version"].max() == 1


@pytest.mark.parametrize("language, label", [("nl", "Al bewaard als versie 2"),
                                             ("fr", "Déjà enregistré comme version 2")])
def test_the_disabled_button_names_the_version_the_file_is_stored_as(language, label):
    """A second, different file becomes version 2; uploading it again names version 2, in the
    reader's language, on the button that can no longer store it (English: the test above)."""
    engine = open_workspace(database_url())
    make_account("erik", "zone_editor", ("Gent",))
    at = sign_in(open_app(language), "erik")
    first = (SAMPLE_DATA / "workforce_gent.csv").read_bytes()
    second = first.rstrip(b"\r\n") + b"\r\n\r\n"  # the same rows, other bytes
    at.switch_page("pages/upload.py").run()
    for content in (first, second):
        uploader(at).set_value(("g.csv", content, "text/csv")).run()
        assert not store_button(at).disabled
        store_button(at).click().run()
        assert not at.exception
    assert stored.history(engine, SYSTEM, "Gent")["version"].max() == 2
    uploader(at).set_value(("g.csv", second, "text/csv")).run()
    assert store_button(at).disabled
    assert store_button(at).label == label


def test_store_is_disabled_beside_errors_in_the_mapping_profile():
    at = sign_in(open_app("fr"), make_account("ada", "admin"))
    at.switch_page("pages/upload.py").run()
    at.text_input(key="upload_zone").set_value("Gent").run()
    at.file_uploader(key="profile_upload").set_value(
        ("p.yaml", b"kind: workforce\nladder: no-such-ladder\n", "text/yaml")).run()
    uploader(at).set_value(("g.csv", (SAMPLE_DATA / "workforce_gent.csv").read_bytes(),
                            "text/csv")).run()
    assert not at.exception
    assert at.error  # the profile's problem, in red
    assert store_button(at).disabled
    assert at.button(key="save_profile").disabled
    assert "Le profil de correspondance contient des erreurs" in texts(at)
    at.file_uploader(key="profile_upload").set_value(None).run()
    assert not at.error and not store_button(at).disabled


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


def gent_editor_session(language: str = "en"):
    engine = open_workspace(database_url())
    from cpwb_stats.pipeline import store_file

    store_file(engine, SYSTEM, (SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "gent.csv",
               default_zone="Gent")
    make_account("erik", "zone_editor", ("Gent",))
    at = open_app(language)
    at.session_state["zone"] = "Gent"
    at = sign_in(at, "erik")
    at.switch_page("pages/targets.py").run()
    return engine, at


def type_target(at, share: str, group: str, scope: str, dimension: str):
    """As the editor leaves its state when a person adds a row and types in its cells."""
    at.session_state["targets_editor"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{"dimension": dimension, "group": group, "scope": scope,
                        "target_share": share, "deadline": "2030-12-31"}]}
    at.button(key="save_targets").click().run()
    return at


@pytest.mark.parametrize("language, dimension, group, scope, typed, share", [
    ("en", "Migration background", "yes", "Whole zone", "10", 0.10),
    ("en", "Migration background", "yes", "Whole zone", "10 %", 0.10),
    ("nl", "Migratieachtergrond", "ja", "Hele zone", "10,5", 0.105),
    ("fr", "Origine migratoire", "oui", "Toute la zone", "12,5 %", 0.125),
    ("en", "Migration background", "yes", "Whole zone", "0.5", 0.005),
])
def test_a_target_is_typed_as_a_percentage_in_the_reader_s_language(
        language, dimension, group, scope, typed, share):
    engine, at = gent_editor_session(language)
    at = type_target(at, typed, group, scope, dimension)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    saved = stored.stored_reference(engine, SYSTEM, "Gent", "targets")
    assert saved[["dimension", "group", "scope"]].values.tolist() == [
        ["migration_background", "yes", "all"]]
    assert saved["target_share"].tolist() == [pytest.approx(share)]
    assert not any("100 %" in w.value for w in at.warning)


def test_a_100_percent_target_warns_and_an_unreadable_one_is_refused():
    engine, at = gent_editor_session()
    at = type_target(at, "100", "yes", "Whole zone", "Migration background")
    assert any("a target of 100 %" in w.value for w in at.warning)
    assert stored.stored_reference(engine, SYSTEM, "Gent", "targets")["target_share"].tolist() == [
        1.0]
    at = type_target(at, "ten", "yes", "Whole zone", "Migration background")
    assert any("'ten' is not a percentage from 0 to 100" in e.value for e in at.error)
    at = type_target(at, "150", "yes", "Whole zone", "Migration background")
    assert any("'150' is not a percentage" in e.value for e in at.error)


def test_the_targets_editor_shows_labels_percentages_and_empty_cells():
    engine, at = gent_editor_session("nl")
    at = type_target(at, "10", "ja", "Hele zone", "Migratieachtergrond")
    editor = next(d for d in at.dataframe if d.key == "targets_editor")
    shown = editor.value
    assert shown.iloc[0][["dimension", "group", "scope", "target_share"]].tolist() == [
        "Migratieachtergrond", "ja", "Hele zone", "10 %"]
    assert shown.iloc[0]["note"] == "" and shown.iloc[0]["baseline_period"] == ""
    assert "None" not in shown.to_string()
    config = editor.proto.columns
    assert "migration_background" not in config and '"all"' not in config
    assert "Hele zone" in config and "Doel (%)" in config


def test_the_target_is_drawn_on_the_over_time_chart():
    engine, at = gent_editor_session()
    at = type_target(at, "10", "yes", "Whole zone", "Migration background")
    at.switch_page("pages/representation.py").run()
    assert not at.exception
    trend = next(c for c in at.get("plotly_chart") if '"Target: 10 %"' in c.proto.spec)
    assert '"y":[0.1,0.1' in trend.proto.spec.replace(" ", "")


@pytest.mark.parametrize("page, words", [
    ("pages/versions.py", "This page opens once you are signed in"),
    ("pages/admin.py", "This page opens once you are signed in")])
def test_a_page_a_visitor_may_not_open_says_so_in_words(page, words):
    at = open_app()
    at.switch_page(page).run()
    assert not at.exception
    assert any(words in i.value for i in at.info)
    assert not at.dataframe


def test_the_language_widget_is_set_from_the_session_only(monkeypatch):
    from streamlit.elements.lib import policies

    warned = []
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda *args: warned.append(args))
    at = open_app("fr")
    assert at.selectbox(key="language").value == "fr"
    assert not at.exception
    assert not [w for w in warned if "default value" in str(w[0])]


def test_the_setup_link_is_printed_before_the_server_starts(data_dir):
    import os
    import re
    import subprocess

    from cpwb_stats.workspace import accounts
    from tests.conftest import ROOT

    def run() -> str:
        return subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "scripts/setup_link.py", "--server.port",
             "8765"], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
            capture_output=True, text=True, check=True).stderr

    printed = run()
    token = re.search(r"http://localhost:8765/\?setup=([\w-]+)", printed).group(1)
    engine = open_workspace(database_url())
    assert accounts.token_owner(engine, token) is None  # the first administrator's link
    accounts.redeem_token(engine, token, "a long enough password", "ada")
    assert "?setup=" not in run()


def test_a_visitor_starts_on_the_start_page():
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["language"] = "nl"
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "Wat nu" in shown and "Meld u aan" in shown and "(demo)" in shown


def test_an_administrator_creates_the_zone_and_goes_on_to_its_first_upload():
    at = sign_in(open_app(), make_account("ada", "admin"))
    at.switch_page("pages/start.py").run()
    assert "Create your zone" in texts(at)
    at.text_input(key="start_zone_name").set_value("Antwerpen")
    next(b for b in at.button if "Create the zone" in b.label).click().run()
    assert not at.exception
    assert at.text_input(key="upload_zone").value == "Antwerpen"


def test_the_pooled_recruitment_table_shows_counts_p_values_and_a_chart():
    at = open_app()
    at.session_state["zone"] = "Gent (demo)"
    at.switch_page("pages/recruitment.py").run()
    campaigns = [c for c in at.selectbox(key="campaign").options if "pooled" not in c]
    published = {}
    for campaign in campaigns:
        at.selectbox(key="campaign").set_value(campaign).run()
        table = next(d.value for d in at.dataframe if "Passed / entered" in d.value.columns)
        for stage, group, cell in table[["Stage", "Group", "Passed / entered"]].itertuples(
                index=False):
            published.setdefault((stage, group), []).append(cell)
    at.selectbox(key="campaign").set_value("pooled").run()
    assert not at.exception
    pooled = next(d.value for d in at.dataframe if "Passed / entered" in d.value.columns)
    assert "p (CMH, pooled)" in pooled.columns
    for stage, group, cell in pooled[["Stage", "Group", "Passed / entered"]].itertuples(
            index=False):
        parts = published[(stage, group)]
        if all(" / " in p for p in parts):  # every campaign's count is shown: so is the sum
            passed = sum(int(p.split(" / ")[0]) for p in parts)
            entered = sum(int(p.split(" / ")[1]) for p in parts)
            assert cell == f"{passed} / {entered}"
        else:
            assert " / " not in cell
    assert any(" / " in cell for cell in pooled["Passed / entered"])
    p_values = [p for p in pooled["p (CMH, pooled)"] if p != "–"]
    assert p_values and all(p == "< 0.001" or 0 <= float(p) <= 1 for p in p_values)
    assert any(c.proto.spec and "Impact ratio per stage" in c.proto.spec
               for c in at.get("plotly_chart"))


def test_the_mapping_step_names_fields_and_codes_in_the_reader_s_language():
    from tests.test_app import upload

    content = b"peildatum;graad;geslacht\n2024;aspirant;V\n2024;agent;vrouwelijk persoon\n"
    at = upload(open_app("nl"), "f.csv", content)
    assert not at.exception
    columns = next(d for d in at.dataframe if d.key == "column_editor").proto.columns
    for said in ('"label": "peildatum"', '"label": "graad"', '"label": "geslacht: vrouw"'):
        assert said in columns
    values = next(d for d in at.dataframe if str(d.key).startswith("value_editor"))
    assert values.value["field"].tolist() == ["graad", "geslacht"]
    assert '{"value": "woman", "label": "vrouw"}' in values.proto.columns
    assert '{"value": "agent", "label": "Agent van politie"}' in values.proto.columns
    # the meaning chosen for a code (in Dutch) is kept under the field's own name
    at.session_state[values.key] = {"edited_rows": {0: {"code": "agent"}, 1: {"code": "woman"}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert not at.error and at.success  # both codes read as chosen: the extract is valid


def test_the_legends_say_the_threshold_in_numbers():
    at = open_app()
    at.switch_page("pages/about.py").run()
    shown = texts(at)
    assert "a count of 1 to 4," in shown and "{k}" not in shown and "− 1" not in shown
    at.session_state["zone"] = "Gent (demo)"
    at.switch_page("pages/recruitment.py").run()
    shown = texts(at)
    assert "Rows with fewer than 5 people are hidden" in shown
    assert "(<k)" not in shown and "{k}" not in shown


@pytest.mark.parametrize("language, words", [("en", "{people} people in {rows} rows"),
                                             ("nl", "{people} personen in {rows} rijen"),
                                             ("fr", "{people} personnes sur {rows} lignes")])
def test_stored_versions_say_people_and_rows_apart(language, words):
    from cpwb_stats.pipeline import store_file

    engine = open_workspace(database_url())
    content = (SAMPLE_DATA / "workforce_gent.csv").read_bytes()
    store_file(engine, SYSTEM, content, "gent.csv", default_zone="Gent")
    with open(SAMPLE_DATA / "workforce_gent.csv", encoding="utf-8-sig", newline="") as handle:
        people = {}
        for row in csv.DictReader(handle, delimiter=";"):
            people[row["peildatum"]] = people.get(row["peildatum"], 0) + 1
    make_account("erik", "zone_editor", ("Gent",))
    at = sign_in(open_app(language), "erik")
    at.session_state["zone"] = "Gent"
    at.switch_page("pages/versions.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    history = stored.history(engine, SYSTEM, "Gent")
    separator = {"en": ",", "nl": ".", "fr": "\u202f"}[language]
    expected = [words.format(people=f"{people[p]:,}".replace(",", separator), rows=r)
                for p, r in zip(history["period"], history["rows"])]
    assert shown.iloc[:, 4].tolist() == expected
    assert max(people.values()) > 1000 and max(history["rows"]) < 1000


def test_a_viewer_of_the_zone_sees_the_stored_versions_in_rows_without_the_people():
    # The zone's headcount is hidden on the Representation page when the not-stated count is
    # small; the people of a stored version would give it back, so a viewer sees rows only.
    from cpwb_stats.pipeline import store_file

    engine = open_workspace(database_url())
    content = (SAMPLE_DATA / "workforce_gent.csv").read_bytes()
    store_file(engine, SYSTEM, content, "gent.csv", default_zone="Gent")
    make_account("gina", "zone_viewer", ("Gent",))
    at = sign_in(open_app("nl"), "gina")
    at.session_state["zone"] = "Gent"
    at.switch_page("pages/versions.py").run()
    assert not at.exception
    shown = at.dataframe[0].value.iloc[:, 4].tolist()
    rows = stored.history(engine, SYSTEM, "Gent")["rows"].tolist()
    assert shown == [f"{r} rijen" for r in rows]
    assert not any("personen" in cell for cell in shown)


def test_stored_movements_say_the_number_of_movements_only():
    from cpwb_stats.pipeline import store_file

    engine = open_workspace(database_url())
    content = (SAMPLE_DATA / "movements_gent.csv").read_bytes()
    store_file(engine, SYSTEM, content, "bewegingen.csv", default_zone="Gent",
               kind="movements")
    make_account("erik", "zone_editor", ("Gent",))
    at = sign_in(open_app("nl"), "erik")
    at.session_state["zone"] = "Gent"
    at.switch_page("pages/versions.py").run()
    assert not at.exception
    shown = at.dataframe[0].value.iloc[:, 4].tolist()
    # movements_gent.csv: a heading and 445 movements, one a line
    assert all(cell.endswith(" bewegingen") and "rij" not in cell for cell in shown)
    assert sum(int(cell.split()[0].replace(".", "")) for cell in shown) == 445


@pytest.mark.parametrize("language, title, combined, each", [
    ("en", "Gender – woman: share by zone, Whole zone", "All chosen zones", "Each zone"),
    ("nl", "Geslacht – vrouw: aandeel per zone, Hele zone", "Alle gekozen zones", "Elke zone"),
    ("fr", "Genre – femme : part par zone, Toute la zone", "Ensemble des zones choisies",
     "Chaque zone")])
def test_compare_names_the_dimension_in_its_title_in_the_reader_s_words(language, title,
                                                                         combined, each):
    at = open_app(language)
    at.switch_page("pages/compare.py").run()
    at.selectbox(key="compare_dimension").set_value("gender").run()
    at.selectbox(key="compare_group_gender").set_value("woman").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert title in spec["layout"]["title"]["text"].replace("<br>", " ")
    assert at.dataframe[0].value.iloc[-1, 0] == combined
    legend = [t["name"] for t in spec["data"] if t.get("name") and t.get("showlegend", True)]
    assert legend == [each, combined]


def test_the_projection_s_what_if_sliders_read_in_the_reader_s_numbers():
    at = open_app("nl")
    at.session_state["zone"] = "Gent (demo)"
    at.switch_page("pages/targets.py").run()
    assert not at.exception
    share, factor = at.select_slider(key="q_0"), at.select_slider(key="factor_0")
    assert share.options[0] == "0,0 %" and share.options[-1] == "100,0 %"
    assert "30,7 %" in share.options
    assert factor.options[0] == "0,25" and "1,00" in factor.options
    assert factor.value == 1.0 and 0 <= share.value <= 1


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_an_empty_target_cell_is_named_as_empty_never_as_nan(language):
    """A new user left Doel (%) empty and read "Rij 1: 'nan' is geen percentage van 0 tot 100"."""
    import pandas as pd

    from cpwb_stats.measures.progress import check_targets
    from cpwb_stats.terms.ladders import BELGIAN_POLICE
    from cpwb_stats.terms.vocabulary import MIGRATION_BACKGROUND
    from cpwb_ui import targets_view

    dimensions = {"migration_background": MIGRATION_BACKGROUND}
    shown = pd.DataFrame([{"dimension": "migration_background", "group": "yes", "scope": "all",
                           "target_share": float("nan"), "deadline": "2030"}])
    coded, messages = targets_view.coded_rows(shown, "targets", dimensions, BELGIAN_POLICE,
                                              language)
    assert messages == {}
    words = [p.message(language) for p in check_targets(coded, dimensions, BELGIAN_POLICE)]
    empty = {"nl": "Doel (%) is leeg: vul het in.", "fr": "Objectif (%)"}[language]
    assert any(empty in w for w in words), words
    assert not any("nan" in w.lower() for w in words)
