"""What ``ceasefire divide`` divides: a points table (CSV) or a scenario's two belligerents.

CSV: a header ``item,PartyA,PartyB`` (the two party names are the header's last two cells) and one
row per item with each party's points; each party's points sum to 100.

Scenario: each issue is an item and each belligerent's points on it are its weight on the issue
times 100 (the weights sum to 1, so the points sum to 100; an uncertain weight counts with its
mean). Winning an issue means getting one's own best option on it; the split issue is the one on
which a compromise must be found, worth the given share to each side. This reading assumes what
Adjusted Winner assumes [BramsTaylor1996]: a side values an issue it loses at nothing and a share
of an issue in proportion, which a scenario's value functions need not say (its intermediate
options may be worth something to both), so the division is a benchmark, not a package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ceasefire.fair_division.adjusted_winner import TOTAL_POINTS as TOTAL
from ceasefire.fair_division.adjusted_winner import validate_points
from ceasefire.scenario.distributions import point_value
from ceasefire.scenario.load import LoadedScenario, Located, ScenarioError
from ceasefire.scenario.utility import issue_values, option_labels
from ceasefire.table_file import check_width, number_cell, read_table, unique_names


@dataclass(frozen=True)
class PointsTable:
    """Two parties' points over items, with where they come from."""

    parties: tuple[str, str]
    items: tuple[str, ...]
    points: np.ndarray
    source: str
    text: str
    best: dict[str, dict[str, str | float]] | None = None  # scenario: each side's best option

    @property
    def sha256(self) -> str:
        import hashlib

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def read_points_csv(path: str | Path) -> PointsTable:
    """Read ``item,PartyA,PartyB``; raise :class:`ScenarioError` with every problem located."""
    table = read_table(path)
    problems: list[Located] = []
    check_width(table, 3, problems)
    if problems:
        raise ScenarioError(problems)
    names = unique_names(table, 0, problems)
    points = np.array(
        [[number_cell(table, row, c, problems, low=0.0) for c in (1, 2)] for row in table.rows],
        dtype=float,
    ).reshape(len(table.rows), 2)
    parties = (table.header[1], table.header[2])
    if not problems:
        last = table.rows[-1] if table.rows else None
        for message in validate_points(names, points, parties):
            column = 1 + next((i for i, p in enumerate(parties) if message.startswith(p)), 0)
            problems.append(table.problem(last, column, message))
    if problems:
        raise ScenarioError(problems)
    return PointsTable(parties, tuple(names), points, table.path, table.text)


def points_from_scenario(loaded: LoadedScenario) -> PointsTable:
    """The two belligerents' weights as points over the issues (see the module docstring)."""
    scenario = loaded.scenario
    sides = [p for p in scenario.parties if p.role == "belligerent"]
    if len(sides) != 2:
        raise ScenarioError(
            [
                Located(
                    loaded.path,
                    1,
                    1,
                    f"parties: Adjusted Winner needs exactly two belligerents; found {len(sides)}",
                )
            ]
        )
    points = np.array(
        [
            [
                TOTAL * point_value(scenario.preferences[p.id].weights.get(issue.id, 0.0))
                for p in sides
            ]
            for issue in scenario.issues
        ],
        dtype=float,
    )
    # Weights sum to 1 within 1e-6; rescale so that the points sum to exactly 100.
    points = points * (TOTAL / points.sum(axis=0))
    best: dict[str, dict[str, str | float]] = {}
    for issue in scenario.issues:
        labels = option_labels(issue)
        best[issue.id] = {
            p.id: labels[int(np.argmax(issue_values(scenario.preferences[p.id], issue, labels)))]
            for p in sides
        }
    return PointsTable(
        (sides[0].id, sides[1].id),
        tuple(issue.id for issue in scenario.issues),
        points,
        loaded.path,
        loaded.text,
        best,
    )
