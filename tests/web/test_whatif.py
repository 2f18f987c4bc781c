"""What-if changes: only offered paths, values in range, weights kept summing to one."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.scenario import LoadedScenario, bundled_scenarios, load_scenario, parse_scenario
from ceasefire.web.whatif import ChangeError, apply_changes, knobs


@pytest.fixture
def toy_loaded(toy_path: object) -> LoadedScenario:
    return load_scenario(toy_path)  # type: ignore[arg-type]


def test_the_toy_offers_its_values_of_no_deal_and_every_weight(toy_loaded: LoadedScenario) -> None:
    offered = {k.path: k for k in knobs(toy_loaded.scenario)}
    assert offered["preferences.north.no_deal.cost"].value == 10
    assert offered["preferences.south.reservation"].value == 40
    assert offered["preferences.north.weights.border"].value == 0.7
    assert {k.group for k in offered.values()} == {"no_deal", "weight"}


def test_a_change_makes_a_new_valid_scenario_and_keeps_comments(
    toy_loaded: LoadedScenario,
) -> None:
    changed = apply_changes(toy_loaded, {"preferences.south.reservation": 55.5})
    assert changed.scenario.preferences["south"].reservation == 55.5
    assert changed.sha256 != toy_loaded.sha256
    assert "# must accept a deal" in changed.text
    # nothing else moved
    assert changed.scenario.preferences["north"] == toy_loaded.scenario.preferences["north"]
    assert changed.scenario.issues == toy_loaded.scenario.issues


@settings(max_examples=15)
@given(st.floats(0.0, 1.0))
def test_changing_a_weight_rescales_the_others_to_sum_to_one(weight: float) -> None:
    from ceasefire.scenario import bundled_scenarios

    loaded = load_scenario(bundled_scenarios()["toy-border"])
    changed = apply_changes(loaded, {"preferences.south.weights.border": weight})
    weights = changed.scenario.preferences["south"].weights
    assert math.isclose(weights["border"], weight)
    assert math.isclose(sum(weights.values()), 1.0, abs_tol=1e-9)
    assert math.isclose(weights["troops"], 1.0 - weight, abs_tol=1e-9)


def test_unknown_paths_and_bad_values_are_refused(toy_loaded: LoadedScenario) -> None:
    for changes in (
        {"schema_version": 2.0},
        {"preferences.north.weights.nonexistent": 0.5},
        {"preferences.south.reservation": 101.0},
        {"preferences.south.reservation": float("nan")},
        {"../../etc/passwd": 1.0},
    ):
        with pytest.raises(ChangeError):
            apply_changes(toy_loaded, changes)


def test_war_cost_weights_and_aid_are_offered_and_change_the_war_section() -> None:
    from pathlib import Path

    loaded = load_scenario(Path(__file__).parents[1] / "report" / "data" / "border-war.yaml")
    offered = {k.path: k for k in knobs(loaded.scenario)}
    assert offered["war.costs.east.per_10k_casualties"].value == 0.4
    aid = offered["war.aid.0.military_usd_bn_per_month"]
    assert aid.group == "aid" and aid.value == 2.0  # the median of uniform(1, 3)
    changed = apply_changes(
        loaded,
        {"war.aid.0.military_usd_bn_per_month": 5.0, "war.costs.east.per_10k_casualties": 1.5},
    )
    war = changed.scenario.war
    assert war is not None
    assert war.aid[0].military_usd_bn_per_month.root == 5.0
    assert war.costs["east"].per_10k_casualties.root == 1.5
    assert war.aid[0].party == "ally"  # the rest of the entry stays


def test_weight_changes_do_not_depend_on_their_order(toy_loaded: LoadedScenario) -> None:
    one = {"preferences.south.weights.border": 0.3, "preferences.south.weights.troops": 0.7}
    two = dict(reversed(list(one.items())))
    assert apply_changes(toy_loaded, one).text == apply_changes(toy_loaded, two).text
    with pytest.raises(ChangeError, match="would not sum to 1"):
        apply_changes(
            toy_loaded,
            {"preferences.south.weights.border": 0.3, "preferences.south.weights.troops": 0.5},
        )


def test_ids_with_dots_get_knobs_that_land_where_they_say(toy_path: object) -> None:
    """Dots are legal in ids (Genius imports keep decimal points): a path must not split them."""
    text = Path(str(toy_path)).read_text(encoding="utf-8")
    dotted = (
        text.replace("id: north", "id: north.v2")
        .replace("  north:\n", "  north.v2:\n")
        .replace("id: border", "id: border.line")
        .replace("border:", "border.line:")
        .replace("{border: 0.7", "{border.line: 0.7")
        .replace("{border: 0.5", "{border.line: 0.5")
    )
    loaded = parse_scenario(dotted, "dotted.yaml")
    offered = {k.path: k for k in knobs(loaded.scenario)}
    assert "preferences.north.v2.weights.border.line" in offered
    assert "preferences.north.v2.no_deal.cost" in offered
    changed = apply_changes(
        loaded,
        {"preferences.north.v2.weights.border.line": 0.4, "preferences.north.v2.no_deal.cost": 5},
    )
    north = changed.scenario.preferences["north.v2"]
    assert north.weights == {"border.line": 0.4, "troops": pytest.approx(0.6)}
    assert north.no_deal is not None and north.no_deal.cost == 5
    with pytest.raises(ChangeError):
        apply_changes(loaded, {"preferences.north.v2.weights.border": 0.4})


def test_a_change_does_not_reach_another_party_through_a_yaml_alias(toy_path: object) -> None:
    text = Path(str(toy_path)).read_text(encoding="utf-8")
    shared = text.replace(
        "weights: {border: 0.7, troops: 0.3}", "weights: &shared {border: 0.5, troops: 0.5}"
    ).replace("weights: {border: 0.5, troops: 0.5}", "weights: *shared")
    assert "*shared" in shared
    loaded = parse_scenario(shared, "aliases.yaml")
    before = loaded.scenario.preferences["south"].weights
    changed = apply_changes(loaded, {"preferences.north.weights.border": 0.9})
    assert changed.scenario.preferences["north"].weights["border"] == 0.9
    assert changed.scenario.preferences["south"].weights == before


def test_a_path_the_file_cannot_hold_is_a_change_error(toy_loaded: LoadedScenario) -> None:
    for bad in ("preferences..weights.border", "war.aid.99.military_usd_bn_per_month", ""):
        with pytest.raises(ChangeError):
            apply_changes(toy_loaded, {bad: 0.5})


BORDER_WAR = Path(__file__).parents[1] / "report" / "data" / "border-war.yaml"


def test_with_a_war_model_the_file_s_value_of_no_deal_is_not_offered() -> None:
    """The war model gives every party's value of no deal, so a slider on the file's
    ``no_deal.cost`` or ``reservation`` would change nothing: it is not offered, and a change to
    it is refused (issue 17, defect 1)."""
    flagship = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"])
    offered = {k.path: k for k in knobs(flagship.scenario)}
    assert not any(k.group == "no_deal" for k in offered.values())
    assert "war.costs.russia.per_10k_casualties" in offered
    with pytest.raises(ChangeError, match="not an assumption"):
        apply_changes(flagship, {"preferences.russia.no_deal.cost": -30})


def test_only_the_assumptions_of_parties_that_must_agree_are_offered() -> None:
    """A mediator's weights or war costs cannot move which package is acceptable or chosen."""
    loaded = load_scenario(BORDER_WAR)
    offered = knobs(loaded.scenario)
    parties = {k.party for k in offered if k.group in ("weight", "war_cost")}
    assert parties == {p.id for p in loaded.scenario.parties if p.has_veto}
    assert "broker" not in parties


def test_each_knob_keeps_the_value_its_file_gives_a_distribution_included() -> None:
    offered = {k.path: k for k in knobs(load_scenario(BORDER_WAR).scenario)}
    assert offered["war.costs.west.per_10k_casualties"].original == "uniform(low 0.6, high 1)"
    assert offered["war.costs.east.per_10k_casualties"].original == "0.4"
