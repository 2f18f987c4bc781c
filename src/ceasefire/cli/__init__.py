"""The ``ceasefire`` command line: a thin layer that parses, calls the API and prints.

Each verb lives in its own module; this one only registers them. Exit codes: 0 ok, 1 invalid input,
2 usage error.
"""

from __future__ import annotations

import typer

from ceasefire.cli import (
    analyze,
    backtest,
    interop,
    mediate,
    negotiate,
    report,
    robust,
    scenarios,
    sensitivity,
    serve,
    war,
)

app = typer.Typer(
    name="ceasefire",
    help="Analyse which settlement packages all parties could accept, and when.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command()(analyze.analyze)
app.command()(scenarios.validate)
app.command()(scenarios.scenarios)
app.command()(scenarios.schema)
app.command("import-genius")(interop.import_genius)
app.command("export-genius")(interop.export_genius)
app.command()(report.report)
app.command()(serve.serve)
app.command()(negotiate.negotiate)
app.command()(negotiate.tournament)
app.command()(war.war)
app.command()(robust.robust)
app.command()(sensitivity.sensitivity)
app.command()(mediate.mediate)
app.command()(backtest.backtest)


def main() -> None:
    """Entry point of the ``ceasefire`` console script."""
    app()
