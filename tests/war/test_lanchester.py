"""Lanchester's laws: conserved quantities, exact against numerical solutions, the Markov death
process against its exact win probabilities, recovery of known coefficients, and Engel's Iwo Jima."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ceasefire.war.lanchester import (
    Law,
    Reinforcement,
    fit_aimed_fire,
    invariant,
    simulate_markov,
    solve,
    win_probability,
    winner,
)

forces = st.floats(10, 10_000)
coefficients = st.floats(1e-3, 0.2)


@given(law=st.sampled_from(list(Law)), a0=forces, b0=forces, alpha=coefficients, beta=coefficients)
def test_invariant_is_conserved_until_the_end(
    law: Law, a0: float, b0: float, alpha: float, beta: float
) -> None:
    days = np.linspace(0, 40, 81)
    for method in ("exact", "numerical"):
        battle = solve(law, a0, b0, alpha, beta, days, method=method)
        fighting = days < (battle.ended_at if battle.ended_at is not None else np.inf) - 1e-9
        k = invariant(law, battle.a[fighting], battle.b[fighting], alpha, beta)
        scale = max(
            abs(float(invariant(law, a0, 0, alpha, beta))),
            abs(float(invariant(law, 0, b0, alpha, beta))),
        )
        np.testing.assert_allclose(k, k[0], rtol=0, atol=1e-7 * scale)
        assert (battle.a >= 0).all() and (battle.b >= 0).all()


@settings(max_examples=40)
@given(a0=forces, b0=forces, alpha=coefficients, beta=coefficients)
def test_the_side_with_the_larger_fighting_strength_wins(
    a0: float, b0: float, alpha: float, beta: float
) -> None:
    battle = solve(Law.AIMED, a0, b0, alpha, beta, np.linspace(0, 5000, 3))
    expected = winner(Law.AIMED, a0, b0, alpha, beta)
    if expected == "A":
        assert battle.b[-1] == 0 and battle.a[-1] > 0
        # Square law: the winner keeps sqrt(A0^2 - beta/alpha B0^2).
        assert battle.a[-1] == pytest.approx(
            np.sqrt(a0**2 - beta / alpha * b0**2), rel=1e-6, abs=1e-6
        )
    elif expected == "B":
        assert battle.a[-1] == 0 and battle.b[-1] > 0


@settings(max_examples=40)
@example(  # a side wiped out while the other's reinforcements are still arriving
    law=Law.AIMED, a0=10.0, b0=10.0, alpha=0.0496, beta=0.015625, day=13.0, extra=38.0, spread=True
)
@given(
    law=st.sampled_from(list(Law)),
    a0=forces,
    b0=forces,
    alpha=st.floats(1e-3, 0.05),
    beta=st.floats(1e-3, 0.05),
    day=st.floats(0.5, 20),
    extra=st.floats(0, 5_000),
    spread=st.booleans(),
)
def test_exact_and_numerical_solutions_agree_with_reinforcements(
    law: Law,
    a0: float,
    b0: float,
    alpha: float,
    beta: float,
    day: float,
    extra: float,
    spread: bool,
) -> None:
    if law is Law.AREA:  # keep area fire on comparable time scales
        alpha, beta = alpha / 1000, beta / 1000
    reinforcements = [Reinforcement(day, a=extra, until=day + 3 if spread else None)]
    if law is Law.AREA and spread:
        reinforcements = [Reinforcement(day, a=extra)]  # no closed form with rates
    days = np.linspace(0, 30, 61)
    exact = solve(law, a0, b0, alpha, beta, days, reinforcements, method="exact")
    numerical = solve(law, a0, b0, alpha, beta, days, reinforcements, method="numerical")
    scale = max(a0, b0, extra)
    np.testing.assert_allclose(exact.a, numerical.a, atol=1e-5 * scale)
    np.testing.assert_allclose(exact.b, numerical.b, atol=1e-5 * scale)
    if exact.ended_at is None:
        assert numerical.ended_at is None or numerical.ended_at == pytest.approx(30, abs=1e-6)
    else:
        assert numerical.ended_at == pytest.approx(exact.ended_at, rel=1e-6)


def test_area_fire_with_reinforcement_rates_needs_the_numerical_solver() -> None:
    rates = [Reinforcement(1, a=100, until=3)]
    with pytest.raises(ValueError, match="no closed form"):
        solve(Law.AREA, 100, 100, 1e-4, 1e-4, [0, 5], rates, method="exact")
    battle = solve(Law.AREA, 100, 100, 1e-4, 1e-4, [0, 5], rates)
    assert battle.a[-1] > battle.b[-1]


def test_engel_iwo_jima() -> None:
    """Engel's aimed-fire model of Iwo Jima [Engel1954]: 54,000 US troops landed on day 0, 6,000 on
    day 2 and 13,000 on day 5 (each over one day) against 21,000 Japanese with no reinforcement,
    with alpha = 0.0106 (US) and beta = 0.0544 (Japanese) a day: the Japanese force is gone after
    about 35 days (the battle lasted 36) with ~54,000 US troops still fighting, out of 73,000."""
    landings = [
        Reinforcement(0, a=54_000, until=1),
        Reinforcement(2, a=6_000, until=3),
        Reinforcement(5, a=13_000, until=6),
    ]
    days = np.arange(0, 41.0)
    battle = solve(Law.AIMED, 0, 21_000, 0.0106, 0.0544, days, landings)
    assert battle.ended_at == pytest.approx(35.0, abs=0.5)
    assert 50_000 < battle.a[-1] < 56_000 and battle.b[-1] == 0
    # The fit recovers the coefficients from the daily strengths, and stays close with 1% noise.
    exact_fit = fit_aimed_fire(days[:35], battle.a[:35], battle.b[:35], landings)
    assert exact_fit.alpha == pytest.approx(0.0106, rel=1e-6)
    assert exact_fit.beta == pytest.approx(0.0544, rel=1e-6)


@settings(max_examples=25)
@given(
    alpha=st.floats(0.002, 0.05),
    beta=st.floats(0.002, 0.05),
    a0=st.floats(5_000, 50_000),
    b0=st.floats(5_000, 50_000),
    extra=st.floats(0, 20_000),
)
def test_fit_recovers_known_coefficients(
    alpha: float, beta: float, a0: float, b0: float, extra: float
) -> None:
    days = np.arange(0, 21.0)
    reinforcements = [Reinforcement(4, b=extra), Reinforcement(8, a=extra / 2, until=10)]
    battle = solve(Law.AIMED, a0, b0, alpha, beta, days, reinforcements)
    fighting = int(np.searchsorted(days, battle.ended_at or np.inf))
    if fighting < 8:
        return  # too short a battle to identify both coefficients
    days, a, b = days[:fighting], battle.a[:fighting], battle.b[:fighting]
    fit = fit_aimed_fire(days, a, b, reinforcements)
    assert fit.alpha == pytest.approx(alpha, rel=1e-4)
    assert fit.beta == pytest.approx(beta, rel=1e-4)


def test_fit_is_close_and_unbiased_with_noisy_daily_strengths() -> None:
    """Iwo-Jima-like data with 0.5% measurement noise a day: each estimate within 5%, and their
    mean over 20 noisy data sets within 1%."""
    alpha, beta = 0.0106, 0.0544
    landings = [Reinforcement(0, a=54_000, until=1), Reinforcement(2, a=6_000, until=3)]
    days = np.arange(0, 31.0)
    battle = solve(Law.AIMED, 0, 21_000, alpha, beta, days, landings)
    fits = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        noisy_a = battle.a * (1 + 0.005 * rng.standard_normal(days.size))
        noisy_b = battle.b * (1 + 0.005 * rng.standard_normal(days.size))
        fit = fit_aimed_fire(days, noisy_a, noisy_b, landings)
        assert fit.alpha == pytest.approx(alpha, rel=0.05)
        assert fit.beta == pytest.approx(beta, rel=0.05)
        fits.append((fit.alpha, fit.beta))
    mean_alpha, mean_beta = np.mean(fits, axis=0)
    assert mean_alpha == pytest.approx(alpha, rel=0.01)
    assert mean_beta == pytest.approx(beta, rel=0.01)


@pytest.mark.parametrize("law", list(Law))
def test_markov_win_probability_matches_the_exact_recursion(law: Law) -> None:
    a0, b0, alpha, beta = 12, 10, 0.9, 1.0
    if law is Law.AREA:
        alpha, beta = 0.09, 0.1
    exact = win_probability(law, a0, b0, alpha, beta)
    runs = 20_000
    sim = simulate_markov(law, a0, b0, alpha, beta, np.random.default_rng(11), runs)
    share = sim.a_wins.mean()
    assert abs(share - exact) < 4 * np.sqrt(exact * (1 - exact) / runs)
    assert ((sim.a == 0) | (sim.b == 0)).all()


def test_win_probability_is_a_half_in_a_symmetric_battle_and_follows_the_square_law() -> None:
    assert win_probability(Law.AIMED, 20, 20, 1.0, 1.0) == pytest.approx(0.5)
    # Twice the effectiveness is worth about sqrt(2) times the numbers under aimed fire.
    assert win_probability(Law.AIMED, 40, 57, 2.0, 1.0) == pytest.approx(0.5, abs=0.06)
    # ... and about twice the numbers under area fire.
    assert win_probability(Law.AREA, 40, 80, 2.0, 1.0) == pytest.approx(0.5, abs=0.06)


def test_large_markov_battles_follow_the_ode_on_average() -> None:
    a0, b0, alpha, beta = 400, 300, 0.01, 0.012
    horizon = 40.0
    sim = simulate_markov(
        Law.AIMED, a0, b0, alpha, beta, np.random.default_rng(3), 4_000, t_max=horizon
    )
    ode = solve(Law.AIMED, a0, b0, alpha, beta, [0, horizon])
    assert sim.a.mean() == pytest.approx(ode.a[-1], rel=0.02)
    assert sim.b.mean() == pytest.approx(ode.b[-1], rel=0.03)
    assert (sim.duration <= horizon).all()


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        solve(Law.AIMED, -1, 1, 1, 1, [0, 1])
    with pytest.raises(ValueError):
        solve(Law.AIMED, 1, 1, 1, 1, [1, 0])
    with pytest.raises(ValueError):
        Reinforcement(3, a=1, until=2)
    with pytest.raises(ValueError):
        fit_aimed_fire([1, 2, 3], [3, 2, 1], [3, 2, 1])
