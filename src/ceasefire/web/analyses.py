"""The analyses the web app offers: kinds of the registry of runs, and what a request may set.

Every analysis is a kind of :mod:`ceasefire.runs`: the app calls :func:`ceasefire.runs.run`, so a
run's document is the one its command prints with ``--json`` for the same seed (a robustness
document also names the status quo, for its package labels). A request sets the seed, the
Monte Carlo samples (the war model's in a sensitivity analysis), for a sensitivity analysis its
method (tornado or Sobol indices) and, for a negotiation, the protocol, the rounds and the
strategy every party plays. An analysis is offered when the scenario
has what it needs (the war model needs a ``war:`` section). Each runs on a background thread and
reports progress as a fraction in [0, 1].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ceasefire.runs import RUNS, RunKind, fraction, run
from ceasefire.scenario import LoadedScenario, Scenario

Progress = Callable[[float], None]
"""``progress(fraction)``: the share of the run that is done, in [0, 1]."""


@dataclass(frozen=True)
class Options:
    """What a run may set besides the scenario."""

    seed: int | None = None
    samples: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnalysisKind:
    """One analysis the app offers: a kind of run and how a request's options map onto it."""

    name: str
    samples: str | None = "samples"
    """The option of the run that a request's ``samples`` sets (None: it takes none)."""
    description: str | None = None
    """What the app says it does, where that is narrower than the run's own description."""
    extra: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    """The run's options from a request's own options; raises ValueError for bad ones."""

    @property
    def kind(self) -> RunKind:
        return RUNS[self.name]

    @property
    def title(self) -> str:
        return self.kind.title

    @property
    def check(self) -> Callable[[Mapping[str, Any]], Any] | None:
        """Raises ValueError for options the analysis cannot take (None: it takes none)."""
        return self.extra

    def installed(self) -> bool:
        """Every analysis the app offers is part of the package (none needs an optional one)."""
        return True

    def applies(self, scenario: Scenario) -> bool:
        return self.kind.applies(scenario)

    def options(self, options: Options) -> dict[str, Any]:
        """The run's options for a request (unset ones take the run's defaults)."""
        chosen: dict[str, Any] = {"seed": options.seed}
        if self.samples is not None:
            chosen[self.samples] = options.samples
        if self.extra is not None:
            chosen.update(self.extra(options.extra))
        elif options.extra:
            raise ValueError(f"{self.name} takes no options")
        return chosen

    def run(self, loaded: LoadedScenario, options: Options, progress: Progress) -> dict[str, Any]:
        """The run's document (``ceasefire <name> --json``)."""
        outcome = run(self.name, loaded, progress=fraction(progress), **self.options(options))
        document = outcome.document
        if self.name == "robust":
            from ceasefire.report.compose import with_status_quo

            with_status_quo(document, loaded.scenario)
        return document

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description or self.kind.description,
            "needs_war": self.kind.needs_war,
            "random": self.kind.random,
            "installed": self.installed(),
        }


NEGOTIATION_OPTIONS = ("protocol", "rounds", "strategy", "strategies")


def negotiation_options(extra: Mapping[str, Any]) -> dict[str, Any]:
    """A negotiation's options from a request's: ``strategy`` is what every party plays, and
    ``strategies`` (``{party: strategy}``) what a party plays instead."""
    unknown = set(extra) - set(NEGOTIATION_OPTIONS)
    if unknown:
        raise ValueError(f"unknown option(s) for negotiate: {', '.join(sorted(unknown))}")
    from ceasefire.negotiation import PROTOCOLS, make_strategy

    defaults = RUNS["negotiate"].options
    protocol = extra.get("protocol", defaults["protocol"])
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol must be one of {', '.join(PROTOCOLS)}")
    rounds = extra.get("rounds", defaults["rounds"])
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= 1000:
        raise ValueError("rounds must be a whole number from 1 to 1000")
    try:
        strategy = make_strategy(str(extra.get("strategy", defaults["default"]))).spec
    except (KeyError, ValueError) as error:
        raise ValueError(f"strategy: {error.args[0] if error.args else error}") from None
    own = extra.get("strategies")
    if own is not None and not isinstance(own, Mapping):
        raise ValueError("strategies must map a party's id to its strategy")
    chosen: dict[str, str] = {}
    for party, spec in (own or {}).items():
        try:
            chosen[str(party)] = make_strategy(str(spec)).spec
        except (KeyError, ValueError) as error:
            raise ValueError(
                f"strategies.{party}: {error.args[0] if error.args else error}"
            ) from None
    options: dict[str, Any] = {"protocol": protocol, "rounds": rounds, "default": strategy}
    if chosen:
        options["strategies"] = chosen
    return options


