"""The analyses the web app can run, each producing the JSON document of its command.

An analysis is offered when its layer is installed and the scenario has what it needs (the war
model needs a ``war:`` section). Each runs on a background thread and may report progress as a
fraction in [0, 1].
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
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
    check: Callable[[Mapping[str, Any]], None] | None = None  # raises ValueError for bad options

    def installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def applies(self, scenario: Scenario) -> bool:
        return self.installed() and (not self.needs_war or scenario.war is not None)

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


def _explain(loaded: LoadedScenario, options: Options, progress: Progress) -> dict[str, Any]:
    """``ceasefire explain --json``: margins, what binds, the binding party, break-even values."""
    from ceasefire.report.compose import explain_document

    return explain_document(loaded, options.samples, options.seed, progress, break_even=True)


def _war(loaded: LoadedScenario, options: Options, progress: Progress) -> dict[str, Any]:
    from ceasefire.report.compose import war_document

    document = war_document(loaded, options.samples, options.seed, progress)
    if document is None:
        raise ValueError("the scenario has no war section")
    return document


def _robust(loaded: LoadedScenario, options: Options, progress: Progress) -> dict[str, Any]:
    """``ceasefire robust --json`` on one process, plus the status quo (for package labels)."""
    from ceasefire.report.compose import DEFAULT_ROBUST_SAMPLES, robust_document

    return robust_document(
        loaded, options.samples or DEFAULT_ROBUST_SAMPLES, options.seed or 0, progress
    )


def _sensitivity(loaded: LoadedScenario, options: Options, progress: Progress) -> dict[str, Any]:
    from ceasefire.report.compose import sensitivity_document

    return sensitivity_document(loaded, options.seed, progress)


NEGOTIATION_DEFAULTS: dict[str, Any] = {
    "protocol": "alternating",
    "rounds": 24,
    "strategy": "boulware",
}


def _negotiation_options(extra: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(extra) - set(NEGOTIATION_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown option(s) for negotiate: {', '.join(sorted(unknown))}")
    options = {**NEGOTIATION_DEFAULTS, **extra}
    from ceasefire.negotiation import PROTOCOLS, make_strategy

    if options["protocol"] not in PROTOCOLS:
        raise ValueError(f"protocol must be one of {', '.join(PROTOCOLS)}")
    rounds = options["rounds"]
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= 1000:
        raise ValueError("rounds must be a whole number from 1 to 1000")
    try:
        options["strategy"] = make_strategy(str(options["strategy"])).spec
    except (KeyError, ValueError) as error:
        raise ValueError(f"strategy: {error.args[0] if error.args else error}") from None
    return options


def _check_negotiation(extra: Mapping[str, Any]) -> None:
    _negotiation_options(extra)


def _negotiate(loaded: LoadedScenario, options: Options, progress: Progress) -> dict[str, Any]:
    """One negotiation, as ``ceasefire negotiate --json`` runs it (every party plays the strategy)."""
    from ceasefire.negotiation.talks import negotiate_scenario

    chosen = _negotiation_options(options.extra)
    progress(0.1)
    result = negotiate_scenario(
        loaded,
        default=chosen["strategy"],
        protocol=chosen["protocol"],
        rounds=chosen["rounds"],
        seed=options.seed if options.seed is not None else 0,
    )
    document: dict[str, Any] = result.to_dict()
    return document


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
        AnalysisKind(
            "explain",
            "Why",
            "Each party's margin over its value of no deal and the issues that make it, which red "
            "lines and values of no deal bind, the scale-free binding party, and where each input "
            "opens or closes the zone.",
            "ceasefire.diagnostics",
            _explain,
        ),
        AnalysisKind(
            "war",
            "War paths",
            "Monte Carlo of the war going on: territory, casualties, outlays and escalation by month.",
            "ceasefire.war",
            _war,
            needs_war=True,
            random=True,
        ),
        AnalysisKind(
            "robust",
            "Robustness",
            "With the uncertain inputs drawn at random: how often a deal exists, and how often each "
            "candidate package is acceptable to every party that must agree.",
            "ceasefire.uncertainty.robustness",
            _robust,
            random=True,
        ),
        AnalysisKind(
            "sensitivity",
            "Sensitivity",
            "One input at a time over its range: which assumptions move the margin of the zone "
            "of agreement, the Nash package and (with a war model) the first ripe month.",
            "ceasefire.uncertainty.sensitivity",
            _sensitivity,
        ),
        AnalysisKind(
            "negotiate",
            "Simulated negotiation",
            "Alternating offers (or a mediator's single text) between strategy-driven parties; "
            "with a war model each round is a month of fighting.",
            "ceasefire.negotiation",
            _negotiate,
            random=True,
            check=_check_negotiation,
        ),
    )
}


def offered(scenario: Scenario) -> list[AnalysisKind]:
    """The analyses that can run on ``scenario``."""
    return [kind for kind in ANALYSES.values() if kind.applies(scenario)]
