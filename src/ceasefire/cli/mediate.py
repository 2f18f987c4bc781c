"""``ceasefire mediate``: what a mediator or patron could add to open or widen the zone of agreement."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ceasefire.cli.common import (
    EXIT_USAGE,
    SCENARIO_HELP,
    CsvDir,
    JsonOutput,
    NoProgress,
    Out,
    Scheduler,
    Seed,
    SetValues,
    Workers,
    XlsxFile,
    console,
    emit,
    executor_from_options,
    fail,
    load_or_exit,
    located_problem,
    progress_bar,
    scenario_heading,
)
from ceasefire.defaults import MEDIATION_SAMPLES
from ceasefire.scenario.labels import Labels, counted, number


class ObjectiveName(StrEnum):
    nash = "nash"
    robustness = "robustness"


class MethodName(StrEnum):
    auto = "auto"
    search = "search"
    milp = "milp"


def mediate(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    target_p: Annotated[
        float | None,
        typer.Option(
            min=0.0, max=1.0, help="The cheapest offer with P(zone of agreement) at least this."
        ),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(min=0.0, help="Also: the best offer costing at most this (cost units)."),
    ] = None,
    objective: Annotated[
        ObjectiveName,
        typer.Option(help="Within the budget, maximise the Nash product or P(zone of agreement)."),
    ] = ObjectiveName.nash,
    samples: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="Samples for probabilities.")
    ] = MEDIATION_SAMPLES,
    method: Annotated[
        MethodName,
        typer.Option(help="Cheapest offer by exhaustive search or integer programme (milp)."),
    ] = MethodName.auto,
    seed: Seed = 0,
    workers: Workers = 1,
    scheduler: Scheduler = None,
    json_output: JsonOutput = False,
    out: Out = None,
    no_progress: NoProgress = False,
    set_values: SetValues = None,
    csv: CsvDir = None,
    xlsx: XlsxFile = None,
) -> None:
    """Find the cheapest side payments that open a zone of agreement, or the best in a budget."""
    from ceasefire.runs import run

    loaded = load_or_exit(scenario, set_values)
    with (
        executor_from_options(workers, scheduler) as executor,
        progress_bar(not no_progress, "mediate") as update,
    ):
        try:
            outcome = run(
                "mediate",
                loaded,
                target_p=target_p,
                budget=budget,
                objective=objective.value,
                samples=samples,
                method=method.value,
                seed=seed,
                executor=executor,
                progress=update,
            )
        except ValueError as error:  # too many offers for exhaustive search
            lines = located_problem(error)
            fail(lines or str(error), EXIT_USAGE if lines is None else 1)
    document = outcome.document
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_mediation(document, Labels(loaded.scenario)),
        kind="mediate",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def print_mediation(document: dict[str, Any], labels: Labels | None = None) -> None:
    """The offers found, with their cost to each offering party and the zone they open."""
    labels = labels or Labels(None)
    payments = document["side_payments"]
    console.print(
        Text.assemble(
            scenario_heading(labels, document["scenario"]),
            f": {counted(len(payments), 'side payment')}, "
            f"{counted(document['offers'], 'possible offer')}",
        ),
        soft_wrap=True,
    )
    for p in payments:
        unit = f" {p['unit']}" if p.get("unit") else ""
        levels = ", ".join(_fmt(x) for x in p["levels"])
        console.print(
            f"  {p['name']} by {labels.party(p['offered_by'])}: levels {levels}{unit}",
            markup=False,
            soft_wrap=True,
        )
    console.print(f"Packages judged on {document['utilities']}.", soft_wrap=True)
    if document.get("probabilities"):
        console.print(f"Probabilities: {document['probabilities']}.", soft_wrap=True)
    _print_reach(document, labels)
    base = document["without_offer"]
    line = "Without an offer: " + (
        "a zone of agreement exists" if base["zopa"]["exists"] else "no zone of agreement"
    )
    if "p_zopa" in base:
        line += f"; P(zone of agreement) = {base['p_zopa']:.3f} ± {base['stderr']:.3f}"
    console.print(line, soft_wrap=True)
    zone = bool(base["zopa"]["exists"])
    for purpose in ("cheapest", "budget"):
        entry = document.get(purpose)
        if entry is None:
            continue
        title = (
            f"Cheapest offer for {entry.get('target', 'a zone of agreement')}"
            if purpose == "cheapest"
            else f"Best offer within a budget of {_fmt(entry['budget'])} ({entry['objective']})"
        )
        if entry["offer"] is None:
            console.print(f"{title}: none; {entry['reason']}", markup=False, soft_wrap=True)
            continue
        if purpose == "cheapest" and zone and not any(entry["offer"].values()):
            continue  # nothing to buy: said below, with why no offer is needed
        offer = "; ".join(f"{_payment(payments, k)} {_fmt(v)}" for k, v in entry["offer"].items())
        costs = ", ".join(f"{labels.party(k)} {_fmt(v)}" for k, v in entry["cost_by_party"].items())
        console.print(Text.assemble("\n", (title, "bold"), f": {offer}"), soft_wrap=True)
        console.print(f"  cost {_fmt(entry['cost'])} ({costs})", markup=False, soft_wrap=True)
        if "p_zopa" in entry:
            console.print(
                f"  P(zone of agreement) = {entry['p_zopa']:.3f} ± {entry['stderr']:.3f}",
                soft_wrap=True,
            )
        if "nash_product" in entry:
            console.print(f"  Nash product {entry['nash_product']:.6g}", soft_wrap=True)
        zopa = entry["zopa"]
        if zopa["exists"]:
            console.print(
                f"  zone of agreement: {counted(zopa['packages'], 'Pareto-optimal package')}",
                soft_wrap=True,
            )
            nash = zopa.get("nash")
            if nash:
                utilities = ", ".join(
                    f"{labels.party(p)} {number(u)}" for p, u in nash["utilities"].items()
                )
                console.print(
                    f"  Nash package utilities (with the offer): {utilities}", soft_wrap=True
                )
        else:
            console.print("  at the point values, still no zone of agreement", soft_wrap=True)

    if document.get("why"):
        from ceasefire.mediation.reach import why_none

        why = why_none(document["reach"], zone, labels.party)
        if zone:
            rest = why.removeprefix(_ZONE_EXISTS).strip()
            console.print(
                "\nNo offer is needed: a zone of agreement exists without one."
                + (f" {rest}" if rest else ""),
                soft_wrap=True,
                markup=False,
            )
        else:
            console.print("\nWhy no offer: " + why, soft_wrap=True, markup=False)


_ZONE_EXISTS = "A zone of agreement exists without an offer, so none is needed to open one."
"""How :func:`ceasefire.mediation.reach.why_none` begins when the zone already exists."""


def _payment(payments: list[dict[str, Any]], payment_id: str) -> str:
    """A side payment's name, with its unit for the level that follows."""
    for p in payments:
        if p["id"] == payment_id:
            return f"{p['name']}" + (f" ({p['unit']})" if p.get("unit") else "")
    return payment_id


