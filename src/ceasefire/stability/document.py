"""The ``ceasefire stability`` result document, built once for the command line and the report."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario
from ceasefire.stability.build import Conflict
from ceasefire.stability.graph import (
    CONCEPTS,
    Sanctions,
    analyse,
    coalition_improvements,
    improvement_paths,
)
from ceasefire.stability.load import load_conflict

ASSUMPTIONS = (
    "Graph Model for Conflict Resolution (Fang, Hipel & Kilgour 1993): each decision maker knows "
    "only its own preference ranking, moves one step at a time, and a state is stable for it when "
    "every unilateral improvement can be sanctioned as the concept (Nash, GMR, SMR, SEQ) allows; "
    "preferences are ordinal and fixed."
)


def number(state: int | np.integer[Any]) -> int:
    """States are numbered from 1, as in the literature."""
    return int(state) + 1


def stability_document(
    conflict: Conflict, text: str, source: str, sanctions: Sanctions = "legal"
) -> dict[str, Any]:
    """Stability of every state for every DM under every concept, equilibria, status quo paths."""
    graph = conflict.graph
    result = analyse(graph, sanctions)
    dms = conflict.dm_ids
    states = [
        {
            "state": number(s),
            "code": int(conflict.codes[s]),
            "pattern": conflict.pattern(s),
            "options": {
                o: bool(t) for o, t in zip(conflict.option_ids, conflict.taken[s], strict=True)
            },
        }
        for s in range(graph.n_states)
    ]
    table = [
        {
            "state": number(s),
            "stable": {
                dm: {c: bool(result.stable[c][d, s]) for c in CONCEPTS} for d, dm in enumerate(dms)
            },
        }
        for s in range(graph.n_states)
    ]
    equilibria = {c: [number(s) for s in result.equilibria(c)] for c in CONCEPTS}
    ranking = {
        dm: [number(s) for s in np.argsort(-graph.score[d], kind="stable")]
        for d, dm in enumerate(dms)
    }
    moves = [
        {
            "dm": dm,
            "from": number(s),
            "to": number(t),
            "improvement": bool(graph.score[d][t] > graph.score[d][s]),
        }
        for d, dm in enumerate(dms)
        for s, t in zip(*np.nonzero(graph.moves[d]), strict=True)
    ]
    document: dict[str, Any] = {
        "model": conflict.model.id,
        "title": conflict.model.title,
        "source": source,
        "decision_makers": [
            {"id": dm.id, "name": dm.name or dm.id, "options": [o.id for o in dm.options]}
            for dm in conflict.model.decision_makers
        ],
        "options": [
            {"id": o.id, "dm": dm.id, "label": o.label, "reversibility": o.reversibility}
            for dm in conflict.model.decision_makers
            for o in dm.options
        ],
        "states": states,
        "preference_scores": {dm: [int(v) for v in graph.score[d]] for d, dm in enumerate(dms)},
        "ranking": ranking,
        "table": table,
        "equilibria": equilibria,
        "moves": moves,
    }
    coalitions = coalition_improvements(graph)
    document["coalitions"] = {
        "improvements": {
            str(number(s)): [[dms[k] for k in c] for c in found]
            for s, found in enumerate(coalitions)
            if found
        },
        "nash_equilibria_stable": [s for s in equilibria["nash"] if not coalitions[s - 1]],
    }
    if conflict.status_quo is not None:
        paths = improvement_paths(graph, conflict.status_quo)
        targets = sorted({s for found in equilibria.values() for s in found})
        document["status_quo"] = {
            "state": number(conflict.status_quo),
            "paths": {
                str(target): (
                    [
                        {"dm": dms[mover], "state": number(state)}
                        for mover, state in paths[target - 1]
                    ]
                    if target - 1 in paths
                    else None
                )
                for target in targets
            },
        }
    document["assumptions"] = [ASSUMPTIONS]
    document["provenance"] = Provenance(
        scenario_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        parameters={"concepts": list(CONCEPTS), "sanctions": sanctions},
    ).to_dict()
    return document


def stability_scenario(
    loaded: LoadedScenario, control: Mapping[str, str], sanctions: Sanctions = "legal"
) -> dict[str, Any]:
    """The graph model of a scenario given who controls which issue, analysed."""
    from ceasefire.stability.from_scenario import conflict_from_scenario

    conflict = conflict_from_scenario(loaded, control)
    document = stability_document(conflict, loaded.text, loaded.path, sanctions)
    document["control"] = dict(control)
    document["assumptions"].append(
        "Built from a scenario: each controlled issue's options are its controller's; the other "
        "issues stay at their status quo; each decision maker ranks the states by its utility of "
        "the package, and ranks every state that crosses one of its red lines below every state "
        "that crosses none."
    )
    document["provenance"]["parameters"]["control"] = dict(control)
    return document


def stability_file(path: str | Path, sanctions: Sanctions = "legal") -> dict[str, Any]:
    """Load a stability model file and analyse it (raises ScenarioError on bad input)."""
    conflict, text = load_conflict(path)
    return stability_document(conflict, text, str(path), sanctions)
