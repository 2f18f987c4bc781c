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

from ceasefire.jsonable import jsonable
from ceasefire.scenario import LoadedScenario, ScenarioError

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

console = Console()
error_console = Console(stderr=True, highlight=False)


def fail(lines: list[str] | str, code: int = EXIT_INVALID_INPUT) -> NoReturn:
    """Print problems on stderr, one per line, and exit with ``code``."""
    for line in [lines] if isinstance(lines, str) else lines:
        error_console.print(line, markup=False, soft_wrap=True)
    raise typer.Exit(code)


def load_or_exit(name: str | None) -> LoadedScenario:
    """Load a scenario given as a path, a Genius folder or a bundled id; exit 1 on bad input."""
    from ceasefire.study import read_scenario

    try:
        return read_scenario(name)
    except FileNotFoundError as error:
        fail(str(error))
    except ScenarioError as error:
        fail([str(p) for p in error.problems])


def dump_json(data: Any, out: Path | None = None) -> None:
    """Write ``data`` as JSON to ``out`` (atomically) or to stdout."""
    text = json.dumps(jsonable(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    write_text_atomic(out, text)


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file so that a crash never leaves it half-written (temp file, then rename)."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        fail(f"{path}: cannot write: {error.strerror or error}")


def show_progress(enabled: bool) -> bool:
    """Progress bars only when asked and when a person is watching a terminal."""
    return enabled and sys.stderr.isatty()


def emit(
    document: dict[str, Any], *, json_output: bool, out: Path | None, show: Callable[[], None]
) -> None:
    """Deliver a result: JSON to ``--out`` if given; on stdout JSON (``--json``) or ``show()``."""
    if out is not None:
        dump_json(document, out)
    if json_output:
        dump_json(document)
        return
    show()
    if out is not None:
        console.print(f"\nJSON written to {out}", markup=False, soft_wrap=True)


@contextmanager
def executor_from_options(workers: int, scheduler: str | None) -> Iterator[Executor]:
    """The executor that ``--workers`` and ``--scheduler`` ask for; exits cleanly on failure."""
    from ceasefire.executor import make_executor

    try:
        executor = make_executor(workers, scheduler)
    except RuntimeError as error:  # Dask missing for --scheduler
        fail(str(error), EXIT_USAGE)
    except (OSError, TimeoutError) as error:
        fail(f"cannot reach the Dask scheduler {scheduler}: {error}")
    try:
        yield executor
    finally:
        executor.close()


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[int, int, str], None]]:
    """A transient rich progress bar on stderr; ``update(done, total, stage)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
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
