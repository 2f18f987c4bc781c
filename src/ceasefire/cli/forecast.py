"""``ceasefire forecast``: where the actors' positions move, by Bueno de Mesquita's model."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from ceasefire.cli.common import (
    JsonOutput,
    Out,
    SetValues,
    console,
    emit,
    fail,
    load_or_exit,
)
from ceasefire.defaults import FORECAST_ROUNDS
from ceasefire.scenario.labels import Labels

FILE_HELP = (
    "A CSV file (actor, capability, position, salience), or a scenario (file or bundled id) whose "
    "parties have a `capability`."
)


class Normaliser(StrEnum):
    all_pairs = "all_pairs"
    pair = "pair"


class Perspective(StrEnum):
    receiver = "receiver"
    own = "own"


class Choice(StrEnum):
    by_kind = "by_kind"
    least_move = "least_move"


def forecast(
    file: Annotated[str, typer.Argument(help=FILE_HELP)],
    rounds: Annotated[
        int, typer.Option(min=0, max=1000, help="Rounds of bargaining.")
    ] = FORECAST_ROUNDS,
    issue: Annotated[
        str | None,
        typer.Option(help="Scenario only: the issue (default: the first numeric issue)."),
    ] = None,
    q: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Probability that the target keeps its position "
            "absent a challenge (default 1, as in the replications of Scholz et al.).",
        ),
    ] = 1.0,
    t: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="With q < 1: probability that things get better absent a challenge.",
        ),
    ] = 1.0,
    probability: Annotated[
        Normaliser, typer.Option(help="Normaliser of the win probability (see the how-to).")
    ] = Normaliser.all_pairs,
    perspective: Annotated[
        Perspective, typer.Option(help="Whose risk exponent evaluates an offer.")
    ] = Perspective.receiver,
    choice: Annotated[Choice, typer.Option(help="Which offer an actor accepts.")] = Choice.by_kind,
    json_output: JsonOutput = False,
    out: Out = None,
    set_values: SetValues = None,
) -> None:
    """Forecast the group decision on one issue: positions, median and mean round by round."""
    from ceasefire.cli.divide import table_or_scenario
    from ceasefire.forecast import Options
    from ceasefire.forecast.document import forecast_document
    from ceasefire.forecast.inputs import read_actors_csv
    from ceasefire.runs import run
    from ceasefire.scenario import ScenarioError

    path = table_or_scenario(file, set_values)
    labels = Labels(None)
    chosen: dict[str, Any] = {
        "q": q,
        "t": t,
        "probability": "pair" if probability is Normaliser.pair else "all_pairs",
        "perspective": "own" if perspective is Perspective.own else "receiver",
        "choice": "least_move" if choice is Choice.least_move else "by_kind",
    }
    try:
        if path.lower().endswith(".csv"):
            table = read_actors_csv(path)
            options = Options(**chosen)
            document = forecast_document(table, rounds=rounds, options=options)
        else:
            loaded = load_or_exit(path, set_values)
            labels = Labels(loaded.scenario)
            document = run("forecast", loaded, rounds=rounds, issue=issue, **chosen).document
    except ScenarioError as error:
        fail([str(p) for p in error.problems])
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_forecast(document, labels),
    )


MAX_COLUMNS = 8


def shown_rounds(rounds: int, most: int = MAX_COLUMNS) -> list[int]:
    """The rounds a terminal table has room for: all, or evenly spaced ones with the first and last."""
    if rounds + 1 <= most:
        return list(range(rounds + 1))
    return sorted({round(k * rounds / (most - 1)) for k in range(most)})


def print_forecast(document: dict[str, Any], labels: Labels | None = None) -> None:
    """Each actor's position in the rounds shown, then the median and the mean (actors by the
    names the scenario gives them, with ``labels``)."""
    from rich.table import Table

    labels = labels or Labels(None)
    rounds = shown_rounds(document["rounds"])
    table = Table(title=f"Expected-utility forecast: {document['source']}", title_justify="left")
    table.add_column("actor \\ round")
    for k in rounds:
        table.add_column(str(k), justify="right")
    for entry in document["actors"]:
        name = entry["actor"]
        positions = (f"{document['positions'][k][name]:.4g}" for k in rounds)
        table.add_row(labels.party(name), *positions)
    table.add_section()
    for key in ("median", "mean"):
        table.add_row(key, *(f"{document[key][k]:.4g}" for k in rounds), style="bold")
    console.print(table)
    if len(rounds) < document["rounds"] + 1:
        console.print(
            f"{len(rounds)} of the {document['rounds'] + 1} rounds (0 to {document['rounds']}) "
            "shown, evenly spaced; --json gives every round.",
            markup=False,
            soft_wrap=True,
        )
    scale = document.get("scale")
    if scale and "positions" in scale:
        console.print(
            f"Positions on '{scale['issue']}': {scale['positions']}", markup=False, soft_wrap=True
        )
    for note in document["notes"]:
        console.print(f"Note: {note}", markup=False, soft_wrap=True)
    for line in document["assumptions"]:
        console.print(f"Assumes: {line}", markup=False, soft_wrap=True, style="dim")
