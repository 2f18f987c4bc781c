"""Rubinstein (1982): with discount factors d1, d2 the equilibrium strategies agree at once, and the
first proposer gets (1 - d2) / (1 - d1 * d2) of the stake."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.negotiation import Table, negotiate
from ceasefire.negotiation.rubinstein import equilibrium_shares, two_party_gains
from ceasefire.scenario import parse_scenario

STEP = 0.001  # the grid resolution of the stake


def divide_the_stake(d1: float, d2: float, first: str = "a") -> str:
    """One divisible issue: a's share of a unit stake on a grid of STEP; b gets the rest."""
    grid = ", ".join(f"{x:.3f}" for x in np.arange(0, 1 + STEP / 2, STEP))
    parties = {
        "a": "  - {id: a, name: A, role: belligerent}",
        "b": "  - {id: b, name: B, role: belligerent}",
    }
    order = [first, "b" if first == "a" else "a"]
    return f"""
schema_version: 1
id: stake
title: Dividing a unit stake
as_of: 2024-01-01
parties:
{parties[order[0]]}
{parties[order[1]]}
issues:
  - id: share_a
    name: A's share
    kind: numeric
    range: [0, 1]
    grid: [{grid}]
    status_quo: 0
preferences:
  a:
    weights: {{share_a: 1}}
    values: {{share_a: [[0, 0], [1, 100]]}}
    reservation: 0
    discount: {d1}
  b:
    weights: {{share_a: 1}}
    values: {{share_a: [[0, 100], [1, 0]]}}
    reservation: 0
    discount: {d2}
"""


DISCOUNTS = [(0.9, 0.9), (0.5, 0.5), (0.9, 0.6), (0.6, 0.9), (0.95, 0.8), (0.3, 0.99), (0.99, 0.3)]


@pytest.mark.parametrize(("d1", "d2"), DISCOUNTS)
def test_first_proposer_gets_the_rubinstein_share_in_round_one(d1: float, d2: float) -> None:
    table = Table.from_scenario(parse_scenario(divide_the_stake(d1, d2)).scenario)
    result = negotiate(table, default="rubinstein", rounds=20)
    turn = result.agreement
    assert turn is not None
    assert turn.round == 1
    assert table.parties[turn.offer.proposer] == "a"
    share_a = float(table.problem.package_dict(turn.offer.package)["share_a"])
    expected, _ = equilibrium_shares(d1, d2)  # (1 - d2) / (1 - d1 d2) [Rubinstein1982]
    assert abs(share_a - expected) <= STEP + 1e-12


@pytest.mark.parametrize(("d1", "d2"), DISCOUNTS[:4])
def test_the_first_proposer_is_the_first_party_listed(d1: float, d2: float) -> None:
    # b listed first: b proposes first and gets (1 - d1) / (1 - d1 * d2).
    table = Table.from_scenario(parse_scenario(divide_the_stake(d1, d2, first="b")).scenario)
    turn = negotiate(table, default="rubinstein", rounds=20).agreement
    assert turn is not None and turn.round == 1
    assert table.parties[turn.offer.proposer] == "b"
    share_b = 1 - float(table.problem.package_dict(turn.offer.package)["share_a"])
    assert abs(share_b - (1 - d1) / (1 - d1 * d2)) <= STEP + 1e-12


@settings(max_examples=40)
@given(
    d1=st.floats(0.05, 0.99),
    d2=st.floats(0.05, 0.99),
    stake=st.floats(1.0, 100.0),
)
def test_continuous_solver_matches_the_closed_form(d1: float, d2: float, stake: float) -> None:
    # The frontier of dividing `stake`: g_b = stake - g_a, given by its two end points.
    gains = np.array([[0.0, stake], [stake, 0.0]])
    a, b = two_party_gains(gains, d1, d2)
    first, _ = equilibrium_shares(d1, d2)
    second, _ = equilibrium_shares(d2, d1)
    assert a == pytest.approx(first * stake, rel=1e-9, abs=1e-9)
    assert b == pytest.approx(second * stake, rel=1e-9, abs=1e-9)


def test_the_responder_is_offered_exactly_its_discounted_continuation() -> None:
    # Stationarity: what b gets from a's offer equals d2 times what b keeps proposing.
    d1, d2 = 0.8, 0.7
    gains = np.array([[0.0, 100.0], [100.0, 0.0]])
    a, b = two_party_gains(gains, d1, d2)
    assert 100 - a == pytest.approx(d2 * b)
    assert 100 - b == pytest.approx(d1 * a)
