"""The registry of runs: every analysis once, with its options, their defaults and its document.

Each kind of run (``analyze``, ``explain``, ``war``, ``robust``, ``sensitivity``, ``mediate``,
``negotiate``, ``tournament``, ``divide``, ``forecast``, ``stability``, ``backtest``, ``score``) is
one :class:`RunKind`: its options with their defaults, and the one function
that runs it and builds the JSON document its command prints with ``--json``. The command line,
the HTML report and the Python front door (:mod:`ceasefire.study`) all call :func:`run`, so that
one seed gives one document whichever way it was asked for.

Progress has one protocol: ``progress(done, total, stage)``, e.g. ``(12, 24, "months")``.
Runs that use worker processes take an :class:`~ceasefire.executor.Executor` (serial when
omitted); the result does not depend on it.

A run raises :class:`ValueError` for options its scenario cannot take (a war simulation of a
scenario without a ``war:`` section, too many offers for an exhaustive search, an unknown party),
and :class:`RuntimeError` when an optional package it needs (SALib for Sobol indices) is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ceasefire.defaults import (
    BACKTEST_SAMPLES,
    FORECAST_ROUNDS,
    FORECASTER,
    MAX_FRONTIER,
    MEDIATION_SAMPLES,
    MONTE_CARLO_SAMPLES,
    ROUNDS,
    SEED,
    SENSITIVITY_SAMPLES,
    SENSITIVITY_WAR_SAMPLES,
    STRATEGY,
)
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario, Scenario

if TYPE_CHECKING:
    from ceasefire.executor import Executor

Progress = Callable[[int, int, str], None]
"""``progress(done, total, stage)``: ``done`` of ``total`` units of the named stage are finished."""

TOURNAMENT_STRATEGIES = ("boulware", "linear", "conceder", "tit_for_tat", "hardliner", "rubinstein")
TOURNAMENT_RUNS = 5
REVISION = "max_min_shortfall"


@dataclass(frozen=True)
class Outcome:
    """What a run gives: its JSON document and, where there is one, the library's result object."""

    kind: str
    loaded: LoadedScenario
    document: dict[str, Any]
    result: Any = None


Runner = Callable[..., Outcome]


@dataclass(frozen=True)
class RunKind:
    """One kind of run: what it is, its options with their defaults, and the function that runs it."""

    name: str
    title: str
    description: str
    options: Mapping[str, Any]
    runner: Runner
    needs_war: bool = False
    random: bool = True
    parallel: bool = False
    """Does it take an ``executor`` (worker processes or a Dask cluster)?"""
    requires: Callable[[Scenario], bool] | None = None
    """What else the scenario must have (two belligerents, parties with a capability, a record)."""

    def applies(self, scenario: Scenario) -> bool:
        """Can it run on ``scenario`` (the war simulation needs a ``war:`` section, ...)?"""
        if self.needs_war and scenario.war is None:
            return False
        return self.requires is None or self.requires(scenario)

    def defaults(self) -> dict[str, Any]:
        return dict(self.options)


def run(
    kind: str,
    loaded: LoadedScenario,
    *,
    progress: Progress | None = None,
    executor: Executor | None = None,
    **options: Any,
) -> Outcome:
    """Run one kind of analysis on ``loaded``; unknown options are a :class:`TypeError`.

    An option given as None takes its default.
    """
    entry = RUNS[kind]
    unknown = set(options) - set(entry.options)
    if unknown:
        raise TypeError(f"{kind}: unknown option(s) {', '.join(sorted(unknown))}")
    chosen = {**entry.options, **{k: v for k, v in options.items() if v is not None}}
    if entry.parallel:
        chosen["executor"] = executor
    return entry.runner(loaded, progress=progress, **chosen)


def fraction(report: Callable[[float], None]) -> Progress:
    """The progress protocol for a caller that shows a fraction done in [0, 1]."""

    def update(done: int, total: int, _stage: str) -> None:
        if total:
            report(min(1.0, done / total))

    return update


# ---- the runs ------------------------------------------------------------------------------------