MEDIATION_OPTIONS = ("budget", "objective", "target_p")


def mediation_options(extra: Mapping[str, Any]) -> dict[str, Any]:
    """A mediation's options from a request's: a ``budget`` (none: the cheapest offer only), the
    ``objective`` within it (``nash`` or ``robustness``) and a ``target_p`` of robustness."""
    unknown = set(extra) - set(MEDIATION_OPTIONS)
    if unknown:
        raise ValueError(f"unknown option(s) for mediate: {', '.join(sorted(unknown))}")
    chosen: dict[str, Any] = {}
    budget = extra.get("budget")
    if budget is not None:
        if isinstance(budget, bool) or not isinstance(budget, int | float) or budget < 0:
            raise ValueError("budget must be a number of at least 0")
        chosen["budget"] = float(budget)
    objective = extra.get("objective", RUNS["mediate"].options["objective"])
    if objective not in ("nash", "robustness"):
        raise ValueError("objective must be 'nash' or 'robustness'")
    chosen["objective"] = objective
    target = extra.get("target_p")
    if target is not None:
        if isinstance(target, bool) or not isinstance(target, int | float) or not 0 < target <= 1:
            raise ValueError("target_p must be a probability in (0, 1]")
        chosen["target_p"] = float(target)
    return chosen


TOURNAMENT_OPTIONS = ("runs", "rounds")


def tournament_options(extra: Mapping[str, Any]) -> dict[str, Any]:
    """A tournament's options from a request's: ``runs`` per assignment and ``rounds``."""
    unknown = set(extra) - set(TOURNAMENT_OPTIONS)
    if unknown:
        raise ValueError(f"unknown option(s) for tournament: {', '.join(sorted(unknown))}")
    defaults = RUNS["tournament"].options
    chosen: dict[str, Any] = {}
    for key, top in (("runs", 100), ("rounds", 1000)):
        value = extra.get(key, defaults[key])
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            raise ValueError(f"{key} must be a whole number from 1 to {top}")
        chosen[key] = value
    return chosen


SENSITIVITY_OPTIONS = ("method", "sobol_samples")
MAX_SOBOL_SAMPLES = 4096
"""The largest base sample of Sobol indices a web run takes (a power of 2)."""


def sensitivity_options(extra: Mapping[str, Any]) -> dict[str, Any]:
    """A sensitivity analysis's options from a request's: the ``method`` (``oat``: one input at
    a time, a tornado; ``sobol``: variance-based indices) and, for Sobol, ``sobol_samples``, the
    base sample (a power of 2; each costs a run of the model per input, plus two)."""
    unknown = set(extra) - set(SENSITIVITY_OPTIONS)
    if unknown:
        raise ValueError(f"unknown option(s) for sensitivity: {', '.join(sorted(unknown))}")
    defaults = RUNS["sensitivity"].options
    method = extra.get("method", defaults["method"])
    if method not in ("oat", "sobol"):
        raise ValueError("method must be 'oat' or 'sobol'")
    chosen: dict[str, Any] = {"method": method}
    samples = extra.get("sobol_samples")
    if samples is not None:
        if method != "sobol":
            raise ValueError("sobol_samples is for method 'sobol'")
        if (
            isinstance(samples, bool)
            or not isinstance(samples, int)
            or not 2 <= samples <= MAX_SOBOL_SAMPLES
            or samples & (samples - 1)
        ):
            raise ValueError(f"sobol_samples must be a power of 2 from 2 to {MAX_SOBOL_SAMPLES}")
        chosen["samples"] = samples
    return chosen


ANALYSES: dict[str, AnalysisKind] = {
    kind.name: kind
    for kind in (
        AnalysisKind("analyze"),
        AnalysisKind("explain"),
        AnalysisKind("war"),
        AnalysisKind("robust"),
        AnalysisKind(
            "sensitivity",
            samples="war_samples",
            description="Which assumptions move the margin of the zone of agreement, the Nash "
            "package and (with a war model) the first ripe month: one input at a time over its "
            "range (a tornado), or variance-based Sobol indices (with a warning where an "
            "estimate is less precise than its size).",
            extra=sensitivity_options,
        ),
        AnalysisKind("mediate", extra=mediation_options),
        AnalysisKind("negotiate", samples=None, extra=negotiation_options),
        AnalysisKind("tournament", samples=None, extra=tournament_options),
    )
}


def offered(scenario: Scenario) -> list[AnalysisKind]:
    """The analyses that can run on ``scenario``."""
    return [kind for kind in ANALYSES.values() if kind.applies(scenario)]
