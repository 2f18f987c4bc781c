"""Forecast scores: the vectorised CRPS against its every-pair oracle, percentiles, Brier."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.validation.scores import (
    brier,
    crps,
    crps_bruteforce,
    crps_normal,
    naive_forecast,
    percentile,
    score_forecast,
    skill_score,
)

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


@pytest.mark.parametrize(("mean", "sd", "y"), [(0, 1, 0), (0, 1, 1.5), (10, 3, 2), (-4, 0.5, -4.2)])
def test_crps_of_a_large_normal_sample_matches_the_normal_closed_form(
    mean: float, sd: float, y: float
) -> None:
    rng = np.random.default_rng(1)
    sample = mean + sd * rng.standard_normal(200_000)
    assert float(crps(sample, y)) == pytest.approx(crps_normal(mean, sd, y), rel=0.01)


def test_normal_closed_form_at_the_mean() -> None:
    # Gneiting & Raftery (2007): CRPS(N(0, 1), 0) = 2 phi(0) - 1/sqrt(pi) = (sqrt 2 - 1) / sqrt(pi).
    assert crps_normal(0, 1, 0) == pytest.approx((math.sqrt(2) - 1) / math.sqrt(math.pi))
    assert crps_normal(2, 0, 5) == 3


def test_a_sharper_forecast_centred_on_the_truth_has_skill() -> None:
    rng = np.random.default_rng(2)
    sharp, wide = rng.normal(0, 1, 5000), rng.normal(0, 5, 5000)
    score = score_forecast(sharp, wide, 0.0)
    assert score.crps < score.reference_crps and score.skill > 0
    assert score.inside(10, 90) and score.to_dict()["skill"] == score.skill
    with pytest.raises(ValueError, match="positive"):
        skill_score(1.0, 0.0)


def test_naive_forecast_has_the_carried_forward_moments() -> None:
    totals = naive_forecast(100.0, 20.0, months=12, samples=100_000, seed=5)
    assert totals.mean() == pytest.approx(1200, rel=0.005)
    assert totals.std() == pytest.approx(20 * math.sqrt(12), rel=0.02)
    with pytest.raises(ValueError):
        naive_forecast(1.0, -1.0, months=12, samples=10)
