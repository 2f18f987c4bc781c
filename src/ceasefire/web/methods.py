"""The methods analysts already use, in the web app: an expected-utility forecast, a stability
analysis (graph model) and a fair division (Adjusted Winner), each from an uploaded file of its
own format or, for the forecast and the division, from a stored scenario.

Each is quick, so it runs while the request waits (on a worker thread) and is not stored as a
run. An upload is written to a temporary file whose name the app chooses (only its extension
follows the upload's), read by the method's own loader, and removed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ceasefire.scenario import LoadedScenario

MAX_FORECAST_ROUNDS = 1000


@dataclass(frozen=True)
class Method:
    name: str
    title: str
    description: str
    accepts: str  # what an upload may be, for the form
    extensions: tuple[str, ...]
    from_scenario: bool


METHODS: dict[str, Method] = {
    method.name: method
    for method in (
        Method(
            "forecast",
            "Expected-utility forecast",
            "Where the actors' positions on one issue move, round by round, in Bueno de "
            "Mesquita's group-decision model as specified by Scholz, Calbert & Smith (2011).",
            "a CSV (actor, capability, position, salience), or a scenario whose parties have a "
            "capability",
            (".csv", ".yaml", ".yml"),
            True,
        ),
        Method(
            "stability",
            "Stability analysis",
            "Which states of a conflict are stable for every decision maker (Nash, GMR, SMR, "
            "SEQ) in the Graph Model for Conflict Resolution (Fang, Hipel & Kilgour 1993).",
            "a stability model (YAML)",
            (".yaml", ".yml"),
            False,
        ),
        Method(
            "divide",
            "Fair division",
            "Brams & Taylor's Adjusted Winner: two parties spread 100 points over items; the "
            "division is envy-free, equitable and efficient, and splits at most one item.",
            "a CSV (item, then each party's points), or a scenario with two belligerents",
            (".csv", ".yaml", ".yml"),
            True,
        ),
    )
}


def extension(method: Method, filename: str | None) -> str:
    """The upload's extension if the method reads it, else the method's first (never a path)."""
    suffix = Path(filename or "").suffix.lower()
    return suffix if suffix in method.extensions else method.extensions[0]


def from_upload(name: str, data: bytes, suffix: str, rounds: int) -> dict[str, Any]:
    """The method's document from an uploaded file; raises ScenarioError on bad input."""
    handle, temporary = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        document = _loaders(rounds)[name](temporary)
    finally:
        Path(temporary).unlink(missing_ok=True)
    document["source"] = "uploaded file"  # not the temporary name
    return document


def from_scenario(name: str, loaded: LoadedScenario, rounds: int) -> dict[str, Any]:
    """The forecast or division of a stored scenario, through the registry of runs (as the
    command line's); raises ScenarioError if it cannot be."""
    from ceasefire.runs import run

    if name == "forecast":
        return run("forecast", loaded, rounds=rounds).document
    if name == "divide":
        return run("divide", loaded).document
    raise ValueError(f"{name} does not read a scenario")


def _loaders(rounds: int) -> dict[str, Callable[[str], dict[str, Any]]]:
    from ceasefire.fair_division.document import divide_document, load_points
    from ceasefire.forecast.document import forecast_document, load_actors
    from ceasefire.stability.document import stability_file

    return {
        "forecast": lambda path: forecast_document(load_actors(path), rounds=rounds),
        "stability": stability_file,
        "divide": lambda path: divide_document(load_points(path)),
    }


def figures(name: str, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The method's figures as plotly JSON, for the page's script to draw."""
    import json

    import plotly.io as pio

    from ceasefire.report.method_figures import method_figures_for

    return [
        {
            "name": spec_name,
            "caption": spec.caption,
            "figure": json.loads(pio.to_json(figure, validate=False)),
        }
        for spec_name, (spec, figure) in method_figures_for({name: document}, None).items()
    ]


def tables(name: str, document: dict[str, Any]) -> dict[str, Any]:
    """What the result page shows besides the figures, in a person's words."""
    if name == "forecast":
        from ceasefire.cli.forecast import shown_rounds

        rounds = shown_rounds(int(document["rounds"]), 11)
        return {
            "rounds": rounds,
            "actors": [
                {
                    "name": entry["actor"],
                    "positions": [document["positions"][k][entry["actor"]] for k in rounds],
                }
                for entry in document["actors"]
            ],
            "median": [document["median"][k] for k in rounds],
            "mean": [document["mean"][k] for k in rounds],
        }
    if name == "stability":
        makers = {dm["id"]: dm["name"] for dm in document["decision_makers"]}
        labels = {o["id"]: o.get("label") or o["id"] for o in document["options"]}
        states = {s["state"]: s for s in document["states"]}
        rows = []
        for row in document["table"]:
            state = states.get(row["state"], {})
            chosen = [labels[o] for o, on in (state.get("options") or {}).items() if on]
            rows.append(
                {
                    "state": row["state"],
                    "options": "; ".join(chosen) or "none taken",
                    "stable": [
                        [concept for concept, yes in row["stable"][dm].items() if yes]
                        for dm in makers
                    ],
                }
            )
        return {
            "makers": list(makers.values()),
            "rows": rows,
            "equilibria": document["equilibria"],
        }
    return {
        "parties": document["parties"],
        "items": document["items"],
        "totals": document["totals"],
        "split": document.get("split"),
        "properties": document.get("properties") or {},
    }
