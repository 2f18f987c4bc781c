"""A small graph model from a scenario: who controls which issue, ranked by the scenario's utilities.

The analyst says which party can change which issue on its own (``control``: issue -> party), for
example the line of contact by the side that holds the ground. Each controlled issue with options
``o_1..o_k`` becomes ``k - 1`` options of its controller, ``ISSUE.OPTION`` (the status quo option
is "none taken"), at most one taken at a time. A state is then a package: the controlled issues as
chosen, every other issue at its status quo. Each decision maker ranks the states by its utility
``U_i`` of that package (:mod:`ceasefire.scenario.utility`, uncertain numbers at their means),
equal utilities tied; a package that crosses one of its red lines ranks below every one that does
not. Each option is labelled by the scenario's names (``Border line: The southern ridge``).
Every option is reversible.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ceasefire.scenario import LoadedScenario, Located, ScenarioError
from ceasefire.scenario.labels import option_text
from ceasefire.scenario.utility import (
    crosses_red_line,
    option_labels,
    status_quo_package,
    utilities_of,
)
from ceasefire.stability.build import MAX_STATES, Conflict, build
from ceasefire.stability.model import StabilityModel

TIE = 1e-9


def _label(value: str | float) -> str:
    return value if isinstance(value, str) else f"{value:g}".replace("-", "m")


def conflict_from_scenario(loaded: LoadedScenario, control: Mapping[str, str]) -> Conflict:
    """The graph model of ``loaded`` with ``control`` (issue id -> party id); ScenarioError if the
    control names unknown issues or parties, or the model would be too large."""
    scenario = loaded.scenario
    issues = {i.id: i for i in scenario.issues}
    parties = {p.id for p in scenario.parties}
    problems = [
        f"--control: no issue '{i}' (issues: {', '.join(issues)})"
        for i in control
        if i not in issues
    ]
    problems += [
        f"--control: no party '{p}' (parties: {', '.join(sorted(parties))})"
        for p in control.values()
        if p not in parties
    ]
    if len(set(control.values())) < 2 and not problems:
        problems.append("--control: at least two parties must control an issue")
    size = int(np.prod([len(option_labels(issues[i])) for i in control if i in issues] or [1]))
    if size > MAX_STATES:
        problems.append(f"--control: {size:,} states; at most {MAX_STATES:,}")
    if problems:
        raise ScenarioError([Located(loaded.path, 1, 1, p) for p in problems])

    owners = [p.id for p in scenario.parties if p.id in control.values()]
    options: dict[str, list[tuple[str, str, str | float]]] = {p: [] for p in owners}
    infeasible: list[str] = []
    for issue in scenario.issues:
        if issue.id not in control:
            continue
        ids = []
        for value in option_labels(issue):
            if value == issue.status_quo:
                continue
            option_id = f"{issue.id}.{_label(value)}"
            ids.append(option_id)
            options[control[issue.id]].append((option_id, issue.id, value))
        infeasible += [f"{a} & {b}" for k, a in enumerate(ids) for b in ids[k + 1 :]]

    def model(preferences: dict[str, object]) -> StabilityModel:
        return StabilityModel.model_validate(
            {
                "stability_version": 1,
                "id": f"{scenario.id}-stability"[:100],
                "title": f"{scenario.title}: who controls what",
                "decision_makers": [
                    {
                        "id": party,
                        "name": scenario.party(party).name,
                        "options": [
                            {"id": o, "label": f"{issues[i].name}: {option_text(issues[i], v)}"}
                            for o, i, v in options[party]
                        ],
                    }
                    for party in owners
                ],
                "infeasible": infeasible,
                "preferences": preferences,
                "status_quo": 1,
            }
        )

    # First the states, with every DM indifferent (no priorities); then the rankings.
    tied = build(model({p: {"priorities": []} for p in owners}))[0]
    assert tied is not None
    lookup = {o: (i, v) for p in owners for o, i, v in options[p]}
    sq = status_quo_package(scenario)
    rankings: dict[str, object] = {}
    utilities = np.zeros((len(owners), tied.graph.n_states))
    crossing = np.zeros((len(owners), tied.graph.n_states), dtype=bool)
    for s in range(tied.graph.n_states):
        package = dict(sq)
        for j, option_id in enumerate(tied.option_ids):
            if tied.taken[s, j]:
                issue_id, value = lookup[option_id]
                package[issue_id] = value
        values = utilities_of(scenario, package)
        for d, party in enumerate(owners):
            utilities[d, s] = values[party]
            prefs = scenario.preferences[party]
            crossing[d, s] = any(
                bool(crosses_red_line(prefs, issues[i])[option_labels(issues[i]).index(package[i])])
                for i in control
            )
    for d, party in enumerate(owners):
        key = np.where(crossing[d], utilities[d] - 1e6, utilities[d])
        order = np.argsort(-key, kind="stable")
        tiers: list[list[int]] = []
        previous = None
        for s in order:
            if previous is not None and abs(key[s] - previous) <= TIE:
                tiers[-1].append(int(s) + 1)
            else:
                tiers.append([int(s) + 1])
            previous = key[s]
        rankings[party] = {"ranking": tiers}
    conflict, problems_left = build(model(rankings))
    assert conflict is not None, problems_left
    return conflict
