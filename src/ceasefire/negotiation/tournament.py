"""Tournaments: every assignment of strategies to the veto parties, several runs each.

A tournament plays every way of giving each party with a veto one of the strategies (``s**v``
assignments for ``s`` strategies and ``v`` veto parties; the other parties keep one strategy),
``runs`` times each, in the manner of Axelrod's computer tournaments [Axelrod1984] and the ANAC
competitions [Baarslag2012]. With a war model, run ``r`` follows war path ``r`` for every
assignment (common random numbers: assignments are compared on the same wars). Without one,
and when every strategy is deterministic, the runs of an assignment are identical and are played
once.

Seeds: run ``r`` follows war path ``r`` and gives the strategies the generators of
:func:`~ceasefire.negotiation.talks.strategy_seed` ``(seed, r)``, so the results do not depend on
the number of worker processes or on the order of the work.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.problem import FloatArray
from ceasefire.negotiation.session import DEFAULT_ROUNDS, negotiate
from ceasefire.negotiation.strategy import DEFAULT_STRATEGY, make_strategy
from ceasefire.negotiation.table import Clock, FixedClock, Table, WarClock
from ceasefire.negotiation.talks import strategy_seed
from ceasefire.provenance import Provenance

MAX_ASSIGNMENTS = 100_000


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs to play some assignments (picklable)."""

    table: Table
    strategies: tuple[str, ...]
    others: str
    protocol: str
    rounds: int
    seed: int | None
    paths: FloatArray | None
    nash: FloatArray | None
    revision: str


@dataclass(frozen=True)
class _Outcome:
    agreed: npt.NDArray[np.bool_]  # (runs,)
    round: npt.NDArray[np.int64]  # (runs,)
    gains: FloatArray  # (runs, n_parties)
    distance: FloatArray  # (runs,), NaN without agreement


def _play(job: _Job, assignment: tuple[int, ...], runs: int) -> _Outcome:
    table = job.table
    veto = [int(i) for i in table.problem.veto_indices]
    specs = [job.others] * table.n_parties
    for party, s in zip(veto, assignment, strict=True):
        specs[party] = job.strategies[s]
    deterministic = all(type(make_strategy(s)).deterministic for s in set(specs))
    played = 1 if (job.paths is None and deterministic) else runs
    agreed = np.zeros(runs, dtype=bool)
    rounds = np.zeros(runs, dtype=np.int64)
    gains = np.zeros((runs, table.n_parties))
    distance = np.full(runs, np.nan)
    for run in range(played):
        clock: Clock
        if job.paths is None:
            clock = FixedClock(table.problem.reservation, table.discount)
        else:
            clock = WarClock(job.paths[run])
        result = negotiate(
            table,
            [make_strategy(s) for s in specs],
            protocol=job.protocol,
            rounds=job.rounds,
            clock=clock,
            seed=strategy_seed(job.seed, run),
            revision=job.revision,
            nash=job.nash if job.nash is not None else False,
        )
        agreed[run] = result.agreement is not None
        rounds[run] = result.round_reached
        gains[run] = result.gains
        d = result.distance_to_nash
        distance[run] = np.nan if d is None else d
    if played < runs:
        agreed[played:] = agreed[0]
        rounds[played:] = rounds[0]
        gains[played:] = gains[0]
        distance[played:] = distance[0]
    return _Outcome(agreed, rounds, gains, distance)


_WORKER_JOB: _Job | None = None


