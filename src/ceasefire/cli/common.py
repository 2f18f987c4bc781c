"""What every command shares: loading a scenario or failing cleanly, printing JSON, the console."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from ceasefire.defaults import MONTE_CARLO_SAMPLES, SEED
from ceasefire.jsonable import jsonable
from ceasefire.scenario import LoadedScenario, ScenarioError
from ceasefire.scenario.labels import Labels, counted

if TYPE_CHECKING:
    from ceasefire.executor import Executor

EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2

SCENARIO_HELP = (
    "A scenario file, a Genius domain folder, or a bundled id (see `ceasefire scenarios`)."
)

# Options that several commands share, with one wording.
Seed = Annotated[int, typer.Option(min=0, help="Seed: the same seed gives the same result.")]
JsonOutput = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Out = Annotated[Path | None, typer.Option(help="Write the JSON result to this file.")]
NoProgress = Annotated[bool, typer.Option("--no-progress", help="No progress bar.")]
Workers = Annotated[
    int,
    typer.Option(
        min=1,
        help="Worker processes: starts a local Dask cluster (or, without Dask, a process pool). "
        "Results do not depend on it.",
    ),
]
Scheduler = Annotated[
    str | None, typer.Option(help="Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786.")
]
WarSamples = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=1_000_000,
        help=f"War model: Monte Carlo samples (default {MONTE_CARLO_SAMPLES:,}).",
    ),
]
WarSeed = Annotated[int | None, typer.Option(min=0, help=f"War model: seed (default {SEED}).")]
SetValues = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="What if a number of the scenario were VALUE (repeatable): a path as `sensitivity` "
        "and the web what-ifs write it, e.g. preferences.russia.no_deal.cost=8 or "
        "war.sides\\[ukraine].forces=900000. The file is not changed.",
    ),
]
CsvDir = Annotated[
    Path | None,
    typer.Option(
        "--csv",
        metavar="DIR",
        help="Also write the result as tidy CSV tables into this folder (one file per table).",
    ),
]
XlsxFile = Annotated[
    Path | None,
    typer.Option(
        "--xlsx",
        metavar="FILE",
        help="Also write the result's tables as one Excel workbook (pip install "
        "'ceasefire\\[xlsx]').",
    ),
]

# Nothing printed is read as rich markup or emoji codes: scenario text and file names go out as
# they are (":100:" in "FILE:100:7: ..." is a line number, not an emoji). Styled output is built
# from rich Text objects.
console = Console(markup=False, emoji=False, highlight=False)
error_console = Console(stderr=True, markup=False, emoji=False, highlight=False)


def scenario_heading(labels: Labels, scenario_id: str, when: str | None = None) -> Text:
    """How every command names its scenario at the top of its output: the title in bold, then
    its id and ``when`` (``as of 2024-01-01``) in brackets: ``A two-issue border dispute
    (toy-border, as of 2024-01-01)``. Without the scenario at hand, the id in bold stands for
    the title."""
    scenario = labels.scenario
    title = scenario.title if scenario is not None and scenario.id == scenario_id else None
    detail = ", ".join(part for part in (scenario_id if title else None, when) if part)
    return Text.assemble((title or scenario_id, "bold"), f" ({detail})" if detail else "")


def fail(lines: list[str] | str, code: int = EXIT_INVALID_INPUT) -> NoReturn:
    """Print problems on stderr, one per line, and exit with ``code``."""
    for line in [lines] if isinstance(lines, str) else lines:
        error_console.print(line, markup=False, soft_wrap=True)
    raise typer.Exit(code)


LOADED: list[LoadedScenario] = []
"""The scenarios this command has loaded, so that a problem an analysis finds later (see
:func:`located_problem`) can be reported at its place in the file."""


def load_or_exit(name: str | None, changes: list[str] | None = None) -> LoadedScenario:
    """Load a scenario given as a path, a Genius folder or a bundled id, with the ``--set``
    changes made; exit 1 on bad input (a bad path or value included)."""
    from ceasefire.study import read_scenario

    try:
        loaded = read_scenario(name)
    except FileNotFoundError as error:
        fail(str(error))
    except ScenarioError as error:
        fail([str(p) for p in error.problems])
    if changes:
        loaded = with_changes(loaded, parse_changes(changes))
    LOADED.append(loaded)
    return loaded


def parse_changes(values: list[str]) -> dict[str, float]:
    """``["a.b=1", "c=2.5"]`` → ``{"a.b": 1.0, "c": 2.5}``; exit 1 naming a malformed one."""
    changes: dict[str, float] = {}
    for value in values:
        path, sep, number = value.partition("=")
        path, number = path.strip(), number.strip().replace("_", "")
        if not sep or not path or not number:
            fail(f"--set {value}: write PATH=VALUE, e.g. preferences.russia.no_deal.cost=8")
        try:
            changes[path] = float(number)
        except ValueError:
            fail(f"--set {value}: {number!r} is not a number")
    return changes


def with_changes(loaded: LoadedScenario, changes: dict[str, float]) -> LoadedScenario:
    """The scenario with ``changes`` made (:func:`ceasefire.scenario.edit.with_values`); exit 1
    with a clear message for a path the scenario does not have or a value it cannot take."""
    from ceasefire.scenario.edit import ChangeError, with_values

    try:
        return with_values(loaded, changes)
    except ChangeError as error:
        fail(f"--set {error}{change_hint(loaded, str(error))}")
    except ScenarioError as error:
        fail([str(p) for p in error.problems])


def change_hint(loaded: LoadedScenario, message: str) -> str:
    """For a ``--set`` path with a key the scenario does not have (``PATH: not a number in this
    scenario (no 'KEY')``): ``"; did you mean 'north'?"`` with the keys there (``''`` if none)."""
    import difflib
    import re

    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    match = re.match(
        r"(?P<path>\S+): not a number in this scenario \(no '(?P<key>[^']*)'\)$", message
    )
    if match is None:
        return ""
    path, missing = match["path"], match["key"]
    try:
        node: Any = YAML(typ="safe", pure=True).load(loaded.text)
    except YAMLError:
        return ""
    for part in path.split("."):
        key = part.split("[")[0]
        if key == missing or not isinstance(node, dict):
            break
        if key not in node:
            return ""
        node = node[key]
    if not isinstance(node, dict):
        return ""
    there = [str(k) for k in node]
    close = difflib.get_close_matches(missing, there, n=1, cutoff=0.6)
    shown = ", ".join(there[:12]) + (", ..." if len(there) > 12 else "")
    return (f"; did you mean {close[0]!r}?" if close else "") + f" (there: {shown})"


def located_problem(error: Exception) -> list[str] | None:
    """The ``FILE:LINE:COL: message`` lines of a problem with the input found after loading (a
    :class:`ScenarioError`, or values of no deal out of range), or None for anything else."""
    if isinstance(error, ScenarioError):
        return [str(p) for p in error.problems]
    from ceasefire.war.batna import ValuesOutOfRange

    if isinstance(error, ValuesOutOfRange) and LOADED:
        from ceasefire.scenario.load import scenario_problem

        return [str(p) for p in scenario_problem(LOADED[-1], error.loc, error.message).problems]
    return None


def dump_json(data: Any, out: Path | None = None) -> None:
    """Write ``data`` as JSON to ``out`` (atomically) or to stdout."""
    text = json.dumps(jsonable(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    write_text_atomic(out, text)


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file so that a crash never leaves it half-written (:func:`ceasefire.files.write_text`:
    through symbolic links, directly into devices, never replacing anything but a regular file)."""
    from ceasefire.files import write_text

    try:
        write_text(path, text)
    except OSError as error:
        fail(f"{path}: cannot write: {error.strerror or error}")


