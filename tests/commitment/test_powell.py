"""Powell (2006): when the expected shift in power over the truce exceeds the costs of war, no
self-enforcing deal exists, and the model finds no zone of agreement."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.analysis import analyze
from tests.commitment.scenarios import powell_pie


@settings(max_examples=25, deadline=None)
@given(shift=st.integers(0, 25), cost_a=st.integers(1, 10), cost_b=st.integers(1, 10))
def test_no_zone_once_the_shift_exceeds_the_costs_of_war(
    shift: int, cost_a: int, cost_b: int
) -> None:
    result = analyze(powell_pie(shift, cost_a, cost_b))
    # Without the commitment problem a deal always exists: the costs of war make a range.
    assert result.problem.zopa().exists
    # With it, a deal exists exactly when the shift stays below the width of the range (the
    # shift equal to it leaves A's tiny hazard of breakdown uncovered).
    assert result.zopa.exists == (shift < cost_a + cost_b)
    assert result.commitment is not None
    gap = result.commitment.commitment_gap()
    assert gap["b"] == pytest.approx(shift / (cost_a + cost_b))
    assert gap["a"] == pytest.approx(-shift / (cost_a + cost_b))
    if not result.zopa.exists:
        assert "self-enforcing" in (result.zopa.reason or "")


def test_the_rising_side_gets_at_least_its_future_war_value() -> None:
    result = analyze(powell_pie(6, 5, 5))
    nash = result.solutions["nash"]
    assert nash.utilities is not None
    share = 100 - nash.utilities[1]  # B's effective utility is its nominal one (p ~ 1)
    assert 100 - share >= 40 - 5 + 6 - 1e-6


def test_a_numeric_status_quo_off_the_grid_is_fine() -> None:
    from ceasefire.scenario import parse_scenario

    text = powell_pie(6, 5, 5).text.replace("status_quo: 60", "status_quo: 60.5")
    result = analyze(parse_scenario(text, "pie.yaml"))
    assert result.commitment is not None
    assert result.commitment.commitment_gap()["b"] == pytest.approx(0.6)
