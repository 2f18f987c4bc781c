"""Each party's value of no deal: the expected-path projection against nested Monte Carlo, and
each term of V_i(t) against a direct computation."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest

from ceasefire.scenario import utility as su
from ceasefire.scenario.model import Scenario
from ceasefire.war.attrition import Kernel, Parameters, State, simulate, step
from ceasefire.war.batna import (
    Projection,
    cost_weights,
    discounted,
    monthly_costs,
    project,
    reservation_values,
    territory_utility,
)
from tests.war.conftest import variant


def tile(p: Parameters, state: State, index: int, copies: int) -> tuple[Parameters, State]:
    """Sample ``index``'s parameters and state, ``copies`` times."""
    changes = {}
    for f in fields(p):
        value = getattr(p, f.name)
        if isinstance(value, np.ndarray) and value.shape and value.shape[-1] == p.n:
            changes[f.name] = np.repeat(value[..., index : index + 1], copies, axis=-1)
    costs = {
        party: {k: np.repeat(v[index : index + 1], copies) for k, v in c.items()}
        for party, c in p.costs.items()
    }
    picked = state.select(np.full(copies, index))
    return replace(p, costs=costs, **changes), picked


def nested_monte_carlo(
    scenario: Scenario, p: Parameters, state: State, months: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The oracle: run the *stochastic* model ``months`` ahead from ``state`` and average."""
    s = state.copy()
    kernel = Kernel(p, 1.0)
    casualties = np.zeros((months, 2, p.n))
    escalation = np.zeros((months, p.n))
    for k in range(months):
        result = step(s, kernel, rng.standard_normal((4, p.n)), rng.random((3, p.n)))
        casualties[k] = result.casualties
        escalation[k] = result.escalation * ~state.escalated
    return casualties, escalation, s.territory


def test_projection_matches_nested_monte_carlo_in_a_calm_war(text: str) -> None:
    """Where the model is (nearly) linear in the shocks (no breakthroughs, no collapse), the expected path
    gives the mean casualties of many stochastic continuations, month by month, and the mean
    territory and escalation."""
    calm = variant(
        text,
        ("breakthrough_km2: {dist: lognormal, median: 3000, sigma: 0.5}", "breakthrough_km2: 0"),
    )
    run = simulate(calm, samples=8, months=3, seed=2, keep_states=True)
    copies, months = 20_000, 12
    for index in range(3):
        p, state = tile(run.parameters, run.states[3], index, copies)
        oracle_cas, oracle_esc, oracle_land = nested_monte_carlo(
            calm, p, state, months, np.random.default_rng(index)
        )
        one_p, one_state = tile(run.parameters, run.states[3], index, 1)
        projected = project(one_state, one_p, months)
        np.testing.assert_allclose(
            oracle_cas.mean(axis=2), projected.casualties[:, :, 0], rtol=0.01
        )
        assert oracle_land.mean() == pytest.approx(projected.territory[0], abs=0.05)
        assert oracle_esc.mean(axis=1).sum() == pytest.approx(
            projected.escalation[:, 0].sum(), abs=0.01
        )


def test_value_of_no_deal_against_nested_monte_carlo(scenario: Scenario) -> None:
    """V_i from the expected path and its spread, against the average realised value of fighting
    on over 20,000 stochastic continuations, in a volatile war (breakthroughs every few months,
    territory spread of several points, an escalation hazard convex in the territory): within half
    a point for every party, and the spread of the territory within 10%."""
    run = simulate(scenario, samples=6, months=0, seed=3, keep_states=True)
    utility = territory_utility(scenario)
    months, copies = 12, 20_000
    for index in range(6):
        p, state = tile(run.parameters, run.states[0], index, copies)
        cas, esc, land = nested_monte_carlo(scenario, p, state, months, np.random.default_rng(9))
        realised = Projection(
            casualties=cas, escalation=esc, territory=land, territory_var=0 * land
        )
        one_p, one_state = tile(run.parameters, run.states[0], index, 1)
        expected = project(one_state, one_p, months)
        # (The closure ignores that the range's ends narrow the spread: a few % too wide there.)
        assert np.sqrt(expected.territory_var[0]) == pytest.approx(land.std(), rel=0.1)
        weights = cost_weights(scenario, p)
        one_weights = cost_weights(scenario, one_p)
        for i, party in enumerate(x.id for x in scenario.parties):
            w = weights[party]
            oracle = utility(land)[i] - discounted(
                monthly_costs(w, p, realised), w.discount_monthly
            )
            ow = one_weights[party]
            value = utility(expected.territory, expected.territory_var)[i] - discounted(
                monthly_costs(ow, one_p, expected), ow.discount_monthly
            )
            assert value[0] == pytest.approx(oracle.mean(), abs=0.5), (index, party)


def test_expected_utility_over_a_normal_territory(scenario: Scenario) -> None:
    """The hinge formula against Monte Carlo over normal territories, clipped to the range."""
    utility = territory_utility(scenario)
    rng = np.random.default_rng(1)
    for mean, sd in ((20.0, 0.0), (20.0, 3.0), (2.0, 4.0), (38.0, 6.0), (10.0, 15.0)):
        draws = np.clip(mean + sd * rng.standard_normal(400_000), 0, 40)
        values = utility(draws)
        error = values.std(axis=1) / np.sqrt(draws.size)
        value = utility(np.array([mean]), np.array([sd**2]))[:, 0]
        assert (np.abs(value - values.mean(axis=1)) <= 4 * error + 1e-9).all(), (mean, sd)


def test_no_fighting_and_no_costs_leaves_the_status_quo(text: str) -> None:
    quiet = variant(
        text,
        ("attack_share: {dist: uniform, low: 0.2, high: 0.4}", "attack_share: 0"),
        ("attack_share: 0.1", "attack_share: 0"),
        ("base_monthly: 0.001", "base_monthly: 0"),
        ("      per_10k_casualties: 0.4\n", "      per_10k_casualties: 0\n"),
        ("per_10k_casualties: {dist: uniform, low: 0.6, high: 1.0}", "per_10k_casualties: 0"),
        ("      per_10k_casualties: 0.1\n", "      per_10k_casualties: 0\n"),
        ("per_10bn_usd: 0.3", "per_10bn_usd: 0"),
        ("per_10bn_usd: 0.5", "per_10bn_usd: 0"),
        ("per_10bn_usd: 0.4", "per_10bn_usd: 0"),
        ("per_month: 0.2", "per_month: 0"),
    )
    result = reservation_values(quiet, samples=50, seed=1, months=3)
    status_quo = su.utilities_of(quiet, su.status_quo_package(quiet))
    for i, party in enumerate(result.parties):
        np.testing.assert_allclose(result.values[:, i, :], status_quo[party], atol=1e-9)


def test_discounting_against_a_loop() -> None:
    rng = np.random.default_rng(0)
    costs = rng.uniform(0, 3, size=(7, 5))
    rate = rng.uniform(0, 0.05, size=5)
    expected = sum(costs[k] / (1 + rate) ** k for k in range(7))
    np.testing.assert_allclose(discounted(costs, rate), expected)


def test_territory_utility_is_the_status_quo_with_the_front_moved(scenario: Scenario) -> None:
    utility = territory_utility(scenario)
    for value in (0.0, 3.5, 12.0, 20.0, 33.3, 40.0, 55.0):
        package = {**su.status_quo_package(scenario), "territory": value}
        direct = su.utilities_of(scenario, package)
        np.testing.assert_allclose(
            utility(np.array([value]))[:, 0], [direct[p.id] for p in scenario.parties], atol=1e-12
        )


def test_whose_casualties_and_money_each_party_counts(scenario: Scenario) -> None:
    p = simulate(scenario, samples=10, months=0, seed=1).parameters
    weights = cost_weights(scenario, p)
    assert weights["east"].casualties_of == (0,) and weights["east"].spending_of == (0,)
    assert weights["west"].casualties_of == (1,) and weights["west"].aid_of == ()
    assert weights["ally"].casualties_of == (1,) and weights["ally"].aid_of == (0,)
    assert weights["broker"].casualties_of == (0, 1) and weights["broker"].spending_of == ()


def test_reservation_values_shape_determinism_and_quantiles(scenario: Scenario) -> None:
    a = reservation_values(scenario, samples=300, seed=4, months=5, horizon=6)
    b = reservation_values(scenario, samples=300, seed=4, months=5, horizon=6)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.values.shape == (5, 4, 300) and a.horizon == 6 and a.months == 5
    q = a.quantiles(0)
    assert set(q) == {"east", "west", "ally", "broker"}
    assert all(v["p5"] <= v["p50"] <= v["p95"] for v in q.values())
    assert a.medians(0) == {k: pytest.approx(v["p50"]) for k, v in q.items()}
    default = reservation_values(scenario, samples=20, seed=4)
    assert default.horizon == 12 and default.months == 12
