"""The Graph Model for Conflict Resolution: stability of every state for every decision maker.

A graph model [Fang1993] has decision makers (DMs) ``i``, a finite set of states, for each DM a
directed graph of the *unilateral moves* ``R_i(s)`` it can make from each state, and a preference
over the states for each DM (here a score: higher is better, equal scores are ties).
``R_i^+(s) = {t in R_i(s) : t >_i s}`` are its *unilateral improvements*.

Sanctions come from the other DMs ``H = N - {i}`` acting as a group: ``R_H(s)`` is the set of
states they can reach from ``s`` by a *legal sequence* of unilateral moves, in which no DM moves
twice in succession, and ``R_H^+(s)`` the same with unilateral improvements only ([Fang1993]
ch. 3; [KilgourHipel2005] sec. 3). With two DMs this is the other's single moves.

Stability of ``s`` for ``i`` ([Fang1993] ch. 3; [KilgourHipel2005] table 1), writing
``s >=_i t`` for "``t`` is not preferred to ``s``":

- Nash: ``R_i^+(s)`` is empty;
- general metarationality (GMR): for every ``s1`` in ``R_i^+(s)`` some ``s2`` in ``R_H(s1)`` has
  ``s >=_i s2``;
- symmetric metarationality (SMR): for every ``s1`` in ``R_i^+(s)`` some ``s2`` in ``R_H(s1)`` has
  ``s >=_i s2`` and ``s >=_i s3`` for every ``s3`` in ``R_i(s2)``;
- sequential stability (SEQ): for every ``s1`` in ``R_i^+(s)`` some ``s2`` in ``R_H^+(s1)`` has
  ``s >=_i s2``.

A state stable for every DM under a concept is an *equilibrium* under it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

BoolMatrix = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

CONCEPTS = ("nash", "gmr", "smr", "seq")


@dataclass(frozen=True)
class GraphModel:
    """States ``0..n-1``; ``moves[i][s, t]``: DM ``i`` can move from ``s`` to ``t`` in one step;
    ``score[i][s]``: DM ``i``'s preference (higher is better)."""

    moves: tuple[BoolMatrix, ...]
    score: tuple[IntArray, ...]

    @property
    def n_states(self) -> int:
        return int(self.moves[0].shape[0])

    @property
    def n_dms(self) -> int:
        return len(self.moves)

    def improvements(self, dm: int) -> BoolMatrix:
        """``UI[s, t]``: ``t`` is a unilateral improvement for ``dm`` from ``s``."""
        score = self.score[dm]
        better: BoolMatrix = self.moves[dm] & (score[None, :] > score[:, None])
        return better


Sanctions = Literal["legal", "once"]


def group_reach(
    steps: Sequence[BoolMatrix], start: int, sanctions: Sanctions = "legal"
) -> set[int]:
    """States reachable from ``start`` by legal sequences of the given DMs' steps.

    ``steps[k][s, t]``: member ``k`` can step from ``s`` to ``t``. A sequence has at least one
    step and no member steps twice in succession ([Fang1993]): a breadth-first search over
    (state, last mover). With ``sanctions="once"`` each member steps at most once in a sequence,
    the stricter rule of the gmcr-py program [GMCRpy] (a search over (state, members used)).
    """
    reached: set[int] = set()
    if sanctions == "legal":
        seen: set[tuple[int, int]] = set()
        queue: deque[tuple[int, int]] = deque([(start, -1)])
        while queue:
            state, last = queue.popleft()
            for member, step in enumerate(steps):
                if member == last:
                    continue
                for target in np.flatnonzero(step[state]):
                    pair = (int(target), member)
                    if pair not in seen:
                        seen.add(pair)
                        reached.add(int(target))
                        queue.append(pair)
        return reached
    used_seen: set[tuple[int, frozenset[int]]] = set()
    stack: list[tuple[int, frozenset[int]]] = [(start, frozenset())]
    while stack:
        state, used = stack.pop()
        for member, step in enumerate(steps):
            if member in used:
                continue
            for target in np.flatnonzero(step[state]):
                key = (int(target), used | {member})
                if key not in used_seen:
                    used_seen.add(key)
                    reached.add(int(target))
                    stack.append(key)
    return reached


