"""The exact Pareto frontier of an additive multi-issue bargaining problem.

With additive utilities the utility vectors of all packages form the Minkowski sum of the
per-issue point sets ``{c_k[o] : o}``. A package whose utility vector is Pareto-optimal has a
Pareto-optimal utility vector on every prefix of issues (otherwise swapping in the dominating
prefix would dominate it), so the frontier is built issue by issue: add the next issue's points to
the frontier so far, drop dominated sums, keep back-pointers to recover the packages. This is
the stage-wise merge of Pareto sets of the knapsack problem [Nemhauser1969] with several criteria
[Klamroth2000]; each issue's own point set is first reduced to its frontier.
When only acceptable packages are wanted, options a veto party's red line excludes are dropped
first and partial sums that cannot reach a reservation value even with each party's best
remaining options are pruned.

Dominance is over the veto parties only and exact on quantised integers
(:func:`ceasefire.bargaining.problem.quantize`): ``q`` dominates ``p`` if ``q >= p`` everywhere
and ``q != p``. Packages with equal vectors are ties and are all kept, with exact counts. Finally
no point that another point eps-dominates (``q_i >= p_i - 1e-9`` for all veto ``i`` and
``q_j > p_j + 1e-9`` for some ``j``) is reported. (Eps-dominance is not transitive: in three or
more dimensions near-ties can form a cycle in which every point is eps-dominated; then, and only
then, the exact frontier is reported instead of nothing.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.problem import (
    TOLERANCE_UNITS,
    BargainingProblem,
    BoolArray,
    FloatArray,
    IntArray,
    dequantize,
)
from ceasefire.bargaining.skyline import dominated, pareto_mask, sum_dominated
from ceasefire.defaults import MAX_FRONTIER

IndexArray = npt.NDArray[np.intp]

MAX_ENTRIES = MAX_FRONTIER
"""Default cap on the entries :meth:`Frontier.to_dict` lists."""


@dataclass(frozen=True)
class FrontierEntry:
    """One package on the frontier, with every party's utility."""

    package: IndexArray
    utilities: FloatArray
    more_ties: int = 0


@dataclass(frozen=True, eq=False)
class Frontier:
    """Pareto-optimal packages, grouped by distinct veto-utility vector ("point").

    Points are ordered by the veto parties' utilities, lexicographically descending (first veto
    party first); a point's listed packages follow it in lexicographic order of option indices.
    """

    veto_indices: IndexArray
    point_units: IntArray
    """``(p, d)`` exact veto utilities of each point, in quantised units."""
    counts: tuple[int, ...]
    """How many packages have each point's utility vector (exact)."""
    packages: IndexArray
    """``(E, K)`` option indices of every listed package (at most ``max_ties`` per point)."""
    point_of_entry: IndexArray
    """``(E,)`` the point each listed package belongs to."""
    utilities: FloatArray
    """``(E, n_parties)`` every party's utility of each listed package."""
    more_ties: tuple[int, ...]
    """Per entry: packages of the same point not listed (non-zero only on a group's last entry)."""
    best_units: IntArray
    """``(d,)`` each veto party's best utility over the frontier before the eps filter."""
    acceptable_only: bool
    max_ties: int

    @property
    def points(self) -> FloatArray:
        """``(p, d)`` veto utilities of each point (utility points)."""
        return dequantize(self.point_units)

    @property
    def n_points(self) -> int:
        return int(self.point_units.shape[0])

    @property
    def size(self) -> int:
        """Number of listed entries (packages)."""
        return int(self.packages.shape[0])

    def __len__(self) -> int:
        return self.size

    @property
    def package_total(self) -> int:
        """Number of Pareto-optimal packages, listed or not (exact)."""
        return sum(self.counts)

    def entries(self) -> Iterator[FrontierEntry]:
        for e in range(self.size):
            yield FrontierEntry(self.packages[e], self.utilities[e], self.more_ties[e])

    def entry_dict(self, problem: BargainingProblem, e: int) -> dict[str, Any]:
        """One entry as JSON-ready data."""
        out: dict[str, Any] = {
            "package": problem.package_dict(self.packages[e]),
            "utilities": _utility_dict(problem, self.utilities[e]),
        }
        if self.more_ties[e]:
            out["more_ties"] = self.more_ties[e]
        return out

    def to_dict(self, problem: BargainingProblem, max_entries: int = MAX_ENTRIES) -> dict[str, Any]:
        """JSON-ready data: ``frontier`` (the entries, cut at ``max_entries``) and its size."""
        shown = min(self.size, max(0, max_entries))
        return {
            "acceptable_only": self.acceptable_only,
            "veto_parties": [problem.parties[i] for i in self.veto_indices],
            "points": self.n_points,
            "packages": self.package_total,
            "max_ties": self.max_ties,
            "frontier_size": self.size,
            "frontier_truncated": shown < self.size,
            "frontier": [self.entry_dict(problem, e) for e in range(shown)],
        }

    def __repr__(self) -> str:
        kind = "acceptable " if self.acceptable_only else ""
        return (
            f"<Frontier: {self.n_points} {kind}points, {self.package_total} packages, "
            f"{self.size} listed>"
        )


