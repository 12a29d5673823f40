import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from cpwb_stats.measures.intervals import wilson_interval


@given(st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_wilson_matches_scipy(case):
    k, n = case
    low, high = wilson_interval(pd.Series([k]), pd.Series([n]))
    expected = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert low[0] == pytest.approx(expected.low, abs=1e-9)
    assert high[0] == pytest.approx(expected.high, abs=1e-9)
    assert low[0] <= k / n <= high[0]


def test_no_trials_gives_no_interval():
    low, high = wilson_interval(pd.Series([0]), pd.Series([0]))
    assert pd.isna(low[0]) and pd.isna(high[0])
