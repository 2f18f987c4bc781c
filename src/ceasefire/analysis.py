"""One object holding an analysis of a scenario: the bargaining problem and every result, with provenance.

:func:`analyze` composes the layers: the scenario gives utilities, red lines and reservation values;
the bargaining core gives the frontier, the zone of possible agreement and the solution concepts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem, Frontier, Solution, Zopa, solve_all
from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.commitment import Durability, durability
from ceasefire.defaults import MAX_FRONTIER, MONTE_CARLO_SAMPLES
from ceasefire.diagnostics.assumptions import assumptions
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario, Scenario
from ceasefire.scenario import utility as su

if TYPE_CHECKING:
    from ceasefire.executor import Executor
    from ceasefire.war import Reservations, Ripeness
    from ceasefire.war.beliefs import Beliefs

DEFAULT_MAX_FRONTIER = MAX_FRONTIER
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Analysis:
    """The static analysis of one scenario: who must agree, what no deal is worth, what all can accept."""

    loaded: LoadedScenario
    problem: BargainingProblem
    reservation: dict[str, float]
    status_quo: dict[str, su.OptionLabel]
    status_quo_utilities: dict[str, float]
    zopa: Zopa
    solutions: dict[str, Solution]
    provenance: Provenance
    war: WarAnalysis | None = None
    commitment: Durability | None = None
    """With a ``commitment:`` section: the ZOPA, frontier and solutions use effective utilities."""

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def frontier(self) -> Frontier:
        """The Pareto frontier of the whole package space (computed on first use, then kept)."""
        if self.commitment is not None:
            return self.commitment.effective.frontier()
        return self.problem.frontier()

    def to_dict(
        self, max_frontier: int = DEFAULT_MAX_FRONTIER, *, whole_frontier: bool = True
    ) -> dict[str, Any]:
        """The JSON document of ``ceasefire analyze --json`` (shape: docs/reference/analyze-json.md).

        ``whole_frontier=False`` leaves out the frontier of the whole package space (and does not
        compute it): for a summary that shows no frontier.
        """
        scenario = self.scenario
        document: dict[str, Any] = {
            "provenance": self.provenance.to_dict(),
            "scenario": {
                "id": scenario.id,
                "as_of": scenario.as_of.isoformat(),
                "packages_total": self.problem.package_count(),
            },
            "parties": [{"id": p.id, "role": p.role, "veto": p.has_veto} for p in scenario.parties],
            "reservation": _rounded(self.reservation),
            "status_quo": {
                "package": self.status_quo,
                "utilities": _rounded(self.status_quo_utilities),
            },
            "zopa": {
                "exists": self.zopa.exists,
                **_frontier_list(self.zopa.frontier, self.problem, max_frontier),
            },
            **(_frontier_list(self.frontier, self.problem, max_frontier) if whole_frontier else {}),
            "solutions": {
                name: _solution_dict(solution, self.problem)
                for name, solution in self.solutions.items()
            },
        }
        if scenario.events:
            from ceasefire.scenario.events import event_summaries

            months = self.war.reservations.months if self.war is not None else None
            document["events"] = event_summaries(scenario, months)
        if self.war is not None:
            document["ripeness"] = self.war.ripeness_dict()
            document["reservation_quantiles"] = self.war.reservations.quantiles(0)
            if self.war.beliefs is not None:
                document["beliefs"] = self.war.beliefs.to_dict()
        if self.commitment is not None:
            for name, solution in self.solutions.items():
                if solution.package is not None:
                    nominal = self.problem.utilities(solution.package)[0]
                    document["solutions"][name]["nominal_utilities"] = dict(
                        zip(self.problem.parties, map(float, nominal), strict=True)
                    )
            document["commitment"] = self.commitment.to_dict(self.solutions)
        document["assumptions"] = assumptions(scenario)
        if not self.zopa.exists:
            document["closed_by"] = self.closed_by()
        return document

    def closed_by(self) -> dict[str, Any]:
        """Why there is no zone: the red lines and values of no deal that, lifted alone, open one
        (:mod:`ceasefire.diagnostics.constraints`), with the bargaining core's one-line reason."""
        from ceasefire.diagnostics.constraints import binding_constraints
        from ceasefire.diagnostics.margins import baseline, red_line_masks

        effective = self.commitment.effective if self.commitment is not None else None
        base = baseline(self.scenario, self.problem, effective)
        rows = binding_constraints(base, red_line_masks(self.scenario))["constraints"]
        keys = ("kind", "party", "issue", "excluded", "value", "packages_without")
        return {
            "reason": self.zopa.reason,
            "constraints": [{k: r[k] for k in keys if k in r} for r in rows if r["opens_zone"]],
        }

    def issue_deltas(self, package: dict[str, Any]) -> dict[str, dict[str, float]]:
        """For each issue where ``package`` differs from the status quo: each party's utility change.

        Positive numbers are gains, negative numbers what the party gives up on that issue.
        """
        scenario = self.scenario
        result = {}
        for issue in scenario.issues:
            new, old = package[issue.id], self.status_quo[issue.id]
            if new == old:
                continue
            result[issue.id] = {
                party.id: su.issue_utility(scenario.preferences[party.id], issue, new)
                - su.issue_utility(scenario.preferences[party.id], issue, old)
                for party in scenario.parties
            }
        return result


