"""Generate the synthetic sample zones (seeded, so every run writes the same files).

    python sample_data/generate.py

Each zone is simulated person by person from a starting workforce, year by year: leavers,
hires and promotions, with representation falling with rank and more women in CALog. Nothing
here describes a real person or a real zone's figures; sizes and shares are set from the
published orders of magnitude in the project's reference notes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
YEARS = (2021, 2022, 2023, 2024)
OPERATIONAL = ["agent", "inspector", "chief-inspector", "commissioner", "chief-commissioner"]
CALOG = ["calog-d", "calog-c", "calog-b", "calog-a"]
RANK_MIX = {"agent": 0.09, "inspector": 0.58, "chief-inspector": 0.22, "commissioner": 0.09,
            "chief-commissioner": 0.02, "calog-d": 0.25, "calog-c": 0.43, "calog-b": 0.21,
            "calog-a": 0.11}
WOMEN = {"agent": 0.32, "inspector": 0.24, "chief-inspector": 0.17, "commissioner": 0.14,
         "chief-commissioner": 0.09, "calog-d": 0.62, "calog-c": 0.64, "calog-b": 0.55,
         "calog-a": 0.45}
MIGRATION_BY_LEVEL = (1.6, 1.0, 0.6, 0.35, 0.15)  # relative to inspector level, lowest first


@dataclass(frozen=True)
class Zone:
    name: str
    file: str
    language: str
    headcount: int
    calog_share: float
    migration_share: float  # among declared inspectors
    seed: int


ZONES = (
    Zone("Gent", "workforce_gent.csv", "nl", 1320, 0.15, 0.05, 11),
    Zone("Charleroi", "workforce_charleroi.csv", "fr", 1150, 0.18, 0.09, 23),
    Zone("Brussel-Elsene/Bruxelles-Ixelles", "workforce_brussels.csv", "en", 2300, 0.17, 0.16, 37),
)

HEADERS = {
    "nl": ["peildatum", "graad", "personeelscategorie", "geslacht", "migratieachtergrond",
           "handicap", "leeftijdsgroep", "jaar van indiensttreding", "vte"],
    "fr": ["date de référence", "grade", "catégorie de personnel", "genre",
           "origine migratoire", "handicap", "tranche d'âge", "année d'entrée", "ETP"],
    "en": ["reference_date", "zone", "rank", "staff_category", "gender",
           "migration_background", "disability", "age_band", "entry_year", "fte"],
}
CODES = {
    "nl": {"woman": "V", "man": "M", "x": "X", "yes": "ja", "no": "nee",
           "undisclosed": "wil niet zeggen", "unknown": "", "operational": "operationeel",
           "calog": "CALog", "agent": "Agent van politie", "inspector": "Inspecteur",
           "chief-inspector": "Hoofdinspecteur", "commissioner": "Commissaris",
           "chief-commissioner": "Hoofdcommissaris", "calog-d": "Niveau D",
           "calog-c": "Niveau C", "calog-b": "Niveau B", "calog-a": "Niveau A"},
    "fr": {"woman": "F", "man": "H", "x": "X", "yes": "oui", "no": "non",
           "undisclosed": "ne souhaite pas répondre", "unknown": "inconnu",
           "operational": "cadre opérationnel", "calog": "CALog", "agent": "Agent de police",
           "inspector": "Inspecteur", "chief-inspector": "Inspecteur principal",
           "commissioner": "Commissaire", "chief-commissioner": "Commissaire divisionnaire",
           "calog-d": "Niveau D", "calog-c": "Niveau C", "calog-b": "Niveau B",
           "calog-a": "Niveau A"},
}


def _category(rank: str) -> str:
    return "calog" if rank.startswith("calog") else "operational"


def _person(rng: np.random.Generator, zone: Zone, rank: str, year: int, hired: bool) -> dict:
    ladder = CALOG if rank.startswith("calog") else OPERATIONAL
    level = MIGRATION_BY_LEVEL[min(ladder.index(rank), 4)] if ladder is OPERATIONAL else 0.9
    migration = zone.migration_share * level * (1.6 if hired else 1.0)
    seniority = 0 if hired else int(rng.integers(0, 12 + 5 * ladder.index(rank)))
    age = int(np.clip(rng.normal(24 + seniority + 3 * ladder.index(rank), 4), 20, 64))
    return {
        "rank": rank,
        "gender": rng.choice(["woman", "man", "x", "unknown"],
                             p=[WOMEN[rank] * 0.994, (1 - WOMEN[rank]) * 0.994, 0.002, 0.004]),
        "migration": rng.choice(["yes", "no", "undisclosed", "unknown"],
                                p=[0.80 * migration, 0.80 * (1 - migration), 0.12, 0.08]),
        "disability": rng.choice(["yes", "no", "undisclosed", "unknown"],
                                 p=[0.015, 0.685, 0.15, 0.15]),
        "birth_year": year - age,
        "entry_year": year - seniority,
        "fte": float(rng.choice([1.0, 0.8, 0.5], p=[0.88, 0.09, 0.03])),
    }


def _start(rng: np.random.Generator, zone: Zone) -> list[dict]:
    people = []
    for rank, mix in RANK_MIX.items():
        category_size = zone.headcount * (zone.calog_share if _category(rank) == "calog"
                                          else 1 - zone.calog_share)
        people += [_person(rng, zone, rank, YEARS[0], False) for _ in range(round(category_size * mix))]
    return people


def _next_year(rng: np.random.Generator, zone: Zone, people: list[dict], year: int,
               events: list[dict]) -> list[dict]:
    """The workforce a year later; the year's leavers, promotions and hires go to ``events``."""
    stay = [p for p in people if rng.random() > (0.065 if p["migration"] == "yes" else 0.05)]
    kept = {id(p) for p in stay}
    events += [{**p, "movement": "leave", "year": year} for p in people if id(p) not in kept]
    for person in stay:
        ladder = CALOG if person["rank"].startswith("calog") else OPERATIONAL
        position = ladder.index(person["rank"])
        if position + 1 < len(ladder) and rng.random() < 0.04 / (1 + position):
            events.append({**person, "movement": "promotion", "year": year,
                           "from_rank": person["rank"], "rank": ladder[position + 1]})
            person["rank"] = ladder[position + 1]
    hires = [_person(rng, zone, rng.choice(["inspector", "agent", "calog-c", "calog-b"],
                                           p=[0.6, 0.2, 0.12, 0.08]), year, True)
             for _ in range(len(people) - len(stay) + int(rng.integers(-5, 15)))]
    events += [{**p, "movement": "hire", "year": year} for p in hires]
    return stay + hires


