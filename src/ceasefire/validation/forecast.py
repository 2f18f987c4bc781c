"""What the model forecasts month by month, from a scenario's ``as_of``: the forecasters.

A *forecaster* runs the model forward for a number of months and returns a :class:`Forecast`: per
month, the probability of a non-empty zone of agreement and, where a mechanism gives one, the
probability that an agreement has been reached; and the war model's predictive samples of the front
and of casualties. ``ceasefire backtest`` scores whichever probability the forecast carries:
``p_agreement`` when it is given, otherwise ``p_zopa``.

Forecasters are registered by name in :data:`FORECASTERS`, so that a mechanism that adds a
probability of agreement (commitment, beliefs, ...) plugs in as a new forecaster without changing the
scoring. Shipped:

- ``zopa``: the ripeness machinery of :mod:`ceasefire.war.ripeness` as it stands, with no
  probability of agreement;
- ``beliefs``: the belief model (:mod:`ceasefire.war.beliefs`): ``p_zopa`` is the zone under the
  parties' own beliefs, and ``p_agreement`` the chance that the best take-it-or-leave-it offer is
  accepted [Fearon1995]. On a scenario without ``beliefs:``, ``learning:`` or ``private:`` both
  equal the ``zopa`` forecaster's P(zone) (the belief model nests the war model).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem
from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.defaults import FORECASTER
from ceasefire.scenario import LoadedScenario
from ceasefire.war import Reservations, Ripeness, red_line_free_points, reservation_values, ripeness

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
        """The bargaining problem at ``month``, with every party's median value of no deal."""
        return build_problem(loaded.scenario, self.reservations.medians(month))


Forecaster = Callable[[LoadedScenario, int, int, int], Forecast]
"""``(loaded, months, samples, seed) -> Forecast``."""


def _war_forecast(
    loaded: LoadedScenario, months: int, samples: int, seed: int
) -> tuple[Reservations, Ripeness, FloatArray]:
    """The war model's values of no deal, ripeness and the red-line-free Pareto points."""
    scenario = loaded.scenario
    if scenario.war is None:
        raise ValueError(f"scenario '{scenario.id}' has no war section to run forward")
    reservations = reservation_values(scenario, samples=samples, seed=seed, months=months)
    problem = build_problem(scenario, reservations.medians(0))
    veto = [p.id for p in scenario.veto_parties]
    columns = [reservations.parties.index(v) for v in veto]
    points = red_line_free_points(problem)
    ripe = ripeness(points, reservations.values[:, columns, :], veto)
    return reservations, ripe, points


def zopa_forecast(loaded: LoadedScenario, months: int, samples: int, seed: int) -> Forecast:
    """The war model's values of no deal and the probability of a non-empty zone, by month.

    The same computation as ``ceasefire analyze`` on a scenario with a ``war:`` section (each
    month's value of no deal judged over the scenario's horizon), run for ``months`` months.
    """
    reservations, ripe, _ = _war_forecast(loaded, months, samples, seed)
    return Forecast(
        source="zopa",
        p_zopa=ripe.p_zopa,
        p_agreement=None,
        ripeness=ripe,
        reservations=reservations,
    )


def beliefs_forecast(loaded: LoadedScenario, months: int, samples: int, seed: int) -> Forecast:
    """The zone under the parties' own beliefs and the chance that the best offer is accepted,
    by month, from the belief model on ``min(samples, 1,024)`` true worlds (as ``analyze``).

    The front and casualty samples, and the values of no deal behind the agreed-package scores, are
    the war model's (the analyst's); only the probabilities scored come from the parties' beliefs.
    """
    from ceasefire.war.beliefs import DEFAULT_PARTICLES, DEFAULT_WORLDS, belief_model

    reservations, ripe, points = _war_forecast(loaded, months, samples, seed)
    believed = belief_model(
        loaded.scenario,
        points,
        worlds=min(samples, DEFAULT_WORLDS),
        particles=DEFAULT_PARTICLES,
        seed=seed,
        months=months,
    )
    return Forecast(
        source="beliefs",
        p_zopa=believed.p_zopa,
        p_agreement=believed.p_agreement,
        ripeness=ripe,
        reservations=reservations,
    )


FORECASTERS: dict[str, Forecaster] = {"zopa": zopa_forecast, "beliefs": beliefs_forecast}
"""Registered forecasters by name; ``zopa`` is the default."""

DEFAULT_FORECASTER = FORECASTER
