"""The ``commitment:`` section: bad entries are reported at their place in the file."""

from __future__ import annotations

import pytest

from ceasefire.scenario import parse_scenario
from tests.commitment.scenarios import FORMAL, truce
from tests.scenario.test_load import line_of, problems

TEXT = truce(FORMAL).text


def test_the_constructed_scenario_loads() -> None:
    scenario = parse_scenario(TEXT, "truce.yaml").scenario
    assert scenario.commitment is not None
    assert scenario.commitment.hazard.defaults == "fortna2003"


@pytest.mark.parametrize(
    ("old", "new", "fragment", "message"),
    [
        ("buffer.dmz:", "buffer.moat:", "buffer.moat", "'moat' is not an option of 'buffer'"),
        ("buffer.dmz:", "bufer.dmz:", "bufer.dmz", "names no issue"),
        ("buffer.dmz:", "buffer:", "buffer: {mechanism", "give 'issue.option'"),
        ("mechanism: dmz", "mechanism: moat", "mechanism: moat", "no mechanism 'moat'"),
        ("defaults: fortna2003", "defaults: fortna1999", "fortna1999", "no defaults table"),
        ("sources: [FORTNA03]}}\n      monitoring", "sources: [FORTNA3]}}\n      monitoring",
         "[FORTNA3]", "unknown source"),
        ("{mechanism: dmz, basis: {sources: [FORTNA03]}}", "{mechanism: dmz}", "buffer.dmz",
         "missing field 'basis'"),
        ("{mechanism: dmz, basis", "{mechanism: dmz, ratio: 0.3, basis", "buffer.dmz",
         "either 'ratio' or 'mechanism'"),
        ("horizon_months: 60", "horizon_months: 0", "horizon_months", "greater than or equal"),
        ("horizon_months: 60", "horizon_month: 60", "horizon_month", "unknown field"),
    ],
)  # fmt: skip
def test_bad_commitment_entries_are_located(
    old: str, new: str, fragment: str, message: str
) -> None:
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    found = problems(text)
    assert any(line == line_of(text, fragment) and message in m for line, _, m in found), found


@pytest.mark.parametrize(
    ("extra", "fragment", "message"),
    [
        ("  compliance:\n    line.north_withdraws: {by: west, p: 0.5, basis: {assumption: x}}\n",
         "by: west", "unknown party 'west'"),
        ("  compliance:\n    line.north_withdraws: {by: north, p: 1.5, basis: {assumption: x}}\n",
         "p: 1.5", "outside [0, 1]"),
        ("  renewed_war:\n    shift: {east: {value: 1, basis: {assumption: x}}}\n", "east:",
         "unknown party 'east'"),
        ("  renewed_war:\n    caps: {line.north_withdraws: {party: north, forces: 1, "
         "basis: {assumption: x}}}\n", "caps:", "need a war: section"),
        ("  renewed_war:\n    reconstitution_months: 12\n", "reconstitution_months",
         "needs a basis entry"),
    ],
)  # fmt: skip
def test_bad_compliance_and_renewed_war_are_located(
    extra: str, fragment: str, message: str
) -> None:
    text = TEXT + extra
    found = problems(text)
    assert any(line == line_of(text, fragment) and message in m for line, _, m in found), found
