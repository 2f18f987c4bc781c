"""The ``events:`` section: dated changes to a scenario, the scenario as it stands at a date, its
checks (reported at their place), and analyses month by month on the changed scenario."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ceasefire.analysis import analyze
from ceasefire.scenario import bundled_scenarios, load_scenario, parse_scenario
from ceasefire.scenario.events import (
    epochs,
    month_date,
    month_reached,
    scenario_at,
    scenario_at_month,
)
from ceasefire.scenario.model import NumericBound
from tests.commitment.nesting import without_sections
from tests.scenario.test_record import problems


def toy() -> str:
    return bundled_scenarios()["toy-border"].read_text(encoding="utf-8")


EVENTS = """
events:
  - id: hardening
    date: 2024-03-01
    kind: red_line
    what: North rules out the middle line by law.
    sources: [textbook]
    red_lines:
      north: {border: [north_line, middle_line]}
  - id: compromise
    date: 2024-02-10
    kind: option
    what: A mediator proposes joint administration of the border strip.
    sources: [textbook]
    options:
      - issue: border
        option: {id: joint_strip, label: Joint administration}
        values: {north: 70, south: 55}
  - id: new_government
    date: 2024-06-01
    kind: preferences
    what: South's new government cares less about troops.
    sources: [textbook]
    preferences:
      south:
        weights: {border: 0.8, troops: 0.2}
        values:
          border: {north_line: 100, middle_line: 60, south_line: 0, joint_strip: 80}
          troops: [[0, 100], [100, 0]]
        reservation: 40
        sources: [textbook]
    red_lines:
      north: {border: null}
