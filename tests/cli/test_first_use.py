"""What a first-time user of each command met, and what they expected instead.

Each test failed before its fix: ``stability`` answered a bundled id or a scenario file without
``--control`` with "No such file" or a list of unknown fields, and its table named decision makers
by id and gave no key to the Y/N patterns.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.scenario import bundled_scenarios
from ceasefire.scenario.labels import Labels
from tests.cli.test_usability import run

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


def test_analyze_cuts_no_name_at_80_columns() -> None:
    """Party names and concept names are whole (wrapped, never cut to ``energy_consum…`` or
    ``Kalai–Smorodin``/``sky``); a ties row appears only when a concept has ties."""
    result = run("analyze", str(ROOT / "tests" / "data" / "genius" / "anac2011-Energy"))
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    assert "Kalai–Smorodinsky" in result.stdout
    assert "utilitarian" in result.stdout  # the last column, not cut off at the edge
    assert not re.search(r"(?m)^\s*ties\b", result.stdout)


def test_the_beliefs_tables_have_whole_headers_at_80_columns() -> None:
    result = run(
        "analyze",
        "russia-ukraine-2023-12",
        "--samples",
        "100",
        "--worlds",
        "8",
        "--particles",
        "10",
    )
    assert result.returncode == 0, result.stderr
    beliefs = result.stdout[result.stdout.index("Under the parties' own beliefs") :]
    assert "…" not in beliefs
    front = beliefs[beliefs.index("What each side expects of the front") :]
    header = " ".join(front.splitlines()[:8])
    assert "expected line" in header and "hurting" in header
    assert "Expected line: the side's expectation" in beliefs.replace("\n", " ")


def test_divide_on_a_scenario_shows_its_title_and_what_winning_means() -> None:
    result = runner.invoke(app, ["divide", "toy-border"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Adjusted Winner: A two-issue border dispute" in text
    assert "bundled/toy-border.yaml" not in text
    assert "Points each gets, by its own count: North 58.33, South 58.33." in text
    assert "Border line — North: The southern ridge, South: north line" in text


def test_divide_on_a_table_names_the_file() -> None:
    path = ROOT / "tests" / "data" / "fair_division" / "bob_carol.csv"
    result = runner.invoke(app, ["divide", str(path)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "bob_carol.csv" in text
    assert "Points each gets, by its own count: Carol 56.67, Bob 56.67." in text


def test_the_command_list_shows_no_markup() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "``" not in result.stdout
    assert "(with --set: as changed)" in " ".join(result.stdout.split())


def test_without_a_zone_the_reason_is_given_once_and_by_name() -> None:
    result = runner.invoke(
        app,
        ["analyze", "iran-iraq-1982", "--samples", "100", "--worlds", "4", "--particles", "5"],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert text.count("Why:") == 1
    assert "Why: every option of issue Saddam Hussein's government crosses" in text
    assert "saddam_regime" not in text and "iran's red line" not in text


def test_quoted_ids_become_names_and_other_words_stay() -> None:
    from ceasefire.cli.analyze import with_names
    from ceasefire.scenario import load_scenario

    labels = Labels(load_scenario(bundled_scenarios()["toy-border"]).scenario)
    assert with_names("issue 'border' and 'south' but 'other'", labels) == (
        "issue Border line and South but 'other'"
    )


def test_backtest_cuts_no_heading_in_a_narrow_terminal() -> None:
    args = ("backtest", "iran-iraq-1982", "--samples", "30", "--no-progress")
    narrow = run(*args, columns=80)
    assert narrow.returncode == 0, narrow.stderr
    assert "…" not in narrow.stdout
    for heading in ("first ripe month", "error (months)", "Brier, always 0.5", "agreed package"):
        assert heading in narrow.stdout
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(ROOT / "src")
    piped = subprocess.run(
        [sys.executable, "-m", "ceasefire", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )
    assert piped.returncode == 0, piped.stderr
    assert "…" not in piped.stdout
    # one table across cases: the case and its numbers on one line
    assert any("iran-iraq-1982" in line and "0.250" in line for line in piped.stdout.splitlines())


def test_war_opens_with_the_scenario_title() -> None:
    result = runner.invoke(
        app, ["war", "iran-iraq-1982", "--samples", "50", "--months", "2", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    first = " ".join(result.stdout.split("The front")[0].split())
    assert first.startswith("Iran-Iraq cease-fire terms as of 13 July 1982")
    assert "(iran-iraq-1982, as of 1982-07-13): 50 samples, seed 0, patrons' aid x1" in first


def test_a_variant_that_closes_the_zone_is_reported_not_a_crash() -> None:
    """A what-if without a zone of agreement (no Nash package) used to end in an internal error."""
    result = runner.invoke(
        app,
        [
            "variants",
            "toy-border",
            "--set",
            "preferences.south.reservation=45",
            "--set",
            "preferences.north.weights.border=0.4",
        ],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert text.startswith("A two-issue border dispute (toy-border): 2 variants")
    assert "zone of agreement yes yes no" in text
    assert "North: utility of the Nash package 70.0 70.0 —" in text
    assert "Holds under the stated preferences" in text
    document = json.loads(
        runner.invoke(
            app,
            ["variants", "toy-border", "--set", "preferences.north.weights.border=0.4", "--json"],
        ).stdout
    )
    (variant,) = document["variants"]
    assert variant["headline"]["zopa"] is False
    assert variant["headline"]["nash.north"] is None and variant["nash_changes"] is None


def test_the_genius_import_summary_gives_reservations_on_both_scales(tmp_path: Path) -> None:
    exported = runner.invoke(app, ["export-genius", "toy-border", str(tmp_path / "toy")])
    assert exported.exit_code == 0, exported.output
    result = runner.invoke(app, ["import-genius", str(tmp_path / "toy")])
    assert result.exit_code == 0, result.output
    assert "north (north.xml): reservation 0.55 (= 55 on the scenario's 0-100 scale)" in (
        result.stderr
    )


def test_serve_on_a_port_in_use_says_so_and_exits_1(tmp_path: Path) -> None:
    """uvicorn's own exit code for a port in use is 3, which the command line keeps for bugs."""
    pytest.importorskip("uvicorn")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--db", str(tmp_path / "x.db"), "--port", str(port))
    assert result.returncode == 1, result.stderr
    assert f"127.0.0.1:{port}: the web app could not start" in result.stderr
    assert "give another --port" in result.stderr
    assert "Address already in use" in result.stderr
    assert "Traceback" not in result.stderr
    # The address was announced before the bind failed, as if the app were up.
    assert "ceasefire web app on" not in result.stdout + result.stderr


