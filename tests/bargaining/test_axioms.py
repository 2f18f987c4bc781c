"""The solution concepts satisfy the axioms that define them, checked without their objective functions.

The brute-force oracle shares the concepts' objective functions, so an error in one (a wrong Nash
product, say) would pass it. These properties follow from the definitions alone [Nash1950,
KalaiSmorodinsky1975]:

- *scale invariance*: rescaling one party's utilities by ``a > 0`` and shifting them by ``b``, its
  reservation value with them, picks the same packages (Nash and Kalai–Smorodinsky);
- *symmetry*: when the package space maps onto itself with the two parties' utilities swapped, the
  packages a concept picks map onto packages it picks (all four concepts);
- *Pareto optimality*: no acceptable package is at least as good for every party that must agree
  and better for one (all four concepts), checked against every package.

Each tie set is compared whole (``n_tied`` large), since which tied package represents the set is a
convention (the largest total gain), not an axiom, and total gains change under rescaling.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining import CONCEPTS, TOLERANCE, BargainingProblem, solve
from tests.strategies import bargaining_problems

EXACT_KINDS = ("integer", "decimal", "zero_sum")  # rescaling by 2, 4 or 1/2 keeps them exact
ALL_TIES = 10**6


def optimal_set(problem: BargainingProblem, concept: str) -> set[tuple[int, ...]] | None:
    """Every package the concept picks (the representative and all its ties); None without a ZOPA."""
    solution = solve(problem, concept, n_tied=ALL_TIES)
    if solution.package is None:
        return None
    chosen = {tuple(int(i) for i in solution.package)}
    chosen |= {tuple(int(i) for i in p) for p in solution.tied_packages}
    if len(chosen) != solution.ties + 1:  # more ties than the frontier lists: not comparable
        return set()
    return chosen


def rescaled(problem: BargainingProblem, party: int, a: float, b: float) -> BargainingProblem:
    """``U_party -> a * U_party + b`` (``b`` added on the first issue) and its reservation value."""
    tables = []
    for k, table in enumerate(problem.contributions):
        new = np.array(table, dtype=float)
        new[:, party] = a * new[:, party] + (b if k == 0 else 0.0)
        tables.append(new)
    reservation = np.array(problem.reservation, dtype=float)
    reservation[party] = a * reservation[party] + b
    return replace(problem, contributions=tuple(tables), reservation=reservation)


@pytest.mark.parametrize("concept", ["nash", "kalai_smorodinsky"])
@settings(max_examples=60, deadline=None)
@given(
    problem=bargaining_problems(max_packages=2000, kinds=EXACT_KINDS),
    scale=st.sampled_from((0.5, 2.0, 4.0)),
    shift=st.integers(-20, 20),
    data=st.data(),
)
def test_invariant_to_rescaling_one_party(
    concept: str, problem: BargainingProblem, scale: float, shift: int, data: st.DataObject
) -> None:
    party = data.draw(st.sampled_from([int(i) for i in problem.veto_indices]), label="party")
    before = optimal_set(problem, concept)
    after = optimal_set(rescaled(problem, party, scale, float(shift)), concept)
    assert (before is None) == (after is None)
    if before and after:
        assert before == after


def symmetric_problem(rng: np.random.Generator, n_issues: int) -> tuple[BargainingProblem, list]:
    """Two veto parties; each issue's options come in mirrored pairs ``(x, y)``, ``(y, x)`` (and
    sometimes one on the diagonal ``(z, z)``); equal reservation values. Returns the problem and,
    per issue, the option each option mirrors to."""
    tables, mirrors = [], []
    for _ in range(n_issues):
        pairs = int(rng.integers(1, 4))
        rows, mirror = [], []
        for j in range(pairs):
            x, y = (int(v) for v in rng.integers(0, 10, size=2))
            rows += [(x, y), (y, x)]
            mirror += [2 * j + 1, 2 * j]
        if rng.random() < 0.5:
            z = int(rng.integers(0, 10))
            rows.append((z, z))
            mirror.append(len(rows) - 1)
        tables.append(np.array(rows, dtype=float))
        mirrors.append(mirror)
    low = sum(t.min() for t in tables)
    high = sum(t.max() for t in tables)
    r = float(low + rng.uniform(0.0, 0.6) * (high - low))
    problem = BargainingProblem.from_arrays(tables, veto=[True, True], reservation=[r, r])
    return problem, mirrors


@pytest.mark.parametrize("concept", list(CONCEPTS))
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_issues=st.integers(1, 4))
def test_symmetric_problems_have_symmetric_solutions(
    concept: str, seed: int, n_issues: int
) -> None:
    problem, mirrors = symmetric_problem(np.random.default_rng(seed), n_issues)
    chosen = optimal_set(problem, concept)
    if not chosen:
        return
    for package in chosen:
        mirrored = tuple(mirrors[k][o] for k, o in enumerate(package))
        u, v = problem.utilities([package])[0], problem.utilities([mirrored])[0]
        assert v == pytest.approx(u[::-1], abs=TOLERANCE)  # the construction is symmetric
        assert mirrored in chosen
    solution = solve(problem, concept, n_tied=ALL_TIES)
    if solution.ties == 0:  # a unique package gives both parties the same utility
        assert solution.utilities is not None
        assert solution.utilities[0] == pytest.approx(solution.utilities[1], abs=TOLERANCE)


def all_packages(problem: BargainingProblem) -> np.ndarray:
    return np.array(
        list(itertools.product(*(range(len(o)) for o in problem.options))), dtype=np.intp
    )


@pytest.mark.parametrize("concept", list(CONCEPTS))
@settings(max_examples=60, deadline=None)
@given(problem=bargaining_problems(max_packages=2000))
def test_every_solution_is_pareto_optimal(concept: str, problem: BargainingProblem) -> None:
    solution = solve(problem, concept, n_tied=ALL_TIES)
    if solution.package is None:
        return
    packages = all_packages(problem)
    veto = problem.veto_indices
    acceptable = problem.acceptable(packages)
    others = problem.utilities(packages[acceptable])[:, veto]
    for package in [solution.package, *solution.tied_packages]:
        assert problem.acceptable([package])[0]
        u = problem.utilities([package])[0, veto]
        at_least = (others >= u - TOLERANCE).all(axis=1)
        better = (others > u + TOLERANCE).any(axis=1)
        assert not (at_least & better).any()
