"""The front door for Python users: load a scenario by id, path or Genius folder, then run analyses.

>>> import ceasefire as cf
>>> s = cf.load("toy-border")
>>> r = s.analyze()
>>> r.to_dict()["zopa"]["exists"]
True

Each method runs one kind of the registry of runs (:mod:`ceasefire.runs`) with the same options
and defaults as its command, so ``s.analyze(samples=2000, seed=1)`` gives the numbers of
``ceasefire analyze --samples 2000 --seed 1`` and its ``to_dict()`` is that command's ``--json``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

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
from ceasefire.results import (
    AnalysisResult,
    BacktestResult,
    DivisionResult,
    ExplainResult,
    ForecastResult,
    MediationResult,
    NegotiationResult,
    Result,
    RobustResult,
    ScoreResult,
    SensitivityResult,
    StabilityResult,
    TournamentResult,
    WarResult,
    html_table,
    result_of,
)
from ceasefire.runs import REVISION, RUNS, TOURNAMENT_RUNS, TOURNAMENT_STRATEGIES, Progress, run
from ceasefire.scenario import (
    LoadedScenario,
    Scenario,
    bundled_scenarios,
    load_scenario,
    resolve_scenario,
)
from ceasefire.scenario.proposals import Proposal

R = TypeVar("R", bound=Result)

if TYPE_CHECKING:
    from ceasefire.executor import Executor


def read_scenario(name: str | Path | None = None) -> LoadedScenario:
    """A scenario given as a file, a Genius domain folder or a bundled id (None: the default one).

    Raises FileNotFoundError when ``name`` is none of these, and
    :class:`~ceasefire.scenario.ScenarioError` (``file:line:col`` problems) when it is invalid.
    """
    path = resolve_scenario(None if name is None else str(name))
    if path.is_dir():
        from ceasefire.interop.genius import load_genius_folder

        return load_genius_folder(path)
    return load_scenario(path)


def scenarios() -> dict[str, str]:
    """The bundled scenarios: id → title (any id can be given to :func:`load`)."""
    return {
        scenario_id: load_scenario(path).scenario.title
        for scenario_id, path in bundled_scenarios().items()
    }


def load(name: str | Path | None = None) -> Study:
    """Load a scenario (a bundled id, a scenario file or a Genius domain folder) to study it."""
    return Study(read_scenario(name))


@contextmanager
def _executor(workers: int, scheduler: str | None) -> Iterator[Executor | None]:
    if workers == 1 and scheduler is None:
        yield None
        return
    from ceasefire.executor import make_executor

    executor = make_executor(workers, scheduler)
    try:
        yield executor
    finally:
        executor.close()


class Study:
    """One scenario and the analyses that can be run on it."""

    def __init__(self, loaded: LoadedScenario) -> None:
        self.loaded = loaded

    @property
    def scenario(self) -> Scenario:
        """The validated scenario (its parties, issues, preferences and war model)."""
        return self.loaded.scenario

    @property
    def id(self) -> str:
        return self.loaded.scenario.id

    def run(
        self,
        kind: str,
        *,
        progress: Progress | None = None,
        scheduler: str | None = None,
        **options: Any,
    ) -> Result:
        """Any kind of the registry of runs by name, with its options (see ``ceasefire.runs.RUNS``).

        For the kinds that run on worker processes, ``workers`` (default 1: this process) and
        ``scheduler`` (a Dask cluster's address) choose where; the result does not depend on it.
        """
        if not RUNS[kind].parallel:
            return result_of(run(kind, self.loaded, progress=progress, **options))
        workers = int(options.pop("workers", 1))
        with _executor(workers, scheduler) as executor:
            return result_of(
                run(kind, self.loaded, progress=progress, executor=executor, **options)
            )

    def _typed(self, cls: type[R], kind: str, **options: Any) -> R:
        """:meth:`run`, for the methods that know which result class their kind gives."""
        result = self.run(kind, **options)
        assert isinstance(result, cls)
        return result

    def analyze(
        self,
        samples: int | None = None,
        seed: int | None = None,
        *,
        horizon: int | None = None,
        worlds: int | None = None,
        particles: int | None = None,
        workers: int = 1,
        scheduler: str | None = None,
        max_frontier: int = MAX_FRONTIER,
    ) -> AnalysisResult:
        """The zone of possible agreement and the package each solution concept picks.

        With a war model: ``samples`` (default 10,000) Monte Carlo samples from ``seed``
        (default 0) give the values of no deal and ripeness. With ``beliefs:``, ``learning:`` or
        ``private:``: the belief model on ``worlds`` true worlds (default: the samples, at most
        1,024) of ``particles`` particles each (default 200), on ``workers`` processes or a Dask
        cluster at ``scheduler`` (the results do not depend on where they run).
        """
        return self._typed(
            AnalysisResult,
            "analyze",
            samples=samples,
            seed=seed,
            horizon=horizon,
            worlds=worlds,
            particles=particles,
            workers=workers,
            scheduler=scheduler,
            max_frontier=max_frontier,
        )

    def explain(
        self,
        samples: int | None = None,
        seed: int | None = None,
        *,
        package: Mapping[str, Any] | None = None,
        break_even: bool = True,
        progress: Progress | None = None,
    ) -> ExplainResult:
        """Why the answer is what it is: each party's margin over its value of no deal and the
        issues that make it, which red lines and values of no deal bind, the scale-free binding
        party, and where each input opens or closes the zone (``package``: a package to explain
        too, ``{issue: option}``)."""
        return self._typed(
            ExplainResult,
            "explain",
            samples=samples,
            seed=seed,
            package=package,
            break_even=break_even,
            progress=progress,
        )

    def war(
        self,
        months: int | None = None,
        *,
        samples: int = MONTE_CARLO_SAMPLES,
        seed: int = SEED,
        aid_scale: float = 1.0,
        progress: Progress | None = None,
    ) -> WarResult:
        """The war going on, month by month (default: over the scenario's horizon)."""
        return self._typed(
            WarResult,
            "war",
            months=months,
            samples=samples,
            seed=seed,
            aid_scale=aid_scale,
            progress=progress,
        )

    def robust(
        self,
        samples: int = MONTE_CARLO_SAMPLES,
        seed: int = SEED,
        *,
        workers: int = 1,
        scheduler: str | None = None,
        progress: Progress | None = None,
    ) -> RobustResult:
        """How likely each candidate package is acceptable to every party that must agree."""
        return self._typed(
            RobustResult,
            "robust",
            samples=samples,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )

    def sensitivity(
        self,
        method: str = "oat",
        *,
        declared_only: bool = False,
        samples: int = SENSITIVITY_SAMPLES,
        war_samples: int = SENSITIVITY_WAR_SAMPLES,
        seed: int = SEED,
        workers: int = 1,
        scheduler: str | None = None,
        progress: Progress | None = None,
    ) -> SensitivityResult:
        """Which inputs move the answer: ``oat`` (tornado) or ``sobol`` (needs SALib)."""
        return self._typed(
            SensitivityResult,
            "sensitivity",
            method=method,
            declared_only=declared_only,
            samples=samples,
            war_samples=war_samples,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )

    def mediate(
        self,
        *,
        target_p: float | None = None,
        budget: float | None = None,
        objective: str = "nash",
        samples: int = MEDIATION_SAMPLES,
        method: str = "auto",
        seed: int = SEED,
        workers: int = 1,
        scheduler: str | None = None,
        progress: Progress | None = None,
    ) -> MediationResult:
        """The cheapest offer of side payments that opens a zone of agreement (and the best
        within ``budget``)."""
        return self._typed(
            MediationResult,
            "mediate",
            target_p=target_p,
            budget=budget,
            objective=objective,
            samples=samples,
            method=method,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )

    def negotiate(
        self,
        strategies: Mapping[str, str] | None = None,
        *,
        default: str = STRATEGY,
        protocol: str = "alternating",
        rounds: int = ROUNDS,
        seed: int = SEED,
        revision: str = REVISION,
    ) -> NegotiationResult:
        """One simulated negotiation; ``strategies`` by party id (the others play ``default``)."""
        return self._typed(
            NegotiationResult,
            "negotiate",
            strategies=strategies,
            default=default,
            protocol=protocol,
            rounds=rounds,
            seed=seed,
            revision=revision,
        )

    def tournament(
        self,
        strategies: Sequence[str] = TOURNAMENT_STRATEGIES,
        *,
        runs: int = TOURNAMENT_RUNS,
        seed: int = SEED,
        workers: int = 1,
        protocol: str = "alternating",
        rounds: int = ROUNDS,
        others: str = STRATEGY,
        progress: Progress | None = None,
    ) -> TournamentResult:
        """Every assignment of ``strategies`` to the parties that must agree, ranked."""
        return self._typed(
            TournamentResult,
            "tournament",
            strategies=strategies,
            runs=runs,
            seed=seed,
            workers=workers,
            protocol=protocol,
            rounds=rounds,
            others=others,
            progress=progress,
        )

    def divide(self) -> DivisionResult:
        """Adjusted Winner between the two belligerents, their weights being their points
        (``ceasefire divide SCENARIO``)."""
        return self._typed(DivisionResult, "divide")

    def forecast(
        self,
        issue: str | None = None,
        *,
        rounds: int = FORECAST_ROUNDS,
        q: float = 1.0,
        t: float = 1.0,
        probability: str = "all_pairs",
        perspective: str = "receiver",
        choice: str = "by_kind",
    ) -> ForecastResult:
        """Bueno de Mesquita's expected-utility forecast on ``issue`` (default: the first numeric
        one) among the parties with a ``capability`` (``ceasefire forecast SCENARIO``)."""
        return self._typed(
            ForecastResult,
            "forecast",
            issue=issue,
            rounds=rounds,
            q=q,
            t=t,
            probability=probability,
            perspective=perspective,
            choice=choice,
        )

    def stability(self, control: Mapping[str, str], *, sanctions: str = "legal") -> StabilityResult:
        """The graph model of the scenario: ``control`` says which party can change each issue
        on its own, ``{issue: party}`` (``ceasefire stability SCENARIO --control ISSUE=PARTY``)."""
        return self._typed(StabilityResult, "stability", control=control, sanctions=sanctions)

    def backtest(
        self,
        samples: int = BACKTEST_SAMPLES,
        seed: int = SEED,
        *,
        forecaster: str = FORECASTER,
        progress: Progress | None = None,
    ) -> BacktestResult:
        """The model run forward from ``as_of`` and scored against the scenario's ``record:``
        (``ceasefire backtest SCENARIO``); ``forecaster`` is what is scored (``zopa`` or
        ``beliefs``)."""
        return self._typed(
            BacktestResult,
            "backtest",
            samples=samples,
            seed=seed,
            forecaster=forecaster,
            progress=progress,
        )

    def score(
        self,
        proposal: str | None = None,
        *,
        proposals: Sequence[Proposal] | str | Path | None = None,
        samples: int = MONTE_CARLO_SAMPLES,
        seed: int = SEED,
    ) -> ScoreResult:
        """Score the scenario's real proposals (``proposal``: only the one with this id).

        ``proposals``: proposals of one's own instead of the scenario's, as a file (the
        ``proposals:`` format, checked against this scenario) or as :class:`Proposal` objects.
        Packages are by issue and option id: ``result.to_dict()["proposals"][0]["package"]``.
        """
        if isinstance(proposals, str | Path):
            from ceasefire.scenario.load import load_proposals

            proposals = load_proposals(proposals, self.scenario)
        return self._typed(
            ScoreResult, "score", proposal=proposal, proposals=proposals, samples=samples, seed=seed
        )

    def report(
        self,
        out: str | Path = "report.html",
        *,
        samples: int | None = None,
        seed: int | None = None,
        sensitivity: bool = False,
        add: Sequence[Result] = (),
    ) -> Path:
        """Write the HTML report of ``ceasefire report`` to ``out``; returns its path.

        ``add``: other results to show in it too (``ceasefire report --add``), e.g.
        ``s.report("out.html", add=[s.divide(), s.negotiate()])``.
        """
        from ceasefire.files import write_text
        from ceasefire.report.compose import compose, merge
        from ceasefire.report.html import render_report

        document, notes = compose(self.loaded, samples=samples, seed=seed, sensitivity=sensitivity)
        for result in add:
            merge(document, result.to_dict(), self.loaded, result.kind)
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, render_report(self.loaded, document, notes=notes))
        return path

    def with_values(self, changes: Mapping[str, float]) -> Study:
        """A new, validated scenario with the numbers at ``changes``' paths set (what-ifs).

        Paths are those of ``sensitivity`` and the web app's what-if sliders, e.g.
        ``{"preferences.russia.no_deal.cost": 8}``; changing a weight rescales the party's other
        weights so that they still sum to 1. Raises ChangeError (a ValueError) for a path the
        scenario does not have, and ScenarioError when the result is invalid.
        """
        from ceasefire.scenario.edit import with_values

        return Study(with_values(self.loaded, changes))

    def __repr__(self) -> str:
        s = self.scenario
        veto = sum(p.has_veto for p in s.parties)
        war = ", war model" if s.war is not None else ""
        return (
            f"<Study {s.id}: {s.title!r} as of {s.as_of.isoformat()}; {len(s.parties)} parties "
            f"({veto} must agree), {len(s.issues)} issues{war}>"
        )

    def _repr_html_(self) -> str:
        s = self.scenario
        rows = [
            ("as of", s.as_of.isoformat()),
            ("file", str(self.loaded.path)),
            (
                "parties",
                ", ".join(f"{p.id}{' (veto)' if p.has_veto else ''}" for p in s.parties),
            ),
            ("issues", ", ".join(i.id for i in s.issues)),
            ("war model", "yes" if s.war is not None else "no"),
        ]
        return html_table(rows, f"{s.id}: {s.title}")


__all__ = ["Study", "load", "read_scenario", "scenarios"]
