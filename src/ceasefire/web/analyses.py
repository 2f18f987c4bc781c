"""The analyses the web app can run, each producing the JSON document of its command.

An analysis is offered when its layer is installed and the scenario has what it needs (the war
model needs a ``war:`` section). Each runs on a background thread and may report progress as a
fraction in [0, 1].
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ceasefire.scenario import LoadedScenario, Scenario

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Options:
    """What a run may set besides the scenario."""

    seed: int | None = None
    samples: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnalysisKind:
    """One analysis the app offers."""

    name: str
    title: str
    description: str
    module: str
    run: Callable[[LoadedScenario, Options, Progress], dict[str, Any]]
    needs_war: bool = False
    random: bool = False

    def installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def applies(self, scenario: Scenario) -> bool:
        return self.installed() and (
            not self.needs_war or getattr(scenario, "war", None) is not None
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "needs_war": self.needs_war,
            "random": self.random,
            "installed": self.installed(),
        }


def _analyze(loaded: LoadedScenario, options: Options, progress: Progress) -> dict[str, Any]:
    from ceasefire.report.compose import analyze_document

    progress(0.1)
    return analyze_document(loaded, samples=options.samples, seed=options.seed)


ANALYSES: dict[str, AnalysisKind] = {
    kind.name: kind
    for kind in (
        AnalysisKind(
            "analyze",
            "Zone of agreement",
            "Pareto frontier, zone of possible agreement and the package each solution concept picks.",
            "ceasefire.bargaining",
            _analyze,
        ),
    )
}


def offered(scenario: Scenario) -> list[AnalysisKind]:
    """The analyses that can run on ``scenario``."""
    return [kind for kind in ANALYSES.values() if kind.applies(scenario)]


def jsonable(value: Any) -> Any:
    """JSON has no NaN or infinity: write them as null; tuples become lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
