"""Generated inputs for the national-scale benchmark (seeded: every run writes the same files).

- record-level workforce files of 10,000 and 1,000,000 rows (one row per person, many zones);
- a national history: 47,000 staff followed over ten yearly snapshots, with their hires,
  leavers and promotions in a movements file;
- 200,000 applicants over ten recruitment campaigns;
- the 10,000-row workforce again as an XLSX workbook.

Nothing here describes a real person or a real zone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

OPERATIONAL = ["agent", "inspector", "chief-inspector", "commissioner", "chief-commissioner"]
CALOG = ["calog-d", "calog-c", "calog-b", "calog-a"]
RANKS = OPERATIONAL + CALOG
RANK_MIX = [0.08, 0.48, 0.18, 0.07, 0.02, 0.04, 0.07, 0.04, 0.02]
AGE_BANDS = ["<25", "25-34", "35-44", "45-54", "55+"]
ANSWERS = ["yes", "no", "undisclosed", "unknown"]
GENDERS = ["woman", "man", "x", "unknown"]
REASONS = ["resignation", "transfer", "retirement", "dismissal", "other"]
FIRST_YEAR, SNAPSHOTS = 2015, 10
STAGES_NL = ["Kandidatuur", "Toelatingsvoorwaarden", "Cognitieve proef", "Sportproef",
             "Persoonlijkheidstest", "Selectiecommissie", "Medische geschiktheid",
             "Moraliteitsonderzoek", "Basisopleiding", "Benoeming"]
PASS = np.array([0.85, 0.80, 0.60, 0.75, 0.70, 0.92, 0.95, 0.90, 0.95])


def _zones(count: int) -> np.ndarray:
    return np.array([f"Zone {i:03d}" for i in range(1, count + 1)])


def _people(rng: np.random.Generator, n: int, year: int, zones: int) -> pd.DataFrame:
    rank = rng.choice(len(RANKS), n, p=RANK_MIX)
    seniority = rng.integers(0, 30, n)
    return pd.DataFrame({
        "zone": _zones(zones)[rng.integers(0, zones, n)],
        "rank": np.array(RANKS)[rank],
        "gender": rng.choice(GENDERS, n, p=[0.30, 0.694, 0.002, 0.004]),
        "migration_background": rng.choice(ANSWERS, n, p=[0.07, 0.73, 0.12, 0.08]),
        "disability": rng.choice(ANSWERS, n, p=[0.015, 0.685, 0.15, 0.15]),
        "entry_year": year - seniority,
        "birth_year": year - 22 - seniority - rng.integers(0, 8, n),
    })


def _snapshot(people: pd.DataFrame, year: int) -> pd.DataFrame:
    age = year - people["birth_year"]
    band = np.array(AGE_BANDS)[np.searchsorted([25, 35, 45, 55], age, side="right")]
    category = np.where(people["rank"].str.startswith("calog"), "calog", "operational")
    return pd.DataFrame({
        "reference_date": f"{year}-12-31", "zone": people["zone"], "rank": people["rank"],
        "staff_category": category, "gender": people["gender"],
        "migration_background": people["migration_background"],
        "disability": people["disability"], "age_band": band,
        "entry_year": people["entry_year"], "fte": "1.0"})


def workforce(rows: int, seed: int = 1) -> pd.DataFrame:
    """One snapshot of ``rows`` people spread over 185 zones."""
    rng = np.random.default_rng(seed)
    return _snapshot(_people(rng, rows, 2024, 185), 2024)


def _dates(rng: np.random.Generator, year: int, n: int) -> np.ndarray:
    start = np.datetime64(f"{year}-01-01")
    return (start + rng.integers(0, 365, n).astype("timedelta64[D]")).astype(str)


def national_history(staff: int = 47_000, seed: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ten yearly snapshots of a force of ``staff`` and the movements between them."""
    rng = np.random.default_rng(seed)
    people = _people(rng, staff, FIRST_YEAR, 185)
    snapshots, movements = [_snapshot(people, FIRST_YEAR)], []
    for year in range(FIRST_YEAR + 1, FIRST_YEAR + SNAPSHOTS):
        risk = np.where(people["migration_background"] == "yes", 0.065, 0.05)
        leaving = rng.random(len(people)) < risk
        leavers = people[leaving]
        movements.append(_movements(leavers, "leave", year, rng,
                                    reason=rng.choice(REASONS, len(leavers))))
        people = people[~leaving].reset_index(drop=True)
        position = people["rank"].map({r: i for i, r in enumerate(RANKS)}).to_numpy()
        top = np.isin(position, [len(OPERATIONAL) - 1, len(RANKS) - 1])
        promoted = ~top & (rng.random(len(people)) < 0.04)
        before = people.loc[promoted, "rank"].to_numpy()
        people.loc[promoted, "rank"] = np.array(RANKS)[position[promoted] + 1]
        movements.append(_movements(people[promoted], "promotion", year, rng, from_rank=before))
        hires = _people(rng, staff - len(people), year, 185).assign(
            rank="inspector", entry_year=year)
        movements.append(_movements(hires, "hire", year, rng))
        people = pd.concat([people, hires], ignore_index=True)
        snapshots.append(_snapshot(people, year))
    return pd.concat(snapshots, ignore_index=True), pd.concat(movements, ignore_index=True)