def _analyze(
    loaded: LoadedScenario,
    *,
    samples: int | None,
    seed: int | None,
    horizon: int | None,
    worlds: int | None,
    particles: int | None,
    max_frontier: int,
    whole_frontier: bool,
    executor: Executor | None,
    progress: Progress | None,
) -> Outcome:
    from ceasefire.analysis import analyze

    analysis = analyze(
        loaded,
        samples=samples,
        seed=seed,
        horizon=horizon,
        worlds=worlds,
        particles=particles,
        executor=executor,
    )
    if progress is not None:
        progress(1, 1, "analysis")
    document = analysis.to_dict(max_frontier, whole_frontier=whole_frontier)
    return Outcome("analyze", loaded, document, analysis)


def _war(
    loaded: LoadedScenario,
    *,
    months: int | None,
    samples: int,
    seed: int,
    aid_scale: float,
    progress: Progress | None,
) -> Outcome:
    """Monthly quantiles of territory, casualties, outlays and escalation, with provenance."""
    from ceasefire.war.attrition import simulate

    scenario = loaded.scenario
    war = scenario.war
    if war is None:
        raise ValueError("the scenario has no 'war:' section; see docs/explanation/war-model.md")
    n_months = int(war.horizon_months) if months is None else months
    outcomes = simulate(
        scenario,
        samples=samples,
        months=n_months,
        seed=seed,
        aid_scale=aid_scale,
        progress=None if progress is None else (lambda done: progress(done, n_months, "months")),
    )
    issue = scenario.issue(war.front.issue)
    unit = f" ({issue.unit})" if issue.unit else ""
    provenance = Provenance(
        scenario_sha256=loaded.sha256,
        seed=seed,
        parameters={"samples": samples, "months": n_months, "aid_scale": aid_scale},
    )
    document = {
        "provenance": provenance.to_dict(),
        "scenario": {"id": scenario.id, "as_of": scenario.as_of.isoformat()},
        "sides": list(war.side_ids()),
        "territory_issue": issue.id,
        "territory_label": f"{issue.name}{unit}",
        "territory_gains_for": war.front.gains_for,
        **({"war_mechanisms": mechanisms} if (mechanisms := war.mechanisms()) else {}),
        **outcomes.summary(),
    }
    return Outcome("war", loaded, document, outcomes)


def _robust(
    loaded: LoadedScenario,
    *,
    samples: int,
    seed: int,
    executor: Executor | None,
    progress: Progress | None,
) -> Outcome:
    from ceasefire.uncertainty.robustness import robust

    result = robust(loaded, samples, seed, executor=executor, progress=progress)
    return Outcome("robust", loaded, result.to_dict(), result)


def _sensitivity(
    loaded: LoadedScenario,
    *,
    method: str,
    declared_only: bool,
    samples: int,
    war_samples: int,
    seed: int,
    executor: Executor | None,
    progress: Progress | None,
) -> Outcome:
    from ceasefire.uncertainty.inputs import DEFAULT_SPREAD
    from ceasefire.uncertainty.sensitivity import sensitivity

    if method not in ("oat", "sobol"):
        raise ValueError(f"method must be 'oat' or 'sobol', not {method!r}")
    if method == "sobol" and samples & (samples - 1):
        raise ValueError(f"samples must be a power of 2 for Sobol indices, not {samples}")
    result = sensitivity(
        loaded,
        "sobol" if method == "sobol" else "oat",
        spread=None if declared_only else DEFAULT_SPREAD,
        samples=samples,
        seed=seed,
        war_samples=war_samples,
        executor=executor,
        progress=progress,
    )
    document = result.to_dict()
    document["scenario"] = loaded.scenario.id
    return Outcome("sensitivity", loaded, document, result)


def _mediate(
    loaded: LoadedScenario,
    *,
    target_p: float | None,
    budget: float | None,
    objective: str,
    samples: int,
    method: str,
    seed: int,
    executor: Executor | None,
    progress: Progress | None,
) -> Outcome:
    from ceasefire.mediation.mediate import mediate

    if objective not in ("nash", "robustness"):
        raise ValueError(f"objective must be 'nash' or 'robustness', not {objective!r}")
    if method not in ("auto", "search", "milp"):
        raise ValueError(f"method must be 'auto', 'search' or 'milp', not {method!r}")
    result = mediate(
        loaded,
        target_p=target_p,
        budget=budget,
        objective="robustness" if objective == "robustness" else "nash",
        samples=samples,
        seed=seed,
        method="milp" if method == "milp" else "search" if method == "search" else "auto",
        executor=executor,
        progress=progress,
    )
    return Outcome("mediate", loaded, result.to_dict(), result)


