"""With a ``commitment:`` section, offers are judged on effective utilities, as ``analyze`` judges
packages: the zone without an offer is analyze's, the cheapest offer equals brute force on every
package, and when no offer helps the command says which party is short and by how much."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ceasefire.analysis import analyze
from ceasefire.cli import app
from ceasefire.mediation.bargain import is_effective
from ceasefire.mediation.bruteforce import cheapest_cost
from ceasefire.mediation.mediate import mediate
from ceasefire.mediation.offers import offer_space
from ceasefire.mediation.search import cheapest_offer
from ceasefire.scenario import LoadedScenario, parse_scenario
from tests.commitment.scenarios import FORMAL, truce

runner = CliRunner()

WEST = """  west:
    weights: {line: 0.2, buffer: 0.2, monitoring: 0.2, guarantee: 0.2, commission: 0.2}
    values:
      line: {current_line: 50, north_withdraws: 60}
      buffer: {none: 40, dmz: 60}
      monitoring: {none: 40, observers: 60}
      guarantee: {none: 60, treaty: 40}
      commission: {none: 50, joint: 50}
commitment:"""

OFFERS = """
side_payments:
  - id: aid
    name: Aid to South
    offered_by: west
    levels: [0, 1, 2, 3]
    cost: [0, 1, 2, 3]
    value: {south: [0, 3, 6, 9]}
  - id: pledge
    name: Credit to North
    offered_by: west
    levels: [0, 1]
    cost: [0, 2]
    value: {north: [0, 4], south: [0, -1]}
"""


def truce_with_offers(
    south: float, north: float = 40, self_enforcing: bool = True
) -> LoadedScenario:
    text = truce(FORMAL).text.replace("reservation: 25", f"reservation: {south}")
    if not self_enforcing:
        text += "  renewed_war:\n    self_enforcing: false\n"
    text = text.replace("reservation: 40", f"reservation: {north}")
    text = text.replace(
        "role: belligerent}\nissues:",
        "role: belligerent}\n  - {id: west, name: West, role: mediator}\nissues:",
    )
    text = text.replace("commitment:", WEST, 1)
    return parse_scenario(text + OFFERS, "truce-offers.yaml")


@pytest.mark.parametrize("self_enforcing", [True, False])
@pytest.mark.parametrize("south", [25, 40, 45, 50, 55, 60, 70])
def test_the_cheapest_offer_on_effective_utilities_equals_brute_force(
    south: float, self_enforcing: bool
) -> None:
    loaded = truce_with_offers(south, self_enforcing=self_enforcing)
    result = mediate(loaded)
    assert is_effective(result.problem)
    offers = offer_space(loaded.scenario, result.space.parties)
    best, winners = cheapest_cost(result.problem, offers)
    found = cheapest_offer(result.problem, offers, "search")
    if best is None:
        assert found is None
    else:
        assert found is not None
        assert found.cost == pytest.approx(best)
        assert found.offer in winners


def test_without_an_offer_the_zone_is_analyzes() -> None:
    loaded = truce_with_offers(25)
    document = mediate(loaded).to_dict()
    analysis = analyze(loaded)
    zone = document["without_offer"]["zopa"]
    assert zone["exists"] == analysis.zopa.exists
    assert zone["packages"] == analysis.zopa.frontier.package_total
    nash = analysis.solutions["nash"]
    assert nash.package is not None
    assert zone["nash"]["package"] == analysis.problem.package_dict(nash.package)
    assert document["utilities"].startswith("effective")


def test_when_no_offer_helps_the_output_says_who_is_short_and_by_how_much() -> None:
    loaded = truce_with_offers(95, self_enforcing=False)  # beyond anything South can get
    document = mediate(loaded).to_dict()
    assert document["cheapest"]["offer"] is None
    south = document["reach"]["parties"]["south"]
    assert south["margin"] < 0
    assert -south["margin"] > south["most_an_offer_adds"]
    assert "south is" in document["why"] and "points short" in document["why"]
    path = "truce-offers.yaml"
    result = runner.invoke(app, ["mediate", "-", "--no-progress"], input=loaded.text)
    if result.exit_code != 0:  # no stdin support: write the file
        import pathlib
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            file = pathlib.Path(tmp) / path
            file.write_text(loaded.text)
            result = runner.invoke(app, ["mediate", str(file), "--no-progress"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Why no offer:" in text and "South is" in text and "points short" in text


def test_when_a_zone_exists_the_output_says_no_offer_is_needed() -> None:
    document = mediate(truce_with_offers(25)).to_dict()
    assert document["without_offer"]["zopa"]["exists"]
    assert not any(document["cheapest"]["offer"].values())
    assert document["why"].startswith("A zone of agreement exists without an offer")
    budget = mediate(truce_with_offers(25), budget=10).to_dict()
    helps = any(budget["budget"]["offer"].values())
    assert (budget["why"] is None) == helps
    ratios = [s["nash_product_ratio"] for s in budget["reach"]["single_payments"]]
    assert len(ratios) == 4 and all(r is not None for r in ratios)
    json.dumps(document)


def test_the_probabilities_speak_of_a_war_model_only_when_there_is_one() -> None:
    """Without a ``war:`` section the sampled probabilities rest on effective utilities and say
    nothing of a war model; the flagship (with one) says what the samples assume about it."""
    from ceasefire.uncertainty.commitment import BASIS, WAR_VIEW

    loaded = truce_with_offers(25)
    assert loaded.scenario.war is None
    text = mediate(loaded).probabilities
    assert text.endswith(BASIS)
    assert WAR_VIEW not in text and "war model" not in text


def test_the_flagship_says_why_no_offer_helps() -> None:
    """russia-ukraine-2023-12: a zone exists on effective utilities, no side payment reaches
    Russia, each payment alone lowers the Nash product, and the scenario page shows the margins
    the command computes."""
    from pathlib import Path

    from ceasefire.study import read_scenario
    from ceasefire.uncertainty.commitment import WAR_VIEW

    flagship = mediate(read_scenario("russia-ukraine-2023-12"))
    document = flagship.to_dict()
    assert document["utilities"].startswith("effective")
    assert document["without_offer"]["zopa"]["exists"]
    parties = document["reach"]["parties"]
    assert parties["russia"]["reached_by"] == []
    assert parties["ukraine"]["reached_by"] == ["eu_ukraine_facility", "us_security_assistance"]
    assert all(p["margin"] > 0 for p in parties.values())
    ratios = [s["nash_product_ratio"] for s in document["reach"]["single_payments"]]
    assert ratios and all(0 < r < 1 for r in ratios)
    assert document["why"].startswith("A zone of agreement exists without an offer")
    assert flagship.probabilities.endswith(WAR_VIEW)
    page = (
        Path(__file__).parents[2] / "docs" / "explanation" / "russia-ukraine-scenario.md"
    ).read_text(encoding="utf-8")
    names = {"ukraine": "Ukraine", "russia": "Russia", "united_states": "United States"}
    names["european_union"] = "European Union"
    for party, name in names.items():
        row = next(line for line in page.splitlines() if line.startswith(f"| {name} | "))
        effective = row.split("|")[3].strip()
        assert effective == f"{parties[party]['margin']:.1f}", (party, row)


def test_the_integer_programme_is_refused_on_effective_utilities() -> None:
    with pytest.raises(ValueError, match="integer programme is for nominal utilities"):
        mediate(truce_with_offers(25), method="milp")