def _print_reach(document: dict[str, Any], labels: Labels) -> None:
    """Each party that must agree: what it has to spare (or lacks), and what offers can add."""
    reach = document.get("reach") or {}
    parties = reach.get("parties") or {}
    if not parties:
        return
    names = {p["id"]: p["name"] for p in document["side_payments"]}
    table = Table(
        "party",
        "margin",
        "most an offer adds",
        "least",
        "reached by",
        title="Margin: the most a party gets over its value of no deal when every other party "
        "gets exactly its own (negative: short by that much)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for party, p in parties.items():
        table.add_row(
            labels.party(party),
            "—" if p["margin"] is None else f"{p['margin']:+.1f}",
            f"{p['most_an_offer_adds']:+.1f}",
            f"{p['least_an_offer_adds']:+.1f}",
            "; ".join(names.get(x, x) for x in p["reached_by"]) or "no side payment",
        )
    console.print(table)
    if any(p["margin"] is None for p in parties.values()):
        console.print(
            "—: no margin to measure: no package that crosses no red line gives every other party "
            "at least its value of no deal, so there is no package at which to measure this "
            "party's margin.",
            soft_wrap=True,
        )
    for single in reach.get("single_payments") or []:
        ratio = single["nash_product_ratio"]
        if ratio is None:
            continue
        console.print(
            f"  {_payment(document['side_payments'], single['side_payment'])} "
            f"{_fmt(single['level'])} alone: Nash product x {ratio:.3f}",
            soft_wrap=True,
            markup=False,
        )
