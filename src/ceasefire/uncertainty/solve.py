"""Solve every sample exactly: is there a ZOPA, and which package does each concept pick.

Two ways, chosen once per run from the kinds of uncertain inputs (never from how samples are
grouped, so that results do not depend on the grouping):

- *Shared frontiers*, when the veto parties' weights and values are fixed or drawn from ``choice``
  distributions: samples with the same utility table share one red-line-respecting Pareto
  frontier, which each sample filters at its reservation values (:mod:`ceasefire.uncertainty.
  picks`). Frontiers are cut at floors a fixed number of points below the point reservation
  values, so that they stay small. Red lines that hold in some samples only are brought in
  lazily: a sample's picks stand if none of its acceptable frontier points crosses a red line
  that holds in it; otherwise the frontier is rebuilt with the red lines that matter in force.
- *One frontier per sample*, when weights or values vary continuously: each sample builds the
  part of its acceptable frontier where each concept's pick and each party's best utility can lie,
  bounded by the packages picked in earlier samples, and solves each concept there by the core's
  rules (:mod:`ceasefire.uncertainty.candidates`: the same picks as the whole frontier).

The shared way also returns what is needed to test any other package against every sample
without drawing the samples again (:class:`SharedRecords`).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem, quantize, solve
from ceasefire.bargaining.effective import EffectiveProblem
from ceasefire.bargaining.problem import TOLERANCE_UNITS
from ceasefire.uncertainty.candidates import Pool, solve_sample
from ceasefire.uncertainty.commitment import SampleCommitment, sample_commitment
from ceasefire.uncertainty.inputs import InputSpace
from ceasefire.uncertainty.picks import PointSet, RedLineOptions, pick, point_set, point_set_of
from ceasefire.uncertainty.sampling import Draws, point_reservation

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

FLOOR_STEP = 40.0
"""Shared frontiers are cut at floors a multiple of this many points below the point reservation
values (a speed setting: fewer, larger frontiers or more, smaller ones; results do not depend on
it)."""

FLOOR_MARGIN = 1e-6
"""Floors sit this far below their tier, so that a reservation value on a tier is above it."""

_CACHE_BYTES = 256 * 2**20


def floor_depth(reference: FloatArray, lowest: FloatArray) -> FloatArray:
    """For each row of ``lowest`` ``(S, d)``: how far below ``reference`` its frontier's floor
    lies, the smallest multiple of ``FLOOR_STEP`` that reaches every entry."""
    deficit = np.maximum((reference[None, :] - lowest).max(axis=1), 0.0)
    return np.asarray(FLOOR_STEP * np.ceil(deficit / FLOOR_STEP))


class _FrontierCache:
    """Frontiers by problem, per worker process: a cache, results are the same without it."""

    def __init__(self) -> None:
        self._items: OrderedDict[bytes, PointSet] = OrderedDict()
        self._bytes = 0

    def get(
        self,
        problem: BargainingProblem,
        red_lines: Sequence[RedLineOptions],
        floor: FloatArray,
        commitment: SampleCommitment | None = None,
    ) -> PointSet:
        """The frontier of ``problem``'s acceptable packages at reservation values ``floor``: on
        effective utilities when ``commitment`` is given (:mod:`ceasefire.uncertainty.
        commitment`), else on nominal ones."""
        digest = hashlib.blake2b(digest_size=16)
        for table, banned in zip(problem.quantized, problem.forbidden, strict=True):
            digest.update(table.tobytes())
            digest.update(banned.tobytes())
        for k, crossed in red_lines:
            digest.update(str(k).encode())
            digest.update(crossed.tobytes())
        digest.update(np.asarray(floor, dtype=np.float64).tobytes())
        if commitment is not None:
            digest.update(commitment.digest())
        key = digest.digest()
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        if commitment is None:
            result = point_set(problem, red_lines, floor=floor)
        else:
            # The exact frontier, as point_set: a point eps-dominated at the floor may be the
            # best acceptable one at a sample's higher reservation values.
            effective = commitment.effective(problem).with_reservation(floor)
            frontier = effective.frontier(acceptable_only=True, eps_filter=False)
            result = point_set_of(frontier, red_lines, np.asarray(floor))
        self._items[key] = result
        self._bytes += _size(result)
        while self._bytes > _CACHE_BYTES and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self._bytes -= _size(old)
        return result


def _size(points: PointSet) -> int:
    return int(points.points.nbytes + points.packages.nbytes + points.crosses.nbytes)


frontier_cache = _FrontierCache()
"""Frontiers by problem and floor, per worker process."""


def sample_frontier(
    space: InputSpace,
    problem: BargainingProblem,
    red_lines: Sequence[RedLineOptions],
    floor: FloatArray,
) -> PointSet:
    """A sample's frontier cut at ``floor``, as ``analyze`` values packages: on effective
    utilities with a ``commitment:`` section (:mod:`ceasefire.uncertainty.commitment`)."""
    return frontier_cache.get(problem, red_lines, floor, sample_commitment(space))


@dataclass(frozen=True, eq=False)
class SharedRecords:
    """What the shared way keeps of each sample: its utility table, reservation values and the
    lazily handled red lines that hold in it."""

    tables: tuple[tuple[bytes, FloatArray, BoolArray], ...]
    """Distinct tables: (key, ``(n_options_total, d)`` exact units, options always excluded)."""
    table: IndexArray
    """``(S,)`` each sample's table."""
    reservation_units: IntArray
    """``(S, d)``."""
    holds: IntArray
    """``(S,)`` bits of the lazy red lines that hold."""


