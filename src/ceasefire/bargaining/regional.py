"""The acceptable Pareto frontier inside a region of utility space, without building the rest.

A *region* is an upper set of the veto parties' gains over their reservation values ``g = u - r``:
a box ``g >= lower`` intersected with half-spaces ``a . g >= c`` (``a >= 0``). A union of
regions is searched with the stage-wise merge of :func:`ceasefire.bargaining.frontier.
pareto_frontier` [Nemhauser1969; Klamroth2000], bounding every partial sum as dynamic-programming
algorithms for the multi-objective knapsack problem do [Bazgan2009]: a partial sum ``p`` after
some issues can still end in a region only if ``p + B >= r + lower`` (``B``: each party's best
over the remaining issues) and, for each half-space, ``a . (p - r) + H(a) >= c`` (``H(a)``: the best
of ``a . u`` over the remaining issues, issue by issue). Partial sums that reach no region are
dropped before the merge's dominance test.

Because a region is an upper set and both bounds grow with ``p``, whatever dominates a point of
the result is in the result too, and every parent of a kept partial sum passes the bounds one
stage earlier. Hence the result is exactly the acceptable frontier's points inside the union (and
possibly a few outside it that the bounds could not exclude), with the same counts and the same
listed packages, in the same order, as :func:`~ceasefire.bargaining.frontier.pareto_frontier`
with ``acceptable_only=True, eps_filter=False`` reports for those points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.frontier import (
    Frontier,
    _issue_points,
    _IssuePoints,
    _merge,
    _processing_order,
    _recover_packages,
    _Stage,
    empty_frontier,
    remaining_after,
)
from ceasefire.bargaining.problem import (
    QUANTUM,
    TOLERANCE_UNITS,
    BargainingProblem,
    BoolArray,
    FloatArray,
    IntArray,
    dequantize,
)

IndexArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Region:
    """``g >= lower`` and some half-spaces ``a . g >= c``, gains ``g`` in utility points."""

    lower: FloatArray
    halfspaces: tuple[tuple[FloatArray, float], ...] = ()
    """``(a, c)``: ``a . g >= c`` with ``a >= 0``, all of them."""


@dataclass(frozen=True, eq=False)
class Within:
    """The frontier points found inside the regions, with what recovers their packages."""

    problem: BargainingProblem
    point_units: IntArray
    """``(p, d)`` veto utilities, in frontier order (lexicographically descending)."""
    counts: npt.NDArray[Any]
    stages: list[_Stage]
    issue_points: list[_IssuePoints]

    @property
    def n_points(self) -> int:
        return int(self.point_units.shape[0])

    def listed(self, points: IndexArray, max_ties: int = 100) -> tuple[IndexArray, IndexArray]:
        """(point of each entry, packages) of ``points``, as the whole frontier lists them."""
        return _recover_packages(
            self.stages, self.issue_points, points, max_ties, self.problem.n_issues
        )

    def first_packages(self, points: IndexArray, max_ties: int = 100) -> IndexArray:
        """The first listed package of each of ``points``, the one
        :func:`~ceasefire.bargaining.solutions.solve` reports (which packages are listed
        depends on ``max_ties``)."""
        points = np.asarray(points, dtype=np.intp)
        if (self.counts[points] == 1).all():
            # One package each: follow the single back-pointer of every stage.
            packages = np.zeros((points.shape[0], self.problem.n_issues), dtype=np.intp)
            node = points
            for stage, ip in zip(reversed(self.stages), reversed(self.issue_points), strict=True):
                member = stage.ptr[node]
                choice = stage.choice[member]
                node = stage.parent[member]
                packages[:, ip.issue] = ip.options[ip.option_ptr[choice]]
            return packages
        owner, packages = self.listed(points, max_ties)
        first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        return packages[first]

    def frontier(self, max_ties: int = 100) -> Frontier:
        """As a :class:`Frontier` (``acceptable_only=True``, no eps filter)."""
        problem = self.problem
        entry_point, packages = self.listed(np.arange(self.n_points), max_ties)
        more = np.zeros(entry_point.shape[0], dtype=object)
        if entry_point.shape[0]:
            last = np.flatnonzero(np.r_[entry_point[1:] != entry_point[:-1], True])
            left_out = self.counts.astype(object) - max_ties
            more[last] = np.where(left_out > 0, left_out, 0)
        return Frontier(
            veto_indices=problem.veto_indices,
            point_units=self.point_units,
            counts=tuple(int(c) for c in self.counts),
            packages=packages,
            point_of_entry=entry_point,
            utilities=problem.utilities(packages),
            more_ties=tuple(int(x) for x in more),
            best_units=self.point_units.max(axis=0),
            acceptable_only=True,
            max_ties=max_ties,
        )


def frontier_within(
    problem: BargainingProblem, regions: Sequence[Region], *, max_ties: int = 100
) -> Frontier:
    """The acceptable frontier's points that lie in some region of ``regions`` (see the module
    docstring), as a :class:`Frontier` (``eps_filter=False``). ``best_units`` is the largest
    utility of each veto party over the points returned, which is the frontier's own wherever a
    region contains each party's best point."""
    if max_ties < 1:
        raise ValueError("max_ties must be at least 1")
    within = points_within(problem, regions)
    if within is None:
        return empty_frontier(problem, True, max_ties)
    return within.frontier(max_ties)


