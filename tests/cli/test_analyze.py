"""``ceasefire analyze``: the JSON contract, truncation, no-ZOPA results, and agreement with brute force."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ceasefire.analysis import analyze, build_problem
from ceasefire.bargaining.bruteforce import brute_force_frontier
from ceasefire.cli import app
from ceasefire.scenario import load_scenario, parse_scenario

runner = CliRunner()

TOP_LEVEL = {
    "provenance",
    "scenario",
    "parties",
    "reservation",
    "status_quo",
    "zopa",
    "frontier",
    "solutions",
}
CONCEPTS = {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}


def analyze_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["analyze", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def check_entry(entry: dict[str, Any], issues: list[str], parties: list[str]) -> None:
    assert set(entry) <= {"package", "utilities", "more_ties"}
    assert list(entry["package"]) == issues
    assert set(entry["utilities"]) == set(parties)


@pytest.mark.parametrize("scenario", ["toy-border", "russia-ukraine-2023-12"])
def test_json_has_exactly_the_documented_shape(scenario: str) -> None:
    doc = analyze_json(scenario)
    loaded = load_scenario(f"src/ceasefire/scenario/bundled/{scenario}.yaml")
    # A war: section adds the war model's parts (see docs/explanation/war-model.md).
    war_parts = {"ripeness", "reservation_quantiles"} if loaded.scenario.war else set()
    if loaded.scenario.beliefs is not None:  # docs/explanation/beliefs.md
        war_parts.add("beliefs")
    # A commitment: section adds its entry (see docs/explanation/commitment.md).
    commitment = {"commitment"} if loaded.scenario.commitment else set()
    # Under which assumptions it holds, always; why there is no zone, only without one
    # (docs/reference/analyze-json.md).
    headline = {"assumptions"} | ({"closed_by"} if not doc["zopa"]["exists"] else set())
    assert set(doc) == TOP_LEVEL | war_parts | commitment | headline
    assert set(doc["provenance"]) == {"ceasefire_version", "scenario_sha256", "seed"}
    assert len(doc["provenance"]["scenario_sha256"]) == 64
    assert doc["provenance"]["scenario_sha256"] == loaded.sha256
    s = loaded.scenario
    assert doc["scenario"] == {
        "id": s.id,
        "as_of": s.as_of.isoformat(),
        "packages_total": math.prod(len(i.option_ids) or len(i.grid or []) for i in s.issues),
    }
    parties = [p.id for p in s.parties]
    issues = [i.id for i in s.issues]
    assert doc["parties"] == [{"id": p.id, "role": p.role, "veto": p.has_veto} for p in s.parties]
    assert set(doc["reservation"]) == set(parties)
    assert list(doc["status_quo"]["package"]) == issues
    assert set(doc["status_quo"]["utilities"]) == set(parties)
    assert set(doc["zopa"]) == {"exists", "frontier"}
    for entry in doc["frontier"] + doc["zopa"]["frontier"]:
        check_entry(entry, issues, parties)
    assert set(doc["solutions"]) == CONCEPTS
    for solution in doc["solutions"].values():
        nominal = {"nominal_utilities"} if commitment else set()
        assert set(solution) == {"package", "utilities", "ties"} | nominal
        check_entry(
            {"package": solution["package"], "utilities": solution["utilities"]}, issues, parties
        )
        assert isinstance(solution["ties"], int)
    for issue in s.issues:  # numeric options appear as numbers
        expected = (float, int) if issue.kind == "numeric" else (str,)
        assert isinstance(doc["status_quo"]["package"][issue.id], expected)


def test_solutions_are_acceptable_and_on_the_zopa_frontier() -> None:
    doc = analyze_json("russia-ukraine-2023-12")
    veto = [p["id"] for p in doc["parties"] if p["veto"]]
    zopa_packages = [e["package"] for e in doc["zopa"]["frontier"]]
    for solution in doc["solutions"].values():
        assert solution["package"] in zopa_packages
        for party in veto:
            assert solution["utilities"][party] >= doc["reservation"][party] - 1e-9


def test_frontier_is_cut_at_max_frontier() -> None:
    doc = analyze_json("toy-border", "--max-frontier", "2")
    full = analyze_json("toy-border")
    assert len(full["frontier"]) > 2
    assert len(doc["frontier"]) == 2
    assert doc["frontier_truncated"] is True
    assert doc["frontier_size"] == len(full["frontier"])
    assert "frontier_truncated" not in full


def test_without_a_zopa_every_solution_says_why(toy_text: str, tmp_path: Path) -> None:
    path = tmp_path / "hard.yaml"
    path.write_text(toy_text.replace("reservation: 40", "reservation: 95"))
    doc = analyze_json(str(path))
    assert doc["zopa"] == {"exists": False, "frontier": []}
    for solution in doc["solutions"].values():
        assert solution["package"] is None
        assert solution["reason"]
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 0
    assert "No zone of possible agreement" in result.stdout


def test_out_writes_the_same_json(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = runner.invoke(app, ["analyze", "toy-border", "--out", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text()) == analyze_json("toy-border")


def test_terminal_summary_names_parties_and_concepts() -> None:
    result = runner.invoke(app, ["analyze", "toy-border"])
    assert result.exit_code == 0
    for word in [
        "North",  # party names, option labels and issue names, not ids
        "South",
        "Nash",
        "zone of possible agreement",
        "Border line: middle line → The southern ridge",
        "Troop ceiling (thousands): 100 → 0",
    ]:
        assert word in result.stdout


def test_bad_scenario_exits_1_with_positions(toy_text: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(toy_text.replace("status_quo: 100", "status_quo: 150"))
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "150" in text)
    assert result.stderr.startswith(f"{path}:{line}:")


def test_unknown_scenario_id_exits_1() -> None:
    result = runner.invoke(app, ["analyze", "no-such-scenario"])
    assert result.exit_code == 1
    assert "russia-ukraine-2023-12" in result.stderr  # names what exists


def test_toy_zopa_matches_the_hand_computation(toy_text: str) -> None:
    # North: r = 0.7*50 + 0.3*100 - 10 = 55; South: r = 40. Only (south_line, 0) -> (70, 50) and
    # (middle_line, 75) -> (57.5, 42.5) are acceptable; the first dominates the second.
    result = analyze(parse_scenario(toy_text))
    assert result.reservation == {"north": 55.0, "south": 40.0}
    doc = result.to_dict()
    assert doc["zopa"]["frontier"] == [
        {
            "package": {"border": "south_line", "troops": 0.0},
            "utilities": {"north": 70.0, "south": 50.0},
        }
    ]
    assert doc["solutions"]["nash"]["package"] == {"border": "south_line", "troops": 0.0}


@pytest.mark.parametrize("acceptable_only", [False, True])
def test_scenario_frontier_equals_brute_force(toy_text: str, acceptable_only: bool) -> None:
    problem = build_problem(parse_scenario(toy_text).scenario)
    fast = problem.frontier(acceptable_only=acceptable_only)
    slow = brute_force_frontier(problem, acceptable_only=acceptable_only)
    expected = sorted(package for packages in slow.values() for package in packages)
    assert sorted(map(tuple, fast.packages.tolist())) == expected


def test_analysis_path_imports_no_plotting_web_or_dask() -> None:
    """Start-up is most of a small analysis: keep heavy modules off its path."""
    import subprocess
    import sys

    code = (
        "import sys; from ceasefire.cli import main; sys.argv = ['ceasefire', 'analyze', "
        "'toy-border', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('plotly', 'fastapi', 'dask', 'jinja2', 'negmas', 'scipy')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip().splitlines()[-1] == "[]"
