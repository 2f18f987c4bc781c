"""The side_payments section: valid files load, mistakes are reported with their place."""

from __future__ import annotations

import pytest

from ceasefire.scenario import ScenarioError, parse_scenario
from tests.mediation.scenarios import toy_with_offers


def test_side_payments_load() -> None:
    scenario = toy_with_offers().scenario
    assert [p.id for p in scenario.side_payments] == ["aid", "guarantee"]
    assert scenario.side_payments[1].levels == ["none", "guarantee"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("offered_by: west\n    unit", "offered_by: north\n    unit", "is a belligerent"),
        ("offered_by: west\n    unit", "offered_by: nobody\n    unit", "unknown party 'nobody'"),
        ("cost: [0, 1, 2, 5]", "cost: [0, 1, 2]", "one entry per level"),
        ("value: {south: [0, 2, 4, 8]", "value: {south: [0, 2, 4]", "one entry per level"),
        ("value: {north: [0, 6]", "value: {nowhere: [0, 6]", "unknown party 'nowhere'"),
        ("levels: [none, guarantee]", "levels: [none, none]", "distinct"),
    ],
)
def test_mistakes_are_located(old: str, new: str, message: str) -> None:
    text = toy_with_offers().text
    assert old in text
    bad = text.replace(old, new, 1)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(bad, "offers.yaml")
    problems = caught.value.problems
    assert any(message in p.message for p in problems), problems
    line = next(p.line for p in problems if message in p.message)
    # The problem points into the side_payments section, not at the top of the file.
    assert line > bad.splitlines().index("side_payments:")