MOVEMENT_HEADERS = {
    "nl": ["datum", "beweging", "graad", "vorige graad", "reden van vertrek",
           "jaar van indiensttreding", "geslacht", "migratieachtergrond", "handicap"],
    "fr": ["date", "mouvement", "grade", "ancien grade", "motif de départ", "année d'entrée",
           "genre", "origine migratoire", "handicap"],
    "en": ["date", "zone", "movement", "rank", "from_rank", "leave_reason", "entry_year",
           "gender", "migration_background", "disability"],
}
MOVEMENT_WORDS = {
    "nl": {"hire": "aanwerving", "leave": "vertrek", "promotion": "bevordering",
           "resignation": "ontslag op eigen verzoek", "retirement": "pensioen",
           "transfer": "mobiliteit", "dismissal": "ontslag", "other": "andere"},
    "fr": {"hire": "recrutement", "leave": "départ", "promotion": "promotion",
           "resignation": "démission", "retirement": "retraite", "transfer": "mobilité",
           "dismissal": "licenciement", "other": "autre"},
}


def _leave_reason(rng: np.random.Generator, event: dict) -> str:
    """Synthetic reasons: more resignations among colleagues with a migration background."""
    if event["year"] - event["birth_year"] >= 58:
        return "retirement"
    resign = 0.55 if event["migration"] == "yes" else 0.40
    return str(rng.choice(["resignation", "transfer", "dismissal", "other"],
                          p=[resign, 0.85 - resign, 0.05, 0.10]))


