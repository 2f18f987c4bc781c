"""Dominance queries (1-d, 2-d sweeps and the k-d tree) against all-pairs comparison."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.bargaining.bruteforce import any_beats
from ceasefire.bargaining.skyline import KdTree, dominated, pareto_mask, sum_dominated


@given(
    dim=st.integers(1, 5),
    n_points=st.integers(1, 300),
    n_queries=st.integers(0, 100),
    spread=st.sampled_from((2, 5, 10**6)),
    slack=st.integers(0, 2),
    leaf=st.sampled_from((1, 2, 16)),
    seed=st.integers(0, 2**32 - 1),
)
def test_dominated_equals_all_pairs(
    dim: int, n_points: int, n_queries: int, spread: int, slack: int, leaf: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    points = rng.integers(0, spread, size=(n_points, dim))
    queries = np.vstack([rng.integers(0, spread, size=(n_queries, dim)), points])
    lower, upper = queries - slack, queries + slack
    expected = any_beats(points, lower, upper)
    np.testing.assert_array_equal(dominated(points, lower, upper), expected)
    if dim >= 2:
        np.testing.assert_array_equal(KdTree(points, leaf_size=leaf).query(lower, upper), expected)


def test_pareto_mask_keeps_duplicates() -> None:
    points = np.array([[1, 1, 1], [1, 1, 1], [0, 2, 0], [0, 1, 0], [2, 0, 0]])
    assert pareto_mask(points).tolist() == [True, True, True, False, True]


def test_empty_inputs() -> None:
    assert dominated(
        np.zeros((0, 3), dtype=np.int64), np.zeros((2, 3)), np.zeros((2, 3))
    ).tolist() == [False, False]
    assert dominated(
        np.zeros((2, 3), dtype=np.int64), np.zeros((0, 3)), np.zeros((0, 3))
    ).shape == (0,)


@given(
    dim=st.integers(2, 4),
    n_front=st.integers(1, 200),
    n_points=st.integers(1, 7),
    spread=st.sampled_from((3, 10**6)),
    seed=st.integers(0, 2**32 - 1),
    with_active=st.booleans(),
)
def test_sum_dominated_equals_all_pairs(
    dim: int, n_front: int, n_points: int, spread: int, seed: int, with_active: bool
) -> None:
    """Dominance among the sums of two antichains, against comparing every pair of sums."""
    rng = np.random.default_rng(seed)

    def antichain(n: int) -> np.ndarray:
        rows = np.unique(rng.integers(0, spread, size=(n, dim)), axis=0)
        return rows[pareto_mask(rows)]

    front, points = antichain(n_front), antichain(n_points)
    sums = (front[:, None, :] + points[None, :, :]).reshape(-1, dim)
    expected = any_beats(sums, sums, sums).reshape(front.shape[0], points.shape[0])
    active = rng.random(expected.shape) < 0.7 if with_active else None
    result = sum_dominated(front, points, active)
    if active is not None:
        expected &= active
    np.testing.assert_array_equal(result, expected)
