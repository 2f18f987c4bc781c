"""The analyst's side of the command line: each defect a new user met, and what they expected.

Every test here failed before its fix: ``--json --out`` printed the JSON too, the report's rerun
line left out ``--samples``, a ``module:Class`` strategy from the current folder could not be
imported by the ``ceasefire`` command, ``validate`` refused bundled ids, ``export-genius`` dropped
the war model silently, there was no ``--version``, YAML mistakes came without a hint, the
terminal showed ids, ``nan`` and literal markup, the transcript broke ids mid-word at 80 columns
and sensitivity's progress moved in quarters.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path | None = None, columns: int = 80) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it, in a terminal ``columns`` wide."""
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "ceasefire", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=cwd,
        env=env,
    )


# ---- defect 4: --json --out FILE writes the file only ----------------------------------------


@pytest.mark.parametrize("command", ["analyze", "robust", "negotiate"])
def test_json_with_out_writes_the_file_only(command: str, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = runner.invoke(app, [command, "toy-border", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text())["provenance"]["scenario_sha256"]


def test_json_alone_still_prints_and_out_alone_still_summarises(tmp_path: Path) -> None:
    printed = runner.invoke(app, ["analyze", "toy-border", "--json"])
    assert json.loads(printed.stdout)["zopa"]["exists"] is True
    out = tmp_path / "r.json"
    summary = runner.invoke(app, ["analyze", "toy-border", "--out", str(out)])
    assert "zone of possible agreement" in summary.stdout and out.exists()


# ---- defect 3: the report's rerun line reproduces every number ---------------------------------


def test_the_report_rerun_line_names_every_option_that_changes_a_number(tmp_path: Path) -> None:
    first = tmp_path / "first.html"
    args = ["toy-border", "--samples", "300", "--seed", "4", "--no-progress"]
    changes = ["--set", "preferences.north.no_deal.cost=12"]
    result = runner.invoke(app, ["report", *args, *changes, "--out", str(first)])
    assert result.exit_code == 0, result.output
    html = first.read_text()
    line = re.search(r"Rerun with <code>(.*?)</code>", html)
    assert line is not None
    words = shlex.split(line.group(1).replace("&#39;", "'").replace("&amp;", "&"))
    assert words[:3] == ["ceasefire", "report", "toy-border"]
    assert words[words.index("--samples") + 1] == "300"
    assert words[words.index("--seed") + 1] == "4"
    assert "preferences.north.no_deal.cost=12" in words
    # Following the line gives the same report.
    second = tmp_path / "second.html"
    again = runner.invoke(app, [*words[1:], "--no-progress", "--out", str(second)])
    assert again.exit_code == 0, again.output
    assert second.read_text() == html


def test_the_rerun_line_writes_defaults_out() -> None:
    from ceasefire.defaults import MONTE_CARLO_SAMPLES, SEED
    from ceasefire.report.compose import rerun_command

    line = rerun_command("my file.yaml", samples=None, seed=None, sensitivity=True)
    assert shlex.split(line) == [
        "ceasefire",
        "report",
        "my file.yaml",
        "--samples",
        str(MONTE_CARLO_SAMPLES),
        "--seed",
        str(SEED),
        "--sensitivity",
    ]


# ---- defect 5: a strategy in the current folder, as the how-to writes it -----------------------

STRATEGY = """
from ceasefire.negotiation import Strategy, View


class Halfway(Strategy):
    name = "halfway"
    title = "Halfway"
    description = "Asks for the midpoint between its reservation value and its ideal."
    bibkey = "Raiffa1982"

    def target(self, view: View) -> float:
        return (min(view.floor, view.ideal) + view.ideal) / 2
"""


def test_a_strategy_module_in_the_current_folder_is_found_by_the_command(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("ceasefire")
    if not script.exists():
        pytest.skip("the ceasefire console script is not installed next to this interpreter")
    (tmp_path / "my_halfway.py").write_text(STRATEGY)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(script), "negotiate", "toy-border", "--strategy", "north=my_halfway:Halfway",
         "--rounds", "6", "--json"],
        capture_output=True, text=True, check=False, timeout=300, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["strategies"]["north"] == "halfway"


def test_the_import_leaves_the_path_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceasefire.negotiation.strategy import strategy_class

    (tmp_path / "my_halfway_2.py").write_text(STRATEGY)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    before = list(sys.path)
    assert strategy_class("my_halfway_2:Halfway").name == "halfway"
    assert sys.path == before


# ---- defect 8: ids for validate, export warnings, --version, YAML hints ------------------------


def test_validate_takes_bundled_ids_and_files(toy_path: Path) -> None:
    result = runner.invoke(app, ["validate", "toy-border", str(toy_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok (toy-border)") == 2
    missing = runner.invoke(app, ["validate", "no-such-scenario"])
    assert missing.exit_code == 1 and "no bundled scenario" in missing.stderr


def test_export_genius_warns_that_the_war_model_is_left_out(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export-genius", "korea-1951", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "warning: the war model (war:) is not exported" in result.stderr
    plain = runner.invoke(app, ["export-genius", "toy-border", str(tmp_path / "toy")])
    assert "war model" not in plain.stderr


def test_version() -> None:
    from ceasefire.provenance import ceasefire_version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ceasefire {ceasefire_version()}"


@pytest.mark.parametrize(
    ("before", "after", "hint"),
    [
        ("    name: Border line", "    name: 2022-02-24", 'YAML reads 2022-02-24 as a date: write "2022-02-24"'),
        ("    name: Border line", "    name: 12", 'YAML reads 12 as a number: write "12"'),
        ("    name: Border line", "    name: Border: line", "a colon followed by a space starts a key"),
        ("label: The southern ridge}", "label: Ridge: south}", "a colon followed by a space starts a key"),
        ("label: The southern ridge}", "label: Ridge, south}", "inside {...} a comma ends an entry"),
        ("    name: Border line", "\tname: Border line", "YAML indents with spaces, never tabs"),
    ],
)  # fmt: skip
def test_common_yaml_mistakes_come_with_a_hint(
    tmp_path: Path, toy_text: str, before: str, after: str, hint: str
) -> None:
    assert before in toy_text
    path = tmp_path / "s.yaml"
    path.write_text(toy_text.replace(before, after, 1))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any(re.match(rf"{re.escape(str(path))}:\d+:\d+: .*\(hint: ", x) for x in lines), lines
    assert hint in result.stderr


def test_a_correct_quoted_value_gets_no_hint(tmp_path: Path, toy_text: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(toy_text.replace("    name: Border line", '    name: "Border: line"', 1))
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0


# ---- defect 6: what a person reads names things ----------------------------------------------


def test_the_analysis_summary_names_parties_and_options() -> None:
    result = run("analyze", "russia-ukraine-2023-12", "--samples", "200")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Russian Federation" in text  # the party's name, not its id
    assert "NATO membership and alignment: NATO course kept" in text  # names and labels
    assert "crimea_sevastopol" not in text and "alliance_status" not in text
    assert "[bold]" not in text and "[dim]" not in text  # no literal markup
    assert "nan" not in text.split()


def test_war_output_names_the_parties_and_writes_numbers_one_way() -> None:
    result = run("war", "russia-ukraine-2023-12", "--samples", "200", "--months", "3")
    assert result.returncode == 0, result.stderr
    assert "Russian Federation" in result.stdout
    assert not re.search(r"\d+k\b", result.stdout)  # 13k next to 5,273: one format
    assert re.search(r"\d{1,3},\d{3}", result.stdout)


def test_sensitivity_names_war_sides_by_party() -> None:
    from ceasefire.scenario import bundled_scenarios, load_scenario
    from ceasefire.scenario.labels import Labels

    scenario = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario
    labels = Labels(scenario)
    assert labels.path("war.sides[1].forces") == "war.sides[ukraine].forces"
    assert labels.path("war.sides[0].lethality") == "war.sides[russia].lethality"
    assert labels.path("preferences.russia.weights.znpp") == "preferences.russia.weights.znpp"


def test_labels_never_print_nan() -> None:
    from ceasefire.scenario.labels import number

    assert number(float("nan")) == "—" and number(None) == "—"
    assert number(12345.678) == "12,345.7" and number(-0.04) == "0.0"


# ---- defect 7: readable at 80 columns; progress that moves --------------------------------------


def test_the_transcript_is_readable_at_80_columns() -> None:
    result = run("negotiate", "russia-ukraine-2023-12", "--rounds", "3", columns=80)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    text = "\n".join(lines)
    assert "Transcript" in text and "Round 1, month 0: Ukraine proposes" in text
    # Option labels, not ids that a narrow column would break mid-word.
    assert "line_of_control=" not in text and "alliance_status" not in text
    assert re.search(r"Line of control after the deal: [\d.]+ % of", text)
    assert "Strategies: Ukraine: boulware;" in text  # the header is printed whole


def test_sensitivity_progress_moves_from_the_start() -> None:
    from ceasefire.executor import SerialExecutor
    from ceasefire.uncertainty.sensitivity import PROGRESS_CHUNKS, run_evaluations

    class Model:
        def evaluate(self, evaluation: int) -> list[float]:
            return [float(evaluation)]

    seen: list[int] = []
    values = run_evaluations(
        Model(),  # type: ignore[arg-type]
        list(range(200)),  # type: ignore[arg-type]
        SerialExecutor(),
        lambda done, total, stage: seen.append(done),
    )
    assert values[:, 0].tolist() == list(range(200))
    assert len(set(seen)) >= PROGRESS_CHUNKS  # before: 4 steps, the first after a quarter
    assert seen[1] <= 200 // PROGRESS_CHUNKS + 1
    assert seen[-1] == 200


def test_the_progress_bar_shows_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from ceasefire.cli import common

    stream = io.StringIO()
    terminal = Console(file=stream, force_terminal=True, width=100, color_system=None)
    monkeypatch.setattr(common, "error_console", terminal)
    monkeypatch.setattr(common, "show_progress", lambda enabled: enabled)
    with common.progress_bar(True, "sensitivity") as update:
        update(0, 64, "one at a time")
        update(1, 64, "one at a time")
    text = stream.getvalue()
    assert "sensitivity: one at a time" in text and "1/64" in text
    assert "eta" in text
