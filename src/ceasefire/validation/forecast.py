"""What the model forecasts month by month, from a scenario's ``as_of``: the forecasters.

A *forecaster* runs the model forward for a number of months and returns a :class:`Forecast`: per
month, the probability of a non-empty zone of agreement and, where a mechanism gives one, the
probability that an agreement has been reached; and the war model's predictive samples of the front
and of casualties. ``ceasefire backtest`` scores whichever probability the forecast carries:
``p_agreement`` when it is given, otherwise ``p_zopa``.

Forecasters are registered by name in :data:`FORECASTERS`, so that a mechanism that adds a
probability of agreement (commitment, beliefs, ...) plugs in as a new forecaster without changing the
scoring. Shipped:

- ``zopa``: the ripeness machinery of :mod:`ceasefire.war.ripeness` as it stands, on the scenario
  as it stands at each month (its ``events:``), with no probability of agreement;
- ``beliefs``: the belief model (:mod:`ceasefire.war.beliefs`): ``p_zopa`` is the zone under the
  parties' own beliefs, and ``p_agreement`` the chance that the best take-it-or-leave-it offer is
  accepted [Fearon1995]. On a scenario without ``beliefs:``, ``learning:`` or ``private:`` both
  equal the ``zopa`` forecaster's P(zone) (the belief model nests the war model). Like ``zopa``,
  it uses the scenario as it stands at each month, on the frontier points ripeness used.

On a scenario with a ``commitment:`` section both use the effective (durability-adjusted) utilities,
as ``ceasefire analyze`` does, and the forecast keeps the war model's P(zone) on nominal utilities
(every deal valued as if enforced forever) for comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.analysis import dated_ripeness, frontier_points
from ceasefire.bargaining import BargainingProblem, Solution
from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.bargaining.solutions import solve
from ceasefire.commitment import Durability, durability
from ceasefire.defaults import FORECASTER
from ceasefire.scenario import LoadedScenario, Scenario
from ceasefire.scenario.events import scenario_at_month
from ceasefire.war import Reservations, Ripeness, red_line_free_points, reservation_values

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Forecast:
    """Month ``t = 0..months-1`` counted from ``as_of``: the model's forecasts.

    ``reservations`` holds every party's sampled value of no deal ``(months, parties, n)`` and the
    war model's run (``reservations.outcomes``: territory and cumulative casualties per month).
    """

    source: str
    p_zopa: FloatArray
    p_agreement: FloatArray | None
    ripeness: Ripeness
    reservations: Reservations
    durability: Durability | None = None
    """With a ``commitment:`` section: the effective problem the probabilities are computed on."""
    p_zopa_nominal: FloatArray | None = None
    """With a ``commitment:`` section: the war model's P(zone) on nominal utilities, as before the
    layer."""
    seed: int = 0
    """The seed of the run: ``nash_at`` rebuilds a changed scenario's durability with it."""

    @property
    def months(self) -> int:
        return int(self.p_zopa.shape[0])

    @property
    def scored_name(self) -> str:
        """Which probability the scores use."""
        return "p_agreement" if self.p_agreement is not None else "p_zopa"

    @property
    def scored(self) -> FloatArray:
        """The monthly probability the scores use: P(agreement) if given, else P(zone)."""
        return self.p_agreement if self.p_agreement is not None else self.p_zopa

    def problem_at(self, loaded: LoadedScenario, month: int) -> BargainingProblem:
        """The bargaining problem at ``month`` (the scenario as it stands then), with every
        party's median value of no deal."""
        current = scenario_at_month(loaded.scenario, month)
        return build_problem(current, self.reservations.medians(month))

    def nash_at(self, loaded: LoadedScenario, month: int) -> tuple[BargainingProblem, Solution]:
        """The Nash package at ``month`` (medians of the values of no deal), on effective
        utilities when the scenario has a ``commitment:`` section; and the nominal problem."""
        problem = self.problem_at(loaded, month)
        if self.durability is None:
            return problem, problem.solve("nash")
        current = scenario_at_month(loaded.scenario, month)
        durable = self.durability
        if current is not loaded.scenario:  # events have changed the scenario by then
            medians = self.reservations.medians(month)
            durable = durability(
                current, medians, self.reservations, seed=self.seed, nominal=problem
            )
        effective = durable.effective.with_reservation(problem.reservation)
        return problem, solve(effective.problem, "nash", zopa=effective.zopa())


Forecaster = Callable[[LoadedScenario, int, int, int], Forecast]
"""``(loaded, months, samples, seed) -> Forecast``."""


