"""Scenarios shipped with ceasefire (in ``bundled/``), addressed by id (file name less ``.yaml``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DEFAULT_SCENARIO = "russia-ukraine-2023-12"


def bundled_scenarios() -> dict[str, Path]:
    """Map each bundled scenario id to its file."""
    folder = Path(str(files("ceasefire.scenario").joinpath("bundled")))
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def resolve_scenario(name: str | None) -> Path:
    """A path for ``name``: an existing file or folder, or the id of a bundled scenario.

    Raises FileNotFoundError naming the bundled ids when ``name`` is neither.
    """
    name = name or DEFAULT_SCENARIO
    path = Path(name)
    if path.exists():
        return path
    bundled = bundled_scenarios()
    if name in bundled:
        return bundled[name]
    known = ", ".join(bundled) or "none"
    raise FileNotFoundError(f"{name}: no such file, and no bundled scenario of that id ({known})")
