"""The frontier on hand-worked examples: ties, more_ties, eps-dominance, exact arithmetic, scale."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem, Frontier
from tests.strategies import bargaining_problems


def listed(frontier: Frontier, problem: BargainingProblem) -> list[dict[str, object]]:
    return [problem.package_dict(p) for p in frontier.packages]


def test_two_issue_frontier_by_hand() -> None:
    # Issue 0: (0,10) (5,5) (10,0) and (3,3), which (5,5) dominates. Issue 1: (1,0) or (0,1).
    # Sums: 6 Pareto-optimal packages in a staircase; (3,3)+anything is dominated.
    problem = BargainingProblem.from_arrays([[[0, 10], [5, 5], [10, 0], [3, 3]], [[1, 0], [0, 1]]])
    frontier = problem.frontier()
    np.testing.assert_array_equal(
        frontier.points, [[11, 0], [10, 1], [6, 5], [5, 6], [1, 10], [0, 11]]
    )
    assert frontier.counts == (1,) * 6
    assert [p["i0"] for p in listed(frontier, problem)] == ["o2", "o2", "o1", "o1", "o0", "o0"]
    assert frontier.more_ties == (0,) * 6
    assert frontier.package_total == 6 and len(frontier) == 6


def test_ties_are_listed_up_to_max_ties_and_counted() -> None:
    # Three issues of four options that nobody cares about: all 64 packages tie at (0, 0).
    problem = BargainingProblem.from_arrays([np.zeros((4, 2))] * 3)
    frontier = problem.frontier(max_ties=10)
    assert frontier.n_points == 1 and frontier.counts == (64,)
    assert frontier.size == 10
    assert frontier.more_ties == (0,) * 9 + (54,)
    packages = [tuple(p) for p in frontier.packages.tolist()]
    assert packages == sorted(set(packages))  # distinct, in lexicographic order
    data = frontier.to_dict(problem)
    assert [e.get("more_ties", 0) for e in data["frontier"]] == [0] * 9 + [54]
    assert "more_ties" not in data["frontier"][0]
    full = problem.frontier(max_ties=100)
    assert full.size == 64 and set(full.more_ties) == {0}


def test_astronomical_tie_counts_are_exact() -> None:
    # 3**45 packages (> 2**63) with the same utilities.
    problem = BargainingProblem.from_arrays([np.ones((3, 2))] * 45)
    assert problem.package_count() == 3**45
    frontier = problem.frontier()
    assert frontier.counts == (3**45,)
    assert frontier.more_ties[-1] == 3**45 - 100
    assert isinstance(frontier.more_ties[-1], int)
    np.testing.assert_allclose(frontier.points, [[45, 45]])
    assert json.loads(json.dumps(frontier.to_dict(problem)))["packages"] == 3**45


def test_ties_mixed_with_distinct_points() -> None:
    # Issue 0 has two options worth (1, 1) and one worth (2, 0); issue 1 has (0, 2) and (1, 1).
    # Sums: (1,3) x2, (2,2) x2 and (2,2) from (2,0)+(0,2) -> 3 packages, (3,1) x1.
    problem = BargainingProblem.from_arrays([[[1, 1], [2, 0], [1, 1]], [[0, 2], [1, 1]]])
    frontier = problem.frontier()
    np.testing.assert_array_equal(frontier.points, [[3, 1], [2, 2], [1, 3]])
    assert frontier.counts == (1, 3, 2)
    groups = [listed(frontier, problem)[i] for i in np.flatnonzero(frontier.point_of_entry == 1)]
    assert groups == [{"i0": "o0", "i1": "o1"}, {"i0": "o1", "i1": "o0"}, {"i0": "o2", "i1": "o1"}]
    cut = problem.frontier(max_ties=2)
    assert cut.more_ties == (0, 0, 1, 0, 0)


def test_float_sums_that_differ_in_rounding_still_tie() -> None:
    # (0.1, 0.7) + (0.2, 0.1) and (0.3, 0.5) + (0.0, 0.3) are both (0.3, 0.8), but not in floating
    # point; quantised once, the two packages tie exactly.
    assert 0.1 + 0.2 != 0.3 + 0.0 and 0.7 + 0.1 != 0.5 + 0.3
    problem = BargainingProblem.from_arrays([[[0.1, 0.7], [0.3, 0.5]], [[0.2, 0.1], [0.0, 0.3]]])
    frontier = problem.frontier()
    np.testing.assert_allclose(frontier.points, [[0.5, 0.6], [0.3, 0.8], [0.1, 1.0]], atol=1e-15)
    assert frontier.counts == (1, 2, 1)


def test_points_within_tolerance_are_not_reported() -> None:
    # (10, 6 - 5e-10) and (10 - 5e-10, 6) are both Pareto-optimal and neither eps-dominates the
    # other (each is ahead by only 5e-10). (10 + 5e-10, 5) is exactly Pareto-optimal too (best for
    # party 0), but only by 5e-10, while the others give party 1 about one point more: it is
    # eps-dominated and not reported.
    problem = BargainingProblem.from_arrays([[[10, 6 - 5e-10], [10 - 5e-10, 6], [10 + 5e-10, 5]]])
    frontier = problem.frontier()
    kept = sorted(problem.package_dict(p)["i0"] for p in frontier.packages)
    assert kept == ["o0", "o1"]


def test_one_veto_party_and_reported_observers() -> None:
    # Only party 1 has a veto: its best options win; the observer (party 0) is reported.
    problem = BargainingProblem.from_arrays(
        [[[90, 1], [10, 3], [50, 3]]], veto=[False, True], reservation=[np.nan, 0]
    )
    frontier = problem.frontier()
    assert frontier.counts == (2,)
    np.testing.assert_array_equal(frontier.utilities, [[10, 3], [50, 3]])
    assert frontier.to_dict(problem)["veto_parties"] == ["p1"]


def test_acceptable_frontier_applies_red_lines_and_reservations() -> None:
    problem = BargainingProblem.from_arrays(
        [[[0, 10], [5, 5], [10, 0], [3, 3]], [[1, 0], [0, 1]]],
        forbidden=[[False, False, True, False], [False, False]],
        reservation=[1, 5],
    )
    frontier = problem.frontier(acceptable_only=True)
    np.testing.assert_array_equal(frontier.points, [[6, 5], [5, 6], [1, 10]])
    assert problem.acceptable(frontier.packages).all()
    # A reservation value met exactly is acceptable, and one missed by 2e-9 is not.
    edge = problem.with_reservation([1 - 5e-10, 10 + 5e-10])
    np.testing.assert_array_equal(edge.frontier(acceptable_only=True).points, [[1, 10]])
    assert edge.frontier(acceptable_only=True).counts == (1,)
    missed = problem.with_reservation([1 + 2e-9, 10])
    assert missed.frontier(acceptable_only=True).n_points == 0


def test_empty_when_an_issue_is_entirely_forbidden() -> None:
    problem = BargainingProblem.from_arrays(
        [[[0, 10], [5, 5]], [[1, 0], [0, 1]]], forbidden=[[True, True], [False, False]]
    )
    frontier = problem.frontier(acceptable_only=True)
    assert frontier.n_points == 0 and frontier.size == 0 and frontier.package_total == 0
    assert frontier.to_dict(problem)["frontier"] == []
    assert problem.frontier().n_points == 4


def test_to_dict_cuts_at_max_entries() -> None:
    problem = BargainingProblem.from_arrays(
        [[[0, 3], [1, 2], [2, 1], [3, 0]]] * 2,
        options=[[0.0, 12.5, 25, 50], ["a", "b", "c", "d"]],
    )
    frontier = problem.frontier()
    data = frontier.to_dict(problem, max_entries=5)
    assert data["frontier_size"] == frontier.size == 16
    assert data["frontier_truncated"] is True
    assert len(data["frontier"]) == 5
    entry = data["frontier"][0]
    assert set(entry) == {"package", "utilities"}
    assert entry["package"]["i0"] in (0.0, 12.5, 25, 50)  # numbers stay numbers
    assert isinstance(entry["utilities"]["p0"], float)
    assert frontier.to_dict(problem)["frontier_truncated"] is False
    json.dumps(data)


def test_order_is_first_veto_party_descending() -> None:
    rng = np.random.default_rng(7)
    problem = BargainingProblem.from_arrays([rng.uniform(0, 10, (4, 3)) for _ in range(5)])
    points = problem.frontier().points
    assert points.shape[0] > 3
    keys = [tuple(-points[i]) for i in range(points.shape[0])]
    assert keys == sorted(keys)


def permuted(
    problem: BargainingProblem, rng: np.random.Generator
) -> tuple[BargainingProblem, list[int], list[np.ndarray]]:
    """The same problem with issues and options shuffled."""
    issue_order = [int(k) for k in rng.permutation(problem.n_issues)]
    option_orders = [rng.permutation(len(problem.options[k])) for k in issue_order]
    shuffled = BargainingProblem.from_arrays(
        [problem.contributions[k][o] for k, o in zip(issue_order, option_orders, strict=True)],
        veto=problem.veto,
        reservation=problem.reservation,
        forbidden=[
            problem.forbidden[k][o] for k, o in zip(issue_order, option_orders, strict=True)
        ],
    )
    return shuffled, issue_order, option_orders


@settings(max_examples=20)
@given(
    problem=bargaining_problems(
        veto_parties=(2, 4), max_issues=12, max_options=6, max_packages=10**7
    ),
    seed=st.integers(0, 2**32 - 1),
    acceptable_only=st.booleans(),
)
def test_frontier_does_not_depend_on_issue_or_option_order(
    problem: BargainingProblem, seed: int, acceptable_only: bool
) -> None:
    """On spaces far too large for the oracle: shuffling issues and options changes nothing."""
    shuffled, issue_order, option_orders = permuted(problem, np.random.default_rng(seed))
    a = problem.frontier(acceptable_only=acceptable_only, max_ties=3)
    b = shuffled.frontier(acceptable_only=acceptable_only, max_ties=3)
    np.testing.assert_array_equal(a.point_units, b.point_units)
    assert a.counts == b.counts
    # Map b's packages back to the original issue and option numbering.
    back = np.zeros_like(b.packages)
    for position, (k, order) in enumerate(zip(issue_order, option_orders, strict=True)):
        back[:, k] = order[b.packages[:, position]]
    np.testing.assert_array_equal(
        problem.utility_units(back)[:, problem.veto_indices], a.point_units[b.point_of_entry]
    )


def test_twenty_issues_of_six_options_two_parties() -> None:
    """3.7e15 packages: exact frontier by merging, checked against a running-maximum recount."""
    rng = np.random.default_rng(2024)
    weights = rng.dirichlet(np.ones(20), size=2).T
    tables = [weights[k][None, :] * rng.uniform(0, 100, (6, 2)) for k in range(20)]
    problem = BargainingProblem.from_arrays(tables)
    assert problem.package_count() == 6**20
    frontier = problem.frontier()
    points = frontier.point_units
    assert frontier.n_points > 20
    # Along a 2-d frontier sorted by the first utility descending, the second strictly increases.
    assert (np.diff(points[:, 0]) < 0).all() and (np.diff(points[:, 1]) > 0).all()
    # Its extremes are the lexicographic optima, computable issue by issue.
    q = problem.quantized
    best0 = sum(int(t[:, 0].max()) for t in q)
    best1 = sum(int(t[:, 1].max()) for t in q)
    assert points[0, 0] == best0 and points[-1, 1] == best1
    second_given_best0 = sum(int(t[t[:, 0] == t[:, 0].max(), 1].max()) for t in q)
    assert points[0, 1] == second_given_best0
    assert math.prod(len(o) for o in problem.options) == problem.package_count()


def test_invalid_max_ties() -> None:
    problem = BargainingProblem.from_arrays([[[1, 0], [0, 1]]])
    with pytest.raises(ValueError, match="max_ties"):
        problem.frontier(max_ties=0)