@dataclass(frozen=True)
class Stability:
    """``stable[concept][dm, s]`` for every concept, DM and state."""

    stable: dict[str, npt.NDArray[np.bool_]]

    def equilibria(self, concept: str) -> list[int]:
        return [int(s) for s in np.flatnonzero(self.stable[concept].all(axis=0))]


def analyse(model: GraphModel, sanctions: Sanctions = "legal") -> Stability:
    """Nash, GMR, SMR and SEQ stability of every state for every DM.

    ``sanctions``: how the other DMs may move to sanction (see :func:`group_reach`).
    """
    n, m = model.n_states, model.n_dms
    stable = {c: np.zeros((m, n), dtype=bool) for c in CONCEPTS}
    improvements = [model.improvements(i) for i in range(m)]
    for i in range(m):
        others = [k for k in range(m) if k != i]
        moves = [model.moves[k] for k in others]
        better = [improvements[k] for k in others]
        reach_cache: dict[int, set[int]] = {}
        reach_plus_cache: dict[int, set[int]] = {}
        score = model.score[i]
        for s in range(n):
            ups = [int(t) for t in np.flatnonzero(improvements[i][s])]
            stable["nash"][i, s] = not ups
            gmr = smr = seq = True
            for s1 in ups:
                if s1 not in reach_cache:
                    reach_cache[s1] = group_reach(moves, s1, sanctions)
                    reach_plus_cache[s1] = group_reach(better, s1, sanctions)
                punished = [s2 for s2 in reach_cache[s1] if score[s2] <= score[s]]
                if not punished:
                    gmr = smr = False
                elif smr and not any(
                    all(score[s3] <= score[s] for s3 in np.flatnonzero(model.moves[i][s2]))
                    for s2 in punished
                ):
                    smr = False
                if not any(score[s2] <= score[s] for s2 in reach_plus_cache[s1]):
                    seq = False
            stable["gmr"][i, s], stable["smr"][i, s], stable["seq"][i, s] = gmr, smr, seq
    return Stability(stable)


def improvement_paths(model: GraphModel, start: int) -> dict[int, list[tuple[int, int]]]:
    """Status quo analysis: for every state reachable from ``start`` by a sequence of unilateral
    improvements (by any DM, as in [Li2004]), one shortest such path as (mover, state) steps."""
    paths: dict[int, list[tuple[int, int]]] = {start: []}
    queue: deque[int] = deque([start])
    improvements = [model.improvements(i) for i in range(model.n_dms)]
    while queue:
        state = queue.popleft()
        for dm, ui in enumerate(improvements):
            for target in np.flatnonzero(ui[state]):
                if int(target) not in paths:
                    paths[int(target)] = [*paths[state], (dm, int(target))]
                    queue.append(int(target))
    return paths


def coalition_improvements(model: GraphModel) -> list[list[tuple[int, ...]]]:
    """Coalition analysis [Kilgour2001]: for every state, the coalitions of two or more DMs that
    can reach, by a legal sequence of their members' unilateral moves, a state that every member
    strictly prefers (a *coalitional improvement*).

    A Nash equilibrium from which no coalition has an improvement is *coalition Nash* stable.
    """
    from itertools import combinations

    found: list[list[tuple[int, ...]]] = [[] for _ in range(model.n_states)]
    for size in range(2, model.n_dms + 1):
        for coalition in combinations(range(model.n_dms), size):
            steps = [model.moves[k] for k in coalition]
            for s in range(model.n_states):
                if any(
                    all(model.score[k][t] > model.score[k][s] for k in coalition)
                    for t in group_reach(steps, s)
                ):
                    found[s].append(coalition)
    return found
