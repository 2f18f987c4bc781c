"""``beliefs:``, ``learning:`` and ``private:``: they load, paths name sides by party id, mistakes
are reported at their place, ``ceasefire schema`` shows them, and every source they cite is known."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.scenario import bundled_scenarios, load_scenario, parse_scenario
from ceasefire.scenario.beliefs import belief_source_records
from ceasefire.scenario.paths import PathError, parameter_at, war_keys, with_war_numbers
from tests.scenario.test_war_section import line_of, problems

FIXTURE = Path(__file__).parents[1] / "war" / "data" / "border-war.yaml"
ROOT = Path(__file__).parents[2]

GOOD = """beliefs:
  west:
    sources:
      - {id: west_speech, title: An invented speech}
    war:
      aid.scale: {dist: uniform, low: 1.0, high: 1.6}
      sides[west].break_casualties: {dist: uniform, low: 300000, high: 500000}
    prior_strength: 6
    basis:
      aid.scale: {sources: [west_speech]}
      sides[west].break_casualties: {assumption: Invented.}
  east:
    war:
      aid[ally].military_usd_bn_per_month: {dist: uniform, low: 0, high: 1}
    basis:
      aid[ally].military_usd_bn_per_month: {assumption: Invented.}
learning:
  observe:
    territory: {noise_sd_pct: 0.1}
    casualties: {noise_rel: 0.3}
    breaks: {error: 0.02}
  basis:
    breaks: {assumption: Invented.}
  stalemate: {decisive_gain_pct: 5, p_decisive_below: 0.2, cost_rate_above: 1.5}
private:
  east:
    cost_multiplier: {dist: lognormal, median: 1.0, sigma: 0.4}
    basis: {cost_multiplier: {assumption: Invented.}}