def _negotiate(
    loaded: LoadedScenario,
    *,
    strategies: Mapping[str, str] | None,
    default: str,
    protocol: str,
    rounds: int,
    seed: int,
    revision: str,
    progress: Progress | None,
) -> Outcome:
    from ceasefire.negotiation.talks import negotiate_scenario

    result = negotiate_scenario(
        loaded,
        strategies,
        default=default,
        protocol=protocol,
        rounds=rounds,
        seed=seed,
        revision=revision,
    )
    if progress is not None:
        progress(1, 1, "negotiation")
    return Outcome("negotiate", loaded, result.to_dict(), result)


def _tournament(
    loaded: LoadedScenario,
    *,
    strategies: Sequence[str],
    runs: int,
    seed: int,
    workers: int,
    protocol: str,
    rounds: int,
    others: str,
    progress: Progress | None,
) -> Outcome:
    from ceasefire.negotiation.session import nash_utilities
    from ceasefire.negotiation.talks import table_and_paths
    from ceasefire.negotiation.tournament import assignments_of, tournament

    specs = list(strategies)
    table, paths = table_and_paths(loaded.scenario, runs=runs, rounds=rounds, seed=seed)
    total = len(assignments_of(len(specs), len(table.problem.veto_indices)))
    parameters = {
        "strategies": specs,
        "others": others,
        "runs": runs,
        "protocol": protocol,
        "rounds": rounds,
    }
    result = tournament(
        table,
        specs,
        runs=runs,
        seed=seed,
        workers=workers,
        protocol=protocol,
        rounds=rounds,
        paths=paths,
        others=others,
        nash=nash_utilities(table),
        progress=None if progress is None else (lambda done: progress(done, total, "assignments")),
        provenance=Provenance(scenario_sha256=loaded.sha256, seed=seed, parameters=parameters),
    )
    return Outcome("tournament", loaded, result.to_dict(), result)


def _explain(
    loaded: LoadedScenario,
    *,
    samples: int | None,
    seed: int | None,
    package: Mapping[str, Any] | None,
    break_even: bool,
    progress: Progress | None,
) -> Outcome:
    from ceasefire.diagnostics.explanation import explain

    document = explain(
        loaded,
        samples=samples,
        seed=seed,
        package=package,
        break_even=break_even,
        progress=progress,
    )
    return Outcome("explain", loaded, document, document)


def _divide(loaded: LoadedScenario, *, progress: Progress | None) -> Outcome:
    """Adjusted Winner between the scenario's two belligerents (their weights are the points)."""
    from ceasefire.fair_division.document import divide_document
    from ceasefire.fair_division.inputs import points_from_scenario

    document = divide_document(points_from_scenario(loaded))
    if progress is not None:
        progress(1, 1, "division")
    return Outcome("divide", loaded, document)


def _forecast(
    loaded: LoadedScenario,
    *,
    rounds: int,
    issue: str | None,
    q: float,
    t: float,
    probability: str,
    perspective: str,
    choice: str,
    progress: Progress | None,
) -> Outcome:
    """The expected-utility forecast of the parties with a capability, on one issue."""
    from ceasefire.forecast import Options
    from ceasefire.forecast.document import forecast_document
    from ceasefire.forecast.inputs import actors_from_scenario

    for name, value, allowed in (
        ("probability", probability, ("all_pairs", "pair")),
        ("perspective", perspective, ("receiver", "own")),
        ("choice", choice, ("by_kind", "least_move")),
    ):
        if value not in allowed:
            raise ValueError(f"{name} must be {' or '.join(map(repr, allowed))}, not {value!r}")
    options = Options(
        q=q,
        t=t,
        probability="pair" if probability == "pair" else "all_pairs",
        perspective="own" if perspective == "own" else "receiver",
        choice="least_move" if choice == "least_move" else "by_kind",
    )
    table = actors_from_scenario(loaded, issue)
    document = forecast_document(table, rounds=rounds, options=options)
    if progress is not None:
        progress(1, 1, "forecast")
    return Outcome("forecast", loaded, document)


