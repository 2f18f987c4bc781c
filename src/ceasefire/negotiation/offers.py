"""Where offers come from, without ever enumerating the package space.

A *cooperative* offer is a package on the Pareto frontier of the red-line-free packages (over the
parties with a veto): among the frontier packages that give the proposer at least its target
(within the 1e-9 tolerance), the one that leaves the other veto parties best off (the largest
smallest share of each one's range on the frontier). The frontier here is the exact one, without
the eps filter that reports (:func:`ceasefire.bargaining.frontier.pareto_frontier`) apply:
eps-dominance is not transitive, so a point it drops may be the only one that reaches a target
and is best for the others; on the exact frontier, with two veto parties, the offer is always
best for the other party among all packages that reach the target. The frontier is computed once by the bargaining core's Minkowski-sum merge
[Klamroth2000], so it stays small while the package space grows exponentially.

A *non-cooperative* offer is chosen by the proposer's own utility alone, as time-dependent
negotiators do [Faratin1998]: the red-line-free package whose utility to the proposer is the
smallest at or above the target. :class:`OwnUtilityIndex` finds it with a one-dimensional
Minkowski sum over the issues (the proposer's achievable utilities, issue by issue, with
back-pointers), bucketed to at most :data:`MAX_STATES` sums per stage when the exact set is
larger; the returned package's utility is always exact, only the choice among near-equal sums is
approximate (to about ``range / MAX_STATES`` points).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.problem import (
    TOLERANCE,
    TOLERANCE_UNITS,
    BargainingProblem,
    FloatArray,
    IntArray,
    quantize,
)
from ceasefire.bargaining.slack import red_line_free

IndexArray = npt.NDArray[np.intp]

MAX_STATES = 1 << 14
"""At most this many distinct partial sums are kept per issue by :class:`OwnUtilityIndex`."""

_CHUNK = 1 << 20  # candidate sums formed at once (bounds memory to a few tens of MB)


@dataclass(frozen=True)
class _Stage:
    issue: int
    parent: IndexArray  # index into the previous stage's sums
    option: IndexArray  # option index on this issue


class OwnUtilityIndex:
    """One party's achievable utilities over the allowed packages, searchable by target."""

    def __init__(
        self,
        tables: list[IntArray],
        allowed: list[npt.NDArray[np.bool_]],
        max_states: int = MAX_STATES,
    ) -> None:
        if max_states < 2:
            raise ValueError("max_states must be at least 2")
        self.n_issues = len(tables)
        lows = [int(t[a].min()) for t, a in zip(tables, allowed, strict=True)]
        highs = [int(t[a].max()) for t, a in zip(tables, allowed, strict=True)]
        self.width = 1  # exact until the set of sums grows past max_states
        coarse = max(1, -(-(sum(highs) - sum(lows)) // max_states))
        sums = np.zeros(1, dtype=np.int64)
        stages: list[_Stage] = []
        for k, (table, ok) in enumerate(zip(tables, allowed, strict=True)):
            options = np.flatnonzero(ok).astype(np.intp)
            # Options with equal own utility are interchangeable here: keep the first of each.
            values, first = np.unique(table[options], return_index=True)
            options = options[first]
            new, parent, choice = _merge(sums, values, self.width)
            if new.shape[0] > max_states and self.width == 1:
                self.width = coarse
                new, parent, choice = _merge(sums, values, self.width)
            stages.append(_Stage(k, parent, options[choice]))
            sums = new
        self.sums = sums
        self._stages = stages

    @property
    def size(self) -> int:
        return int(self.sums.shape[0])

    def at_least(self, target_units: int) -> tuple[IndexArray, int]:
        """The package whose utility is the smallest kept sum ``>= target`` (the largest sum if
        none reaches it), with its exact utility in quantised units."""
        position = int(np.searchsorted(self.sums, target_units, side="left"))
        position = min(position, self.size - 1)
        value = int(self.sums[position])
        package = np.zeros(self.n_issues, dtype=np.intp)
        for stage in reversed(self._stages):
            package[stage.issue] = stage.option[position]
            position = int(stage.parent[position])
        return package, value


def _merge(sums: IntArray, values: IntArray, width: int) -> tuple[IntArray, IndexArray, IndexArray]:
    """Sorted distinct sums ``sums + values`` (one per bucket of ``width`` units: the smallest),
    with the (parent, choice) that makes each."""
    kept_sum: list[IntArray] = []
    kept_src: list[IndexArray] = []
    step = max(1, _CHUNK // max(1, sums.shape[0]))
    for start in range(0, values.shape[0], step):
        chunk = values[start : start + step]
        cand = (sums[:, None] + chunk[None, :]).ravel()
        src = np.arange(cand.shape[0], dtype=np.intp)
        # Source ids over the whole issue: parent * n_values + (start + column).
        src = (src // chunk.shape[0]) * values.shape[0] + start + src % chunk.shape[0]
        cand, src = _first_per_bucket(cand, src, width)
        kept_sum.append(cand)
        kept_src.append(src)
    cand, src = _first_per_bucket(np.concatenate(kept_sum), np.concatenate(kept_src), width)
    return cand, src // values.shape[0], src % values.shape[0]


def _first_per_bucket(cand: IntArray, src: IndexArray, width: int) -> tuple[IntArray, IndexArray]:
    order = np.lexsort((src, cand))
    cand, src = cand[order], src[order]
    bucket = cand // width if width > 1 else cand
    first = np.ones(cand.shape[0], dtype=bool)
    first[1:] = bucket[1:] != bucket[:-1]
    return cand[first], src[first]


class OfferSpace:
    """The packages offers are drawn from: the red-line-free Pareto frontier, and per-party
    own-utility indexes built on first use."""

    def __init__(self, problem: BargainingProblem) -> None:
        self.problem = problem
        self.allowed = [~banned for banned in problem.forbidden]
        self.veto = problem.veto_indices
        blocked = not all(ok.any() for ok in self.allowed)
        if blocked:
            # Some issue has no option every veto party tolerates: no package is acceptable;
            # offers still need a package, so red lines are ignored for them.
            self.allowed = [np.ones_like(ok) for ok in self.allowed]
        self.blocked = blocked
        relaxed = red_line_free(problem)
        if blocked:
            relaxed = replace(relaxed, forbidden=tuple(np.zeros_like(f) for f in problem.forbidden))
        frontier = relaxed.frontier(acceptable_only=True, max_ties=1, eps_filter=False)
        self.packages: IndexArray = frontier.packages
        self.utilities: FloatArray = frontier.utilities
        low = self.utilities[:, self.veto].min(axis=0)
        high = self.utilities[:, self.veto].max(axis=0)
        span = np.where(high - low > TOLERANCE, high - low, 1.0)
        self._shares = (self.utilities[:, self.veto] - low) / span
        self._indexes: dict[int, OwnUtilityIndex] = {}
        self._cache: dict[tuple[int, bool, int], IndexArray] = {}
        self._own: dict[int, FloatArray] = {}
        self._low = [float(x) - 1.0 for x in self.worst]
        self._high = [float(x) + 1.0 for x in self.ideal]

    @property
    def frontier_size(self) -> int:
        return int(self.packages.shape[0])

    @cached_property
    def ideal(self) -> FloatArray:
        """Each party's best utility over the red-line-free packages (exact: issue by issue)."""
        best = [
            np.where(ok[:, None], table, -np.inf).max(axis=0)
            for table, ok in zip(self.problem.contributions, self.allowed, strict=True)
        ]
        return np.asarray(np.sum(best, axis=0), dtype=np.float64)

    @cached_property
    def worst(self) -> FloatArray:
        """Each party's worst utility over the red-line-free packages."""
        low = [
            np.where(ok[:, None], table, np.inf).min(axis=0)
            for table, ok in zip(self.problem.contributions, self.allowed, strict=True)
        ]
        return np.asarray(np.sum(low, axis=0), dtype=np.float64)

    def offer(self, party: int, target: float, *, cooperative: bool) -> IndexArray:
        """A package giving ``party`` at least ``target`` (its best package if none does)."""
        # Targets beyond what any package gives are all the same request (and stay in int64).
        target = min(max(float(target), self._low[party]), self._high[party])
        key = (party, cooperative, round(target * 1e12))
        cached = self._cache.get(key)
        if cached is None:
            cached = (
                self.on_frontier(party, target)
                if cooperative
                else self.by_own_utility(party, target)
            )
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[key] = cached
        return cached.copy()

    def on_frontier(self, party: int, target: float) -> IndexArray:
        """Among frontier packages giving ``party`` at least ``target``, the one whose smallest
        share (of each other veto party's range on the frontier) is largest."""
        own = self.utilities[:, party]
        reach = own >= target - TOLERANCE
        if not reach.any():
            chosen: IndexArray = self.packages[int(np.argmax(own))]
            return chosen
        others = self.veto != party
        score = self._shares[:, others].min(axis=1) if others.any() else -own
        score = np.where(reach, score, -np.inf)
        best = float(score.max())
        # Ties: the least for the proposer (the most for the others), then frontier order.
        tied = np.flatnonzero(score >= best - 1e-12)
        chosen = self.packages[int(tied[np.argmin(own[tied])])]
        return chosen

    def by_own_utility(self, party: int, target: float) -> IndexArray:
        """The red-line-free package with ``party``'s smallest utility at or above ``target``."""
        index = self._indexes.get(party)
        if index is None:
            tables = [q[:, party] for q in self.problem.quantized]
            index = OwnUtilityIndex(tables, self.allowed)
            self._indexes[party] = index
        target = float(np.clip(target, self.worst[party] - 1.0, self.ideal[party] + 1.0))
        target_units = int(quantize(target)) - TOLERANCE_UNITS
        package, _ = index.at_least(target_units)
        return package

    def step_below(self, party: int, utility: float) -> float:
        """The next lower utility of ``party`` among the frontier packages (``utility`` itself
        if there is none): the smallest concession that changes a cooperative offer."""
        own = self._sorted_own(party)
        position = int(np.searchsorted(own, utility - TOLERANCE, side="left"))
        return float(own[position - 1]) if position > 0 else utility

    def _sorted_own(self, party: int) -> FloatArray:
        found = self._own.get(party)
        if found is None:
            found = np.unique(self.utilities[:, party])
            self._own[party] = found
        return found

    def best_for(self, party: int) -> IndexArray:
        """A red-line-free package that is best for ``party``."""
        return self.by_own_utility(party, float(self.ideal[party]))