"""


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_scenario_as_it_stands_at_each_date() -> None:
    scenario = parse_scenario(toy() + EVENTS, "toy.yaml").scenario
    before = scenario_at(scenario, dt.date(2024, 2, 9))
    assert before is scenario  # nothing due: the scenario itself
    assert before.issue("border").option_ids == ["north_line", "middle_line", "south_line"]

    compromise = scenario_at(scenario, dt.date(2024, 2, 10))
    assert compromise.issue("border").option_ids[-1] == "joint_strip"
    assert compromise.preferences["north"].values["border"]["joint_strip"] == 70  # type: ignore[index]
    assert compromise.preferences["north"].red_lines["border"] == ["north_line"]
    assert [e.id for e in compromise.events] == ["hardening", "new_government"]

    hardened = scenario_at(scenario, dt.date(2024, 3, 1))
    assert hardened.preferences["north"].red_lines["border"] == ["north_line", "middle_line"]
    assert hardened.preferences["south"].weights == scenario.preferences["south"].weights

    replaced = scenario_at(scenario, dt.date(2030, 1, 1))
    assert "border" not in replaced.preferences["north"].red_lines
    assert replaced.preferences["south"].weights == {"border": 0.8, "troops": 0.2}
    assert replaced.events == []
    # The original is untouched (models are frozen; changes make copies).
    assert scenario.issue("border").option_ids == ["north_line", "middle_line", "south_line"]


def test_months_and_epochs() -> None:
    scenario = parse_scenario(toy() + EVENTS, "toy.yaml").scenario
    as_of = scenario.as_of
    assert month_reached(as_of, dt.date(2024, 2, 10)) == 2  # 40 days: on or after month 2's date
    assert month_date(as_of, 2) >= dt.date(2024, 2, 10) > month_date(as_of, 1)
    assert scenario_at_month(scenario, 1) is scenario
    assert scenario_at_month(scenario, 2).issue("border").option_ids[-1] == "joint_strip"
    spans = epochs(scenario, 12)
    # 1 Mar is 60 days after as_of: month 2, like 10 Feb; 1 Jun is day 152, month 5.
    assert [(first, end) for first, end, _ in spans] == [(0, 2), (2, 5), (5, 12)]
    assert [len(s.events) for _, _, s in spans] == [3, 1, 0]
    assert len(epochs(scenario, 2)) == 1


def test_analyze_at_as_of_never_sees_a_later_event() -> None:
    """Nesting: a scenario's analysis at as_of is the same with or without its events; the
    document only gains the ``events`` list."""
    plain = analyze(parse_scenario(toy(), "toy.yaml")).to_dict()
    dated = analyze(parse_scenario(toy() + EVENTS, "toy.yaml")).to_dict()
    listed = dated.pop("events")
    plain.pop("provenance")
    dated.pop("provenance")
    assert dated == plain
    assert [e["id"] for e in listed] == ["compromise", "hardening", "new_government"]
    assert listed[0]["changes"] == ["issues.border.options.joint_strip"]


@pytest.mark.parametrize(
    ("old", "new", "fragment", "expected"),
    [
        ("    date: 2024-03-01", "    date: 2023-03-01", "date: 2023-03-01", "is not after as_of"),
        ("      north: {border: [north_line, middle_line]}", "      west: {border: [north_line]}", "west:", "unknown party 'west'"),
        ("      north: {border: [north_line, middle_line]}", "      north: {bridge: [north_line]}", "bridge", "unknown issue 'bridge'"),
        ("      north: {border: [north_line, middle_line]}", "      north: {border: [east_line]}", "east_line", "'east_line' is not an option of 'border'"),
        ("        option: {id: joint_strip, label: Joint administration}", "        option: {id: south_line}", "id: south_line}", "'south_line' is already an option of 'border'"),
        ("        values: {north: 70, south: 55}", "        values: {north: 70}", "values: {north: 70}", "no value of 'joint_strip' for south"),
        ("    kind: option", "    kind: rumour", "kind: rumour", "Input should be"),
        ("    what: North rules out the middle line by law.", "    what: x\n    colour: red", "colour: red", "unknown field 'colour'"),
        ("    sources: [textbook]\n    red_lines:", "    sources: [nowhere]\n    red_lines:", "[nowhere]", "unknown source 'nowhere'"),
        ("          border: {north_line: 100, middle_line: 60, south_line: 0, joint_strip: 80}", "          border: {north_line: 100, middle_line: 60, south_line: 0}", "          border: {north_line: 100, middle_line: 60, south_line: 0}", "no value for option(s) joint_strip"),
        ("      north: {border: null}", "      south: {border: null}", "south: {border: null}", "'south' has no red line on 'border' to drop"),
    ],
)  # fmt: skip
def test_event_problems_are_reported_at_their_place(
    old: str, new: str, fragment: str, expected: str
) -> None:
    text = toy() + EVENTS
    assert old in text
    changed = text.replace(old, new, 1)
    found = problems(changed)
    assert any(expected in message for _, message in found), found
    line = line_of(changed, fragment)
    assert any(expected in message and abs(at - line) <= 2 for at, message in found), (line, found)


def test_an_event_must_change_something() -> None:
    text = toy() + (
        "events:\n  - {id: e, date: 2024-05-01, kind: other, what: nothing, sources: [textbook]}\n"
    )
    [(line, message)] = problems(text)
    assert line == line_of(text, "id: e,")
    assert "give 'preferences', 'red_lines' or 'options'" in message


def test_duplicate_event_ids_are_refused() -> None:
    text = toy() + EVENTS.replace("id: compromise", "id: hardening")
    assert any("duplicate event id 'hardening'" in m for _, m in problems(text))


# ---- month by month: ripeness on the scenario as it stands at each month ------------------------


def _with_red_line_event(scenario_id: str, months_later: int) -> tuple[str, str]:
    """A bundled scenario's text, its own ``events:`` left out, with one event that rules out, for
    its first veto party, every option but the status quo of its first categorical issue; and the
    text without any event, to compare with."""
    base = without_sections(
        bundled_scenarios()[scenario_id].read_text(encoding="utf-8"), {"events"}
    )
    loaded = parse_scenario(base, f"{scenario_id}.yaml")
    scenario = loaded.scenario
    party = scenario.veto_parties[0].id
    issue = next(i for i in scenario.issues if i.kind == "categorical")
    others = [o for o in issue.option_ids if o != issue.status_quo]
    date = month_date(scenario.as_of, months_later)
    source = scenario.sources[0].id
    event = (
        f"\nevents:\n  - id: hardening\n    date: {date.isoformat()}\n    kind: red_line\n"
        f"    what: test\n    sources: [{source}]\n"
        f"    red_lines:\n      {party}: {{{issue.id}: [{', '.join(others)}]}}\n"
    )
    head, marker, tail = base.partition("\nrecord:")
    with_event = head + event + marker + tail
    return with_event, base


def test_ripeness_before_an_event_is_unchanged_and_after_it_is_the_changed_scenarios() -> None:
    """The splice against its oracle: months before the event as without it; months from it as
    the analysis of the scenario with the event's change made at as_of (same war, same seed)."""
    text, base = _with_red_line_event("korea-1951", 4)
    loaded = parse_scenario(text, "korea.yaml")
    scenario = loaded.scenario
    [event] = scenario.events
    month = month_reached(scenario.as_of, event.date)
    assert month == 4
    plain = analyze(parse_scenario(base, "korea.yaml"), samples=60, seed=2)
    dated = analyze(loaded, samples=60, seed=2)
    assert plain.war is not None and dated.war is not None
    p_plain = plain.war.ripeness.p_zopa
    p_dated = dated.war.ripeness.p_zopa
    np.testing.assert_array_equal(p_dated[:month], p_plain[:month])
    np.testing.assert_array_equal(
        dated.war.reservations.values[:month], plain.war.reservations.values[:month]
    )
    # The oracle: the changed scenario analysed from as_of.
    changed = scenario_at(scenario, event.date).model_copy(update={"events": []})
    from ceasefire.analysis import Analysis

    oracle_loaded = type(loaded)(scenario=changed, path="oracle", text=loaded.text)
    oracle: Analysis = analyze(oracle_loaded, samples=60, seed=2)
    assert oracle.war is not None
    np.testing.assert_array_equal(p_dated[month:], oracle.war.ripeness.p_zopa[month:])
    np.testing.assert_array_equal(
        dated.war.ripeness.binding_share[month:], oracle.war.ripeness.binding_share[month:]
    )
    np.testing.assert_array_equal(
        dated.war.reservations.values[month:], oracle.war.reservations.values[month:]
    )
    document = dated.to_dict(max_frontier=0, whole_frontier=False)
    assert document["events"][0]["month"] == month


