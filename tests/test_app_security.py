"""The app as an attacker tries it: two sessions with different rights on one running server.

Streamlit's caches are shared by every session of a server process; AppTest runs its sessions
in this process, so two AppTest objects share the caches exactly as two browsers would.
"""

import re
from datetime import UTC, datetime

import pandas as pd
import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from cpwb_stats.demo.startup import open_workspace
from cpwb_stats.ingest.mapping import MappingProfile, profile_from_yaml
from cpwb_stats.pipeline import store_file
from cpwb_stats.problems import Refused
from cpwb_stats.targets.definitions import read_targets
from cpwb_stats.workspace import accounts
from cpwb_stats.workspace.access import SYSTEM, VISITOR, Actor
from cpwb_stats.workspace.database import database_url
from cpwb_stats.workspace.stored import zone_profile
from cpwb_stats.workspace.tables import workforce_counts
from cpwb_stats.workspace.versions import UploadedFile, save_zone_profile, store_reference
from tests.conftest import ROOT, SAMPLE_DATA

PASSWORD = "a long enough password"
TIMEOUT = 240  # the Retention page protects every dimension together (slow under load)
MOVEMENTS = (SAMPLE_DATA / "movements_gent.csv").read_bytes()


@pytest.fixture(autouse=True)
def fresh_caches(data_dir):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def open_app(account: str | None = None, language: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["language"] = language
    if account is not None:
        now = datetime.now(UTC)
        at.session_state["account"] = {"name": account, "since": now, "seen": now}
    return at.run()


def make_account(name: str, role: str, zones: tuple[str, ...] = ()) -> str:
    engine = open_workspace(database_url())
    accounts.redeem_token(engine, accounts.create_user(engine, SYSTEM, name, role, list(zones)),
                          PASSWORD)
    return name


def store_zone(zone: str, sample: str = "workforce_gent.csv") -> None:
    store_file(open_workspace(database_url()), SYSTEM, (SAMPLE_DATA / sample).read_bytes(),
               f"{zone}.csv", default_zone=zone)


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [frame.value for frame in at.dataframe]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in (at.info, at.success, at.error, at.warning, at.title,
                                   at.subheader) for e in kind]
    return "\n".join(str(p) for p in parts)


def try_without_storing(at: AppTest, kind: str, content: bytes, zone: str) -> AppTest:
    """Upload a file, and look at it with the stored data of the zone picked in the sidebar."""
    at.switch_page("pages/upload.py").run()
    at.radio(key="upload_kind").set_value(kind).run()
    at.text_input(key="upload_zone").set_value(zone).run()
    at.file_uploader(key="upload").set_value((f"{kind}.csv", content, "text/csv")).run()
    at.button(key="use_extract").click().run()
    assert not at.exception
    return at


def seen_on(at: AppTest, page: str) -> tuple[list[pd.DataFrame], str]:
    at.switch_page(page).run()
    assert not at.exception
    return tables(at), texts(at)


def tried_by(account: str | None, zone: str, page: str) -> tuple[list[pd.DataFrame], str]:
    at = open_app(account)
    at.session_state["zone"] = zone
    return seen_on(try_without_storing(at.run(), "movements", MOVEMENTS, zone), page)


def every_other_person(sample: str) -> bytes:
    """The sample zone with half its people: the same shape, other figures."""
    header, *people = (SAMPLE_DATA / sample).read_bytes().splitlines(keepends=True)
    return b"".join([header, *people[::2]])


