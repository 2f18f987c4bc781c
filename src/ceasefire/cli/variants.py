"""``ceasefire variants``: a batch of what-ifs, and a table of how the headline numbers move."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ceasefire.cli.common import (
    SCENARIO_HELP,
    CsvDir,
    JsonOutput,
    Out,
    WarSamples,
    WarSeed,
    XlsxFile,
    change_hint,
    console,
    emit,
    fail,
    load_or_exit,
    parse_changes,
    scenario_heading,
)
from ceasefire.scenario.labels import DASH, Labels, counted, number


def variants(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    set_values: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="PATH=VALUE[,PATH=VALUE...]",
            help="One variant (repeatable): the numbers it changes, as `analyze --set` takes "
            "them; several changes of one variant are separated by commas.",
        ),
    ] = None,
    samples: WarSamples = None,
    seed: WarSeed = None,
    json_output: JsonOutput = False,
    out: Out = None,
    csv: CsvDir = None,
    xlsx: XlsxFile = None,
) -> None:
    """Analyse the scenario and each variant; print how the headline numbers differ."""
    from ceasefire.scenario import ScenarioError
    from ceasefire.scenario.edit import ChangeError
    from ceasefire.variants import run_variants

    if not set_values:
        raise typer.BadParameter("give at least one variant", param_hint="'--set'")
    batch = [parse_changes([c for c in value.split(",") if c.strip()]) for value in set_values]
    loaded = load_or_exit(scenario)
    try:
        document = run_variants(loaded, batch, samples=samples, seed=seed)
    except ChangeError as error:
        fail(f"--set {error}{change_hint(loaded, str(error))}")
    except ScenarioError as error:
        fail([str(p) for p in error.problems])
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_variants(document, Labels(loaded.scenario)),
        kind="variants",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


def _label(key: str, labels: Labels) -> str:
    kind, _, party = key.partition(".")
    names = {
        "zopa": "zone of agreement",
        "zopa_packages": "packages in the zone",
        "reservation": f"{labels.party(party)}: value of no deal",
        "nash": f"{labels.party(party)}: utility of the Nash package",
        "p_zopa_month_0": "P(zone of agreement), month 0",
        "first_ripe_month": "first ripe month",
        "nash_p_hold_60": "P(Nash package holds 5 years)",
    }
    return names.get(kind, key)


def _value(key: str, value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.startswith("p_") or key.endswith("p_hold_60"):
        return f"{value:.0%}"
    if isinstance(value, int):
        return f"{value:,}"
    return number(value)


def print_variants(document: dict[str, Any], labels: Labels) -> None:
    """Headline numbers in rows, the scenario and each variant in columns; changes in colour."""
    base = document["baseline"]["headline"]
    rows = document["variants"]
    scenario = labels.scenario
    console.print(
        Text.assemble(
            scenario_heading(labels, document["scenario"]),
            f": {counted(len(rows), 'variant')} against the scenario as it is",
        ),
        soft_wrap=True,
    )
    for index, variant in enumerate(rows, start=1):
        changes = ", ".join(f"{labels.path(p)} = {v:g}" for p, v in variant["changes"].items())
        console.print(f"  {index}: {changes}", soft_wrap=True)
    table = Table(title="Headline numbers", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("", overflow="fold", ratio=2)
    table.add_column("scenario", justify="right")
    for index in range(1, len(rows) + 1):
        table.add_column(str(index), justify="right")
    for key, before in base.items():
        cells: list[Text | str] = [_label(key, labels), _value(key, before)]
        for variant in rows:
            value = variant["headline"].get(key)
            cells.append(
                Text(_value(key, value), "bold yellow") if value != before else _value(key, value)
            )
        table.add_row(*cells)
    table.add_row(
        "Nash package: issues that differ from the scenario's",
        "",
        *[DASH if v["nash_changes"] is None else str(len(v["nash_changes"])) for v in rows],
    )
    console.print(table)
    for index, variant in enumerate(rows, start=1):
        moved = variant["nash_changes"] or {}
        if moved:
            text = "; ".join(f"{labels.issue(i)}: {labels.option(i, o)}" for i, o in moved.items())
            console.print(f"  {index}: the Nash package now has {text}", soft_wrap=True)
    if scenario is not None:
        from ceasefire.diagnostics.assumptions import holds_under

        console.print(Text(holds_under(scenario), style="dim"), soft_wrap=True)
