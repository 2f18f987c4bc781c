"""Draw uncertain inputs and turn input values into per-sample utility tables.

Sampling is by blocks of :data:`BLOCK_SIZE` samples. Block ``b`` draws its numbers from
``default_rng(SeedSequence(seed).spawn(n_blocks)[b])``: one uniform number per uncertain input
and sample, turned into a value by the input's quantile function. A block's draws therefore depend
only on the seed and the block's index, never on how blocks are grouped into tasks or on which
worker runs them, so any executor and any number of workers give the same samples.

:func:`realise` turns a matrix of input values (one row per sample) into the arrays of the
bargaining analysis: each issue's contribution table ``w_ik * v_ik(o)`` per sample, the
reservation values and the options excluded by red lines. Drawn weights of a party are clipped at 0
and renormalised to sum to 1; drawn values and reservation values are clipped to 0..100. A row
equal to the point values gives the static analysis' numbers bit for bit. With a ``war:`` section
the reservation values are the war model's month-0 values of no deal, drawn by the war model from
the same seed (its own streams) for the same sample numbers. With a ``commitment:`` section every
doubtful clause counts at its expected value in each sample's tables, as in ``analyze``
(:mod:`ceasefire.uncertainty.commitment`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem, quantize
from ceasefire.uncertainty.commitment import comply
from ceasefire.uncertainty.inputs import InputSpace, interp_rows

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

BLOCK_SIZE = 4096
"""Samples per block: the unit of seeding (changing it changes the samples drawn)."""


PREFERENCE_STREAM = 1
"""First spawn key of the preference streams, ``SeedSequence(seed, spawn_key=(1, block))``: apart
from the war model's streams, ``(block,)``, so that the two never share random numbers."""


@dataclass(frozen=True)
class Block:
    """One block of samples: its index, size, the run's seed, and its first sample."""

    index: int
    size: int
    seed: int
    block_size: int = BLOCK_SIZE

    @property
    def first_sample(self) -> int:
        return self.index * self.block_size

    @property
    def stream(self) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.seed, spawn_key=(PREFERENCE_STREAM, self.index))


