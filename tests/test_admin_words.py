"""The Administration page in Dutch and French: no English word left (issue: everyday fixes).

The audit log keeps the words it was written with; the page shows them in the reader's
language. The English phrases below are what the workspace writes and what Streamlit shows by
default; they are listed here by hand, not taken from the code."""

import pytest
import streamlit as st

from cpwb_stats.i18n import LANGUAGES, catalogue
from cpwb_stats.workspace import accounts
from cpwb_stats.workspace.access import Actor
from cpwb_stats.workspace.audit import audit_trail
from cpwb_ui.workspace_view import audit_actor, audit_detail, display_audit
from tests.test_app import PASSWORD, make_account, open_app, sign_in

ROOT_ADMIN = Actor("ada", "admin")

# What the workspace writes in English (hand-listed), and what it is in Dutch and French.
DETAILS = [
    ("created vera as analyst for all zones",
     "vera aangemaakt als analist voor alle zones", "vera créé comme analyste pour toutes les zones"),
    ("created erik as zone_editor for Gent, Aalst",
     "erik aangemaakt als zone-editor voor Gent, Aalst",
     "erik créé comme éditeur de zone pour Gent, Aalst"),
    ("changed erik: role zone_viewer, zones Gent, active False",
     "erik gewijzigd: rol zonelezer, zones Gent, actief nee",
     "erik modifié : rôle lecteur de zone, zones Gent, actif non"),
    ("changed vera: role analyst, zones -, active True",
     "vera gewijzigd: rol analist, zones geen, actief ja",
     "vera modifié : rôle analyste, zones aucune, actif oui"),
    ("removed vera", "vera verwijderd", "vera supprimé"),
    ("reset the password of erik", "wachtwoord van erik gewist",
     "mot de passe de erik réinitialisé"),
    ("set the password of erik", "wachtwoord van erik ingesteld", "mot de passe de erik défini"),
    ("password chosen with a setup token", "wachtwoord gekozen via een instellink",
     "mot de passe choisi avec un lien d'activation"),
    ("created root as the first admin", "root aangemaakt als eerste beheerder",
     "root créé comme premier administrateur"),
    ("saved the mapping profile", "koppelprofiel bewaard", "profil de correspondance enregistré"),
]


@pytest.mark.parametrize("english, dutch, french", DETAILS)
def test_each_audit_detail_reads_in_the_reader_s_language(english, dutch, french):
    assert audit_detail(english, "en") == english.replace("first admin", "first administrator") \
        .replace("zone_editor", "zone editor").replace("zone_viewer", "zone viewer") \
        .replace("active False", "active no").replace("active True", "active yes") \
        .replace("zones -", "zones none").replace("setup token", "setup link")
    assert audit_detail(english, "nl") == dutch
    assert audit_detail(english, "fr") == french


def test_a_detail_the_page_does_not_know_is_shown_as_written():
    assert audit_detail("something new", "nl") == "something new"
    assert audit_detail(None, "fr") == ""


@pytest.mark.parametrize("language, said", [("nl", "opdrachtregel (jan)"),
                                            ("fr", "ligne de commande (jan)"),
                                            ("en", "command line (jan)")])
def test_the_command_line_as_actor_is_named_in_the_reader_s_language(language, said):
    assert audit_actor("command line (jan)", language) == said
    assert audit_actor("commandline", language) == "commandline"  # an account's own name


# English that must not reach a Dutch or French reader of the audit log
ENGLISH = ("created", "changed", "removed", "password", "all zones", "setup", "upload",
           "command line", "first admin", "mapping", "True", "False", "login")


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_entry_the_workspace_writes_is_translated(engine, language):
    """Every kind of entry the account and workspace functions write, shown in Dutch/French."""
    token = accounts.first_admin_token(engine)
    accounts.redeem_token(engine, token, PASSWORD, username="root")
    admin = Actor("root", "admin")
    link = accounts.create_user(engine, admin, "vera", "analyst")
    accounts.redeem_token(engine, link, PASSWORD)
    accounts.create_user(engine, admin, "erik", "zone_editor", ["Gent"])
    accounts.update_user(engine, admin, "erik", "zone_viewer", ["Gent", "Aalst"], False)
    accounts.reset_password(engine, admin, "erik")
    accounts.set_password(engine, "erik", PASSWORD + "x")
    accounts.authenticate(engine, "vera", PASSWORD)
    for _ in range(8):  # wrong passwords until sign-in is throttled
        try:
            accounts.authenticate(engine, "vera", "wrong password")
        except accounts.Refused:
            pass
    accounts.delete_user(engine, admin, "vera")
    trail = audit_trail(engine, admin)
    assert "throttled" in trail["detail"].tolist()
    shown = display_audit(trail, language)
    words = catalogue(language)
    text = " ".join(shown[[words["admin.col_actor"], words["admin.col_action"],
                           words["admin.col_detail"]]].to_numpy().ravel().tolist())
    assert [w for w in ENGLISH if w in text] == []


def _page_words(at) -> str:
    """Every label, placeholder, help, option, text and table cell the page sends."""
    seen = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and type(node).__name__ not in ("Dataframe", "Html"):
            for field, value in proto.ListFields():  # what a reader sees, not widget keys
                if field.name in ("label", "body", "placeholder", "help", "options"):
                    seen.append(str(value))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    seen += [df.value.to_string() for df in at.dataframe]
    return "\n".join(seen)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_administration_page_has_no_english_left(data_dir, language):
    st.cache_data.clear()
    make_account("ada", "admin")
    make_account("erik", "zone_editor", ("Gent",))
    at = sign_in(open_app(language), "ada")
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    page = _page_words(at)
    assert catalogue(language)["admin.title"] in page and catalogue(language)["admin.reset"] in page
    placeholders = [m.placeholder for m in at.multiselect]
    assert placeholders and all(p.strip() for p in placeholders)  # none left to Streamlit
    assert all(p in (catalogue(language)["admin.zones_placeholder"],
                     catalogue(language)["admin.zones_placeholder_none"]) for p in placeholders)
    for english in (*ENGLISH, "Choose", "options", "as admin", "analyst for", "zone_editor"):
        assert english not in page, english


def test_the_catalogues_name_every_audit_action():
    from cpwb_ui.workspace_view import AUDIT_ACTIONS

    for language in LANGUAGES:
        assert all(f"admin.action_{a}" in catalogue(language) for a in AUDIT_ACTIONS)
