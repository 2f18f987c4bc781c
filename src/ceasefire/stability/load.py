"""Load a stability model file with every problem reported as ``FILE:LINE:COL: path: message``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ceasefire.scenario.load import (
    MAX_BYTES,
    Located,
    ScenarioError,
    _from_pydantic,
    _locate,
    _parse_yaml,
)
from ceasefire.stability.build import Conflict, build
from ceasefire.stability.model import STABILITY_VERSION, StabilityModel


def load_conflict(path: str | Path) -> tuple[Conflict, str]:
    """Read, validate and build a stability model; raise :class:`ScenarioError` on bad input.

    Returns the conflict and the file's text (for its hash).
    """
    name = str(path)
    try:
        if Path(path).stat().st_size > MAX_BYTES:
            raise ScenarioError([Located(name, 1, 1, f"file is larger than {MAX_BYTES:,} bytes")])
        text = Path(path).read_bytes().decode("utf-8-sig")
    except ScenarioError:
        raise
    except UnicodeDecodeError as error:
        raise ScenarioError([Located(name, 1, 1, f"not UTF-8 text (byte {error.start})")]) from None
    except IsADirectoryError:
        raise ScenarioError([Located(name, 1, 1, "is a directory, not a model file")]) from None
    except OSError as error:
        raise ScenarioError([Located(name, 1, 1, error.strerror or str(error))]) from None
    return parse_conflict(text, name), text


def parse_conflict(text: str, name: str = "<stability model>") -> Conflict:
    """Validate and build a stability model from YAML text."""
    data: Any = _parse_yaml(text, name, positions=True)
    version = data.get("stability_version")
    if version is not None and version != STABILITY_VERSION:
        raise ScenarioError(
            _locate_message(data, name, ("stability_version",), f"unknown version {version!r}")
        )
    try:
        model = StabilityModel.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_from_pydantic(error, data, name)) from None
    conflict, problems = build(model)
    if problems or conflict is None:
        raise ScenarioError(_locate(problems, data, name))
    return conflict


def _locate_message(data: Any, name: str, loc: tuple[str, ...], message: str) -> list[Located]:
    from ceasefire.scenario.checks import Problem

    return _locate([Problem(loc, message)], data, name)