@pytest.mark.parametrize("page", ["pages/retention.py", "pages/targets.py"])
def test_a_visitor_never_receives_figures_cached_for_an_admin_on_another_zone(page):
    """Issue 11 item 1: an admin tries a movements file on their zone Gent (retention figures,
    target projection), then a visitor tries the identical file on the demo zone."""
    engine = open_workspace(database_url())
    store_file(engine, SYSTEM, every_other_person("workforce_gent.csv"), "gent.csv",
               default_zone="Gent")
    targets = (SAMPLE_DATA / "targets.csv").read_bytes()
    store_reference(engine, SYSTEM, "Gent", "targets",
                    read_targets(targets), UploadedFile(targets, "targets.csv", MappingProfile()))
    make_account("ada", "admin")
    alone = tried_by(None, "Gent (demo)", page)  # what the visitor sees with nobody before
    st.cache_data.clear()

    admin = tried_by("ada", "Gent", page)
    after_admin = tried_by(None, "Gent (demo)", page)

    assert after_admin[1] == alone[1]
    assert len(after_admin[0]) == len(alone[0])
    for seen, truth in zip(after_admin[0], alone[0]):
        pd.testing.assert_frame_equal(seen, truth)
    assert any(not a.equals(v) for a, v in zip(admin[0], alone[0])) or admin[1] != alone[1]