def _stability(
    loaded: LoadedScenario,
    *,
    control: Mapping[str, str] | None,
    sanctions: str,
    progress: Progress | None,
) -> Outcome:
    """The graph model built from the scenario, given which party controls which issue."""
    from ceasefire.stability.document import stability_scenario

    if not control:
        raise ValueError("control: name the party that controls each issue, {issue: party}")
    if sanctions not in ("legal", "once"):
        raise ValueError(f"sanctions must be 'legal' or 'once', not {sanctions!r}")
    document = stability_scenario(loaded, dict(control), "once" if sanctions == "once" else "legal")
    if progress is not None:
        progress(1, 1, "stability")
    return Outcome("stability", loaded, document)


def _backtest(
    loaded: LoadedScenario,
    *,
    samples: int,
    seed: int,
    forecaster: str,
    progress: Progress | None,
) -> Outcome:
    """The model run forward from the scenario's ``as_of``, scored against its ``record:``."""
    from ceasefire.validation.backtest import backtest

    scenario = loaded.scenario
    if scenario.record is None or scenario.war is None:
        raise ValueError(
            "a backtest needs a 'record:' section to score against and a 'war:' section to run "
            "forward; see docs/how-to/backtest.md"
        )
    document = backtest(
        {scenario.id: loaded},
        samples=samples,
        seed=seed,
        forecaster=forecaster,
        progress=progress,
    )
    return Outcome("backtest", loaded, document)


def _two_belligerents(scenario: Scenario) -> bool:
    return sum(p.role == "belligerent" for p in scenario.parties) == 2


def _capabilities(scenario: Scenario) -> bool:
    return sum(p.capability is not None for p in scenario.parties) >= 2


def _has_record(scenario: Scenario) -> bool:
    return scenario.record is not None


def _score(
    loaded: LoadedScenario,
    *,
    proposal: str | None,
    proposals: Sequence[Any] | None,
    samples: int,
    seed: int,
    progress: Progress | None,
) -> Outcome:
    from ceasefire.scoring import score

    result = score(loaded, proposal=proposal, proposals=proposals, samples=samples, seed=seed)
    if progress is not None:
        progress(1, 1, "proposals")
    return Outcome("score", loaded, result.to_dict(), result)


def _options(**defaults: Any) -> Mapping[str, Any]:
    return MappingProxyType(defaults)


