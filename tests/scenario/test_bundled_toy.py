"""The bundled toy scenario: it loads, and its numbers match a hand computation."""

from __future__ import annotations

import pytest

from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.scenario.model import Scenario
from ceasefire.scenario.utility import (
    forbidden,
    reservation_values,
    status_quo_package,
    utilities_of,
)


@pytest.fixture(scope="module")
def toy() -> Scenario:
    return load_scenario(bundled_scenarios()["toy-border"]).scenario


def test_toy_loads_with_its_parties_and_issues(toy: Scenario) -> None:
    assert toy.id == "toy-border"
    assert [p.id for p in toy.parties] == ["north", "south"]
    assert [p.has_veto for p in toy.parties] == [True, True]
    assert [i.id for i in toy.issues] == ["border", "troops"]


def test_status_quo_utilities_match_hand_computation(toy: Scenario) -> None:
    assert status_quo_package(toy) == {"border": "middle_line", "troops": 100.0}
    utilities = utilities_of(toy, status_quo_package(toy))
    # north: 0.7 * v(middle_line) + 0.3 * v(100) = 0.7 * 50 + 0.3 * 100
    assert utilities["north"] == pytest.approx(65.0)
    # south: 0.5 * 60 + 0.5 * 0
    assert utilities["south"] == pytest.approx(30.0)


def test_reservation_values_match_hand_computation(toy: Scenario) -> None:
    reservations = reservation_values(toy)
    assert reservations["north"] == pytest.approx(65.0 - 10.0)  # no_deal: U(status quo) - cost
    assert reservations["south"] == pytest.approx(40.0)  # explicit reservation


@pytest.mark.parametrize(
    ("border", "troops", "north", "south"),
    [
        # troops values are linear between the points: north v(x) = x, south v(x) = 100 - x
        ("south_line", 25.0, 0.7 * 100 + 0.3 * 25, 0.5 * 0 + 0.5 * 75),
        ("north_line", 0.0, 0.7 * 0 + 0.3 * 0, 0.5 * 100 + 0.5 * 100),
        ("middle_line", 60.0, 0.7 * 50 + 0.3 * 60, 0.5 * 60 + 0.5 * 40),
    ],
)
def test_package_utilities_match_hand_computation(
    toy: Scenario, border: str, troops: float, north: float, south: float
) -> None:
    utilities = utilities_of(toy, {"border": border, "troops": troops})
    assert utilities == pytest.approx({"north": north, "south": south})


def test_norths_red_line_excludes_the_northern_line(toy: Scenario) -> None:
    border_mask, troops_mask = forbidden(toy)
    assert border_mask.tolist() == [True, False, False]
    assert not troops_mask.any()