def _movements(people: pd.DataFrame, movement: str, year: int, rng: np.random.Generator,
               reason: np.ndarray | str = "", from_rank: np.ndarray | str = "") -> pd.DataFrame:
    return pd.DataFrame({
        "date": _dates(rng, year, len(people)), "zone": people["zone"].to_numpy(),
        "movement": movement, "rank": people["rank"].to_numpy(), "from_rank": from_rank,
        "leave_reason": reason, "entry_year": people["entry_year"].to_numpy(),
        "gender": people["gender"].to_numpy(),
        "migration_background": people["migration_background"].to_numpy(),
        "disability": people["disability"].to_numpy()})


def applicants(count: int = 200_000, campaigns: int = 10, seed: int = 3) -> pd.DataFrame:
    """``count`` candidates over ``campaigns`` campaigns, one row each (records shape)."""
    rng = np.random.default_rng(seed)
    migration = rng.choice(["ja", "nee", "wil niet zeggen"], count, p=[0.25, 0.67, 0.08])
    chances = np.where((migration == "ja")[:, None], PASS * 0.92, PASS)
    stage = np.cumprod(rng.random((count, len(PASS))) < chances, axis=1).sum(axis=1)
    failed = rng.choice(["niet geslaagd", "afgehaakt"], count, p=[0.8, 0.2])
    campaign = rng.integers(0, campaigns, count)
    return pd.DataFrame({
        "campagne": [f"{2015 + c // 2}-{1 + c % 2}" for c in campaign],
        "functie": "Inspecteur", "bereikte stap": np.array(STAGES_NL)[stage],
        "resultaat": np.where(stage == len(PASS), "geslaagd", failed),
        "geslacht": rng.choice(["V", "M"], count, p=[0.34, 0.66]),
        "migratieachtergrond": migration})


def write_all(folder: Path) -> dict[str, Path]:
    """Write every input into ``folder`` (kept when already there) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / name for name in (
        "workforce_10k.csv", "workforce_1m.csv", "workforce_10k.xlsx", "history_workforce.csv",
        "history_movements.csv", "applicants_200k.csv")}
    if all(p.exists() for p in paths.values()):
        return paths
    small = workforce(10_000)
    small.to_csv(paths["workforce_10k.csv"], index=False)
    small.to_excel(paths["workforce_10k.xlsx"], index=False)
    workforce(1_000_000).to_csv(paths["workforce_1m.csv"], index=False)
    history, movements = national_history()
    history.to_csv(paths["history_workforce.csv"], index=False)
    movements.to_csv(paths["history_movements.csv"], index=False)
    applicants().to_csv(paths["applicants_200k.csv"], index=False, sep=";")
    return paths
