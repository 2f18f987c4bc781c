"""``ceasefire forecast``: CSV and scenario inputs, the China case, the JSON contract, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.report.forecast_figures import forecast_positions
from tests.forecast import DATA
from tests.forecast.oracle import condorcet_winners

runner = CliRunner()


def forecast_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["forecast", "--json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_json_contract_and_round_count() -> None:
    document = forecast_json(str(DATA / "emission_standards_bdm1994.csv"), "--rounds", "3")
    assert document["rounds"] == 3
    assert len(document["median"]) == len(document["mean"]) == len(document["positions"]) == 4
    assert document["median"][0] == 7.0
    assert set(document["positions"][0]) == {a["actor"] for a in document["actors"]}
    assert document["options"]["q"] == 1.0
    assert document["provenance"]["parameters"]["rounds"] == 3
    assert document["notes"] == ["saliences above 1 read as percentages and divided by 100"]


def test_china_case_runs() -> None:
    """[BuenoDeMesquita2002]'s 24 stakeholders on Chinese political reform (0-100 scale) run for
    ten rounds; the median of each round is a Condorcet winner among the actors' positions."""
    document = forecast_json(str(DATA / "china_democratization_bdm2002.csv"))
    import numpy as np

    actors = [a["actor"] for a in document["actors"]]
    weight = np.array([a["capability"] * a["salience"] for a in document["actors"]])
    assert len(actors) == 24 and document["rounds"] == 10
    for k, row in enumerate(document["positions"]):
        x = np.array([row[a] for a in actors])
        assert document["median"][k] in condorcet_winners(x, weight)
        assert x.min() >= 10.0 and x.max() <= 100.0
    figure = forecast_positions(document)
    assert len(figure.data) == 24 + 2


def test_summary_lists_median_and_mean() -> None:
    result = runner.invoke(app, ["forecast", str(DATA / "emission_standards_bdm1994.csv")])
    assert result.exit_code == 0, result.output
    assert "median" in result.stdout and "Assumes:" in result.stdout


CAPABLE = """\
  - id: north
    name: North
    role: belligerent
    capability: 60
    sources: [textbook]
  - id: south
    name: South
    role: belligerent
    capability: 40
    sources: [textbook]
"""


def capable_toy(tmp_path: Path, toy_text: str) -> str:
    head, rest = toy_text.split("parties:\n", 1)
    tail = rest[rest.index("issues:") :]
    path = tmp_path / "capable.yaml"
    path.write_text(head + "parties:\n" + CAPABLE + tail, encoding="utf-8")
    return str(path)


def test_scenario_numeric_issue(tmp_path: Path, toy_text: str) -> None:
    document = forecast_json(capable_toy(tmp_path, toy_text), "--rounds", "2")
    assert document["scale"]["issue"] == "troops"
    assert document["positions"][0] == {"north": 100.0, "south": 0.0}
    saliences = {a["actor"]: a["salience"] for a in document["actors"]}
    assert saliences == {"north": 0.3, "south": 0.5}


def test_scenario_ordered_categorical_issue(tmp_path: Path, toy_text: str) -> None:
    document = forecast_json(capable_toy(tmp_path, toy_text), "--issue", "border")
    assert document["positions"][0] == {"north": 2.0, "south": 0.0}
    assert document["scale"]["positions"] == "0=north_line, 1=middle_line, 2=south_line"


def test_scenario_without_capabilities_is_refused() -> None:
    result = runner.invoke(app, ["forecast", "toy-border"])
    assert result.exit_code == 1
    assert "at least two parties with a 'capability'" in result.stderr


def test_a_capability_needs_sources(tmp_path: Path, toy_text: str) -> None:
    path = capable_toy(tmp_path, toy_text)
    text = (
        Path(path)
        .read_text(encoding="utf-8")
        .replace("    capability: 60\n    sources: [textbook]\n", "    capability: 60\n", 1)
    )
    Path(path).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["forecast", path])
    assert result.exit_code == 1
    assert "needs 'sources'" in result.stderr and f"{path}:" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actor,capability,salience\na,1,50\n", ":1:1: header: no position column"),
        ("actor,capability,position,salience\na,1,2,50\na,1,3,50\n", ":3:1: 'a' repeats"),
        ("actor,capability,position,salience\na,1,2,50\nb,1,x,50\n", ":3:5: position: not a"),
        ("actor,capability,position,salience\na,1,2,150\nb,1,3,50\n", ":2:7: salience: 150"),
        ("actor,capability,position,salience\na,1,2,50\n", "at least two actors"),
    ],
)
def test_bad_csv_gives_positioned_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "actors.csv"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["forecast", str(path)])
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "Traceback" not in result.output
