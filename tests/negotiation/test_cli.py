"""``ceasefire negotiate`` and ``ceasefire tournament``: JSON contract, exit codes, determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app

runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "ceasefire", *args], capture_output=True, text=True, check=False
    )


def negotiate_json(*args: str) -> dict:
    result = runner.invoke(app, ["negotiate", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_negotiate_json_has_the_documented_shape() -> None:
    document = negotiate_json("toy-border")
    assert set(document) >= {"agreement", "transcript", "distance_to_nash", "gains", "provenance"}
    agreement = document["agreement"]
    assert set(agreement) >= {"package", "utilities", "round"}
    assert set(agreement["package"]) == {"border", "troops"}
    last = document["transcript"][-1]
    assert agreement["round"] == last["round"] == len(document["transcript"])
    assert agreement["package"] == last["package"]
    for turn in document["transcript"]:
        assert set(turn) >= {
            "round",
            "proposer",
            "package",
            "utilities",
            "reservation",
            "responses",
        }
    # Gains are utility (undiscounted here) minus the reservation value in the agreement round.
    for party, gain in document["gains"].items():
        assert gain == pytest.approx(agreement["utilities"][party] - last["reservation"][party])
    provenance = document["provenance"]
    assert len(provenance["scenario_sha256"]) == 64
    assert provenance["seed"] == 0
    assert isinstance(document["distance_to_nash"], float)


def test_proposers_follow_the_order_of_the_parties_list() -> None:
    document = negotiate_json("toy-border", "--strategy", "north=hardliner")
    proposers = [t["proposer"] for t in document["transcript"]]
    assert proposers == ["north", "south"] * (len(proposers) // 2) + ["north"] * (
        len(proposers) % 2
    )


def test_a_hardliner_facing_hardliners_breaks_down() -> None:
    document = negotiate_json("toy-border", "--default", "hardliner", "--rounds", "6")
    assert document["agreement"] is None
    assert document["distance_to_nash"] is None
    assert len(document["transcript"]) == 6
    assert all(g == 0 for g in document["gains"].values())


@pytest.mark.parametrize("protocol", ["alternating", "single-text"])
def test_negotiate_runs_on_the_bundled_scenario(protocol: str) -> None:
    document = negotiate_json("russia-ukraine-2023-12", "--protocol", protocol, "--rounds", "12")
    assert document["protocol"] == protocol
    assert len(document["transcript"]) <= 12
    if protocol == "single-text":
        assert {t["proposer"] for t in document["transcript"]} == {"mediator"}
        assert all("demands" in t for t in document["transcript"])


def test_the_terminal_output_shows_the_transcript_and_outcome() -> None:
    result = runner.invoke(app, ["negotiate", "toy-border"])
    assert result.exit_code == 0, result.output
    assert "Transcript" in result.output
    assert "Agreement in round" in result.output
    assert "Distance to the Nash package" in result.output


def test_same_seed_same_json() -> None:
    first = negotiate_json("toy-border", "--seed", "7", "--default", "tit_for_tat")
    again = negotiate_json("toy-border", "--seed", "7", "--default", "tit_for_tat")
    assert first == again


@pytest.mark.parametrize(
    "args",
    [
        ["--strategy", "north=no_such_strategy"],
        ["--strategy", "nobody=boulware"],
        ["--strategy", "north"],
        ["--default", "boulware(beta=x)"],
        ["--protocol", "shouting"],
        ["--revision", "coin_flip", "--protocol", "single-text"],
        ["--rounds", "0"],
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    result = run("negotiate", "toy-border", *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_scenario_exits_1_with_its_place(tmp_path: Path, toy_text: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(toy_text.replace("role: belligerent", "role: fighter", 1))
    for command in ("negotiate", "tournament"):
        result = run(command, str(bad), "--json")
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.startswith(f"{bad}:11:")
        assert "Traceback" not in result.stderr


def test_strategy_parameters_on_the_command_line() -> None:
    document = negotiate_json("toy-border", "--strategy", "north=boulware(beta=2)")
    assert document["strategies"] == {"north": "boulware(beta=2)", "south": "boulware"}
    assert document["provenance"]["parameters"]["strategies"]["north"] == "boulware(beta=2)"


def tournament_json(*args: str) -> dict:
    result = runner.invoke(app, ["tournament", *args, "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_tournament_plays_every_assignment_and_ranks_the_strategies() -> None:
    names = ["boulware", "conceder", "hardliner"]
    document = tournament_json("toy-border", "--strategies", ",".join(names), "--runs", "2")
    assignments = document["assignments"]
    assert len(assignments) == len(names) ** 2
    assert {tuple(a["assignment"].values()) for a in assignments} == {
        (a, b) for a in names for b in names
    }
    ranking = document["ranking"]
    assert [r["rank"] for r in ranking] == [1, 2, 3]
    assert {r["strategy"] for r in ranking} == set(names)
    gains = [r["mean_gain"] for r in ranking]
    assert gains == sorted(gains, reverse=True)
    hardliner = next(r for r in ranking if r["strategy"] == "hardliner")
    assert hardliner["agreement_rate"] == 0  # the toy's zone of agreement is one package
    assert document["provenance"]["parameters"]["runs"] == 2


def test_tournament_results_do_not_depend_on_the_worker_count() -> None:
    args = ("toy-border", "--strategies", "linear,tit_for_tat,rubinstein", "--runs", "2")
    one = tournament_json(*args, "--workers", "1")
    two = tournament_json(*args, "--workers", "2")
    assert one == two


def test_tournament_usage_errors_exit_2() -> None:
    assert run("tournament", "toy-border", "--strategies", "boulware,nope").returncode == 2
    assert run("tournament", "toy-border", "--strategies", "linear,linear").returncode == 2
    assert run("tournament", "toy-border", "--runs", "0").returncode == 2


def test_tournament_rankings_carry_a_95_percent_interval_of_the_mean_gain(toy_path: Path) -> None:
    from ceasefire import runs
    from ceasefire.scenario import bundled_scenarios, load_scenario

    document = runs.run("tournament", load_scenario(toy_path), runs=3, rounds=12).document
    for row in document["ranking"]:
        low, high = row["mean_gain_ci"]
        assert low <= row["mean_gain"] <= high
    hardliner = next(r for r in document["ranking"] if r["strategy"] == "hardliner")
    assert hardliner["mean_gain_ci"] == [0.0, 0.0]  # never agrees: no spread at all
    # Without a war model, deterministic strategies replay the same talks in every run: the
    # intervals resample whole runs, so there is no spread to show.
    assert all(r["mean_gain_ci"][0] == r["mean_gain_ci"][1] for r in document["ranking"])
    assert "cluster bootstrap over runs" in document["intervals"]
    # With a war, each run follows its own war path: intervals with a width.
    korea = runs.run(
        "tournament",
        load_scenario(bundled_scenarios()["korea-1951"]),
        runs=4,
        rounds=12,
        strategies=["boulware", "conceder"],
    ).document
    assert korea["war"]
    for row in korea["ranking"]:
        low, high = row["mean_gain_ci"]
        assert low < row["mean_gain"] < high
    one = runs.run("tournament", load_scenario(toy_path), runs=1, rounds=12).document
    assert all(r["mean_gain_ci"] is None for r in one["ranking"])  # one run: nothing to resample
