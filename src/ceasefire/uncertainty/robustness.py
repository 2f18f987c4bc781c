"""How likely each candidate package is to be acceptable when the inputs are uncertain.

For ``N`` samples of the uncertain inputs (:mod:`ceasefire.uncertainty.sampling`) this estimates:

- ``p_zopa``: the probability that some package is acceptable to every veto party (no red line
  crossed, every veto party at least its reservation value);
- for every package that a solution concept picks in some sample: the probability that it is
  acceptable, and the probability that each concept picks it;
- the *most robust package*: the package acceptable in the most samples, searched among the
  sampled solutions, the Pareto-optimal packages of the expected-utility problem and their
  neighbours (see :func:`robustness` for what is guaranteed);
- a Monte Carlo standard error ``sqrt(p (1 - p) / N)`` for every probability.

Every sample is solved exactly. When only reservation values (or choices among a few alternatives)
are uncertain, the red-line-respecting Pareto frontier of each distinct utility table is built
once and every sample filters it (:mod:`ceasefire.uncertainty.picks`); when weights or values vary
continuously, each sample builds the part of its frontier where its picks can lie, bounded by the
packages picked in earlier samples (:mod:`ceasefire.uncertainty.candidates`), with the same result
as its whole frontier.

With a ``commitment:`` section every sample judges packages on effective utilities, as ``analyze``
does (:mod:`ceasefire.uncertainty.commitment`): the sample's own utilities and values of no deal,
the chance a deal holds and the renewed war's values at ``analyze``'s point values. The shared
frontiers are then exact effective frontiers (:meth:`~ceasefire.bargaining.effective.
EffectiveProblem.frontier`), one per utility table; with continuous preference uncertainty each
sample is solved on its whole effective frontier; acceptance counts use the same effective
utilities and self-enforcement.

The work runs in blocks through an :class:`~ceasefire.executor.Executor`; results are identical
for any executor and number of workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import CONCEPTS, BargainingProblem
from ceasefire.bargaining.effective import EffectiveProblem
from ceasefire.defaults import MONTE_CARLO_SAMPLES
from ceasefire.executor import Executor, SerialExecutor
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario
from ceasefire.uncertainty.commitment import assumption, sample_commitment
from ceasefire.uncertainty.inputs import InputSpace, input_space
from ceasefire.uncertainty.picks import NO_RESERVATION, point_set, point_set_of
from ceasefire.uncertainty.sampling import (
    BLOCK_SIZE,
    Block,
    blocks,
    draw_block,
    group,
    point_reservation,
    realise,
)
from ceasefire.uncertainty.solve import (
    SharedRecords,
    count_acceptable,
    count_acceptable_shared,
    solve_samples,
)

WAR_BLOCK = 256  # the war model's seeding unit (ceasefire.war.BLOCK)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.intp]

Package = tuple[int, ...]

Judged = BargainingProblem | EffectiveProblem
"""The expected problem the candidates come from: effective with a ``commitment:`` section."""

Progress = Callable[[int, int, str], None]
"""``progress(done, total, stage)``."""

MAX_CANDIDATES = 4000
"""At most this many packages of the expected-utility problem's frontier are candidates."""

SEARCH_ROUNDS = 3
"""Rounds of local search (one issue changed at a time) around the most robust candidates."""

SEARCH_WIDTH = 8
"""How many of the best candidates each round of local search starts from."""

# ---- tasks ------------------------------------------------------------------------------------


@dataclass
class FirstPass:
    """What one group of blocks contributes to the estimates."""

    samples: int = 0
    zopa: int = 0
    chosen: dict[str, dict[Package, int]] = field(default_factory=dict)
    contribution_sums: list[FloatArray] = field(default_factory=list)
    reservation_sum: FloatArray | None = None
    records: list[SharedRecords] = field(default_factory=list)


