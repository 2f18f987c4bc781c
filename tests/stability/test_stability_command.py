"""``ceasefire stability``: the JSON contract, the schema, the figure and positioned errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.report.stability_figures import state_transition_graph
from tests.stability import DATA

runner = CliRunner()


def stability_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["stability", "--json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_json_contract() -> None:
    document = stability_json(str(DATA / "cuban_missile_crisis.yaml"))
    assert {"states", "table", "equilibria", "moves", "ranking", "provenance"} <= set(document)
    n = len(document["states"])
    assert [row["state"] for row in document["table"]] == list(range(1, n + 1))
    dms = [dm["id"] for dm in document["decision_makers"]]
    for row in document["table"]:
        assert set(row["stable"]) == set(dms)
        for marks in row["stable"].values():
            assert set(marks) == {"nash", "gmr", "smr", "seq"}
    # every equilibrium is stable for every DM in the table
    for concept, states in document["equilibria"].items():
        for state in states:
            assert all(document["table"][state - 1]["stable"][dm][concept] for dm in dms)
    figure = state_transition_graph(document)
    assert figure.data[-1].text == tuple(str(s) for s in range(1, n + 1))


def test_summary_and_status_quo() -> None:
    result = runner.invoke(app, ["stability", str(DATA / "prisoners_dilemma.yaml")])
    assert result.exit_code == 0, result.output
    assert "Equilibria (GMR, G): 1, 4" in result.stdout
    assert "From the status quo, state 1" in result.stdout


def test_schema() -> None:
    result = runner.invoke(app, ["stability", "--schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "decision_makers" in schema["properties"]


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


BASE = """\
stability_version: 1
id: t
title: T
decision_makers:
  - id: a
    options: [{id: x}]
  - id: b
    options: [{id: y}]
preferences:
  a: {ranking: [1, 2, 3, 4]}
  b: {priorities: ["y"]}
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "ranking: [1, 2, 3, 4]",
            "ranking: [1, 2, 3]",
            ":10:16: preferences.a.ranking: states not ranked: 4",
        ),
        (
            "ranking: [1, 2, 3, 4]",
            "ranking: [1, 2, 3, 9]",
            ":10:26: preferences.a.ranking[3]: no state 9",
        ),
        (
            'priorities: ["y"]',
            'priorities: ["y & z"]',
            ":11:20: preferences.b.priorities[0]: unknown option 'z'",
        ),
        ("title: T", "title: T\ncolour: red", ":4:1: colour: unknown field 'colour'"),
        (
            "options: [{id: y}]",
            "options: [{id: x}]",
            ":8:20: decision_makers[1].options[0].id: duplicate option id 'x'",
        ),
    ],
)
def test_bad_models_give_positioned_errors(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = write(tmp_path, BASE.replace(old, new))
    result = runner.invoke(app, ["stability", path])
    assert result.exit_code == 1, result.output
    assert f"{path}{expected}" in result.stderr
    assert "Traceback" not in result.output


def test_irreversible_option_cannot_be_undone(tmp_path: Path) -> None:
    text = BASE.replace("options: [{id: x}]", "options: [{id: x, reversibility: forward}]")
    document = stability_json(write(tmp_path, text))
    a_moves = {(m["from"], m["to"]) for m in document["moves"] if m["dm"] == "a"}
    assert a_moves == {(1, 2), (3, 4)}  # x can be taken (state 1 -> 2) but never undone


def test_from_a_scenario_with_control() -> None:
    """toy-border with North controlling the border and South the troop ceiling: each moves its
    issue to its own best option (south_line; 0 troops), which is the only equilibrium, reached
    from the status quo in two improvements."""
    document = stability_json(
        "toy-border", "--control", "border=north", "--control", "troops=south"
    )
    assert document["control"] == {"border": "north", "troops": "south"}
    assert len(document["states"]) == 3 * 5
    (eq,) = document["equilibria"]["nash"]
    options = document["states"][eq - 1]["options"]
    assert options["border.south_line"] and options["troops.0"]
    assert all(document["equilibria"][c] == [eq] for c in ("gmr", "smr", "seq"))
    path = document["status_quo"]["paths"][str(eq)]
    assert [step["dm"] for step in path] in (["north", "south"], ["south", "north"])
    # North's red line (north_line) ranks every state with it below all others for North.
    north = document["ranking"]["north"]
    with_red = [s["state"] for s in document["states"] if s["options"]["border.north_line"]]
    assert set(north[-len(with_red) :]) == set(with_red)


@pytest.mark.parametrize(
    ("control", "message"),
    [
        (["nope=north", "troops=south"], "no issue 'nope'"),
        (["border=north", "troops=nobody"], "no party 'nobody'"),
        (["border=north"], "at least two parties"),
    ],
)
def test_bad_control_is_refused(control: list[str], message: str) -> None:
    args = [a for c in control for a in ("--control", c)]
    result = runner.invoke(app, ["stability", "toy-border", *args])
    assert result.exit_code == 1
    assert message in result.stderr


def test_too_many_states_is_refused(tmp_path: Path) -> None:
    options = ", ".join(f"{{id: o{k}}}" for k in range(11))  # with b's option: 2^12 = 4096 states
    text = BASE.replace("options: [{id: x}]", f"options: [{options}]")
    result = runner.invoke(app, ["stability", write(tmp_path, text)])
    assert result.exit_code == 1
    assert "4,096 feasible states; at most 1,024" in result.stderr
