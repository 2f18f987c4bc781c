"""The ``war:`` section: it loads, it is optional, and each kind of mistake is reported at its place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ceasefire.scenario import ScenarioError, load_scenario, parse_scenario
from ceasefire.scenario.distributions import Distribution
from ceasefire.scenario.war import WarSection

FIXTURE = Path(__file__).parents[1] / "war" / "data" / "border-war.yaml"
LOCATED = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


@pytest.fixture(scope="module")
def text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def problems(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "war.yaml")
    found = []
    for line in str(caught.value).splitlines():
        match = LOCATED.match(line)
        assert match, f"not PATH:LINE:COL: {line!r}"
        found.append((int(match["line"]), int(match["col"]), match["message"]))
    return found


def line_of(text: str, fragment: str, after: str | None = None) -> int:
    lines = text.splitlines()
    start = 0 if after is None else next(i for i, x in enumerate(lines) if x == after)
    return next(i for i, x in enumerate(lines[start:], start + 1) if fragment in x)


def test_the_fixture_loads_with_every_part(text: str) -> None:
    war = load_scenario(FIXTURE).scenario.war
    assert isinstance(war, WarSection)
    assert war.side_ids() == ("east", "west")
    assert war.front.issue == "territory" and war.front.gains_for == "east"
    assert war.escalation is not None and war.escalation.nuclear_side == "east"
    assert set(war.costs) == {"east", "west", "ally", "broker"}
    assert war.combat.collapse_effectiveness == Distribution(0.3)  # the default
    assert not war.sides[0].forces.is_fixed and war.sides[0].casualty_loss_fraction.is_fixed


def test_the_section_is_optional(toy_path: Path) -> None:
    assert load_scenario(toy_path).scenario.war is None


def test_with_a_war_model_veto_parties_need_no_fixed_reservation(text: str) -> None:
    # The fixture's veto parties give neither 'reservation' nor 'no_deal'; without 'war:' that is
    # an error again.
    assert "no_deal" not in text.split("war:")[0]
    without = text.split("\nwar:")[0] + "\n"
    messages = [m for _, _, m in problems(without)]
    assert any("needs exactly one of 'reservation' and 'no_deal'" in m for m in messages)


@pytest.mark.parametrize(
    ("old", "new", "fragment", "message"),
    [
        ("- party: east\n", "- party: eats\n", "- party: eats", "unknown party 'eats'"),
        ("issue: territory", "issue: neutrality", "issue: neutrality", "is not numeric"),
        ("issue: territory", "issue: land", "issue: land", "unknown issue 'land'"),
        ("gains_for: east", "gains_for: ally", "gains_for: ally", "is not one of the two sides"),
        ("to: west", "to: broker", "to: broker", "is not one of the two sides"),
        ("nuclear_side: east", "nuclear_side: west2", "nuclear_side: west2", "is not one of"),
        ("casualties_of: [west]", "casualties_of: [ally]", "casualties_of: [ally]", "not one of"),
        (
            "  sources: [invented]\n  horizon_months",
            "  sources: [made_up]\n  horizon_months",
            "sources: [made_up]",
            "unknown source 'made_up'",
        ),
        (
            "        forces: {sources: [invented]}",
            "        forces: {sources: [nowhere]}",
            "forces: {sources: [nowhere]}",
            "unknown source 'nowhere'",
        ),
        (
            '        concentration: {assumption: "Invented."}\n        spending',
            "        spending",
            "      concentration: 2",
            "'concentration' needs a basis entry",
        ),
        (
            '      per_month: {assumption: "Invented."}',
            '      per_mnth: {assumption: "Invented."}',
            "per_mnth:",
            "basis for unknown parameter 'per_mnth'",
        ),
        (
            "forces: {dist: normal, mean: 250000, sd: 20000, low: 150000}",
            "forces: {dist: normal, mean: 250000, sd: 200000}",
            "sd: 200000}",
            "can take values outside (0, 1e+08]",
        ),
        ("attack_share: 0.1", "attack_share: 1.5", "attack_share: 1.5", "is outside [0, 1]"),
        ("concentration: 2\n", "concentration: 0.5\n", "concentration: 0.5", "outside [1, 100]"),
        (
            "breakthrough_slope: 6",
            "breakthrough_slope: {dist: gamma, k: 2}",
            "breakthrough_slope: {dist: gamma",
            "give a number or a mapping with 'dist'",
        ),
        (
            "      aid_reference_usd_bn_per_month: 2\n",
            "",
            "- party: west",
            "give aid_max_gain, aid_half_usd_bn_per_month and aid_reference",
        ),
        ("threat_full_at: 5", "threat_full_at: 10", "nuclear_side: east", "must differ"),
        (
            "horizon_months: 12",
            "horizon_months: 0",
            "horizon_months: 0",
            "greater than or equal to 1",
        ),
        (
            "  horizon_months: 12\n",
            "  horizon_months: 12\n  horizon: 3\n",
            "horizon: 3",
            "unknown field 'horizon'",
        ),
    ],
)
def test_mistakes_are_reported_at_their_place(
    text: str, old: str, new: str, fragment: str, message: str
) -> None:
    assert old in text, old
    bad = text.replace(old, new, 1)
    found = problems(bad)
    assert any(message in m for _, _, m in found), found
    line = line_of(bad, fragment, after="war:" if fragment.startswith(" ") else None)
    assert any(message in m and ln == line for ln, _, m in found), (line, found)


def test_every_party_needs_costs(text: str) -> None:
    start = text.index("    broker:\n      per_month")
    bad = text[:start]
    found = problems(bad)
    assert any("no costs for party(ies) broker" in m for _, _, m in found), found
    assert any(ln == line_of(bad, "  costs:") for ln, _, m in found if "no costs" in m)


def test_costs_for_an_unknown_party(text: str) -> None:
    bad = text.replace("    broker:\n      per_month", "    brokr:\n      per_month")
    found = problems(bad)
    assert any(
        "costs for unknown party 'brokr'" in m and ln == line_of(bad, "brokr:")
        for ln, _, m in found
    )


def test_the_two_sides_must_differ(text: str) -> None:
    bad = text.replace("- party: west\n", "- party: east\n", 1)
    found = problems(bad)
    assert any("the two sides must be different parties" in m for _, _, m in found)


def test_the_section_may_define_its_own_sources(text: str) -> None:
    own = text.replace(
        "  sources: [invented]\n  horizon_months",
        "  sources:\n    - invented\n    - {id: war_only, title: A source only the war model cites}\n"
        "  horizon_months",
    ).replace("        forces: {sources: [invented]}", "        forces: {sources: [war_only]}", 1)
    war = parse_scenario(own).scenario.war
    assert war is not None and [s.id for s in war.source_records] == ["war_only"]
    clash = own.replace("{id: war_only,", "{id: invented,")
    found = problems(clash)
    assert any("duplicate source id 'invented'" in m for _, _, m in found), found


def test_the_bundled_scenario_grounds_every_war_parameter() -> None:
    from ceasefire.scenario import bundled_scenarios

    war = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario.war
    assert war is not None
    blocks = [*war.sides, war.combat, war.front, *war.aid, *war.costs.values()]
    if war.escalation is not None:
        blocks.append(war.escalation)
    for block in blocks:
        assert set(block.parameters_set()) <= set(block.basis), block