@dataclass(frozen=True, eq=False)
class SampleOutcomes:
    """Per sample: is there a ZOPA, and the package each concept picks (rows of -1: none)."""

    exists: BoolArray
    chosen: dict[str, IndexArray]
    records: SharedRecords | None = None


def lazy_red_lines(space: InputSpace) -> list[tuple[int, int, BoolArray]]:
    """The red lines the shared way handles lazily: those that hold in some samples only."""
    uncertain = [
        (column, k, crossed)
        for column, k, crossed in space.red_lines
        if space.inputs[column].uncertain
    ]
    return uncertain if len(uncertain) <= 62 else []


def solve_samples(
    space: InputSpace,
    draws: Draws,
    concepts: Sequence[str],
    theta: FloatArray,
    exact_frontier: Callable[[BargainingProblem, Sequence[str]], dict[str, IndexArray] | None]
    | None = None,
) -> SampleOutcomes:
    """Solve every sample of ``draws`` exactly (``theta``: its input values).

    With continuous preference uncertainty each sample is solved inside the regions where its
    picks can lie (:mod:`ceasefire.uncertainty.candidates`); ``exact_frontier`` (e.g.
    :func:`~ceasefire.uncertainty.candidates.whole_frontier`) replaces that by another exact
    solver, for tests.
    """
    if space.discrete_preferences:
        return _solve_shared(space, draws, concepts, theta)
    commitment = sample_commitment(space)
    n = draws.size
    exists = np.zeros(n, dtype=bool)
    chosen = {c: np.full((n, len(space.issues)), -1, dtype=np.intp) for c in concepts}
    pool = Pool()
    for s in range(n):
        problem = draws.problem(space, s)
        if commitment is not None:
            picked = whole_effective_frontier(commitment.effective(problem), concepts)
        elif surely_empty(problem):
            continue
        elif exact_frontier is None:
            picked = solve_sample(problem, concepts, pool)
        else:
            picked = exact_frontier(problem, concepts)
        if picked is None:
            continue
        exists[s] = True
        for c in concepts:
            chosen[c][s] = picked[c]
    return SampleOutcomes(exists, chosen)


