"""The ``ceasefire divide`` result document, built once for the command line and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ceasefire.fair_division.adjusted_winner import adjusted_winner, is_efficient
from ceasefire.fair_division.inputs import PointsTable, points_from_scenario, read_points_csv
from ceasefire.provenance import Provenance

ASSUMPTIONS = (
    "Points are additive over items, and a share of an item is worth that share of its points "
    "to each party (Brams & Taylor's Adjusted Winner)."
)
SCENARIO_ASSUMPTIONS = (
    "Each issue is an item; a belligerent's points on it are its weight times 100; winning an issue "
    "means getting one's best option, and an issue lost is worth nothing, which ignores the value "
    "the scenario gives to intermediate options."
)


def load_points(path: str | Path) -> PointsTable:
    """A CSV points table (``.csv``) or a scenario file; raises ScenarioError on bad input."""
    from ceasefire.scenario import load_scenario

    if str(path).lower().endswith(".csv"):
        return read_points_csv(path)
    return points_from_scenario(load_scenario(path))


def divide_document(table: PointsTable) -> dict[str, Any]:
    """The Adjusted Winner division of ``table`` as a JSON-ready document, with provenance."""
    division = adjusted_winner(table.items, table.points, table.parties)
    document: dict[str, Any] = {"source": table.source, **division.to_dict()}
    document["properties"]["efficient"] = is_efficient(division)
    assumptions = [ASSUMPTIONS]
    if table.best is not None:
        assumptions.append(SCENARIO_ASSUMPTIONS)
        document["best_options"] = table.best
    document["assumptions"] = assumptions
    document["provenance"] = Provenance(
        scenario_sha256=table.sha256, parameters={"method": "adjusted_winner"}
    ).to_dict()
    return document
