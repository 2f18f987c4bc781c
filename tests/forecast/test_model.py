"""The expected-utility model's pieces against slow loop-by-loop oracles, on random actors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.forecast import Options, forecast
from ceasefire.forecast.expected_utility import (
    challenge_utility,
    risk_exponents,
    weighted_median,
    win_probability,
)
from tests.forecast.oracle import condorcet_winners, expected_utility, probability


@st.composite
def actor_sets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """2-7 actors; positions on a small integer grid so that shared positions are common."""
    n = draw(st.integers(2, 7))
    x = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), dtype=float)
    c = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    s = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    if x.max() == x.min():
        x[0] += 1.0
    return x, c, s


OPTIONS = st.builds(
    Options,
    q=st.sampled_from([1.0, 0.5]),
    t=st.sampled_from([1.0, 0.3]),
    probability=st.sampled_from(["all_pairs", "pair"]),
    perspective=st.sampled_from(["receiver", "own"]),
    choice=st.sampled_from(["by_kind", "least_move"]),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(actor_sets(), OPTIONS)
def test_probability_and_expected_utility_match_the_loops(
    actors: tuple[np.ndarray, np.ndarray, np.ndarray], options: Options
) -> None:
    x, c, s = actors
    weight = c * s
    span = float(x.max() - x.min())
    r = np.linspace(0.5, 2.0, len(x))
    median = weighted_median(x, weight)
    p = win_probability(x, weight, r, span, options.probability)
    exponent = np.repeat(r[:, None], len(x), axis=1)
    eu = challenge_utility(x, s, p, exponent, span, median, options)
    for i in range(len(x)):
        for j in range(len(x)):
            if i == j:
                continue
            slow_p = probability(i, j, x, weight, r, span, options.probability)
            assert p[i, j] == pytest.approx(slow_p, abs=1e-12)
            slow_eu = expected_utility(i, j, x, s, slow_p, r[i], span, median, options)
            assert eu[i, j] == pytest.approx(slow_eu, abs=1e-12)
    if options.probability == "pair":
        # With the pair normaliser, i's and j's chances add up to 1 whenever anyone cares.
        for i in range(len(x)):
            for j in range(len(x)):
                if x[i] != x[j]:
                    assert p[i, j] + p[j, i] == pytest.approx(1.0)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(actor_sets(), OPTIONS)
def test_runs_keep_their_invariants(
    actors: tuple[np.ndarray, np.ndarray, np.ndarray], options: Options
) -> None:
    x, c, s = actors
    weight = c * s
    result = forecast([f"a{i}" for i in range(len(x))], c, x, s, rounds=4, options=options)
    assert np.array_equal(result.positions[0], x)
    # Offers move an actor towards another's position: nobody leaves the initial range.
    assert result.positions.min() >= x.min() - 1e-9 and result.positions.max() <= x.max() + 1e-9
    for k, row in enumerate(result.positions):
        assert result.median[k] == min(condorcet_winners(row, weight))
        assert result.mean[k] == pytest.approx(row @ weight / weight.sum())
    # Risk acceptance R is in [-1, 1], so the exponent r = (1 - R/3) / (1 + R/3) is in [1/2, 2].
    assert ((result.risk >= 0.5 - 1e-12) & (result.risk <= 2.0 + 1e-12)).all()
    document = result.to_dict()
    assert len(document["median"]) == len(document["mean"]) == len(document["positions"]) == 5


def test_risk_exponents_extremes() -> None:
    """The most endangered actor gets r = 1/2 (risk-acceptant) and the safest r = 2."""
    x = np.array([0.0, 1.0, 10.0])
    s = np.array([0.9, 0.5, 0.9])
    c = np.array([1.0, 0.2, 1.0])
    r = risk_exponents(x, s, c * s, 10.0, 1.0, Options())
    assert sorted(r)[0] == pytest.approx(0.5) and sorted(r)[-1] == pytest.approx(2.0)


def test_nobody_moves_when_all_share_a_position_but_one_without_salience() -> None:
    result = forecast(["a", "b", "c"], [1, 1, 1], [5, 5, 9], [0.5, 0.5, 0.0], rounds=3)
    assert result.median.tolist() == [5.0] * 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"salience": [0.5, 1.5]}, "salience in"),
        ({"capability": [-1, 1]}, "capability must be"),
        ({"position": [0, float("nan")]}, "finite"),
    ],
)
def test_bad_inputs_are_refused(kwargs: dict[str, list[float]], message: str) -> None:
    args = {"capability": [1, 1], "position": [0, 1], "salience": [0.5, 0.5], **kwargs}
    with pytest.raises(ValueError, match=message):
        forecast(["a", "b"], args["capability"], args["position"], args["salience"])
