"""The bargaining problem of a scenario: where a scenario's preferences become arrays.

The rest of :mod:`ceasefire.bargaining` works on arrays only; this module is its one door to scenarios.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ceasefire.bargaining.problem import BargainingProblem
from ceasefire.scenario import utility as su
from ceasefire.scenario.model import Scenario


def build_problem(
    scenario: Scenario, reservation: Mapping[str, float] | None = None
) -> BargainingProblem:
    """The bargaining problem of a scenario (reservation values from the scenario unless given)."""
    values = dict(reservation) if reservation is not None else su.reservation_values(scenario)
    return BargainingProblem(
        parties=tuple(p.id for p in scenario.parties),
        veto=tuple(p.has_veto for p in scenario.parties),
        issues=tuple(i.id for i in scenario.issues),
        options=tuple(su.option_labels(i) for i in scenario.issues),
        contributions=tuple(su.contributions(scenario)),
        forbidden=tuple(su.forbidden(scenario)),
        reservation=np.array([values[p.id] for p in scenario.parties], dtype=float),
    )
