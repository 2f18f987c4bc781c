"""The ``discount`` field of a party's preferences: optional, in (0, 1], reported at its place."""

from __future__ import annotations

import re

import pytest

from ceasefire.scenario import ScenarioError, parse_scenario


def with_discount(toy_text: str, value: str) -> str:
    anchor = "    no_deal: {cost: 10}"
    assert anchor in toy_text
    return toy_text.replace(anchor, f"{anchor}\n    discount: {value}", 1)


def test_discount_is_optional(toy_text: str) -> None:
    scenario = parse_scenario(toy_text).scenario
    assert all(prefs.discount is None for prefs in scenario.preferences.values())


@pytest.mark.parametrize("value", ["0.9", "1", "0.001"])
def test_discount_in_range_loads(toy_text: str, value: str) -> None:
    scenario = parse_scenario(with_discount(toy_text, value)).scenario
    assert scenario.preferences["north"].discount == pytest.approx(float(value))
    assert scenario.preferences["south"].discount is None


@pytest.mark.parametrize("value", ["0", "-0.5", "1.5", ".nan"])
def test_discount_out_of_range_is_reported_at_its_line(toy_text: str, value: str) -> None:
    text = with_discount(toy_text, value)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "discount:" in row)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "scenario.yaml")
    rows = str(caught.value).splitlines()
    assert any(re.match(rf"^scenario\.yaml:{line}:\d+: ", row) for row in rows), rows