def test_events_beyond_the_horizon_change_nothing() -> None:
    text, base = _with_red_line_event("korea-1951", 400)
    dated = analyze(parse_scenario(text, "korea.yaml"), samples=40, seed=1)
    plain = analyze(parse_scenario(base, "korea.yaml"), samples=40, seed=1)
    a = dated.to_dict(max_frontier=0, whole_frontier=False)
    b = plain.to_dict(max_frontier=0, whole_frontier=False)
    assert a.pop("events") == []
    a.pop("provenance")
    b.pop("provenance")
    assert a == b


def test_numeric_red_lines_harden_by_event() -> None:
    text = toy() + (
        "events:\n  - id: law\n    date: 2024-04-01\n    kind: red_line\n    what: x\n"
        "    sources: [textbook]\n    red_lines:\n      south: {troops: {above: 50}}\n"
    )
    scenario = parse_scenario(text, "toy.yaml").scenario
    after = scenario_at(scenario, dt.date(2024, 4, 1))
    assert after.preferences["south"].red_lines["troops"] == NumericBound(above=50)


def test_analyze_prints_the_events_its_ripeness_uses() -> None:
    from typer.testing import CliRunner

    from ceasefire.cli import app

    result = CliRunner().invoke(
        app, ["analyze", "iran-iraq-1982", "--samples", "30", "--horizon", "46"]
    )
    assert result.exit_code == 0, result.output
    assert "From month 44 (1986-03-04), regime_change_dropped:" in result.output
    short = CliRunner().invoke(app, ["analyze", "iran-iraq-1982", "--samples", "30"])
    assert "regime_change_dropped" not in short.output  # beyond the default horizon


def test_the_bundled_events_are_sourced_and_dated_after_as_of() -> None:
    for scenario_id in ("russia-ukraine-2022-03", "iran-iraq-1982", "korea-1951"):
        scenario = load_scenario(bundled_scenarios()[scenario_id]).scenario
        assert scenario.events
        for event in scenario.events:
            assert event.date > scenario.as_of and event.sources
