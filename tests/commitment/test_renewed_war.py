"""The renewed war is the war model run from the post-deal state."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.commitment.renewed_war import renewed_with_war, war_issues
from ceasefire.scenario import bundled_scenarios, load_scenario, parse_scenario
from ceasefire.scenario import utility as su
from ceasefire.war import reservation_values

SAMPLES = 200


@pytest.fixture(scope="module")
def setting():  # type: ignore[no-untyped-def]
    text = bundled_scenarios()["russia-ukraine-2023-12"].read_text()
    scenario = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario
    reservations = reservation_values(scenario, samples=SAMPLES, seed=5)
    return text, scenario, reservations


def _combo(scenario, line: float, cap: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    issues = war_issues(scenario)
    labels = [su.option_labels(scenario.issues[k]) for k in issues]
    front = [i.id for i in scenario.issues].index("line_of_control")
    return tuple(  # type: ignore[return-value]
        labels[j].index(line if k == front else cap) for j, k in enumerate(issues)
    )


def test_a_renewed_war_from_today_with_nothing_rebuilt_is_todays_war(setting) -> None:  # type: ignore[no-untyped-def]
    text, _, reservations = setting
    # Nothing rebuilt, today's aid: the renewed war from the status quo is the war of today.
    neutral = text.replace(
        "reconstitution_months: {dist: lognormal, median: 24, sigma: 0.6}",
        "reconstitution_months: 0",
    ).replace("aid_scale: {dist: uniform, low: 0.3, high: 1.2}", "aid_scale: 1")
    scenario = parse_scenario(neutral, "ru.yaml").scenario
    values = renewed_with_war(scenario, reservations, [_combo(scenario, 18.0, "no_cap")])[0]
    today = reservations.medians(0)
    np.testing.assert_allclose(values, [today[p.id] for p in scenario.parties], atol=1e-9)


def test_a_force_cap_binds_only_when_caps_bind(setting) -> None:  # type: ignore[no-untyped-def]
    text, scenario, reservations = setting
    caps = ["no_cap", "cap_800k", "cap_600k", "cap_250k_ua_2022", "cap_85k_ru_2022"]
    values = renewed_with_war(scenario, reservations, [_combo(scenario, 18.0, c) for c in caps])
    ukraine = [p.id for p in scenario.parties].index("ukraine")
    russia = [p.id for p in scenario.parties].index("russia")
    # Any cap on Ukraine's forces makes the renewed war worse for Ukraine and better for Russia.
    assert (values[1:, ukraine] < values[0, ukraine]).all()
    assert (values[1:, russia] > values[0, russia]).all()
    loose = parse_scenario(text.replace("caps_bind: true", "caps_bind: false"), "ru.yaml").scenario
    assert war_issues(loose) == (0,)  # only the line of control matters then
    unbound = renewed_with_war(loose, reservations, [(0,), (6,)])
    np.testing.assert_allclose(unbound[1], values[0], atol=1e-9)  # line 18 is grid index 6


def test_with_deals_that_always_hold_ripeness_and_the_zopa_are_the_nominal_ones() -> None:
    from pathlib import Path

    from ceasefire.analysis import analyze

    fixture = Path(__file__).parents[1] / "war" / "data" / "border-war.yaml"
    text = fixture.read_text()
    always = text + (
        "commitment:\n  horizon_months: 60\n  hazard:\n    base: {value: 1.0e-15, basis: "
        "{assumption: deals hold}}\n  renewed_war: {self_enforcing: false}\n"
    )
    nominal = analyze(parse_scenario(text, "war.yaml"), samples=300, seed=2)
    held = analyze(parse_scenario(always, "war.yaml"), samples=300, seed=2)
    assert held.commitment is not None and nominal.war is not None and held.war is not None
    assert held.war.ripeness.to_dict()["p_zopa"] == nominal.war.ripeness.to_dict()["p_zopa"]
    # p_hold = exp(-6e-14): effective utilities within one 1e-12 quantum of the nominal ones.
    np.testing.assert_allclose(
        held.zopa.frontier.point_units, nominal.zopa.frontier.point_units, rtol=0, atol=1
    )


def test_combinations_projected_together_give_the_numbers_of_one_projection_each(
    setting, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import ceasefire.commitment.renewed_war as module

    _, scenario, reservations = setting
    combos = [(line, cap) for line in range(9) for cap in range(5)]
    together = renewed_with_war(scenario, reservations, combos)  # 45 x 200 samples at once
    monkeypatch.setattr(module, "BATCH", 1)  # one combination at a time
    assert np.array_equal(renewed_with_war(scenario, reservations, combos), together)
    monkeypatch.setattr(module, "BATCH", 7 * SAMPLES)  # batches of 7, the last of 3
    assert np.array_equal(renewed_with_war(scenario, reservations, combos), together)
