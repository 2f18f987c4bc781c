"""Checks on the bundled scenario ``russia-ukraine-2023-12``.

The scenario is data, not code: these tests check that it says what its documentation says it says
(parties, vetoes, sourced numbers, the state on 2023-12-21), not what any analysis makes of it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.scenario.distributions import point_value
from ceasefire.scenario.model import Issue, Preferences, Scenario
from ceasefire.scenario.utility import option_labels, reservation_values

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "explanation" / "russia-ukraine-scenario.md"
BIBLIOGRAPHY = ROOT / "docs" / "reference" / "bibliography.md"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario


def source_year(scenario: Scenario, source_id: str) -> int | None:
    """The first four-digit year in a source's date, if it has one."""
    date = next(s.date for s in scenario.sources if s.id == source_id)
    match = re.search(r"\b(19|20)\d\d\b", date or "")
    return int(match.group(0)) if match else None


def test_loads_as_of_the_essay(scenario: Scenario) -> None:
    assert scenario.id == "russia-ukraine-2023-12"
    assert scenario.as_of == dt.date(2023, 12, 21)


def test_parties_roles_and_vetoes(scenario: Scenario) -> None:
    assert {p.id: (p.role, p.has_veto) for p in scenario.parties} == {
        "ukraine": ("belligerent", True),
        "russia": ("belligerent", True),
        "united_states": ("patron", True),
        "european_union": ("patron", True),
        "china": ("mediator", False),
        "india": ("mediator", False),
        "brazil": ("mediator", False),
        "turkey": ("mediator", False),
    }


def test_issue_space_is_large_but_moderate(scenario: Scenario) -> None:
    assert len(scenario.issues) >= 10
    sizes = [len(option_labels(issue)) for issue in scenario.issues]
    categorical = [len(i.option_ids) for i in scenario.issues if i.kind == "categorical"]
    assert all(3 <= n <= 5 for n in categorical)
    assert 1e7 <= math.prod(sizes) <= 1e9


def test_line_of_control_is_numeric_with_the_late_2023_status_quo(scenario: Scenario) -> None:
    line = scenario.issue("line_of_control")
    assert line.kind == "numeric"
    assert line.range is not None and line.grid is not None
    assert 8 <= len(line.grid) <= 10
    assert line.grid == sorted(line.grid)
    assert all(line.range[0] <= x <= line.range[1] for x in line.grid)
    assert line.status_quo == pytest.approx(18.0)  # ~18% Russian-held, NYT/ISW (TERR23)
    assert 0 in line.grid and 18 in line.grid


def test_ids_are_snake_case(scenario: Scenario) -> None:
    ids = [p.id for p in scenario.parties] + [i.id for i in scenario.issues]
    ids += [o for i in scenario.issues for o in i.option_ids]
    assert [x for x in ids if not SNAKE.match(x)] == []


def test_every_status_quo_is_the_state_on_the_scenario_date(scenario: Scenario) -> None:
    for issue in scenario.issues:
        if issue.kind == "categorical":
            option = next(o for o in issue.option_list if o.id == issue.status_quo)
            assert option.label is not None and "2023-12-21" in option.label, issue.id


def test_later_options_are_marked_as_such(scenario: Scenario) -> None:
    """An option known only from 2024-25 documents says so in its label."""
    for issue in scenario.issues:
        for option in issue.option_list:
            years = [source_year(scenario, s) for s in option.sources]
            if option.sources and all(y is not None and y >= 2024 for y in years):
                assert option.label is not None
                assert re.search(r"\[20(24|25)", option.label), (issue.id, option.id)


def test_values_cover_every_option_for_every_party(scenario: Scenario) -> None:
    issue_ids = {i.id for i in scenario.issues}
    for party_id, prefs in scenario.preferences.items():
        assert set(prefs.weights) == issue_ids, party_id
        assert set(prefs.values) == issue_ids, party_id
        for issue in scenario.issues:
            spec = prefs.values[issue.id]
            if issue.kind == "categorical":
                assert isinstance(spec, dict)
                assert set(spec) == set(issue.option_ids), (party_id, issue.id)
            else:
                assert isinstance(spec, list)
                assert [x for x, _ in spec] == sorted(x for x, _ in spec), (party_id, issue.id)


def basis_keys_required(prefs: Preferences) -> Iterator[str]:
    yield "weights"
    yield from (issue for issue, weight in prefs.weights.items() if point_value(weight) > 0)
    if prefs.red_lines:
        yield "red_lines"
    if prefs.no_deal is not None:
        yield "no_deal"
    if prefs.reservation is not None:
        yield "reservation"


