"""`python -m cpwb_stats users|store|history`: accounts and the workspace from a terminal."""

from __future__ import annotations

import io
import re

import pytest

from cpwb_stats.cli.main import main
from cpwb_stats.demo.startup import open_workspace
from cpwb_stats.problems import Refused
from cpwb_stats.workspace import accounts
from tests.conftest import ROOT, SAMPLE_DATA


@pytest.fixture
def workspace_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CPWB_DATABASE_URL", url)
    monkeypatch.setenv("CPWB_DEMO", "0")
    return url


def setup_token(output: str) -> str:
    return re.search(r"\?setup=([\w-]+)", output).group(1)


def test_an_account_made_at_the_terminal_signs_in_with_its_setup_link(workspace_url, capsys):
    assert main(["users", "add", "vera", "--role", "zone_viewer", "--zone", "Gent"]) == 0
    token = setup_token(capsys.readouterr().out)
    engine = open_workspace(workspace_url)
    accounts.redeem_token(engine, token, "a long enough password")
    assert accounts.authenticate(engine, "vera", "a long enough password").zones == {"Gent"}


def test_list_set_reset_and_remove(workspace_url, capsys, monkeypatch):
    main(["users", "add", "vera", "--role", "zone_viewer", "--zone", "Gent"])
    assert main(["users", "set", "vera", "--role", "zone_editor", "--zone", "Aalst"]) == 0
    main(["users", "list"])
    listed = capsys.readouterr().out
    assert re.search(r"vera\s+zone_editor\s+Aalst", listed)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["users", "password", "vera"]) == 0
    engine = open_workspace(workspace_url)
    assert accounts.authenticate(engine, "vera", "a long enough password").role == "zone_editor"
    assert main(["users", "reset", "vera"]) == 0
    assert "?setup=" in capsys.readouterr().out
    assert main(["users", "remove", "vera"]) == 0
    assert accounts.actor_for(engine, "vera") is None


def test_a_refused_account_change_says_why_in_the_user_s_language(workspace_url, capsys):
    main(["users", "add", "vera", "--role", "analyst"])
    assert main(["--lang", "fr", "users", "add", "vera", "--role", "analyst"]) == 1
    assert "existe déjà" in capsys.readouterr().err


def test_the_first_admin_link_is_offered_only_while_there_is_no_admin(workspace_url, capsys):
    main(["users", "first-admin"])
    token = setup_token(capsys.readouterr().out)
    accounts.redeem_token(open_workspace(workspace_url), token, "a long enough password", "chief")
    main(["users", "first-admin"])
    assert "?setup=" not in capsys.readouterr().out


def test_store_and_history(workspace_url, tmp_path, capsys):
    assert main(["store", str(SAMPLE_DATA / "workforce_gent.csv"), "--zone", "Gent"]) == 0
    assert "version 1" in capsys.readouterr().out
    corrected = tmp_path / "workforce_gent.csv"  # the same rows, saved again (other bytes)
    corrected.write_bytes((SAMPLE_DATA / "workforce_gent.csv").read_bytes() + b"\n")
    assert main(["store", str(corrected), "--zone", "Gent"]) == 0
    main(["history", "--zone", "Gent"])
    history = capsys.readouterr().out
    assert re.search(r"2024-12-31\s+2\s+workforce_gent.csv", history)


@pytest.mark.parametrize(("language", "words"), [
    ("en", "This file is already stored for Gent, 2024-12-31, as version 1"),
    ("nl", "Dit bestand is al bewaard voor Gent, 2024-12-31, als versie 1"),
    ("fr", "Ce fichier est déjà enregistré pour Gent, 2024-12-31, comme version 1"),
])
def test_a_byte_identical_file_stored_again_says_so_and_adds_no_version(workspace_url, capsys,
                                                                        language, words):
    """Issue 15 item 1: storing the identical file again made a new version without a word."""
    gent = str(SAMPLE_DATA / "workforce_gent.csv")
    assert main(["store", gent, "--zone", "Gent"]) == 0
    capsys.readouterr()
    assert main(["--lang", language, "store", gent, "--zone", "Gent"]) == 0
    assert words in capsys.readouterr().out
    main(["history", "--zone", "Gent"])
    history = capsys.readouterr().out
    assert re.search(r"2024-12-31\s+1\s+workforce_gent.csv", history)
    assert not re.search(r"2024-12-31\s+2\s+workforce_gent.csv", history)


@pytest.mark.parametrize(("language", "words"), [
    ("en", "The file's own zone column names 5330, not 'Antwerpen'. Nothing was stored."),
    ("nl", "De zonekolom van het bestand noemt 5330, niet 'Antwerpen'. Er is niets bewaard."),
    ("fr", "La colonne de zone du fichier indique 5330, et non « Antwerpen ». Rien n'a été"),
])
def test_a_typed_zone_the_file_s_rows_are_not_in_is_refused(workspace_url, tmp_path, capsys,
                                                            language, words):
    """Issue 15 item 1 on the command line: `--zone Antwerpen` with a file whose own zone
    column says 5330 stored the rows for 5330 without a word."""
    extract = tmp_path / "extract.csv"
    extract.write_text("zone,reference_date,rank,gender,count\n"
                       "5330,2024-12-31,Inspector,woman,12\n5330,2024-12-31,Inspector,man,30\n")
    assert main(["--lang", language, "store", str(extract), "--zone", "Antwerpen"]) == 1
    assert words in " ".join(capsys.readouterr().err.split())
    for zone in ("Antwerpen", "5330"):
        assert main(["history", "--zone", zone]) == 1
    assert main(["store", str(extract)]) == 0
    assert "5330" in capsys.readouterr().out


