"""The campaign model: reproducibility, independence from chunking, and each mechanism on its own."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pytest

from ceasefire.scenario import load_scenario, parse_scenario
from ceasefire.scenario.model import Scenario
from ceasefire.war.attrition import BLOCK, Kernel, State, simulate, step
from tests.war.conftest import variant


def arrays(outcome: object) -> list[np.ndarray]:
    names = ("territory", "forces", "casualties", "spending", "aid", "escalated", "collapsed")
    return [getattr(outcome, name) for name in names]


def test_same_seed_same_results_other_seed_other_results(scenario: Scenario) -> None:
    a = simulate(scenario, samples=600, months=12, seed=7)
    b = simulate(scenario, samples=600, months=12, seed=7)
    c = simulate(scenario, samples=600, months=12, seed=8)
    for x, y in zip(arrays(a), arrays(b), strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.casualties, c.casualties)


def test_results_do_not_depend_on_chunking_sample_count_or_months(scenario: Scenario) -> None:
    whole = simulate(scenario, samples=3 * BLOCK, months=10, seed=3)
    first = simulate(scenario, samples=BLOCK, months=10, seed=3)
    rest = simulate(scenario, samples=2 * BLOCK, months=10, seed=3, first_sample=BLOCK)
    for x, a, b in zip(arrays(whole), arrays(first), arrays(rest), strict=True):
        np.testing.assert_array_equal(x, np.concatenate([a, b], axis=-1))
    # A prefix of the samples, and a prefix of the months, give the same numbers.
    fewer = simulate(scenario, samples=100, months=10, seed=3)
    shorter = simulate(scenario, samples=3 * BLOCK, months=4, seed=3)
    np.testing.assert_array_equal(fewer.territory, whole.territory[:, :100])
    np.testing.assert_array_equal(shorter.casualties, whole.casualties[:5])
    with pytest.raises(ValueError, match="multiple of"):
        simulate(scenario, samples=10, months=2, seed=3, first_sample=5)


def test_seed_streams_are_seedsequence_spawn_children(scenario: Scenario) -> None:
    from ceasefire.war.attrition import _stream

    child = np.random.SeedSequence(11).spawn(3)[2]
    assert _stream(11, 2).random() == np.random.default_rng(child).random()


def test_parameters_follow_their_distributions(scenario: Scenario) -> None:
    p = simulate(scenario, samples=20_000, months=0, seed=1).parameters
    assert np.median(p.forces[0]) == pytest.approx(300_000, rel=0.01)  # lognormal median
    assert p.forces[1].min() >= 150_000  # truncated normal
    assert p.recruits[0].min() >= 8_000 and p.recruits[0].max() <= 14_000
    assert (p.loss_fraction[0] == 0.6).all()
    assert np.mean(p.loss_fraction[1]) == pytest.approx(0.6, abs=0.01)  # beta(6, 4)
    assert np.isinf(p.break_casualties[0]).all() and (p.break_force_fraction[1] == 0).all()
    assert p.costs["west"]["per_10k_casualties"].min() >= 0.6


def test_expectation_step_is_the_mean_of_the_stochastic_step(scenario: Scenario) -> None:
    """One step from a fixed state: the stochastic casualties, ground gained and escalation average
    to the expectation step's values (the oracle for the mean-field projection)."""
    n = 200_000
    one = simulate(scenario, samples=1, months=0, seed=5).parameters
    rng = np.random.default_rng(0)
    # Replicate a single sample's parameters n times.
    tiled = {}
    for f in fields(one):
        value = getattr(one, f.name)
        if isinstance(value, np.ndarray) and value.shape and value.shape[-1] == 1:
            tiled[f.name] = np.repeat(value, n, axis=-1)
    params = replace(one, **tiled)
    kernel = Kernel(params, 1.0)
    expected = step(State.start(params), kernel)
    normals = rng.standard_normal((4, n))
    uniforms = rng.random((3, n))
    drawn = step(State.start(params), kernel, normals, uniforms)
    np.testing.assert_allclose(drawn.casualties.mean(axis=1), expected.casualties[:, 0], rtol=0.01)
    np.testing.assert_allclose(drawn.gained_km2.mean(axis=1), expected.gained_km2[:, 0], rtol=0.05)
    np.testing.assert_allclose(
        drawn.breakthroughs.mean(axis=1), expected.breakthroughs[:, 0], atol=4 * np.sqrt(0.25 / n)
    )


def test_casualties_are_overdispersed(text: str) -> None:
    fixed = variant(
        text,
        ("forces: {dist: lognormal, median: 300000, sigma: 0.1}", "forces: 300000"),
        ("lethality: {dist: triangular, low: 0.006, mode: 0.008, high: 0.011}", "lethality: 0.008"),
        ("attack_share: {dist: uniform, low: 0.2, high: 0.4}", "attack_share: 0.3"),
        ("forces: {dist: normal, mean: 250000, sd: 20000, low: 150000}", "forces: 250000"),
        ("concentration: {dist: triangular, low: 1.5, mode: 2, high: 3}", "concentration: 2"),
        (
            "defence_advantage: {dist: triangular, low: 2.5, mode: 3, high: 4}",
            "defence_advantage: 3",
        ),
        (
            "military_usd_bn_per_month: {dist: uniform, low: 1, high: 3}",
            "military_usd_bn_per_month: 2",
        ),
    )
    first_month = simulate(fixed, samples=4000, months=1, seed=2).monthly_casualties()[0]
    mean = first_month.mean(axis=1)
    variance = first_month.var(axis=1)
    assert (variance > 100 * mean).all()  # far beyond Poisson (variance = mean)
    cv = np.sqrt(variance) / mean
    np.testing.assert_allclose(cv, np.sqrt(np.exp(0.35**2) - 1), rtol=0.05)  # lognormal, s = 0.35


