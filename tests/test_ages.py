import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpwb_stats.contract.ages import BANDS, age_band


@pytest.mark.parametrize("age, band", [(18, "<25"), (24, "<25"), (25, "25-34"), (34, "25-34"),
                                       (35, "35-44"), (44, "35-44"), (45, "45-54"),
                                       (54, "45-54"), (55, "55+"), (67, "55+")])
def test_age_band_edges(age, band):
    assert age_band(age) == band


@settings(max_examples=50)
@given(st.integers(0, 120))
def test_every_age_falls_in_exactly_one_band(age):
    assert sum(low <= age <= high for low, high, _ in BANDS) == 1
    assert age_band(age) in {label for _, _, label in BANDS}