def test_every_number_has_a_basis(scenario: Scenario) -> None:
    missing = [
        (party_id, key)
        for party_id, prefs in scenario.preferences.items()
        for key in basis_keys_required(prefs)
        if key not in prefs.basis
    ]
    assert missing == []
    for prefs in scenario.preferences.values():
        for basis in prefs.basis.values():
            assert basis.sources or (basis.assumption and basis.assumption.strip())


def test_every_party_has_a_value_of_no_deal(scenario: Scenario) -> None:
    for party in scenario.parties:
        prefs = scenario.preferences[party.id]
        if party.has_veto:
            assert prefs.no_deal is not None and prefs.reservation is None, party.id
        assert (prefs.no_deal is None) != (prefs.reservation is None), party.id
    for party_id, value in reservation_values(scenario).items():
        assert 0 <= value <= 100, party_id


def cited_source_ids(scenario: Scenario) -> Iterator[tuple[str, str]]:
    for party in scenario.parties:
        yield from ((f"party {party.id}", s) for s in party.sources)
    for issue in scenario.issues:
        yield from ((f"issue {issue.id}", s) for s in issue.sources)
        for option in issue.option_list:
            yield from ((f"option {issue.id}.{option.id}", s) for s in option.sources)
    for party_id, prefs in scenario.preferences.items():
        yield from ((f"preferences {party_id}", s) for s in prefs.sources)
        for key, basis in prefs.basis.items():
            yield from ((f"basis {party_id}.{key}", s) for s in basis.sources)


def test_every_cited_source_exists_and_is_complete(scenario: Scenario) -> None:
    known = {s.id for s in scenario.sources}
    assert len(known) == len(scenario.sources)
    assert [(where, s) for where, s in cited_source_ids(scenario) if s not in known] == []
    assert "NATION23" in known
    for source in scenario.sources:
        assert source.title and source.url and source.date and source.reliability, source.id


def test_every_listed_source_is_used(scenario: Scenario) -> None:
    used = {s for _, s in cited_source_ids(scenario)}
    assert sorted({s.id for s in scenario.sources} - used) == []


@pytest.mark.parametrize(
    ("party", "issue", "option"),
    [
        # Ukraine, late 2023: no de jure recognition of any annexation.
        ("ukraine", "crimea_sevastopol", "de_jure_russian"),
        ("ukraine", "recognition_form", "de_jure_international"),
        # Russia: no NATO membership, no return of Crimea.
        ("russia", "alliance_status", "nato_path_open"),
        ("russia", "crimea_sevastopol", "returned_to_ukraine"),
    ],
)
def test_stated_red_lines(scenario: Scenario, party: str, issue: str, option: str) -> None:
    red = scenario.preferences[party].red_lines[issue]
    assert isinstance(red, list) and option in red


def red_line_options(prefs: Preferences, issue: Issue) -> list[str | float]:
    red = prefs.red_lines.get(issue.id)
    if red is None:
        return []
    if isinstance(red, list):
        return red
    grid = issue.grid or []
    return [
        x
        for x in grid
        if (red.above is not None and x > red.above) or (red.below is not None and x < red.below)
    ]


def test_red_lines_are_the_least_valued_options(scenario: Scenario) -> None:
    """A party never values an option it refuses above one it would accept."""
    for party_id, prefs in scenario.preferences.items():
        for issue in scenario.issues:
            red = red_line_options(prefs, issue)
            spec = prefs.values[issue.id]
            if not red or not isinstance(spec, dict):
                continue
            allowed = [point_value(v) for o, v in spec.items() if o not in red]
            refused = [point_value(spec[str(o)]) for o in red]
            assert max(refused) <= min(allowed), (party_id, issue.id)


def test_documentation_covers_every_party_issue_and_option(scenario: Scenario) -> None:
    text = DOC.read_text(encoding="utf-8")
    names = [p.id for p in scenario.parties] + [i.id for i in scenario.issues]
    names += [o for i in scenario.issues for o in i.option_ids]
    assert [n for n in names if f"`{n}`" not in text] == []


def test_documentation_cites_only_known_sources(scenario: Scenario) -> None:
    """The explanation cites scenario sources as [ID] or [ID1, ID2]."""
    text = DOC.read_text(encoding="utf-8")
    known = {s.id for s in scenario.sources}
    groups = re.findall(r"\[([A-Z][A-Z0-9_]*(?:, [A-Z][A-Z0-9_]*)*)\]", text)
    cited = {key for group in groups for key in group.split(", ")}
    assert len(cited) >= 20
    assert sorted(cited - known) == []


def test_bibliography_lists_every_source(scenario: Scenario) -> None:
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    assert [s.id for s in scenario.sources if s.id not in text] == []