def blocks(samples: int, seed: int, block_size: int = BLOCK_SIZE) -> list[Block]:
    """The blocks of a run of ``samples`` samples from ``seed``."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    count = -(-samples // block_size)
    return [
        Block(b, min(block_size, samples - b * block_size), seed, block_size) for b in range(count)
    ]


def group(items: list[Block], tasks: int) -> list[list[Block]]:
    """Consecutive blocks in at most ``tasks`` groups of nearly equal size."""
    tasks = max(1, min(tasks, len(items)))
    bounds = np.linspace(0, len(items), tasks + 1).round().astype(int)
    return [items[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def draw(space: InputSpace, block: Block) -> FloatArray:
    """Input values of one block, ``(block.size, n_inputs)``: point values for point inputs."""
    rng = np.random.default_rng(block.stream)
    theta = np.tile(space.point, (block.size, 1))
    # One uniform number per input, uncertain or not: making an input uncertain (or changing a
    # probability) leaves every other input's draws as they were (common random numbers).
    u = rng.random((block.size, space.n_inputs))
    for column in space.uncertain_columns:
        theta[:, column] = space.inputs[column].ppf(u[:, column])
    return theta


@dataclass(frozen=True, eq=False)
class Draws:
    """The bargaining arrays of a batch of samples (veto parties only, in scenario order)."""

    contributions: tuple[FloatArray, ...]
    """Per issue, ``(S, n_options, d)``: ``w_ik * v_ik(o)`` in utility points."""
    reservation: FloatArray
    """``(S, d)`` reservation values."""
    forbidden: BoolArray
    """``(S, n_options_total)``: options excluded by a red line that holds in the sample."""

    @property
    def size(self) -> int:
        return int(self.reservation.shape[0])

    def units(self) -> FloatArray:
        """``(S, n_options_total, d)`` contributions in quantised units, as exact float64 integers
        (so that sums are exact in any order, also in matrix products)."""
        table = np.concatenate(self.contributions, axis=1)
        return quantize(table).astype(np.float64)

    def reservation_units(self) -> IntArray:
        return quantize(self.reservation)

    def problem(self, space: InputSpace, s: int) -> BargainingProblem:
        """The bargaining problem of sample ``s`` (veto parties only)."""
        offsets = space.offsets
        return BargainingProblem(
            parties=space.parties,
            veto=(True,) * len(space.parties),
            issues=space.issues,
            options=space.options,
            contributions=tuple(c[s] for c in self.contributions),
            forbidden=tuple(
                self.forbidden[s, offsets[k] : offsets[k + 1]] for k in range(len(space.issues))
            ),
            reservation=self.reservation[s],
        )


def war_reservation(
    space: InputSpace, samples: int, seed: int, first_sample: int
) -> FloatArray | None:
    """``(samples, d)`` the veto parties' month-0 values of no deal from the war model, for war
    samples ``first_sample ..`` of ``seed`` (None without a war model)."""
    if not space.war:
        return None
    from ceasefire.war import reservation_values

    assert space.scenario is not None
    result = reservation_values(
        space.scenario, samples=samples, seed=seed, months=1, first_sample=first_sample
    )
    columns = [result.parties.index(p) for p in space.parties]
    return np.ascontiguousarray(result.values[0][columns].T)


def point_reservation(space: InputSpace) -> FloatArray:
    """The veto parties' reservation values at the point values; with a war model, the medians of
    the month-0 values of no deal over ``space.war_samples`` war samples from ``space.seed``
    (computed once per space, kept with it)."""
    if "point_reservation" not in space.memo:
        war = war_reservation(space, space.war_samples, space.seed, first_sample=0)
        if war is not None:
            war = np.median(war, axis=0, keepdims=True)
        reservation = np.asarray(realise(space, space.point[None, :], war).reservation[0])
        reservation.flags.writeable = False
        space.memo["point_reservation"] = reservation
    result: FloatArray = space.memo["point_reservation"]
    return result


def draw_block(space: InputSpace, block: Block) -> tuple[FloatArray, FloatArray | None]:
    """Input values of one block and, with a war model, its reservation values."""
    war = war_reservation(space, block.size, block.seed, block.first_sample)
    return draw(space, block), war


def realise(
    space: InputSpace, theta: FloatArray, war_reservation: FloatArray | None = None
) -> Draws:
    """The bargaining arrays for input values ``theta`` ``(S, n_inputs)``; with a war model the
    reservation values ``(S, d)`` must be given."""
    theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
    s = theta.shape[0]
    ext = np.hstack([theta, np.zeros((s, 1))])
    point = np.append(space.point, 0.0)
    d = len(space.parties)
    n_issues = len(space.issues)

    weights = ext[:, space.weight_columns]  # (S, d, K)
    point_weights = point[space.weight_columns]  # (d, K)
    for i in range(d):
        drawn = weights[:, i, :]
        changed = (drawn != point_weights[i]).any(axis=1)
        if changed.any():
            clipped = np.maximum(drawn[changed], 0.0)
            total = np.zeros(clipped.shape[0])
            for k in range(n_issues):
                total += clipped[:, k]
            safe = np.where(total > 0, total, 1.0)
            weights[changed, i, :] = clipped / safe[:, None]

    contributions = []
    status_quo = np.zeros((s, d))
    for k in range(n_issues):
        table = np.empty((s, len(space.options[k]), d))
        for i in range(d):
            vf = space.values[k][i]
            ys = np.clip(ext[:, vf.columns], 0.0, 100.0)
            if vf.xs is None:
                values = ys
                at_status_quo = ys[:, int(vf.status_quo)]
            else:
                values = interp_rows(vf.at, vf.xs, ys)
                at_status_quo = interp_rows(np.array([vf.status_quo]), vf.xs, ys)[:, 0]
            w = weights[:, i, k]
            table[:, :, i] = w[:, None] * values
            status_quo[:, i] += w * at_status_quo
        contributions.append(table)

    if space.war:
        if war_reservation is None:
            raise ValueError("this scenario's reservation values come from its war model")
        reservation = np.asarray(war_reservation, dtype=np.float64).reshape(s, d)
    else:
        drawn = ext[:, space.reservation_column]
        explicit = np.clip(drawn, 0.0, 100.0)
        reservation = np.where(space.reservation_is_cost[None, :], status_quo - drawn, explicit)

    offsets = space.offsets
    forbidden = np.zeros((s, space.n_options), dtype=bool)
    for column, k, crossed in space.red_lines:
        holds = ext[:, column] >= 0.5
        positions = offsets[k] + np.flatnonzero(crossed)
        forbidden[:, positions] |= holds[:, None]
    return Draws(comply(space, tuple(contributions)), reservation, forbidden)
