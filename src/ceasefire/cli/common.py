"""What every command shares: loading a scenario or failing cleanly, printing JSON, the console."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

from ceasefire.scenario import LoadedScenario, ScenarioError, load_scenario, resolve_scenario

EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2

console = Console()
error_console = Console(stderr=True, highlight=False)


def fail(lines: list[str] | str, code: int = EXIT_INVALID_INPUT) -> NoReturn:
    """Print problems on stderr, one per line, and exit with ``code``."""
    for line in [lines] if isinstance(lines, str) else lines:
        error_console.print(line, markup=False, soft_wrap=True)
    raise typer.Exit(code)


def load_or_exit(name: str | None) -> LoadedScenario:
    """Load a scenario given as a path, a Genius folder or a bundled id; exit 1 on bad input."""
    try:
        path = resolve_scenario(name)
    except FileNotFoundError as error:
        fail(str(error))
    try:
        if path.is_dir():
            return _load_folder(path)
        return load_scenario(path)
    except ScenarioError as error:
        fail([str(p) for p in error.problems])


def _load_folder(path: Path) -> LoadedScenario:
    try:
        from ceasefire.interop.genius import load_genius_folder
    except ImportError:
        fail(f"{path}: is a directory, not a scenario file")
    return load_genius_folder(path)


def _clean(value: Any) -> Any:
    """JSON has no NaN or infinity: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def dump_json(data: Any, out: Path | None = None) -> None:
    """Write ``data`` as JSON to ``out`` (atomically) or to stdout."""
    text = json.dumps(_clean(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
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
