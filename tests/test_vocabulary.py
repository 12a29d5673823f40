import pytest

from cpwb_stats.terms.vocabulary import (
    DISABILITY,
    GENDER,
    MIGRATION_BACKGROUND,
    is_total_label,
    normalise_label,
    target_for_header,
)


@pytest.mark.parametrize("text, expected", [("  Date de Référence ", "date de reference"),
                                            ("TOTAL (headcount)", "total headcount"),
                                            ("gender=woman", "gender=woman"), (None, "")])
def test_normalise_label(text, expected):
    assert normalise_label(text) == expected


@pytest.mark.parametrize("dimension, raw, code", [
    (GENDER, "V", "woman"), (GENDER, "femme", "woman"), (GENDER, "Female", "woman"),
    (GENDER, "H", "man"), (GENDER, "Prefer to self-describe", "x"),
    (GENDER, "Prefer not to say", "undisclosed"), (GENDER, "", "unknown"),
    (GENDER, "Not stated", "unknown"), (MIGRATION_BACKGROUND, "ja", "yes"),
    (MIGRATION_BACKGROUND, "Oui", "yes"), (MIGRATION_BACKGROUND, "0", "no"),
    (MIGRATION_BACKGROUND, "wil niet zeggen", "undisclosed"),
    (DISABILITY, "onbekend", "unknown"), (GENDER, "martian", None),
])
def test_group_aliases(dimension, raw, code):
    assert dimension.code_for(raw) == code


@pytest.mark.parametrize("header, target", [
    ("peildatum", "reference_date"), ("date de reference", "reference_date"),
    ("as at 31 march", "reference_date"), ("force name", "zone"), ("graad", "rank"),
    ("total headcount", "count"), ("totaal", "total"), ("vrouwen", "gender=woman"),
    ("hommes", "gender=man"), ("opmerking", None),
])
def test_header_aliases(header, target):
    assert target_for_header(header) == target


@pytest.mark.parametrize("text", [
    "Total", "Totaal", "Total général", "GRAND TOTAL",
    # issue 12 item 3: plurals and common variants in EN/NL/FR
    "Totals", "TOTALS", "Overall", "Overall total", "Grand totals", "Grand Totals:", "Subtotal",
    "Sub-total", "Subtotals", "Sub totals", "Totalen", "Subtotaal", "Subtotalen", "Eindtotaal",
    "Algemeen totaal", "Totaal generaal", "Totaux", "Sous-total", "Sous-totaux",
    "Total général", "Totale", "Total 43 forces", "Totals (all zones)"])
def test_total_labels(text):
    assert is_total_label(text)


@pytest.mark.parametrize("text", ["Gent", "Totalement", "Totality", "Overijse", "Subway",
                                  "inspecteur", "Grand-Bigard", "Ieper"])
def test_names_that_are_not_total_labels(text):
    assert not is_total_label(text)
