"""What ``ceasefire forecast`` reads: an actor table (CSV) or one issue of a scenario.

CSV: a header naming the four columns, in any order: the actor (``actor``, ``stakeholder`` or
``name``), its capability (``capability``, ``resources``, ``power`` or ``clout``), its position
(a column whose name starts with ``position``) and its salience (``salience``). Capabilities are
compared with each other only, so any scale will do. Salience is a probability in [0, 1]; a table
whose saliences go above 1 is read as percentages (0..100) and divided by 100, as in
[BuenoDeMesquita1994]'s and [BuenoDeMesquita2002]'s tables.

Scenario: one issue, numeric or ordered categorical (its options listed in order); every party
with a ``capability`` and preferences on the issue is an actor; its position is its ideal option
(the grid value, or the option's index 0, 1, ... in the listed order, with the highest value),
its salience its weight on the issue (an uncertain weight counts with its mean).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ceasefire.scenario.distributions import point_value
from ceasefire.scenario.load import LoadedScenario, Located, ScenarioError
from ceasefire.scenario.utility import issue_values, option_labels
from ceasefire.table_file import check_width, number_cell, read_table, unique_names

ACTOR = ("actor", "stakeholder", "name")
CAPABILITY = ("capability", "resources", "power", "clout")


@dataclass(frozen=True)
class ActorTable:
    """Actors with capability, position and salience (in [0, 1]), and where they come from."""

    actors: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    source: str
    text: str
    scale: dict[str, str | float] | None = None  # scenario: the issue and what positions mean
    notes: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def read_actors_csv(path: str | Path) -> ActorTable:
    """Read the actor table; raise :class:`ScenarioError` with every problem located."""
    table = read_table(path)
    problems: list[Located] = []
    lower = [h.lower() for h in table.header]

    def column(names: tuple[str, ...] | None, prefix: str | None, what: str) -> int:
        for index, head in enumerate(lower):
            if (names and head in names) or (prefix and head.startswith(prefix)):
                return index
        options = ", ".join(names or ()) or f"a name starting with '{prefix}'"
        problems.append(table.problem(None, 0, f"header: no {what} column ({options})"))
        return -1

    columns = (
        column(ACTOR, None, "actor"),
        column(CAPABILITY, None, "capability"),
        column(None, "position", "position"),
        column(("salience",), None, "salience"),
    )
    if problems:
        raise ScenarioError(problems)
    check_width(table, len(table.header), problems)
    if len(table.rows) < 2:
        problems.append(table.problem(None, 0, "the model needs at least two actors"))
    if problems:
        raise ScenarioError(problems)
    names = unique_names(table, columns[0], problems)
    capability, position, salience = (
        np.array([number_cell(table, row, c, problems, low=low) for row in table.rows], dtype=float)
        for c, low in ((columns[1], 0.0), (columns[2], -np.inf), (columns[3], 0.0))
    )
    notes: list[str] = []
    if not problems and salience.max() > 1:
        for row, value in zip(table.rows, salience, strict=True):
            if value > 100:
                problems.append(
                    table.problem(
                        row, columns[3], f"salience: {value:g} is above 100 (0..1 or 0..100)"
                    )
                )
        salience = salience / 100.0
        notes.append("saliences above 1 read as percentages and divided by 100")
    if not problems and (capability * salience).sum() <= 0:
        problems.append(
            table.problem(table.rows[0], columns[1], "no actor has both capability and salience")
        )
    if problems:
        raise ScenarioError(problems)
    return ActorTable(
        tuple(names), capability, position, salience, table.path, table.text, None, tuple(notes)
    )


def actors_from_scenario(loaded: LoadedScenario, issue_id: str | None = None) -> ActorTable:
    """The parties with a capability, on one issue (the first numeric one by default)."""
    scenario = loaded.scenario
    name = loaded.path

    def fail(message: str) -> ScenarioError:
        return ScenarioError([Located(name, 1, 1, message)])

    if issue_id is None:
        numeric = [i for i in scenario.issues if i.kind == "numeric"]
        if not numeric:
            raise fail("issues: no numeric issue; name an ordered categorical one with --issue")
        issue = numeric[0]
    else:
        found = [i for i in scenario.issues if i.id == issue_id]
        if not found:
            known = ", ".join(i.id for i in scenario.issues)
            raise fail(f"issues: no issue '{issue_id}' (known: {known})")
        issue = found[0]
    labels = option_labels(issue)
    actors, capability, position, salience = [], [], [], []
    for party in scenario.parties:
        prefs = scenario.preferences.get(party.id)
        if party.capability is None or prefs is None or issue.id not in prefs.values:
            continue
        values = issue_values(prefs, issue, labels)
        best = int(np.argmax(values))
        actors.append(party.id)
        capability.append(party.capability)
        position.append(float(labels[best]) if issue.kind == "numeric" else float(best))
        salience.append(point_value(prefs.weights.get(issue.id, 0.0)))
    if len(actors) < 2:
        raise fail(
            f"parties: the forecast needs at least two parties with a 'capability' and values on "
            f"'{issue.id}'; found {len(actors)}"
        )
    scale: dict[str, str | float] = {"issue": issue.id, "kind": issue.kind}
    if issue.kind == "categorical":
        scale["positions"] = ", ".join(f"{k}={label}" for k, label in enumerate(labels))
    elif issue.unit:
        scale["unit"] = issue.unit
    return ActorTable(
        tuple(actors),
        np.array(capability),
        np.array(position),
        np.array(salience),
        loaded.path,
        loaded.text,
        scale,
    )