def test_an_invalid_file_is_not_stored(workspace_url, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("reference_date,rank\n2024-12-31,nonsense\n")
    assert main(["store", str(bad), "--zone", "Gent"]) == 1
    assert main(["history", "--zone", "Gent"]) == 1


@pytest.mark.parametrize("command", [["users", "password", "vera"], ["users", "reset", "vera"],
                                     ["users", "set", "vera", "--active", "no"],
                                     ["users", "remove", "vera"]])
def test_a_setup_link_no_longer_opens_the_account_after_a_command(workspace_url, capsys,
                                                                    monkeypatch, command):
    """Issue 11 item 2: `users add` then `users password` (or reset, deactivate, remove): the
    link handed out first cannot take the account over any more."""
    main(["users", "add", "vera", "--role", "zone_viewer", "--zone", "Gent"])
    token = setup_token(capsys.readouterr().out)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(command) == 0
    engine = open_workspace(workspace_url)
    with pytest.raises(Refused, match="token_invalid"):
        accounts.redeem_token(engine, token, "the taker's long password")


def test_lang_after_the_command_has_the_same_effect_as_before_it(workspace_url, capsys):
    """`report ... --lang nl -o r.pdf` is not refused as an unrecognized argument: the message
    comes in Dutch, as with `--lang nl report ...`; so for `store` (French) too."""
    assert main(["store", str(SAMPLE_DATA / "workforce_gent.csv"), "--zone", "Gent",
                 "--lang", "fr"]) == 0
    assert "enregistré pour Gent, 2024-12-31 : version 1" in capsys.readouterr().out
    assert main(["report", "--stored-zone", "Nergens", "--period", "2024-12-31", "--lang", "nl",
                 "-o", "r.pdf"]) == 1
    after = capsys.readouterr().err
    assert "De werkruimte heeft geen personeelsbestand bewaard voor de zone 'Nergens'" in after
    assert "Zones: Gent." in after
    assert main(["--lang", "nl", "report", "--stored-zone", "Nergens", "--period", "2024-12-31",
                 "-o", "r.pdf"]) == 1
    assert capsys.readouterr().err == after
    assert main(["users", "list", "--lang", "nl"]) == 0


def test_a_mistyped_stored_zone_is_refused_with_the_list_of_stored_zones(workspace_url, capsys):
    """A new user types `--stored-zone "Gnt"`: publish (as report) answers which zones exist, in
    the chosen language, and both commands' --help say how to see them."""
    assert main(["store", str(SAMPLE_DATA / "workforce_gent.csv"), "--zone", "Gent"]) == 0
    capsys.readouterr()
    assert main(["publish", "--stored-zone", "Gnt", "--period", "2024-12-31", "--lang", "nl",
                 "-o", "p.zip"]) == 1
    err = capsys.readouterr().err
    assert "geen personeelsbestand bewaard voor de zone 'Gnt'. Zones: Gent." in err
    for command in ("report", "publish"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        shown = " ".join(capsys.readouterr().out.split())
        assert '"Gent (demo)"' in shown and "list the stored zones" in shown


def test_the_readme_and_the_guides_show_commands_that_name_a_real_zone():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command_line = readme.split("## Command line")[1].split("\n## ")[0]
    assert 'cpwb_stats report --stored-zone "Gent (demo)"' in command_line
    assert 'cpwb_stats publish --stored-zone "Gent (demo)"' in command_line
    for guide in ("report.md", "publication.md"):
        text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
        assert '--stored-zone "Gent"' not in text and '--stored-zone "Gent (demo)"' in text


@pytest.mark.parametrize("language, words", [
    ("en", "The workspace has no accounts yet. Add one with: python -m cpwb_stats users add"),
    ("nl", "De werkruimte heeft nog geen accounts. Voeg er een toe met: python -m cpwb_stats"),
    ("fr", "L'espace de travail n'a pas encore de compte. Ajoutez-en un avec : python -m")])
def test_users_list_on_an_empty_workspace_says_so_in_a_sentence(workspace_url, capsys, language,
                                                                words):
    assert main(["users", "list", "--lang", language]) == 0
    out = capsys.readouterr().out
    assert out.startswith(words)
    assert "DataFrame" not in out and "Columns" not in out


def test_users_list_shows_an_account_that_never_signed_in_without_none(workspace_url, capsys):
    main(["users", "add", "vera", "--role", "zone_viewer", "--zone", "Gent"])
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"vera\s+zone_viewer\s+Gent\s+True\s+False\s*$", out, re.MULTILINE)
    assert "None" not in out and "NaT" not in out
