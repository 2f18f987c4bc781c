"""The fast frontier, ZOPA and solutions against brute-force enumeration of every package."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining import SOLUTION_CONCEPTS, BargainingProblem, Frontier
from ceasefire.bargaining.bruteforce import (
    all_packages,
    any_beats,
    brute_force_frontier,
    brute_force_solution,
    package_units,
)
from ceasefire.bargaining.problem import TOLERANCE, TOLERANCE_UNITS, dequantize
from ceasefire.bargaining.solutions import gains_units, solve
from tests.strategies import bargaining_problems

# Large problems: a third of the profile's examples (tests/conftest.py).
LARGE = settings(max_examples=max(1, settings().max_examples // 3))

small_problems = bargaining_problems(max_packages=3_000)
max_ties = st.sampled_from((1, 2, 3, 100))


def assert_matches_oracle(frontier: Frontier, oracle: dict[tuple[int, ...], list[tuple[int, ...]]]):
    """Same utility vectors; per vector the same count, and listed packages drawn from the oracle's."""
    points = [tuple(int(x) for x in row) for row in frontier.point_units]
    assert len(points) == len(set(points))
    assert set(points) == set(oracle)
    for j, point in enumerate(points):
        expected = set(oracle[point])
        assert frontier.counts[j] == len(expected)
        rows = np.flatnonzero(frontier.point_of_entry == j)
        listed = [tuple(int(o) for o in frontier.packages[r]) for r in rows]
        assert len(listed) == len(set(listed)) == min(len(expected), frontier.max_ties)
        assert set(listed) <= expected
        more = [frontier.more_ties[r] for r in rows]
        assert more[:-1] == [0] * (len(more) - 1)
        assert more[-1] == max(0, len(expected) - frontier.max_ties)
    # Listed utilities are those of the listed packages, for every party.
    if frontier.size:
        units = package_units_of(frontier)
        veto_units = units[:, frontier.veto_indices]
        np.testing.assert_array_equal(veto_units, frontier.point_units[frontier.point_of_entry])


def package_units_of(frontier: Frontier) -> np.ndarray:
    return np.rint(frontier.utilities * 1e12).astype(np.int64)


@given(problem=small_problems, ties=max_ties)
def test_frontier_equals_brute_force(problem: BargainingProblem, ties: int) -> None:
    frontier = problem.frontier(max_ties=ties)
    assert not frontier.acceptable_only
    assert_matches_oracle(frontier, brute_force_frontier(problem))


@given(problem=small_problems, ties=max_ties)
def test_acceptable_frontier_equals_brute_force(problem: BargainingProblem, ties: int) -> None:
    frontier = problem.frontier(acceptable_only=True, max_ties=ties)
    assert frontier.acceptable_only
    assert_matches_oracle(frontier, brute_force_frontier(problem, acceptable_only=True))
    if frontier.size:
        assert problem.acceptable(frontier.packages).all()


@given(problem=small_problems)
def test_zopa_equals_brute_force(problem: BargainingProblem) -> None:
    zopa = problem.zopa()
    oracle = brute_force_frontier(problem, acceptable_only=True)
    assert zopa.exists == bool(oracle)
    assert (zopa.reason is None) == zopa.exists
    assert_matches_oracle(zopa.frontier, oracle)


@given(
    problem=small_problems,
    concept=st.sampled_from(sorted(SOLUTION_CONCEPTS)),
)
def test_solution_equals_brute_force(problem: BargainingProblem, concept: str) -> None:
    solution = solve(problem, concept)
    oracle = brute_force_solution(problem, concept)
    if oracle.value is None:
        assert solution.package is None and solution.value is None
        assert solution.reason
        return
    assert solution.package is not None and solution.value is not None
    relative = SOLUTION_CONCEPTS[concept].relative_tolerance
    tol = TOLERANCE * (abs(oracle.value) if relative else 1.0)
    assert abs(solution.value - oracle.value) <= tol
    assert solution.ties == oracle.ties
    assert tuple(int(o) for o in solution.package) in oracle.optimal
    listed = {tuple(int(o) for o in p) for p in solution.tied_packages}
    assert listed <= oracle.optimal - {tuple(int(o) for o in solution.package)}
    assert len(listed) == min(oracle.ties, 10)
    np.testing.assert_allclose(solution.utilities, problem.utilities(solution.package)[0])
    # The reported frontier loses nothing beyond the tolerance: every acceptable package, its gains
    # lowered by 1e-8 (a few tolerances, for chains of eps-dominance), scores no better.
    assert oracle.best_anywhere is not None
    if oracle.best_anywhere > oracle.value:
        packages = all_packages(problem)
        units = package_units(problem, packages)[problem.acceptable(packages)]
        gains = (units[:, problem.veto_indices] - problem.reservation_units) / 1e12
        ideal = dequantize(gains_units(problem, problem.frontier(acceptable_only=True).best_units))
        relaxed = SOLUTION_CONCEPTS[concept].function(np.maximum(gains - 1e-8, 0), ideal)
        assert relaxed.max() <= solution.value + tol


@LARGE
@given(problem=bargaining_problems(max_packages=10**5, kinds=("integer", "zero_sum")))
def test_frontier_on_larger_spaces_equals_brute_force(problem: BargainingProblem) -> None:
    """Up to 1e5 packages, with integer utilities (few distinct vectors, many ties)."""
    assert_matches_oracle(problem.frontier(max_ties=5), brute_force_frontier(problem))


@LARGE
@given(problem=bargaining_problems(max_packages=10**5, kinds=("float", "decimal")))
def test_no_package_eps_dominates_a_frontier_point(problem: BargainingProblem) -> None:
    """Directly from the definition, on spaces too large for the full oracle: no package dominates
    a reported point within 1e-9, and every package is matched or dominated by one."""
    frontier = problem.frontier(max_ties=1)
    units = package_units(problem, all_packages(problem))[:, frontier.veto_indices]
    points = frontier.point_units
    assert not any_beats(units, points - TOLERANCE_UNITS, points + TOLERANCE_UNITS).any()
    # Every package v has a reported q >= v - 1e-9 (the strict part of the query is then implied).
    covered = any_beats(points, units - TOLERANCE_UNITS, units - TOLERANCE_UNITS - 1)
    assert covered.all()