def _first_pass(space: InputSpace, concepts: tuple[str, ...], group: list[Block]) -> FirstPass:
    out = FirstPass(chosen={c: {} for c in concepts})
    for block in group:
        theta, war = draw_block(space, block)
        draws = realise(space, theta, war)
        outcomes = solve_samples(space, draws, concepts, theta)
        out.samples += block.size
        out.zopa += int(outcomes.exists.sum())
        for c in concepts:
            for key, count in _tally(outcomes.chosen[c][outcomes.exists], space).items():
                out.chosen[c][key] = out.chosen[c].get(key, 0) + count
        sums = [table.sum(axis=0) for table in draws.contributions]
        res = draws.reservation.sum(axis=0)
        if out.reservation_sum is None:
            out.contribution_sums, out.reservation_sum = sums, res
        else:
            out.contribution_sums = [
                a + b for a, b in zip(out.contribution_sums, sums, strict=True)
            ]
            out.reservation_sum = out.reservation_sum + res
        if outcomes.records is not None:
            out.records.append(outcomes.records)
    return out


def _tally(rows: IndexArray, space: InputSpace) -> dict[Package, int]:
    """How often each package (a row of option indices) occurs."""
    if rows.shape[0] == 0:
        return {}
    sizes = [len(o) for o in space.options]
    if math.prod(sizes) < 2**62:
        # One integer per package (mixed radix): much faster than unique rows.
        radix = np.cumprod([1, *sizes[:0:-1]])[::-1].astype(np.int64)
        _, first, counts = np.unique(
            rows.astype(np.int64) @ radix, return_index=True, return_counts=True
        )
        unique = rows[first]
    else:
        unique, counts = np.unique(rows, axis=0, return_counts=True)
    return {tuple(int(x) for x in row): int(n) for row, n in zip(unique, counts, strict=True)}


def _count_pass(space: InputSpace, packages: IndexArray, group: list[Block]) -> IntArray:
    counts = np.zeros(packages.shape[0], dtype=np.int64)
    for block in group:
        counts += count_acceptable(realise(space, *draw_block(space, block)), space, packages)
    return counts


@dataclass(frozen=True, eq=False)
class _Merged:
    """Every sample's shared record, with one list of distinct tables."""

    tables: list[tuple[FloatArray, npt.NDArray[np.bool_]]]
    table: IndexArray
    reservation_units: IntArray
    holds: IntArray


def _merge_records(records: list[SharedRecords]) -> _Merged:
    index: dict[bytes, int] = {}
    tables: list[tuple[FloatArray, npt.NDArray[np.bool_]]] = []
    table_parts = []
    for rec in records:
        local = np.empty(len(rec.tables), dtype=np.intp)
        for j, (key, units, forbidden) in enumerate(rec.tables):
            if key not in index:
                index[key] = len(tables)
                tables.append((units, forbidden))
            local[j] = index[key]
        table_parts.append(local[rec.table])
    return _Merged(
        tables=tables,
        table=np.concatenate(table_parts),
        reservation_units=np.concatenate([r.reservation_units for r in records]),
        holds=np.concatenate([r.holds for r in records]),
    )


# ---- the result -------------------------------------------------------------------------------


def stderr(p: float, n: int) -> float:
    """Monte Carlo standard error of a probability estimated from ``n`` independent samples."""
    return math.sqrt(max(p * (1.0 - p), 0.0) / n)


@dataclass(frozen=True)
class PackageRobustness:
    """One package: how often it is acceptable and how often each concept picks it."""

    package: Package
    acceptable: int
    chosen: dict[str, int]


@dataclass(frozen=True)
class MostRobust:
    package: Package
    acceptable: int
    candidates: int
    rounds: int
    expected_utilities: FloatArray


