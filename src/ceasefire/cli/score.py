"""``ceasefire score``: real proposals scored: who accepts, what blocks, the smallest fix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Column, Table
from rich.text import Text

from ceasefire.cli.common import (
    SCENARIO_HELP,
    CsvDir,
    JsonOutput,
    Out,
    Seed,
    SetValues,
    XlsxFile,
    console,
    emit,
    fail,
    load_or_exit,
)
from ceasefire.defaults import MONTE_CARLO_SAMPLES
from ceasefire.scenario import ScenarioError
from ceasefire.scenario.labels import Labels, counted


def score(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    proposal: Annotated[
        str | None, typer.Option(help="Score only the proposal with this id.")
    ] = None,
    proposals: Annotated[
        Path | None,
        typer.Option(
            help="Score the proposals in this file instead of the scenario's own (a "
            "'proposals:' list, as in a scenario; for Genius domains too)."
        ),
    ] = None,
    samples: Annotated[
        int,
        typer.Option(
            min=1,
            max=1_000_000,
            help="Monte Carlo samples for P(accepts) and, with a war model, the values of no deal.",
        ),
    ] = MONTE_CARLO_SAMPLES,
    seed: Seed = 0,
    json_output: JsonOutput = False,
    out: Out = None,
    set_values: SetValues = None,
    csv: CsvDir = None,
    xlsx: XlsxFile = None,
) -> None:
    """Score real proposals: who accepts, what blocks each one, and the smallest fix."""
    from ceasefire.runs import run

    loaded = load_or_exit(scenario, set_values)
    chosen = None
    if proposals is not None:
        from ceasefire.scenario.load import load_proposals

        try:
            chosen = load_proposals(proposals, loaded.scenario)
        except ScenarioError as error:
            fail([str(p) for p in error.problems])
    try:
        outcome = run(
            "score", loaded, proposal=proposal, proposals=chosen, samples=samples, seed=seed
        )
    except ValueError as error:
        from ceasefire.cli.common import located_problem

        lines = located_problem(error)
        fail(lines if lines is not None else f"{loaded.path}: {error}")
    document = outcome.document
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_scores(document, Labels(loaded.scenario)),
        kind="score",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


REFUSAL_KEY = (
    "Why a party does not accept: red line: the proposal crosses one of its red lines (whatever "
    "its margin); below no deal: its utility is under its value of no deal (negative margin); "
    "not self-enforcing: it values renewing the war above keeping the deal."
)
OUTSIDE_SCALE = (
    "Effective utilities can fall outside 0–100: they weigh the package with the chance the deal "
    "breaks down and the renewed war that follows, which a party can value below its worst "
    "package (or above its best)."
)


def _refusal(party: str, score: dict[str, Any], blocking: list[dict[str, Any]]) -> list[str]:
    """Why ``party`` does not accept a proposal, in a few words: each reason once, in the order
    red line, below no deal, not self-enforcing (none when no reason is known)."""
    reasons = {b["reason"] for b in blocking if b["party"] == party}
    words = []
    if "red_line" in reasons:
        words.append("red line")
    if "cost" in reasons or (score["margin"] is not None and score["margin"] < 0):
        words.append("below no deal")
    if "not_self_enforcing" in reasons:
        words.append("not self-enforcing")
    return words


def print_scores(document: dict[str, Any], labels: Labels | None = None) -> None:
    """Each proposal: a table of parties, then what blocks it and the minimal edit (parties,
    issues and options by the scenario's names with ``labels``)."""
    from ceasefire.scoring import OPEN_NOTE

    labels = labels or Labels(None)
    parameters = document["provenance"].get("parameters", {})
    effective = parameters.get("utilities") == "effective"
    deals = (
        "deals may break down (effective utilities)" if effective else "deals enforced as signed"
    )
    war = str(parameters.get("reservation", "")).startswith("war model")
    knowing = "every side knowing the war's parameters and " if war else ""
    console.print(
        f"Under the preferences the scenario states as of {parameters.get('as_of')}, with "
        f"{knowing}{deals}; open issues at their status quo; "
        f"{parameters.get('samples'):,} samples, seed {document['provenance']['seed']}.\n",
        soft_wrap=True,
    )
    sampled = parameters.get("p_accepts")
    if sampled:
        console.print(Text(f"P(accepts): {sampled}\n", style="dim"), soft_wrap=True)
    for entry in document["proposals"]:
        console.print(
            Text.assemble(
                (f"{entry['name']}", "bold"),
                f" ({entry['id']}, {entry['date']})",
                (" — accepted by every party that must agree" if entry["accepted"] else ""),
            ),
            soft_wrap=True,
        )
        table = Table(
            "party",
            "utility" + (" (effective)" if effective else ""),
            "margin",
            Column("accepts", no_wrap=True),
            "P(accepts)",
            box=box.SIMPLE_HEAD,
        )
        refusals = False
        for party, s in entry["parties"].items():
            if s["accepts"] is None:
                accepts = "—"
            elif s["accepts"]:
                accepts = "yes"
            else:
                why = _refusal(party, s, entry["blocking"])
                refusals = refusals or bool(why)
                accepts = "no: " + "\n    ".join(why) if why else "no"
            table.add_row(
                labels.party(party),
                f"{s['utility']:.1f}",
                "—" if s["margin"] is None else f"{s['margin']:+.1f}",
                accepts,
                "—" if s["p_accepts"] is None else f"{s['p_accepts']:.3f}",
            )
        console.print(table)
        if refusals:
            console.print(Text(REFUSAL_KEY, style="dim"), soft_wrap=True)
        if effective and any(not 0 <= s["utility"] <= 100 for s in entry["parties"].values()):
            console.print(Text(OUTSIDE_SCALE, style="dim"), soft_wrap=True)
        console.print(f"P(every party that must agree accepts) = {entry['p_accepted']:.3f}")
        for note in entry["notes"]:
            if note.startswith(OPEN_NOTE) and entry["unspecified"]:
                note = OPEN_NOTE + "; ".join(labels.issue(i) for i in entry["unspecified"])
            console.print(f"Note: {note}", soft_wrap=True, markup=False)
        if entry["unmapped"]:
            console.print(
                "Clauses not scored (no issue expresses them): " + "; ".join(entry["unmapped"]),
                soft_wrap=True,
            )
        blocking = entry["blocking"]
        if blocking:
            console.print("Blocked by:")
            for b in blocking:
                if b["reason"] == "red_line":
                    clause = f"{labels.issue(b['issue'])}: {labels.option(b['issue'], b['option'])}"
                    what = f"{clause} crosses its red line"
                elif b["reason"] == "cost":
                    clause = f"{labels.issue(b['issue'])}: {labels.option(b['issue'], b['option'])}"
                    what = f"{clause} costs it {-b['points']:.1f}"
                else:
                    what = "the deal is not self-enforcing for it"
                console.print(f"  {labels.party(b['party'])}: {what}", soft_wrap=True, markup=False)
        edit = entry["minimal_edit"]
        if edit is not None and edit["issues_changed"]:
            changes = "; ".join(
                f"{labels.issue(issue)}: {labels.option(issue, c['from'])} → "
                f"{labels.option(issue, c['to'])}"
                for issue, c in edit["changes"].items()
            )
            who = (
                "the parties that must agree"
                if edit["objective"] == "total"
                else labels.party(edit["objective"])
            )
            cost = (
                f"loss to {who} {edit['loss']:.1f}"
                if edit["loss"] >= 0
                else (f"gain to {who} {-edit['loss']:.1f}")
            )
            console.print(
                f"Smallest edit ({counted(edit['issues_changed'], 'issue')}, {cost}): {changes}",
                soft_wrap=True,
            )
        console.print()
