"""The option to settle later (``war.settle_later``): a hand-solved two-period case, the Nash deal
against the bargaining core's own solution, and properties of the backward induction."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.bargaining.solutions import nash_product
from ceasefire.scenario import parse_scenario
from ceasefire.war import reservation_values
from ceasefire.war.batna import scenario_settlements
from ceasefire.war.settlement import Settlements, value_with_later_settlement
from tests.war.campaign import FIXTURE


def two_party(points: list[tuple[float, float]]) -> Settlements:
    u = np.array(points, dtype=float)
    return Settlements(points=u, utilities=u, veto=np.array([0, 1]), objective=nash_product)


def test_a_hand_solved_two_period_case() -> None:
    """Two months, two veto parties, war outcome worth 2 to each, a month of war costs 1, monthly
    discount factor 0.9. No option: V = 2 - 1 - 0.9 x 1 = 0.1. At month 1 each party's value of going
    on is 2 - 1 = 1 (the outcome less month 1's cost); the deals (10, 0), (6, 6), (0, 10): only
    (6, 6) gives both at least 1, Nash product 25. So each settles at month 1 for 6, having paid
    month 0: W = 6 - 1 = 5."""
    deals = two_party([(10, 0), (6, 6), (0, 10)])
    outcome = np.full((2, 1), 2.0)
    costs = np.ones((2, 2, 1))
    delta = np.full((2, 1), 0.9)
    np.testing.assert_allclose(value_with_later_settlement(deals, outcome, costs, delta), 5.0)
    # Without a deal both accept at month 1, the option is worth nothing: W = V = 0.1.
    none = two_party([(1.5, 0.5), (0.5, 1.5)])
    np.testing.assert_allclose(value_with_later_settlement(none, outcome, costs, delta), 0.1)


def test_a_hand_solved_case_with_unequal_patience() -> None:
    """Three months; party 0 discounts at 0.5, party 1 at 1. Outcome (0, 0), costs 2 a month for
    both. Month 2: going on is worth (-2, -2); deals (1, -1.5) and (-1.5, 1): both acceptable,
    Nash products 3 x 0.5 = 1.5 each, tie broken by the larger sum of gains (equal), then frontier
    order: (1, -1.5). Month 1: paid so far seen from month 1 is (2 x 0.5 / 0.5, 2) = (2, 2), so
    going on is (1 - 2, -1.5 - 2) = (-1, -3.5): deals above it: (1, -1.5) only, product 2 x 2 = 4.
    So W = (1, -1.5) - month 0's cost 2 = (-1, -3.5)."""
    deals = two_party([(1, -1.5), (-1.5, 1)])
    outcome = np.zeros((2, 1))
    costs = np.full((3, 2, 1), 2.0)
    delta = np.array([[0.5], [1.0]])
    np.testing.assert_allclose(
        value_with_later_settlement(deals, outcome, costs, delta)[:, 0], [-1.0, -3.5]
    )


def solve_bruteforce(s: Settlements, r: np.ndarray) -> tuple[bool, np.ndarray | None]:
    """The oracle: every point, the Nash product, ties by the largest sum of gains."""
    best, pick = None, None
    for index, point in enumerate(s.points):
        gains = point - r
        if np.any(gains < -1e-9):
            continue
        g = np.maximum(gains, 0)
        key = (float(np.prod(g)), float(g.sum()))
        if (
            best is None
            or key[0] > best[0] * (1 + 1e-9) + 1e-9
            or (abs(key[0] - best[0]) <= 1e-9 * max(abs(best[0]), 1.0) and key[1] > best[1])
        ):
            best, pick = key, index
    return (pick is not None), (None if pick is None else s.utilities[pick])


coordinate = st.integers(min_value=-20, max_value=20).map(float)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(st.tuples(coordinate, coordinate, coordinate), min_size=1, max_size=25),
    st.lists(st.tuples(coordinate, coordinate, coordinate), min_size=1, max_size=20),
)
def test_solve_against_brute_force(
    points: list[tuple[float, float, float]], reservations: list[tuple[float, float, float]]
) -> None:
    s = Settlements(
        points=np.array(points),
        utilities=np.array(points),
        veto=np.array([0, 1, 2]),
        objective=nash_product,
    )
    r = np.array(reservations)
    has, value = s.solve(r)
    for q in range(len(r)):
        expected_has, expected = solve_bruteforce(s, r[q])
        assert has[q] == expected_has
        if expected_has:
            assert expected is not None
            # Ties in the objective and the sum can pick different points with the same value.
            assert float(np.prod(np.maximum(value[q] - r[q], 0))) == pytest.approx(
                float(np.prod(np.maximum(expected - r[q], 0)))
            )


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=12),
    st.integers(min_value=1, max_value=6),
    st.floats(min_value=0.0, max_value=3.0),
)
def test_without_discounting_the_option_never_hurts_a_veto_party(
    points: list[tuple[float, float]], months: int, cost: float
) -> None:
    """Undiscounted, W >= V for each veto party: it settles only on a deal it prefers to going on.
    (With discounting, costs ahead weigh more when they are near than they did from month t, while
    lasting states weigh the same: a deal taken at month k can be worth less, seen from t.)"""
    delta = 1.0
    s = two_party(points)
    rng = np.random.default_rng(months)
    outcome = rng.uniform(-10, 10, (2, 4))
    costs = rng.uniform(0, cost, (months, 2, 4))
    discount = np.full((2, 4), delta)
    w = value_with_later_settlement(s, outcome, costs, discount)
    factors = discount[None] ** np.arange(months)[:, None, None]
    v = outcome - (factors * costs).sum(axis=0)
    assert np.all(w >= v - 1e-9)


