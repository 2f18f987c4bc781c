"""The grouped exact frontier of effective utilities against brute-force enumeration."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.bargaining import SOLUTION_CONCEPTS, BargainingProblem
from ceasefire.bargaining.bruteforce import (
    all_packages,
    brute_force_effective_frontier,
    brute_force_effective_solution,
    effective_acceptable,
)
from ceasefire.bargaining.effective import EffectiveProblem
from ceasefire.bargaining.problem import TOLERANCE
from tests.bargaining.test_oracle import assert_matches_oracle, small_problems


@st.composite
def effective_problems(draw: st.DrawFn) -> EffectiveProblem:
    problem: BargainingProblem = draw(small_problems)
    chosen = draw(
        st.lists(st.integers(0, problem.n_issues - 1), unique=True, max_size=3), label="groups"
    )
    group = tuple(sorted(chosen))
    n_groups = int(np.prod([len(problem.options[k]) for k in group])) if group else 1
    seed = draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(seed)
    hold = rng.choice([1.0, 0.9, 0.5, 0.25, rng.uniform(0.01, 1.0)], size=n_groups)
    low = np.sum([t.min(axis=0) for t in problem.contributions], axis=0)
    high = np.sum([t.max(axis=0) for t in problem.contributions], axis=0)
    renewed = low + rng.uniform(-0.2, 1.0, (n_groups, problem.n_parties)) * (high - low + 1)
    if draw(st.booleans(), label="integer renewed values"):
        renewed = np.round(renewed)
    return EffectiveProblem(
        problem,
        group,
        hold,
        renewed,
        self_enforcing=draw(st.booleans(), label="self-enforcing"),
    )


@given(effective_problems(), st.booleans(), st.sampled_from((1, 2, 100)))
def test_frontier_equals_brute_force(
    eff: EffectiveProblem, acceptable_only: bool, max_ties: int
) -> None:
    frontier = eff.frontier(acceptable_only=acceptable_only, max_ties=max_ties)
    oracle = brute_force_effective_frontier(eff, acceptable_only=acceptable_only)
    assert_matches_oracle(frontier, oracle)
    # Listed utilities are the effective utilities of the listed packages.
    if frontier.size:
        np.testing.assert_array_equal(
            np.rint(frontier.utilities * 1e12).astype(np.int64),
            eff.effective_units(frontier.packages),
        )


@given(effective_problems())
def test_zopa_and_solutions_equal_brute_force(eff: EffectiveProblem) -> None:
    zopa = eff.zopa()
    packages = all_packages(eff.problem)
    acceptable = effective_acceptable(eff, packages)
    assert zopa.exists == bool(acceptable.any())
    np.testing.assert_array_equal(eff.acceptable(packages), acceptable)
    if not zopa.exists:
        assert zopa.reason
    for name, solution in eff.solve_all().items():
        oracle = brute_force_effective_solution(eff, name)
        if oracle.value is None:
            assert solution.package is None
            continue
        assert solution.package is not None and solution.value is not None
        tol = TOLERANCE * (abs(oracle.value) if SOLUTION_CONCEPTS[name].relative_tolerance else 1)
        assert abs(solution.value - oracle.value) <= tol
        assert tuple(int(o) for o in solution.package) in oracle.optimal
        assert solution.ties == oracle.ties


@given(small_problems)
def test_without_groups_and_always_holding_it_is_the_nominal_problem(
    problem: BargainingProblem,
) -> None:
    eff = EffectiveProblem(
        problem, (), np.ones(1), np.zeros((1, problem.n_parties)), self_enforcing=False
    )
    for acceptable_only in (False, True):
        ours = eff.frontier(acceptable_only=acceptable_only)
        nominal = problem.frontier(acceptable_only=acceptable_only)
        np.testing.assert_array_equal(ours.point_units, nominal.point_units)
        assert ours.counts == nominal.counts
        np.testing.assert_array_equal(ours.packages, nominal.packages)


@given(effective_problems(), st.booleans())
def test_the_skyline_prefilter_changes_nothing(
    eff: EffectiveProblem, acceptable_only: bool
) -> None:
    """Large candidate sets are pre-filtered; force that path on small problems."""
    from unittest import mock

    import ceasefire.bargaining.effective as module

    with mock.patch.object(module, "_PREFILTER", 3):
        frontier = module._frontier(eff, acceptable_only, 100)
    assert_matches_oracle(
        frontier, brute_force_effective_frontier(eff, acceptable_only=acceptable_only)
    )