def show_progress(enabled: bool) -> bool:
    """Progress bars only when asked and when a person is watching a terminal."""
    return enabled and sys.stderr.isatty()


def emit(
    document: dict[str, Any],
    *,
    json_output: bool,
    out: Path | None,
    show: Callable[[], None],
    kind: str | None = None,
    loaded: LoadedScenario | None = None,
    csv: Path | None = None,
    xlsx: Path | None = None,
) -> None:
    """Deliver a result: JSON to ``--out`` if given, else on stdout JSON (``--json``) or
    ``show()``; with ``--csv``/``--xlsx`` also its tables (:func:`write_tables`).

    ``--json --out FILE`` writes the file only: the JSON goes where it was asked for, once.
    """
    if csv is not None or xlsx is not None:
        write_tables(kind or "result", document, loaded, csv=csv, xlsx=xlsx)
    if out is not None:
        dump_json(document, out)
        if json_output:
            return
    elif json_output:
        dump_json(document)
        return
    show()
    if out is not None:
        console.print(f"\nJSON written to {out}", markup=False, soft_wrap=True)


def write_tables(
    kind: str,
    document: dict[str, Any],
    loaded: LoadedScenario | None,
    *,
    csv: Path | None = None,
    xlsx: Path | None = None,
) -> None:
    """Write a result document's tidy tables (:mod:`ceasefire.tables`) as CSV files into ``csv``
    and as one workbook ``xlsx``; say where on stderr; exit 1 when they cannot be written."""
    from ceasefire.tables import result_tables, write_csv, write_xlsx

    tables = result_tables(kind, document, None if loaded is None else loaded.scenario)
    try:
        if csv is not None:
            paths = write_csv(tables, csv)
            error_console.print(
                f"{counted(len(paths), 'CSV table')} written to {csv}", markup=False, soft_wrap=True
            )
        if xlsx is not None:
            write_xlsx(tables, xlsx)
            error_console.print(f"workbook written to {xlsx}", markup=False, soft_wrap=True)
    except RuntimeError as error:  # openpyxl missing
        fail(str(error), EXIT_USAGE)
    except OSError as error:
        target = csv if csv is not None and xlsx is None else (xlsx or csv)
        fail(f"{target}: cannot write: {error.strerror or error}")


@contextmanager
def executor_from_options(workers: int, scheduler: str | None) -> Iterator[Executor]:
    """The executor that ``--workers`` and ``--scheduler`` ask for; exits cleanly on failure."""
    from ceasefire.executor import make_executor

    try:
        executor = make_executor(workers, scheduler)
    except RuntimeError as error:  # Dask missing for --scheduler
        fail(str(error), EXIT_USAGE)
    except ValueError as error:  # not an address, e.g. --scheduler x
        fail(f"--scheduler {scheduler}: {error}", EXIT_USAGE)
    except (OSError, TimeoutError) as error:
        fail(f"cannot reach the Dask scheduler {scheduler}: {error}")
    try:
        yield executor
    finally:
        executor.close()


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[int, int, str], None]]:
    """A transient rich progress bar on stderr; ``update(done, total, stage)``."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=error_console,
        transient=True,
        disable=not show_progress(enabled),
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(done: int, total: int, stage: str) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"{label}: {stage}", total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
