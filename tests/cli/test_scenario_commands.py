"""The scenario commands: validate, scenarios, schema; exit codes and clean errors."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.scenario import bundled_scenarios

runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "ceasefire", *args], capture_output=True, text=True, check=False
    )


def test_validate_ok(toy_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(toy_path)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_validate_reports_every_file_and_exits_1(tmp_path: Path, toy_text: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(toy_text.replace("role: belligerent", "role: fighter", 1))
    worse = tmp_path / "worse.yaml"
    worse.write_text("a: [1, 2\n")
    result = run("validate", str(bad), str(worse))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"{bad}:11:") for line in lines), lines
    assert any(line.startswith(f"{worse}:2:") for line in lines), lines
    assert "Traceback" not in result.stderr


def test_missing_file_exits_1_without_traceback(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2() -> None:
    assert run("validate").returncode == 2
    assert run("no-such-command").returncode == 2


def test_scenarios_lists_the_bundled_ids() -> None:
    result = runner.invoke(app, ["scenarios"])
    assert result.exit_code == 0
    for scenario_id in bundled_scenarios():
        assert scenario_id in result.output


def dates_as_strings(data: Any) -> Any:
    """``as_of`` and the record's dates as the strings JSON would carry."""
    if isinstance(data, dict):
        return {key: dates_as_strings(value) for key, value in data.items()}
    if isinstance(data, list):
        return [dates_as_strings(value) for value in data]
    return data.isoformat() if isinstance(data, dt.date) else data


def test_schema_is_a_json_schema_that_accepts_the_bundled_scenarios() -> None:
    from ruamel.yaml import YAML

    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in bundled_scenarios().values():
        data = YAML(typ="safe", pure=True).load(path.read_text())
        data = dates_as_strings(data)  # YAML dates are dates; JSON Schema sees strings
        errors = list(validator.iter_errors(data))
        assert not errors, (path.name, errors[:3])


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_bundled_scenarios_validate(name: str) -> None:
    result = runner.invoke(app, ["validate", str(bundled_scenarios()[name])])
    assert result.exit_code == 0, result.output
