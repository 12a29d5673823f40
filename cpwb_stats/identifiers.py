"""Refuse files that carry a direct identifier, by header and by value.

Extracts must be anonymous. A column whose header names an identifier (in EN, NL or FR), or any
cell that looks like a Belgian national register number with valid check digits, an e-mail
address or a phone number, makes the whole file refused. Messages name the column and row but
never repeat the value: it is personal data and must not reach a screen or a log.
"""

from __future__ import annotations

import datetime as dt
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

IDENTIFIER_HEADERS.update({
    **dict.fromkeys(["worker", "employee", "medewerker", "werknemer", "personeelslid",
                     "collaborateur", "employe", "membre du personnel", "legal name",
                     "preferred name", "display name", "worker name", "naam medewerker",
                     "nom de l agent", "nom et prenom", "naam en voornaam", "voornaam en naam",
                     "nom prenom", "names"], "name"),
    **dict.fromkeys(["id", "ids", "other ids", "other id", "pernr", "pers no", "personnel no",
                     "personeelsnr", "stamnr", "sap number", "numero d agent"],
                    "personnel_number"),
})

# Families of headers, on the normalised header (lower-case ASCII words). Order matters:
# "Adresse e-mail" is an e-mail address before it is an address.
_HEADER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in [
        ("email", r"\b(e ?mail\w*|courriel|mailadres)\b"),
        ("national_register_number", r"\b(rijksregister\w*|insz|niss|bsn|ssn|national (register|"
                                     r"insurance|identity|id)|social security|registre national)\b"),
        ("birth_date", r"\b(date|datum|day) (of |van |de )?(birth|geboorte|naissance)\b|"
                       r"\b(birth|geboorte) ?(date|datum|day)\b|\bbirthday\b|^dob$|"
                       r"\bgeboortedatum\b|\bverjaardag\b"),
        ("phone", r"\b(phone|telephone|telefoon\w*|gsm|mobile|mobiel|portable|tel)\b"
                  r"( ?(number|nummer|no|nr|numero))?$"),
        ("address", r"\b(address\w*|adres\w*|street|straat|postcode|post code|postal code|zip "
                    r"code|woonplaats|domicile)\b"),
        ("personnel_number", r"\b(employee|worker|staff|personnel|person|personal|personeels|"
                             r"werknemer|medewerker|agent|collaborateur|employe|badge|collar|"
                             r"warrant|other|sap)s? ?(id|ids|no|nr|number|nummer|numero)\b|"
                             r"\b(personeelsnummer|stamnummer|matricule|pernr)\b"),
        ("name", r"\b(first|last|given|family|full|legal|preferred|display|maiden|middle) ?names?"
                 r"\b|\b(voornaam|achternaam|familienaam|meisjesnaam|prenom|nom de famille|"
                 r"nom complet)\b|\b(employee|worker|staff|officer|person|agent|member|"
                 r"medewerker|werknemer) ?(name|naam|nom)s?\b|\bname of (the )?(employee|"
                 r"worker|officer)\b"),
    ])

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"^(\+|00)?[\d\s./()-]{9,20}$")
_NRN = re.compile(r"^\d{2}\.?\d{2}\.?\d{2}[-.\s]?\d{3}\.?\d{2}$")
_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'’-]+"
# "Firstname Lastname (012345)": a name with a number in brackets, as HR systems list workers.
_PARTICLE = r"(?:van|von|de|der|den|het|ten|ter|le|la|du|des|el|al|d'|l')"
_NAME_WITH_NUMBER = re.compile(rf"^{_WORD}( (?i:{_PARTICLE} )*{_WORD})+ *"
                               r"\(\s*[A-Za-z]{0,4}[-_]?\d{3,}\s*\)$")
_STREET = re.compile(
    r"(\b\d{1,4}[a-z]?\b.*\b(street|st|road|rd|lane|avenue|ave|drive|close|crescent|way|"
    r"square|place|rue|chaussee|boulevard|bd|allee|impasse|chemin)\b)|"
    r"(\b(rue|avenue|chaussee|boulevard|place|chemin|allee|impasse)\b.*\b\d{1,4}\b)|"
    r"(\w(straat|laan|lei|weg|plein|steenweg|dreef|kaai|singel|baan|hof)\b.*\b\d{1,4}\b)|"
    r"(\b(straat|laan|lei|weg|plein|steenweg|dreef|kaai)\b.*\b\d{1,4}\b)")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b")
