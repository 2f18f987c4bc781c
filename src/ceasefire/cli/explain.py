"""``ceasefire explain``: why the answer is what it is."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ceasefire.cli.analyze import closing_text as _constraint_text
from ceasefire.cli.common import (
    SCENARIO_HELP,
    JsonOutput,
    NoProgress,
    Out,
    console,
    emit,
    fail,
    load_or_exit,
    progress_bar,
)
from ceasefire.defaults import SENSITIVITY_WAR_SAMPLES


def _package_option(values: list[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    package = {}
    for item in values:
        issue, sep, option = item.partition("=")
        if not sep or not issue or not option:
            fail(f"--package {item!r}: expected ISSUE=OPTION", code=2)
        package[issue.strip()] = option.strip()
    return package


def _number_or(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def explain(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    samples: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=1_000_000,
            help="War model: Monte Carlo samples, as in analyze (break-even values: default "
            f"{SENSITIVITY_WAR_SAMPLES:,}).",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="War model: seed (default 0).")] = None,
    package: Annotated[
        list[str] | None,
        typer.Option(
            help="Explain this package too: ISSUE=OPTION for every issue (repeat the option); "
            "issues not given keep their status quo.",
        ),
    ] = None,
    break_even: Annotated[
        bool,
        typer.Option(
            "--break-even/--no-break-even",
            help="Compute break-even values (reruns the model for every input: slow on large "
            "scenarios).",
        ),
    ] = True,
    json_output: JsonOutput = False,
    out: Out = None,
    no_progress: NoProgress = False,
) -> None:
    """Why: each party's margin and the issues that make it, what binds, break-even values."""
    from ceasefire.runs import run
    from ceasefire.scenario import ScenarioError
    from ceasefire.scenario import utility as su

    loaded = load_or_exit(scenario)
    asked = _package_option(package)
    given: dict[str, Any] | None = None
    if asked is not None:
        numeric = {i.id for i in loaded.scenario.issues if i.kind != "categorical"}
        given = {**su.status_quo_package(loaded.scenario)}
        for issue, option in asked.items():
            given[issue] = _number_or(option) if issue in numeric else option
    with progress_bar(not no_progress, "explain") as update:
        try:
            outcome = run(
                "explain",
                loaded,
                samples=samples,
                seed=seed,
                package=given,
                break_even=break_even,
                progress=update,
            )
        except ScenarioError as error:
            fail([str(p) for p in error.problems])
        except ValueError as error:
            fail(f"--package: {error}")
    document = outcome.document
    emit(document, json_output=json_output, out=out, show=lambda: print_explain(document))


def _num(x: Any, fmt: str = "+.1f") -> str:
    return "—" if x is None else format(x, fmt)


def print_explain(document: dict[str, Any]) -> None:
    """A readable summary of an explanation (drawn from its JSON document)."""
    from ceasefire.diagnostics.break_even import describe

    scenario = document["scenario"]
    zone = document["zone"]
    console.print(Text(f"{scenario['id']} as of {scenario['as_of']}", style="bold"))
    console.print(document["assumptions"]["holds_under"], soft_wrap=True)
    if zone["exists"]:
        console.print(
            Text.assemble(
                ("A zone of possible agreement exists", "green"),
                f": {zone['packages']:,} Pareto-optimal acceptable package(s).",
            )
        )
        table = Table(
            "party",
            "least margin",
            "most margin",
            "least share",
            "most share",
            title="Margins over the value of no deal across the zone (share: of the party's own "
            "range, no deal to ideal)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        for party, entry in zone["parties"].items():
            share = entry["share"] or {}
            table.add_row(
                party,
                _num(entry["margin"]["least"]),
                _num(entry["margin"]["most"]),
                _num(share.get("least"), "+.0%"),
                _num(share.get("most"), "+.0%"),
            )
        console.print(table)
    else:
        console.print(
            Text.assemble(("No zone of possible agreement", "red"), f": {zone['reason']}."),
            soft_wrap=True,
        )
        closed = zone["closed_by"]
        if closed:
            console.print(
                "Lifting any one of these alone opens a zone: "
                + "; ".join(_constraint_text(c) for c in closed)
                + ".",
                soft_wrap=True,
            )
        else:
            console.print("No single red line or value of no deal, lifted alone, opens a zone.")
    binding = document["binding_party"]
    if binding["party"] is not None:
        shares = ", ".join(f"{p} {s:+.0%}" for p, s in binding["shares"].items())
        console.print(
            f"Binding party: {binding['party']} (measure: {binding['measure']}, {binding['text']}; "
            f"shares at that package: {shares}).",
            soft_wrap=True,
        )
    for entry in document["packages"]:
        _print_package(entry, document["veto_parties"])
    rows = [c for c in document["constraints"] if c["binds"]]
    table = Table(
        "rank",
        "constraint",
        "zone without it",
        "packages added",
        "Nash package moves on",
        title="What binds: each constraint lifted alone",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for c in rows:
        nash = c["nash"] or {}
        moved = ", ".join(nash.get("changes") or {})
        table.add_row(
            str(c["rank"]),
            _constraint_text(c),
            "yes" if c["zone_without"] else "no",
            f"{c['packages_added']:+,}",
            (moved or "no") if nash else "—",
        )
    console.print(table)
    idle = len(document["constraints"]) - len(rows)
    if idle:
        console.print(f"{idle} other constraint(s) do not bind: lifting them changes nothing.")
    if "break_even" in document:
        found = [r for r in document["break_even"]["inputs"] if r["values"]]
        lifted = [
            r
            for r in document["break_even"]["inputs"]
            if r["method"] == "discrete" and r["zone_if_holds"] != r["zone_if_lifted"]
        ]
        total = len(document["break_even"]["inputs"])
        console.print(
            f"Break-even values: {len(found)} of {total} input(s) open or close the zone within "
            "their range (others: none in range).",
            soft_wrap=True,
        )
        for r in found + lifted:
            console.print(f"  {r['input']}: {describe(r)}", soft_wrap=True)


def _print_package(entry: dict[str, Any], veto: list[str]) -> None:
    console.print(
        Text.assemble(
            "\n",
            (", ".join(entry["labels"]), "bold"),
            f": {entry['what']}" + ("" if entry["acceptable"] else " (not acceptable)"),
        ),
        soft_wrap=True,
    )
    table = Table(
        "party",
        "utility",
        "margin",
        "share",
        "status quo vs no deal",
        "issues (points)",
        box=box.SIMPLE_HEAD,
    )
    for party in veto:
        p = entry["parties"][party]
        issues = ", ".join(f"{k} {v['points']:+.1f}" for k, v in p["issues"].items())
        if "durability" in p:
            issues += f"; durability {p['durability']['points']:+.1f}"
        table.add_row(
            party,
            _num(p["utility"], ".1f"),
            _num(p["margin"]),
            _num(p["share"], "+.0%"),
            _num(p["status_quo"]["points"]),
            issues or "—",
        )
    console.print(table)
    edit = entry.get("minimal_edit")
    if edit and edit["issues_changed"]:
        changes = ", ".join(f"{k}: {v['from']} → {v['to']}" for k, v in edit["changes"].items())
        console.print(
            f"Smallest edit every party that must agree accepts ({edit['issues_changed']} "
            f"issue(s)): {changes}",
            soft_wrap=True,
        )