def _rounded(values: dict[str, float]) -> dict[str, float]:
    """Utilities on the bargaining core's 1e-12 grid, so that equal numbers print equal."""
    return {key: round(value, 12) for key, value in values.items()}


def _frontier_list(frontier: Frontier, problem: BargainingProblem, limit: int) -> dict[str, Any]:
    """``{"frontier": [...]}``, with ``frontier_truncated`` and ``frontier_size`` when cut."""
    shown = min(frontier.size, max(0, limit))
    result: dict[str, Any] = {"frontier": [frontier.entry_dict(problem, e) for e in range(shown)]}
    if shown < frontier.size:
        result["frontier_truncated"] = True
        result["frontier_size"] = frontier.size
    return result


def _solution_dict(solution: Solution, problem: BargainingProblem) -> dict[str, Any]:
    if solution.package is None or solution.utilities is None:
        return {"package": None, "reason": solution.reason}
    return {
        "package": problem.package_dict(solution.package),
        "utilities": {
            p: float(u) for p, u in zip(problem.parties, solution.utilities, strict=True)
        },
        "ties": solution.ties,
    }


@dataclass(frozen=True)
class WarAnalysis:
    """What the war model adds: every party's value of no deal by month, and ripeness."""

    reservations: Reservations
    ripeness: Ripeness
    samples: int
    beliefs: Beliefs | None = None
    """What the parties' own beliefs give (only with ``beliefs:``, ``learning:`` or ``private:``)."""
    mechanisms: dict[str, Any] | None = None
    """The optional mechanisms of the war model in use (None when there are none)."""

    def ripeness_dict(self) -> dict[str, Any]:
        return {
            **self.ripeness.to_dict(),
            "samples": self.samples,
            "horizon_months": self.reservations.horizon,
            **{
                f"reservation_{key}": series
                for key, series in self.reservations.to_dict().items()
                if key in ("p5", "p50", "p95")
            },
            **({"war_mechanisms": self.mechanisms} if self.mechanisms else {}),
        }


def frontier_points(
    current: Scenario, values: Reservations, month: int, *, seed: int, effective: bool = True
) -> FloatArray:
    """The veto parties' utilities at the red-line-free Pareto frontier of ``current`` at
    ``month`` (every party's median value of no deal then, from ``values``): of effective
    (durability-adjusted, :mod:`ceasefire.commitment`, uncertain ratios drawn from ``seed``)
    utilities when the scenario has a ``commitment:`` section and ``effective``, of nominal ones
    otherwise. The ``points_of`` of :func:`dated_ripeness` for ``analyze`` and the forecasters."""
    from ceasefire.war import red_line_free_points

    medians = values.medians(month)
    nominal = build_problem(current, medians)
    if current.commitment is None or not effective:
        return red_line_free_points(nominal)
    held = durability(current, medians, values, seed=seed, nominal=nominal)
    return held.effective.red_line_free_points()


def dated_ripeness(
    scenario: Scenario,
    reservations: Reservations,
    points: FloatArray,
    rerun: Callable[[Scenario], Reservations],
    points_of: Callable[[Scenario, Reservations, int], FloatArray],
    ideal_of: Callable[[Scenario], FloatArray] | None = None,
    points_used: dict[int, FloatArray] | None = None,
) -> tuple[Reservations, Ripeness]:
    """Ripeness month by month on the scenario as it stands at each month.

    ``reservations`` and ``points`` (the veto parties' utilities at the red-line-free frontier)
    are those of the scenario at ``as_of``. For each later stretch of months in which events
    (:mod:`ceasefire.scenario.events`) have changed the scenario, ``rerun`` gives the values of no
    deal of the changed scenario (the same war, same seed) and ``points_of(scenario, values,
    month)`` its frontier points; the values of no deal of those months are taken from the rerun.
    Without an event in the months, this is :func:`~ceasefire.war.ripeness.ripeness` itself.
    ``ideal_of(scenario)``: the veto parties' ideal utilities, for the scale-free binding party.
    ``points_used``, if given, receives the frontier points of each stretch by its first month (for
    the belief model, :func:`~ceasefire.war.beliefs.belief_model`'s ``points_at``).
    """
    from ceasefire.scenario.events import epochs
    from ceasefire.war.ripeness import joined, ripeness

    veto = [p.id for p in scenario.veto_parties]
    columns = [reservations.parties.index(v) for v in veto]
    spans = epochs(scenario, reservations.months)

    def top(current: Scenario) -> FloatArray | None:
        return None if ideal_of is None else ideal_of(current)

    if len(spans) == 1:
        return reservations, ripeness(
            points, reservations.values[:, columns, :], veto, ideal=top(scenario)
        )
    values = reservations.values.copy()
    parts = []
    for first, end, current in spans:
        if first == 0:
            later, at = reservations, points
        else:
            later = rerun(current)
            at = points_of(current, later, first)
        if points_used is not None:
            points_used[first] = at
        values[first:end] = later.values[first:end]
        parts.append(ripeness(at, later.values[first:end][:, columns, :], veto, ideal=top(current)))
    return dataclasses.replace(reservations, values=values), joined(parts)


