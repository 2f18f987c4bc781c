"""Solve one sample's concepts from the part of its frontier that can matter.

Each solution concept picks among the acceptable frontier points whose objective is within 1e-9
of the best (:mod:`ceasefire.bargaining.solutions`), and the Kalai–Smorodinsky solution also needs
each veto party's best acceptable utility. A *pool* of packages (those picked in earlier samples)
gives, for a new sample, acceptable packages whose objective values are lower bounds of the best;
every point that can win then lies in a region of gains (an upper set) derived from them:

- utilitarian: ``sum(g) >= S - m`` (``S``: the pool's best total gain);
- egalitarian: ``g >= E - m`` in every coordinate (``E``: the pool's best smallest gain);
- Nash: ``sum(g_i / g*_i) >= d (1 - 1e-6)`` (the tangent half-space of ``prod(g) >= prod(g*)``
  at the pool's best ``g*``, by the inequality of arithmetic and geometric means) and
  ``g_i >= N / prod_{j != i} G_j - m`` (``N``: the pool's best product; ``G_j``: an upper bound
  of party ``j``'s best acceptable gain, :func:`best_gain_bounds`);
- Kalai–Smorodinsky: ``g_i >= k L_i - m`` (``L_i``: the pool's best gain of party ``i``, at most
  its ideal; ``k``: the pool's best ratio to the upper bounds ``G``, at most the sample's best
  ratio);
- each party's best acceptable utility: ``g_i >= L_i - m``.

Every box also gives half-spaces ``l . g >= l . lower`` (all parties together, each pair, and the
multipliers of the bounds ``G``), which bound partial sums much more tightly than the box alone.
The margin ``m`` (1e-6 points, a thousand times the tie tolerance) keeps the near-ties of every
winner inside too, and any point that eps-dominates a winner. The frontier inside the union of the
regions (:func:`ceasefire.bargaining.regional.points_within`), with the eps filter applied among its
points, then gives the same picks as the whole frontier. A sample is solved on its whole frontier
instead when the pool has no acceptable package (no region) or when the first point (the first
party's best) is eps-dominated, the one case in which the core's rule for a frontier of near-ties
only could apply.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import CONCEPTS, BargainingProblem
from ceasefire.bargaining.problem import TOLERANCE, TOLERANCE_UNITS, dequantize
from ceasefire.bargaining.regional import Region, points_within
from ceasefire.bargaining.skyline import dominated
from ceasefire.bargaining.solutions import chosen_point

IndexArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

MARGIN = 1e-6
"""How far (points) each region reaches below the pool's values."""

NASH_MIN_GAIN = 1e-2
"""The Nash tangent half-space is used only when every gain of the pool's best is at least this
(points), so that the margin covers the tie tolerance divided by those gains."""

POOL_SIZE = 2048
"""The pool keeps at most this many packages, the most recently picked."""


class Pool:
    """Packages picked in earlier samples (a speed aid: results never depend on it), at most
    :data:`POOL_SIZE`, the oldest replaced first."""

    def __init__(self) -> None:
        self._rows: dict[tuple[int, ...], int] = {}
        self._packages: IndexArray | None = None
        self._next = 0
        self.whole = 0
        """Samples solved with the whole frontier."""
        self.regional = 0
        """Samples solved inside the regions."""

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, package: npt.NDArray[np.intp]) -> None:
        key = tuple(int(x) for x in package)
        if key in self._rows:
            return
        if self._packages is None:
            self._packages = np.zeros((POOL_SIZE, len(key)), dtype=np.intp)
        row = self._next % POOL_SIZE
        if self._next >= POOL_SIZE:
            del self._rows[tuple(int(x) for x in self._packages[row])]
        self._packages[row] = package
        self._rows[key] = row
        self._next += 1

    def array(self, n_issues: int) -> IndexArray:
        if self._packages is None:
            return np.zeros((0, n_issues), dtype=np.intp)
        return self._packages[: min(self._next, POOL_SIZE)]