def test_the_deal_is_the_bargaining_cores_nash_solution() -> None:
    """For reservation vectors of the fixture's veto parties, the deal and its utilities are those
    of the bargaining core's Nash solution."""
    scenario = parse_scenario(FIXTURE.read_text(encoding="utf-8")).scenario
    s = scenario_settlements(scenario)
    rng = np.random.default_rng(3)
    r = rng.uniform(20, 70, (40, s.veto.size))
    has, value = s.solve(r)
    parties = [p.id for p in scenario.parties]
    for q in range(r.shape[0]):
        reservation = dict.fromkeys(parties, -1e5)
        for column, party in zip(s.veto, np.array(parties)[s.veto], strict=True):
            reservation[party] = float(r[q, list(s.veto).index(column)])
        solution = build_problem(scenario, reservation).solve("nash")
        assert has[q] == (solution.utilities is not None)
        if has[q]:
            np.testing.assert_allclose(value[q][s.veto], solution.utilities[s.veto], atol=1e-6)


def test_settle_later_in_the_value_of_no_deal() -> None:
    """End to end on the fixture: with the option, every veto party's value of no deal is at least
    its value without; the option is off by default."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert parse_scenario(text).scenario.war.settle_later is False  # type: ignore[union-attr]
    later = text.replace("  horizon_months: 12\n", "  horizon_months: 12\n  settle_later: true\n")
    plain = reservation_values(parse_scenario(text).scenario, samples=256, seed=1, months=2)
    option = reservation_values(parse_scenario(later).scenario, samples=256, seed=1, months=2)
    scenario = parse_scenario(text).scenario
    veto = [i for i, p in enumerate(scenario.parties) if p.has_veto]
    assert np.all(option.values[:, veto] >= plain.values[:, veto] - 1e-9)
    assert np.any(option.values[:, veto] > plain.values[:, veto] + 0.1)


def test_without_a_red_line_free_package_the_option_changes_nothing() -> None:
    """Every package crosses a red line (as Iran's condition of 1982 in iran-iraq-1982): no deal
    at any later month, so the value of no deal is the war's."""
    empty = np.zeros((0, 2))
    s = Settlements(points=empty, utilities=empty, veto=np.array([0, 1]), objective=nash_product)
    has, value = s.solve(np.array([[0.0, 0.0], [5.0, 1.0]]))
    assert not has.any() and value.shape == (2, 2)
    outcome = np.array([[2.0, 3.0], [2.0, 1.0]])
    costs = np.ones((3, 2, 2))
    discount = np.full((2, 2), 0.9)
    expected = outcome - costs[0] - 0.9 * costs[1] - 0.81 * costs[2]
    np.testing.assert_allclose(value_with_later_settlement(s, outcome, costs, discount), expected)
