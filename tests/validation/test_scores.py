"""The forecast scores against brute force and closed forms."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.validation import crps, crps_normal, naive_forecast, percentile, skill_score

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def crps_brute_force(sample: list[float], y: float) -> float:
    """The definition, over every ordered pair of draws."""
    n = len(sample)
    accuracy = sum(abs(x - y) for x in sample) / n
    spread = sum(abs(a - b) for a, b in itertools.product(sample, repeat=2)) / (n * n)
    return accuracy - 0.5 * spread


def crps_by_integral(sample: list[float], y: float) -> float:
    """The other definition: the integral of (F(t) - 1{t >= y})^2 over t, for the empirical F."""
    points = sorted([*sample, y])
    total = 0.0
    x = np.asarray(sample)
    for lo, hi in itertools.pairwise(points):
        f = np.mean(x <= lo)
        h = 1.0 if lo >= y else 0.0
        total += (f - h) ** 2 * (hi - lo)
    return total


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(finite, min_size=1, max_size=40), finite)
def test_crps_equals_brute_force(sample: list[float], y: float) -> None:
    expected = crps_brute_force(sample, y)
    assert crps(sample, y) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert crps(sample, y) == pytest.approx(crps_by_integral(sample, y), rel=1e-9, abs=1e-6)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(finite, min_size=1, max_size=40), finite)
def test_percentile_counts_draws_below(sample: list[float], y: float) -> None:
    below = sum(x < y for x in sample) + 0.5 * sum(x == y for x in sample)
    assert percentile(sample, y) == pytest.approx(100 * below / len(sample))
    assert 0 <= percentile(sample, y) <= 100


def test_crps_of_a_point_forecast_is_the_absolute_error() -> None:
    assert crps([3.0], 5.5) == 2.5
    assert crps([2.0, 2.0, 2.0], -1.0) == 3.0


@pytest.mark.parametrize(("mean", "sd", "y"), [(0, 1, 0), (0, 1, 1.5), (10, 3, 2), (-4, 0.5, -4.2)])
def test_crps_of_a_large_normal_sample_matches_the_closed_form(
    mean: float, sd: float, y: float
) -> None:
    rng = np.random.default_rng(1)
    sample = mean + sd * rng.standard_normal(200_000)
    assert crps(sample, y) == pytest.approx(crps_normal(mean, sd, y), rel=0.01)


def test_closed_form_normal_crps_at_the_mean() -> None:
    # Gneiting & Raftery (2007): CRPS(N(0, 1), 0) = 2 phi(0) - 1/sqrt(pi) = (sqrt 2 - 1) / sqrt(pi).
    assert crps_normal(0, 1, 0) == pytest.approx((math.sqrt(2) - 1) / math.sqrt(math.pi))


def test_a_sharper_forecast_centred_on_the_truth_scores_better() -> None:
    rng = np.random.default_rng(2)
    sharp, wide = rng.normal(0, 1, 5000), rng.normal(0, 5, 5000)
    assert crps(sharp, 0.0) < crps(wide, 0.0)
    assert skill_score(crps(sharp, 0.0), crps(wide, 0.0)) > 0


def test_naive_forecast_has_the_carried_forward_moments() -> None:
    totals = naive_forecast(100.0, 20.0, months=12, samples=100_000, seed=5)
    assert totals.mean() == pytest.approx(1200, rel=0.005)
    assert totals.std() == pytest.approx(20 * math.sqrt(12), rel=0.02)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        crps([], 1.0)
    with pytest.raises(ValueError, match="finite"):
        percentile([1.0, math.nan], 1.0)
    with pytest.raises(ValueError, match="positive"):
        skill_score(1.0, 0.0)
