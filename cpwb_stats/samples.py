"""The synthetic sample zones shipped in ``sample_data/``, validated like any upload."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cpwb_stats.pipeline import validate_file
from cpwb_stats.targets import read_benchmarks, read_targets
from cpwb_stats.validate import WorkforceExtract
from cpwb_stats.validate_applicants import ApplicantsExtract

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_ZONES = {
    "workforce_gent.csv": "Gent",
    "workforce_charleroi.csv": "Charleroi",
    "workforce_brussels.csv": "Brussel-Elsene/Bruxelles-Ixelles",
}


def combine_extracts(extracts: list[WorkforceExtract]) -> WorkforceExtract:
    """Several extracts on one ladder as one (zones side by side, not summed)."""
    first = extracts[0]
    dimensions = {name: d for e in extracts for name, d in e.dimensions.items()}
    counts = pd.concat([e.counts for e in extracts], ignore_index=True)
    return WorkforceExtract(counts, first.shape, first.ladder, dimensions)


def sample_workforce(sample_dir: Path = SAMPLE_DIR) -> WorkforceExtract:
    extracts = []
    for name, zone in SAMPLE_ZONES.items():
        report = validate_file((sample_dir / name).read_bytes(), name, default_zone=zone)
        if not report.valid:
            raise RuntimeError(f"sample file {name} does not validate: {report.errors[:3]}")
        extracts.append(report.extract)
    return combine_extracts(extracts)


def sample_targets(sample_dir: Path = SAMPLE_DIR) -> pd.DataFrame:
    return read_targets((sample_dir / "targets.csv").read_bytes())


def sample_benchmarks(sample_dir: Path = SAMPLE_DIR) -> pd.DataFrame:
    return read_benchmarks((sample_dir / "benchmarks.csv").read_bytes())


def sample_applicants(sample_dir: Path = SAMPLE_DIR) -> ApplicantsExtract:
    name = "applicants_gent.csv"
    report = validate_file((sample_dir / name).read_bytes(), name, default_zone="Gent",
                           kind="applicants")
    if not report.valid:
        raise RuntimeError(f"sample file {name} does not validate: {report.errors[:3]}")
    return report.extract
