"""``ceasefire report``: one self-contained HTML file with the figures, findings and provenance."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from ceasefire.cli.common import (
    SCENARIO_HELP,
    SetValues,
    console,
    error_console,
    fail,
    load_or_exit,
    parse_changes,
    show_progress,
    write_text_atomic,
)


class PlotlySource(StrEnum):
    embed = "embed"
    cdn = "cdn"


def report(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    out: Annotated[Path, typer.Option(help="Where to write the HTML report.")] = Path(
        "report.html"
    ),
    samples: Annotated[
        int | None, typer.Option(min=1, help="Monte Carlo samples, where the scenario has any.")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed of every random draw.")] = None,
    add: Annotated[
        list[Path] | None,
        typer.Option(
            "--add",
            help="A JSON result of `ceasefire war`, `robust`, `sensitivity` or `negotiate` on the "
            "same scenario, or of `divide`, `forecast` or `stability`, to show in the report too "
            "(repeatable).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity", help="Also run the one-at-a-time sensitivity analysis (slower)."
        ),
    ] = False,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Do not report progress on stderr.")
    ] = False,
    plotly: Annotated[
        PlotlySource,
        typer.Option(
            help="Where the report's plotly.js comes from: embedded in the file (works offline, "
            "about 5 MB) or plotly's CDN (a small file that needs a connection to draw).",
        ),
    ] = PlotlySource.embed,
    set_values: SetValues = None,
) -> None:
    """Write an HTML report that works offline: figures, findings, parties, issues, sources."""
    from ceasefire.report.compose import compose, merge
    from ceasefire.report.html import render_report

    loaded = load_or_exit(scenario, set_values)
    verbose = show_progress(not no_progress)

    def say(_done: int, _total: int, stage: str) -> None:
        if verbose:
            error_console.print(Text(f"{stage}…", "dim"))

    extras = [_read_result(path) for path in add or []]
    document, notes = compose(
        loaded,
        samples=samples,
        seed=seed,
        progress=say,
        sensitivity=sensitivity,
        scenario_name=scenario,
        changes=parse_changes(set_values or []),
        added=[str(path) for path in add or []],
    )
    for path, extra in zip(add or [], extras, strict=True):
        try:
            merge(document, extra, loaded, str(path))
        except ValueError as error:
            fail(str(error))
    say(1, 1, "drawing the figures")
    html = render_report(loaded, document, notes=notes, plotly=plotly.value)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"{out}: cannot create its folder: {error.strerror or error}")
    write_text_atomic(out, html)
    console.print(f"Report written to {out.resolve()}", markup=False, soft_wrap=True)


def _read_result(path: Path) -> dict[str, Any]:
    """A JSON result document from a file; exit 1 if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{path}: cannot read: {error}")
    except json.JSONDecodeError as error:
        fail(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}")
    if not isinstance(data, dict):
        fail(f"{path}:1:1: a result document is a JSON object")
    return data