def test_forecast_says_when_it_leaves_rounds_out() -> None:
    path = ROOT / "tests" / "data" / "bdm" / "emission_standards_bdm1994.csv"
    result = runner.invoke(app, ["forecast", str(path)])
    assert result.exit_code == 0, result.output
    assert "8 of the 11 rounds (0 to 10) shown, evenly spaced; --json gives every round." in (
        " ".join(result.stdout.split())
    )
    short = runner.invoke(app, ["forecast", str(path), "--rounds", "3"])
    assert short.exit_code == 0, short.output
    assert "rounds (0 to" not in short.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["negotiate", "toy-border"], "fixed reservation values, as the scenario states them"),
        (
            ["negotiate", "korea-1951", "--seed", "3", "--rounds", "4"],
            "follow one simulated path of the war model, one month a round (seed 3)",
        ),
        (
            ["tournament", "toy-border", "--runs", "1", "--strategies", "boulware,conceder"],
            "fixed reservation values",
        ),
    ],
)
def test_negotiations_say_under_which_assumptions_they_hold(args: list[str], expected: str) -> None:
    result = runner.invoke(app, [*args, *(["--no-progress"] if args[0] == "tournament" else [])])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Holds under the stated preferences and red lines" in text
    assert expected in text
    assert "A simulation of tactics, not a forecast of the talks." in text


def test_war_headings_are_whole_and_the_output_states_its_assumptions() -> None:
    result = run("war", "iran-iraq-1982", "--samples", "30", "--months", "60", "--no-progress")
    assert result.returncode == 0, result.stderr
    words = set(result.stdout.split())
    assert "casualties" in words and "P(escalation)" in words
    assert not {"casualtie", "P(escalati", "s", "on)"} & words
    text = " ".join(result.stdout.split())
    assert "Every 2 months shown; --json or --csv gives every month." in text
    assert (
        "Holds under the war model's parameters as the scenario states them as of 1982-07-13"
        in (text)
    )


