"""``ceasefire report``: one self-contained HTML file with the figures, findings and provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import (
    console,
    error_console,
    fail,
    load_or_exit,
    show_progress,
    write_text_atomic,
)

SCENARIO_HELP = "A scenario file or a bundled id (see `ceasefire scenarios`)."


def report(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    out: Annotated[Path, typer.Option(help="Where to write the HTML report.")] = Path(
        "report.html"
    ),
    samples: Annotated[
        int | None, typer.Option(min=1, help="Monte Carlo samples, where the scenario has any.")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed of every random draw.")] = None,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Do not report progress on stderr.")
    ] = False,
) -> None:
    """Write an HTML report that works offline: figures, findings, parties, issues, sources."""
    from ceasefire.report.compose import compose
    from ceasefire.report.html import render_report

    loaded = load_or_exit(scenario)
    verbose = show_progress(not no_progress)

    def say(step: str) -> None:
        if verbose:
            error_console.print(f"[dim]{step}…[/dim]")

    document, notes = compose(loaded, samples=samples, seed=seed, progress=say)
    say("drawing the figures")
    html = render_report(loaded, document, notes=notes)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"{out}: cannot create its folder: {error.strerror or error}")
    write_text_atomic(out, html)
    console.print(f"Report written to {out.resolve()}", markup=False, soft_wrap=True)
