"""Refuse files that carry a direct identifier, by header and by value.

Extracts must be anonymous. A column whose header names an identifier (in EN, NL, FR or DE, or
an HR system's field name such as SAP's ``GBDAT``), or any cell that looks like a Belgian
national register number with valid check digits, an e-mail address, a phone number or a
person's name written as HR systems list people (``PEETERS Jan``, ``Dupont, Marie``,
``Willems K. (6551)``), makes the whole file refused. So does a column whose values together
are names, staff numbers or birth dates (dates of 1940 to 2010 in a column not mapped to a
field: a few are enough). Messages name the column and row but
never repeat the value: it is personal data and must not reach a screen or a log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pandas as pd

from cpwb_stats.problems import Problem, error
from cpwb_stats.terms.vocabulary import normalise_label

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
    # German, and SAP HR's field names (PA0002: NACHN, VORNA, GBDAT, ...; PA0006: STRAS, ...)
    **dict.fromkeys(["vorname", "nachname", "familienname", "name vorname", "vorname name",
                     "mitarbeiter", "mitarbeitername", "nachn", "vorna", "cname", "ename",
                     "sname", "rufnm", "midnm", "name2", "nom usuel", "roepnaam"], "name"),
    **dict.fromkeys(["gbdat", "gbdatum", "gebdat", "geburtsdatum", "geburtstag", "geb datum",
                     "geb dat", "geboren", "geboren op", "geboren am", "geb am", "geboortedag",
                     "ne le", "nee le", "ne e le", "ne e", "date naiss", "date de naiss", "ddn",
                     "d o b", "born", "born on", "date born"], "birth_date"),
    **dict.fromkeys(["personalnummer", "personalnr", "pers nr", "mitarbeiternummer",
                     "mitarbeiter id", "persnr"], "personnel_number"),
    **dict.fromkeys(["anschrift", "strasse", "wohnort", "wohnadresse", "plz", "stras", "pstlz",
                     "ort01", "hsnmr"], "address"),
    **dict.fromkeys(["telefonnummer", "handy", "telnr", "handynummer"], "phone"),
    **dict.fromkeys(["sozialversicherungsnummer", "perid"], "national_register_number"),
})

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
                       r"\bgeboortedatum\b|\bverjaardag\b|\bgeb(oren)? ?(datum|dat|op|am)\b|"
                       r"\bgeburts(datum|tag)\b|\bdate (de )?naiss\w*|^n(e|ee|e e) le\b|"
                       r"\bgbdat\b|^d ?o ?b\b"),
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
# The same as HR systems also write it: the family name in capitals or followed by initials
# ("PEETERS Jan (012345)", "Willems K. (6551)", "VAN DEN BROECK S.J. (E01234)").
_CAPITALS = r"[A-ZÀ-Ý][A-ZÀ-Ý'’-]+"
_INITIALS = r"(?:[A-Z]\.\s?){1,3}"
_NAME_TOKEN = rf"(?:{_WORD}|{_CAPITALS}|(?i:{_PARTICLE}))"
_HR_NAME = re.compile(rf"^{_NAME_TOKEN}(?: {_NAME_TOKEN})*,? (?:{_WORD}|{_INITIALS})")
_NUMBER_IN_BRACKETS = re.compile(r"\(\s*[A-Za-z]{0,4}[-_]?\d{3,}\s*\)$")
_SURNAME_INITIALS = re.compile(rf"^{_NAME_TOKEN}(?: {_NAME_TOKEN})* {_INITIALS}$")
# "PEETERS Jan", "VAN DEN BROECK Sophie": a family name in capitals, then a given name.
_CAPITAL_SURNAME = re.compile(rf"^(?:{_CAPITALS}|(?i:{_PARTICLE}))(?: (?:{_CAPITALS}|"
                              rf"(?i:{_PARTICLE})))* ({_WORD})$")
# "Dupont, Marie": a family name, a comma, then a given name.
_COMMA_NAME = re.compile(rf"^{_WORD}(?: (?i:{_PARTICLE}) ?)*(?: {_WORD})*, ({_WORD})$")
# Words that open the name of a place or an organisation, never of a person: "Zone Gent (5415)".
_ORGANISATION_WORDS = frozenset("""
zone pz zp politiezone police politie district afdeling dienst service unit team force region
regio cluster direction directie commissariaat division departement department cel cellule
campagne campaign selectie selection sessie session groep group niveau klasse graad grade
""".split())
_STREET = re.compile(
    r"(\b\d{1,4}[a-z]?\b.*\b(street|st|road|rd|lane|avenue|ave|drive|close|crescent|way|"
    r"square|place|rue|chaussee|boulevard|bd|allee|impasse|chemin)\b)|"
    r"(\b(rue|avenue|chaussee|boulevard|place|chemin|allee|impasse)\b.*\b\d{1,4}\b)|"
    r"(\w(straat|laan|lei|weg|plein|steenweg|dreef|kaai|singel|baan|hof)\b.*\b\d{1,4}\b)|"
    r"(\b(straat|laan|lei|weg|plein|steenweg|dreef|kaai)\b.*\b\d{1,4}\b)")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b")
_STAFF_NUMBER = re.compile(r"^([A-Za-z]{1,4}[-_ ]?\d{3,10}|0\d{3,9})$")
_AREA_CODE = re.compile(r"^[EWSNK]\d{8}$")  # ONS area codes (a force's E23000014)
_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|"
                        r"^(19\d{2}|20[0-2]\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
BORN_FROM, BORN_UNTIL = 1940, 2010  # the years a member of staff may have been born in
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
    if _is_listed_person(stripped):
        return "name"
    if _STREET.search(normalise_label(stripped)) or _UK_POSTCODE.search(stripped):
        return "address"
    return None


def _is_listed_person(text: str) -> bool:
    """A person as an HR system lists one: a name with a number in brackets (``Jan Peeters
    (012345)``, ``Willems K. (6551)``), or a family name in capitals or before a comma followed
    by a known given name (``PEETERS Jan``, ``Dupont, Marie``)."""
    if normalise_label(text).split(" ")[0] in _ORGANISATION_WORDS:
        return False
    if _NUMBER_IN_BRACKETS.search(text):
        name = _NUMBER_IN_BRACKETS.sub("", text).strip()
        return bool(_NAME_WITH_NUMBER.match(text) or _HR_NAME.fullmatch(name)) and any(
            len(word) > 2 for word in name.split())
    given = _CAPITAL_SURNAME.match(text) or _COMMA_NAME.match(text)
    return bool(given) and normalise_label(given.group(1)) in GIVEN_NAMES


def header_kind(header: object) -> str | None:
    """The identifier a column header names, in EN/NL/FR or an HR system's words, if any.

    >>> [header_kind(h) for h in ["Worker", "Primary Home Address", "Other IDs", "Force Name"]]
    ['name', 'address', 'personnel_number', None]
    """
    label = normalise_label(header)
    if label in IDENTIFIER_HEADERS:
        return IDENTIFIER_HEADERS[label]
    return next((kind for kind, pattern in _HEADER_PATTERNS if pattern.search(label)), None)


def find_identifiers(cells: pd.DataFrame, mapped: Iterable[str] = ()) -> list[Problem]:
    """One problem per column that names or holds a direct identifier (first offending row).

    Every column is checked, mapped or not: by its header, by each cell, and by the shape of
    the whole column (names, personnel numbers, birth dates). ``mapped`` are the columns read
    as a field (a reference date, a movement's date): a few dates there are what they say,
    whereas a few dates of 1940 to 2010 in a column read as nothing are taken for birth dates.
    """
    problems, mapped = [], set(mapped)
    for column in cells.columns:
        kind = header_kind(column)
        if kind:
            problems.append(error("identifier_header", column=column, kind=kind))
            continue
        problems.extend(_identifier_values(cells[column].astype(str), column in mapped))
    return problems


def _identifier_values(column: pd.Series, mapped: bool = False) -> list[Problem]:
    distinct = column[column.str.strip() != ""].drop_duplicates()
    for value in distinct:
        kind = _value_kind(value)
        if kind:
            return [_at_first(column, value, kind)]
    filled = column[column.str.strip() != ""]
    kind = _column_kind(distinct, unique=len(distinct) == len(filled))
    if kind is None and not mapped and _few_birth_dates([v.strip() for v in distinct.tolist()]):
        kind = "birth_date"
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
    if _is_listed_person(value) or (_SURNAME_INITIALS.match(value) and normalise_label(
            value).split(" ")[0] not in _ORGANISATION_WORDS):
        return True
    words = value.replace(",", " ").split()
    if not 2 <= len(words) <= 4 or not all(re.fullmatch(_WORD, w) for w in words):
        return False
    first = normalise_label(words[-1] if "," in value else words[0])
    return first in GIVEN_NAMES


def _birth_dates(values: list[str]) -> bool:
    """Full dates lying 16 to 75 years back and spread over a decade: people's birth dates."""
    years = [date[0] for date in map(_date_parts, values) if date]
    if len(years) < 0.9 * len(values):
        return False
    this_year = dt.date.today().year
    born = [y for y in years if this_year - 75 <= y <= this_year - 16]
    return len(born) >= 0.9 * len(years) and max(years) - min(years) >= 10


def _date_parts(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a full date written 2024-12-31, 31/12/2024 or 20241231."""
    match = _FULL_DATE.match(value)
    if not match:
        return None
    groups = match.groups()
    year, month, day = (groups[0:3] if groups[0] else groups[3:6][::-1] if groups[5]
                        else groups[6:9])
    year, month, day = int(year), int(month), int(day)
    return (year, month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


def _few_birth_dates(values: list[str]) -> bool:
    """A handful of dates, all of years people on the staff were born in (1940 to 2010), most
    not at the first or last day of a month (as dates of reference or of a period are)."""
    dates = [_date_parts(v) for v in values]
    if not values or not all(dates):
        return False
    if not all(BORN_FROM <= year <= BORN_UNTIL for year, _, _ in dates):
        return False
    inside = [d for d in dates if 1 < d[2] < _last_day(d[0], d[1])]
    return len(inside) * 2 > len(dates)


def _last_day(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day
