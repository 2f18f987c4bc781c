"""Scale-free margins and the binding party: measures that do not change when a party's utility
scale does.

A party's utilities are an interval scale [Keeney1976]: ``a * U_i + b`` with ``a > 0`` describes the
same preferences. A margin in points, ``U_i(x) - r_i``, changes with ``a``; so does the party that
has the least of it. The *scale-free margin* measures the margin as a share of the party's own
range, from its value of no deal ``r_i`` to its ideal ``I_i`` (its best package, every option at
its best):

    m_i(x) = (U_i(x) - r_i) / (I_i - r_i),

1 at the party's ideal, 0 at its value of no deal, negative below it; it is the normalisation of
the Kalai–Smorodinsky solution [KalaiSmorodinsky1975] with the ideal taken over the whole package
space. The *binding party* is the veto party whose scale-free margin is smallest at the package that
maximises the smallest scale-free margin (the max–min package of scale-free margins): the party
that any agreement must satisfy first. Both are unchanged by ``a * U_i + b``.

Computation. With ``g_i(x) = I_i - U_i(x) >= 0`` (the shortfall from the ideal),
``m_i(x) = 1 - g_i(x) / (I_i - r_i)``, so ``max_x min_i m_i(x)`` is ``1 - exp(-s)`` where

    s = max_x min_i [ -log g_i(x) - ( -log (I_i - r_i) ) ],

the best slack (:mod:`ceasefire.bargaining.slack`) of the points ``-log g_i`` against the
reservation vector ``-log (I_i - r_i)``. The map ``u -> -log(I - u)`` is increasing, so the
Pareto frontier keeps its order and the fast best-slack algorithms apply unchanged, to every
sampled reservation vector at once (ripeness). :func:`best_share_bruteforce` is the oracle.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.problem import BargainingProblem, dequantize
from ceasefire.bargaining.slack import best_slack

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

MEASURE = "scale-free"
"""The name of the binding-party measure, as documents state it."""

MEASURE_TEXT = (
    "the veto party with the smallest share of its own range (value of no deal to ideal) at the "
    "package that maximises the smallest such share; unchanged by rescaling a party's utilities"
)

_CAP = 1e6
"""Stands for an infinite log coordinate: far beyond any ratio of utility ranges."""


def ideal(problem: BargainingProblem) -> FloatArray:
    """Each party's ideal utility: its best option on every issue, red lines ignored."""
    best = sum(
        (table.max(axis=0) for table in problem.quantized),
        np.zeros(problem.n_parties, dtype=np.int64),
    )
    return np.asarray(dequantize(best), dtype=np.float64)


def shares(utilities: npt.ArrayLike, reservation: npt.ArrayLike, top: npt.ArrayLike) -> FloatArray:
    """Scale-free margins ``(U - r) / (I - r)``, elementwise (broadcasting).

    A party whose value of no deal is at or above its ideal has no range: its share is 0 where
    ``U >= r`` and ``-inf`` below.
    """
    u = np.asarray(utilities, dtype=np.float64)
    r = np.asarray(reservation, dtype=np.float64)
    i = np.asarray(top, dtype=np.float64)
    span = i - r
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (u - r) / span
    flat = np.where(u - r >= -1e-9, 0.0, -np.inf)
    return np.asarray(np.where(span > 1e-12, ratio, flat), dtype=np.float64)


def _log_points(points: FloatArray, top: FloatArray) -> FloatArray:
    gap = top[None, :] - points
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -np.log(gap)
    return np.asarray(np.where(gap > 0, np.minimum(out, _CAP), _CAP), dtype=np.float64)


def _log_reservations(reservations: FloatArray, top: FloatArray) -> FloatArray:
    span = top[None, :] - reservations
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -np.log(span)
    return np.asarray(np.where(span > 0, np.minimum(out, _CAP), 2 * _CAP), dtype=np.float64)


def best_share(
    points: npt.ArrayLike, reservations: npt.ArrayLike, top: npt.ArrayLike
) -> tuple[FloatArray, IntArray]:
    """For each reservation vector (rows of ``(q, d)``): the largest smallest scale-free margin
    over the points ``(m, d)`` (the veto parties' utilities), and the binding party's column.

    ``top``: the veto parties' ideals ``(d,)``, at least every point. No points: ``-inf``.
    """
    u = np.asarray(points, dtype=np.float64)
    r = np.atleast_2d(np.asarray(reservations, dtype=np.float64))
    i = np.asarray(top, dtype=np.float64)
    if u.shape[0] == 0:
        return np.full(r.shape[0], -np.inf), np.zeros(r.shape[0], dtype=np.intp)
    i = np.maximum(i, u.max(axis=0))
    slack, binding = best_slack(_log_points(u, i), _log_reservations(r, i))
    with np.errstate(over="ignore"):
        value = np.asarray(1.0 - np.exp(-slack), dtype=np.float64)
    # A party without a range (value of no deal at or above its ideal) has no log coordinate:
    # those rare queries are compared directly.
    for q in np.flatnonzero((i[None, :] - r <= 1e-12).any(axis=1)):
        m = shares(u, r[q][None, :], i[None, :])
        worst = m.min(axis=1)
        p = int(np.argmax(worst))
        value[q] = worst[p]
        binding[q] = int(np.argmin(m[p]))
    return value, binding


def best_share_bruteforce(
    points: npt.ArrayLike, reservations: npt.ArrayLike, top: npt.ArrayLike
) -> tuple[FloatArray, list[set[int]]]:
    """The oracle: every point, in the original utilities; the binding parties as the set of
    columns within 1e-9 of the smallest share at the best point(s)."""
    u = np.asarray(points, dtype=np.float64)
    r = np.atleast_2d(np.asarray(reservations, dtype=np.float64))
    i = np.maximum(np.asarray(top, dtype=np.float64), u.max(axis=0))
    best = np.full(r.shape[0], -np.inf)
    binding: list[set[int]] = []
    for q in range(r.shape[0]):
        m = shares(u, r[q][None, :], i[None, :])
        worst = m.min(axis=1)
        best[q] = worst.max()
        who: set[int] = set()
        for p in np.flatnonzero(worst >= best[q] - 1e-9):
            who |= {int(j) for j in np.flatnonzero(m[p] <= worst[p] + 1e-9)}
        binding.append(who)
    return best, binding
