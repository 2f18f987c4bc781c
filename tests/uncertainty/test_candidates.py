"""Solving a sample inside the regions of its possible picks gives exactly the whole frontier's
picks: on random problems (ties and near-ties included) with a pool carried from sample to sample,
on random scenarios with continuous preference uncertainty, and on the benchmark variant."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining import CONCEPTS, BargainingProblem
from ceasefire.bargaining.problem import dequantize
from ceasefire.scenario import parse_scenario
from ceasefire.uncertainty import candidates
from ceasefire.uncertainty.candidates import Pool, best_gain_bounds, solve_sample, whole_frontier
from ceasefire.uncertainty.inputs import input_space
from ceasefire.uncertainty.robustness import robustness
from ceasefire.uncertainty.sampling import blocks, draw_block, realise
from ceasefire.uncertainty.solve import solve_samples
from tests.commitment.nesting import without_commitment
from tests.strategies import bargaining_problems, random_scenario, seeds

VARIANT = (
    Path(__file__).parents[2] / "benchmarks" / "scenarios" / "russia-ukraine-2023-12-uncertain.yaml"
)
NAMES = tuple(CONCEPTS)


def _perturbed(problem: BargainingProblem, rng: np.random.Generator) -> BargainingProblem:
    """The same issues and options with other weights and reservation values (sometimes none
    changed, so that the pool holds the exact picks and their ties)."""
    if rng.random() < 0.3:
        return problem
    scale = rng.uniform(0.7, 1.3, size=(problem.n_issues, problem.n_parties))
    shift = rng.uniform(-1.0, 1.0, size=problem.n_parties)
    return BargainingProblem.from_arrays(
        [c * scale[k][None, :] for k, c in enumerate(problem.contributions)],
        veto=list(problem.veto),
        reservation=problem.reservation + np.where(rng.random() < 0.5, 0.0, shift),
        forbidden=list(problem.forbidden),
    )


def _same(fast: dict[str, np.ndarray] | None, exact: dict[str, np.ndarray] | None) -> None:
    assert (fast is None) == (exact is None)
    if fast is not None and exact is not None:
        for name in NAMES:
            np.testing.assert_array_equal(fast[name], exact[name], err_msg=name)


@settings(max_examples=120)
@given(problem=bargaining_problems(veto_parties=(2, 4)), seed=st.integers(0, 2**32 - 1))
def test_each_sample_picks_what_the_whole_frontier_picks(
    problem: BargainingProblem, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    pool = Pool()
    for _ in range(6):
        sample = _perturbed(problem, rng)
        _same(solve_sample(sample, NAMES, pool), whole_frontier(sample, NAMES))


@settings(max_examples=60)
@given(problem=bargaining_problems(veto_parties=(2, 4)))
def test_the_bounds_of_the_best_gains_hold(problem: BargainingProblem) -> None:
    zopa = problem.zopa()
    if not zopa.exists:
        return
    upper, _ = best_gain_bounds(problem)
    best = dequantize(zopa.frontier.best_units - problem.reservation_units)
    assert np.all(upper >= best - 1e-9)


@settings(max_examples=12)
@given(seed=seeds)
def test_random_scenarios_give_the_same_picks_either_way(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scenario = random_scenario(rng, kinds=("fixed", "uniform", "normal"))
    space = input_space(scenario)
    for block in blocks(60, seed):
        theta, war = draw_block(space, block)
        draws = realise(space, theta, war)
        fast = solve_samples(space, draws, NAMES, theta)
        exact = solve_samples(space, draws, NAMES, theta, exact_frontier=whole_frontier)
        np.testing.assert_array_equal(fast.exists, exact.exists)
        for name in NAMES:
            np.testing.assert_array_equal(fast.chosen[name], exact.chosen[name])


def test_the_benchmark_variant_gives_the_same_packages_and_probabilities(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``robust`` on the benchmark variant (continuous weights and values, a war model), 24
    samples: the same document as with every sample solved on its whole frontier. Without its
    ``commitment:`` section: with one every sample is solved on its whole effective frontier
    (tests/uncertainty/test_effective_samples.py)."""
    text = without_commitment(VARIANT.read_text(encoding="utf-8"))
    loaded = parse_scenario(text, str(VARIANT))
    space = input_space(loaded.scenario)
    fast = robustness(space, 24, 3, search_rounds=1, block_size=256)
    solved = {"regional": 0}

    def whole(problem: BargainingProblem, concepts: tuple[str, ...], pool: Pool):  # type: ignore[no-untyped-def]
        solved["regional"] += 1
        return whole_frontier(problem, concepts)

    monkeypatch.setattr(candidates, "solve_sample", whole)
    monkeypatch.setattr("ceasefire.uncertainty.solve.solve_sample", whole)
    exact = robustness(space, 24, 3, search_rounds=1, block_size=256)
    assert solved["regional"] == 24
    assert fast.to_dict() == exact.to_dict()
