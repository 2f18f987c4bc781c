"""The stability definitions written out literally, with move sequences enumerated explicitly."""

from __future__ import annotations

import numpy as np

from ceasefire.stability.graph import GraphModel


def sequences_reach(steps: list[np.ndarray], start: int) -> set[int]:
    """Every state at the end of some legal sequence (no member twice in a row) of steps.

    Enumerates the sequences one by one, depth first, cutting a sequence only when it comes back to
    a (state, last mover) it has already passed through: any longer sequence repeats a shorter one
    from that point, so nothing is missed (exponential; small graphs only).
    """
    reached: set[int] = set()

    def extend(state: int, last: int, path: frozenset[tuple[int, int]]) -> None:
        for member, step in enumerate(steps):
            if member == last:
                continue
            for target in np.flatnonzero(step[state]):
                reached.add(int(target))
                pair = (int(target), member)
                if pair not in path:
                    extend(int(target), member, path | {pair})

    extend(start, -1, frozenset())
    return reached


def stable(model: GraphModel, i: int, s: int, concept: str) -> bool:
    n, m = model.n_states, model.n_dms
    pay = model.score[i]
    others = [k for k in range(m) if k != i]
    ups = [t for t in range(n) if model.moves[i][s, t] and pay[t] > pay[s]]
    if concept == "nash":
        return not ups
    for s1 in ups:
        if concept == "seq":
            steps = [
                model.moves[k] & (model.score[k][None, :] > model.score[k][:, None]) for k in others
            ]
        else:
            steps = [model.moves[k] for k in others]
        reach = sequences_reach(steps, s1)
        if concept == "gmr" and not any(pay[s2] <= pay[s] for s2 in reach):
            return False
        if concept == "seq" and not any(pay[s2] <= pay[s] for s2 in reach):
            return False
        if concept == "smr" and not any(
            pay[s2] <= pay[s]
            and all(pay[s3] <= pay[s] for s3 in range(n) if model.moves[i][s2, s3])
            for s2 in reach
        ):
            return False
    return True