def _utility_dict(problem: BargainingProblem, row: FloatArray) -> dict[str, float]:
    return {party: float(u) for party, u in zip(problem.parties, row, strict=True)}


@dataclass(frozen=True)
class _IssuePoints:
    """One issue's distinct, mutually non-dominated veto-utility vectors and their options."""

    issue: int
    vectors: IntArray  # (u, d)
    option_ptr: IndexArray  # (u + 1,) CSR into `options`
    options: IndexArray  # option indices, grouped by vector
    multiplicity: npt.NDArray[Any]  # (u,) options per vector


@dataclass(frozen=True)
class _Stage:
    """Back-pointers of one merge: the (parent, vector) pairs summing to each kept point."""

    ptr: IndexArray  # (G + 1,) CSR over members
    parent: IndexArray  # (L,) point index at the previous stage
    choice: IndexArray  # (L,) index into the issue's vectors


def pareto_frontier(
    problem: BargainingProblem,
    *,
    acceptable_only: bool = False,
    max_ties: int = 100,
    eps_filter: bool = True,
) -> Frontier:
    """The exact Pareto frontier over the veto parties.

    ``acceptable_only=False``: of the whole package space, red lines and reservation values
    ignored. ``acceptable_only=True``: of the acceptable packages (the Pareto-optimal part of the
    zone of possible agreement). At most ``max_ties`` packages are listed per utility vector; the
    rest are counted in the last entry's ``more_ties``. With ``eps_filter=False`` the points that
    another point eps-dominates are kept: every exactly Pareto-optimal point is reported.
    """
    if max_ties < 1:
        raise ValueError("max_ties must be at least 1")
    veto = problem.veto_indices
    d = veto.shape[0]
    count_dtype: Any = np.int64 if problem.package_count() < 2**62 else object
    issue_points = []
    for k in range(problem.n_issues):
        n_options = len(problem.options[k])
        allowed = np.flatnonzero(~problem.forbidden[k]) if acceptable_only else np.arange(n_options)
        if allowed.shape[0] == 0:
            return empty_frontier(problem, acceptable_only, max_ties)
        issue_points.append(_issue_points(k, problem.quantized[k][np.ix_(allowed, veto)], allowed))
    order = _processing_order(issue_points)
    issue_points = [issue_points[s] for s in order]

    # needs[s]: the least a partial sum after stage s must reach (reservation minus tolerance
    # minus the best the remaining issues can add, party by party).
    needs: list[IntArray | None] = [None] * len(issue_points)
    if acceptable_only:
        best = np.array([ip.vectors.max(axis=0) for ip in issue_points], dtype=np.int64)
        rest = remaining_after(best, d)
        target = problem.reservation_units - TOLERANCE_UNITS
        needs = [target - rest[s] for s in range(len(issue_points))]

    front = np.zeros((1, d), dtype=np.int64)
    counts: npt.NDArray[Any] = np.ones(1, dtype=count_dtype)
    stages: list[_Stage] = []
    for ip, need in zip(issue_points, needs, strict=True):
        front, counts, stage = _merge(front, counts, ip, need)
        if front.shape[0] == 0:
            return empty_frontier(problem, acceptable_only, max_ties)
        stages.append(stage)

    best_units = front.max(axis=0)
    keep = np.arange(front.shape[0])
    if eps_filter:
        keep = np.flatnonzero(~dominated(front, front - TOLERANCE_UNITS, front + TOLERANCE_UNITS))
    if keep.shape[0] == 0:
        # Every point eps-dominated by another: only possible through a cycle of near-ties
        # (within 1e-9) in three or more dimensions. Report the exact frontier rather than none.
        keep = np.arange(front.shape[0])
    point_units = front[keep]
    point_counts = tuple(int(c) for c in counts[keep])
    entry_point, packages = _recover_packages(
        stages, issue_points, keep, max_ties, problem.n_issues
    )
    # The last listed entry of each point counts the packages left out (exact Python ints).
    more = np.zeros(entry_point.shape[0], dtype=object)
    if entry_point.shape[0]:
        last = np.flatnonzero(np.r_[entry_point[1:] != entry_point[:-1], True])
        left_out = counts[keep].astype(object) - max_ties
        more[last] = np.where(left_out > 0, left_out, 0)
    return Frontier(
        veto_indices=veto,
        point_units=point_units,
        counts=point_counts,
        packages=packages,
        point_of_entry=entry_point,
        utilities=problem.utilities(packages),
        more_ties=tuple(int(x) for x in more),
        best_units=best_units,
        acceptable_only=acceptable_only,
        max_ties=max_ties,
    )


