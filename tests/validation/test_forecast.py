"""The forecasters keep the run's seed: a scenario changed by events is rebuilt with it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ceasefire.analysis import frontier_points
from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.scenario.events import scenario_at_month
from ceasefire.validation import forecast as fc

KOREA_EVENT_MONTH = 10  # 7 May 1952: the prisoner red lines (the case's events)


@pytest.fixture(scope="module")
def korea() -> Any:
    return load_scenario(bundled_scenarios()["korea-1951"])


def test_nash_at_rebuilds_a_changed_scenario_with_the_runs_seed(
    korea: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    forecast = fc.zopa_forecast(korea, 12, 40, 7)
    assert forecast.seed == 7
    assert scenario_at_month(korea.scenario, KOREA_EVENT_MONTH) is not korea.scenario
    seeds: list[int] = []
    real = fc.durability

    def spy(*args: Any, **kwargs: Any) -> Any:
        seeds.append(kwargs["seed"])
        return real(*args, **kwargs)

    monkeypatch.setattr(fc, "durability", spy)
    _, nash = forecast.nash_at(korea, KOREA_EVENT_MONTH)
    assert seeds == [7]
    assert nash.package is not None
    # Before the event the forecast's own durability serves: nothing is rebuilt.
    forecast.nash_at(korea, 0)
    assert seeds == [7]


def test_the_forecast_dates_ripeness_on_the_frontier_points_analyze_uses(korea: Any) -> None:
    """One function gives the frontier points of every month, effective with a commitment
    section and nominal on request, for ``analyze`` and the forecasters alike."""
    forecast = fc.zopa_forecast(korea, 12, 40, 7)
    changed = scenario_at_month(korea.scenario, KOREA_EVENT_MONTH)
    effective = frontier_points(changed, forecast.reservations, KOREA_EVENT_MONTH, seed=7)
    nominal = frontier_points(
        changed, forecast.reservations, KOREA_EVENT_MONTH, seed=7, effective=False
    )
    assert effective.shape[1] == nominal.shape[1] == len(korea.scenario.veto_parties)
    assert not np.array_equal(effective, nominal)  # durability changes the frontier
    # Without a commitment section both are the nominal points.
    bare = changed.model_copy(update={"commitment": None})
    assert np.array_equal(
        frontier_points(bare, forecast.reservations, KOREA_EVENT_MONTH, seed=7),
        frontier_points(bare, forecast.reservations, KOREA_EVENT_MONTH, seed=7, effective=False),
    )