@dataclass(frozen=True, eq=False)
class Robustness:
    """The robustness of a scenario's candidate packages under its uncertain inputs."""

    space: InputSpace
    samples: int
    seed: int
    concepts: tuple[str, ...]
    zopa: int
    packages: tuple[PackageRobustness, ...]
    most_robust: MostRobust | None
    strategy: str
    block_size: int = BLOCK_SIZE
    provenance: Provenance | None = None

    @property
    def p_zopa(self) -> float:
        return self.zopa / self.samples

    def package_dict(self, package: Package) -> dict[str, Any]:
        return {
            issue: opts[i]
            for issue, opts, i in zip(self.space.issues, self.space.options, package, strict=True)
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``p_zopa``, ``packages``, ``most_robust``, ``samples``, ``seed``, ``stderr``."""
        n = self.samples

        def p(count: int) -> float:
            return count / n

        packages = []
        errors = []
        for entry in self.packages:
            packages.append(
                {
                    "package": self.package_dict(entry.package),
                    "p_acceptable": p(entry.acceptable),
                    "p_chosen": {c: p(entry.chosen.get(c, 0)) for c in self.concepts},
                }
            )
            errors.append(
                {
                    "p_acceptable": stderr(p(entry.acceptable), n),
                    "p_chosen": {c: stderr(p(entry.chosen.get(c, 0)), n) for c in self.concepts},
                }
            )
        most = None
        most_error = None
        if self.most_robust is not None:
            m = self.most_robust
            most = {
                "package": self.package_dict(m.package),
                "p_acceptable": p(m.acceptable),
                "upper_bound": self.p_zopa,
                "proven_best": m.acceptable == self.zopa,
                "candidates": m.candidates,
                "search_rounds": m.rounds,
                "expected_utilities": {
                    party: float(u)
                    for party, u in zip(self.space.parties, m.expected_utilities, strict=True)
                },
            }
            most_error = stderr(p(m.acceptable), n)
        uncertain = [
            {"path": i.path, "distribution": i.describe()} for i in self.space.inputs if i.uncertain
        ]
        head: dict[str, Any] = {}
        if self.provenance is not None:
            head["provenance"] = self.provenance.to_dict()
        scenario = self.space.scenario_id
        return {
            **head,
            "scenario": scenario,
            "samples": n,
            "seed": self.seed,
            "p_zopa": self.p_zopa,
            "packages": packages,
            "most_robust": most,
            "stderr": {
                "p_zopa": stderr(self.p_zopa, n),
                "packages": errors,
                "most_robust": most_error,
            },
            "concepts": list(self.concepts),
            "veto_parties": list(self.space.parties),
            "uncertain_inputs": uncertain,
            "war_model": self.space.war,
            "method": {"block_size": self.block_size, "strategy": self.strategy},
            **self._assumptions(),
        }

    def _assumptions(self) -> dict[str, Any]:
        """With a ``commitment:`` section: how the samples value packages (nothing without one,
        so that those documents stay as they were)."""
        text = assumption(self.space)
        if text is None:
            return {}
        return {"utilities": "effective", "beliefs": False, "assumptions": text}


# ---- the driver -------------------------------------------------------------------------------


def robust(
    loaded: LoadedScenario,
    samples: int = MONTE_CARLO_SAMPLES,
    seed: int = 0,
    *,
    executor: Executor | None = None,
    concepts: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Robustness:
    """:func:`robustness` of a loaded scenario, with provenance."""
    result = robustness(
        input_space(loaded.scenario, seed=seed),
        samples,
        seed,
        executor=executor,
        concepts=concepts,
        progress=progress,
    )
    provenance = Provenance(
        scenario_sha256=loaded.sha256,
        seed=seed,
        parameters={
            "samples": samples,
            "block_size": result.block_size,
            "concepts": list(result.concepts),
            "search_rounds": SEARCH_ROUNDS,
        },
    )
    return replace(result, provenance=provenance)


def robustness(
    space: InputSpace,
    samples: int = MONTE_CARLO_SAMPLES,
    seed: int = 0,
    *,
    executor: Executor | None = None,
    concepts: Sequence[str] | None = None,
    progress: Progress | None = None,
    search_rounds: int = SEARCH_ROUNDS,
    block_size: int = BLOCK_SIZE,
) -> Robustness:
    """Estimate the robustness of the packages of ``space``'s scenario from ``samples`` samples.

    The most robust package is the one acceptable in the most samples among the candidates: every
    package a concept picks in some sample, the Pareto-optimal acceptable packages of the
    expected-utility problem (expected contributions, mean reservation values, red lines as in the
    static analysis; when it has no acceptable package, its Pareto frontier, closest to
    acceptable first), and packages found by local search from the best of them, changing one
    issue at a time. Guaranteed: its estimate is the exact share of these samples in which it is
    acceptable, and no package can beat ``p_zopa``, so when the two are equal it is the best
    package for these samples (``proven_best``). Not guaranteed: that no package outside the
    candidates does better when the two differ.

    ``progress(done, total, stage)`` reports samples solved (stage ``"samples"``) and, when
    the samples must be drawn again to test candidates, samples tested (``"candidates"``).
    ``block_size`` is the unit of
    seeding: results depend on it (and on the seed), never on the executor or the number of
    workers.
    """
    executor = executor or SerialExecutor()
    point_reservation(space)  # once, here: it travels with the space to the workers
    sample_commitment(space)  # likewise
    names = tuple(CONCEPTS) if concepts is None else tuple(concepts)
    for name in names:
        if name not in CONCEPTS:
            raise ValueError(f"unknown solution concept {name!r}")
    if space.war and block_size % WAR_BLOCK:
        raise ValueError(f"with a war model the block size must be a multiple of {WAR_BLOCK}")
    all_blocks = blocks(samples, seed, block_size)
    groups = group(all_blocks, max(1, executor.workers) * 4)

    def tick(stage: str) -> Callable[[int], None] | None:
        """Count finished groups (in any order) as samples done."""
        if progress is None:
            return None
        report = progress
        done = [0, 0]
        sizes = sorted((sum(b.size for b in g) for g in groups), reverse=True)

        def finished(_: int) -> None:
            # Groups may finish in any order; their sizes differ by at most one block.
            done[0] += sizes[done[1]]
            done[1] += 1
            report(min(done[0], samples), samples, stage)

        return finished

    if progress is not None:
        progress(0, samples, "samples")
    parts = executor.map(partial(_first_pass, space, names), groups, tick("samples"))
    total = FirstPass(chosen={c: {} for c in names})
    for part in parts:  # in block order: float sums are the same for any executor
        total.samples += part.samples
        total.zopa += part.zopa
        for c in names:
            for key, count in part.chosen[c].items():
                total.chosen[c][key] = total.chosen[c].get(key, 0) + count
        if total.reservation_sum is None:
            total.contribution_sums = part.contribution_sums
            total.reservation_sum = part.reservation_sum
        elif part.reservation_sum is not None:
            total.contribution_sums = [
                a + b for a, b in zip(total.contribution_sums, part.contribution_sums, strict=True)
            ]
            total.reservation_sum = total.reservation_sum + part.reservation_sum
        total.records.extend(part.records)
    merged = _merge_records(total.records) if space.discrete_preferences else None

    picked = sorted({key for c in names for key in total.chosen[c]})
    expected = _expected_problem(space, total)
    commitment = sample_commitment(space)
    judged: Judged = expected if commitment is None else commitment.effective(expected)
    candidates = _unique(picked + _expected_candidates(judged))

    def count_packages(packages: list[Package]) -> dict[Package, int]:
        if not packages:
            return {}
        array = np.array(packages, dtype=np.intp).reshape(len(packages), len(space.issues))
        if merged is not None:
            totals = count_acceptable_shared(
                space, merged.tables, merged.table, merged.reservation_units, merged.holds, array
            )
        else:
            pieces = executor.map(partial(_count_pass, space, array), groups, tick("candidates"))
            totals = np.sum(pieces, axis=0)
        return {pkg: int(c) for pkg, c in zip(packages, totals, strict=True)}

    acceptable = count_packages(candidates)
    rounds = 0
    for _ in range(search_rounds):
        best = _ranked(acceptable, judged)[:SEARCH_WIDTH]
        new = [n for b in best for n in _neighbours(b, space) if n not in acceptable]
        new = _unique(new)
        if not new:
            break
        rounds += 1
        found = count_packages(new)
        before = max(acceptable.values(), default=0)
        acceptable.update(found)
        if max(found.values(), default=0) <= before:
            break

    most = None
    if acceptable:
        top = _ranked(acceptable, judged)[0]
        utilities = _utilities(judged, np.array([top]))[0]
        most = MostRobust(top, acceptable[top], len(acceptable), rounds, utilities)
    packages = tuple(
        PackageRobustness(
            package=key,
            acceptable=acceptable[key],
            chosen={c: total.chosen[c][key] for c in names if key in total.chosen[c]},
        )
        for key in picked
    )
    packages = tuple(
        sorted(packages, key=lambda e: (-sum(e.chosen.values()), -e.acceptable, e.package))
    )
    return Robustness(
        space=space,
        samples=total.samples,
        seed=seed,
        concepts=names,
        zopa=total.zopa,
        packages=packages,
        most_robust=most,
        strategy="shared frontier" if space.discrete_preferences else "frontier per sample",
        block_size=block_size,
    )


def _unique(packages: list[Package]) -> list[Package]:
    return list(dict.fromkeys(packages))


def _expected_problem(space: InputSpace, total: FirstPass) -> BargainingProblem:
    """Expected contributions and reservation values; red lines as in the static analysis."""
    n = total.samples
    assert total.reservation_sum is not None
    offsets = space.offsets
    point_forbidden = realise(
        space, space.point[None, :], point_reservation(space)[None, :]
    ).forbidden
    return BargainingProblem(
        parties=space.parties,
        veto=(True,) * len(space.parties),
        issues=space.issues,
        options=space.options,
        contributions=tuple(s / n for s in total.contribution_sums),
        forbidden=tuple(
            point_forbidden[0, offsets[k] : offsets[k + 1]] for k in range(len(space.issues))
        ),
        reservation=total.reservation_sum / n,
    )


def _utilities(judged: Judged, packages: IndexArray) -> FloatArray:
    """Utilities of ``packages``: effective ones for an effective problem."""
    if isinstance(judged, EffectiveProblem):
        return judged.effective_utilities(packages)
    return judged.utilities(packages)


def _expected_candidates(judged: Judged) -> list[Package]:
    """Pareto-optimal acceptable packages of the expected problem, or if there are none its
    red-line-respecting frontier ordered by how close each package comes to acceptable."""
    zopa = judged.zopa(max_ties=1)
    frontier = zopa.frontier
    problem = judged.problem if isinstance(judged, EffectiveProblem) else judged
    if frontier.size == 0:
        if isinstance(judged, EffectiveProblem):
            free = np.where(problem.veto, NO_RESERVATION, np.nan)
            points = point_set_of(
                judged.with_reservation(free).frontier(acceptable_only=True, max_ties=1)
            )
        else:
            points = point_set(problem)
        if points.size == 0:
            return []
        shortfall = (points.points - problem.reservation_units[None, :]).min(axis=1)
        order = np.argsort(-shortfall, kind="stable")[:MAX_CANDIDATES]
        return [tuple(int(x) for x in points.packages[j]) for j in order]
    rows = frontier.packages[:MAX_CANDIDATES]
    return [tuple(int(x) for x in row) for row in rows]


def _ranked(acceptable: dict[Package, int], judged: Judged) -> list[Package]:
    """Candidates by samples acceptable, then the smallest expected gain (larger first), then
    package order."""
    keys = list(acceptable)
    if not keys:
        return []
    reservation = (judged.problem if isinstance(judged, EffectiveProblem) else judged).reservation
    gains = (_utilities(judged, np.array(keys)) - reservation[None, :]).min(axis=1)
    order = sorted(range(len(keys)), key=lambda j: (-acceptable[keys[j]], -gains[j], keys[j]))
    return [keys[j] for j in order]


def _neighbours(package: Package, space: InputSpace) -> list[Package]:
    """Packages that differ from ``package`` on exactly one issue."""
    out = []
    for k, options in enumerate(space.options):
        for o in range(len(options)):
            if o != package[k]:
                out.append((*package[:k], o, *package[k + 1 :]))
    return out