BROKEN_STRATEGIES = """
from ceasefire.negotiation.strategy import Strategy, View


class Boom(Strategy):
    name = "boom"

    def propose(self, view: View):
        raise ValueError("oops")


class Short(Strategy):
    name = "short"

    def propose(self, view: View):
        return [0]


class Half(Strategy):
    name = "half"

    def target(self, view: View) -> float:
        return (min(view.floor, view.ideal) + view.ideal) / 2
"""


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        (
            "north=broken:Boom",
            "strategy 'boom' of party 'north' failed in round 1 (propose): ValueError: oops",
        ),
        (
            "south=broken:Short",
            "strategy 'short' of party 'south' failed in round 2 (propose): ValueError: a package "
            "has one option index per issue (2); got shape (1,)",
        ),
    ],
)
def test_a_failing_strategy_is_named_with_its_round(
    tmp_path: Path, strategy: str, expected: str
) -> None:
    """It used to read as a bad option value ("Invalid value for '--strategy': oops", exit 2)."""
    (tmp_path / "broken.py").write_text(BROKEN_STRATEGIES, encoding="utf-8")
    result = run("negotiate", "toy-border", "--strategy", strategy, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert expected in " ".join(result.stderr.split())
    assert "Invalid value" not in result.stderr and "Traceback" not in result.stderr


def test_a_tournament_plays_a_strategy_from_a_module(tmp_path: Path) -> None:
    """``--strategies module:Class`` ended in an internal error: the class was looked up again
    by its bare name, which no registry knows."""
    (tmp_path / "broken.py").write_text(BROKEN_STRATEGIES, encoding="utf-8")
    args = ("tournament", "toy-border", "--runs", "1", "--no-progress", "--json", "--strategies")
    result = run(*args, "broken:Half,boulware", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ranked = {row["strategy"] for row in json.loads(result.stdout)["ranking"]}
    assert ranked == {"broken:Half", "boulware"}
    failing = run(*args, "broken:Boom,boulware", cwd=tmp_path)
    assert failing.returncode == 1, failing.stderr
    assert "strategy 'boom' of party" in failing.stderr and "ValueError: oops" in failing.stderr


def test_scenarios_lists_ids_whole_and_as_json() -> None:
    narrow = run("scenarios", columns=80)
    assert narrow.returncode == 0, narrow.stderr
    for scenario_id in bundled_scenarios():
        assert re.search(rf"│ {re.escape(scenario_id)}\s", narrow.stdout), scenario_id
    result = runner.invoke(app, ["scenarios", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert set(rows) == set(bundled_scenarios())
    assert "war" in rows["korea-1951"]["sections"] and "record" in rows["korea-1951"]["sections"]
    assert rows["toy-border"]["sections"] == ["proposals"]
    assert rows["toy-border"]["title"] == "A two-issue border dispute"


@pytest.mark.parametrize(
    ("command", "change", "expected"),
    [
        (
            "analyze",
            "preferences.nrth.no_deal.cost=3",
            "--set preferences.nrth.no_deal.cost: not a number in this scenario (no 'nrth'); "
            "did you mean 'north'? (there: north, south)",
        ),
        (
            "variants",
            "preferences.north.weights.bordr=0.3",
            "(no 'bordr'); did you mean 'border'? (there: border, troops)",
        ),
        (
            "validate",
            "preferences.north.nodeal.cost=3",
            "toy-border: --set preferences.north.nodeal.cost: not a number in this scenario "
            "(no 'nodeal'); did you mean 'no_deal'?",
        ),
        ("analyze", "foo.bar=1", "(no 'foo') (there: schema_version, id, title"),
    ],
)
def test_a_mistyped_set_path_gets_a_suggestion(command: str, change: str, expected: str) -> None:
    result = runner.invoke(app, [command, "toy-border", "--set", change])
    assert result.exit_code == 1, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_a_genius_domain_shows_no_placeholder_date() -> None:
    """Genius files carry no date: the headline said "as of 1970-01-01"."""
    result = runner.invoke(app, ["analyze", str(GENIUS)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "(anac2010-travel, a Genius domain: no date)" in text
    assert "1970" not in text
    assert "The status quo of a Genius domain is each issue's first value" in text
    toy = runner.invoke(app, ["analyze", "toy-border"])
    assert "(toy-border, as of 2024-01-01)" in toy.stdout and "Genius" not in toy.stdout


@pytest.mark.parametrize("command", sorted(typer.main.get_command(app).commands))  # type: ignore[attr-defined]
def test_help_shows_no_value_after_a_flag(command: str) -> None:
    # Typer's rich help printed "<bool>" after every flag (--json, --help) as if it took a value.
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    help_row = next(line for line in result.output.splitlines() if "--help" in line)
    assert re.search(r"--help\s+Show this message and exit\.", help_row), help_row


def test_help_still_shows_the_type_of_an_option_that_takes_a_value() -> None:
    result = runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "200"})
    samples = next(line for line in result.output.splitlines() if "--samples" in line)
    assert "<int range>" in samples
    json_row = next(line for line in result.output.splitlines() if "--json" in line)
    assert re.search(r"--json\s+Print the result as JSON\.", json_row), json_row


def test_flag_types_are_hidden_only_where_typer_asks_for_them() -> None:
    from ceasefire.cli import hide_flag_types

    class OlderOption:  # typer 0.12: no display_type_rich, booleans skipped by typer itself
        pass

    assert not hide_flag_types(OlderOption)
    assert not hasattr(OlderOption, "display_type_rich")

    class Option:
        def __init__(self, is_flag: bool) -> None:
            self.is_flag = is_flag

        def display_type_rich(self, ctx: object) -> str | None:
            return "<text>"

    assert hide_flag_types(Option)
    assert Option(is_flag=True).display_type_rich(None) is None
    assert Option(is_flag=False).display_type_rich(None) == "<text>"