def solve_sample(
    problem: BargainingProblem, concepts: Sequence[str], pool: Pool
) -> dict[str, npt.NDArray[np.intp]] | None:
    """The package each concept picks (None without a ZOPA), exactly as
    :meth:`BargainingProblem.solve` does; ``pool`` is used and updated."""
    regions = _regions(problem, concepts, pool)
    result: dict[str, npt.NDArray[np.intp]] | None = None
    if regions is not None:
        result = _solve_within(problem, concepts, regions, pool)
    if result is None:
        pool.whole += 1
        result = whole_frontier(problem, concepts)
        if result is None:
            return None
    else:
        pool.regional += 1
    for package in result.values():
        pool.add(package)
    return result


def whole_frontier(
    problem: BargainingProblem, concepts: Sequence[str]
) -> dict[str, npt.NDArray[np.intp]] | None:
    """Each concept's package from the whole acceptable frontier (the reference path)."""
    if not problem.zopa().exists:
        return None
    out = {}
    for c in concepts:
        solution = problem.solve(c)
        assert solution.package is not None
        out[c] = solution.package
    return out


def _solve_within(
    problem: BargainingProblem, concepts: Sequence[str], regions: list[Region], pool: Pool
) -> dict[str, npt.NDArray[np.intp]] | None:
    within = points_within(problem, regions)
    if within is None:
        return None  # cannot happen with an acceptable pool package; the whole frontier decides
    points = within.point_units
    near = dominated(points, points - TOLERANCE_UNITS, points + TOLERANCE_UNITS)
    if near[0]:
        # The first point (the first party's best) is eps-dominated: the core's rule for a
        # frontier of near-ties only would need the whole frontier.
        return None
    kept = np.flatnonzero(~near)
    best_units = points.max(axis=0)
    chosen = [
        int(kept[chosen_point(problem, CONCEPTS[c], points[kept], best_units)[0]]) for c in concepts
    ]
    # Each party's best package helps the next samples' regions.
    extremes = [int(j) for j in np.argmax(points, axis=0)]
    wanted = np.unique(np.array(chosen + extremes, dtype=np.intp))
    packages = within.first_packages(wanted)
    for row in packages:
        pool.add(row)
    return {
        c: packages[int(np.searchsorted(wanted, j))] for c, j in zip(concepts, chosen, strict=True)
    }