def analyze(
    loaded: LoadedScenario,
    *,
    samples: int | None = None,
    seed: int | None = None,
    horizon: int | None = None,
    worlds: int | None = None,
    particles: int | None = None,
    executor: Executor | None = None,
) -> Analysis:
    """Analyse a loaded scenario.

    Without a ``war:`` section the reservation values are the scenario's fixed ones. With one, the
    war model gives them: ``V_i(t)`` for months ``t = 0..horizon-1``, each judged over ``horizon``
    months (default: the scenario's ``war.horizon_months``), on ``samples`` Monte Carlo samples
    (default :data:`~ceasefire.defaults.MONTE_CARLO_SAMPLES`) from ``seed`` (default 0); the
    bargaining problem uses the month-0 medians, and ripeness is computed month by month. With a
    ``commitment:`` section the ZOPA, the frontier, the solutions and ripeness use effective
    utilities (:mod:`ceasefire.commitment`). With ``beliefs:``, ``learning:`` or ``private:`` the
    belief model (:mod:`ceasefire.war.beliefs`) runs on ``worlds`` true worlds (default: the
    samples, at most 1,024) of ``particles`` particles each (default 200), through ``executor``.
    """
    scenario = loaded.scenario
    war: WarAnalysis | None = None
    durable: Durability | None = None
    if scenario.war is None:
        reservation = su.reservation_values(scenario)
        problem = build_problem(scenario, reservation)
    else:
        from ceasefire.diagnostics.scale_free import ideal
        from ceasefire.war import red_line_free_points, reservation_values

        n = MONTE_CARLO_SAMPLES if samples is None else samples
        seed = 0 if seed is None else seed
        from ceasefire.scenario.load import scenario_problem
        from ceasefire.war.batna import ValuesOutOfRange

        try:
            reservations = reservation_values(
                scenario, samples=n, seed=seed, months=horizon, horizon=horizon
            )
        except ValuesOutOfRange as error:
            raise scenario_problem(loaded, error.loc, error.message) from None
        reservation = reservations.medians(0)
        problem = build_problem(scenario, reservation)
        if scenario.commitment is None:
            points = red_line_free_points(problem)
        else:  # ripeness on effective utilities, like the ZOPA
            durable = durability(scenario, reservation, reservations, seed=seed, nominal=problem)
            points = durable.effective.red_line_free_points()

        def rerun(current: Scenario) -> Reservations:
            return reservation_values(
                current, samples=n, seed=seed, months=horizon, horizon=horizon
            )

        def points_of(current: Scenario, values: Reservations, month: int) -> FloatArray:
            return frontier_points(current, values, month, seed=seed)

        def ideal_of(current: Scenario) -> FloatArray:
            # The veto parties' ideal utilities, for the scale-free binding party (they do not
            # depend on the values of no deal: the problem built above serves at as_of).
            best = problem if current is scenario else build_problem(current, reservation)
            result: FloatArray = ideal(best)[best.veto_indices]
            return result

        dated_points: dict[int, FloatArray] = {}
        reservations, ripe = dated_ripeness(
            scenario, reservations, points, rerun, points_of, ideal_of, dated_points
        )
        beliefs = None
        if scenario.beliefs is not None or scenario.learning is not None or scenario.private:
            from ceasefire.war.beliefs import DEFAULT_PARTICLES, DEFAULT_WORLDS, belief_model

            beliefs = belief_model(
                scenario,
                points,
                worlds=min(n, DEFAULT_WORLDS) if worlds is None else worlds,
                particles=DEFAULT_PARTICLES if particles is None else particles,
                seed=seed,
                months=horizon,
                horizon=horizon,
                executor=executor,
                points_at=lambda _, first: dated_points[first],
            )
        war = WarAnalysis(
            reservations=reservations,
            ripeness=ripe,
            samples=n,
            beliefs=beliefs,
            mechanisms=scenario.war.mechanisms(),
        )
    status_quo = su.status_quo_package(scenario)
    if scenario.commitment is None:
        zopa = problem.zopa()
        solutions = solve_all(problem, zopa=zopa)
    else:
        if durable is None:
            durable = durability(scenario, reservation, nominal=problem)
        zopa = durable.effective.zopa()
        solutions = durable.effective.solve_all()
    return Analysis(
        loaded=loaded,
        problem=problem,
        reservation=reservation,
        status_quo=status_quo,
        status_quo_utilities=su.utilities_of(scenario, status_quo),
        zopa=zopa,
        solutions=solutions,
        provenance=Provenance(scenario_sha256=loaded.sha256, seed=seed if war else None),
        war=war,
        commitment=durable,
    )
