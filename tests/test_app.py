"""Every page through Streamlit's AppTest, as a user clicks through it."""

from datetime import UTC, datetime, timedelta

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cpwb_stats.demo.startup import open_workspace
from cpwb_stats.workspace import accounts
from cpwb_stats.workspace.access import SYSTEM
from cpwb_stats.workspace.audit import audit_trail
from cpwb_stats.workspace.database import database_url
from cpwb_ui.formatting import plain
from tests.conftest import ROOT, SAMPLE_DATA

PASSWORD = "a long enough password"

TIMEOUT = 240  # the Retention page protects leavers and promotions together (slow under load)


@pytest.fixture(autouse=True)
def fresh_caches(data_dir):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def open_app(language: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["language"] = language
    at.session_state["_requested_page"] = "pages/representation.py"  # visitors start on Start
    return at.run()


def make_account(name: str, role: str, zones: tuple[str, ...] = ()) -> str:
    engine = open_workspace(database_url())
    token = accounts.create_user(engine, SYSTEM, name, role, list(zones))
    accounts.redeem_token(engine, token, PASSWORD)
    return name


def sign_in(at: AppTest, name: str, idle: timedelta = timedelta(0)) -> AppTest:
    """As the sign-in form leaves it (the form itself is tested on its own)."""
    now = datetime.now(UTC)
    at.session_state["account"] = {"name": name, "since": now - idle, "seen": now - idle}
    return at.run()


def zone_options(at: AppTest) -> list[str]:
    return next(box for box in at.selectbox if box.label == "Zone").options


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in (at.info, at.success, at.error, at.title, at.subheader)
              for e in kind]
    return "\n".join(str(p) for p in parts)


def test_dashboard_opens_on_the_demo_zones_with_a_chart_and_a_table():
    at = open_app()
    assert not at.exception
    assert "Representation by rank" in texts(at)
    assert "synthetic" in texts(at)
    assert len(at.get("plotly_chart")) >= 1
    table = at.dataframe[0].value
    assert "Rank" in table.columns and "Whole zone" in table["Rank"].tolist()


@pytest.mark.parametrize("language, title, rank", [("nl", "Vertegenwoordiging per graad",
                                                     "Hoofdinspecteur"),
                                                    ("fr", "Représentation par grade",
                                                     "Inspecteur principal")])
def test_interface_speaks_dutch_and_french(language, title, rank):
    at = open_app(language)
    assert not at.exception
    assert title in texts(at)
    assert rank in at.dataframe[0].value.iloc[:, 0].tolist()


def test_every_zone_and_dimension_renders():
    at = open_app()
    zones = zone_options(at)
    assert len(zones) == 3
    for zone in zones:
        for dimension in at.selectbox(key="dimension").options:
            # AppTest drops the sidebar of st.navigation apps after the first run, so the
            # sidebar pickers are set through their session state.
            at.session_state["zone"] = zone
            at.session_state["dimension"] = dimension
            at.run()
            assert not at.exception, (zone, dimension)
            assert plain(zone) in texts(at)  # as written to markdown, escaped


def test_no_small_count_is_shown_in_the_table():
    at = open_app()
    for column in ("People", "Declared", "Headcount"):
        for cell in at.dataframe[0].value[column]:
            digits = cell.replace("\u202f", "").replace(",", "").replace(".", "")
            assert not (digits.isdigit() and 0 < int(digits) < 5), cell


def test_about_page():
    at = open_app("fr")
    at.switch_page("pages/about.py").run()
    assert not at.exception
    assert "Protéger les collègues" in texts(at)


def problem_table(at: AppTest):
    tables = [d.value for d in at.dataframe if {"Row", "Rij", "Ligne"} & set(d.value.columns)]
    assert len(tables) == 1
    return tables[0]


def upload(at: AppTest, name: str, content: bytes, zone: str = "") -> AppTest:
    at.switch_page("pages/upload.py").run()
    if zone:
        at.text_input(key="upload_zone").set_value(zone).run()
    at.file_uploader(key="upload").set_value((name, content, "text/csv")).run()
    return at