def _regions(
    problem: BargainingProblem, concepts: Sequence[str], pool: Pool
) -> list[Region] | None:
    """The regions where every concept's winners and every party's best point lie, from the
    pool's acceptable packages (None: no acceptable package in the pool, or a concept whose
    region is not known)."""
    if any(c not in _KNOWN for c in concepts):
        return None
    packages = pool.array(problem.n_issues)
    if packages.shape[0] == 0:
        return None
    veto = problem.veto_indices
    units = problem.utility_units(packages)[:, veto]
    allowed = np.ones(packages.shape[0], dtype=bool)
    for k, banned in enumerate(problem.forbidden):
        allowed &= ~banned[packages[:, k]]
    reservation = problem.reservation_units
    allowed &= np.all(units >= reservation - TOLERANCE_UNITS, axis=1)
    if not allowed.any():
        return None
    gains = dequantize(np.maximum(units[allowed] - reservation, 0))
    d = veto.shape[0]
    upper, multipliers = best_gain_bounds(problem)
    reach = gains.max(axis=0)  # at most each party's best gain
    boxes: list[tuple[FloatArray, tuple[tuple[FloatArray, float], ...]]] = []
    for i in range(d):
        lower = np.full(d, -MARGIN)
        lower[i] = reach[i] - MARGIN
        boxes.append((lower, ()))
    for c in concepts:
        if c == "utilitarian":
            total = float(gains.sum(axis=1).max())
            boxes.append((np.full(d, -MARGIN), ((np.ones(d), total - MARGIN),)))
        elif c == "egalitarian":
            boxes.append((np.full(d, float(gains.min(axis=1).max()) - MARGIN), ()))
        elif c == "kalai_smorodinsky":
            counted = upper > TOLERANCE
            ratio = 0.0
            if counted.any():
                ratio = float((gains[:, counted] / upper[counted]).min(axis=1).max())
            boxes.append((max(ratio - 2 * TOLERANCE, 0.0) * reach - MARGIN, ()))
        elif c == "nash":
            products = np.prod(gains, axis=1)
            j = int(np.argmax(products))
            product = float(products[j])
            lower = np.full(d, -MARGIN)
            if product > 0:
                for i in range(d):
                    rest = float(np.prod(np.delete(upper, i)))
                    if rest > 0:
                        lower[i] = max(product * (1 - 1e-6) / rest - MARGIN, -MARGIN)
            star = gains[j]
            tangent: tuple[tuple[FloatArray, float], ...] = ()
            if (star >= NASH_MIN_GAIN).all():
                tangent = ((1.0 / star, d * (1 - 1e-6)),)
            boxes.append((lower, tangent))
    # Every box g >= b (acceptable: g >= -1e-9 too) implies l . g >= l . b for l >= 0: the
    # multipliers of each party's best gain, all parties together, and each pair.
    directions = [*multipliers, np.ones(d)]
    for a in range(d):
        for b in range(a + 1, d):
            pair = np.zeros(d)
            pair[[a, b]] = 1.0
            directions.append(pair)
    regions = []
    for lower, halfspaces in boxes:
        implied = tuple((w, float(w @ lower)) for w in directions)
        regions.append(Region(lower, halfspaces + implied))
    return regions


_KNOWN = {"utilitarian", "egalitarian", "kalai_smorodinsky", "nash"}
assert set(CONCEPTS) >= _KNOWN


_MULTIPLIERS = np.array([0.0, 0.3, 1.0, 3.0])


def best_gain_bounds(problem: BargainingProblem) -> tuple[FloatArray, list[FloatArray]]:
    """An upper bound of each veto party's best gain over the acceptable packages (0 at least):
    for multipliers ``l >= 0`` on the other parties' constraints ``u_j - r_j >= 0``, the best of
    ``u_i - r_i + sum_j l_j (u_j - r_j)`` over all red-line-respecting packages, issue by issue
    (Lagrangian relaxation [FisherLagrangian1981]); the least over a grid of multipliers, with
    those multipliers (party ``i``'s own is 1)."""
    veto = problem.veto_indices
    d = veto.shape[0]
    reservation = dequantize(problem.reservation_units)
    tables = [
        dequantize(table[~banned][:, veto])
        for table, banned in zip(problem.quantized, problem.forbidden, strict=True)
    ]
    sizes = np.array([t.shape[0] for t in tables])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    grid = np.array(np.meshgrid(*[_MULTIPLIERS] * (d - 1), indexing="ij")).reshape(d - 1, -1)
    n = grid.shape[1]
    weights = np.zeros((d, d * n))  # party i's multipliers in columns i n .. (i + 1) n
    for i in range(d):
        weights[i, i * n : (i + 1) * n] = 1.0
        weights[np.arange(d) != i, i * n : (i + 1) * n] = grid
    if (sizes == 0).any():
        return np.zeros(d), [weights[:, i * n] for i in range(d)]
    # Each issue's best option for every set of multipliers, summed over the issues.
    values = np.maximum.reduceat(np.vstack(tables) @ weights, starts, axis=0).sum(axis=0)
    values = (values - reservation @ weights).reshape(d, n)
    best = np.argmin(values, axis=1)
    # A little above, for rounding: an upper bound may only be too high.
    upper = np.maximum(values[np.arange(d), best] + 1e-7, 0.0)
    return upper, [weights[:, i * n + int(best[i])] for i in range(d)]
