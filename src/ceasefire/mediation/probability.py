"""How likely each offer is to open a zone of agreement when the inputs are uncertain.

Samples are drawn exactly as ``ceasefire robust`` draws them (:mod:`ceasefire.uncertainty.
sampling`, the same seed gives the same samples), and every sample is decided exactly: a sample
has a zone of agreement with offer ``a`` when a point of its red-line-respecting Pareto frontier
reaches ``r_s - G(a)``. Samples that share a utility table share a frontier, cut at a floor that
depends only on the sample (so results do not depend on how samples are grouped). With a
``commitment:`` section the frontier is that of effective utilities, self-enforcing packages only
when deals must be, as ``analyze`` and the point-value offers of ``mediate`` judge them
(:mod:`ceasefire.uncertainty.commitment`: each sample's utilities and values of no deal, the
chance a deal holds and the renewed war's values at ``analyze``'s point values); a payment at
signing lowers the reservation values the frontier must reach, as in
:mod:`ceasefire.mediation.bargain`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import quantize
from ceasefire.executor import Executor, SerialExecutor
from ceasefire.mediation.offers import OfferSpace
from ceasefire.uncertainty.commitment import sample_commitment
from ceasefire.uncertainty.inputs import InputSpace
from ceasefire.uncertainty.picks import pick
from ceasefire.uncertainty.sampling import (
    BLOCK_SIZE,
    Block,
    blocks,
    draw_block,
    group,
    point_reservation,
    realise,
)
from ceasefire.uncertainty.solve import FLOOR_MARGIN, floor_depth, sample_frontier

IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Task:
    space: InputSpace
    gains: FloatArray  # (N, d)
    floor_gain: FloatArray  # (d,) the largest gains of any offer


def _counts(task: Task, chunk: list[Block]) -> IntArray:
    """In how many samples of ``chunk`` each offer has a zone of agreement."""
    space = task.space
    counts = np.zeros(task.gains.shape[0], dtype=np.int64)
    reference = point_reservation(space) - np.maximum(task.floor_gain, 0.0)
    for block in chunk:
        theta, war = draw_block(space, block)
        draws = realise(space, theta, war)
        lowest = draws.reservation - np.maximum(task.floor_gain, 0.0)[None, :]
        tier = floor_depth(reference, lowest)
        columns = space.preference_columns
        keys = np.column_stack([theta[:, columns], tier]) if columns.size else tier[:, None]
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        for g, s0 in enumerate(first):
            rows = np.flatnonzero(inverse == g)
            floor = reference - tier[s0] - FLOOR_MARGIN
            points = sample_frontier(space, draws.problem(space, int(s0)), (), floor)
            shifted = draws.reservation[rows][:, None, :] - task.gains[None, :, :]
            queries = quantize(shifted.reshape(-1, shifted.shape[2]))
            exists = pick(points, queries, []).exists.reshape(rows.shape[0], -1)
            counts += exists.sum(axis=0)
    return counts


def zopa_counts(
    space: InputSpace,
    offers: OfferSpace,
    chosen: IndexArray,
    samples: int,
    seed: int,
    *,
    executor: Executor | None = None,
    block_size: int = BLOCK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> IntArray:
    """For each offer (rows of ``chosen``), in how many of ``samples`` samples a zone of agreement
    exists."""
    executor = executor or SerialExecutor()
    point_reservation(space)  # once, here: they travel with the space to the workers
    sample_commitment(space)
    task = Task(space, offers.gain(chosen), offers.max_gain)
    groups = group(blocks(samples, seed, block_size), max(1, executor.workers) * 4)
    parts = executor.map(partial(_counts, task), groups, progress)
    total: IntArray = np.sum(parts, axis=0).astype(np.int64)
    return total


def first_reaching(
    space: InputSpace,
    offers: OfferSpace,
    ordered: IndexArray,
    target: float,
    samples: int,
    seed: int,
    *,
    executor: Executor | None = None,
    batch: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int, int] | None:
    """The first offer of ``ordered`` (rows of offers, e.g. by cost) whose probability of a zone
    of agreement reaches ``target``: (its row, its count, offers evaluated), or None."""
    for start in range(0, ordered.shape[0], batch):
        rows = ordered[start : start + batch]
        counts = zopa_counts(space, offers, rows, samples, seed, executor=executor)
        hit = np.flatnonzero(counts >= target * samples - 1e-9)
        if progress is not None:
            progress(min(start + batch, ordered.shape[0]), ordered.shape[0])
        if hit.size:
            j = int(hit[0])
            return start + j, int(counts[j]), start + j + 1
    return None


def most_probable(
    space: InputSpace,
    offers: OfferSpace,
    ordered: IndexArray,
    samples: int,
    seed: int,
    *,
    executor: Executor | None = None,
    batch: int = 256,
) -> tuple[int, int]:
    """The offer of ``ordered`` with the most samples with a zone of agreement (the first in
    order among equals): (its row, its count)."""
    best_row, best_count = 0, -1
    for start in range(0, ordered.shape[0], batch):
        counts = zopa_counts(
            space, offers, ordered[start : start + batch], samples, seed, executor=executor
        )
        j = int(np.argmax(counts))
        if counts[j] > best_count:
            best_row, best_count = start + j, int(counts[j])
    return best_row, best_count


__all__ = ["first_reaching", "most_probable", "zopa_counts"]
