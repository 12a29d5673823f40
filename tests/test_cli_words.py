"""The command line's help and its argument mistakes in the reader's language (everyday fixes).

Run as a user runs it, in a separate process; the expected words are written by hand."""

import subprocess
import sys

import pytest

from cpwb_stats.cli.words import ARGPARSE_WORDS, command_language
from cpwb_stats.i18n import LANGUAGES, catalogue
from tests.conftest import ROOT


def run(*args: str, env_lang: str = "C") -> subprocess.CompletedProcess:
    env = {"LANG": env_lang, "PATH": "/usr/bin:/bin", "COLUMNS": "400"}  # one line a help
    return subprocess.run([sys.executable, "-m", "cpwb_stats", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


# (language, words the top-level help must hold, English it must not)
TOP = [
    ("nl", ["gebruik: python -m cpwb_stats", "positionele argumenten:", "opties:",
            "deze hulp tonen en stoppen", "een extract nakijken en elk probleem opsommen",
            "Diversiteitsstatistieken"]),
    ("fr", ["utilisation : python -m cpwb_stats", "arguments positionnels :", "options :",
            "afficher cette aide et quitter", "vérifier un extrait et lister chaque problème",
            "Statistiques de diversité"]),
    ("en", ["usage: python -m cpwb_stats", "positional arguments:", "options:",
            "show this help message and exit", "check an extract and list every problem"]),
]
ENGLISH = ("usage:", "positional arguments", "show this help", "check an extract",
           "representation by rank", "manage accounts", "language of messages")


@pytest.mark.parametrize("language, said", TOP)
def test_the_top_level_help_is_in_the_reader_s_language(language, said):
    result = run("--lang", language, "--help")
    assert result.returncode == 0, result.stderr
    for words in said:
        assert words in result.stdout, words
    if language != "en":
        assert [w for w in ENGLISH if w in result.stdout] == []


def test_the_help_follows_the_lang_setting_and_lang_after_the_command():
    assert "gebruik:" in run("--help", env_lang="nl_BE.UTF-8").stdout
    assert "utilisation :" in run("template", "--help", "--lang", "fr").stdout
    assert "usage:" in run("--help", env_lang="de_DE.UTF-8").stdout


# every command's help, in Dutch and French: a description of the command and of each option
COMMANDS = [["validate"], ["representation"], ["funnel"], ["retention"], ["project"],
            ["publish"], ["report"], ["template"], ["store"], ["history"], ["users", "add"],
            ["users", "set"], ["users", "list"]]


@pytest.mark.parametrize("language, options_title, lang_help", [
    ("nl", "opties:", "taal van de berichten"), ("fr", "options :", "langue des messages")])
def test_every_command_s_help_is_in_the_reader_s_language(language, options_title, lang_help):
    for command in COMMANDS:
        result = run("--lang", language, *command, "--help")
        assert result.returncode == 0, (command, result.stderr)
        assert options_title in result.stdout and lang_help in result.stdout, command
        assert [w for w in ENGLISH if w in result.stdout] == [], command


def test_each_option_of_a_command_is_explained_in_dutch():
    text = run("--lang", "nl", "template", "--help").stdout
    assert "soort extract (standaard workforce)" in text
    assert "alleen nodig als de bestandsnaam op geen van beide eindigt" in text
    text = run("--lang", "nl", "validate", "--help").stdout
    assert "bestand" in text and "hoe datums zoals 10/01/2021 geschreven zijn" in text


@pytest.mark.parametrize("language, args, said", [
    ("nl", ["users", "add"], "fout: deze argumenten zijn verplicht: accountnaam, --role"),
    ("fr", ["users", "add"], "erreur : ces arguments sont obligatoires : nom_du_compte, --role"),
    ("nl", ["template", "--kind", "staff", "-o", "t.csv"], "ongeldige keuze: 'staff'"),
    ("fr", ["validate"], "ces arguments sont obligatoires : fichier"),
    ("fr", ["project", "--years", "x"], "doit être un nombre entier, 0 ou plus : x"),
    ("nl", ["project", "--leaver-rate", "150%"], "moet tussen 0 en 1 liggen"),
    ("nl", ["validate", "x.csv", "--bogus"], "onbekende argumenten: --bogus"),
])
def test_a_mistyped_command_is_explained_in_the_reader_s_language(language, args, said):
    result = run("--lang", language, *args)
    assert result.returncode == 2
    assert said in result.stderr
    assert "Traceback" not in result.stderr and "error:" not in result.stderr


@pytest.mark.parametrize("argv, environment, expected", [
    (["--lang", "fr", "--help"], "nl_BE", "fr"), (["users", "list", "--lang=nl"], None, "nl"),
    (["--lang", "xx", "--help"], "fr_BE.UTF-8", "fr"), (["--help"], None, "en"),
    (["--lang", "nl", "validate", "--lang", "fr"], None, "fr"),
    (["validate", "--", "--lang", "nl"], None, "en")])
def test_the_language_is_read_before_the_command(monkeypatch, argv, environment, expected):
    monkeypatch.delenv("CPWB_LANG", raising=False)
    if environment is None:
        monkeypatch.delenv("LANG", raising=False)
    else:
        monkeypatch.setenv("LANG", environment)
    assert command_language(argv) == expected


def test_argparse_s_words_keep_their_placeholders_in_every_language():
    """argparse fills %(prog)s, %s, %(value)r: every translation keeps the same ones."""
    import re

    for message, key in ARGPARSE_WORDS.items():
        english = catalogue("en")[f"cli.argparse.{key}"]
        assert english == message  # English is argparse's own words
        wanted = sorted(re.findall(r"%(?:\(\w+\))?[sr]", message))
        for language in LANGUAGES:
            text = catalogue(language)[f"cli.argparse.{key}"]
            assert sorted(re.findall(r"%(?:\(\w+\))?[sr]", text)) == wanted, (language, key)


def test_argparse_is_english_again_after_a_command():
    """The catalogue's words are lent to argparse only while the command line reads a command."""
    import argparse

    code = ("import argparse, sys; from cpwb_stats.cli.main import main\n"
            "try: main(['--lang', 'nl', 'validate'])\nexcept SystemExit: pass\n"
            "print(argparse.ArgumentParser(prog='x').format_help())")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert "deze argumenten zijn verplicht" in result.stderr
    assert "usage: x" in result.stdout and "show this help message and exit" in result.stdout
    assert argparse._("usage: ") == "usage: "
