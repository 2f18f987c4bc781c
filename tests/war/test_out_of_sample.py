"""The honest test: the bundled scenario (as of 21 December 2023) projected through 2024, scored
against what happened, and against a naive forecast from 2023 (tests/war/record_2024.py has the
figures and their sources).

Pass: each observation lies between the model's 10th and 90th percentiles, and the model's CRPS
beats the naive forecast's (skill > 0). Russia's territorial gain is a band (DeepState 3,600 km2,
ISW 3,985 km2); the scored observation is its midpoint, and a second test asks for the whole band.
"""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.scenario.model import Scenario
from ceasefire.validation.scores import ForecastScore, naive_forecast, score_forecast
from ceasefire.war import simulate
from ceasefire.war.calibration import net_change_km2, without_campaign
from tests.war.record_2024 import (
    CASUALTIES_MONTHLY_2023,
    RUSSIAN_CASUALTIES_2024,
    TERRITORY_2024_KM2,
    TERRITORY_MONTHLY_2023,
)

SAMPLES = 10_000
MONTHS = 12
SEED = 2024


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario


def scores(scenario: Scenario) -> dict[str, ForecastScore]:
    """Percentiles and CRPS of 2024's territory (band midpoint) and Russian casualties."""
    outcomes = simulate(scenario, samples=SAMPLES, months=MONTHS, seed=SEED)
    russia = outcomes.parameters.sides.index("russia")
    territory = net_change_km2(outcomes, MONTHS)
    casualties = outcomes.casualties[MONTHS, russia]
    naive_territory = naive_forecast(*TERRITORY_MONTHLY_2023, MONTHS, SAMPLES, seed=1)
    naive_casualties = naive_forecast(*CASUALTIES_MONTHLY_2023, MONTHS, SAMPLES, seed=2)
    midpoint = float(np.mean(TERRITORY_2024_KM2))
    return {
        "territory": score_forecast(territory, naive_territory, midpoint),
        "territory_low": score_forecast(territory, naive_territory, TERRITORY_2024_KM2[0]),
        "territory_high": score_forecast(territory, naive_territory, TERRITORY_2024_KM2[1]),
        "casualties": score_forecast(casualties, naive_casualties, RUSSIAN_CASUALTIES_2024),
    }


@pytest.fixture(scope="module")
def scored(scenario: Scenario) -> dict[str, ForecastScore]:
    return scores(scenario)


@pytest.mark.parametrize("name", ["territory", "casualties"])
def test_2024_inside_the_central_80_percent_and_better_than_naive(
    scored: dict[str, ForecastScore], name: str
) -> None:
    score = scored[name]
    assert score.inside(10, 90), score
    assert score.skill > 0, score


@pytest.mark.xfail(
    strict=True,
    reason="ISW's 3,985 km2, the top of the observed band, lies at about the 91st percentile of "
    "the campaign model's 2024 gains: the model is a little slow (docs/explanation/war-model.md, "
    "'Out of sample: 2024').",
)
def test_the_whole_observed_band_of_2024_gains_inside_the_central_80_percent(
    scored: dict[str, ForecastScore],
) -> None:
    assert scored["territory_low"].inside(10, 90), scored["territory_low"]
    assert scored["territory_high"].inside(10, 90), scored["territory_high"]


@pytest.mark.xfail(
    strict=True,
    reason="Without the campaign the model fails 2024: Russia's casualties at about its 99th "
    "percentile, and a CRPS worse than the naive forecast's for both figures.",
)
def test_without_the_campaign_2024_is_forecast(scenario: Scenario) -> None:
    for name, score in scores(without_campaign(scenario)).items():
        if name in {"territory", "casualties"}:
            assert score.inside(10, 90) and score.skill > 0, (name, score)


def test_the_figures_are_the_scenarios_record(scenario: Scenario) -> None:
    """The observations scored here are those of the scenario's ``record:`` (which
    ``ceasefire backtest`` scores): the front's band and Russia's 2024 casualties."""
    record = scenario.record
    war = scenario.war
    assert record is not None and war is not None
    (front,) = record.front
    per_point = war.front.km2_per_unit.median()
    start = float(scenario.issue(war.front.issue).status_quo)  # type: ignore[arg-type]
    assert front.low == pytest.approx(start + TERRITORY_2024_KM2[0] / per_point, abs=0.01)
    assert front.high == pytest.approx(start + TERRITORY_2024_KM2[1] / per_point, abs=0.01)
    (casualties,) = record.casualties
    assert casualties.values["russia"] == RUSSIAN_CASUALTIES_2024