RUNS: dict[str, RunKind] = {
    kind.name: kind
    for kind in (
        RunKind(
            "analyze",
            "Zone of agreement",
            "Pareto frontier, zone of possible agreement and the package each solution concept "
            "picks.",
            _options(
                samples=None,  # with a war model: MONTE_CARLO_SAMPLES
                seed=None,  # with a war model: SEED
                horizon=None,  # the scenario's war.horizon_months
                worlds=None,  # with beliefs: the samples, at most 1,024
                particles=None,  # with beliefs: 200
                max_frontier=MAX_FRONTIER,
                whole_frontier=True,
            ),
            _analyze,
            random=False,
            parallel=True,
        ),
        RunKind(
            "explain",
            "Why",
            "Each party's margin over its value of no deal and the issues that make it, which red "
            "lines and values of no deal bind, the scale-free binding party, and where each input "
            "opens or closes the zone.",
            _options(
                samples=None,  # with a war model: as analyze; break-even values: 1,000
                seed=None,
                package=None,
                break_even=True,
            ),
            _explain,
            random=False,
        ),
        RunKind(
            "war",
            "War paths",
            "Monte Carlo of the war going on: territory, casualties, outlays and escalation by "
            "month.",
            _options(months=None, samples=MONTE_CARLO_SAMPLES, seed=SEED, aid_scale=1.0),
            _war,
            needs_war=True,
        ),
        RunKind(
            "robust",
            "Robustness",
            "With the uncertain inputs drawn at random: how often a deal exists, and how often "
            "each candidate package is acceptable to every party that must agree.",
            _options(samples=MONTE_CARLO_SAMPLES, seed=SEED),
            _robust,
            parallel=True,
        ),
        RunKind(
            "sensitivity",
            "Sensitivity",
            "Which inputs move whether a zone of agreement exists, the Nash package's utilities "
            "and ripeness: one at a time (tornado) or variance-based (Sobol indices).",
            _options(
                method="oat",
                declared_only=False,
                samples=SENSITIVITY_SAMPLES,
                war_samples=SENSITIVITY_WAR_SAMPLES,
                seed=SEED,
            ),
            _sensitivity,
            parallel=True,
        ),
        RunKind(
            "mediate",
            "Mediation",
            "The cheapest offer of side payments that opens a zone of agreement, and the best "
            "offer within a budget.",
            _options(
                target_p=None,
                budget=None,
                objective="nash",
                samples=MEDIATION_SAMPLES,
                method="auto",
                seed=SEED,
            ),
            _mediate,
            parallel=True,
        ),
        RunKind(
            "negotiate",
            "Simulated negotiation",
            "Alternating offers (or a mediator's single text) between strategy-driven parties; "
            "with a war model each round is a month of fighting.",
            _options(
                strategies=None,
                default=STRATEGY,
                protocol="alternating",
                rounds=ROUNDS,
                seed=SEED,
                revision=REVISION,
            ),
            _negotiate,
        ),
        RunKind(
            "tournament",
            "Strategy tournament",
            "Every assignment of strategies to the parties that must agree, played on several "
            "war paths; strategies ranked by the mean gain of the parties that played them.",
            _options(
                strategies=TOURNAMENT_STRATEGIES,
                runs=TOURNAMENT_RUNS,
                seed=SEED,
                workers=1,
                protocol="alternating",
                rounds=ROUNDS,
                others=STRATEGY,
            ),
            _tournament,
        ),
        RunKind(
            "divide",
            "Fair division",
            "Adjusted Winner between the two belligerents, their weights being the points they "
            "spread over the issues: equitable, envy-free and efficient.",
            _options(),
            _divide,
            random=False,
            requires=_two_belligerents,
        ),
        RunKind(
            "forecast",
            "Expected-utility forecast",
            "Bueno de Mesquita's expected-utility model: where the positions of the parties with "
            "a capability move on one issue, round by round.",
            _options(
                rounds=FORECAST_ROUNDS,
                issue=None,  # the first numeric issue
                q=1.0,
                t=1.0,
                probability="all_pairs",
                perspective="receiver",
                choice="by_kind",
            ),
            _forecast,
            random=False,
            requires=_capabilities,
        ),
        RunKind(
            "stability",
            "Stability",
            "Graph Model for Conflict Resolution: which states are stable for each decision "
            "maker (Nash, GMR, SMR, SEQ), given which party controls which issue.",
            _options(control=None, sanctions="legal"),  # control: {issue: party}, required
            _stability,
            random=False,
        ),
        RunKind(
            "backtest",
            "Backtest",
            "The model run forward from the scenario's as_of and scored against what happened "
            "(its record: section).",
            _options(samples=BACKTEST_SAMPLES, seed=SEED, forecaster=FORECASTER),
            _backtest,
            needs_war=True,
            requires=_has_record,
        ),
        RunKind(
            "score",
            "Proposals scored",
            "Real proposals: each party's utility, margin and acceptance (with its probability "
            "under uncertainty), the clauses that block each one and the smallest edit that "
            "makes it acceptable.",
            _options(proposal=None, proposals=None, samples=MONTE_CARLO_SAMPLES, seed=SEED),
            _score,
        ),
    )
}


def offered(scenario: Scenario) -> list[RunKind]:
    """The kinds of run that apply to ``scenario``."""
    return [kind for kind in RUNS.values() if kind.applies(scenario)]


__all__ = [
    "REVISION",
    "RUNS",
    "TOURNAMENT_RUNS",
    "TOURNAMENT_STRATEGIES",
    "Outcome",
    "Progress",
    "RunKind",
    "fraction",
    "offered",
    "run",
]
