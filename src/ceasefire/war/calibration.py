"""Checks of a calibrated war model against what was observed: casualty rates, the front's movement,
and how likely a breakthrough is.

These are the quantities the calibration of ``russia-ukraine-2023-12`` is judged by (its tests and
``docs/explanation/war-model.md``); they work for any scenario with a war model.
"""

from __future__ import annotations

import numpy as np

from ceasefire.scenario.model import Scenario
from ceasefire.war.attrition import FloatArray, WarOutcomes, simulate


def median_monthly_casualties(outcomes: WarOutcomes, months: int = 12) -> dict[str, float]:
    """Per side: the median over samples of its average monthly casualties in the first months."""
    per_month = outcomes.casualties[months] / months  # cumulative from the scenario date
    return {
        side: float(np.median(per_month[j])) for j, side in enumerate(outcomes.parameters.sides)
    }


def net_change_km2(outcomes: WarOutcomes, months: int = 12) -> FloatArray:
    """Per sample: km2 gained by the side the territory issue counts for, after ``months``."""
    p = outcomes.parameters
    result: FloatArray = (outcomes.territory[months] - outcomes.territory[0]) * p.km2_per_unit
    return result


def largest_move(outcomes: WarOutcomes, months: int = 12) -> FloatArray:
    """Per sample: the largest distance (issue units) the front moved from its start, in any
    direction, at any month up to ``months``."""
    moved = np.abs(outcomes.territory[: months + 1] - outcomes.territory[0])
    result: FloatArray = moved.max(axis=0)
    return result


def breakthrough_probability(outcomes: WarOutcomes, threshold: float, months: int = 12) -> float:
    """The share of samples in which more than ``threshold`` (issue units, e.g. % of a country's
    territory) changed hands within ``months``, at any time and either way."""
    return float((largest_move(outcomes, months) > threshold).mean())


def without_campaign(scenario: Scenario) -> Scenario:
    """The scenario with its war model's campaign switched off: the creep-and-breakthrough model
    the campaign's holding-the-line casualties are calibrated with."""
    war = scenario.war
    if war is None or war.campaign is None:
        return scenario
    return scenario.model_copy(update={"war": war.model_copy(update={"campaign": None})})


def aid_scale_for(scenario: Scenario, usd_bn_per_month: float, side: str, seed: int = 0) -> float:
    """The ``aid_scale`` that brings the median military aid ``side`` receives to a given level
    (e.g. its ``aid_reference_usd_bn_per_month``, the level its lethality was calibrated at)."""
    p = simulate(scenario, samples=20_000, months=0, seed=seed).parameters
    j = p.sides.index(side)
    received = sum((p.aid_military[k] for k, to in enumerate(p.aid_to) if to == j), np.zeros(p.n))
    median = float(np.median(received))
    if median <= 0:
        raise ValueError(f"'{side}' receives no military aid to scale")
    return usd_bn_per_month / median