def test_upload_a_valid_extract_and_see_it_charted():
    at = upload(open_app(), "gent.csv", (SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "Gent")
    assert not at.exception
    assert "The extract is valid: 5,304 rows" in texts(at)
    at.button(key="use_extract").click().run()
    assert not at.exception
    assert at.session_state["active_dataset"].label == "gent.csv"
    at.switch_page("pages/representation.py").run()
    assert "Representation by rank" in texts(at)
    assert len(at.get("plotly_chart")) >= 1


def test_upload_an_invalid_extract_lists_problems_in_dutch_and_keeps_nothing():
    content = b"peildatum;graad;geslacht\n2024;aspirant;V\n31/02/2024;Inspecteur;M\n"
    at = upload(open_app("nl"), "fout.csv", content)
    assert not at.exception
    assert "kan niet gebruikt worden" in texts(at)
    problems = problem_table(at)
    assert [r for r in problems["Rij"] if r] == ["2", "3"]
    assert "None" not in problems.to_string()
    assert "Onbekende graad" in problems["Wat er mis is"].iloc[0]
    assert "active_dataset" not in at.session_state or at.session_state["active_dataset"] is None


def test_identifier_file_is_refused_naming_the_column():
    content = b"reference_date,rank,gender,Rijksregisternummer\n2024,agent,man,x\n"
    at = upload(open_app(), "ids.csv", content)
    assert "Rijksregisternummer" in problem_table(at)["Column"].tolist()


def test_wide_upload_with_a_mapping_profile_and_saving_it_for_the_zone(data_dir):
    at = sign_in(open_app(), make_account("ada", "admin"))
    at.switch_page("pages/upload.py").run()
    at.text_input(key="upload_zone").set_value("federal-police").run()
    profile = (SAMPLE_DATA / "mappings" / "federal-police-wide.yaml").read_bytes()
    at.file_uploader(key="profile_upload").set_value(("p.yaml", profile, "text/yaml")).run()
    content = (SAMPLE_DATA / "federal_police_2018_wide.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("fed.csv", content, "text/csv")).run()
    assert not at.exception
    assert "The extract is valid: 9 rows" in texts(at)
    at.button(key="save_profile").click().run()
    assert (data_dir / "mappings" / "federal-police" / "workforce.yaml").exists()


def test_unrecognised_codes_are_offered_for_mapping():
    content = b"reference_date,rank,gender\n2024,aspirant,man\n"
    at = upload(open_app(), "odd.csv", content)
    assert not at.exception
    assert "Codes that were not recognised" in texts(at)
    assert "How the columns are read" in texts(at)


def test_recruitment_page_on_the_demo_campaigns():
    at = open_app()
    at.session_state["zone"] = "Gent (demo)"
    at.switch_page("pages/recruitment.py").run()
    assert not at.exception
    assert "Recruitment funnel" in texts(at)
    assert len(at.get("plotly_chart")) >= 1
    table = at.dataframe[0].value
    assert {"Stage", "Impact ratio", "p (Fisher)"} <= set(table.columns)
    verdicts = [e.value for kind in (at.warning, at.info, at.success) for e in kind]
    assert any("stage" in v for v in verdicts)
    assert any(c.value.startswith("Target: 25.0 % of applicants") for c in at.caption)


def test_recruitment_is_not_empty_on_the_demo_zone_that_opens_first():
    at = open_app()
    at.switch_page("pages/recruitment.py").run()
    assert not at.exception
    assert zone_options(at)[0] == "Brussel-Elsene/Bruxelles-Ixelles (demo)"
    assert len(at.get("plotly_chart")) >= 1
    assert {"Stage", "Impact ratio"} <= set(at.dataframe[0].value.columns)


def test_recruitment_pooled_and_fixed_reference():
    at = open_app("nl")
    at.session_state["zone"] = "Gent (demo)"
    at.switch_page("pages/recruitment.py").run()
    at.selectbox(key="reference_migration_background").set_value("no").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 2  # the funnel and the stage contributions
    at.selectbox(key="campaign").set_value("pooled").run()
    assert not at.exception
    assert "Cochran-Mantel-Haenszel" in texts(at)


def test_a_movements_file_uploaded_as_workforce_is_switched_in_one_click():
    content = (SAMPLE_DATA / "movements_gent.csv").read_bytes()
    at = upload(open_app(), "movements.csv", content, "Gent")
    assert not at.exception
    assert "belong to a movements extract" in problem_table(at)["What is wrong"].iloc[0]
    at.button(key="switch_kind").click().run()
    assert not at.exception
    assert at.radio(key="upload_kind").value == "movements"
    assert "The extract is valid" in texts(at)


def test_many_reference_dates_are_confirmed_on_the_page():
    content = ("reference_date,rank,gender\n" + "".join(
        f"2024-{m:02d}-15,agent,V\n" for m in range(1, 8))).encode()
    at = upload(open_app(), "dates.csv", content, "Gent")
    assert "7 different reference dates" in problem_table(at)["What is wrong"].iloc[0]
    at.button(key="confirm_dates").click().run()
    assert not at.exception and "The extract is valid: 7 rows" in texts(at)


def test_upload_an_applicants_extract():
    at = open_app()
    at.switch_page("pages/upload.py").run()
    at.radio(key="upload_kind").set_value("applicants").run()
    at.text_input(key="upload_zone").set_value("Gent").run()
    content = (SAMPLE_DATA / "applicants_gent.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("a.csv", content, "text/csv")).run()
    assert not at.exception
    assert "The extract is valid: 1,250 rows" in texts(at)
    at.button(key="use_extract").click().run()
    assert at.session_state["active_dataset"].applicants is not None


def test_wide_table_without_a_date_is_completed_on_the_page():
    at = open_app()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="upload_zone").set_value("federal-police").run()
    at.text_input(key="constant_reference_date").set_value("31/12/2018").run()
    content = (SAMPLE_DATA / "federal_police_2018_wide.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("fed.csv", content, "text/csv")).run()
    assert not at.exception
    assert "The extract is valid: 9 rows" in texts(at)


def test_a_visitor_sees_the_labelled_demo_zones_only():
    at = open_app()
    make_account("ada", "admin")
    open_workspace(database_url())
    assert all(zone.endswith("(demo)") for zone in zone_options(at))
    assert "Demo workspace" in texts(at)


def test_an_editor_stores_a_re_upload_as_a_new_version_and_restores_the_old_one():
    engine = open_workspace(database_url())
    make_account("erik", "zone_editor", ("Gent",))
    at = sign_in(open_app(), "erik")
    for women_file, ending in (("first.csv", b""), ("second.csv", b"\n")):
        at.switch_page("pages/upload.py").run()
        content = (SAMPLE_DATA / "workforce_gent.csv").read_bytes() + ending
        picker = next(f for f in at.file_uploader if str(f.key).startswith("upload"))
        picker.set_value((women_file, content, "text/csv")).run()
        at.button(key="store_extract").click().run()
        assert not at.exception
        assert "Stored for Gent" in texts(at)
    at.switch_page("pages/versions.py").run()
    history = at.dataframe[0].value
    assert history["File"].tolist()[:2] == ["second.csv", "first.csv"]
    assert history["In use"].tolist()[:2] == [True, False]
    first = int(stored_history(engine, "Gent")["id"].iloc[1])
    at.selectbox(key="version_choice").set_value(first).run()
    at.button(key="restore").click().run()
    assert at.dataframe[0].value["In use"].tolist()[:2] == [False, True]
    at.switch_page("pages/representation.py").run()
    assert "Gent" in texts(at) and len(at.get("plotly_chart")) >= 1


def stored_history(engine, zone):
    from cpwb_stats.workspace import stored

    return stored.history(engine, SYSTEM, zone)


def test_a_viewer_of_one_zone_cannot_reach_another_by_widget_state_or_page():
    engine = open_workspace(database_url())
    for zone in ("Gent", "Aalst"):
        content = (SAMPLE_DATA / "workforce_gent.csv").read_bytes()
        from cpwb_stats.pipeline import store_file

        store_file(engine, SYSTEM, content, f"{zone}.csv", default_zone=zone)
    make_account("vera", "zone_viewer", ("Gent",))
    at = sign_in(open_app(), "vera")
    assert "Gent" in zone_options(at) and "Aalst" not in zone_options(at)
    at.session_state["zone"] = "Aalst"
    at.run()
    assert not at.exception
    assert "Aalst" not in texts(at)
    at.switch_page("pages/admin.py").run()
    assert "Only an administrator" in texts(at)
    assert not at.dataframe
    at.switch_page("pages/compare.py").run()
    assert "Aalst" not in at.multiselect(key="compare_zones").options


def test_an_analyst_compares_zones_with_the_combined_total():
    make_account("ann", "analyst")
    at = sign_in(open_app(), "ann")
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["Zone"].tolist()[-1] == "All chosen zones"
    assert len(at.get("plotly_chart")) == 1


def _store_real_zones(*names: str) -> None:
    from cpwb_stats.pipeline import store_file

    engine = open_workspace(database_url())
    content = (SAMPLE_DATA / "workforce_gent.csv").read_bytes()
    for zone in names:
        store_file(engine, SYSTEM, content, f"{zone}.csv", default_zone=zone)


def test_compare_preselects_only_the_real_zones_and_never_pools_them_with_demo_zones():
    _store_real_zones("Gent", "Aalst")
    make_account("ann", "analyst")
    at = sign_in(open_app(), "ann")
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    picker = at.multiselect(key="compare_zones")
    demo = [name for name in picker.options if name.endswith("(demo)")]
    assert demo, "the demo zones stay on offer"
    assert sorted(picker.value) == ["Aalst", "Gent"]
    assert at.dataframe[0].value["Zone"].tolist() == ["Aalst", "Gent", "All chosen zones"]
    picker.set_value(["Aalst", "Gent", demo[0]]).run()
    assert not at.exception
    assert "never pooled with real zones" in "\n".join(w.value for w in at.warning)
    assert not at.get("plotly_chart") and not at.dataframe


def test_compare_preselects_only_the_demo_zones_for_a_visitor():
    _store_real_zones("Gent", "Aalst")
    at = open_app()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    picker = at.multiselect(key="compare_zones")
    assert picker.value and all(name.endswith("(demo)") for name in picker.value)
    assert not {"Gent", "Aalst"} & set(picker.options)


@pytest.mark.parametrize("language, rule, old", [
    ("en", "The zones together show the sum of the zones' numbers, even where a zone hides its "
           "own", "only where every zone's number is shown"),
    ("nl", "De zones samen tonen de som van de getallen van de zones, ook waar een zone haar "
           "eigen getal verbergt", "alleen getoond waar het getal van elke zone getoond wordt"),
    ("fr", "L'ensemble des zones montre la somme des chiffres des zones, même lorsqu'une zone "
           "masque le sien", "que si le chiffre de chaque zone l'est aussi")])
def test_compare_footnote_says_a_sum_is_shown_unless_it_gives_a_hidden_zone_figure_back(
        language, rule, old):
    # docs/disclosure.md, comparing zones: the sum is hidden only where it would give a hidden
    # zone figure back (one zone hiding its part), not whenever a zone hides its figure.
    at = open_app(language)
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    shown = texts(at)
    assert rule in shown and old not in shown


def test_an_admin_creates_an_account_and_reads_the_audit_log():
    make_account("ada", "admin")
    at = sign_in(open_app(), "ada")
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    at.text_input(key="new_name").set_value("vera")
    at.selectbox(key="new_role").set_value("analyst")
    at.button[0].click().run()
    assert not at.exception
    assert "?setup=" in at.code[0].value
    audit = at.dataframe[-1].value
    assert audit["Action"].iloc[0] == "account"
    assert audit["Detail"].iloc[0] == "created vera as analyst for all zones"
    assert "None" not in audit.to_string() and "NaT" not in audit.to_string()
    assert audit["Zone"].iloc[0] == "" and audit["Kind"].iloc[0] == ""
    assert accounts.list_users(open_workspace(database_url()), SYSTEM)["username"].tolist() == [
        "ada", "vera"]


def test_a_new_account_is_offered_as_a_zone_viewer_until_another_role_is_chosen():
    make_account("ada", "admin")
    at = sign_in(open_app(), "ada")
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    assert at.selectbox(key="new_role").value == "zone_viewer"


def test_administration_shows_labels_in_the_reader_s_language_and_no_none():
    make_account("ada", "admin")
    at = sign_in(open_app("fr"), "ada")
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    users = at.dataframe[0].value  # the accounts tab, then the audit log
    assert list(users.columns) == ["Nom", "Rôle", "Zones", "Actif", "Mot de passe défini",
                                   "Dernière connexion"]
    assert users.iloc[0][["Nom", "Actif", "Mot de passe défini"]].tolist() == ["ada", "oui", "oui"]
    assert users.iloc[0]["Rôle"] != "admin" and users.iloc[0]["Zones"] == ""
    audit = at.dataframe[-1].value
    assert {"Quand", "Par", "Action", "Fichier", "Lignes enregistrées"} <= set(audit.columns)
    assert "None" not in users.to_string() + audit.to_string()


def test_a_setup_link_opens_the_account_in_one_step():
    engine = open_workspace(database_url())
    token = accounts.create_user(engine, SYSTEM, "vera", "analyst")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["setup"] = token
    at.run()
    assert "opens the account **vera**" in texts(at)
    at.text_input(key="setup_password").set_value(PASSWORD)
    at.text_input(key="setup_again").set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["account"]["name"] == "vera"
    assert accounts.authenticate(engine, "vera", PASSWORD).role == "analyst"


def test_an_idle_session_expires():
    make_account("vera", "analyst")
    at = sign_in(open_app(), "vera", idle=timedelta(minutes=31))
    assert "account" not in at.session_state
    assert any("session has ended" in w.value for w in at.warning)


def test_retention_page_on_the_demo_zone_in_dutch():
    at = open_app("nl")
    at.session_state["zone"] = "Gent (demo)"
    at.run()
    at.switch_page("pages/retention.py").run()
    assert not at.exception
    assert "Retentie en doorstroming" in texts(at)
    assert len(at.get("plotly_chart")) == 2  # leaver rates, and the retention curves
    leavers = at.dataframe[0].value
    assert "Vertrekpercentage" in leavers.columns and "Hele zone" in leavers["Graad"].tolist()
    for cell in leavers["Vertrekkers / gemiddeld bestand"]:
        shown = cell.split(" / ")[0]
        assert shown == "✱" or int(shown.replace(".", "")) == 0 or int(shown.replace(".", "")) >= 5
    assert any("Na 5 jaar" in table.value.columns for table in at.dataframe)


def test_retention_page_says_in_words_why_a_curve_is_missing_or_stops():
    """Issue 10: on the demo zone, in French, each curve the protection withholds or cuts short
    has a sentence saying so; a withheld group has no line on the chart, one cut short has."""
    import json

    at = open_app("fr")
    at.session_state["zone"] = "Gent (demo)"
    at.run()
    at.switch_page("pages/retention.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    missing = [c for c in captions if " : cette courbe n'est pas affichée. " in c]
    stops = [c for c in captions if " : la courbe s'arrête après " in c]
    assert missing and stops
    assert all("moins de 5 personnes" in c for c in missing + stops)
    drawn = {trace.get("name") for trace in json.loads(at.get("plotly_chart")[1].proto.spec)[
        "data"]}
    assert {c.split(" : ")[0] for c in missing}.isdisjoint(drawn)
    assert {c.split(" : ")[0] for c in stops} <= drawn


def test_targets_page_shows_progress_and_a_projection_on_the_demo_zone():
    at = open_app()
    at.session_state["zone"] = "Gent (demo)"
    at.run()
    at.switch_page("pages/targets.py").run()
    assert not at.exception
    statuses = [e.value for kind in (at.success, at.warning) for e in kind]
    assert any(s.startswith(("Behind", "On track", "Reached")) for s in statuses)
    assert any("Projected share at the deadline" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) >= 1


@pytest.mark.parametrize("language, note", [("nl", "Verzonnen voorbeeld van een streefcijfer"),
                                             ("fr", "Objectif d'exemple fictif")])
def test_the_demo_targets_notes_are_in_the_readers_language(language, note):
    at = open_app(language)
    at.session_state["zone"] = "Gent (demo)"
    at.run()
    at.switch_page("pages/targets.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert note in captions
    assert not any("Synthetic" in c for c in captions + [m.value for m in at.markdown])


@pytest.mark.parametrize("language, words", [
    ("nl", "Klik op **Upload** (opladen) om het bestand te kiezen"),
    ("fr", "Cliquez sur **Upload** (charger) pour choisir le fichier")])
def test_the_file_picker_s_english_words_are_said_in_the_reader_s_language(language, words):
    at = open_app(language)
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    assert any(words in c.value for c in at.caption), [c.value for c in at.caption]


def test_an_editor_sets_a_target_and_it_is_stored_as_a_new_version():
    engine = open_workspace(database_url())
    from cpwb_stats.pipeline import store_file
    from cpwb_stats.workspace import stored

    store_file(engine, SYSTEM, (SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "gent.csv",
               default_zone="Gent")
    make_account("erik", "zone_editor", ("Gent",))
    at = open_app()
    at.session_state["zone"] = "Gent"
    at = sign_in(at, "erik")
    at.switch_page("pages/targets.py").run()
    assert not at.exception
    imported = (b"zone,dimension,group,scope,target_share,deadline,baseline_period,note\n"
                b"Gent,migration_background,yes,inspector,12%,2030-12-31,2021-12-31,council\n")
    at.file_uploader(key="targets_import").set_value(("t.csv", imported, "text/csv")).run()
    at.button(key="save_targets").click().run()
    assert not at.exception
    targets = stored.stored_reference(engine, SYSTEM, "Gent", "targets")
    assert targets[["scope", "target_share", "note"]].values.tolist() == [
        ["inspector", 0.12, "council"]]
    trail = audit_trail(engine, SYSTEM)
    assert trail["action"].iloc[0] == "targets" and trail["actor"].iloc[0] == "erik"


def test_a_zone_name_with_markdown_is_shown_as_text():
    engine = open_workspace(database_url())
    from cpwb_stats.pipeline import store_file

    zone = "[Gent](http://example.org) **x**"
    store_file(engine, SYSTEM, (SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "gent.csv",
               default_zone=zone)
    make_account("ann", "analyst")
    at = open_app()
    at.session_state["zone"] = zone
    at = sign_in(at, "ann")
    caption = next(c.value for c in at.caption if "reference date" in c.value)
    assert caption.startswith(r"\[Gent\]\(http://example\.org\) \*\*x\*\*")


def test_an_editor_imports_benchmarks_in_french_and_stores_them():
    engine = open_workspace(database_url())
    from cpwb_stats.pipeline import store_file
    from cpwb_stats.workspace import stored

    store_file(engine, SYSTEM, (SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "gent.csv",
               default_zone="Gent")
    make_account("erik", "zone_editor", ("Gent",))
    at = open_app("fr")
    at.session_state["zone"] = "Gent"
    at = sign_in(at, "erik")
    at.switch_page("pages/targets.py").run()
    benchmarks = (b"zone;dimension;group;scope;share;source\n"
                  b"Gent;migration_background;yes;all;16,4 %;Statbel 2024\n")
    at.file_uploader(key="benchmarks_import").set_value(("b.csv", benchmarks, "text/csv")).run()
    at.button(key="save_benchmarks").click().run()
    assert not at.exception
    saved = stored.stored_reference(engine, SYSTEM, "Gent", "benchmarks")
    assert saved[["share", "source"]].values.tolist() == [[pytest.approx(0.164), "Statbel 2024"]]


def test_an_admin_changes_an_account_s_zones_and_deactivates_it():
    engine = open_workspace(database_url())
    make_account("ada", "admin")
    make_account("vera", "zone_viewer", ("Gent",))
    at = sign_in(open_app(), "ada")
    at.switch_page("pages/admin.py").run()
    at.selectbox(key="who").set_value("vera").run()
    at.multiselect(key="change_zones").set_value(["Gent", "Aalst"])
    at.checkbox(key="change_active").uncheck()
    next(b for b in at.button if b.label == "Save the changes").click().run()
    assert not at.exception
    listed = accounts.list_users(engine, SYSTEM).set_index("username")
    assert listed.loc["vera", "zones"] == "Aalst, Gent"
    assert not listed.loc["vera", "active"]
