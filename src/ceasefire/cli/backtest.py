"""``ceasefire backtest``: the model run forward from past wars' ``as_of``, scored against history."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Column, Table

from ceasefire.cli.common import (
    EXIT_USAGE,
    JsonOutput,
    NoProgress,
    Out,
    Seed,
    SetValues,
    console,
    emit,
    fail,
    load_or_exit,
    progress_bar,
)


def backtest(
    scenario: Annotated[
        str | None,
        typer.Argument(
            help="A scenario with a 'record:' section (file or bundled id; default "
            "russia-ukraine-2023-12); or --all.",
            show_default=False,
        ),
    ] = None,
    all_cases: Annotated[
        bool, typer.Option("--all", help="Every bundled scenario that has a record.")
    ] = False,
    samples: Annotated[
        int | None,
        typer.Option(min=10, max=1_000_000, help="Monte Carlo samples per case (default 2,000)."),
    ] = None,
    seed: Seed = 0,
    forecaster: Annotated[
        str,
        typer.Option(
            help="What is scored: 'zopa' (P(zone of agreement) from the war model) or 'beliefs' "
            "(P(the best offer is accepted) under the parties' own beliefs).",
        ),
    ] = "zopa",
    json_output: JsonOutput = False,
    out: Out = None,
    no_progress: NoProgress = False,
    set_values: SetValues = None,
) -> None:
    """Run the model forward from each case's as_of and score it against what happened."""
    from ceasefire.runs import run
    from ceasefire.validation.backtest import DEFAULT_SAMPLES, backtest, bundled_cases
    from ceasefire.validation.forecast import FORECASTERS

    if forecaster not in FORECASTERS:
        fail(f"unknown forecaster '{forecaster}' (one of: {', '.join(FORECASTERS)})", EXIT_USAGE)
    if all_cases and (scenario is not None or set_values):
        fail("give a SCENARIO (with any --set) or --all, not both", EXIT_USAGE)
    if all_cases:
        cases = bundled_cases()
    else:
        loaded = load_or_exit(scenario, set_values)
        problems = []
        if loaded.scenario.record is None:
            problems.append("no 'record:' section: nothing to score against")
        if loaded.scenario.war is None:
            problems.append("no 'war:' section: the model cannot be run forward")
        if problems:
            fail([f"{loaded.path}:1:1: {p}; see docs/how-to/backtest.md" for p in problems])
    n = DEFAULT_SAMPLES if samples is None else samples
    with progress_bar(not no_progress, "backtest") as update:
        if all_cases:
            document = backtest(cases, samples=n, seed=seed, forecaster=forecaster, progress=update)
        else:
            outcome = run(
                "backtest", loaded, samples=n, seed=seed, forecaster=forecaster, progress=update
            )
            document = outcome.document
    emit(document, json_output=json_output, out=out, show=lambda: print_backtest(document))


def _month(value: int | None) -> str:
    return "—" if value is None else str(value)


def _error(error: int, censored: bool) -> str:
    """The ripe error in months; a censored one is a bound (``>=`` late, ``<=`` early)."""
    if not censored:
        return f"{error:+d}"
    if error > 0:
        return f">= {error:+d}"
    return f"<= {error:+d}" if error < 0 else "0"


def _percentiles(values: list[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values) if values else "—"


def _scored(document: dict[str, Any]) -> str:
    """What the Brier scores are of, in words."""
    names = {case["scored_probability"] for case in document["cases"]}
    if names == {"p_agreement"}:
        return "P(agreement)"
    return "P(zone of agreement)" if names <= {"p_zopa"} else "probability"


BACKTEST_COLUMNS = (
    "case",
    "agreement (month)",
    "first ripe month",
    "error (months)",
    "Brier",
    "Brier, nominal",
    "Brier, always 0.5",
    "Brier, base rate",
    "agreed package in zone",
    "front pct.",
    "casualty pct.",
)
WIDE = 132
"""The width the one-table layout needs; narrower terminals get one small table per case."""


def print_backtest(document: dict[str, Any]) -> None:
    """One table across cases (one small table per case in a terminal narrower than 132
    columns, so that no heading is cut), drawn from the JSON document."""
    parameters = document["provenance"]["parameters"]
    title = (
        f"Backtest from each case's as_of: {parameters['forecaster']} forecaster, "
        f"{parameters['samples']:,} samples, seed {document['provenance']['seed']}"
    )
    rows = [_case_row(case) for case in document["cases"]]
    # Piped or captured output has no width of its own: give the table room for its columns.
    # (COLUMNS, when set, is the width the user asked for.)
    wide = console.is_terminal or os.environ.get("COLUMNS")
    out = console if wide else Console(width=WIDE, highlight=False)
    if out.width >= WIDE:
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
        for header in BACKTEST_COLUMNS:
            table.add_column(
                header,
                justify="left" if header == "case" else "right",
                no_wrap=header in ("case", "Brier"),
            )
        for row in rows:
            table.add_row(*row)
        out.print(table)
    else:
        out.print(title, markup=False, soft_wrap=True)
        for row in rows:
            table = Table(
                "measure",
                Column("value", justify="right"),
                title=row[0],
                title_justify="left",
                box=box.SIMPLE_HEAD,
            )
            for header, value in zip(BACKTEST_COLUMNS[1:], row[1:], strict=True):
                table.add_row(header, value)
            out.print(table)
    _print_key(document)


def _case_row(case: dict[str, Any]) -> list[str]:
    """One case's cells, in the order of :data:`BACKTEST_COLUMNS`."""
    agreement = (
        f"{case['agreement_date'][:7]} ({case['agreement_month']})"
        if case["agreement_month"] is not None
        else f"none to {case['record_end'][:7]}"
    )
    in_zone = case["agreed_package_in_zone"]
    baseline = case["brier_baseline"]
    commitment = case.get("commitment")
    return [
        case["id"],
        agreement,
        _month(case["first_ripe_month"]),
        _error(case["ripe_error_months"], case["ripe_error_censored"]),
        f"{case['brier']:.3f}",
        "—" if not commitment else f"{commitment['nominal']['brier']:.3f}",
        f"{baseline['always_half']:.3f}",
        f"{baseline['base_rate']:.3f}",
        "—" if in_zone is None else ("yes" if in_zone else "no"),
        _percentiles(case["front_percentiles"]),
        _percentiles(case["casualty_percentiles"]),
    ]


def _print_key(document: dict[str, Any]) -> None:
    """What the columns mean."""
    console.print(
        f"Brier: of the monthly {_scored(document)} against 'an agreement has been reached by this "
        "month' (lower is better), on effective utilities for a case with a commitment section; "
        "nominal: the war model's P(zone) on nominal utilities (every deal enforced forever), "
        "scored the same way; always 0.5 and base rate: the naive forecasts' Brier. Error: first "
        "ripe month minus the agreement's month (>= or <=: a bound, censored by the record's end). "
        "pct.: percentile of each recorded figure in the model's predictive sample (50 is central).",
        soft_wrap=True,
        markup=False,
    )
