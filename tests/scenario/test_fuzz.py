"""Fuzzing: hostile variants of the bundled scenarios end in a result or in located errors.

Each example mutates a bundled scenario's YAML text (deleted keys, values of the wrong type, huge,
tiny, infinite and NaN numbers, unicode and control characters, deep nesting, tags, directives,
encodings, duplicate keys, aliases; see :func:`tests.strategies.hostile_scenario_files`), then
validates and analyses it in-process with few Monte Carlo samples. The only acceptable outcomes
are a result or a :class:`ScenarioError` whose every line is ``FILE:LINE:COL: message``; any other
exception, and any RuntimeWarning (numpy overflow), fails.

In the suite it runs 40 examples (about half a minute); ``make fuzz`` runs thousands
(``CEASEFIRE_FUZZ_EXAMPLES=N``).
"""

from __future__ import annotations

import os
import re
import warnings

from hypothesis import HealthCheck, given, settings

from ceasefire.analysis import analyze
from ceasefire.scenario import ScenarioError, bundled_scenarios, parse_scenario
from tests.strategies import hostile_scenario_files

NAME = "fuzz.yaml"
LOCATED = re.compile(r"^fuzz\.yaml:[1-9]\d*:[1-9]\d*: \S.*$")
BUNDLED = {name: path.read_text(encoding="utf-8") for name, path in bundled_scenarios().items()}
EXAMPLES = int(os.environ.get("CEASEFIRE_FUZZ_EXAMPLES", "40"))


def outcome(raw: bytes | str) -> list[str]:
    """Validate and analyse: [] for a result, else the problem lines."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            loaded = parse_scenario(raw, NAME)
            analysis = analyze(loaded, samples=8)
            analysis.to_dict(max_frontier=10)
        except ScenarioError as error:
            return str(error).splitlines()
    return []


@settings(
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_scenario_files(BUNDLED))
def test_hostile_scenarios_give_a_result_or_located_errors(raw: bytes | str) -> None:
    problems = outcome(raw)
    assert all(LOCATED.match(line) for line in problems), problems


def test_the_bundled_scenarios_themselves_give_results() -> None:
    for text in BUNDLED.values():
        assert outcome(text) == []
