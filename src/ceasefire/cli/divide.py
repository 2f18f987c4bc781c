"""``ceasefire divide``: Adjusted Winner between two parties who spread 100 points over items."""

from __future__ import annotations

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
from ceasefire.scenario.labels import Labels

FILE_HELP = (
    "A CSV file `item,PartyA,PartyB` (each party's points sum to 100), or a scenario "
    "(file or bundled id) whose two belligerents' weights are the points over its issues."
)


def divide(
    file: Annotated[str, typer.Argument(help=FILE_HELP)],
    json_output: JsonOutput = False,
    out: Out = None,
    set_values: SetValues = None,
) -> None:
    """Divide items between two parties by Adjusted Winner: equitable, envy-free, efficient."""
    from ceasefire.fair_division.document import divide_document
    from ceasefire.fair_division.inputs import read_points_csv
    from ceasefire.runs import run
    from ceasefire.scenario import ScenarioError

    path = table_or_scenario(file, set_values)
    labels = Labels(None)
    try:
        if path.lower().endswith(".csv"):
            document = divide_document(read_points_csv(path))
        else:
            loaded = load_or_exit(path, set_values)
            labels = Labels(loaded.scenario)
            document = run("divide", loaded).document
    except ScenarioError as error:
        fail([str(p) for p in error.problems])
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_division(document, labels),
    )


def table_or_scenario(file: str, set_values: list[str] | None = None) -> str:
    """A ``.csv`` path as given; otherwise a scenario file or bundled id, resolved (exit 1 if
    neither, or if ``--set`` changes are given with a table: they name a scenario's numbers)."""
    from ceasefire.scenario import resolve_scenario

    if file.lower().endswith(".csv"):
        if set_values:
            fail(f"{file}: --set changes a scenario's numbers; edit the CSV table instead")
        return file
    try:
        return str(resolve_scenario(file))
    except FileNotFoundError as error:
        fail(str(error))


def _pts(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def print_division(document: dict[str, Any], labels: Labels | None = None) -> None:
    """The allocation item by item, the split item and the totals (parties and items by the
    names the scenario gives them, with ``labels``)."""
    from rich.table import Table

    labels = labels or Labels(None)
    first_id, second_id = document["parties"]
    first, second = labels.party(first_id), labels.party(second_id)
    title = labels.scenario.title if labels.scenario is not None else document["source"]
    table = Table(title=f"Adjusted Winner: {title}", title_justify="left")
    for name in ("item", f"{first} pts", f"{second} pts", f"to {first}", f"to {second}"):
        table.add_column(name, justify="left" if name == "item" else "right")
    for entry in document["items"]:
        share = entry["share"]
        table.add_row(
            labels.issue(entry["item"]),
            _pts(entry["points"][first_id]),
            _pts(entry["points"][second_id]),
            f"{share[first_id]:.4g}",
            f"{share[second_id]:.4g}",
        )
    console.print(table)
    initial = document["initial_totals"]
    console.print(
        f"After the winner phase: {first} {_pts(initial[first_id])}, "
        f"{second} {_pts(initial[second_id])}"
        + (
            f" (ties: {', '.join(labels.issue(t) for t in document['ties'])})"
            if document["ties"]
            else ""
        ),
        markup=False,
        soft_wrap=True,
    )
    split = document["split"]
    console.print(
        f"Split item: {labels.issue(split)}" if split else "No item is split.",
        markup=False,
        soft_wrap=True,
    )
    totals = document["totals"]
    console.print(
        f"Points each gets, by its own count: {first} {_pts(totals[first_id])}, "
        f"{second} {_pts(totals[second_id])}.",
        markup=False,
        soft_wrap=True,
    )
    best = document.get("best_options")
    if best:
        console.print(
            "Winning an issue means getting one's best option: "
            + "; ".join(
                f"{labels.issue(issue)} — {first}: {labels.option(issue, by[first_id])}, "
                f"{second}: {labels.option(issue, by[second_id])}"
                for issue, by in best.items()
            )
            + ".",
            markup=False,
            soft_wrap=True,
        )
    for note in document.get("notes", []):
        console.print(f"Note: {note}", markup=False, soft_wrap=True)
    flags = ", ".join(
        f"{k.replace('_', ' ')}: {'yes' if v else 'NO'}" for k, v in document["properties"].items()
    )
    console.print(flags, markup=False, soft_wrap=True)
    for line in document["assumptions"]:
        console.print(f"Assumes: {line}", markup=False, soft_wrap=True, style="dim")