def points_within(problem: BargainingProblem, regions: Sequence[Region]) -> Within | None:
    """:func:`frontier_within` without listing packages (None: no point)."""
    veto = problem.veto_indices
    d = veto.shape[0]
    count_dtype: Any = np.int64 if problem.package_count() < 2**62 else object
    issue_points = []
    for k in range(problem.n_issues):
        allowed = np.flatnonzero(~problem.forbidden[k])
        if allowed.shape[0] == 0:
            return None
        issue_points.append(_issue_points(k, problem.quantized[k][allowed][:, veto], allowed))
    order = _processing_order(issue_points)
    issue_points = [issue_points[s] for s in order]
    n = len(issue_points)

    reservation = problem.reservation_units
    best = np.array([ip.vectors.max(axis=0) for ip in issue_points], dtype=np.int64)
    rest = remaining_after(best, d)
    target = reservation - TOLERANCE_UNITS
    # Each region's bounds per stage: the least partial sum (units) and, along its direction,
    # the least value of a . (p - r) in points.
    n_regions = len(regions)
    lowers = np.empty((n_regions, n, d))
    halves = [h for region in regions for h in region.halfspaces]
    owner = np.array([r for r, region in enumerate(regions) for _ in region.halfspaces], dtype=int)
    directions = np.array([a for a, _ in halves], dtype=np.float64).reshape(-1, d).T  # (d, H)
    tops = np.array([(dequantize(ip.vectors) @ directions).max(axis=0) for ip in issue_points])
    after = remaining_after(tops, len(halves))
    # a . (p - r) + (the best of a . u over the remaining issues) >= c
    bound = np.array([c for _, c in halves], dtype=np.float64)[None, :]
    # Less a little, for rounding: a bound a little low only keeps more.
    needs = bound - after - 1e-9 * (1.0 + np.abs(bound) + np.abs(after))  # (n, H)
    for r, region in enumerate(regions):
        # Rounded down (and at most 1e6 points below): a bound a little low only keeps more.
        lower = np.maximum(np.asarray(region.lower, dtype=np.float64), -1e6)
        lowers[r] = reservation[None, :] + np.floor(lower / QUANTUM)[None, :] - rest - 1.0
    membership = np.zeros((owner.shape[0], n_regions))
    membership[np.arange(owner.shape[0]), owner] = 1.0

    front = np.zeros((1, d), dtype=np.int64)
    counts: npt.NDArray[Any] = np.ones(1, dtype=count_dtype)
    stages: list[_Stage] = []
    for s, ip in enumerate(issue_points):
        front, counts, stage = _merge(
            front,
            counts,
            ip,
            target - rest[s],
            partial(_reaches, reservation, s, lowers, directions, needs, membership),
        )
        if front.shape[0] == 0:
            return None
        stages.append(stage)

    return Within(problem, front, counts, stages, issue_points)


def _reaches(
    reservation: IntArray,
    stage: int,
    lowers: FloatArray,
    directions: FloatArray,
    needs: FloatArray,
    membership: FloatArray,
    front: IntArray,
) -> BoolArray:
    """Which partial sums can still end in some region (``lowers`` ``(R, n, d)``; half-spaces
    ``directions`` ``(d, H)``, ``needs`` ``(n, H)``; ``membership`` ``(H, R)``: 1 where a
    half-space belongs to a region)."""
    ok = np.all(front[:, None, :] >= lowers[None, :, stage, :], axis=2)  # (N, R)
    if membership.shape[0]:
        gains = dequantize(front - reservation[None, :])
        short = (gains @ directions < needs[stage][None, :]).astype(np.float64)  # (N, H)
        ok &= short @ membership == 0  # no half-space of the region fails
    return np.asarray(ok.any(axis=1))