@dataclass(frozen=True)
class _WarRun:
    reservations: Reservations
    ripeness: Ripeness
    points: FloatArray
    durability: Durability | None
    p_zopa_nominal: FloatArray | None
    dated_points: dict[int, FloatArray]  # the frontier points from each month an event changes


def _war_forecast(loaded: LoadedScenario, months: int, samples: int, seed: int) -> _WarRun:
    """The war model's values of no deal, ripeness and the red-line-free Pareto points (of
    effective utilities with a ``commitment:`` section, with the nominal P(zone) beside them)."""
    scenario = loaded.scenario
    if scenario.war is None:
        raise ValueError(f"scenario '{scenario.id}' has no war section to run forward")
    reservations = reservation_values(scenario, samples=samples, seed=seed, months=months)
    problem = build_problem(scenario, reservations.medians(0))
    points = red_line_free_points(problem)

    # With a commitment section ripeness is dated twice (effective and nominal utilities), on
    # the same changed scenarios: each one's war is run once.
    runs: list[tuple[Scenario, Reservations]] = []

    def rerun(current: Scenario) -> Reservations:
        for seen, values in runs:
            if seen == current:
                return values
        values = reservation_values(current, samples=samples, seed=seed, months=months)
        runs.append((current, values))
        return values

    def nominal_points(current: Scenario, values: Reservations, month: int) -> FloatArray:
        return frontier_points(current, values, month, seed=seed, effective=False)

    used: dict[int, FloatArray] = {}
    if scenario.commitment is None:
        dated, ripe = dated_ripeness(
            scenario, reservations, points, rerun, nominal_points, points_used=used
        )
        return _WarRun(dated, ripe, points, None, None, used)
    durable = durability(
        scenario, reservations.medians(0), reservations, seed=seed, nominal=problem
    )
    effective = durable.effective.red_line_free_points()

    def effective_points(current: Scenario, values: Reservations, month: int) -> FloatArray:
        return frontier_points(current, values, month, seed=seed)

    dated, ripe = dated_ripeness(
        scenario, reservations, effective, rerun, effective_points, points_used=used
    )
    _, nominal_ripe = dated_ripeness(scenario, reservations, points, rerun, nominal_points)
    return _WarRun(dated, ripe, effective, durable, nominal_ripe.p_zopa, used)


def zopa_forecast(loaded: LoadedScenario, months: int, samples: int, seed: int) -> Forecast:
    """The war model's values of no deal and the probability of a non-empty zone, by month.

    The same computation as ``ceasefire analyze`` on a scenario with a ``war:`` section (each
    month's value of no deal judged over the scenario's horizon), run for ``months`` months.
    """
    run = _war_forecast(loaded, months, samples, seed)
    return Forecast(
        source="zopa",
        p_zopa=run.ripeness.p_zopa,
        p_agreement=None,
        ripeness=run.ripeness,
        reservations=run.reservations,
        durability=run.durability,
        p_zopa_nominal=run.p_zopa_nominal,
        seed=seed,
    )


def beliefs_forecast(loaded: LoadedScenario, months: int, samples: int, seed: int) -> Forecast:
    """The zone under the parties' own beliefs and the chance that the best offer is accepted,
    by month, from the belief model on ``min(samples, 1,024)`` true worlds (as ``analyze``).

    The front and casualty samples, and the values of no deal behind the agreed-package scores, are
    the war model's (the analyst's); only the probabilities scored come from the parties' beliefs.
    """
    from ceasefire.war.beliefs import DEFAULT_PARTICLES, DEFAULT_WORLDS, belief_model

    run = _war_forecast(loaded, months, samples, seed)
    believed = belief_model(
        loaded.scenario,
        run.points,
        worlds=min(samples, DEFAULT_WORLDS),
        particles=DEFAULT_PARTICLES,
        seed=seed,
        months=months,
        points_at=lambda _, first: run.dated_points[first],
    )
    return Forecast(
        source="beliefs",
        p_zopa=believed.p_zopa,
        p_agreement=believed.p_agreement,
        ripeness=run.ripeness,
        reservations=run.reservations,
        durability=run.durability,
        p_zopa_nominal=run.p_zopa_nominal,
        seed=seed,
    )


FORECASTERS: dict[str, Forecaster] = {"zopa": zopa_forecast, "beliefs": beliefs_forecast}
"""Registered forecasters by name; ``zopa`` is the default."""

DEFAULT_FORECASTER = FORECASTER