def _solve_shared(
    space: InputSpace, draws: Draws, concepts: Sequence[str], theta: FloatArray
) -> SampleOutcomes:
    n = draws.size
    exists = np.zeros(n, dtype=bool)
    chosen = {c: np.full((n, len(space.issues)), -1, dtype=np.intp) for c in concepts}
    lazy = lazy_red_lines(space)
    lazy_columns = {column for column, _, _ in lazy}
    base_columns = [c for c in space.preference_columns if c not in lazy_columns]
    holds = np.zeros(n, dtype=np.int64)
    for b, (column, _, _) in enumerate(lazy):
        holds |= (theta[:, column] >= 0.5).astype(np.int64) << b
    red_lines = [(k, crossed) for _, k, crossed in lazy]
    offsets = space.offsets
    res_units = draws.reservation_units()

    # Only uncertain columns tell tables apart.
    varying = [c for c in base_columns if space.inputs[c].uncertain]
    table_keys = theta[:, varying] if varying else np.zeros((n, 1))
    _, table_first, table_of = np.unique(table_keys, axis=0, return_index=True, return_inverse=True)
    table_of = table_of.ravel()
    bases = []
    tables = []
    for s0 in table_first:
        # Options excluded by the red lines that are not handled lazily (the same in the group).
        base_forbidden = np.zeros(space.n_options, dtype=bool)
        for column, k, crossed in space.red_lines:
            if column not in lazy_columns and theta[s0, column] >= 0.5:
                base_forbidden[offsets[k] + np.flatnonzero(crossed)] = True
        problem = _with_forbidden(draws.problem(space, int(s0)), base_forbidden, offsets)
        bases.append((problem, base_forbidden))
        units = quantize(np.concatenate([c[s0] for c in draws.contributions], axis=0))
        digest = hashlib.blake2b(units.tobytes() + base_forbidden.tobytes(), digest_size=16)
        tables.append((digest.digest(), units.astype(np.float64), base_forbidden))

    # Frontiers are cut at a floor below the samples' reservation values, on tiers below the point
    # reservation values that depend only on the sample, not on how samples are grouped.
    reference = point_reservation(space)
    tier = floor_depth(reference, draws.reservation)
    _, group_first, group_of = np.unique(
        np.column_stack([table_of, tier]), axis=0, return_index=True, return_inverse=True
    )
    group_of = group_of.ravel()
    for g, s0 in enumerate(group_first):
        rows = np.flatnonzero(group_of == g)
        base, base_forbidden = bases[table_of[s0]]
        floor = reference - tier[s0] - FLOOR_MARGIN
        in_force = np.zeros(rows.shape[0], dtype=np.int64)
        todo = np.arange(rows.shape[0])
        while todo.size:
            unresolved = []
            for bits in np.unique(in_force[todo]):
                sub = todo[in_force[todo] == bits]
                forbidden = base_forbidden.copy()
                for b, (k, crossed) in enumerate(red_lines):
                    if (int(bits) >> b) & 1:
                        forbidden[offsets[k] + np.flatnonzero(crossed)] = True
                points = sample_frontier(
                    space, _with_forbidden(base, forbidden, offsets), red_lines, floor
                )
                sample_rows = rows[sub]
                picks = pick(points, res_units[sample_rows], concepts, holds[sample_rows] & ~bits)
                done = picks.conflict == 0
                exists[sample_rows[done]] = picks.exists[done]
                for c in concepts:
                    ok = done & (picks.chosen[c] >= 0)
                    chosen[c][sample_rows[ok]] = points.packages[picks.chosen[c][ok]]
                in_force[sub[~done]] |= picks.conflict[~done]
                unresolved.append(sub[~done])
            todo = np.concatenate(unresolved)
    records = SharedRecords(tuple(tables), table_of.astype(np.intp), res_units, holds)
    return SampleOutcomes(exists, chosen, records)


def _with_forbidden(
    problem: BargainingProblem, forbidden: BoolArray, offsets: IndexArray
) -> BargainingProblem:
    return BargainingProblem(
        parties=problem.parties,
        veto=problem.veto,
        issues=problem.issues,
        options=problem.options,
        contributions=problem.contributions,
        forbidden=tuple(forbidden[offsets[k] : offsets[k + 1]] for k in range(len(problem.issues))),
        reservation=problem.reservation,
    )


def whole_effective_frontier(
    effective: EffectiveProblem, concepts: Sequence[str]
) -> dict[str, IndexArray] | None:
    """Each concept's package from a sample's whole effective frontier, as ``analyze`` solves
    (None without a zone). The exact effective frontier is merged from the groups' mapped
    frontiers (:meth:`~ceasefire.bargaining.effective.EffectiveProblem.frontier`); no region
    narrows it down."""
    zopa = effective.zopa()
    if not zopa.exists:
        return None
    out = {}
    for c in concepts:
        package = solve(effective.problem, c, zopa=zopa).package
        assert package is not None
        out[c] = package
    return out


