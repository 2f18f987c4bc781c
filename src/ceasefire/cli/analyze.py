"""``ceasefire analyze``: which packages every party that must agree prefers to no deal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ceasefire.cli.common import console, dump_json, load_or_exit

SCENARIO_HELP = "A scenario file, a Genius domain folder, or a bundled id (see `ceasefire scenarios`)."


def analyze(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the JSON result to this file.")] = None,
    max_frontier: Annotated[
        int, typer.Option(min=0, help="At most this many entries in each frontier list.")
    ] = 10_000,
) -> None:
    """Find the zone of possible agreement and the package each solution concept picks."""
    from ceasefire.analysis import analyze as run_analysis

    loaded = load_or_exit(scenario)
    document = run_analysis(loaded).to_dict(max_frontier=max_frontier)
    if out is not None:
        dump_json(document, out)
    if json_output:
        dump_json(document)
    else:
        print_summary(document)
        if out is not None:
            console.print(f"\nJSON written to {out}", markup=False)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def print_summary(document: dict[str, Any]) -> None:
    """A readable terminal summary of an ``analyze`` document."""
    scenario = document["scenario"]
    console.print(
        f"[bold]{scenario['id']}[/bold] as of {scenario['as_of']} — "
        f"{scenario['packages_total']:,} possible packages"
    )
    veto = [p["id"] for p in document["parties"] if p["veto"]]
    status_quo = document["status_quo"]

    parties = Table("party", "role", "must agree", "status quo U", "reservation r", title="Parties")
    for party in document["parties"]:
        pid = party["id"]
        parties.add_row(
            pid,
            party["role"],
            "yes" if party["veto"] else "no",
            _fmt(status_quo["utilities"][pid]),
            _fmt(document["reservation"].get(pid)),
        )
    console.print(parties)

    zopa = document["zopa"]
    if zopa["exists"]:
        count = zopa.get("frontier_size", len(zopa["frontier"]))
        console.print(
            f"[green]A zone of possible agreement exists[/green]: {count:,} Pareto-optimal "
            "package(s) that every party with a veto prefers to no deal."
        )
    else:
        console.print(
            "[red]No zone of possible agreement[/red]: no package gives every party with a veto "
            "at least its reservation value without crossing a red line."
        )

    solutions = Table("solution concept", *veto, "ties", title="Packages chosen")
    for name, solution in document["solutions"].items():
        if solution.get("package") is None:
            solutions.add_row(name, *["—" for _ in veto], solution.get("reason", ""))
            continue
        gains = [
            f"{solution['utilities'][p]:.1f} ({solution['utilities'][p] - document['reservation'][p]:+.1f})"
            for p in veto
        ]
        solutions.add_row(name, *gains, str(solution.get("ties", 0)))
    console.print(solutions)
    if any(s.get("package") is not None for s in document["solutions"].values()):
        console.print("utility (gain over reservation value) for each party that must agree")
        _print_concessions(document, veto)


def _print_concessions(document: dict[str, Any], veto: list[str]) -> None:
    """For each chosen package: the issues it changes and what each party gives up or gains."""
    status_quo = document["status_quo"]["package"]
    seen: set[str] = set()
    for name, solution in document["solutions"].items():
        package = solution.get("package")
        if package is None:
            continue
        key = repr(sorted(package.items()))
        if key in seen:
            continue
        seen.add(key)
        names = [n for n, s in document["solutions"].items() if s.get("package") == package]
        table = Table("issue", "status quo", "package", title=f"{', '.join(names)}: changes")
        changed = [i for i in package if package[i] != status_quo.get(i)]
        for issue in changed:
            table.add_row(issue, _fmt(status_quo.get(issue)), _fmt(package[issue]))
        if not changed:
            table.add_row("(none)", "", "")
        console.print(table)
        lines = []
        for party in veto:
            delta = solution["utilities"][party] - document["status_quo"]["utilities"][party]
            verb = "gives up" if delta < 0 else "gains"
            lines.append(f"{party} {verb} {abs(delta):.1f} points against the status quo")
        console.print("; ".join(lines), markup=False)
