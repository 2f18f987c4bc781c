"""Robustness estimates: exact per sample, right on small problems, sane, monotone, deterministic."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from ceasefire.bargaining import CONCEPTS
from ceasefire.bargaining.bruteforce import (
    acceptable_mask,
    all_packages,
    brute_force_solution,
    package_units,
)
from ceasefire.executor import SerialExecutor
from ceasefire.uncertainty.inputs import input_space
from ceasefire.uncertainty.robustness import Robustness, robustness, stderr
from ceasefire.uncertainty.sampling import blocks, draw_block, realise
from ceasefire.uncertainty.solve import solve_samples
from tests.strategies import random_scenario, seeds, toy


def _samples(space: Any, n: int, seed: int, block_size: int = 4096) -> list[tuple[Any, Any]]:
    """(theta, draws) of every block of a run, as robustness() draws them."""
    out = []
    for block in blocks(n, seed, block_size):
        theta, war = draw_block(space, block)
        out.append((theta, realise(space, theta, war)))
    return out


@settings(max_examples=25)
@given(seed=seeds)
def test_every_sample_is_solved_exactly(seed: int) -> None:
    """Against brute force: ZOPA or not, and each concept's package among the optimal ones."""
    rng = np.random.default_rng(seed)
    scenario = random_scenario(rng, uncertain_preferences=bool(rng.random() < 0.5))
    space = input_space(scenario)
    for theta, draws in _samples(space, 40, seed):
        outcomes = solve_samples(space, draws, list(CONCEPTS), theta)
        for s in range(draws.size):
            problem = draws.problem(space, s)
            packages = all_packages(problem)
            ok = acceptable_mask(problem, packages, package_units(problem, packages))
            assert outcomes.exists[s] == ok.any()
            for name in CONCEPTS:
                chosen = tuple(int(x) for x in outcomes.chosen[name][s])
                if not ok.any():
                    assert chosen == (-1,) * len(chosen)
                    continue
                assert chosen in brute_force_solution(problem, name).optimal, name


@settings(max_examples=10)
@given(seed=seeds)
def test_counts_are_those_of_the_samples(seed: int) -> None:
    """Every probability is the share of these very samples: recount them with the core."""
    rng = np.random.default_rng(seed)
    scenario = random_scenario(rng, uncertain_preferences=bool(rng.random() < 0.5))
    space = input_space(scenario)
    n = 150
    result = robustness(space, n, seed, search_rounds=1, block_size=64)
    zopa = 0
    chosen: dict[str, dict[tuple[int, ...], int]] = {c: {} for c in CONCEPTS}
    problems = []
    for _, draws in _samples(space, n, seed, block_size=64):
        for s in range(draws.size):
            problem = draws.problem(space, s)
            problems.append(problem)
            if problem.zopa().exists:
                zopa += 1
                for name in CONCEPTS:
                    package = problem.solve(name).package
                    assert package is not None
                    key = tuple(int(x) for x in package)
                    chosen[name][key] = chosen[name].get(key, 0) + 1
    assert result.samples == n
    assert result.zopa == zopa
    listed = {entry.package: entry for entry in result.packages}
    assert set(listed) == {key for c in CONCEPTS for key in chosen[c]}
    for key, entry in listed.items():
        assert entry.chosen == {c: chosen[c][key] for c in CONCEPTS if key in chosen[c]}
        assert entry.acceptable == sum(bool(p.acceptable(np.array([key]))[0]) for p in problems)
    if result.most_robust is not None:
        top = result.most_robust
        assert top.acceptable == sum(
            bool(p.acceptable(np.array([top.package]))[0]) for p in problems
        )
        assert top.acceptable >= max((e.acceptable for e in result.packages), default=0)


def _check_sanity(result: Robustness) -> None:
    doc = result.to_dict()
    n = doc["samples"]
    assert 0 <= doc["p_zopa"] <= 1
    for entry, errors in zip(doc["packages"], doc["stderr"]["packages"], strict=True):
        assert 0 <= entry["p_acceptable"] <= doc["p_zopa"]
        for name, p in entry["p_chosen"].items():
            # A package is chosen only in samples where it is acceptable.
            assert 0 <= p <= entry["p_acceptable"]
            assert errors["p_chosen"][name] == pytest.approx(math.sqrt(p * (1 - p) / n))
        assert errors["p_acceptable"] == pytest.approx(stderr(entry["p_acceptable"], n))
    for name in doc["concepts"]:
        # Every sample with a ZOPA picks exactly one package for each concept.
        total = sum(entry["p_chosen"][name] for entry in doc["packages"])
        assert total == pytest.approx(doc["p_zopa"])
    if doc["most_robust"] is not None:
        best = doc["most_robust"]["p_acceptable"]
        assert best <= doc["p_zopa"]
        assert all(best >= e["p_acceptable"] for e in doc["packages"])
        assert doc["most_robust"]["proven_best"] == (best == doc["p_zopa"])


