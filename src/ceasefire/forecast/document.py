"""The ``ceasefire forecast`` result document, built once for the command line and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ceasefire.defaults import FORECAST_ROUNDS
from ceasefire.forecast.expected_utility import Options, forecast
from ceasefire.forecast.inputs import ActorTable, actors_from_scenario, read_actors_csv
from ceasefire.provenance import Provenance

DEFAULT_ROUNDS = FORECAST_ROUNDS
ASSUMPTIONS = (
    "Bueno de Mesquita's expected-utility model as specified by Scholz, Calbert & Smith (2011): "
    "actors see one move ahead, challenge when they expect to gain, and accept the best offer they "
    "receive; capability, position and salience are the inputs' estimates and do not change; the "
    "median and mean are forecasts of the group's decision, not of any actor's."
)


def load_actors(path: str | Path, issue: str | None = None) -> ActorTable:
    """An actor CSV (``.csv``) or a scenario file; raises ScenarioError on bad input."""
    from ceasefire.scenario import load_scenario

    if str(path).lower().endswith(".csv"):
        return read_actors_csv(path)
    return actors_from_scenario(load_scenario(path), issue)


def forecast_document(
    table: ActorTable, *, rounds: int = DEFAULT_ROUNDS, options: Options | None = None
) -> dict[str, Any]:
    """The forecast as a JSON-ready document, with provenance."""
    options = options or Options()
    result = forecast(
        table.actors,
        table.capability,
        table.position,
        table.salience,
        rounds=rounds,
        options=options,
    )
    document: dict[str, Any] = {"source": table.source, **result.to_dict()}
    if table.scale is not None:
        document["scale"] = table.scale
    document["notes"] = list(table.notes)
    document["assumptions"] = [ASSUMPTIONS]
    document["provenance"] = Provenance(
        scenario_sha256=table.sha256,
        parameters={"rounds": rounds, **document["options"]},
    ).to_dict()
    return document
