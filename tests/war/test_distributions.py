"""Distributions of uncertain scenario numbers: quantiles against scipy.stats, bounds, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from scipy import stats

from ceasefire.scenario.distributions import U_MIN, Distribution

U = np.array([U_MIN, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1 - U_MIN])


def dist(spec: object) -> Distribution:
    return Distribution.model_validate(spec)


@pytest.mark.parametrize(
    ("spec", "frozen"),
    [
        ({"dist": "normal", "mean": 3, "sd": 2}, stats.norm(3, 2)),
        (
            {"dist": "normal", "mean": 3, "sd": 2, "low": 0, "high": 10},
            stats.truncnorm(-1.5, 3.5, loc=3, scale=2),
        ),
        ({"dist": "lognormal", "median": 617000, "sigma": 0.1}, stats.lognorm(0.1, scale=617000)),
        ({"dist": "uniform", "low": -1, "high": 4}, stats.uniform(-1, 5)),
        (
            {"dist": "triangular", "low": 1, "mode": 2, "high": 5},
            stats.triang(0.25, loc=1, scale=4),
        ),
        (
            {"dist": "beta", "a": 2, "b": 5, "low": 10, "high": 20},
            stats.beta(2, 5, loc=10, scale=10),
        ),
    ],
)
def test_quantiles_match_scipy(spec: dict[str, object], frozen: stats.rv_continuous) -> None:
    d = dist(spec)
    np.testing.assert_allclose(d.ppf(U[1:-1]), frozen.ppf(U[1:-1]), rtol=1e-9, atol=1e-9)
    assert d.median() == pytest.approx(float(frozen.median()), rel=1e-9)


def test_lognormal_from_a_90_percent_interval() -> None:
    d = dist({"dist": "lognormal", "p5": 500_000, "p95": 1_000_000})
    assert d.ppf(0.05) == pytest.approx(500_000, rel=1e-9)
    assert d.ppf(0.95) == pytest.approx(1_000_000, rel=1e-9)
    assert d.median() == pytest.approx(math.sqrt(500_000 * 1_000_000), rel=1e-9)


def test_a_number_is_a_fixed_value() -> None:
    d = dist(42)
    assert d.is_fixed and d.bounds == (42.0, 42.0)
    assert (d.sample(np.random.default_rng(1), 5) == 42).all()
    assert d.describe() == "42"


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "normal", "mean": 0, "sd": 1},
        {"dist": "normal", "mean": 0, "sd": 1, "low": -0.5},
        {"dist": "lognormal", "median": 2, "sigma": 3},
        {"dist": "uniform", "low": 0, "high": 1},
        {"dist": "triangular", "low": 0, "mode": 0, "high": 1},
        {"dist": "beta", "a": 0.5, "b": 0.5},
    ],
)
def test_draws_stay_within_bounds(spec: dict[str, object]) -> None:
    d = dist(spec)
    low, high = d.bounds
    x = d.ppf(U)
    assert np.isfinite(x).all()
    assert (x >= low).all() and (x <= high).all()
    draws = d.sample(np.random.default_rng(7), 20_000)
    assert (draws >= low).all() and (draws <= high).all()


def test_a_lognormal_is_never_zero() -> None:
    d = dist({"dist": "lognormal", "median": 1, "sigma": 5})
    assert d.bounds[0] > 0 and float(d.ppf(0.0)) > 0


def test_sampling_is_by_inversion_of_one_uniform_each() -> None:
    d = dist({"dist": "triangular", "low": 1, "mode": 2, "high": 5})
    u = np.random.default_rng(3).random(100)
    np.testing.assert_array_equal(d.sample(np.random.default_rng(3), 100), d.ppf(u))


@given(
    low=st.floats(-1e3, 1e3),
    width=st.floats(1e-3, 1e3),
    mode_at=st.floats(0, 1),
    a=st.floats(0.2, 20),
    b=st.floats(0.2, 20),
)
def test_quantile_functions_increase(
    low: float, width: float, mode_at: float, a: float, b: float
) -> None:
    grid = np.linspace(0, 1, 201)
    for spec in (
        {"dist": "triangular", "low": low, "mode": low + mode_at * width, "high": low + width},
        {"dist": "beta", "a": a, "b": b, "low": low, "high": low + width},
        {"dist": "normal", "mean": low, "sd": width},
        {"dist": "uniform", "low": low, "high": low + width},
    ):
        x = dist(spec).ppf(grid)
        assert (np.diff(x) >= -1e-9 * max(1.0, abs(low) + width)).all(), spec


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"dist": "gamma", "k": 2}, "give a number or a mapping with 'dist'"),
        ({"mean": 2}, "give a number or a mapping with 'dist'"),
        ({"dist": "lognormal", "median": 2}, "either 'median' and 'sigma', or 'p5' and 'p95'"),
        (
            {"dist": "lognormal", "median": 2, "sigma": 1, "p5": 1},
            "either 'median' and 'sigma', or 'p5' and 'p95'",
        ),
        ({"dist": "triangular", "low": 2, "mode": 1, "high": 3}, "low <= mode <= high"),
        ({"dist": "uniform", "low": 2, "high": 1}, "low must not exceed high"),
        ({"dist": "normal", "mean": 0, "sd": 1, "low": 50}, "almost none"),
        ({"dist": "beta", "a": 0, "b": 1}, "greater than or equal to 0.001"),
        ({"dist": "normal", "mean": 0, "sd": 1, "extra": 1}, "Extra inputs"),
    ],
)
def test_invalid_specifications_are_refused(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        dist(spec)
