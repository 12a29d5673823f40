"""Refuse files that carry a direct identifier, by header and by value.

Extracts must be anonymous. A column whose header names an identifier (in EN, NL or FR), or any
cell that looks like a Belgian national register number with valid check digits, an e-mail
address or a phone number, makes the whole file refused. Messages name the column and row but
never repeat the value: it is personal data and must not reach a screen or a log.
"""

from __future__ import annotations

import re

import pandas as pd

from cpwb_stats.problems import Problem, error
from cpwb_stats.vocabulary import normalise_label

IDENTIFIER_HEADERS: dict[str, str] = {
    **dict.fromkeys(["name", "full name", "first name", "last name", "surname", "given name",
                     "family name", "naam", "voornaam", "achternaam", "familienaam",
                     "volledige naam", "nom", "prenom", "nom de famille", "nom complet",
                     "employee name", "officer name"], "name"),
    **dict.fromkeys(["national register number", "national number", "national id",
                     "rijksregisternummer", "rijksregister", "rrn", "insz", "insz nummer",
                     "numero de registre national", "registre national", "niss",
                     "numero national", "social security number", "ssn",
                     "national insurance number"], "national_register_number"),
    **dict.fromkeys(["personnel number", "employee number", "employee id", "staff number",
                     "staff id", "personeelsnummer", "stamnummer", "matricule",
                     "numero de matricule", "numero du personnel", "identifiant", "badge number",
                     "collar number", "warrant number"], "personnel_number"),
    **dict.fromkeys(["e mail", "email", "email address", "e mail address", "mail",
                     "e mailadres", "emailadres", "adresse e mail", "courriel",
                     "adresse electronique"], "email"),
    **dict.fromkeys(["phone", "phone number", "telephone", "telephone number", "mobile",
                     "gsm", "telefoon", "telefoonnummer", "gsm nummer", "numero de telephone",
                     "portable"], "phone"),
    **dict.fromkeys(["birth date", "date of birth", "dob", "birthdate", "geboortedatum",
                     "date de naissance", "datum van geboorte"], "birth_date"),
    **dict.fromkeys(["address", "home address", "street", "postal address", "adres",
                     "woonadres", "straat", "adresse", "rue", "domicile"], "address"),
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"^(\+|00)?[\d\s./()-]{9,20}$")
_NRN = re.compile(r"^\d{2}\.?\d{2}\.?\d{2}[-.\s]?\d{3}\.?\d{2}$")


def is_national_register_number(text: str) -> bool:
    """True for an 11-digit Belgian national register number whose check digits are valid.

    The check is 97 - (first nine digits mod 97), with a leading 2 for births from 2000 on.
    """
    if not _NRN.match(text.strip()):
        return False
    digits = re.sub(r"\D", "", text)
    base, check = int(digits[:9]), int(digits[9:])
    return check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def _is_phone(text: str) -> bool:
    stripped = text.strip()
    if not _PHONE.match(stripped) or not (stripped.startswith(("+", "0"))):
        return False
    digits = re.sub(r"\D", "", stripped)
    return 9 <= len(digits) <= 15 and not re.fullmatch(r"0+", digits)


def _value_kind(text: str) -> str | None:
    if "@" in text and _EMAIL.search(text):
        return "email"
    if is_national_register_number(text):
        return "national_register_number"
    if _is_phone(text):
        return "phone"
    return None


def find_identifiers(cells: pd.DataFrame) -> list[Problem]:
    """One problem per column that names or holds a direct identifier (first offending row)."""
    problems = []
    for column in cells.columns:
        kind = IDENTIFIER_HEADERS.get(normalise_label(column))
        if kind:
            problems.append(error("identifier_header", column=column, kind=kind))
            continue
        problems.extend(_identifier_values(cells[column]))
    return problems


def _identifier_values(column: pd.Series) -> list[Problem]:
    for value in column.drop_duplicates():
        kind = _value_kind(str(value)) if value else None
        if kind:
            row = int(column.index[column == value][0])
            return [error("identifier_value", row=row, column=column.name, kind=kind)]
    return []
