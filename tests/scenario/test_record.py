"""The ``record:`` section: its checks, reported at their place, and that no analysis reads it."""

from __future__ import annotations

import re

import pytest

from ceasefire.analysis import analyze
from ceasefire.jsonable import jsonable
from ceasefire.scenario import ScenarioError, bundled_scenarios, load_scenario, parse_scenario

LOCATED = re.compile(r"^scenario\.yaml:(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
HISTORICAL = ["korea-1951", "iran-iraq-1982", "russia-ukraine-2022-03", "russia-ukraine-2023-12"]


def text_of(scenario_id: str) -> str:
    return bundled_scenarios()[scenario_id].read_text(encoding="utf-8")


def without_record(text: str) -> str:
    head, marker, _ = text.partition("\nrecord:")
    assert marker, "the bundled historical files end with their record"
    return head + "\n"


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "scenario.yaml")
    result = []
    for line in str(caught.value).splitlines():
        match = LOCATED.match(line)
        assert match, f"not FILE:LINE:COL: {line!r}"
        result.append((int(match["line"]), match["message"]))
    return result


def line_of(text: str, fragment: str, after: int = 0) -> int:
    """1-based number of the first line after line ``after`` that contains ``fragment``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if i > after and fragment in line)


@pytest.mark.parametrize("scenario_id", HISTORICAL)
def test_the_historical_cases_validate_with_a_record(scenario_id: str) -> None:
    scenario = load_scenario(bundled_scenarios()[scenario_id]).scenario
    assert scenario.record is not None and scenario.war is not None
    assert scenario.record.end > scenario.as_of


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("      supervision: neutral_nations_commission", "      oversight: neutral_nations_commission", "unknown issue 'oversight'"),
        ("      pow_repatriation: neutral_custody_voluntary", "      pow_repatriation: repatriate_some", "'repatriate_some' is not an option of 'pow_repatriation'"),
        ("      demarcation_line: 3.9", "      demarcation_line: 33.9", "33.9 is outside the range of 'demarcation_line'"),
        ("    date: 1953-07-27", "    date: 1950-07-27", "is not after as_of (1951-07-10)"),
        ("{date: 1953-03-05, what: \"Stalin dies\", sources: [FRUS52_XV]}", "{date: 1953-03-05, what: \"Stalin dies\", sources: [NOSUCH]}", "unknown source 'NOSUCH'"),
        ("      value: 3.9", "      value: 3.9\n      colour: red", "unknown field 'colour'"),
        ("    - {id: KWL_LINE, title:", "    - {id: HERMES66, title:", "duplicate source id 'HERMES66'"),
    ],
)  # fmt: skip
def test_record_problems_are_located(old: str, new: str, expected: str) -> None:
    text = text_of("korea-1951")
    assert old in text
    bad = text.replace(old, new, 1)
    found = problems(bad)
    assert any(expected in message for _, message in found), found
    first_changed = line_of(
        bad, new.splitlines()[-1].strip(), after=bad.splitlines().index("record:")
    )
    assert any(abs(line - first_changed) <= 1 for line, _ in found), (first_changed, found)


def test_casualty_sides_must_be_the_war_models() -> None:
    text = text_of("russia-ukraine-2023-12").replace(
        "values: {russia: 429660}", "values: {nato: 429660}"
    )
    found = problems(text)
    assert any("'nato' is not one of the war model's sides" in m for _, m in found), found
    assert found[0][0] == line_of(text, "values: {nato: 429660}")


def test_a_record_needs_an_end() -> None:
    text = text_of("russia-ukraine-2023-12").replace("  no_agreement_until: 2025-12-31\n", "")
    found = problems(text)
    assert any("give 'agreement' or 'no_agreement_until'" in m for _, m in found), found


def test_front_figures_need_a_war_model(toy_text: str) -> None:
    text = toy_text + (
        "record:\n"
        "  no_agreement_until: 2024-06-01\n"
        "  front:\n"
        "    - {date: 2024-03-01, value: 50, sources: [textbook]}\n"
    )
    found = problems(text)
    assert any("front figures need a 'war:' section" in m for _, m in found), found


def test_a_record_without_a_war_model_is_otherwise_fine(toy_text: str) -> None:
    text = toy_text + (
        "record:\n"
        "  agreement: {date: 2024-05-01, package: {border: middle_line}, sources: [textbook]}\n"
    )
    record = parse_scenario(text).scenario.record
    assert record is not None and record.agreement is not None


@pytest.mark.parametrize("scenario_id", ["korea-1951", "iran-iraq-1982", "russia-ukraine-2022-03"])
def test_analyze_never_reads_the_record(scenario_id: str) -> None:
    text = text_of(scenario_id)
    # Through jsonable, as the command prints it (a slack of -inf has NaN quantiles: null).
    with_record = jsonable(analyze(parse_scenario(text), samples=200, seed=3).to_dict())
    without = jsonable(analyze(parse_scenario(without_record(text)), samples=200, seed=3).to_dict())
    for document in (with_record, without):
        document["provenance"].pop("scenario_sha256")
    assert with_record == without


@pytest.mark.parametrize("scenario_id", HISTORICAL[:3])
def test_every_number_of_a_historical_case_has_a_basis(scenario_id: str) -> None:
    scenario = load_scenario(bundled_scenarios()[scenario_id]).scenario
    for party, prefs in scenario.preferences.items():
        needed = (
            {"weights"}
            | {i for i, w in prefs.weights.items() if w}
            | ({"red_lines"} if prefs.red_lines else set())
        )
        assert needed <= set(prefs.basis), (party, sorted(needed - set(prefs.basis)))
    for issue in scenario.issues:
        assert issue.sources or issue.kind == "categorical", issue.id
        for option in issue.option_list:
            assert option.sources, (issue.id, option.id)


def test_the_json_schema_describes_the_record() -> None:
    from ceasefire.scenario.model import Scenario

    schema = Scenario.model_json_schema()
    assert "record" in schema["properties"]
    record = schema["$defs"]["Record"]
    assert {"agreement", "no_agreement_until", "talks", "front", "casualties"} <= set(
        record["properties"]
    )
    assert record["additionalProperties"] is False
