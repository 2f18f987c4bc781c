"""What a person reads for ids and numbers: option labels, units, inputs in words, one format."""

from __future__ import annotations

from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.scenario.labels import input_label, number, option_text


def test_war_inputs_are_named_by_their_party_not_their_index() -> None:
    """Issue 17, defect 6: party names instead of ``war.sides[1]``."""
    flagship = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario
    assert flagship.war is not None
    second = next(p.name for p in flagship.parties if p.id == flagship.war.sides[1].party)
    assert input_label("war.sides[1].forces", flagship) == f"{second} (war): forces"
    assert input_label("war.front.creep_km_per_month", flagship) == (
        "war model: front, creep km per month"
    )


def test_numbers_are_written_one_way_and_options_by_label() -> None:
    toy = load_scenario(bundled_scenarios()["toy-border"]).scenario
    assert [number(x, None) for x in (13000, 5273.4, 0.25, float("nan"), None)] == [
        "13,000",
        "5,273",
        "0.25",
        "—",
        "—",
    ]
    border = next(i for i in toy.issues if i.id == "border")
    assert option_text(border, "south_line") == "The southern ridge"
    assert option_text(border, "middle_line") == "middle line"
