"""``ceasefire explain``: why the answer is what it is."""

from __future__ import annotations

import re
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ceasefire.cli.analyze import CONCEPTS
from ceasefire.cli.analyze import closing_text as _constraint_text
from ceasefire.cli.common import (
    SCENARIO_HELP,
    JsonOutput,
    NoProgress,
    Out,
    SetValues,
    console,
    emit,
    fail,
    load_or_exit,
    progress_bar,
    scenario_heading,
)
from ceasefire.defaults import SENSITIVITY_WAR_SAMPLES
from ceasefire.scenario.labels import Labels, counted, input_label, package_changes
from ceasefire.scenario.utility import status_quo_package


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
    set_values: SetValues = None,
    json_output: JsonOutput = False,
    out: Out = None,
    no_progress: NoProgress = False,
) -> None:
    """Why: each party's margin and the issues that make it, what binds, break-even values."""
    from ceasefire.runs import run
    from ceasefire.scenario import ScenarioError

    loaded = load_or_exit(scenario, set_values)
    asked = _package_option(package)
    given: dict[str, Any] | None = None
    if asked is not None:
        numeric = {i.id for i in loaded.scenario.issues if i.kind != "categorical"}
        given = {**status_quo_package(loaded.scenario)}
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
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_explain(document, Labels(loaded.scenario)),
    )


_PACKAGE_NAMES = {
    **CONCEPTS,
    "max_min_share": "max–min scale-free share",
    "given": "the package asked about",
}
"""How the explained packages' names read."""


def _named(text: str, labels: Labels) -> str:
    """The bargaining core's reason with the quoted issue and party ids it names replaced by
    their names."""

    def name(match: re.Match[str]) -> str:
        key = match[1]
        named = labels.issue(key)
        return f"'{named if named != key else labels.party(key)}'"

    return re.sub(r"'([^']+)'", name, text)


def _num(x: Any, fmt: str = "+.1f") -> str:
    return "—" if x is None else format(x, fmt)


