"""What a first-time user of each command met, and what they expected instead.

Each test failed before its fix: ``stability`` answered a bundled id or a scenario file without
``--control`` with "No such file" or a list of unknown fields, and its table named decision makers
by id and gave no key to the Y/N patterns.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.scenario import bundled_scenarios

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
STABILITY = ROOT / "tests" / "data" / "stability"
GENIUS = ROOT / "tests" / "data" / "genius" / "anac2010-Travel"


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        (
            "toy-border",
            "toy-border: a bundled scenario, not a stability model file: give --control",
        ),
        (str(bundled_scenarios()["toy-border"]), ":1:1: a scenario file, not a stability model"),
        (str(GENIUS), "a folder (a Genius domain?), not a stability model file: give --control"),
        ("no-such-model.yaml", "no-such-model.yaml: no such file"),
    ],
)
def test_stability_says_a_scenario_needs_control(argument: str, expected: str) -> None:
    result = runner.invoke(app, ["stability", argument])
    assert result.exit_code == 1, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert "unknown field" not in result.stderr


def test_stability_names_decision_makers_and_keys_the_patterns() -> None:
    result = runner.invoke(app, ["stability", str(STABILITY / "cuban_missile_crisis.yaml")])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "state" in line)
    assert "USSR" in header and "ussr" not in header
    assert "1. Air Strike (US); 2. Blockade (US); 3. Withdraw (USSR); 4. Escalate (USSR)" in (
        result.stdout.replace("\n", " ")
    )
    assert "Equilibria, by concept (state numbers):" in result.stdout


def test_stability_paths_from_the_status_quo_name_who_moves() -> None:
    result = runner.invoke(
        app, ["stability", "toy-border", "--control", "border=north", "--control", "troops=south"]
    )
    assert result.exit_code == 0, result.output
    assert "to 6: 3 (North) -> 6 (South)" in result.stdout