def test_aid_is_a_lever(scenario: Scenario) -> None:
    """Cutting the patron's aid lowers West's effectiveness: East loses fewer troops and the front
    moves East's way; raising it does the opposite."""
    runs = {
        scale: simulate(scenario, samples=2000, months=12, seed=4, aid_scale=scale)
        for scale in (0.0, 1.0, 3.0)
    }
    east_losses = {s: np.median(r.casualties[-1, 0]) for s, r in runs.items()}
    east_land = {s: np.mean(r.territory[-1]) for s, r in runs.items()}
    assert east_losses[0.0] < east_losses[1.0] < east_losses[3.0]
    assert east_land[0.0] > east_land[1.0] > east_land[3.0]
    assert np.median(runs[3.0].aid[-1, 0]) == pytest.approx(3 * np.median(runs[1.0].aid[-1, 0]))


def test_a_breakthrough_needs_local_superiority_beyond_the_defence_advantage(text: str) -> None:
    """With East's concentrated ratio below the defence advantage breakthroughs are rare; when East
    outnumbers West ten to one they come every month."""
    weak = simulate(parse_scenario(text).scenario, samples=2000, months=12, seed=1)
    strong = simulate(
        variant(text, ("forces: {dist: lognormal, median: 300000, sigma: 0.1}", "forces: 2500000")),
        samples=2000,
        months=12,
        seed=1,
    )
    assert (
        weak.breakthroughs[:, 0].sum(axis=0).mean() < strong.breakthroughs[:, 0].sum(axis=0).mean()
    )
    assert strong.breakthroughs[1:, 0].mean() > 0.9
    assert np.median(strong.territory[-1]) == 40.0  # the top of the range: clipped


def test_breakthrough_probability_is_one_half_at_the_defence_advantage(scenario: Scenario) -> None:
    one = simulate(scenario, samples=1, months=0, seed=5).parameters
    kernel = Kernel(one, 1.0)
    state = State.start(one)
    # Give East exactly the ratio the defence demands: c * S_E / S_W = d.
    strength = kernel.effectiveness[:, 0] * state.forces[:, 0]
    needed = (
        one.defence_advantage[0]
        / one.concentration[0, 0]
        * strength[1]
        / kernel.effectiveness[0, 0]
    )
    state.forces[0, 0] = needed
    result = step(state, kernel)
    assert result.breakthroughs[0, 0] == pytest.approx(0.5)


def test_collapse_when_the_army_shrinks_below_its_breaking_point(text: str) -> None:
    brittle = variant(
        text,
        ("break_force_fraction: 0.6", "break_force_fraction: 0.999"),
        ("recruits_per_month: {dist: uniform, low: 8000, high: 14000}", "recruits_per_month: 0"),
    )
    out = simulate(brittle, samples=500, months=6, seed=1)
    assert out.collapsed[-1, 0].mean() > 0.9 and out.collapsed[0].sum() == 0
    # East's collapse is a threat to the nuclear side: escalation becomes likely.
    calm = simulate(parse_scenario(text).scenario, samples=500, months=6, seed=1)
    assert out.escalated[-1].mean() > calm.escalated[-1].mean() + 0.1


def test_escalation_hazard_rises_as_the_nuclear_side_loses_ground(text: str) -> None:
    still = (
        ("attack_share: {dist: uniform, low: 0.2, high: 0.4}", "attack_share: 0"),
        ("attack_share: 0.1", "attack_share: 0"),
    )  # nobody attacks: the front stays where it is
    far = variant(text, *still)
    near = variant(text, ("status_quo: 20", "status_quo: 5"), *still)
    middle = variant(text, ("status_quo: 20", "status_quo: 7.5"), *still)
    runs = [simulate(s, samples=4000, months=12, seed=9) for s in (far, near, middle)]
    share = [r.escalated[-1].mean() for r in runs]
    # Monthly hazards 0.1% (far), 5% (at the full threat), halfway (2.55%) in the middle.
    for observed, hazard in zip(share, (0.001, 0.05, 0.0255), strict=True):
        expected = 1 - (1 - hazard) ** 12
        assert observed == pytest.approx(
            expected, abs=4 * np.sqrt(expected * (1 - expected) / 4000)
        )


def test_steps_per_month_aggregate_to_similar_months(text: str) -> None:
    weekly = variant(
        text, ("  horizon_months: 12\n", "  horizon_months: 12\n  steps_per_month: 4\n")
    )
    a = simulate(parse_scenario(text).scenario, samples=4000, months=6, seed=1)
    b = simulate(weekly, samples=4000, months=6, seed=1)
    assert np.median(a.casualties[-1, 0]) == pytest.approx(np.median(b.casualties[-1, 0]), rel=0.03)
    assert np.median(b.territory[-1]) == pytest.approx(np.median(a.territory[-1]), abs=1.0)


def test_summary_has_quantiles_per_month(scenario: Scenario) -> None:
    out = simulate(scenario, samples=300, months=3, seed=1)
    summary = out.summary()
    assert summary["month_index"] == [0, 1, 2, 3]
    assert set(summary["territory"]) == {"p5", "p25", "p50", "p75", "p95"}
    assert set(summary["casualties"]) == {"east", "west"}
    assert set(summary["outlays_usd_bn"]) == {"east", "west", "ally"}
    assert summary["p_escalation"][0] == 0.0
    assert (np.diff(summary["p_escalation"]) >= 0).all()
    q = summary["territory"]
    assert all(q["p5"][m] <= q["p50"][m] <= q["p95"][m] for m in range(4))


def test_no_war_section(toy_path: Path) -> None:
    with pytest.raises(ValueError, match="no war section"):
        simulate(load_scenario(toy_path).scenario, samples=10, months=1, seed=1)
