"""Break-even values agree with a bisection on the full model (the scenario edited by its path and
analysed again), and say "none in range" when nothing flips."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.analysis import analyze
from ceasefire.diagnostics.break_even import break_even_values, describe
from ceasefire.scenario import LoadedScenario, parse_scenario
from ceasefire.scenario.edit import with_values


def _toy(toy_text: str, south_reservation: float) -> LoadedScenario:
    text = toy_text.replace("reservation: 40 ", f"reservation: {south_reservation} ")
    assert text != toy_text
    return parse_scenario(text, "toy.yaml")


def _zone(loaded: LoadedScenario, path: str, value: float) -> bool:
    return analyze(with_values(loaded, {path: value})).zopa.exists


def bisection(loaded: LoadedScenario, path: str, low: float, high: float) -> float:
    """Where the zone flips between ``low`` and ``high``, by 60 halvings on the full model."""
    at_low = _zone(loaded, path, low)
    assert at_low != _zone(loaded, path, high)
    for _ in range(60):
        mid = (low + high) / 2
        if _zone(loaded, path, mid) == at_low:
            low = mid
        else:
            high = mid
    return (low + high) / 2


@pytest.mark.parametrize("south_reservation", [47, 49.5])
def test_every_break_even_value_is_where_the_full_model_flips(
    toy_text: str, south_reservation: float
) -> None:
    loaded = _toy(toy_text, south_reservation)
    rows = break_even_values(loaded)["inputs"]
    found = [(row, v) for row in rows for v in row["values"]]
    assert found, "this variant has break-even values in range"
    kinds = {row["method"] for row, _ in found}
    for row, v in found:
        # a what-if sets a weight and rescales the others to make 1: compare in its terms
        value = v.get("value_as_set", v["value"])
        width = row["high"] - row["low"]
        eps = 1e-7 * width
        root = bisection(loaded, row["input"], value - 0.01 * width, value + 0.01 * width)
        assert abs(root - value) <= max(eps, 1e-9), (row["input"], root, v)
        opens = v["as_it_rises"] == "opens"
        assert _zone(loaded, row["input"], value + 1e-4 * width) == opens
        assert _zone(loaded, row["input"], value - 1e-4 * width) != opens
    if south_reservation == 47:
        assert "exact" in kinds  # the reservation itself: threshold 50
        row = next(r for r in rows if r["input"] == "preferences.south.reservation")
        assert row["threshold"] == pytest.approx(50.0)
        assert describe(row) == "closes at 50"


def test_none_in_range_when_nothing_flips(toy_text: str) -> None:
    rows = break_even_values(parse_scenario(toy_text, "toy.yaml"))["inputs"]
    reservation = next(r for r in rows if r["input"] == "preferences.south.reservation")
    assert reservation["values"] == []
    assert describe(reservation).startswith("none in range [35, 45]")
    red = next(r for r in rows if r["method"] == "discrete")
    assert red["zone_if_holds"] and red["zone_if_lifted"]


def test_a_genius_domain_has_break_even_values(genius: Path) -> None:
    from ceasefire.study import read_scenario

    result = break_even_values(read_scenario(str(genius)))
    assert result["inputs"]
    assert all(r["method"] in ("exact", "root search", "discrete") for r in result["inputs"])


@pytest.fixture
def genius() -> Path:
    return Path(__file__).parents[1] / "data" / "genius" / "Laptop"


COMMITMENT = """commitment:
  horizon_months: 36
  hazard:
    base: {value: 0.01, basis: {assumption: invented for a test}}
    effects:
      border.south_line: {ratio: 2.0, basis: {assumption: invented for a test}}
  renewed_war:
    shift:
      north: {value: -5, basis: {assumption: invented for a test}}
      south: {value: 5, basis: {assumption: invented for a test}}
"""


@pytest.mark.parametrize("south_reservation", [44, 46])
def test_with_commitment_break_even_values_are_where_analyze_flips(
    toy_text: str, south_reservation: float
) -> None:
    """With a ``commitment:`` section the margin is that of effective utilities: each break-even
    value of an input that leaves the renewed war's values alone (South's weights and values:
    its value of no deal is stated, so its renewed war's is too) is where ``analyze``, on
    effective utilities, flips."""
    text = _toy(toy_text, south_reservation).text.replace("proposals:", COMMITMENT + "proposals:")
    loaded = parse_scenario(text, "toy.yaml")
    result = break_even_values(loaded)
    assert result["utilities"] == "effective"
    assert result["zone_at_point"] == analyze(loaded).zopa.exists
    found = [
        (row, v)
        for row in result["inputs"]
        for v in row["values"]
        if row["input"].startswith(("preferences.south.weights", "preferences.south.values"))
    ]
    assert found, "this variant has break-even values in range"
    for row, v in found:
        value = v.get("value_as_set", v["value"])
        width = row["high"] - row["low"]
        root = bisection(loaded, row["input"], value - 0.01 * width, value + 0.01 * width)
        assert abs(root - value) <= max(1e-7 * width, 1e-9), (row["input"], root, v)
        opens = v["as_it_rises"] == "opens"
        assert _zone(loaded, row["input"], value + 1e-4 * width) == opens