_STAFF_NUMBER = re.compile(r"^([A-Za-z]{1,4}[-_ ]?\d{3,10}|0\d{3,9})$")
_AREA_CODE = re.compile(r"^[EWSNK]\d{8}$")  # ONS area codes (a force's E23000014)
_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# Common given names (BE/NL/FR/UK), to tell "Firstname Lastname" from a place or a unit.
GIVEN_NAMES = frozenset("""
aaron adam adrien ahmed alain alexander alexandre ali alice amelie amy ana andre andrew anna
anne annelies anouk antoine arne arthur bart bas ben benjamin bert bram bruno camille carine
caroline catherine charles charlotte chloe chris christine christophe claire claude daan daniel
david dirk dominique dylan eline elise ellen els emily emma eric eva fatima femke filip florence
francois frank frederic gert geert gilles hanna hannah harry hans helene hilde ian ilse ines
isabelle jack james jan jana jasper jean jeroen jessica joke jonas joost jorge jose joseph julie
julien karel karim karin katrien kevin koen kristof lars laura laurent lea lien linda lisa lore
louis lucas luc lucie lukas manon marc maria marie mark martin mathias mathieu matthias maxime
mehmet michael michel mohamed nathalie nicolas niels nina noah olivia oliver olivier patrick
paul peter philippe pieter pierre rachid robert robin ruben sam samir sander sara sarah sebastien
simon sofie sophie stefan stephane steven stijn sven thomas thijs tim tom valerie veerle vincent
wim william wouter yannick youssef yves
""".split())


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
    if re.fullmatch(r"\d+[.,]\d+", stripped):  # a decimal (0.0153), not a number to call
        return False
    digits = re.sub(r"\D", "", stripped)
    return 9 <= len(digits) <= 15 and not re.fullmatch(r"0+", digits)


def _value_kind(text: str) -> str | None:
    """The identifier one cell is on its own, whatever the rest of its column holds."""
    if "@" in text and _EMAIL.search(text):
        return "email"
    if is_national_register_number(text):
        return "national_register_number"
    if _is_phone(text):
        return "phone"
    stripped = text.strip()
    if _NAME_WITH_NUMBER.match(stripped):
        return "name"
    if _STREET.search(normalise_label(stripped)) or _UK_POSTCODE.search(stripped):
        return "address"
    return None


def header_kind(header: object) -> str | None:
    """The identifier a column header names, in EN/NL/FR or an HR system's words, if any.

    >>> [header_kind(h) for h in ["Worker", "Primary Home Address", "Other IDs", "Force Name"]]
    ['name', 'address', 'personnel_number', None]
    """
    label = normalise_label(header)
    if label in IDENTIFIER_HEADERS:
        return IDENTIFIER_HEADERS[label]
    return next((kind for kind, pattern in _HEADER_PATTERNS if pattern.search(label)), None)


def find_identifiers(cells: pd.DataFrame) -> list[Problem]:
    """One problem per column that names or holds a direct identifier (first offending row).

    Every column is checked, mapped or not: by its header, by each cell, and by the shape of
    the whole column (names, personnel numbers, birth dates).
    """
    problems = []
    for column in cells.columns:
        kind = header_kind(column)
        if kind:
            problems.append(error("identifier_header", column=column, kind=kind))
            continue
        problems.extend(_identifier_values(cells[column].astype(str)))
    return problems


def _identifier_values(column: pd.Series) -> list[Problem]:
    distinct = column[column.str.strip() != ""].drop_duplicates()
    for value in distinct:
        kind = _value_kind(value)
        if kind:
            return [_at_first(column, value, kind)]
    filled = column[column.str.strip() != ""]
    kind = _column_kind(distinct, unique=len(distinct) == len(filled))
    if kind:
        return [error("identifier_value", row=int(distinct.index[0]), column=column.name,
                      kind=kind)]
    return []


def _at_first(column: pd.Series, value: str, kind: str) -> Problem:
    row = int(column.index[column == value][0])
    return error("identifier_value", row=row, column=column.name, kind=kind)


def _column_kind(distinct: pd.Series, unique: bool) -> str | None:
    """What a column's values together say: mostly person names, staff numbers, birth dates.

    Staff numbers are told from codes (of a force, a unit) by being one per row, and from
    counts by a letter prefix or a leading zero.
    """
    values = [v.strip() for v in distinct.tolist()[:5000]]
    if len(values) < 3:
        return None
    share = lambda test: sum(map(test, values)) / len(values)  # noqa: E731
    if share(_looks_like_person) >= 0.5:
        return "name"
    if unique and len(values) >= 5 and share(_is_staff_number) >= 0.9 and share(
            lambda v: not v.isdigit() or v.startswith("0")) >= 0.5:
        return "personnel_number"
    if len(values) >= 5 and _birth_dates(values):
        return "birth_date"
    return None


def _is_staff_number(value: str) -> bool:
    return bool(_STAFF_NUMBER.match(value)) and not _AREA_CODE.match(value)


def _looks_like_person(value: str) -> bool:
    words = value.replace(",", " ").split()
    if not 2 <= len(words) <= 4 or not all(re.fullmatch(_WORD, w) for w in words):
        return False
    first = normalise_label(words[-1] if "," in value else words[0])
    return first in GIVEN_NAMES


def _birth_dates(values: list[str]) -> bool:
    """Full dates lying 16 to 75 years back and spread over a decade: people's birth dates."""
    years = []
    for value in values:
        match = _FULL_DATE.match(value)
        if not match:
            continue
        years.append(int(match.group(1) or match.group(6)))
    if len(years) < 0.9 * len(values):
        return False
    this_year = dt.date.today().year
    born = [y for y in years if this_year - 75 <= y <= this_year - 16]
    return len(born) >= 0.9 * len(years) and max(years) - min(years) >= 10