"""


@pytest.fixture(scope="module")
def text() -> str:
    return FIXTURE.read_text(encoding="utf-8") + GOOD


def test_the_sections_load(text: str) -> None:
    scenario = parse_scenario(text, "beliefs.yaml").scenario
    assert scenario.beliefs is not None and scenario.learning is not None
    assert scenario.beliefs["west"].prior_strength == 6
    assert scenario.beliefs["east"].prior_strength == 12  # the default
    assert scenario.learning.stalemate.cost_rate_above == 1.5
    assert scenario.learning.observe.breaks is not None
    assert scenario.learning.observe.breaks.error == 0.02
    plain = parse_scenario(text.replace("breaks: {error: 0.02}", "breaks: {}"), "b.yaml").scenario
    assert plain.learning is not None and plain.learning.observe.breaks is not None
    assert plain.learning.observe.breaks.error == 0.01  # the default
    assert scenario.private is not None and "east" in scenario.private
    assert [s.id for s in belief_source_records(scenario)] == ["west_speech"]


def test_paths_name_list_entries_by_party_or_index(text: str) -> None:
    war = parse_scenario(text, "beliefs.yaml").scenario.war
    assert war is not None
    assert war_keys(war, "sides[west].forces") == ["sides", 1, "forces"]
    assert war_keys(war, "war.sides[1].forces") == ["sides", 1, "forces"]
    assert war_keys(war, "war.aid.0.military_usd_bn_per_month")[:2] == ["aid", 0]  # a what-if
    assert war_keys(war, "aid[ally].other_usd_bn_per_month") == ["aid", 0, "other_usd_bn_per_month"]
    block, name = parameter_at(war, "costs.west.per_10k_casualties")
    assert name == "per_10k_casualties" and block is war.costs["west"]
    changed = with_war_numbers(war, {"sides[west].forces": 1.0})
    assert changed.sides[1].forces.mean == 1.0 and changed.sides[0] == war.sides[0]
    for bad in ("sides[north].forces", "sides[2].forces", "front.issue", "horizon_months", "x"):
        with pytest.raises(PathError):
            parameter_at(war, bad)


@pytest.mark.parametrize(
    ("old", "new", "fragment", "message"),
    [
        ("      aid.scale: {dist: uniform, low: 1.0, high: 1.6}", "      aid.scale: -1", "aid.scale: -1", "can take negative values"),
        ("sides[west].break_casualties: {dist", "sides[north].break_casualties: {dist", "sides[north]", "no entry of 'sides' for party 'north'"),
        ("sides[west].break_casualties: {dist", "front.issue: {dist", "front.issue: {dist", "is not a parameter of the war model"),
        ("      aid[ally].military_usd_bn_per_month: {dist: uniform, low: 0, high: 1}", "      sides[east].attack_share: {dist: uniform, low: 0, high: 2}", "sides[east].attack_share", "outside [0, 1]"),
        ("      aid.scale: {sources: [west_speech]}\n", "", "aid.scale: {dist", "needs a basis entry"),
        ("aid.scale: {sources: [west_speech]}", "aid.scale: {sources: [nowhere]}", "[nowhere]", "unknown source 'nowhere'"),
        ("    prior_strength: 6", "    prior_strength: 0", "prior_strength: 0", "greater than 0"),
        ("territory: {noise_sd_pct: 0.1}", "territory: {noise_sd: 0.1}", "noise_sd: 0.1", "unknown field"),
        ("breaks: {error: 0.02}", "breaks: {error: 0.5}", "breaks: {error: 0.5}", "less than 0.5"),
        ("breaks: {error: 0.02}", "breaks: {error: 0}", "breaks: {error: 0}", "greater than 0"),
        ("breaks: {error: 0.02}", "breaks: {eror: 0.02}", "breaks: {eror", "unknown field"),
        ("    breaks: {assumption: Invented.}", "    broken: {assumption: Invented.}", "broken:", "basis for 'broken'"),
        ("    basis: {cost_multiplier: {assumption: Invented.}}\n", "", "cost_multiplier: {dist", "needs a basis entry"),
        ("private:\n  east:", "private:\n  north:", "north:", "unknown party 'north'"),
    ],
)  # fmt: skip
def test_mistakes_are_reported_at_their_place(
    text: str, old: str, new: str, fragment: str, message: str
) -> None:
    assert old in text, old
    bad = text.replace(old, new, 1)
    found = problems(bad)
    line = line_of(bad, fragment, after="beliefs:")
    assert any(message in m and ln == line for ln, _, m in found), (line, found)


def test_the_sections_need_a_war_section(toy_text: str) -> None:
    found = problems(toy_text + "learning:\n  observe: {casualties: {noise_rel: 0.3}}\n")
    assert any("'learning' needs a 'war:' section" in m for _, _, m in found), found


def test_schema_documents_the_sections() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"beliefs", "learning", "private"} <= set(schema["properties"])
    definitions = json.dumps(schema["$defs"])
    for field in (
        "prior_strength",
        "noise_sd_pct",
        "noise_rel",
        "breaks",
        "error",
        "cost_multiplier",
    ):
        assert field in definitions


def test_the_bundled_belief_sources_are_in_the_bibliography() -> None:
    scenario = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario
    records = belief_source_records(scenario)
    assert records
    text = (ROOT / "docs" / "reference" / "bibliography.md").read_text(encoding="utf-8")
    assert [s.id for s in records if f"**{s.id}**" not in text] == []


def test_the_belief_docs_cite_known_keys() -> None:
    from tests.test_citations import bibliography_keys, cited_keys

    files = [
        ROOT / "docs" / "explanation" / "beliefs.md",
        ROOT / "src" / "ceasefire" / "war" / "beliefs.py",
        ROOT / "src" / "ceasefire" / "scenario" / "beliefs.py",
    ]
    known = bibliography_keys()
    cited = {key for path in files for key in cited_keys(path.read_text(encoding="utf-8"))}
    assert cited and cited <= known, sorted(cited - known)
    assert {
        "Fearon1995",
        "Slantchev2003",
        "FilsonWerner2002",
        "SmithStam2004",
        "Zartman2000",
    } <= cited
    assert re.search(r"\[Ibrahim2000", (files[0]).read_text(encoding="utf-8"))