def _init_worker(job: _Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _play_chunk(chunk: list[tuple[int, ...]], runs: int) -> list[_Outcome]:
    assert _WORKER_JOB is not None
    return [_play(_WORKER_JOB, a, runs) for a in chunk]


@dataclass(frozen=True, eq=False)
class TournamentResult:
    """Outcomes of every assignment and run, with summaries by assignment and by strategy."""

    table: Table
    strategies: tuple[str, ...]
    others: str
    protocol: str
    rounds: int
    runs: int
    war: bool
    assignments: tuple[tuple[int, ...], ...]
    """Per assignment, the index of each veto party's strategy (veto parties in party order)."""
    agreed: npt.NDArray[np.bool_]
    """``(assignments, runs)``"""
    round: npt.NDArray[np.int64]
    gains: FloatArray
    """``(assignments, runs, parties)``: value of the agreement minus reservation (0 on breakdown)."""
    distance: FloatArray
    """``(assignments, runs)``: distance to the Nash package (NaN without agreement)."""
    provenance: Provenance | None = None
    seed: int | None = None
    """The tournament's seed, which also seeds the bootstrap of its intervals."""

    @property
    def veto_parties(self) -> tuple[str, ...]:
        return tuple(self.table.parties[i] for i in self.table.problem.veto_indices)

    def assignment_rows(self) -> list[dict[str, Any]]:
        """One row per assignment: who played what, agreement rate, mean rounds, gains, distance."""
        rows = []
        veto = self.table.problem.veto_indices
        for a, assignment in enumerate(self.assignments):
            agreed = self.agreed[a]
            rows.append(
                {
                    "assignment": {
                        p: self.strategies[s]
                        for p, s in zip(self.veto_parties, assignment, strict=True)
                    },
                    "agreement_rate": float(agreed.mean()),
                    "mean_rounds": _mean(self.round[a][agreed]),
                    "mean_gains": {self.table.parties[i]: _mean(self.gains[a, :, i]) for i in veto},
                    "mean_distance_to_nash": _mean(self.distance[a][agreed]),
                }
            )
        return rows

    def ranking(self) -> list[dict[str, Any]]:
        """Strategies ranked by the mean gain of the veto parties that played them (breakdowns
        count as no gain), then by agreement rate; with 95% intervals for both.

        The negotiations of one run share its war path and its strategies' seeds across every
        assignment, so they are not independent: the intervals come from a cluster bootstrap
        that resamples whole runs (:func:`cluster_interval`); with one run there is none."""
        veto = self.table.problem.veto_indices
        draws = bootstrap_draws(self.runs, self.seed)
        table: list[dict[str, Any]] = []
        for s, name in enumerate(self.strategies):
            gains: list[FloatArray] = []
            agreed: list[npt.NDArray[np.bool_]] = []
            rounds: list[npt.NDArray[np.int64]] = []
            distance: list[FloatArray] = []
            for a, assignment in enumerate(self.assignments):
                for slot, chosen in enumerate(assignment):
                    if chosen != s:
                        continue
                    gains.append(self.gains[a, :, veto[slot]])
                    agreed.append(self.agreed[a])
                    rounds.append(self.round[a][self.agreed[a]])
                    distance.append(self.distance[a][self.agreed[a]])
            by_run_gains = np.array(gains)  # (negotiations per run, runs)
            by_run_agreed = np.array(agreed)
            all_agreed = np.concatenate(agreed)
            all_gains = np.concatenate(gains)
            table.append(
                {
                    "strategy": name,
                    "mean_gain": _mean(all_gains),
                    "mean_gain_ci": cluster_interval(by_run_gains, draws),
                    "agreement_rate": float(all_agreed.mean()),
                    "agreement_rate_ci": cluster_interval(by_run_agreed.astype(float), draws),
                    "mean_rounds": _mean(np.concatenate(rounds)),
                    "mean_distance_to_nash": _mean(np.concatenate(distance)),
                    "negotiations": int(all_agreed.shape[0]),
                }
            )
        table.sort(key=lambda row: (-_or(row["mean_gain"]), -row["agreement_rate"]))
        for rank, row in enumerate(table, 1):
            row["rank"] = rank
        return table

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``ceasefire tournament --json``."""
        document: dict[str, Any] = {
            "strategies": list(self.strategies),
            "others": self.others,
            "veto_parties": list(self.veto_parties),
            "protocol": self.protocol,
            "rounds": self.rounds,
            "runs": self.runs,
            "war": self.war,
            "agreement_rate": float(self.agreed.mean()),
            "ranking": self.ranking(),
            "intervals": INTERVALS,
            "assignments": self.assignment_rows(),
        }
        if self.provenance is not None:
            document["provenance"] = self.provenance.to_dict()
        return document


CONFIDENCE = 0.95
"""The level of the ranking's confidence intervals."""

BOOTSTRAP_REPLICATES = 2000
"""Resamples of the runs behind each interval of the ranking."""

INTERVALS = (
    "95% percentile intervals of a cluster bootstrap over runs [Davison1997; Field2007]: "
    "the negotiations of one run share its war path and seeds, so whole runs are resampled "
    f"({BOOTSTRAP_REPLICATES} times); none with a single run"
)
"""How the ranking's intervals are computed, as the JSON document says."""


def bootstrap_draws(runs: int, seed: int | None) -> npt.NDArray[np.int64]:
    """``(replicates, runs)`` run indices drawn with replacement, one row per bootstrap resample
    (the same for every strategy; from the tournament's seed, so reproducible)."""
    rng = np.random.default_rng(np.random.SeedSequence([0 if seed is None else seed, 0xB007]))
    return rng.integers(0, runs, size=(BOOTSTRAP_REPLICATES, runs))


def cluster_interval(
    values: FloatArray, draws: npt.NDArray[np.int64], level: float = CONFIDENCE
) -> list[float] | None:
    """A percentile interval for the mean of ``values`` (``(items, clusters)``: the items of
    each cluster in a column) by the cluster bootstrap [Davison1997, §3.8; Field2007]: each
    resample draws whole clusters with replacement (a row of ``draws``) and takes the mean of
    all their items. Items within a cluster may be correlated; clusters are independent.
    None with fewer than two clusters (nothing to resample) or no finite value; the interval is
    widened, if need be, to include the estimate itself.
    """
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    if values.ndim != 2 or values.shape[1] < 2 or not finite.any():
        return None
    totals = np.where(finite, values, 0.0).sum(axis=0)  # per cluster
    counts = finite.sum(axis=0).astype(float)
    # How often each cluster is drawn in each resample: (replicates, clusters).
    weights = np.zeros((draws.shape[0], values.shape[1]))
    np.add.at(weights, (np.arange(draws.shape[0])[:, None], draws), 1.0)
    drawn = weights @ counts
    means = (weights @ totals)[drawn > 0] / drawn[drawn > 0]
    estimate = float(totals.sum() / counts.sum())
    low, high = np.quantile(means, [0.5 - level / 2, 0.5 + level / 2])
    return [min(float(low), estimate), max(float(high), estimate)]


def _mean(values: npt.NDArray[Any]) -> float | None:
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values
    return float(finite.mean()) if finite.size else None


def _or(value: float | None) -> float:
    return -np.inf if value is None else value


def assignments_of(n_strategies: int, n_veto: int) -> list[tuple[int, ...]]:
    """Every assignment of ``n_strategies`` strategies to ``n_veto`` parties, in order."""
    if n_strategies**n_veto > MAX_ASSIGNMENTS:
        raise ValueError(
            f"{n_strategies} strategies for {n_veto} veto parties make "
            f"{n_strategies**n_veto:,} assignments (at most {MAX_ASSIGNMENTS:,})"
        )
    return list(itertools.product(range(n_strategies), repeat=n_veto))


def tournament(
    table: Table,
    strategies: Sequence[str],
    *,
    runs: int = 1,
    seed: int | None = None,
    workers: int = 1,
    protocol: str = "alternating",
    rounds: int = DEFAULT_ROUNDS,
    paths: FloatArray | None = None,
    others: str = DEFAULT_STRATEGY,
    revision: str = "max_min_shortfall",
    nash: FloatArray | None = None,
    progress: Callable[[int], None] | None = None,
    provenance: Provenance | None = None,
) -> TournamentResult:
    """Play every assignment of ``strategies`` to the veto parties ``runs`` times.

    ``paths``: ``(runs, months, parties)`` reservation values along simulated war paths (run
    ``r`` follows ``paths[r]``), or None for the table's fixed values with discounting.
    ``workers``: processes (1: in this process). ``progress`` is called with the number of
    assignments finished so far.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if not strategies:
        raise ValueError("name at least one strategy")
    for spec in [*strategies, others]:
        make_strategy(spec)  # fail early on unknown names or parameters
    if paths is not None and paths.shape[0] < runs:
        raise ValueError(f"{runs} runs need {runs} war paths, got {paths.shape[0]}")
    assignments = assignments_of(len(strategies), len(table.problem.veto_indices))
    table.space  # noqa: B018  (build the offer space once, before copying the table to workers)
    job = _Job(
        table=table,
        strategies=tuple(strategies),
        others=others,
        protocol=protocol,
        rounds=rounds,
        seed=seed,
        paths=None if paths is None else np.asarray(paths[:runs], dtype=float),
        nash=nash,
        revision=revision,
    )
    outcomes = _run_all(job, assignments, runs, workers, progress)
    return TournamentResult(
        table=table,
        strategies=tuple(strategies),
        others=others,
        protocol=protocol,
        rounds=rounds,
        runs=runs,
        war=paths is not None,
        assignments=tuple(assignments),
        agreed=np.array([o.agreed for o in outcomes]),
        round=np.array([o.round for o in outcomes]),
        gains=np.array([o.gains for o in outcomes]),
        distance=np.array([o.distance for o in outcomes]),
        provenance=provenance,
        seed=seed,
    )


def _chunks(items: list[tuple[int, ...]], size: int) -> Iterable[list[tuple[int, ...]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _run_all(
    job: _Job,
    assignments: list[tuple[int, ...]],
    runs: int,
    workers: int,
    progress: Callable[[int], None] | None,
) -> list[_Outcome]:
    workers = max(1, min(workers, os.cpu_count() or 1, len(assignments)))
    done = 0
    outcomes: list[_Outcome] = []
    if workers == 1:
        for assignment in assignments:
            outcomes.append(_play(job, assignment, runs))
            done += 1
            if progress is not None:
                progress(done)
        return outcomes
    size = max(1, min(64, len(assignments) // (workers * 8)))
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(job,)
    ) as pool:
        # map keeps the order of the chunks, so results do not depend on which worker ran what.
        for chunk_outcomes in pool.map(
            _play_chunk, _chunks(assignments, size), itertools.repeat(runs)
        ):
            outcomes.extend(chunk_outcomes)
            done += len(chunk_outcomes)
            if progress is not None:
                progress(done)
    return outcomes
