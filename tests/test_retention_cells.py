"""Relative leaver rates worked out for every cell at once give what the cell-by-cell working
(``retention._relative_by_cell``, one cell's reference and rate ratios at a time) gives, on the
three sample zones' real-shaped histories, with the reference chosen and named."""

from __future__ import annotations

import pandas as pd
import pytest

from cpwb_stats.contract.extracts import validate_file
from cpwb_stats.measures import retention
from tests.conftest import SAMPLE_DATA


@pytest.mark.parametrize("zone", ["gent", "brussels", "charleroi"])
@pytest.mark.parametrize("reference", [None, "woman", "no"])
def test_every_cell_at_once_matches_cell_by_cell(zone, reference, monkeypatch):
    workforce = validate_file((SAMPLE_DATA / f"workforce_{zone}.csv").read_bytes(),
                              "w.csv").extract
    movements = validate_file((SAMPLE_DATA / f"movements_{zone}.csv").read_bytes(), "m.csv",
                              kind="movements").extract
    found = retention.leaver_rates(workforce.counts, movements.counts, workforce.dimensions,
                                   None, reference)
    monkeypatch.setattr(retention, "_relative", retention._relative_by_cell)
    expected = retention.leaver_rates(workforce.counts, movements.counts, workforce.dimensions,
                                      None, reference)
    assert found["relative_leaver_rate"].notna().sum() > 10
    pd.testing.assert_frame_equal(found, expected)
