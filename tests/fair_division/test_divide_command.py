"""``ceasefire divide``: CSV and scenario inputs, the JSON contract, positioned errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from tests.fair_division import DATA

runner = CliRunner()


def divide_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["divide", "--json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_csv_json_contract() -> None:
    document = divide_json(str(DATA / "bob_carol.csv"))
    assert document["parties"] == ["Carol", "Bob"]
    assert document["split"] == "Retirement Account"
    assert document["totals"]["Carol"] == pytest.approx(170 / 3)
    assert document["properties"] == {
        "envy_free": True,
        "equitable": True,
        "at_most_one_split": True,
        "efficient": True,
    }
    assert {"ceasefire_version", "scenario_sha256"} <= set(document["provenance"])
    shares = {e["item"]: e["share"]["Bob"] for e in document["items"]}
    assert shares["Retirement Account"] == pytest.approx(1 / 6)


def test_summary_names_the_split_item() -> None:
    result = runner.invoke(app, ["divide", str(DATA / "bob_carol.csv")])
    assert result.exit_code == 0, result.output
    assert "Split item: Retirement Account" in result.stdout


def test_bundled_scenario_weights_are_the_points() -> None:
    """toy-border: North's weights 0.7/0.3, South's 0.5/0.5; North wins the border, South the
    troops; North leads 70 to 50 and gives South 1/6 of the border: both get 58 1/3."""
    document = divide_json("toy-border")
    points = {e["item"]: e["points"] for e in document["items"]}
    assert points == {
        "border": {"north": 70.0, "south": 50.0},
        "troops": {"north": 30.0, "south": 50.0},
    }
    assert document["split"] == "border"
    assert document["totals"]["north"] == pytest.approx(175 / 3)
    assert document["best_options"]["border"] == {"north": "south_line", "south": "north_line"}
    assert len(document["assumptions"]) == 2


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "points.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("item,A,B\nx,50,abc\ny,50,50\n", ":2:6: B: not a number: 'abc'"),
        ("item,A,B\nx,50,50\nx,50,50\n", ":3:1: 'x' repeats the name on line 2"),
        ("item,A,B\nx,50,50\ny,40,50\n", ":3:3: A's points sum to 90; they must sum to 100"),
        ("item,A,B\nx,50\n", ":2:1: expected 3 cells, found 2"),
        ("item,A,B\nx,-5,50\ny,105,50\n", ":2:3: A: must be >= 0, not -5"),
        ("", ":1:1: the file is empty"),
    ],
)
def test_bad_csv_gives_positioned_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    result = runner.invoke(app, ["divide", path])
    assert result.exit_code == 1
    assert f"{path}{expected}" in result.stderr
    assert "Traceback" not in result.output


def test_a_scenario_without_two_belligerents_is_refused(tmp_path: Path, toy_text: str) -> None:
    text = toy_text.replace("role: belligerent\n    veto: true", "role: mediator\n    veto: true")
    path = tmp_path / "one.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["divide", str(path)])
    assert result.exit_code == 1
    assert "exactly two belligerents; found 1" in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["divide", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "nope.csv:1:1:" in result.stderr


def test_a_scenarios_division_reads_as_names() -> None:
    """Issue 17, defect 6: party and issue names in the terminal, never their ids."""
    result = runner.invoke(app, ["divide", "toy-border"])
    assert result.exit_code == 0, result.output
    assert "North pts" in result.stdout and "Border line" in result.stdout
    assert "north pts" not in result.stdout and "Split item: Border line" in result.stdout
