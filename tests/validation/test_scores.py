"""Forecast scores: the vectorised CRPS against its every-pair oracle, percentiles, Brier."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.validation.scores import brier, crps, crps_bruteforce, percentile

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(samples=st.lists(finite, min_size=1, max_size=40), observation=finite)
def test_crps_matches_the_every_pair_oracle(samples: list[float], observation: float) -> None:
    fast = float(crps(np.array(samples), observation))
    assert fast == pytest.approx(crps_bruteforce(samples, observation), rel=1e-9, abs=1e-6)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(rows=st.lists(st.lists(finite, min_size=5, max_size=5), min_size=1, max_size=6))
def test_crps_is_vectorised_over_leading_axes(rows: list[list[float]]) -> None:
    samples = np.array(rows)
    observations = samples.mean(axis=1) + 1.0
    together = crps(samples, observations)
    one_by_one = [crps_bruteforce(row, y) for row, y in zip(rows, observations, strict=True)]
    assert np.allclose(together, one_by_one, rtol=1e-9, atol=1e-6)


def test_crps_of_a_point_forecast_is_the_absolute_error() -> None:
    assert float(crps(np.full(7, 3.0), 5.5)) == pytest.approx(2.5)


def test_crps_of_a_uniform_sample_approaches_the_closed_form() -> None:
    # For U(0, 1) and y in [0, 1]: CRPS = y^2 - y + 1/3 (Gneiting and Raftery 2007, uniform case).
    x = (np.arange(20_000) + 0.5) / 20_000
    for y in (0.0, 0.25, 0.9):
        assert float(crps(x, y)) == pytest.approx(y * y - y + 1 / 3, abs=1e-6)


def test_percentile_counts_ties_half_and_bounds() -> None:
    assert percentile([1, 2, 3, 4], 2) == pytest.approx(37.5)
    assert percentile([1, 2, 3], 0) == 0.0
    assert percentile([1, 2, 3], 9) == 100.0


def test_brier() -> None:
    assert brier([0.5, 0.5], [0, 1]) == pytest.approx(0.25)
    assert brier([1.0, 0.0], [1, 0]) == 0.0
    with pytest.raises(ValueError):
        brier([0.5], [0, 1])