def write_movements(zone: Zone, events: list[dict]) -> None:
    """The leavers, promotions and hires of the simulation, one row per event."""
    rng = np.random.default_rng(zone.seed + 1000)  # apart, so the workforce files do not move
    words = MOVEMENT_WORDS.get(zone.language, {})
    rows = []
    for event in events:
        day = int(rng.integers(1, 365))
        date = np.datetime64(f"{event['year']}-01-01") + np.timedelta64(day - 1, "D")
        reason = _leave_reason(rng, event) if event["movement"] == "leave" else ""
        if zone.language == "en":
            rows.append([str(date), zone.name, event["movement"], event["rank"],
                         event.get("from_rank", ""), reason, str(event["entry_year"]),
                         event["gender"], event["migration"], event["disability"]])
            continue
        codes = CODES[zone.language]
        if zone.language == "fr":
            date = f"{str(date)[8:10]}/{str(date)[5:7]}/{str(date)[:4]}"
        rows.append([str(date), words[event["movement"]], codes[event["rank"]],
                     codes.get(event.get("from_rank", ""), ""), words.get(reason, ""),
                     str(event["entry_year"]), codes[event["gender"]], codes[event["migration"]],
                     codes[event["disability"]]])
    delimiter = "," if zone.language == "en" else ";"
    encoding = {"nl": "utf-8-sig", "fr": "cp1252", "en": "utf-8"}[zone.language]
    name = zone.file.replace("workforce_", "movements_")
    with open(HERE / name, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(MOVEMENT_HEADERS[zone.language])
        writer.writerows(rows)


def _age_band(age: int) -> str:
    bands = [(25, "<25"), (35, "25-34"), (45, "35-44"), (55, "45-54")]
    return next((label for limit, label in bands if age < limit), "55+")


def _row(zone: Zone, person: dict, year: int) -> list[str]:
    date = f"{year}-12-31"
    age_band = _age_band(year - person["birth_year"])
    if zone.language == "en":
        return [date, zone.name, person["rank"], _category(person["rank"]), person["gender"],
                person["migration"], person["disability"], age_band, str(person["entry_year"]),
                f"{person['fte']:.1f}"]
    codes = CODES[zone.language]
    if zone.language == "fr":
        date = f"31/12/{year}"
    fte = f"{person['fte']:.1f}".replace(".", ",")
    return [date, codes[person["rank"]], codes[_category(person["rank"])], codes[person["gender"]],
            codes[person["migration"]], codes[person["disability"]], age_band,
            str(person["entry_year"]), fte]


def write_zone(zone: Zone) -> None:
    rng = np.random.default_rng(zone.seed)
    people = _start(rng, zone)
    rows, events = [], []
    for year in YEARS:
        if year != YEARS[0]:
            people = _next_year(rng, zone, people, year, events)
        rows += [_row(zone, person, year) for person in people]
    write_movements(zone, events)
    delimiter = "," if zone.language == "en" else ";"
    encoding = {"nl": "utf-8-sig", "fr": "cp1252", "en": "utf-8"}[zone.language]
    with open(HERE / zone.file, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADERS[zone.language])
        writer.writerows(rows)


def write_federal_wide() -> None:
    """An annual-report style table (one row per rank, women and men, a total row)."""
    rows = [("Agent van politie", 1210, 0.30), ("Inspecteur", 5410, 0.21),
            ("Hoofdinspecteur", 1650, 0.16), ("Commissaris", 820, 0.15),
            ("Hoofdcommissaris", 190, 0.10), ("Niveau D", 610, 0.55), ("Niveau C", 1240, 0.62),
            ("Niveau B", 610, 0.58), ("Niveau A", 363, 0.52)]
    with open(HERE / "federal_police_2018_wide.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Graad", "Totaal", "Vrouwen", "Mannen"])
        total = women_total = 0
        for label, count, share in rows:
            women = round(count * share)
            writer.writerow([label, f"{count:,}".replace(",", "."), women, count - women])
            total, women_total = total + count, women_total + women
        writer.writerow(["Totaal", f"{total:,}".replace(",", "."), women_total,
                         total - women_total])


