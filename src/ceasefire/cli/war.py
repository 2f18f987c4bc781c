"""``ceasefire war``: the war going on, month by month, as a Monte Carlo of the scenario's war model."""

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
    NoProgress,
    SetValues,
    XlsxFile,
    console,
    emit,
    fail,
    load_or_exit,
    progress_bar,
    scenario_heading,
)
from ceasefire.defaults import MONTE_CARLO_SAMPLES
from ceasefire.scenario.labels import Labels, count, number

PROGRESS_FROM = 200_000
"""Sample-months from which a progress bar is shown (below it the run takes a blink)."""


def war(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    months: Annotated[
        int | None,
        typer.Option(min=1, max=600, help="Months to simulate (default: the scenario's horizon)."),
    ] = None,
    samples: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="Monte Carlo samples.")
    ] = MONTE_CARLO_SAMPLES,
    seed: Annotated[
        int, typer.Option(min=0, help="Seed: the same seed gives the same result.")
    ] = 0,
    aid_scale: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=100.0,
            help="Multiply every patron's aid by this (0 cuts it, 2 doubles it; at most 100).",
        ),
    ] = 1.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the JSON result to this file.")] = None,
    no_progress: NoProgress = False,
    set_values: SetValues = None,
    csv: CsvDir = None,
    xlsx: XlsxFile = None,
) -> None:
    """Simulate the war going on: territory, casualties, spending and escalation by month."""
    loaded = load_or_exit(scenario, set_values)
    war_section = loaded.scenario.war
    if war_section is None:
        fail(
            f"{loaded.path}:1:1: the scenario has no 'war:' section; "
            "see docs/explanation/war-model.md"
        )
    from ceasefire.runs import run

    n_months = war_section.horizon_months if months is None else months
    with progress_bar(not no_progress and samples * n_months >= PROGRESS_FROM, "war model") as bar:
        document = run(
            "war",
            loaded,
            samples=samples,
            months=n_months,
            seed=seed,
            aid_scale=aid_scale,
            progress=bar,
        ).document
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_war(document, Labels(loaded.scenario)),
        kind="war",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


def print_war(document: dict[str, Any], labels: Labels | None = None) -> None:
    """A compact monthly table: territory (median and 5–95%), median cumulative casualties, and the
    probability that catastrophic escalation has happened; then the outlays."""
    labels = labels or Labels(None)
    sides = document["sides"]
    months = document["month_index"]
    parameters = document["provenance"].get("parameters", {})
    console.print(
        Text.assemble(
            scenario_heading(
                labels, document["scenario"]["id"], f"as of {document['scenario']['as_of']}"
            ),
            ": ",
            f"{parameters.get('samples', '?'):,} samples, seed {document['provenance']['seed']}, "
            f"patrons' aid x{parameters.get('aid_scale', 1):g}",
        )
    )
    territory = document["territory"]
    casualties = document["casualties"]
    outlays = document["outlays_usd_bn"]
    step = max(1, (len(months) - 1) // 24)  # at most ~25 rows
    shown = [m for m in months if m % step == 0 or m == months[-1]]
    payers = list(outlays)
    issue = document.get("territory_issue", "")
    unit = labels.unit(issue)
    title = (
        f"The front (territory), month by month: {unit}" if unit else document["territory_label"]
    )
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    # The front's median and range; words in headings wrap whole, never "casualtie/s".
    for header in ("month", "median", "5–95%"):
        table.add_column(header, justify="right", no_wrap=True)
    for side in sides:
        table.add_column(
            f"{labels.party(side)} casualties", justify="right", min_width=len("casualties")
        )
    table.add_column("P(escalation)", justify="right", no_wrap=True)
    for m in shown:
        table.add_row(
            str(m),
            number(territory["p50"][m], 2),
            f"{number(territory['p5'][m], 2)}–{number(territory['p95'][m], 2)}",
            *(count(casualties[side]["p50"][m]) for side in sides),
            f"{document['p_escalation'][m]:.1%}",
        )
    console.print(table)
    if len(shown) < len(months):
        console.print(
            f"Every {step} months shown; --json or --csv gives every month.", markup=False
        )
    last = months[-1]
    console.print(
        f"Outlays by month {last} (median, USD bn): "
        + ", ".join(f"{labels.party(p)} {count(outlays[p]['p50'][last])}" for p in payers),
        markup=False,
    )
    collapse = document["p_collapse"]
    console.print(
        "Casualties: medians of cumulative killed and wounded since the scenario date; "
        + ", ".join(
            f"P({labels.party(side)} breaks by month {last}) = {collapse[side][-1]:.1%}"
            for side in sides
        ),
        markup=False,
    )
    mechanisms = mechanisms_line(document.get("war_mechanisms"), labels)
    if mechanisms:
        console.print(mechanisms, markup=False)
    console.print(
        "Holds under the war model's parameters as the scenario states them as of "
        f"{document['scenario']['as_of']} (each sample one path of the war, no deal signed); "
        "medians and 5–95% ranges are across the samples, not forecasts of one path.",
        style="dim",
        soft_wrap=True,
        markup=False,
    )


def mechanisms_line(mechanisms: dict[str, Any] | None, labels: Labels | None = None) -> str:
    """One line naming the optional war mechanisms a result rests on ('' if none)."""
    if not mechanisms:
        return ""
    labels = labels or Labels(None)
    parts = []
    if mechanisms.get("campaign_attacker"):
        parts.append(f"an attritional campaign by {labels.party(mechanisms['campaign_attacker'])}")
    if mechanisms.get("outcomes_for"):
        parts.append(
            "terms for victory (" + ", ".join(map(labels.party, mechanisms["outcomes_for"])) + ")"
        )
    if mechanisms.get("settle_later"):
        parts.append("the option to settle later")
    return "war model: " + "; ".join(parts) + " (docs/explanation/war-model.md)"


def print_ripeness(document: dict[str, Any], labels: Labels | None = None) -> None:
    """The war model's part of an ``analyze`` summary (nothing without a war model)."""
    ripeness = document.get("ripeness")
    if ripeness is None:
        return
    labels = labels or Labels(None)
    quantiles = document["reservation_quantiles"]
    table = Table(
        "party",
        Column("5%", justify="right"),
        Column("median", justify="right"),
        Column("95%", justify="right"),
        title="Value of no deal at month 0 (war model)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for party, q in quantiles.items():
        table.add_row(labels.party(party), number(q["p5"]), number(q["p50"]), number(q["p95"]))
    console.print(table)
    p_zopa = ripeness["p_zopa"]
    first = ripeness["first_ripe_month"]
    shown = ", ".join(f"{m}: {p:.0%}" for m, p in zip(ripeness["month_index"], p_zopa, strict=True))
    console.print(f"P(zone of agreement) by month: {shown}", markup=False)
    verdict = (
        f"ripe from month {first} (P >= {ripeness['threshold']:.0%})"
        if first is not None
        else f"not ripe within {len(p_zopa)} months (P < {ripeness['threshold']:.0%} throughout)"
    )
    console.print(
        f"{verdict}; binding party: {labels.party(ripeness['binding_party'])} "
        f"({ripeness.get('binding_measure', 'margin in points')} measure; "
        f"{ripeness['samples']:,} samples, fighting on judged over "
        f"{ripeness['horizon_months']} months)",
        markup=False,
    )
    mechanisms = mechanisms_line(ripeness.get("war_mechanisms"), labels)
    if mechanisms:
        console.print(mechanisms, markup=False)