def empty_frontier(problem: BargainingProblem, acceptable_only: bool, max_ties: int) -> Frontier:
    """A frontier without points (no package qualifies)."""
    d = problem.veto_indices.shape[0]
    return Frontier(
        veto_indices=problem.veto_indices,
        point_units=np.zeros((0, d), dtype=np.int64),
        counts=(),
        packages=np.zeros((0, problem.n_issues), dtype=np.intp),
        point_of_entry=np.zeros(0, dtype=np.intp),
        utilities=np.zeros((0, problem.n_parties)),
        more_ties=(),
        best_units=np.full(d, np.iinfo(np.int64).min, dtype=np.int64),
        acceptable_only=acceptable_only,
        max_ties=max_ties,
    )


def _issue_points(issue: int, vectors: IntArray, options: IndexArray) -> _IssuePoints:
    """Group an issue's options by equal vector and keep the non-dominated vectors: distinct
    vectors in ascending lexicographic order, their options grouped by vector in option order."""
    n = vectors.shape[0]
    # What np.unique(vectors, axis=0, return_inverse=True) gives, without its set-up cost.
    order = np.lexsort(vectors.T[::-1])
    ranked = vectors[order]
    new = np.ones(n, dtype=bool)
    new[1:] = np.any(ranked[1:] != ranked[:-1], axis=1)
    distinct = ranked[new]
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    keep = pareto_mask(distinct)
    renumber = np.cumsum(keep) - 1
    chosen = keep[inverse]
    group = renumber[inverse[chosen]]
    by_group = np.argsort(group, kind="stable")
    multiplicity = np.bincount(group, minlength=int(keep.sum()))
    ptr = np.zeros(multiplicity.shape[0] + 1, dtype=np.intp)
    np.cumsum(multiplicity, out=ptr[1:])
    return _IssuePoints(
        issue=issue,
        vectors=distinct[keep],
        option_ptr=ptr,
        options=options[chosen][by_group].astype(np.intp),
        multiplicity=multiplicity,
    )


def remaining_after(per_stage: npt.NDArray[Any], width: int) -> npt.NDArray[Any]:
    """Row ``s``: the sum of rows after ``s`` of ``per_stage`` (``(n, width)``), zeros last."""
    after = np.cumsum(per_stage[::-1], axis=0)[::-1][1:]
    return np.vstack([after, np.zeros((1, width), dtype=per_stage.dtype)])


def _processing_order(issue_points: list[_IssuePoints]) -> list[int]:
    """Issues with more frontier options first, so the last (largest) merges multiply the
    frontier by few points; the result does not depend on the order."""
    return sorted(range(len(issue_points)), key=lambda s: -issue_points[s].vectors.shape[0])