STAGES_NL = ["Kandidatuur", "Toelatingsvoorwaarden", "Cognitieve proef", "Sportproef",
             "Persoonlijkheidstest", "Selectiecommissie", "Medische geschiktheid",
             "Moraliteitsonderzoek", "Basisopleiding", "Benoeming"]
# Chance to pass each stage (all but the last), without and with a migration background: the
# cognitive and personality tests are where the synthetic gap is placed.
PASS_NO = [0.85, 0.80, 0.62, 0.75, 0.72, 0.92, 0.95, 0.90, 0.95]
PASS_YES = [0.85, 0.78, 0.50, 0.72, 0.58, 0.92, 0.95, 0.88, 0.95]


STAGES = {
    "nl": STAGES_NL,
    "fr": ["Candidature", "Conditions d'admission", "Épreuve cognitive", "Épreuve sportive",
           "Test de personnalité", "Commission de sélection", "Aptitude médicale",
           "Enquête de moralité", "Formation de base", "Nomination"],
    "en": ["Application", "Admission conditions", "Cognitive test", "Physical test",
           "Personality test", "Selection commission", "Medical fitness", "Morality enquiry",
           "Basic training", "Appointment"],
}
APPLICANT_WORDS = {
    "nl": {"headers": ["campagne", "functie", "bereikte stap", "resultaat", "geslacht",
                       "migratieachtergrond"], "track": "Inspecteur", "passed": "geslaagd",
           "failed": "niet geslaagd", "withdrew": "afgehaakt", "woman": "V", "man": "M"},
    "fr": {"headers": ["campagne", "fonction", "étape atteinte", "résultat", "genre",
                       "origine migratoire"], "track": "Inspecteur", "passed": "réussi",
           "failed": "échoué", "withdrew": "désisté", "woman": "F", "man": "H"},
    "en": {"headers": ["campaign", "track", "stage_reached", "outcome", "gender",
                       "migration_background"], "track": "Inspector", "passed": "passed",
           "failed": "failed", "withdrew": "withdrew", "woman": "woman", "man": "man"},
}
EN_CODES = {"yes": "yes", "no": "no", "undisclosed": "prefer not to say"}


@dataclass(frozen=True)
class Recruitment:
    file: str
    language: str
    seed: int
    campaigns: tuple[tuple[str, int, float], ...]  # name, candidates, migration share


RECRUITMENT = (
    Recruitment("applicants_gent.csv", "nl", 53,
                (("2023-1", 420, 0.22), ("2023-2", 380, 0.26), ("2024-1", 450, 0.30))),
    # Added later, each from its own seed, so the Gent file keeps its bytes.
    Recruitment("applicants_brussels.csv", "en", 61,
                (("2023-1", 640, 0.38), ("2024-1", 700, 0.42))),
    Recruitment("applicants_charleroi.csv", "fr", 67,
                (("2023-1", 360, 0.28), ("2024-1", 400, 0.31))),
)


def write_applicants(recruitment: Recruitment = RECRUITMENT[0]) -> None:
    """A zone's recruitment campaigns, one row per candidate (records shape)."""
    words = APPLICANT_WORDS[recruitment.language]
    codes = EN_CODES if recruitment.language == "en" else CODES[recruitment.language]
    rng = np.random.default_rng(recruitment.seed)
    rows = []
    for campaign, size, share in recruitment.campaigns:
        for _ in range(size):
            migration = rng.choice(["yes", "no", "undisclosed"], p=[share, 0.92 - share, 0.08])
            chances = PASS_YES if migration == "yes" else PASS_NO
            stage = 0
            while stage < len(chances) and rng.random() < chances[stage]:
                stage += 1
            outcome = "passed" if stage == len(chances) else rng.choice(
                ["failed", "withdrew"], p=[0.8, 0.2])
            gender = rng.choice(["woman", "man"], p=[0.34, 0.66])
            rows.append([campaign, words["track"], STAGES[recruitment.language][stage],
                         words[outcome], words[gender], codes[migration]])
    with open(HERE / recruitment.file, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(words["headers"])
        writer.writerows(rows)


if __name__ == "__main__":
    for zone in ZONES:
        write_zone(zone)
    write_federal_wide()
    for recruitment in RECRUITMENT:
        write_applicants(recruitment)
