"""``ceasefire stability``: which states of a conflict are stable, by the Graph Model."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

import typer

from ceasefire.cli.common import JsonOutput, Out, SetValues, console, dump_json, emit, fail


class SanctionRule(StrEnum):
    legal = "legal"
    once = "once"


CONCEPT_LETTERS = {"nash": "R", "gmr": "G", "smr": "S", "seq": "Q"}


def stability(
    file: Annotated[
        str | None,
        typer.Argument(
            help="A stability model file (YAML; see the how-to), or with --control a scenario."
        ),
    ] = None,
    control: Annotated[
        list[str] | None,
        typer.Option(
            "--control",
            help="ISSUE=PARTY: the party that can change this scenario issue on its own "
            "(repeatable); builds the graph model from the scenario.",
        ),
    ] = None,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of the file format.")
    ] = False,
    sanctions: Annotated[
        SanctionRule,
        typer.Option(
            help="legal: opponents sanction by any sequence of moves in which none moves twice in "
            "succession (the definition); once: each opponent moves at most once (gmcr-py)."
        ),
    ] = SanctionRule.legal,
    json_output: JsonOutput = False,
    out: Out = None,
    set_values: SetValues = None,
) -> None:
    """Stability of every state for every decision maker (Nash, GMR, SMR, SEQ) and equilibria."""
    from ceasefire.scenario import ScenarioError
    from ceasefire.stability.document import stability_file

    if schema:
        from ceasefire.stability.model import StabilityModel

        dump_json(StabilityModel.model_json_schema())
        return
    if file is None:
        fail("give a stability model file (or --schema)", 2)
    rule: Literal["legal", "once"] = "once" if sanctions is SanctionRule.once else "legal"
    if set_values and not control:
        fail("--set changes a scenario: give it with --control", 2)
    if not control:
        _check_model_file(file)
    try:
        document = (
            _from_scenario(file, control, rule, set_values)
            if control
            else stability_file(file, rule)
        )
    except ScenarioError as error:
        fail([str(p) for p in error.problems])
    emit(document, json_output=json_output, out=out, show=lambda: print_stability(document))


CONTROL_HINT = (
    "give --control ISSUE=PARTY for issues of at least two parties to build a graph model from "
    "it (e.g. --control border=north --control troops=south), or a stability model file "
    "(docs/how-to/stability.md)"
)


def _check_model_file(file: str) -> None:
    """Exit 1 with a message that says what to do when ``file`` is not a stability model: a
    missing file, a bundled scenario's id, a Genius folder or a scenario file given without
    ``--control``."""
    import re
    from pathlib import Path

    from ceasefire.scenario import bundled_scenarios

    path = Path(file)
    if not path.exists():
        if file in bundled_scenarios():
            fail(f"{file}: a bundled scenario, not a stability model file: {CONTROL_HINT}")
        fail(f"{file}: no such file (nor a bundled scenario, which needs --control)")
    if path.is_dir():
        fail(f"{file}: a folder (a Genius domain?), not a stability model file: {CONTROL_HINT}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # the model loader reports what is wrong with the file
    if re.search(r"(?m)^schema_version\s*:", text) and not re.search(
        r"(?m)^stability_version\s*:", text
    ):
        fail(f"{file}:1:1: a scenario file, not a stability model file: {CONTROL_HINT}")


def _from_scenario(
    name: str,
    control: list[str],
    rule: Literal["legal", "once"],
    set_values: list[str] | None = None,
) -> dict[str, Any]:
    from ceasefire.cli.common import load_or_exit
    from ceasefire.runs import run

    pairs = {}
    for entry in control:
        issue, sep, party = entry.partition("=")
        if not sep or not issue or not party:
            fail(f"--control {entry!r}: expected ISSUE=PARTY", 2)
        pairs[issue.strip()] = party.strip()
    return run("stability", load_or_exit(name, set_values), control=pairs, sanctions=rule).document


def print_stability(document: dict[str, Any]) -> None:
    """The stability table (R Nash, G GMR, S SMR, Q SEQ) and the equilibria, decision makers by
    name, with a key to the options behind each state's Y/N pattern."""
    from rich.table import Table

    dms = [dm["id"] for dm in document["decision_makers"]]
    names = {dm["id"]: dm.get("name") or dm["id"] for dm in document["decision_makers"]}
    table = Table(title=f"{document['title']} ({document['source']})", title_justify="left")
    table.add_column("state", justify="right")
    table.add_column("options")
    for dm in dms:
        table.add_column(names[dm])
    table.add_column("equilibrium")
    equilibria = document["equilibria"]
    for row, state in zip(document["table"], document["states"], strict=True):
        marks = [
            "".join(m if row["stable"][dm][c] else "." for c, m in CONCEPT_LETTERS.items())
            for dm in dms
        ]
        eq = "".join(
            m if row["state"] in equilibria[c] else "." for c, m in CONCEPT_LETTERS.items()
        )
        table.add_row(str(row["state"]), state["pattern"], *marks, eq)
    console.print(table)
    console.print(
        "Options, in the order of each state's pattern (Y taken, N not): "
        + "; ".join(
            f"{k}. {option.get('label') or option['id']} ({names.get(option['dm'], option['dm'])})"
            for k, option in enumerate(document["options"], start=1)
        ),
        markup=False,
        soft_wrap=True,
    )
    console.print(
        "Stable for a decision maker, and equilibrium (stable for every one): "
        "R Nash, G general metarationality, S symmetric metarationality, Q sequential"
    )
    console.print("Equilibria, by concept (state numbers):")
    for concept, letter in CONCEPT_LETTERS.items():
        states = ", ".join(map(str, equilibria[concept])) or "none"
        console.print(f"Equilibria ({concept.upper()}, {letter}): {states}", markup=False)
    stable = document["coalitions"]["nash_equilibria_stable"]
    console.print(
        "Nash equilibria no coalition can improve on (coalition analysis): "
        + (", ".join(map(str, stable)) or "none"),
        markup=False,
        soft_wrap=True,
    )
    sq = document.get("status_quo")
    if sq:
        console.print(
            f"\nFrom the status quo, state {sq['state']} (each step: the state reached and who "
            "moves):",
            markup=False,
            soft_wrap=True,
        )
        unreachable = [t for t, path in sq["paths"].items() if path is None]
        for target, path in sq["paths"].items():
            if path is None:
                continue
            text = (
                "is the status quo"
                if not path
                else " -> ".join(
                    f"{step['state']} ({names.get(step['dm'], step['dm'])})" for step in path
                )
            )
            console.print(f"  to {target}: {text}", markup=False, soft_wrap=True)
        if unreachable:
            console.print(
                f"  not reachable by unilateral improvements: {', '.join(unreachable)}",
                markup=False,
                soft_wrap=True,
            )
    for line in document["assumptions"]:
        console.print(f"Assumes: {line}", markup=False, soft_wrap=True, style="dim")