@settings(max_examples=12)
@given(seed=seeds)
def test_probabilities_are_sane(seed: int) -> None:
    rng = np.random.default_rng(seed)
    space = input_space(random_scenario(rng))
    _check_sanity(robustness(space, 150, seed, search_rounds=1))


# ---- exact answers on small problems ----------------------------------------------------------

# Toy scenario: North values border (0/50/100 for north/middle/south line, weight 0.7) and troops
# (0..100, weight 0.3) and may not accept the north line; South's reservation is 40.


def _exact_discrete(scenario: Any) -> tuple[float, dict[tuple[int, ...], float]]:
    """P(ZOPA) and P(package acceptable) by enumerating every combination of discrete inputs."""
    space = input_space(scenario)
    columns = space.uncertain_columns
    values = []
    for column in columns:
        inp = space.inputs[column]
        if inp.kind == "red_line":
            values.append([(1.0, inp.p), (0.0, 1 - inp.p)])
        else:
            dist = inp.distribution
            values.append(list(zip(dist.alternatives, dist.probabilities, strict=True)))
    p_zopa = 0.0
    p_ok: dict[tuple[int, ...], float] = {}
    for combo in itertools.product(*values):
        theta = space.point.copy()
        weight = 1.0
        for column, (value, p) in zip(columns, combo, strict=True):
            theta[column] = value
            weight *= p
        problem = realise(space, theta[None, :]).problem(space, 0)
        packages = all_packages(problem)
        ok = acceptable_mask(problem, packages, package_units(problem, packages))
        p_zopa += weight * ok.any()
        for row in packages[ok]:
            key = tuple(int(x) for x in row)
            p_ok[key] = p_ok.get(key, 0.0) + weight
    return p_zopa, p_ok


def test_discrete_inputs_agree_with_exact_enumeration() -> None:
    scenario = toy(
        {
            "reservation: 40": "reservation: {dist: choice, alternatives: [35, 45, 60], p: [0.5, 0.3, 0.2]}",
            "no_deal: {cost: 10}": "no_deal: {cost: {dist: choice, alternatives: [0, 10, 25]}}",
            "red_lines: {border: [north_line]}": "red_lines: {border: {options: [north_line], p: 0.6}}",
        }
    )
    p_zopa, p_ok = _exact_discrete(scenario)
    assert 0.05 < p_zopa < 0.95  # a test that could fail
    n = 20_000
    result = robustness(input_space(scenario), n, seed=11)
    assert abs(result.p_zopa - p_zopa) <= 4 * math.sqrt(p_zopa * (1 - p_zopa) / n) + 1e-12
    for entry in result.packages:
        exact = p_ok.get(entry.package, 0.0)
        estimate = entry.acceptable / n
        assert abs(estimate - exact) <= 4 * math.sqrt(exact * (1 - exact) / n) + 1e-12
    assert result.most_robust is not None
    best_exact = max(p_ok.values())
    assert p_ok[result.most_robust.package] == pytest.approx(best_exact)


def test_a_uniform_reservation_gives_the_exact_linear_probability() -> None:
    """With only South's reservation uncertain, U(a, b), P(ZOPA) = (m - a) / (b - a) where m is
    South's best utility among the packages North accepts."""
    a, b = 30.0, 90.0
    scenario = toy({"reservation: 40": f"reservation: {{dist: uniform, low: {a}, high: {b}}}"})
    space = input_space(scenario)
    problem = realise(space, space.point[None, :]).problem(space, 0)
    packages = all_packages(problem)
    north_ok = (package_units(problem, packages)[:, 0] >= round(problem.reservation[0] * 1e12)) & (
        ~problem.forbidden[0][packages[:, 0]]
    )
    m = problem.utilities(packages[north_ok])[:, 1].max()
    exact = min(1.0, max(0.0, (m - a) / (b - a)))
    assert 0.1 < exact < 0.9
    n = 40_000
    result = robustness(space, n, seed=5)
    assert abs(result.p_zopa - exact) <= 4 * math.sqrt(exact * (1 - exact) / n)
    _check_sanity(result)


# ---- monotonicity -----------------------------------------------------------------------------


