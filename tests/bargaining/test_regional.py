"""The frontier inside a union of regions, against the whole frontier cut to the regions; the
small-input paths of the dominance queries against the k-d tree."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem, skyline
from ceasefire.bargaining.frontier import _issue_points, _IssuePoints, pareto_frontier
from ceasefire.bargaining.problem import dequantize
from ceasefire.bargaining.regional import Region, frontier_within, points_within
from ceasefire.bargaining.skyline import pareto_mask, sum_dominated
from tests.strategies import bargaining_problems


def _random_regions(problem: BargainingProblem, rng: np.random.Generator) -> list[Region]:
    """Boxes and half-spaces between the worst and the best gains of the frontier."""
    whole = pareto_frontier(problem, acceptable_only=True, eps_filter=False)
    d = problem.veto_indices.shape[0]
    gains = dequantize(whole.point_units - problem.reservation_units)
    high = gains.max(axis=0) if gains.size else np.zeros(d)
    regions = []
    for _ in range(int(rng.integers(1, 4))):
        lower = np.where(rng.random(d) < 0.5, -1e-6, rng.uniform(0, 1, d) * high)
        halfspaces = []
        if rng.random() < 0.5:
            a = rng.uniform(0, 1, d)
            halfspaces.append((a, float(rng.uniform(0, 1) * (a @ high))))
        regions.append(Region(lower, tuple(halfspaces)))
    return regions


@settings(max_examples=150)
@given(problem=bargaining_problems(veto_parties=(1, 4)), seed=st.integers(0, 2**32 - 1))
def test_the_frontier_within_regions_is_the_frontier_cut_to_them(
    problem: BargainingProblem, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    regions = _random_regions(problem, rng)
    whole = pareto_frontier(problem, acceptable_only=True, eps_filter=False)
    within = frontier_within(problem, regions)
    reservation = problem.reservation_units
    inside = np.zeros(whole.n_points, dtype=bool)
    for region in regions:
        gains = dequantize(whole.point_units - reservation)
        ok = np.all(gains >= region.lower, axis=1)
        for a, c in region.halfspaces:
            ok &= gains @ a >= c
        inside |= ok
    # Every point returned is a frontier point, in frontier order, and every point inside is there.
    rows = {tuple(p): j for j, p in enumerate(whole.point_units.tolist())}
    found = [rows[tuple(p)] for p in within.point_units.tolist()]
    assert found == sorted(found)
    assert set(np.flatnonzero(inside)) <= set(found)
    # ... with the same counts and the same listed packages.
    for j_within, j_whole in enumerate(found):
        assert within.counts[j_within] == whole.counts[j_whole]
        mine = within.packages[within.point_of_entry == j_within]
        theirs = whole.packages[whole.point_of_entry == j_whole]
        np.testing.assert_array_equal(mine, theirs)


def test_a_region_beyond_every_package_leaves_nothing() -> None:
    problem = BargainingProblem.from_arrays(
        [np.array([[0.0, 2.0], [2.0, 0.0]]), np.array([[1.0, 1.0], [0.0, 3.0]])],
        reservation=np.array([0.0, 0.0]),
    )
    assert frontier_within(problem, [Region(np.array([10.0, 10.0]))]).n_points == 0
    everything = frontier_within(problem, [Region(np.array([-1.0, -1.0]))])
    whole = pareto_frontier(problem, acceptable_only=True, eps_filter=False)
    np.testing.assert_array_equal(everything.point_units, whole.point_units)


@pytest.mark.parametrize("brute", [0, 1 << 30])
@settings(max_examples=40)
@given(
    dim=st.integers(2, 4),
    n_front=st.integers(1, 120),
    n_points=st.integers(2, 6),
    spread=st.sampled_from((3, 10**6)),
    seed=st.integers(0, 2**32 - 1),
)
def test_dominance_is_the_same_by_all_pairs_and_by_the_tree(
    brute: int, dim: int, n_front: int, n_points: int, spread: int, seed: int
) -> None:
    """Small inputs are compared pair by pair, large ones go through the k-d tree: same answer."""
    rng = np.random.default_rng(seed)
    front = np.unique(rng.integers(0, spread, size=(n_front, dim)), axis=0)
    front = front[pareto_mask(front)]
    points = np.unique(rng.integers(0, spread, size=(n_points, dim)), axis=0)
    points = points[pareto_mask(points)]
    active = rng.random((front.shape[0], points.shape[0])) < 0.7
    saved = skyline.BRUTE_FORCE_PAIRS
    try:
        skyline.BRUTE_FORCE_PAIRS = 0
        tree = (sum_dominated(front, points, active), pareto_mask(front))
        skyline.BRUTE_FORCE_PAIRS = brute
        pairs = (sum_dominated(front, points, active), pareto_mask(front))
    finally:
        skyline.BRUTE_FORCE_PAIRS = saved
    np.testing.assert_array_equal(tree[0], pairs[0])
    np.testing.assert_array_equal(tree[1], pairs[1])


def _issue_points_by_unique(issue: int, vectors: np.ndarray, options: np.ndarray) -> _IssuePoints:
    """Slow oracle: the options grouped by ``np.unique`` over whole vectors."""
    distinct, inverse = np.unique(vectors, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    keep = pareto_mask(distinct)
    renumber = np.cumsum(keep) - 1
    chosen = keep[inverse]
    group = renumber[inverse[chosen]]
    by_group = np.argsort(group, kind="stable")
    multiplicity = np.bincount(group, minlength=int(keep.sum()))
    return _IssuePoints(
        issue=issue,
        vectors=distinct[keep],
        option_ptr=np.r_[0, np.cumsum(multiplicity)].astype(np.intp),
        options=options[chosen][by_group].astype(np.intp),
        multiplicity=multiplicity,
    )


@settings(max_examples=100)
@given(
    n_options=st.integers(1, 9),
    dim=st.integers(1, 4),
    spread=st.sampled_from((2, 4, 10**6)),
    seed=st.integers(0, 2**32 - 1),
)
def test_an_issues_points_are_the_cores(n_options: int, dim: int, spread: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    vectors = rng.integers(-spread, spread, size=(n_options, dim))
    options = np.sort(rng.choice(12, size=n_options, replace=False)).astype(np.intp)
    mine = _issue_points(3, vectors, options)
    theirs = _issue_points_by_unique(3, vectors, options)
    assert mine.issue == theirs.issue
    for name in ("vectors", "option_ptr", "options", "multiplicity"):
        np.testing.assert_array_equal(getattr(mine, name), getattr(theirs, name), err_msg=name)


@settings(max_examples=100)
@given(problem=bargaining_problems(veto_parties=(1, 4)))
def test_the_first_listed_packages_are_the_cores(problem: BargainingProblem) -> None:
    """Whether a point has one package (followed directly) or several (listed as the core lists
    them), its first package is the one the whole frontier lists first."""
    whole = pareto_frontier(problem, acceptable_only=True, eps_filter=False)
    within = points_within(problem, [Region(np.full(problem.veto_indices.shape[0], -1e6))])
    if within is None:
        assert whole.n_points == 0
        return
    np.testing.assert_array_equal(within.point_units, whole.point_units)
    first = np.flatnonzero(np.r_[True, whole.point_of_entry[1:] != whole.point_of_entry[:-1]])
    for j in range(whole.n_points):
        np.testing.assert_array_equal(
            within.first_packages(np.array([j]))[0], whole.packages[first[j]]
        )
    np.testing.assert_array_equal(
        within.first_packages(np.arange(whole.n_points)), whole.packages[first]
    )
