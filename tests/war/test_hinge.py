"""The normal hinge expectation ``E[(T - c)+]``: the fast evaluation (only near the kink) equals the
closed form evaluated everywhere, to the last bit."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special

from ceasefire.war.attrition import NormalHinges, expected_hinge, expected_ramp


def closed_form(c: float, mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``z Phi(z / s) + s phi(z / s)`` everywhere (``max(z, 0)`` where ``s`` is 0)."""
    z = mean - c
    safe = np.maximum(sd, 1e-12)
    ratio = z / safe
    smooth = z * special.ndtr(ratio) + safe * np.exp(-0.5 * ratio**2) / math.sqrt(2 * math.pi)
    result: np.ndarray = np.where(sd > 0, smooth, np.maximum(z, 0.0))
    return result


finite = st.floats(-1e4, 1e4, allow_nan=False)
spreads = st.one_of(st.just(0.0), st.floats(1e-14, 1e-10), st.floats(1e-6, 1e3))


@given(
    c=finite,
    mean=hnp.arrays(np.float64, st.integers(1, 40), elements=finite),
    sd=spreads,
    scale=st.sampled_from([1e-3, 1.0, 30.0]),
)
def test_the_hinge_equals_its_closed_form_to_the_last_bit(
    c: float, mean: np.ndarray, sd: float, scale: float
) -> None:
    spread = np.abs(np.sin(np.arange(mean.size))) * sd * scale  # some zeros, some not
    fast = expected_hinge(c, mean, spread)
    assert np.array_equal(fast, closed_form(c, mean, spread))
    assert fast.shape == mean.shape


def test_the_hinge_broadcasts_a_scalar_spread_and_array_kinks() -> None:
    mean = np.linspace(-3, 3, 13)
    kinks = np.linspace(-1, 1, 13)
    assert np.array_equal(
        expected_hinge(kinks, mean, np.float64(0.7)),
        closed_form(0.0, mean - kinks, np.full(13, 0.7)),
    )


def crossing_closed_form(margin: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``Phi(margin / sd)`` everywhere (whether ``margin > 0`` where ``sd`` is 0; NaN as 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        smooth = special.ndtr(margin / np.maximum(sd, 1e-300))
    result: np.ndarray = np.where(sd > 0, smooth, (margin > 0).astype(float))
    return np.nan_to_num(result, nan=0.0)


@given(
    margin=hnp.arrays(
        np.float64, st.integers(1, 40), elements=st.floats(-1e6, 1e6, allow_nan=False)
    ),
    sd=spreads,
    scale=st.sampled_from([1e-3, 1.0, 1e3]),
)
def test_the_crossing_probability_equals_its_closed_form_to_the_last_bit(
    margin: np.ndarray, sd: float, scale: float
) -> None:
    from ceasefire.war.batna import _crossing

    spread = np.abs(np.cos(np.arange(margin.size))) * sd * scale
    spread[::7] = 0.0
    assert np.array_equal(_crossing(margin, spread), crossing_closed_form(margin, spread))


def test_undefined_crossing_probabilities_count_as_zero() -> None:
    from ceasefire.war.batna import _crossing

    margin = np.array([np.inf, np.nan, np.nan, -np.inf, 1.0])
    sd = np.array([np.inf, 1.0, 0.0, np.inf, np.inf])
    assert np.array_equal(_crossing(margin, sd), crossing_closed_form(margin, sd))


@given(
    kinks=st.lists(finite, min_size=1, max_size=6),
    mean=hnp.arrays(np.float64, st.integers(1, 40), elements=finite),
    sd=st.floats(1e-6, 1e3),
    scale=st.sampled_from([1e-3, 1.0, 30.0]),
)
def test_hinges_sharing_a_spread_equal_each_hinge_to_the_last_bit(
    kinks: list[float], mean: np.ndarray, sd: float, scale: float
) -> None:
    # Every spread positive: where every kink is near, the hinge is evaluated without gathering.
    spread = (1.5 + np.sin(np.arange(mean.size))) * sd * scale
    hinges = NormalHinges(mean, spread)
    for c in [*kinks, kinks[0]]:
        assert np.array_equal(hinges.at(c), closed_form(c, mean, spread))
        assert np.array_equal(hinges.at(c), expected_hinge(c, mean, spread))


@given(
    margin=hnp.arrays(np.float64, st.integers(1, 40), elements=st.floats(-15.0, 15.0)),
    sd=st.floats(1.0, 1e3),
)
def test_crossings_all_near_the_threshold_equal_the_closed_form_to_the_last_bit(
    margin: np.ndarray, sd: float
) -> None:
    from ceasefire.war.batna import _crossing

    spread = (1.5 + np.cos(np.arange(margin.size))) * sd  # every one within FAR of 0
    assert np.array_equal(_crossing(margin, spread), crossing_closed_form(margin, spread))


def test_hinges_all_near_their_kinks_equal_the_closed_form_to_the_last_bit() -> None:
    mean = np.linspace(-3, 3, 50)
    spread = 1.0 + np.linspace(0, 1, 50)
    hinges = NormalHinges(mean, spread)
    for c in (-1.0, 0.0, 0.5):
        assert np.array_equal(hinges.at(c), closed_form(c, mean, spread))
    ramp_down = expected_ramp(mean, spread, 1.0, -1.0)
    assert np.array_equal(
        ramp_down, (closed_form(-1.0, -mean, spread) - closed_form(1.0, -mean, spread)) / 2.0
    )
