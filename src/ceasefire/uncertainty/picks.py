"""Which package each solution concept picks, for many reservation vectors at once.

When the parties' utilities are fixed and only their reservation values vary (or vary among few
alternatives), the zone of possible agreement of every sample is the same red-line-respecting
Pareto frontier cut at that sample's reservation vector: anything that dominates an acceptable
package is itself acceptable [Raiffa1982]. So the frontier is built once (by the exact bargaining
core) and each sample only filters its points and evaluates the concepts' objectives, vectorised
over samples.

The rules are those of :func:`ceasefire.bargaining.solutions.solve`: gains over the reservation
values clipped at 0, the concept's objective on the acceptable frontier points, ties within 1e-9
(relative for the Nash product), then the largest total gain, then the first point in frontier
order, and that point's first listed package. One difference can only show at the 1e-9 level: the
core drops points eps-dominated (within 1e-9) by another acceptable point, whereas here a point
eps-dominated by a point that is not acceptable for this sample was dropped once for all samples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import CONCEPTS, TOLERANCE, BargainingProblem, Frontier, SolutionConcept
from ceasefire.bargaining.problem import TOLERANCE_UNITS, dequantize

IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

# Floor for the reservation values of a frontier built for many samples: low enough that the
# core's reservation pruning never removes a package, inside its range checks.
NO_RESERVATION = -1.0e5

# At most this many (sample, point) pairs are evaluated at once.
_BATCH = 1 << 18

_VECTORISED = {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}


@dataclass(frozen=True, eq=False)
class PointSet:
    """The red-line-respecting Pareto frontier of a problem, as needed for picking.

    ``points`` are the veto parties' utility vectors in quantised units, lexicographically
    descending (the frontier's order); ``packages[j]`` is the first listed package of point ``j``.
    ``crosses[j]`` has bit ``b`` set when some package of point ``j`` crosses the ``b``-th of the
    red lines given to :func:`point_set` (all bits when not every package of the point is listed).
    """

    points: IntArray
    packages: IndexArray
    crosses: IntArray
    floor: FloatArray
    """The veto parties' utilities that every point reaches (within 1e-9)."""

    @property
    def size(self) -> int:
        return int(self.points.shape[0])


RedLineOptions = tuple[int, BoolArray]
"""A red line that may or may not hold: the issue and the options it excludes."""


def point_set(
    problem: BargainingProblem,
    red_lines: Sequence[RedLineOptions] = (),
    max_ties: int = 100,
    floor: FloatArray | None = None,
) -> PointSet:
    """The Pareto frontier of ``problem``'s red-line-respecting packages that give every veto
    party at least ``floor`` (default: no floor; ``problem.reservation`` is ignored).

    The result serves every reservation vector at or above the floor. ``red_lines`` (at most 62)
    are further red lines that hold in some samples and not in others; each point records which
    of them its packages cross. ``max_ties`` matches the core's default so that each point's first
    listed package is the one :meth:`BargainingProblem.solve` reports.
    """
    if len(red_lines) > 62:
        raise ValueError("at most 62 uncertain red lines")
    if floor is None:
        floor = np.where(np.array(problem.veto), NO_RESERVATION, problem.reservation)
    # The exact frontier, not the eps-filtered one: a point that another eps-dominates at the
    # floor may be the best acceptable one at a sample's higher reservation values, once its
    # dominator falls short of them (eps-dominance is not transitive).
    frontier = problem.with_reservation(floor).frontier(
        acceptable_only=True, max_ties=max_ties, eps_filter=False
    )
    return point_set_of(frontier, red_lines, np.asarray(floor)[problem.veto_indices])


def point_set_of(
    frontier: Frontier,
    red_lines: Sequence[RedLineOptions] = (),
    floor: FloatArray | None = None,
) -> PointSet:
    """Points, first packages and crossed red lines of an acceptable-only frontier whose
    reservation values were ``floor`` (veto parties)."""
    entry_point = frontier.point_of_entry
    first = np.flatnonzero(np.r_[True, entry_point[1:] != entry_point[:-1]])
    if frontier.size == 0:
        first = np.zeros(0, dtype=np.intp)
    bits = np.zeros(frontier.size, dtype=np.int64)
    for b, (k, crossed) in enumerate(red_lines):
        bits |= crossed[frontier.packages[:, k]].astype(np.int64) << b
    crosses = np.zeros(frontier.n_points, dtype=np.int64)
    np.bitwise_or.at(crosses, entry_point, bits)
    listed = np.bincount(entry_point, minlength=frontier.n_points)
    incomplete = np.array(frontier.counts, dtype=object) > listed
    if red_lines and incomplete.any():
        crosses[incomplete.astype(bool)] = (1 << len(red_lines)) - 1
    if floor is None:
        floor = np.full(frontier.veto_indices.shape[0], NO_RESERVATION)
    return PointSet(
        points=frontier.point_units,
        packages=frontier.packages[first],
        crosses=crosses,
        floor=np.asarray(floor, dtype=np.float64),
    )


@dataclass(frozen=True, eq=False)
class Picks:
    """Per sample: is there an acceptable package, and the point each concept picks (-1: none).

    ``conflict`` (when ``pending`` red lines were given) has the bits of the pending red lines
    that some acceptable point's packages cross: for those samples the picks do not hold, and
    the frontier must be rebuilt with those red lines in force.
    """

    exists: BoolArray
    chosen: dict[str, IndexArray]
    conflict: IntArray


def pick(
    points: PointSet,
    reservation_units: IntArray,
    concepts: Sequence[str] | None = None,
    pending: IntArray | None = None,
) -> Picks:
    """Apply each concept to every row of ``reservation_units`` (``(S, d)``, quantised).

    ``pending[s]``: bits of red lines (as in :attr:`PointSet.crosses`) that hold in sample ``s``
    but were not in force when the frontier was built. If no acceptable point crosses one, they
    change nothing: removing packages that are not acceptable-and-Pareto-optimal leaves the
    acceptable frontier, and every listed package, as it was.
    """
    names = list(CONCEPTS) if concepts is None else list(concepts)
    res = np.asarray(reservation_units, dtype=np.int64)
    n = res.shape[0]
    exists = np.zeros(n, dtype=bool)
    chosen = {name: np.full(n, -1, dtype=np.intp) for name in names}
    conflict = np.zeros(n, dtype=np.int64)
    if pending is None:
        pending = np.zeros(n, dtype=np.int64)
    if points.size == 0 or n == 0:
        return Picks(exists, chosen, conflict)
    pts = points.points
    # Points are sorted by the first veto party's utility, descending: a sample can only accept a
    # prefix of them. Samples with similar prefixes are evaluated together.
    first = -pts[:, 0]
    prefix = np.searchsorted(first, -(res[:, 0] - TOLERANCE_UNITS), side="right")
    order = np.argsort(prefix, kind="stable")
    sorted_prefix = prefix[order]
    start = 0
    while start < n:
        rows = max(1, _BATCH // max(1, int(sorted_prefix[start])))
        # The batch's widest prefix is its last row's (sorted): shrink until it fits.
        while rows > 1 and rows * int(sorted_prefix[min(n, start + rows) - 1]) > _BATCH:
            rows //= 2
        batch = order[start : start + rows]
        width = int(sorted_prefix[min(n, start + rows) - 1])
        if width > 0:
            _pick_batch(
                pts[:width],
                points.crosses[:width],
                res[batch],
                pending[batch],
                batch,
                names,
                Picks(exists, chosen, conflict),
            )
        start += rows
    return Picks(exists, chosen, conflict)


def _pick_batch(
    pts: IntArray,
    crosses: IntArray,
    res: IntArray,
    pending: IntArray,
    rows: IndexArray,
    names: list[str],
    out: Picks,
) -> None:
    # Coordinate by coordinate: numpy reduces a short last axis slowly.
    d = pts.shape[1]
    width = pts.shape[0]
    floor = res - TOLERANCE_UNITS
    ok = pts[None, :, 0] >= floor[:, None, 0]  # (s, p)
    for j in range(1, d):
        ok &= pts[None, :, j] >= floor[:, None, j]
    counts = ok.sum(axis=1)
    if pending.any():
        # A sample whose acceptable points cross a pending red line is solved again later.
        flat = np.flatnonzero(ok)
        if flat.size:
            sample = np.repeat(np.arange(ok.shape[0]), counts)
            nonempty = counts > 0
            starts = (np.cumsum(counts) - counts)[nonempty]
            clash = np.zeros(ok.shape[0], dtype=np.int64)
            marks = crosses[flat - sample * width] & pending[sample]
            clash[nonempty] = np.bitwise_or.reduceat(marks, starts)
            out.conflict[rows] = clash
            if clash.any():
                ok[clash != 0] = False
                counts[clash != 0] = 0
    has = counts > 0
    out.exists[rows] = has
    if not has.any() or not names:
        return
    # Only the acceptable (sample, point) pairs, grouped by sample in point order.
    flat = np.flatnonzero(ok)
    sample = np.repeat(np.arange(ok.shape[0]), counts)
    point = flat - sample * width
    kept = counts[has]
    starts = np.cumsum(kept) - kept
    segment = np.repeat(np.arange(kept.shape[0]), kept)
    # Party-major layout (d, pairs): reductions over parties run in party order.
    gain_units = np.take(np.ascontiguousarray(pts.T), point, axis=1)
    gain_units -= np.take(np.ascontiguousarray(res.T), sample, axis=1)
    np.maximum(gain_units, 0, out=gain_units)
    gains = dequantize(gain_units)
    totals = gain_units[0].copy()
    for j in range(1, d):
        totals += gain_units[j]
    # Each party's best acceptable gain (the ideal point of the Kalai-Smorodinsky solution).
    ideal = np.maximum.reduceat(gains, starts, axis=1)  # (d, samples)
    targets = rows[has]
    # Ties go to the largest total gain, then to the first point in frontier order: one integer
    # key (total gain, then reversed point index) when it fits in 63 bits.
    bits = max(1, int(width).bit_length())
    fits = int(totals.max()) < (1 << (62 - bits))
    key = (totals << bits) | ((1 << bits) - 1 - point) if fits else None
    for name in names:
        spec = CONCEPTS[name]
        if name == "utilitarian":
            # The sum of gains in floating point is within 1e-14 of the exact total, so the tie
            # rule picks the largest exact total.
            tied = None
        else:
            if name in _VECTORISED:
                values = _objective(name, gains, ideal, segment)
            else:
                values = _objective_generic(spec, gains, ideal, starts)
            best = np.maximum.reduceat(values, starts)
            if spec.relative_tolerance:
                threshold = best - TOLERANCE * np.abs(best)
            else:
                threshold = best - TOLERANCE
            tied = values >= threshold[segment]
        if key is not None:
            score = key if tied is None else np.where(tied, key, -1)
            top = np.maximum.reduceat(score, starts)
            out.chosen[name][targets] = (1 << bits) - 1 - (top & ((1 << bits) - 1))
            continue
        score = totals if tied is None else np.where(tied, totals, np.iinfo(np.int64).min)
        top = np.maximum.reduceat(score, starts)
        position = np.arange(point.shape[0])
        at_top = np.where(score == top[segment], position, position.shape[0])
        first = np.minimum.reduceat(at_top, starts)
        out.chosen[name][targets] = point[first]


def _objective(name: str, gains: FloatArray, ideal: FloatArray, segment: IndexArray) -> FloatArray:
    """The registered concepts' objectives on party-major gains ``(d, pairs)``; ``ideal`` is each
    sample's best gains ``(d, samples)``. Parties are combined in order, as the core does."""
    d = gains.shape[0]
    if name == "kalai_smorodinsky":
        # Parties whose best gain is 0 are left out: NaN ratios, which fmin skips.
        scale = np.take(np.where(ideal > TOLERANCE, ideal, np.nan), segment, axis=1)
        ratio = np.fmin.reduce(gains / scale, axis=0)
        return np.asarray(np.where(np.isnan(ratio), 1.0, ratio))
    out: FloatArray = np.array(gains[0], copy=True)
    for j in range(1, d):
        if name == "nash":
            out *= gains[j]
        elif name == "egalitarian":
            np.minimum(out, gains[j], out=out)
        else:
            out += gains[j]
    return out


def _objective_generic(
    spec: SolutionConcept, gains: FloatArray, ideal: FloatArray, starts: IndexArray
) -> FloatArray:
    """Any other registered concept: its objective function, one sample at a time."""
    values = np.empty(gains.shape[1])
    ends = np.r_[starts[1:], gains.shape[1]]
    for j, (a, b) in enumerate(zip(starts, ends, strict=True)):
        values[a:b] = spec.function(np.ascontiguousarray(gains[:, a:b].T), ideal[:, j])
    return values