@pytest.mark.parametrize("shift", [2.0, 5.0, 15.0])
def test_a_higher_cost_of_no_deal_never_closes_a_zone(shift: float) -> None:
    """Same seed, same draws: a higher cost lowers every reservation value sample by sample, so
    P(ZOPA) and each package's P(acceptable) cannot fall."""
    cost = "no_deal: {cost: {dist: normal, mean: %s, sd: 6}}"
    low = toy(
        {
            "no_deal: {cost: 10}": cost % 10,
            "reservation: 40": "reservation: {dist: uniform, low: 40, high: 70}",
        }
    )
    high = toy(
        {
            "no_deal: {cost: 10}": cost % (10 + shift),
            "reservation: 40": "reservation: {dist: uniform, low: 40, high: 70}",
        }
    )
    a = robustness(input_space(low), 3000, seed=2)
    b = robustness(input_space(high), 3000, seed=2)
    assert b.zopa >= a.zopa
    assert b.zopa > a.zopa  # the cost matters in this scenario
    before = {e.package: e.acceptable for e in a.packages}
    for entry in b.packages:
        if entry.package in before:
            assert entry.acceptable >= before[entry.package]


@pytest.mark.parametrize(("p_low", "p_high"), [(0.2, 0.5), (0.5, 0.9), (0.1, 1.0), (0.3, 0.3)])
def test_a_likelier_red_line_never_opens_a_zone(p_low: float, p_high: float) -> None:
    def scenario(p: float) -> Any:
        # South's red line on the southern ridge, the one package that gives South 50.
        red = f"{{options: [south_line], p: {p}}}"
        south = "reservation: {dist: uniform, low: 40, high: 80}"
        return toy({"reservation: 40": f"red_lines: {{border: {red}}}\n    {south}"})

    a = robustness(input_space(scenario(p_low)), 3000, seed=9)
    b = robustness(input_space(scenario(p_high)), 3000, seed=9)
    assert b.zopa <= a.zopa
    if p_low < p_high:
        assert b.zopa < a.zopa  # the red line matters in this scenario


# ---- determinism ------------------------------------------------------------------------------


class _ManyTasks(SerialExecutor):
    """Serial, but asks for as many tasks as a 5-worker pool would: another grouping of blocks."""

    workers = 5


@pytest.mark.parametrize("preferences", [False, True])
def test_the_grouping_of_blocks_changes_nothing(preferences: bool) -> None:
    rng = np.random.default_rng(4)
    space = input_space(random_scenario(rng, uncertain_preferences=preferences))
    a = robustness(space, 700, seed=3, executor=SerialExecutor(), block_size=64)
    b = robustness(space, 700, seed=3, executor=_ManyTasks(), block_size=64)
    assert a.to_dict() == b.to_dict()


def test_the_seed_is_the_only_source_of_randomness() -> None:
    space = input_space(random_scenario(np.random.default_rng(8)))
    assert robustness(space, 500, seed=1).to_dict() == robustness(space, 500, seed=1).to_dict()
    assert robustness(space, 500, seed=1).to_dict() != robustness(space, 500, seed=2).to_dict()


def test_a_scenario_without_uncertainty_is_certain() -> None:
    result = robustness(input_space(toy({})), 100, seed=0)
    assert result.p_zopa in (0.0, 1.0)
    assert all(e.acceptable in (0, 100) for e in result.packages)
    assert result.to_dict()["stderr"]["p_zopa"] == 0.0


def test_with_a_war_model_the_reservation_values_are_the_war_models() -> None:
    from pathlib import Path

    from ceasefire.scenario import load_scenario
    from ceasefire.war import reservation_values

    # SOURCE: tests/war/data/border-war.yaml, the war model's own invented test scenario.
    loaded = load_scenario(Path(__file__).parents[1] / "war" / "data" / "border-war.yaml")
    space = input_space(loaded.scenario)
    assert space.war
    assert not any(i.kind in ("reservation", "no_deal_cost") for i in space.inputs)
    block = blocks(300, 5, 256)[1]
    theta, war = draw_block(space, block)
    direct = reservation_values(loaded.scenario, samples=300, seed=5, months=1)
    columns = [direct.parties.index(p) for p in space.parties]
    assert war is not None
    assert np.array_equal(war, direct.values[0][columns][:, 256:300].T)
    assert np.array_equal(realise(space, theta, war).reservation, war)
    result = robustness(space, 600, seed=5, block_size=256)
    _check_sanity(result)
    with pytest.raises(ValueError):
        robustness(space, 600, seed=5, block_size=100)
