"""The belief model follows the scenario's ``events:``: at month ``t`` its values of no deal, zone
under the parties' own beliefs, best offer and stalemate use the preferences, red lines and options
in force at ``t`` (:mod:`ceasefire.scenario.events`), as ripeness does.

Scenario: ``tests/war/data/border-war.yaml`` (invented for tests) with West holding a belief of its
own about the breakthrough slope. The oracle for month ``t`` is the belief model run on the
scenario as it stands at ``t``, its events removed, with the zone recomputed by brute force: every
world against every red-line-free Pareto-optimal package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.scenario import parse_scenario
from ceasefire.scenario.events import scenario_at_month
from ceasefire.scenario.model import Scenario
from ceasefire.war import red_line_free_points
from ceasefire.war.beliefs import Beliefs, belief_model
from ceasefire.war.ripeness import TOLERANCE

BORDER = (Path(__file__).parent / "data" / "border-war.yaml").read_text()
SETTINGS = {"worlds": 96, "particles": 24, "months": 8, "seed": 4}
EVENT_MONTH = 3  # 2024-04-01 is the first month on or after the events' date (as_of 2024-01-01)

BELIEFS = """beliefs:
  west:
    war:
      combat.breakthrough_slope: {dist: uniform, low: 3, high: 9}
    prior_strength: 6
    basis:
      combat.breakthrough_slope: {assumption: "Invented."}
learning:
  observe:
    territory: {noise_sd_pct: 0.05}
    casualties: {noise_rel: 0.3}
"""

# East comes to refuse West's alignment unless demilitarised, which West refuses: no package
# crosses no red line from then on.
CLOSING = """events:
  - id: east_hardens
    date: 2024-03-15
    kind: red_line
    what: East rules out an allied or neutral West.
    sources: [invented]
    red_lines:
      east: {neutrality: [allied, neutral]}
"""

# The same red line in force at as_of, dropped by the event.
HARD_EAST = "red_lines: {territory: {below: 10}, neutrality: [allied, neutral]}"
OPENING = """events:
  - id: east_softens
    date: 2024-03-15
    kind: red_line
    what: East drops its demand that West be demilitarised.
    sources: [invented]
    red_lines:
      east: {neutrality: null}
"""

# A new government in West values the front differently: every value of no deal changes.
NEW_GOVERNMENT = """events:
  - id: west_government
    date: 2024-03-15
    kind: preferences
    what: A new government in West cares less about the land and more about sanctions.
    sources: [invented]
    preferences:
      west:
        weights: {territory: 0.3, neutrality: 0.3, sanctions: 0.4}
        values:
          territory: [[0, 100], [20, 70], [40, 0]]
          neutrality: {allied: 100, neutral: 50, demilitarised: 0}
          sanctions: {kept: 100, phased_relief: 60, lifted: 0}
        red_lines: {neutrality: [demilitarised]}
"""


def scenario(text: str) -> Scenario:
    return parse_scenario(text, "border-war.yaml").scenario


def points(current: Scenario) -> np.ndarray:
    return red_line_free_points(build_problem(current, {p.id: 0.0 for p in current.parties}))


def run(current: Scenario) -> Beliefs:
    return belief_model(current, points(current), **SETTINGS)


@cache
def without_events(base: str, events: str) -> tuple[Beliefs, ...]:
    """The oracle's runs: month by month, the scenario as it stands then, its events removed."""
    full = scenario(base + events)
    out = []
    for t in range(SETTINGS["months"]):
        current = scenario_at_month(full, t).model_copy(update={"events": []})
        out.append(run(current))
    return tuple(out)


def brute_force_zone(u: np.ndarray, reservations: np.ndarray) -> float:
    """The share of worlds ``(d, n)`` in which some package ``(m, d)`` gives every veto party at
    least its own value of no deal (within the tolerance of ripeness)."""
    if u.shape[0] == 0:
        return 0.0
    ok = (u[:, :, None] >= reservations[None, :, :] - TOLERANCE).all(axis=1)  # (m, n)
    return float(ok.any(axis=0).mean())


CASES = {
    "closing": (BORDER + BELIEFS, CLOSING),
    "opening": (
        BORDER.replace("red_lines: {territory: {below: 10}}", HARD_EAST) + BELIEFS,
        OPENING,
    ),
    "preferences": (BORDER + BELIEFS, NEW_GOVERNMENT),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_month_uses_the_scenario_as_it_stands_then(case: str) -> None:
    base, events = CASES[case]
    result = run(scenario(base + events))
    veto = [result.parties.index(v) for v in result.veto]
    for t, oracle in enumerate(without_events(base, events)):
        assert np.array_equal(result.reservations[t], oracle.reservations[t])
        assert np.array_equal(result.line[t], oracle.line[t])
        assert np.array_equal(result.hurting[t], oracle.hurting[t])
        assert result.p_agreement[t] == oracle.p_agreement[t]
        current = scenario_at_month(scenario(base + events), t)
        zone = brute_force_zone(points(current), result.reservations[t][veto])
        assert result.p_zopa[t] == zone == oracle.p_zopa[t]


def test_an_event_that_closes_the_zone_empties_it_from_its_month() -> None:
    result = run(scenario(BORDER + BELIEFS + CLOSING))
    assert (result.p_zopa[:EVENT_MONTH] > 0).all()
    assert (result.p_zopa[EVENT_MONTH:] == 0).all()
    assert (result.p_agreement[EVENT_MONTH:] == 0).all()
    before = run(scenario(BORDER + BELIEFS))
    assert np.array_equal(result.p_zopa[:EVENT_MONTH], before.p_zopa[:EVENT_MONTH])


def test_an_event_that_opens_the_zone_opens_it_from_its_month() -> None:
    base, events = CASES["opening"]
    result = run(scenario(base + events))
    assert (result.p_zopa[:EVENT_MONTH] == 0).all()
    assert (result.p_zopa[EVENT_MONTH:] > 0).all()
    assert np.array_equal(result.p_zopa[EVENT_MONTH:], run(scenario(BORDER + BELIEFS)).p_zopa[3:])


def test_events_after_the_months_change_nothing() -> None:
    """Nesting: a scenario whose events all fall after the months analysed gives exactly the
    output of the same scenario without events."""
    later = CLOSING.replace("2024-03-15", "2025-03-15")
    with_events = run(scenario(BORDER + BELIEFS + later))
    without = run(scenario(BORDER + BELIEFS))
    assert with_events.to_dict() == without.to_dict()
    assert with_events.reservations.tobytes() == without.reservations.tobytes()


@pytest.mark.parametrize("events", [CLOSING, NEW_GOVERNMENT])
def test_analyze_nests_the_dated_ripeness(events: str) -> None:
    """Nesting with events: parties that believe what the analyst's war says get, month by month,
    the zone that ``analyze``'s ripeness computes on the scenario as it stands each month."""
    from ceasefire.analysis import analyze

    loaded = parse_scenario(BORDER + "beliefs:\n  east:\n    war: {}\n" + events, "border.yaml")
    document = analyze(loaded, samples=300, seed=5, horizon=8, worlds=300, particles=8).to_dict()
    zone = document["ripeness"]["p_zopa"]
    assert document["beliefs"]["p_zopa_own_beliefs"] == zone
    assert document["beliefs"]["p_agreement_best_offer"] == zone
    assert zone[EVENT_MONTH - 1] != zone[EVENT_MONTH]  # the event changes the zone
