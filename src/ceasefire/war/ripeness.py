"""Ripeness: in which month, and with what probability, a deal beats fighting on for everyone.

A conflict is *ripe* when the parties see a mutually hurting stalemate and a way out [Zartman2000].
ceasefire states the second part as a computation: at month ``t``, in Monte Carlo sample ``s``, the
zone of possible agreement is non-empty when some package that crosses no red line gives every
party with a veto at least its value of no deal ``V_i(t)`` in that sample. The probability of a
non-empty ZOPA, month by month, is the share of samples where it is; the conflict is called ripe
from the first month where that share reaches one half.

Computation. Packages' utilities do not depend on the war, only the reservation values do. So the
Pareto frontier of red-line-free packages is computed once (reservations at minus infinity), and each
sampled reservation vector ``r`` is tested against its points: the best *slack*

    slack(r) = max_p min_i (u_pi - r_i)

is ``>= 0`` (to within 1e-9, as in :mod:`ceasefire.bargaining`) exactly when the ZOPA is non-empty,
since a package above ``r`` is dominated by, or is, a frontier point above ``r``. The party whose
``u_pi - r_i`` is smallest at the best point is the *binding* party: the one whose reservation value
stands between the parties and a deal (or, when a deal exists, the one with the least to spare).

With two veto parties the frontier is a staircase along which ``u_0 - u_1`` increases, and the best
point for ``r`` is found by binary search. With more, the queries are split into small boxes of
similar reservation vectors (a k-d partition); in each box, points that cannot beat the slack the
box's worst corner already guarantees are pruned, and the rest compared exactly. :func:`best_slack_bruteforce` is the slow oracle for tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

TOLERANCE = 1e-9
"""A reservation value met to within this many points counts as met (as in the bargaining core)."""

RIPE = 0.5
"""The probability of a non-empty ZOPA from which a month counts as ripe."""

_CHUNK = 256
_NO_RESERVATION = -1e5  # "minus infinity" that the bargaining core accepts as a finite number


class _Frontier(Protocol):
    @property
    def points(self) -> FloatArray: ...


class _Problem(Protocol):
    def with_reservation(self, reservation: npt.ArrayLike) -> _Problem: ...

    def frontier(self, *, acceptable_only: bool = ...) -> _Frontier: ...

    @property
    def n_parties(self) -> int: ...


def red_line_free_points(problem: _Problem) -> FloatArray:
    """``(m, d)``: the veto parties' utilities at every Pareto-optimal package that crosses no red
    line, ignoring reservation values (a :class:`~ceasefire.bargaining.BargainingProblem`)."""
    free = problem.with_reservation(np.full(problem.n_parties, _NO_RESERVATION))
    return np.asarray(free.frontier(acceptable_only=True).points, dtype=float)


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


@dataclass(frozen=True)
class Ripeness:
    """Month by month: the probability of a non-empty ZOPA and which veto party binds."""

    parties: tuple[str, ...]
    p_zopa: FloatArray  # (months,)
    binding_share: FloatArray  # (months, d): share of samples in which each party binds
    slack_quantiles: FloatArray  # (months, 3): p5, p50, p95 of the best slack
    threshold: float = RIPE

    @property
    def months(self) -> int:
        return int(self.p_zopa.shape[0])

    @property
    def first_ripe_month(self) -> int | None:
        hits = np.flatnonzero(self.p_zopa >= self.threshold)
        return int(hits[0]) if hits.size else None

    @property
    def binding_party(self) -> str | None:
        """The party that binds most often over all months and samples."""
        if not self.parties:
            return None
        return self.parties[int(np.argmax(self.binding_share.sum(axis=0)))]

    def to_dict(self) -> dict[str, Any]:
        return {
            "month_index": list(range(self.months)),
            "p_zopa": [float(x) for x in self.p_zopa],
            "first_ripe_month": self.first_ripe_month,
            "threshold": self.threshold,
            "binding_party": self.binding_party,
            "binding_share": {
                party: [float(x) for x in self.binding_share[:, i]]
                for i, party in enumerate(self.parties)
            },
            "slack": {
                key: [float(x) for x in self.slack_quantiles[:, k]]
                for k, key in enumerate(("p5", "p50", "p95"))
            },
        }


def ripeness(
    points: npt.ArrayLike,
    reservations: npt.ArrayLike,
    parties: Sequence[str],
    *,
    threshold: float = RIPE,
) -> Ripeness:
    """Ripeness from red-line-free frontier points ``(m, d)`` and sampled reservation values
    ``(months, d, n)`` of the ``d`` veto parties (same order as the points' columns)."""
    u = np.asarray(points, dtype=float)
    res = np.asarray(reservations, dtype=float)
    months, d, n = res.shape
    if len(parties) != d or u.shape[1] != d:
        raise ValueError("points, reservations and parties must agree on the veto parties")
    queries = res.transpose(0, 2, 1).reshape(months * n, d)
    # Points below every sample's reservation value of some party can never be the best point of
    # a non-empty ZOPA, but they can be the best compromise when it is empty: keep all of them.
    slack, binding = best_slack(u, queries)
    slack = slack.reshape(months, n)
    binding = binding.reshape(months, n)
    p_zopa = (slack >= -TOLERANCE).mean(axis=1)
    share = np.stack([(binding == i).mean(axis=1) for i in range(d)], axis=1)
    # With no red-line-free package every slack is -inf: its quantiles are NaN (reported as null).
    with np.errstate(invalid="ignore"):
        quantiles = np.quantile(slack, (0.05, 0.5, 0.95), axis=1).T
    return Ripeness(
        parties=tuple(parties),
        p_zopa=p_zopa,
        binding_share=share,
        slack_quantiles=quantiles,
        threshold=threshold,
    )
