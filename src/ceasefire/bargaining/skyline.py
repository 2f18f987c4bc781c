"""Dominance queries on integer utility vectors (the "skyline" of a point set).

Every question the bargaining layer asks about dominance has the same shape: for a query row
``(lower, upper)``, is there a point ``q`` of a set with ``q >= lower`` in every coordinate and
``q > upper`` in at least one? With ``lower = upper = p`` this is "is ``p`` Pareto-dominated";
with ``lower = p - eps`` and ``upper = p + eps`` it is "is ``p`` eps-dominated". Points are int64
(utilities quantised once, see :func:`ceasefire.bargaining.problem.quantize`), so the answers are
exact and do not depend on the order of the points.

One and two dimensions are answered by sorting (a running maximum, O(m log m)). Three and more use
a k-d tree over the points whose nodes store the componentwise maximum and minimum of their
points [Bentley1975]. All queries descend together, with numpy: first each along one greedy path
(which settles most queries that some point satisfies), then breadth-first through every node
whose maximum corner could satisfy the query, a node whose minimum corner already does answering
it at once. :func:`sum_dominated` uses the structure of a Minkowski sum of two frontiers to search
one small tree instead of one over every sum. Only small inputs (at most
:data:`BRUTE_FORCE_PAIRS` pairs) are compared pair by pair, which costs less than setting up the
trees; the answers are the same.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


LEAF_SIZE = 16
BRUTE_FORCE_PAIRS = 1 << 18
"""At most this many (sum, sum) pairs are compared directly in :func:`sum_dominated`."""
_SPREAD_SAMPLE = 64
_QUERY_CHUNK = 1 << 14


def pareto_mask(points: IntArray) -> BoolArray:
    """True for the rows of ``points`` that no row dominates (``q >= p``, ``q != p``).

    Equal rows never dominate each other, so duplicates are kept together.
    """
    pts = np.asarray(points, dtype=np.int64)
    if pts.shape[0] ** 2 <= BRUTE_FORCE_PAIRS:
        return ~_dominated_brute(pts, pts)
    return ~dominated(pts, pts, pts)


def _dominated_brute(points: IntArray, queries: IntArray) -> BoolArray:
    """For each query row: does some row of ``points`` dominate it (all pairs compared)?"""
    n, d = queries.shape
    at_least = np.ones((n, points.shape[0]), dtype=bool)
    better = np.zeros((n, points.shape[0]), dtype=bool)
    for j in range(d):
        at_least &= points[None, :, j] >= queries[:, None, j]
        better |= points[None, :, j] > queries[:, None, j]
    return np.asarray((at_least & better).any(axis=1))


def dominated(points: IntArray, lower: IntArray, upper: IntArray) -> BoolArray:
    """For each query row j: does some ``q`` in ``points`` satisfy ``q >= lower[j]`` in every
    coordinate and ``q > upper[j]`` in at least one?"""
    pts = np.asarray(points, dtype=np.int64)
    lo = np.asarray(lower, dtype=np.int64)
    hi = np.asarray(upper, dtype=np.int64)
    n_queries = lo.shape[0]
    if n_queries == 0 or pts.shape[0] == 0:
        return np.zeros(n_queries, dtype=bool)
    d = pts.shape[1]
    if d == 0:
        return np.zeros(n_queries, dtype=bool)
    if d == 1:
        # Integers: q >= lo and q > hi  <=>  q >= max(lo, hi + 1).
        need = np.maximum(lo[:, 0], hi[:, 0] + 1)
        return np.asarray(pts[:, 0].max() >= need)
    if d == 2:
        return _dominated_2d(pts, lo, hi)
    return KdTree(pts).query(lo, hi)


def sum_dominated(front: IntArray, points: IntArray, active: BoolArray | None = None) -> BoolArray:
    """Which sums ``front[i] + points[o]`` are dominated by another sum ``front[j] + points[p]``.

    ``front`` and ``points`` must each be antichains of distinct rows (no row dominates or
    equals another), as frontiers are. Then a sum can only be dominated by a sum with another
    ``p``, and ``front[j] + points[p] >= front[i] + points[o]`` reads ``front[j] >= front[i] +
    points[o] - points[p]``: one k-d tree over ``front`` answers every pair ``(o, p)``, and the
    copy a sum belongs to, which cannot dominate it, is never searched. Equal sums (ties) do not
    dominate each other. ``active`` ``(m, u)``: only these sums are tested (the others are
    reported False) but all sums may dominate. Returns ``(m, u)``.
    """
    m, d = front.shape
    u = points.shape[0]
    result = np.zeros((m, u), dtype=bool)
    if m == 0 or u < 2:
        return result
    tested = np.flatnonzero(active.ravel()) if active is not None else np.arange(m * u)
    if tested.shape[0] == 0:
        return result
    sums = (front[:, None, :] + points[None, :, :]).reshape(m * u, d)
    query = sums[tested]
    # Only sums at least the tested ones' componentwise minimum can dominate one of them.
    rivals = sums[np.all(sums >= query.min(axis=0), axis=1)]
    if tested.shape[0] * rivals.shape[0] <= BRUTE_FORCE_PAIRS:
        # Few sums: every pair at once costs less than the trees' set-up.
        result.ravel()[tested] = _dominated_brute(rivals, query)
        return result
    tree = KdTree(front) if d >= 3 else None
    for o in range(u):
        alive = np.arange(m) if active is None else np.flatnonzero(active[:, o])
        # Try the other points nearest to points[o] first: they dominate most often.
        others = sorted((p for p in range(u) if p != o), key=lambda p: _gap(points[o], points[p]))
        for p in others:
            if alive.shape[0] == 0:
                break
            query = front[alive] + (points[o] - points[p])
            hit = tree.query(query, query) if tree is not None else dominated(front, query, query)
            result[alive[hit], o] = True
            alive = alive[~hit]
    return result


def _gap(a: IntArray, b: IntArray) -> int:
    return int(np.abs(a - b).sum())


def _exists_2d(first: IntArray, second: IntArray, a: IntArray, b: IntArray) -> BoolArray:
    """For each j: is there a point with ``first >= a[j]`` and ``second >= b[j]``?"""
    order = np.argsort(first, kind="stable")
    first_sorted = first[order]
    # best_second[i] = max of `second` over the points with the i-th smallest `first` or larger
    best_second = np.maximum.accumulate(second[order][::-1])[::-1]
    start = np.searchsorted(first_sorted, a, side="left")
    inside = start < first_sorted.shape[0]
    found = np.zeros(a.shape[0], dtype=bool)
    found[inside] = best_second[start[inside]] >= b[inside]
    return found


def _dominated_2d(pts: IntArray, lo: IntArray, hi: IntArray) -> BoolArray:
    # "> upper somewhere" splits into two orthant queries: strictly better on axis 0, or on axis 1.
    x, y = pts[:, 0], pts[:, 1]
    better_x = _exists_2d(x, y, np.maximum(lo[:, 0], hi[:, 0] + 1), lo[:, 1])
    better_y = _exists_2d(y, x, np.maximum(lo[:, 1], hi[:, 1] + 1), lo[:, 0])
    return better_x | better_y


class KdTree:
    """A balanced k-d tree over int64 points with per-node bounding boxes, laid out as arrays.

    The points are padded to ``leaf_size * 2**h`` rows and permuted so that every node is a
    contiguous block; each split is at the median of the coordinate with the widest spread in
    that node. Boxes and leaves are stored coordinate by coordinate: numpy compares 1-d columns
    much faster than it reduces short rows.
    """

    def __init__(self, points: IntArray, leaf_size: int | None = None) -> None:
        target = LEAF_SIZE if leaf_size is None else leaf_size
        pts = np.asarray(points, dtype=np.int64)
        m, d = pts.shape
        # A power of two of leaves, each of about `target` points; padding stays below one row
        # per leaf. Padding rows copy a real point: duplicates cannot change an existence answer.
        n_leaves = 1 << max(0, round(np.log2(max(1.0, m / target))))
        leaf = -(-m // n_leaves)
        size = n_leaves * leaf
        flat = np.empty((d, size), dtype=np.int64)
        flat[:, :m] = pts.T
        flat[:, m:] = pts[0][:, None]
        # Permute an index rather than the rows: one column is gathered per level, not d.
        order = np.arange(size)
        n_blocks = 1
        while n_blocks < n_leaves:
            block = size // n_blocks
            # Split on the widest coordinate, estimated from a sample of each block.
            sample = order.reshape(n_blocks, block)[:, :: max(1, block // _SPREAD_SAMPLE)]
            values = flat[:, sample]
            axis = np.argmax(values.max(axis=2) - values.min(axis=2), axis=0)
            key = flat.ravel()[np.repeat(axis * size, block) + order].reshape(n_blocks, block)
            # A median split needs only a partition, not a sort.
            half = np.argpartition(key, block // 2, axis=1)
            order = np.take_along_axis(order.reshape(n_blocks, block), half, axis=1).ravel()
            n_blocks *= 2
        self.leaf_size = leaf
        self.dim = d
        cols = flat[:, order].reshape(d, n_leaves, leaf)
        self.leaves = [np.ascontiguousarray(c) for c in cols]  # per coordinate (leaves, leaf)
        upper = [cols.max(axis=2)]  # (d, nodes) per level, leaves first
        lower = [cols.min(axis=2)]
        while upper[-1].shape[1] > 1:
            upper.append(upper[-1].reshape(d, -1, 2).max(axis=2))
            lower.append(lower[-1].reshape(d, -1, 2).min(axis=2))
        upper.reverse()
        lower.reverse()
        self.node_max: list[IntArray] = upper  # level 0 is the root
        self.node_min: list[IntArray] = lower

    def query(self, lower: IntArray, upper: IntArray) -> BoolArray:
        """See :func:`dominated`.

        Two passes. A query that some point satisfies tends to be satisfied by many, and a
        breadth-first search would visit all of their nodes: so first every query follows one
        path down, into the child whose maximum corner clears it by the widest margin, which
        settles most of them. The rest get the exhaustive breadth-first search.
        """
        n_queries = lower.shape[0]
        found = np.zeros(n_queries, dtype=bool)
        lo_cols = np.ascontiguousarray(lower.T)
        hi_cols = np.ascontiguousarray(upper.T)
        for start in range(0, n_queries, _QUERY_CHUNK):
            stop = min(start + _QUERY_CHUNK, n_queries)
            self._descend_greedily(lo_cols, hi_cols, np.arange(start, stop), found)
        rest = np.flatnonzero(~found)
        for start in range(0, rest.shape[0], _QUERY_CHUNK):
            self._query_chunk(lo_cols, hi_cols, rest[start : start + _QUERY_CHUNK], found)
        return found

    def _descend_greedily(
        self, lo_cols: IntArray, hi_cols: IntArray, query: npt.NDArray[np.intp], found: BoolArray
    ) -> None:
        """One root-to-leaf path per query; sets ``found`` only where a point satisfies it."""
        d = self.dim
        node = np.zeros(query.shape[0], dtype=np.intp)
        for level in range(1, len(self.node_max)):
            top = self.node_max[level]
            bottom = self.node_min[level]
            lo = [lo_cols[j][query] for j in range(d)]
            margins = []
            for child in (node * 2, node * 2 + 1):
                margin = top[0][child] - lo[0]
                whole = bottom[0][child] >= lo[0]
                strict = bottom[0][child] > hi_cols[0][query]
                for j in range(1, d):
                    margin = np.minimum(margin, top[j][child] - lo[j])
                    whole &= bottom[j][child] >= lo[j]
                    strict |= bottom[j][child] > hi_cols[j][query]
                found[query[whole & strict]] = True
                margins.append(margin)
            right = margins[1] > margins[0]
            alive = (np.maximum(margins[0], margins[1]) >= 0) & ~found[query]
            node = (node * 2 + right)[alive]
            query = query[alive]
            if query.shape[0] == 0:
                return
        self._check_leaves(lo_cols, hi_cols, query, node, found)

    def _query_chunk(
        self, lo_cols: IntArray, hi_cols: IntArray, query: npt.NDArray[np.intp], found: BoolArray
    ) -> None:
        d = self.dim
        node = np.zeros(query.shape[0], dtype=np.intp)
        levels = len(self.node_max)
        min_level = max(1, levels // 2)
        for level in range(levels):
            top = self.node_max[level]
            lo = [lo_cols[j][query] for j in range(d)]
            # Necessary for any point below: the box's maximum corner reaches `lower`.
            enter = top[0][node] >= lo[0]
            for j in range(1, d):
                enter &= top[j][node] >= lo[j]
            if level >= min_level:
                # Sufficient: the box's minimum corner satisfies the query, so every point does.
                bottom = self.node_min[level]
                whole = enter.copy()
                strict = np.zeros(query.shape[0], dtype=bool)
                for j in range(d):
                    col = bottom[j][node]
                    whole &= col >= lo[j]
                    strict |= col > hi_cols[j][query]
                whole &= strict
                found[query[whole]] = True
                enter &= ~found[query]
            query = query[enter]
            node = node[enter]
            if query.shape[0] == 0:
                return
            if level + 1 < levels:
                query = np.repeat(query, 2)
                node = np.repeat(node * 2, 2)
                node[1::2] += 1
        self._check_leaves(lo_cols, hi_cols, query, node, found)

    def _check_leaves(
        self,
        lo_cols: IntArray,
        hi_cols: IntArray,
        query: npt.NDArray[np.intp],
        node: npt.NDArray[np.intp],
        found: BoolArray,
    ) -> None:
        """Compare each query with every point of its leaf, in slices to bound memory."""
        d = self.dim
        step = max(1, (1 << 20) // self.leaf_size)
        for a in range(0, query.shape[0], step):
            q = query[a : a + step]
            leaf = node[a : a + step]
            ok = self.leaves[0][leaf] >= lo_cols[0][q][:, None]
            strict = self.leaves[0][leaf] > hi_cols[0][q][:, None]
            for j in range(1, d):
                pts = self.leaves[j][leaf]
                ok &= pts >= lo_cols[j][q][:, None]
                strict |= pts > hi_cols[j][q][:, None]
            hit = np.any(ok & strict, axis=1)
            found[q[hit]] = True