def surely_empty(problem: BargainingProblem) -> bool:
    """A quick proof that no package is acceptable: some party's best red-line-respecting package
    falls short of its reservation value."""
    best = np.zeros(problem.n_parties, dtype=np.int64)
    for table, banned in zip(problem.quantized, problem.forbidden, strict=True):
        if banned.all():
            return True
        best += table[~banned].max(axis=0)
    return bool((best < problem.reservation_units - TOLERANCE_UNITS).any())


def onehot(space: InputSpace, packages: IndexArray) -> FloatArray:
    """``(P, n_options_total)``: 1 where a package uses an option."""
    out = np.zeros((packages.shape[0], space.n_options))
    offsets = space.offsets
    rows = np.arange(packages.shape[0])
    for k in range(packages.shape[1]):
        out[rows, offsets[k] + packages[:, k]] = 1.0
    return out


def count_acceptable(draws: Draws, space: InputSpace, packages: IndexArray) -> IntArray:
    """For each package ``(P, K)``, in how many samples of ``draws`` it is acceptable."""
    if packages.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    indicator = onehot(space, packages)
    units = draws.units()  # (S, O, d) exact integers in float64
    s, o, d = units.shape
    # Exact: products with 0/1 and sums of integers below 2**53, in any order.
    utilities = (indicator @ units.transpose(1, 0, 2).reshape(o, s * d)).reshape(-1, s, d)
    commitment = sample_commitment(space)
    if commitment is None:
        floor = (draws.reservation_units() - TOLERANCE_UNITS).astype(np.float64)
        ok = utilities[:, :, 0] >= floor[None, :, 0]
        for j in range(1, d):
            ok &= utilities[:, :, j] >= floor[None, :, j]
    else:
        group = commitment.group_of(packages, [len(o) for o in space.options])
        floor_units = draws.reservation_units() - TOLERANCE_UNITS
        accepted = commitment.accepts(np.rint(utilities).astype(np.int64), group, floor_units)
        ok = np.asarray(accepted.all(axis=2))
    ok &= (indicator @ draws.forbidden.T.astype(np.float64)) == 0
    return np.asarray(ok.sum(axis=1), dtype=np.int64)


def count_acceptable_shared(
    space: InputSpace,
    tables: Sequence[tuple[FloatArray, BoolArray]],
    table: IndexArray,
    reservation_units: IntArray,
    holds: IntArray,
    packages: IndexArray,
    chunk: int = 1 << 14,
) -> IntArray:
    """The same count from shared records: each sample's table, reservation values and lazy red
    lines that hold (no need to draw the samples again)."""
    counts = np.zeros(packages.shape[0], dtype=np.int64)
    if packages.shape[0] == 0:
        return counts
    indicator = onehot(space, packages)
    bits = np.zeros(packages.shape[0], dtype=np.int64)
    for b, (_, k, crossed) in enumerate(lazy_red_lines(space)):
        bits |= crossed[packages[:, k]].astype(np.int64) << b
    floor = reservation_units - TOLERANCE_UNITS
    commitment = sample_commitment(space)
    group = (
        None
        if commitment is None
        else commitment.group_of(packages, [len(o) for o in space.options])
    )
    for t, (units, forbidden) in enumerate(tables):
        utilities = np.rint(indicator @ units).astype(np.int64)  # (P, d), exact
        allowed = (indicator @ forbidden.astype(np.float64)) == 0
        if group is not None and commitment is not None:
            # The same for every sample of the table: p and V are at their point values.
            utilities, enforced_by = commitment.judge(utilities, group)
            allowed &= enforced_by.all(axis=1)
        rows = np.flatnonzero(table == t)
        for a in range(0, rows.shape[0], chunk):
            part = rows[a : a + chunk]
            ok = utilities[:, None, 0] >= floor[None, part, 0]
            for j in range(1, utilities.shape[1]):
                ok &= utilities[:, None, j] >= floor[None, part, j]
            ok &= (bits[:, None] & holds[None, part]) == 0
            ok &= allowed[:, None]
            counts += ok.sum(axis=1)
    return counts