def print_explain(document: dict[str, Any], labels: Labels | None = None) -> None:
    """A readable summary of an explanation (drawn from its JSON document), naming parties,
    issues, options and inputs as the scenario does (``labels``; ids without a scenario)."""
    from ceasefire.diagnostics.break_even import describe

    labels = labels or Labels(None)
    scenario = document["scenario"]
    zone = document["zone"]
    console.print(scenario_heading(labels, scenario["id"], f"as of {scenario['as_of']}"))
    console.print(document["assumptions"]["holds_under"], soft_wrap=True)
    if zone["exists"]:
        console.print(
            Text.assemble(
                ("A zone of possible agreement exists", "green"),
                f": {counted(zone['packages'], 'Pareto-optimal acceptable package')}.",
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
                labels.party(party),
                _num(entry["margin"]["least"]),
                _num(entry["margin"]["most"]),
                _num(share.get("least"), "+.0%"),
                _num(share.get("most"), "+.0%"),
            )
        console.print(table)
    else:
        console.print(
            Text.assemble(
                ("No zone of possible agreement", "red"), f": {_named(zone['reason'], labels)}."
            ),
            soft_wrap=True,
        )
        closed = zone["closed_by"]
        if closed:
            console.print(
                "Lifting any one of these alone opens a zone: "
                + "; ".join(_constraint_text(c, labels) for c in closed)
                + ".",
                soft_wrap=True,
            )
        else:
            console.print("No single red line or value of no deal, lifted alone, opens a zone.")
    binding = document["binding_party"]
    if binding["party"] is not None:
        shares = ", ".join(f"{labels.party(p)} {s:+.0%}" for p, s in binding["shares"].items())
        console.print(
            f"Binding party: {labels.party(binding['party'])} (measure: {binding['measure']}, "
            f"{binding['text']}; shares at that package: {shares}).",
            soft_wrap=True,
        )
    status_quo = status_quo_package(labels.scenario) if labels.scenario is not None else None
    for entry in document["packages"]:
        _print_package(entry, document["veto_parties"], labels, status_quo)
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
        moved = "; ".join(labels.issue(k) for k in nash.get("changes") or {})
        table.add_row(
            str(c["rank"]),
            _constraint_text(c, labels),
            "yes" if c["zone_without"] else "no",
            f"{c['packages_added']:+,}",
            (moved or "no") if nash else "—",
        )
    console.print(table)
    idle = len(document["constraints"]) - len(rows)
    if idle:
        verb, it = ("does", "it") if idle == 1 else ("do", "them")
        console.print(
            f"{counted(idle, 'other constraint')} {verb} not bind: lifting {it} changes nothing."
        )
    if "break_even" in document:
        found = [r for r in document["break_even"]["inputs"] if r["values"]]
        lifted = [
            r
            for r in document["break_even"]["inputs"]
            if r["method"] == "discrete" and r["zone_if_holds"] != r["zone_if_lifted"]
        ]
        total = len(document["break_even"]["inputs"])
        checked = f"{total} input{'' if total == 1 else 's'} checked"
        if found:
            console.print(
                f"Break-even values: {len(found)} of {total} inputs, moved across their range, "
                "open or close the zone (the others never do):",
                soft_wrap=True,
            )
        elif lifted:
            console.print(
                f"No input, moved across its range, opens or closes the zone ({checked}); "
                "lifting these opens or closes it:",
                soft_wrap=True,
            )
        else:
            console.print(
                f"No input, moved across its range, opens or closes the zone ({checked}).",
                soft_wrap=True,
            )
        for r in found + lifted:
            console.print(
                f"  {input_label(r['input'], labels.scenario)}: {describe(r)}", soft_wrap=True
            )
        if document["break_even"].get("assumptions"):
            console.print(Text(document["break_even"]["assumptions"], style="dim"), soft_wrap=True)


_CONCEPT_WHAT = "the package this solution concept picks"
"""What the explanation says of a package a solution concept picks."""


def _package_heading(entry: dict[str, Any]) -> list[tuple[str, str] | str]:
    """Each distinct reason a package is explained, said once after the names it applies to:
    ``Nash, utilitarian: the package these solution concepts pick; max–min …: …``."""
    whats: list[str] = entry["what"].split("; also ")
    if len(whats) != len(entry["labels"]):
        names = ", ".join(_PACKAGE_NAMES.get(n, n) for n in entry["labels"])
        return [(names, "bold"), f": {entry['what']}"]
    groups: dict[str, list[str]] = {}
    for name, what in zip(entry["labels"], whats, strict=True):
        groups.setdefault(what, []).append(_PACKAGE_NAMES.get(name, name))
    parts: list[tuple[str, str] | str] = []
    for what, named in groups.items():
        plural = what == _CONCEPT_WHAT and len(named) > 1
        said = "the package these solution concepts pick" if plural else what
        parts += ["; " if parts else "", (", ".join(named), "bold"), f": {said}"]
    return parts


def _print_package(
    entry: dict[str, Any],
    veto: list[str],
    labels: Labels,
    status_quo: dict[str, Any] | None,
) -> None:
    console.print(
        Text.assemble(
            "\n",
            *_package_heading(entry),
            "" if entry["acceptable"] else " (not acceptable)",
        ),
        soft_wrap=True,
    )
    if labels.scenario is not None:
        changes = package_changes(labels.scenario, entry["package"], status_quo)
        console.print("Package (changes from the status quo):" + ("" if changes else " none"))
        for name, option in changes:
            console.print(f"  {name}: {option}", soft_wrap=True, markup=False)
    table = Table(
        "party",
        "utility",
        "margin",
        "share",
        "status quo vs no deal",
        box=box.SIMPLE_HEAD,
    )
    for party in veto:
        p = entry["parties"][party]
        table.add_row(
            labels.party(party),
            _num(p["utility"], ".1f"),
            _num(p["margin"]),
            _num(p["share"], "+.0%"),
            _num(p["status_quo"]["points"]),
        )
    console.print(table)
    issues: list[str] = []
    for party in veto:
        for issue in entry["parties"][party]["issues"]:
            if issue not in issues:
                issues.append(issue)
    durable = any("durability" in entry["parties"][party] for party in veto)
    if issues or durable:
        contributions = Table(
            "issue",
            *(labels.party(party) for party in veto),
            title="What each issue adds against the status quo (points)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        for issue in issues:
            contributions.add_row(
                labels.issue(issue),
                *(
                    _num(entry["parties"][party]["issues"].get(issue, {}).get("points", 0.0))
                    for party in veto
                ),
            )
        if durable:
            contributions.add_row(
                "durability (deal may break down)",
                *(
                    _num(entry["parties"][party].get("durability", {}).get("points"))
                    for party in veto
                ),
            )
        console.print(contributions)
    edit = entry.get("minimal_edit")
    if edit and edit["issues_changed"]:
        edits = "; ".join(
            f"{labels.issue(k)}: {labels.option(k, v['from'])} → {labels.option(k, v['to'])}"
            for k, v in edit["changes"].items()
        )
        console.print(
            "Smallest edit every party that must agree accepts "
            f"({counted(edit['issues_changed'], 'issue')}): {edits}",
            soft_wrap=True,
        )
