"""The slack of a reservation vector: how far the best package is above every veto party's.

For a bargaining problem, the packages that cross no red line have a Pareto frontier that does not
depend on the reservation values. For a reservation vector ``r`` of the veto parties, the best
*slack* over the frontier's points ``u_p``

    slack(r) = max_p min_i (u_pi - r_i)

is ``>= 0`` (to within :data:`~ceasefire.bargaining.TOLERANCE`) exactly when the zone of possible
agreement is non-empty, since a package above ``r`` is dominated by, or is, a frontier point above
``r``. The party whose ``u_pi - r_i`` is smallest at the best point is the *binding* party: the
one whose reservation value stands between the parties and a deal (or, when a deal exists, the one
with the least to spare). Ripeness (:mod:`ceasefire.war.ripeness`) asks this for every sampled
month of war, sensitivity analysis (:mod:`ceasefire.uncertainty.sensitivity`) for every changed
input.

:func:`red_line_free_points` computes the frontier once: the problem's reservation values are set to
:func:`no_reservation`, each veto party's lowest possible utility, which every package meets.

With two veto parties the frontier is a staircase along which ``u_0 - u_1`` increases, and the best
point for ``r`` is found by binary search. With more, the queries are split into small boxes of
similar reservation vectors (a k-d partition); in each box, points that cannot beat the slack the
box's worst corner already guarantees are pruned, and the rest compared exactly.
:func:`best_slack_bruteforce` is the slow oracle for tests.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.problem import BargainingProblem, dequantize

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_CHUNK = 256


def no_reservation(problem: BargainingProblem) -> FloatArray:
    """Reservation values that every package meets: each veto party's lowest possible utility
    (the sum over issues of its lowest contribution, red lines or not); NaN for the others."""
    lowest = sum(
        (table.min(axis=0) for table in problem.quantized), np.zeros(problem.n_parties, np.int64)
    )
    return np.where(np.asarray(problem.veto), dequantize(lowest), np.nan)


def red_line_free(problem: BargainingProblem) -> BargainingProblem:
    """``problem`` with no reservation value: its acceptable packages are those crossing no red line."""
    return problem.with_reservation(no_reservation(problem))


def red_line_free_points(problem: BargainingProblem) -> FloatArray:
    """``(m, d)``: the veto parties' utilities at every Pareto-optimal package that crosses no red
    line, ignoring reservation values."""
    frontier = red_line_free(problem).frontier(acceptable_only=True)
    return np.asarray(frontier.points, dtype=float)


def best_slack_bruteforce(
    points: npt.ArrayLike, reservations: npt.ArrayLike
) -> tuple[FloatArray, IntArray]:
    """The oracle: every point against every reservation vector."""
    u = np.asarray(points, dtype=float)
    r = np.atleast_2d(np.asarray(reservations, dtype=float))
    slack = np.full(r.shape[0], -np.inf)
    binding = np.zeros(r.shape[0], dtype=np.intp)
    for q in range(r.shape[0]):
        for p in range(u.shape[0]):
            gaps = u[p] - r[q]
            worst = int(np.argmin(gaps))
            if gaps[worst] > slack[q]:
                slack[q] = gaps[worst]
                binding[q] = worst
    return slack, binding


def best_slack(points: npt.ArrayLike, reservations: npt.ArrayLike) -> tuple[FloatArray, IntArray]:
    """For each reservation vector ``r`` (rows of ``(q, d)``): ``max_p min_i (u_pi - r_i)`` over the
    points ``(m, d)`` and the index ``i`` of the binding party at the best point."""
    u = np.asarray(points, dtype=float)
    r = np.atleast_2d(np.asarray(reservations, dtype=float))
    if u.ndim != 2 or r.shape[1] != u.shape[1]:
        raise ValueError("points (m, d) and reservations (q, d) need the same d")
    if u.shape[0] == 0:
        return np.full(r.shape[0], -np.inf), np.zeros(r.shape[0], dtype=np.intp)
    if u.shape[1] == 1:
        best = float(u[:, 0].max())
        return best - r[:, 0], np.zeros(r.shape[0], dtype=np.intp)
    if u.shape[1] == 2:
        return _staircase(u, r)
    return _chunked(u, r)


def _staircase(u: FloatArray, r: FloatArray) -> tuple[FloatArray, IntArray]:
    """Two parties: along the Pareto staircase ``u_0 - u_1`` increases; the best point for ``r``
    is next to where it crosses ``r_0 - r_1``."""
    order = np.lexsort((-u[:, 1], -u[:, 0]))  # u0 descending, then u1 descending
    sorted_u = u[order]
    keep = sorted_u[:, 1] > np.maximum.accumulate(np.r_[-np.inf, sorted_u[:-1, 1]])
    stairs = sorted_u[keep][::-1]  # u0 ascending, u1 descending
    diff = stairs[:, 0] - stairs[:, 1]
    at = np.searchsorted(diff, r[:, 0] - r[:, 1])
    candidates = np.stack([np.clip(at - 1, 0, len(stairs) - 1), np.clip(at, 0, len(stairs) - 1)])
    gaps = stairs[candidates] - r[None, :, :]  # (2, q, 2)
    worst = gaps.min(axis=2)
    pick = np.argmax(worst, axis=0)
    columns = np.arange(r.shape[0])
    slack = worst[pick, columns]
    binding = np.argmin(gaps[pick, columns], axis=1).astype(np.intp)
    return slack, binding


def _chunked(u: FloatArray, r: FloatArray) -> tuple[FloatArray, IntArray]:
    """Branch and bound over a k-d partition of the queries.

    A node holds a box of similar reservation vectors and the points still in play. Every query in
    the box gets at least ``max_p min_i (u_pi - max r_i)`` (the box's worst corner); a point whose
    best case ``min_i (u_pi - min r_i)`` is below that can be no query's best point, in this box or
    in any box inside it. Boxes are split at the median of their widest coordinate until they are
    small; then the points left are compared with each query exactly.
    """
    q = r.shape[0]
    slack = np.empty(q)
    binding = np.empty(q, dtype=np.intp)
    columns = np.ascontiguousarray(u.T)  # (d, m): reductions over parties run along rows
    stack: list[tuple[IntArray, IntArray]] = [(np.arange(q), np.arange(u.shape[0]))]
    while stack:
        queries, candidates = stack.pop()
        box = r[queries]
        high = box.max(axis=0)
        low = box.min(axis=0)
        points = columns[:, candidates]
        guaranteed = (points - high[:, None]).min(axis=0).max()
        candidates = candidates[(points - low[:, None]).min(axis=0) >= guaranteed - 1e-12]
        if queries.size > _CHUNK:
            axis = int(np.argmax(high - low))
            order = np.argpartition(box[:, axis], queries.size // 2)
            stack.append((queries[order[: queries.size // 2]], candidates))
            stack.append((queries[order[queries.size // 2 :]], candidates))
            continue
        # min over parties of (u_pi - r_i), one party at a time: (c, m')
        worst = columns[0, candidates][None, :] - box[:, 0:1]
        for i in range(1, u.shape[1]):
            np.minimum(worst, columns[i, candidates][None, :] - box[:, i : i + 1], out=worst)
        best = np.argmax(worst, axis=1)
        slack[queries] = worst[np.arange(queries.size), best]
        binding[queries] = np.argmin(u[candidates[best]] - box, axis=1)
    return slack, binding
