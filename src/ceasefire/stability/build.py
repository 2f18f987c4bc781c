"""From a stability model file to a graph model: feasible states, moves, preference scores.

Problems are reported as :class:`ceasefire.scenario.checks.Problem` with their place in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.scenario.checks import Problem, duplicates
from ceasefire.stability.graph import GraphModel
from ceasefire.stability.model import StabilityModel
from ceasefire.stability.statements import StatementError, evaluate

MAX_OPTIONS = 20
MAX_STATES = 1024  # the moves are n x n matrices per decision maker


@dataclass(frozen=True)
class Conflict:
    """A stability model with its feasible states numbered 1..n and its graph model."""

    model: StabilityModel
    option_ids: tuple[str, ...]
    owner: tuple[int, ...]  # the DM controlling each option
    taken: npt.NDArray[np.bool_]  # (n_states, n_options)
    codes: npt.NDArray[np.int64]  # decimal code of each feasible state
    graph: GraphModel
    status_quo: int | None  # 0-based state index

    @property
    def dm_ids(self) -> list[str]:
        return [dm.id for dm in self.model.decision_makers]

    def pattern(self, state: int) -> str:
        """Y/N per option, in the order of the file."""
        return "".join("Y" if t else "N" for t in self.taken[state])


def build(model: StabilityModel) -> tuple[Conflict | None, list[Problem]]:
    """The conflict, or the problems that prevent building it."""
    problems: list[Problem] = []
    dms = model.decision_makers
    problems += duplicates([dm.id for dm in dms], ("decision_makers",), "decision maker")
    option_ids: list[str] = []
    owner: list[int] = []
    reversibility: list[str] = []
    for d, dm in enumerate(dms):
        for o, option in enumerate(dm.options):
            if option.id in option_ids:
                problems.append(
                    Problem(
                        ("decision_makers", d, "options", o, "id"),
                        f"duplicate option id '{option.id}'",
                    )
                )
            if option.id == "IF":
                problems.append(
                    Problem(
                        ("decision_makers", d, "options", o, "id"), "'IF' is a keyword, not an id"
                    )
                )
            option_ids.append(option.id)
            owner.append(d)
            reversibility.append(option.reversibility)
    if len(option_ids) > MAX_OPTIONS:
        problems.append(
            Problem(("decision_makers",), f"{len(option_ids)} options; at most {MAX_OPTIONS}")
        )
    for key in model.preferences:
        if key not in {dm.id for dm in dms}:
            problems.append(
                Problem(("preferences", key), f"unknown decision maker '{key}'", key=True)
            )
    for d, dm in enumerate(dms):
        if dm.id not in model.preferences:
            problems.append(Problem(("decision_makers", d, "id"), f"'{dm.id}' has no preferences"))
    if problems:
        return None, problems

    k = len(option_ids)
    codes_all = np.arange(2**k, dtype=np.int64)
    taken_all = ((codes_all[:, None] >> np.arange(k)) & 1).astype(bool)
    columns = {oid: taken_all[:, j] for j, oid in enumerate(option_ids)}
    feasible = np.ones(len(codes_all), dtype=bool)
    for index, condition in enumerate(model.infeasible):
        try:
            feasible &= ~evaluate(condition, columns)
        except StatementError as error:
            problems.append(Problem(("infeasible", index), str(error)))
    if problems:
        return None, problems
    if not feasible.any():
        return None, [Problem(("infeasible",), "no feasible state is left")]
    if int(feasible.sum()) > MAX_STATES:
        return None, [
            Problem(
                ("infeasible",), f"{int(feasible.sum()):,} feasible states; at most {MAX_STATES:,}"
            )
        ]
    codes = codes_all[feasible]
    taken = taken_all[feasible]
    n = len(codes)
    feasible_columns = {oid: taken[:, j] for j, oid in enumerate(option_ids)}

    moves = []
    owner_arr = np.array(owner)
    forward = np.array([r != "backward" for r in reversibility])
    backward = np.array([r != "forward" for r in reversibility])
    for d in range(len(dms)):
        own = owner_arr == d
        same_others = (taken[:, None, ~own] == taken[None, :, ~own]).all(axis=2)
        # taking an option (N -> Y) needs forward; undoing it (Y -> N) needs backward
        gains = ~taken[:, None, :] & taken[None, :, :]
        losses = taken[:, None, :] & ~taken[None, :, :]
        allowed = ~(gains & ~forward).any(axis=2) & ~(losses & ~backward).any(axis=2)
        move = same_others & allowed
        np.fill_diagonal(move, False)
        moves.append(move)

    scores = []
    for dm in dms:
        preference = model.preferences[dm.id]
        where = ("preferences", dm.id)
        if preference.priorities is not None:
            score = np.zeros(n, dtype=np.int64)
            count = len(preference.priorities)
            for index, statement in enumerate(preference.priorities):
                try:
                    truth = evaluate(statement, feasible_columns)
                except StatementError as error:
                    problems.append(Problem((*where, "priorities", index), str(error)))
                    continue
                score += truth.astype(np.int64) << (count - 1 - index)
            scores.append(score)
            continue
        assert preference.ranking is not None
        score = np.full(n, -1, dtype=np.int64)
        tiers = preference.ranking
        for position, entry in enumerate(tiers):
            for state in entry if isinstance(entry, list) else [entry]:
                if not 1 <= state <= n:
                    problems.append(
                        Problem((*where, "ranking", position), f"no state {state} (states 1..{n})")
                    )
                elif score[state - 1] >= 0:
                    problems.append(
                        Problem((*where, "ranking", position), f"state {state} is ranked twice")
                    )
                else:
                    score[state - 1] = len(tiers) - position
        missing = [str(s + 1) for s in np.flatnonzero(score < 0)]
        if missing and not problems:
            problems.append(
                Problem((*where, "ranking"), f"states not ranked: {', '.join(missing)}")
            )
        scores.append(score)

    status_quo: int | None = None
    if isinstance(model.status_quo, int):
        if not 1 <= model.status_quo <= n:
            problems.append(Problem(("status_quo",), f"no state {model.status_quo} (1..{n})"))
        else:
            status_quo = model.status_quo - 1
    elif isinstance(model.status_quo, str):
        try:
            matches = np.flatnonzero(evaluate(model.status_quo, feasible_columns))
        except StatementError as error:
            problems.append(Problem(("status_quo",), str(error)))
        else:
            if len(matches) != 1:
                problems.append(
                    Problem(("status_quo",), f"is true in {len(matches)} states; it must be one")
                )
            else:
                status_quo = int(matches[0])
    if problems:
        return None, problems
    graph = GraphModel(tuple(moves), tuple(scores))
    return (
        Conflict(model, tuple(option_ids), tuple(owner), taken, codes, graph, status_quo),
        [],
    )
