"""Gather every result a report shows into one document: analyze at its top level, others by name.

Each layer that is installed and applies to the scenario adds its part: the war model (when the
scenario has a ``war:`` section) under ``"war"``, robustness under ``"robust"``. A layer that fails
never sinks the report: its failure becomes a note the report prints.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ceasefire.scenario import LoadedScenario

Progress = Callable[[str], None]


def _accepts(function: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def _options(function: Callable[..., Any], **candidates: Any) -> dict[str, Any]:
    """The keyword arguments that ``function`` takes, of those given and not None."""
    return {k: v for k, v in candidates.items() if v is not None and _accepts(function, k)}


def analyze_document(
    loaded: LoadedScenario, *, samples: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """The ``ceasefire analyze --json`` document (with the war model's options when it takes them)."""
    from ceasefire.analysis import analyze

    analysis = analyze(loaded, **_options(analyze, samples=samples, seed=seed))
    document: dict[str, Any] = analysis.to_dict()
    return document


def compose(
    loaded: LoadedScenario,
    *,
    samples: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The merged document of every result that applies, and notes on the parts left out."""
    say = progress or (lambda _: None)
    say("analysing the bargaining problem")
    document = analyze_document(loaded, samples=samples, seed=seed)
    notes: list[str] = []
    if getattr(loaded.scenario, "war", None) is not None:
        say("simulating the war")
        part = _optional(war_document, loaded, samples, seed, notes, "war model")
        if part is not None:
            document["war"] = part
    return document, notes


def war_document(
    loaded: LoadedScenario, samples: int | None, seed: int | None
) -> dict[str, Any] | None:
    """The ``ceasefire war --json`` document, if the war model is installed."""
    try:
        from ceasefire.war import simulate_document  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    result: dict[str, Any] = simulate_document(
        loaded, **_options(simulate_document, samples=samples, seed=seed)
    )
    return result


def _optional(
    build: Callable[[LoadedScenario, int | None, int | None], dict[str, Any] | None],
    loaded: LoadedScenario,
    samples: int | None,
    seed: int | None,
    notes: list[str],
    what: str,
) -> dict[str, Any] | None:
    try:
        return build(loaded, samples, seed)
    except Exception as error:  # a failed extra must not sink the whole report
        notes.append(f"The {what} could not be run: {error}")
        return None
