"""Offers against brute force: the own-utility search and the frontier offers, on small problems
where every package can be enumerated."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem, quantize
from ceasefire.bargaining.bruteforce import all_packages, package_units
from ceasefire.negotiation.offers import OfferSpace, OwnUtilityIndex
from tests.strategies import bargaining_problems

TOL = 1000  # 1e-9 points in quantised units


def allowed_packages(problem: BargainingProblem) -> tuple[np.ndarray, np.ndarray]:
    packages = all_packages(problem)
    ok = np.ones(packages.shape[0], dtype=bool)
    for k, banned in enumerate(problem.forbidden):
        ok &= ~banned[packages[:, k]]
    packages = packages[ok]
    return packages, package_units(problem, packages)


def own_index(problem: BargainingProblem, party: int, max_states: int) -> OwnUtilityIndex:
    tables = [q[:, party] for q in problem.quantized]
    return OwnUtilityIndex(tables, [~f for f in problem.forbidden], max_states=max_states)


def targets(rng: np.random.Generator, values: np.ndarray, count: int = 8) -> list[int]:
    """Targets below, inside and above the range, and exactly on achievable values."""
    low, high = int(values.min()), int(values.max())
    picks = [low - 5, high + 5, low, high]
    picks += [int(v) for v in rng.choice(values, size=min(count, values.shape[0]))]
    picks += [int(x) for x in rng.integers(low, high + 1, size=count)]
    return picks


@given(bargaining_problems(max_packages=4000, red_lines=True), st.integers(0, 2**32 - 1))
def test_exact_own_utility_search_matches_brute_force(
    problem: BargainingProblem, seed: int
) -> None:
    packages, units = allowed_packages(problem)
    if packages.shape[0] == 0:
        return
    rng = np.random.default_rng(seed)
    for party in range(problem.n_parties):
        index = own_index(problem, party, max_states=10**7)  # never coarsens
        assert index.width == 1
        values = units[:, party]
        for target in targets(rng, values):
            package, value = index.at_least(target)
            assert not any(f[o] for f, o in zip(problem.forbidden, package, strict=True))
            assert value == problem.utility_units(package)[0, party]
            reach = values[values >= target]
            assert value == (reach.min() if reach.size else values.max())


@given(
    bargaining_problems(max_packages=4000, red_lines=True),
    st.integers(2, 40),
    st.integers(0, 2**32 - 1),
)
def test_coarse_own_utility_search_is_within_its_resolution(
    problem: BargainingProblem, max_states: int, seed: int
) -> None:
    packages, units = allowed_packages(problem)
    if packages.shape[0] == 0:
        return
    rng = np.random.default_rng(seed)
    for party in range(problem.n_parties):
        index = own_index(problem, party, max_states=max_states)
        slack = index.width * problem.n_issues
        values = units[:, party]
        for target in targets(rng, values):
            package, value = index.at_least(target)
            assert value == problem.utility_units(package)[0, party]
            if value < target:
                # Nothing kept reaches the target: nothing reaches it by more than the slack.
                assert values.max() < target + slack
            else:
                # No worse than the first true value a full slack above the target.
                above = values[values >= target + slack]
                if above.size:
                    assert value <= above.min()


@given(bargaining_problems(max_packages=3000, red_lines=True), st.integers(0, 2**32 - 1))
def test_frontier_offers_are_pareto_optimal_and_reach_the_target(
    problem: BargainingProblem, seed: int
) -> None:
    packages, units = allowed_packages(problem)
    if packages.shape[0] == 0:
        return
    space = OfferSpace(problem)
    veto = problem.veto_indices
    rng = np.random.default_rng(seed)
    for party in range(problem.n_parties):
        values = units[:, party]
        assert quantize(space.ideal[party]) == pytest.approx(values.max(), abs=TOL)
        for target in targets(rng, values, count=4):
            goal = target / 1e12
            package = space.offer(party, goal, cooperative=True)
            mine = problem.utility_units(package)[0]
            assert not any(f[o] for f, o in zip(problem.forbidden, package, strict=True))
            # Pareto-optimal (exactly) among the red-line-free packages.
            better = (units[:, veto] >= mine[veto]).all(axis=1) & (units[:, veto] > mine[veto]).any(
                axis=1
            )
            assert not better.any()
            if party in veto and (values >= target).any():
                # Every package that reaches the target is dominated by a frontier package that
                # reaches it too, so the offer reaches it (within the 1e-9 tolerance).
                assert mine[party] >= target - TOL
            # Non-cooperative offers reach the target whenever some package does.
            other = space.offer(party, goal, cooperative=False)
            if (values >= target + TOL).any():
                assert problem.utility_units(other)[0, party] >= target - 2 * TOL


@given(
    bargaining_problems(
        max_packages=3000, red_lines=True, veto_parties=(2, 2), extra_parties=(0, 0)
    )
)
def test_two_party_frontier_offer_is_best_for_the_other(problem: BargainingProblem) -> None:
    # With two parties the cooperative offer at a target is, among red-line-free packages giving
    # the proposer at least the target, one that is best for the other party.
    packages, units = allowed_packages(problem)
    if packages.shape[0] == 0:
        return
    space = OfferSpace(problem)
    for party, other in ((0, 1), (1, 0)):
        for target in np.unique(units[:, party])[:: max(1, len(units) // 10)]:
            package = space.offer(party, target / 1e12, cooperative=True)
            got = problem.utility_units(package)[0]
            assert got[party] >= target - TOL
            best_other = units[units[:, party] >= target - TOL, other].max()
            assert got[other] == best_other
