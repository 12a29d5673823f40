import ast
import re
from string import Formatter

import pytest

from cpwb_stats.i18n import LANGUAGES, catalogue, resolve_language, translate
from tests.conftest import ROOT


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders():
    english = catalogue("en")
    for language in LANGUAGES:
        other = catalogue(language)
        assert set(other) == set(english), language
        for key, text in english.items():
            assert placeholders(other[key]) == placeholders(text), (language, key)
            assert other[key].strip(), (language, key)


def _keys_used_in_code() -> set[str]:
    keys = set()
    for path in [*ROOT.glob("cpwb_stats/*.py"), *ROOT.glob("cpwb_ui/*.py"),
                 *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                value = node.args[0].value
                if name in ("error", "warning") and isinstance(value, str):
                    keys.add(f"problem.{value}")
                elif name in ("t", "translate") and isinstance(value, str):
                    keys.add(value)
            if isinstance(node, ast.Call) and len(node.args) >= 4 and getattr(
                    node.func, "id", "") == "_check" and isinstance(node.args[2], ast.Constant):
                keys.add(f"problem.{node.args[2].value}")
    return keys


def test_every_message_the_code_uses_exists():
    missing = sorted(k for k in _keys_used_in_code() if k not in catalogue("en"))
    assert missing == []


@pytest.mark.parametrize("locale, expected", [("nl-BE", "nl"), ("fr_BE", "fr"), ("de-DE", "en"),
                                              (None, "en"), ("FR", "fr")])
def test_browser_locale_picks_the_language(locale, expected):
    assert resolve_language(locale) == expected


def test_translation_fills_placeholders():
    assert translate("problem.unknown_rank", "nl", accepted="Agent") == (
        "Onbekende graad. Aanvaarde graden: Agent.")
    assert re.search(r"\{", translate("progress.benchmark", "fr", benchmark="1", index="2")) is None


@pytest.mark.parametrize("language, count, words", [
    ("nl", 3, "3 problemen."), ("nl", 1, "1 probleem."), ("en", 1, "1 problem."),
    ("en", 1336, "1336 problems."), ("fr", 2, "2 problèmes."), ("fr", 1, "1 problème."),
    ("fr", 0, "0 problème."),
])
def test_counts_take_the_plural_of_their_language(language, count, words):
    assert words in translate("upload.invalid", language, count=count)
    assert "/" not in translate("upload.invalid", language, count=count)


@pytest.mark.parametrize("language, value, words", [
    ("en", "1", "1 row has no count at all and was skipped"),
    ("en", "1,336", "1,336 rows have no count at all and were skipped"),
    ("nl", "1.336", "1.336 rijen hebben helemaal geen aantal en werden overgeslagen"),
    ("fr", "1", "1 ligne n'a aucun effectif et a été ignorée"),
])
def test_a_count_given_as_text_takes_the_right_form(language, value, words):
    assert words in translate("problem.blank_rows_skipped", language, value=value, rows="4")


def test_no_message_leaves_the_plural_to_the_reader():
    for language in LANGUAGES:
        for key, text in catalogue(language).items():
            assert not re.search(r"\w\((s|en|n|x)\)|probleem/problemen|\(s\)", text), (
                language, key)


@pytest.mark.parametrize(("language", "gap", "size", "words"), [
    ("nl", "-9,2", "9,2", "(-9,2 procentpunten)"),
    ("nl", "+1,0", "1,0", "(+1,0 procentpunt)"),
    ("en", "-9.2", "9.2", "(-9.2 percentage points)"),
    ("en", "+1.0", "1.0", "(+1.0 percentage point)"),
    ("fr", "-9,2", "9,2", "(-9,2 points de pourcentage)"),
    ("fr", "+1,0", "1,0", "(+1,0 point de pourcentage)"),
])
def test_the_gap_to_a_target_takes_the_plural_its_number_needs(language, gap, size, words):
    """The Representation page said "-9,2 procentpunt" where the Targets page said
    "procentpunten": both now follow the number, as each language does."""
    sentence = translate("progress.target", language, scope="Zone", share="45 %", target="50 %",
                         deadline="2030-12-31", gap=gap, size=size, needed=12)
    assert words in sentence