def typed_zone_on_upload(account: str | None, zone: str) -> str:
    at = open_app(account)
    at.switch_page("pages/upload.py").run()
    at.text_input(key="upload_zone").set_value(zone).run()
    content = (SAMPLE_DATA / "federal_police_2018_wide.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("fed.csv", content, "text/csv")).run()
    assert not at.exception
    return texts(at).replace(zone, "<zone>")


def test_a_zone_s_mapping_profile_is_read_only_by_who_may_read_the_zone():
    """Issue 11 item 4: Gent's saved profile makes the federal file valid, for Gent's readers
    only; a visitor or another zone's viewer typing "Gent" learns what typing a zone that does
    not exist tells them."""
    engine = open_workspace(database_url())
    store_file(engine, SYSTEM, (SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "gent.csv",
               default_zone="Gent")
    profile = profile_from_yaml(
        (SAMPLE_DATA / "mappings" / "federal-police-wide.yaml").read_text(encoding="utf-8"))
    save_zone_profile(engine, SYSTEM, "Gent", profile)
    make_account("gina", "zone_viewer", ("Gent",))
    make_account("vera", "zone_viewer", ("Aalst",))

    reader = typed_zone_on_upload("gina", "Gent")
    assert "The mapping saved for <zone> is applied." in reader
    assert "The extract is valid: 9 rows" in reader
    nowhere = typed_zone_on_upload(None, "Nowhere")
    assert "The extract is valid" not in nowhere
    for outsider in (None, "vera"):
        assert typed_zone_on_upload(outsider, "Gent") == typed_zone_on_upload(outsider, "Nowhere")


@pytest.mark.parametrize("role, zones, allowed", [
    ("admin", (), True), ("zone_editor", ("Gent",), True), ("zone_editor", ("Aalst",), False),
    ("zone_viewer", ("Gent",), False), ("analyst", (), False)])
def test_only_who_may_store_a_zone_s_data_saves_its_profile(role, zones, allowed):
    engine = open_workspace(database_url())
    store_file(engine, SYSTEM, (SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "gent.csv",
               default_zone="Gent")
    actor = Actor("someone", role, frozenset(zones))
    if allowed:
        save_zone_profile(engine, actor, "Gent", MappingProfile())
        assert zone_profile(engine, actor, "Gent", "workforce") == MappingProfile()
    else:
        with pytest.raises(Refused):
            save_zone_profile(engine, actor, "Gent", MappingProfile())
        assert zone_profile(engine, SYSTEM, "Gent", "workforce") is None
    assert zone_profile(engine, VISITOR, "Gent", "workforce") is None


@pytest.mark.parametrize("revoke", [
    lambda engine: accounts.set_password(engine, "vera", "a password set elsewhere"),
    lambda engine: accounts.reset_password(engine, SYSTEM, "vera"),
    lambda engine: accounts.update_user(engine, SYSTEM, "vera", active=False)],
    ids=["password", "reset", "deactivated"])
def test_an_open_session_ends_at_its_next_page_view_once_revoked(revoke):
    """Issue 11 item 2: a browser already signed in is a visitor again at its next click."""
    make_account("vera", "analyst")
    at = open_app("vera")
    assert at.session_state["_actor"].name == "vera"
    revoke(open_workspace(database_url()))
    at.run()
    assert not at.exception
    assert not at.session_state["_actor"].signed_in
    assert all(zone.endswith("(demo)") for zone in
               next(box for box in at.selectbox if box.label == "Zone").options)


def another_account_signs_in(engine) -> dict:
    """This tab's session now names another account (as a sign-in or a restored cookie does)."""
    make_account("otto", "zone_viewer", ("Aalst",))
    now = datetime.now(UTC)
    return {"name": "otto", "since": now, "seen": now}


@pytest.mark.parametrize("change", [
    lambda engine: accounts.reset_password(engine, SYSTEM, "vera"),
    lambda engine: accounts.delete_user(engine, SYSTEM, "vera"),
    another_account_signs_in],
    ids=["reset", "removed", "another-account"])
def test_a_file_tried_on_a_zone_is_forgotten_when_the_account_changes(change):
    """Issue 11: a file tried without storing, combined with Gent's stored data for vera, is
    session data of vera's; once vera's session ends (or another account takes the tab) it is
    gone from the session, and no page shows Gent's figures."""
    store_zone("Gent")
    make_account("vera", "zone_viewer", ("Gent",))
    at = open_app("vera")
    at.session_state["zone"] = "Gent"
    try_without_storing(at.run(), "movements", MOVEMENTS, "Gent")
    assert at.session_state["active_dataset"] is not None
    assert "Gent" in at.session_state["active_dataset"].zones
    session = change(open_workspace(database_url()))
    if isinstance(session, dict):
        at.session_state["account"] = session
    at.switch_page("pages/retention.py").run()
    assert not at.exception
    assert at.session_state["_actor"].name != "vera"
    assert ("active_dataset" not in at.session_state
            or at.session_state["active_dataset"] is None)
    assert "Gent" not in next(box for box in at.selectbox if box.label == "Zone").options


APP_PAGES = ["pages/representation.py", "pages/recruitment.py", "pages/retention.py",
             "pages/targets.py", "pages/compare.py", "pages/upload.py", "pages/versions.py",
             "pages/admin.py", "pages/about.py"]


@pytest.mark.parametrize("huge", [9223372036854775807, 2_000_000])
def test_a_huge_count_stored_behind_validation_s_back_breaks_no_page(huge, caplog):
    """Issue 11 item 6: a count written straight into the database; every page of the zone
    shows its content or a message, never a traceback or a server path."""
    engine = open_workspace(database_url())
    store_file(engine, SYSTEM, (SAMPLE_DATA / "workforce_gent.csv").read_bytes(), "gent.csv",
               default_zone="Gent")
    store_file(engine, SYSTEM, MOVEMENTS, "movements.csv", kind="movements",
               default_zone="Gent")
    with engine.begin() as conn:
        first = conn.execute(sa.select(sa.func.min(workforce_counts.c.count))).scalar()
        conn.execute(workforce_counts.update().where(workforce_counts.c.count == first)
                     .values(count=huge))
    make_account("ada", "admin")
    at = open_app("ada")
    at.session_state["zone"] = "Gent"
    for page in APP_PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        shown = texts(at)
        assert "Traceback" not in shown and str(ROOT) not in shown, page
        assert shown.strip(), page
        for reference in re.findall(r"under reference (\w+)", shown):
            assert f"(reference {reference})" in caplog.text  # the details are in the log


def test_an_unexpected_error_is_a_translated_message_and_a_logged_reference(monkeypatch,
                                                                              caplog):
    def broken(*args, **kwargs):
        raise RuntimeError(f"a failure deep in {ROOT}")

    monkeypatch.setattr("cpwb_stats.pipeline.protect_representation", broken)
    at = open_app(language="nl")
    at.switch_page("pages/representation.py").run()
    assert not at.exception
    shown = texts(at)
    assert "Er ging iets mis bij het tonen van deze pagina" in shown
    assert str(ROOT) not in shown and "RuntimeError" not in shown
    reference = re.search(r"referentie (\w+)", shown).group(1)
    assert f"(reference {reference})" in caplog.text and "a failure deep in" in caplog.text
