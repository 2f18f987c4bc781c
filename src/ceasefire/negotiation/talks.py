"""Fighting while talking: reservation values that follow a simulated war, month by month.

When a scenario has a ``war:`` section, each run of a negotiation follows one Monte Carlo path of
the war model: round ``t`` of the talks is month ``t - 1`` of the path, and each party's
reservation value in that round is its value of no deal on that path in that month [Powell2004;
Slantchev2003]. Parties see only their own value. Without ``war:`` reservation values are fixed
and a party's ``discount`` makes waiting costly instead.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from ceasefire.bargaining.problem import FloatArray
from ceasefire.scenario.model import Scenario


def has_war(scenario: Scenario) -> bool:
    """Does the scenario have a war model (a ``war:`` section)?"""
    return getattr(scenario, "war", None) is not None


def reservation_paths(
    scenario: Scenario, runs: int, months: int, seed: int | None
) -> FloatArray | None:
    """``(runs, months, parties)`` reservation values along ``runs`` simulated war paths, in the
    order of the scenario's parties; None without a war model."""
    if not has_war(scenario):
        return None
    # The war model, imported only when a scenario has one.
    batna: Any = importlib.import_module("ceasefire.war.batna")
    simulate: Any = batna.reservation_paths
    values = np.asarray(simulate(scenario, samples=runs, months=months, seed=seed), dtype=float)
    expected = (runs, months, len(scenario.parties))
    if values.shape != expected:
        raise ValueError(f"the war model returned shape {values.shape}, expected {expected}")
    return values