def _merge(
    front: IntArray,
    counts: npt.NDArray[Any],
    ip: _IssuePoints,
    need: IntArray | None,
    reach: Callable[[IntArray], BoolArray] | None = None,
) -> tuple[IntArray, npt.NDArray[Any], _Stage]:
    """Frontier of ``front + ip.vectors`` (Minkowski sum), with counts and back-pointers.

    ``reach(sums)``: which sums to keep at all, besides ``need`` (a test that keeps whatever
    dominates a kept sum, so that dropped sums never decide dominance)."""
    m, d = front.shape
    u = ip.vectors.shape[0]
    cand = (front[:, None, :] + ip.vectors[None, :, :]).reshape(m * u, d)
    wanted = np.ones(m * u, dtype=bool)
    if need is not None:
        wanted = np.all(cand >= need, axis=1)
    if reach is not None:
        wanted &= reach(cand)
    if d >= 3:
        # Dominance first, on the structure of the sum; then only survivors are sorted.
        wanted &= ~sum_dominated(front, ip.vectors, wanted.reshape(m, u)).ravel()
    source = np.flatnonzero(wanted)
    cand = cand[source]
    if cand.shape[0] == 0:
        empty = np.zeros(0, dtype=np.intp)
        return cand, counts[:0], _Stage(np.zeros(1, dtype=np.intp), empty, empty)
    # Lexicographically descending: equal vectors become adjacent, and in two dimensions the
    # frontier test is a running maximum.
    order = np.lexsort([-cand[:, j] for j in range(d - 1, -1, -1)])
    cand = cand[order]
    source = source[order]
    first = np.ones(cand.shape[0], dtype=bool)
    first[1:] = np.any(cand[1:] != cand[:-1], axis=1)
    group = np.cumsum(first) - 1
    distinct = cand[first]
    keep = _nondominated_sorted(distinct) if d < 3 else np.ones(distinct.shape[0], dtype=bool)
    members = keep[group]
    source = source[members]
    renumber = np.cumsum(keep) - 1
    group = renumber[group[members]]
    n_kept = int(keep.sum())
    ptr = np.zeros(n_kept + 1, dtype=np.intp)
    np.cumsum(np.bincount(group, minlength=n_kept), out=ptr[1:])
    parent = source // u
    choice = source % u
    member_counts = counts[parent] * ip.multiplicity[choice].astype(counts.dtype)
    new_counts = np.add.reduceat(member_counts, ptr[:-1])
    return distinct[keep], new_counts, _Stage(ptr, parent, choice)


def _nondominated_sorted(points: IntArray) -> BoolArray:
    """Frontier mask of distinct points sorted lexicographically descending (1 or 2 columns)."""
    m, d = points.shape
    if d == 1:
        keep = np.zeros(m, dtype=bool)
        keep[0] = True
        return keep
    # Every earlier point has a larger or equal first coordinate (and, if equal, a larger
    # second one), so a point survives iff its second coordinate beats all earlier ones.
    second = points[:, 1]
    before = np.empty(m, dtype=np.int64)
    before[0] = np.iinfo(np.int64).min
    np.maximum.accumulate(second[:-1], out=before[1:])
    return np.asarray(second > before)


def _capped_expand(
    owner: IndexArray, ptr: IndexArray, ids: IndexArray, cap: int
) -> tuple[IndexArray, IndexArray]:
    """Expand each row into its CSR members ``ptr[ids[r]] : ptr[ids[r] + 1]``, keeping at most
    ``cap`` rows per owner (rows are grouped by owner). Returns (source row, member position)."""
    sizes = ptr[ids + 1] - ptr[ids]
    before = np.cumsum(sizes) - sizes
    owner_start = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    run = np.repeat(owner_start, np.diff(np.r_[owner_start, owner.shape[0]]))
    within = before - before[run]
    allowed = np.clip(cap - within, 0, sizes)
    row = np.repeat(np.arange(ids.shape[0]), allowed)
    offset = np.arange(row.shape[0]) - (np.cumsum(allowed) - allowed)[row]
    return row, ptr[ids][row] + offset


def _recover_packages(
    stages: list[_Stage],
    issue_points: list[_IssuePoints],
    points: IndexArray,
    max_ties: int,
    n_issues: int,
) -> tuple[IndexArray, IndexArray]:
    """Up to ``max_ties`` packages behind each final point, following back-pointers from the last
    issue to the first. Every partial path completes to a package, so capping per point at each
    step still lists ``min(count, max_ties)`` packages."""
    owner = np.arange(points.shape[0], dtype=np.intp)
    node = points.astype(np.intp)
    packages = np.zeros((points.shape[0], n_issues), dtype=np.intp)
    for stage, ip in zip(reversed(stages), reversed(issue_points), strict=True):
        row, member = _capped_expand(owner, stage.ptr, node, max_ties)
        owner, packages = owner[row], packages[row]
        node, choice = stage.parent[member], stage.choice[member]
        row, position = _capped_expand(owner, ip.option_ptr, choice, max_ties)
        owner, packages, node = owner[row], packages[row], node[row]
        packages[:, ip.issue] = ip.options[position]
    order = np.lexsort([packages[:, k] for k in range(n_issues - 1, -1, -1)] + [owner])
    return owner[order], packages[order]
