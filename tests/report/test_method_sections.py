"""``ceasefire report --add`` shows the results of divide, forecast and stability as figures."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.report.compose import kind_of
from ceasefire.report.method_figures import METHOD_KINDS

ROOT = Path(__file__).parents[2]
runner = CliRunner()


def test_method_results_become_report_figures(tmp_path: Path) -> None:
    commands = {
        "divide": ["divide", "toy-border"],
        "forecast": [
            "forecast",
            str(ROOT / "tests/data/bdm/emission_standards_bdm1994.csv"),
            "--rounds",
            "3",
        ],
        "stability": ["stability", str(ROOT / "tests/data/stability/prisoners_dilemma.yaml")],
    }
    adds = []
    for name, args in commands.items():
        path = tmp_path / f"{name}.json"
        result = runner.invoke(app, [*args, "--json", "--out", str(path)])
        assert result.exit_code == 0, result.output
        assert kind_of(json.loads(path.read_text(encoding="utf-8")), METHOD_KINDS) == name
        adds += ["--add", str(path)]
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "toy-border", "--out", str(out), "--no-progress", *adds])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    for name in ("division", "forecast", "stability"):
        assert f'id="fig-{name}"' in html


def test_without_them_the_report_has_no_method_figures(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "toy-border", "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'id="fig-division"' not in html and 'id="fig-forecast"' not in html


def test_a_scenarios_division_names_its_parties_and_items() -> None:
    """Issue 17, defect 6: names, never ids, where a person reads (hover text included)."""
    from ceasefire.report.method_figures import method_figures_for
    from ceasefire.runs import run
    from ceasefire.scenario import bundled_scenarios, load_scenario

    loaded = load_scenario(bundled_scenarios()["toy-border"])
    document = run("divide", loaded).document
    _, figure = method_figures_for({"divide": document}, loaded.scenario)["division"]
    assert [trace.name for trace in figure.data] == ["North", "South"]
    assert list(figure.data[0].y) == ["Border line", "Troop ceiling (thousands)"]
    assert "North" in figure.data[0].hovertemplate and "north" not in figure.layout.title.text
