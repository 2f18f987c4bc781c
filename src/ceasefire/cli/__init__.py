"""The ``ceasefire`` command line: a thin layer that parses, calls the API and prints.

Each verb lives in its own module; this one only registers them. Exit codes: 0 ok, 1 invalid input
(or output that cannot be written), 2 usage error, 3 internal error (a bug), 130 interrupted.
"""

from __future__ import annotations

import errno
import os
import sys
import warnings
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperOption

from ceasefire.cli import (
    analyze,
    backtest,
    divide,
    explain,
    forecast,
    interop,
    mediate,
    negotiate,
    report,
    robust,
    scenarios,
    score,
    sensitivity,
    serve,
    stability,
    variants,
    war,
)
from ceasefire.cli.common import located_problem


def hide_flag_types(option_class: type[Any]) -> bool:
    """Make ``option_class``'s rich help show no type after a flag, which takes no value.

    Typer (since it asks options for ``display_type_rich``) answers ``<bool>`` for a flag, as if
    ``--json`` took a value; its plain help leaves flags out, and so does this. Older typer
    releases (down to the 0.12 that ``pyproject.toml`` allows) have no such method and already
    skip booleans: there nothing is changed. Returns whether the class was changed."""
    shown_type = getattr(option_class, "display_type_rich", None)
    if shown_type is None:
        return False

    def flag_type(option: Any, ctx: Any) -> str | None:
        return None if option.is_flag else shown_type(option, ctx)

    setattr(option_class, "display_type_rich", flag_type)  # noqa: B010 (mypy: assigning a method)
    return True


hide_flag_types(TyperOption)

app = typer.Typer(
    name="ceasefire",
    help="Analyse which settlement packages all parties could accept, and when.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from ceasefire.provenance import ceasefire_version

        typer.echo(f"ceasefire {ceasefire_version()}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Analyse which settlement packages all parties could accept, and when."""


app.command()(analyze.analyze)
app.command()(explain.explain)
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
app.command()(divide.divide)
app.command()(forecast.forecast)
app.command()(stability.stability)
app.command()(backtest.backtest)
app.command()(variants.variants)
app.command()(score.score)


EXIT_INTERNAL = 3
_OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def main() -> None:
    """Entry point of the ``ceasefire`` console script.

    Whatever goes wrong ends in a short message on stderr (one line per located problem) and an
    exit code, never a traceback: output
    that cannot be written (a full disk, a closed pipe) exits 1; an unexpected exception, which is a
    bug, exits 3 and names itself (``CEASEFIRE_DEBUG=1`` shows the traceback). Tests call ``app``
    directly, so there exceptions stay visible.
    """
    # Numerical warnings (an overflow in a sampled extreme) are for developers: results that
    # matter are checked for finiteness, and JSON output refuses NaN. Tests still see them.
    warnings.simplefilter("ignore", RuntimeWarning)
    try:
        try:
            app()
        finally:
            sys.stdout.flush()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _quit("interrupted", 130)
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS or os.environ.get("CEASEFIRE_DEBUG"):
            _internal(error)
        _quit(f"cannot write the output: {error.strerror or error}", 1)
    except Exception as error:
        lines = located_problem(error)
        if lines is None:
            _internal(error)
        for line in lines:
            sys.stderr.write(line + "\n")
        sys.exit(1)


def _internal(error: BaseException) -> NoReturn:
    if os.environ.get("CEASEFIRE_DEBUG"):
        raise error
    message = " ".join(str(error).split()) or "no message"
    _quit(
        f"internal error ({type(error).__name__}: {message}); "
        "please report it, with CEASEFIRE_DEBUG=1 for the traceback",
        EXIT_INTERNAL,
    )


def _quit(message: str, code: int) -> NoReturn:
    # Whatever is still buffered for stdout cannot be written: send it nowhere, so that the
    # interpreter's own flush at exit does not print a second error.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    try:
        sys.stderr.write(f"ceasefire: {message}\n")
        sys.stderr.flush()
    except OSError:
        pass
    sys.exit(code)
