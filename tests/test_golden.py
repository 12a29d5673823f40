"""Golden files: the protected representation of every sample zone, as published.

They change only on purpose. After a deliberate change to the sample data or a measure, run
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py`` and review the diff.
"""

import os

import pandas as pd
import pytest

from cpwb_stats.cli.main import OUTPUT_COLUMNS
from cpwb_stats.demo.samples import SAMPLE_ZONES
from cpwb_stats.pipeline import RepresentationRequest, protected_representation, validate_file
from tests.conftest import ROOT, SAMPLE_DATA

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("file_name", sorted(SAMPLE_ZONES))
def test_sample_zone_representation_matches_its_golden_file(file_name):
    report = validate_file((SAMPLE_DATA / file_name).read_bytes(), file_name,
                           default_zone=SAMPLE_ZONES[file_name])
    table = protected_representation(report.extract, RepresentationRequest())[OUTPUT_COLUMNS]
    text = table.to_csv(index=False, float_format="%.10f", lineterminator="\n")
    golden = GOLDEN / file_name.replace("workforce_", "representation_")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    expected = pd.read_csv(golden, dtype=str, keep_default_na=False)
    actual = pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(actual, expected)


def test_sample_funnel_matches_its_golden_file():
    from cpwb_stats.cli.main import FUNNEL_COLUMNS
    from cpwb_stats.pipeline import FunnelRequest, protected_funnel

    name = "applicants_gent.csv"
    report = validate_file((SAMPLE_DATA / name).read_bytes(), name, default_zone="Gent",
                           kind="applicants")
    table = protected_funnel(report.extract, FunnelRequest(reference="no", pooled=True))
    table = table[[c for c in FUNNEL_COLUMNS if c in table.columns]]
    text = table.to_csv(index=False, float_format="%.10f", lineterminator="\n")
    golden = GOLDEN / "funnel_gent.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    expected = pd.read_csv(golden, dtype=str, keep_default_na=False)
    actual = pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(actual, expected)
