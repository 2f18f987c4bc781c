"""The Python front door: load by id, path or Genius folder; each result is its command's JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import ceasefire as cf
from ceasefire.cli import app
from ceasefire.results import RESULTS
from ceasefire.runs import RUNS, run
from ceasefire.scenario import ScenarioError
from ceasefire.scenario.edit import ChangeError
from tests.strategies import parse_edited

GENIUS = Path(__file__).parent / "data" / "genius" / "Laptop"


def cli_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_dir_shows_the_api() -> None:
    names = dir(cf)
    for name in ("load", "scenarios", "Study", "RUNS", "run", "analyze", "load_scenario"):
        assert name in names
    assert "import_module" not in names


def test_scenarios_lists_the_bundled_ids_with_titles() -> None:
    listed = cf.scenarios()
    assert listed["toy-border"] == "A two-issue border dispute"
    assert set(listed) == set(cf.bundled_scenarios())


@pytest.mark.parametrize("name", ["toy-border", "BUNDLED_PATH", str(GENIUS)])
def test_analyze_is_the_cli_document(name: str) -> None:
    if name == "BUNDLED_PATH":
        name = str(cf.bundled_scenarios()["toy-border"])
    assert cf.load(name).analyze().to_dict() == cli_json("analyze", name)


def test_analyze_with_beliefs_options_is_the_cli_document() -> None:
    """The belief model's worlds and particles, from Python as from the command line."""
    s = cf.load("russia-ukraine-2023-12")
    r = s.analyze(samples=200, seed=2, horizon=3, worlds=40, particles=8)
    document = r.to_dict()
    assert document == cli_json(
        "analyze",
        "russia-ukraine-2023-12",
        *("--samples", "200", "--seed", "2", "--horizon", "3"),
        *("--worlds", "40", "--particles", "8"),
    )
    assert (document["beliefs"]["worlds"], document["beliefs"]["particles"]) == (40, 8)


def test_analyze_with_a_war_model_is_the_cli_document() -> None:
    s = cf.load("russia-ukraine-2023-12")
    r = s.analyze(samples=300, seed=4)
    assert r.to_dict() == cli_json(
        "analyze", "russia-ukraine-2023-12", "--samples", "300", "--seed", "4"
    )
    assert r.to_dict()["ripeness"]["samples"] == 300
    text = repr(r)
    assert text.count("\n") <= 8 and len(text) < 800  # a few lines, not the whole document
    html = r._repr_html_()  # a table and the main figure with lean data, not the 5 MB document
    assert "<table" in html and "Utility space" in html and len(html) < 400_000
    names = [trace.name for trace in r.figure().data]
    assert "Pareto frontier" in names and "acceptable (ZOPA frontier)" in names


def test_the_lean_frontier_keeps_one_point_in_every_occupied_cell() -> None:
    from ceasefire.results import LEAN_GRID, lean_frontier

    entries = [
        {"utilities": {"a": x / 7, "b": 100 - x / 7, "c": 1.0}, "package": {"i": x}}
        for x in range(700)
    ]
    lean = lean_frontier(entries, "a", "b")
    cell = lambda u: (round(u["a"] / LEAN_GRID), round(u["b"] / LEAN_GRID))  # noqa: E731
    assert {cell(e["utilities"]) for e in lean} == {cell(e["utilities"]) for e in entries}
    assert len(lean) < len(entries) and lean[0] == {
        "utilities": {"a": 0.0, "b": 100.0},
        "package": {"i": 0},
    }


@pytest.mark.parametrize(
    ("method", "args", "options"),
    [
        ("war", ["war", "--months", "6", "--samples", "200", "--seed", "2", "--no-progress"],
         {"months": 6, "samples": 200, "seed": 2}),
        ("robust", ["robust", "--samples", "200", "--seed", "2", "--no-progress"],
         {"samples": 200, "seed": 2}),
        ("mediate", ["mediate", "--samples", "100", "--seed", "2", "--no-progress"],
         {"samples": 100, "seed": 2}),
        ("negotiate", ["negotiate", "--seed", "2", "--rounds", "6"], {"seed": 2, "rounds": 6}),
    ],
)  # fmt: skip
def test_each_result_is_its_commands_json(
    method: str, args: list[str], options: dict[str, Any]
) -> None:
    s = cf.load("russia-ukraine-2023-12")
    result = getattr(s, method)(**options)
    assert result.to_dict() == cli_json(args[0], "russia-ukraine-2023-12", *args[1:])
    assert type(result) is RESULTS[method]
    assert "\n" in repr(result) and len(repr(result)) < 800
    assert "<table" in result._repr_html_()


def test_toy_sensitivity_and_tournament_are_their_commands_json() -> None:
    s = cf.load("toy-border")
    assert s.sensitivity().to_dict() == cli_json("sensitivity", "toy-border", "--no-progress")
    assert s.tournament(["boulware", "hardliner"], runs=1).to_dict() == cli_json(
        "tournament", "toy-border", "--strategies", "boulware,hardliner", "--runs", "1",
        "--no-progress",
    )  # fmt: skip


CAPABLE = {"north": 60, "south": 40}


def capable_toy(tmp_path: Path) -> Path:
    """The toy scenario with a capability for each belligerent (so that it can be forecast)."""
    text = cf.bundled_scenarios()["toy-border"].read_text(encoding="utf-8")
    for party, capability in CAPABLE.items():
        text = text.replace(
            f"  - id: {party}\n",
            f"  - id: {party}\n    capability: {capability}\n    sources: [textbook]\n",
            1,
        )
    path = tmp_path / "capable.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def check_result(result: Any, kind: str) -> None:
    assert type(result) is RESULTS[kind]
    text = repr(result)
    assert "\n" in text and len(text) < 800
    html = result._repr_html_()
    assert "<table" in html and len(html) < 500_000


def test_divide_stability_and_forecast_are_their_commands_json(tmp_path: Path) -> None:
    s = cf.load("toy-border")
    division = s.divide()
    assert division.to_dict() == cli_json("divide", "toy-border")
    check_result(division, "divide")
    stable = s.stability({"border": "north", "troops": "south"}, sanctions="once")
    assert stable.to_dict() == cli_json(
        "stability", "toy-border", "--control", "border=north", "--control", "troops=south",
        "--sanctions", "once",
    )  # fmt: skip
    check_result(stable, "stability")
    with pytest.raises(ValueError, match="control"):
        s.stability({})
    path = capable_toy(tmp_path)
    forecast = cf.load(path).forecast(rounds=4, probability="pair")
    assert forecast.to_dict() == cli_json(
        "forecast", str(path), "--rounds", "4", "--probability", "pair"
    )
    check_result(forecast, "forecast")
    with pytest.raises(ScenarioError, match="capability"):
        s.forecast()


def test_backtest_is_its_commands_json() -> None:
    s = cf.load("korea-1951")
    result = s.backtest(samples=100, seed=2)
    assert result.to_dict() == cli_json(
        "backtest", "korea-1951", "--samples", "100", "--seed", "2", "--no-progress"
    )
    check_result(result, "backtest")
    with pytest.raises(ValueError, match="record"):
        cf.load("toy-border").backtest()


def test_to_dict_is_a_fresh_copy() -> None:
    r = cf.load("toy-border").analyze()
    r.to_dict()["zopa"]["exists"] = "changed"
    assert r.to_dict()["zopa"]["exists"] is True


def test_repr_html_has_a_table_and_the_main_figure() -> None:
    html = cf.load("toy-border").analyze()._repr_html_()
    assert "<table" in html and "plotly" in html
    assert "<table" in cf.load("toy-border")._repr_html_()


def test_frontier_to_frame_has_one_row_per_listed_package() -> None:
    pytest.importorskip("pandas")
    r = cf.load("toy-border").analyze()
    frame = r.frontier.to_frame()
    assert len(frame) == len(r.to_dict()["frontier"])
    assert list(frame["u_north"]) == [e["utilities"]["north"] for e in r.to_dict()["frontier"]]


def test_to_frame_without_pandas_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"ceasefire\[pandas\]"):
        cf.load("toy-border").analyze().frontier.to_frame()


def test_with_values_gives_a_new_validated_scenario() -> None:
    s = cf.load("toy-border")
    w = s.with_values({"preferences.north.no_deal.cost": 20})
    assert w.analyze().to_dict()["reservation"]["north"] == 45.0
    assert s.analyze().to_dict()["reservation"]["north"] == 55.0
    weights = s.with_values({"preferences.north.weights.border": 0.5}).scenario.preferences
    assert weights["north"].weights == pytest.approx({"border": 0.5, "troops": 0.5})


def test_with_values_takes_the_paths_sensitivity_uses() -> None:
    s = cf.load("toy-border")
    paths = [i["path"] for i in s.sensitivity().to_dict()["inputs"]]
    assert any(".red_lines." in p for p in paths)
    for path in paths:
        s.with_values({path: 1.0})  # every input sensitivity varies can be set


def test_a_red_line_is_kept_surely_or_removed() -> None:
    s = cf.load("toy-border")
    assert "border" in s.scenario.preferences["north"].red_lines
    without = s.with_values({"preferences.north.red_lines.border": 0})
    assert "border" not in without.scenario.preferences["north"].red_lines
    maybe = cf.Study(
        parse_edited(
            s.loaded.text,
            (
                "red_lines: {border: [north_line]}",
                "red_lines: {border: {options: [north_line], p: 0.5}}",
            ),
        )
    )
    surely = maybe.with_values({"preferences.north.red_lines.border": 1}).scenario
    assert surely.preferences["north"].red_lines["border"] == ["north_line"]  # p gone: it holds
    with pytest.raises(ChangeError, match=r"1 \(it holds\) or 0"):
        s.with_values({"preferences.north.red_lines.border": 0.5})


def test_with_values_rejects_unknown_paths_and_invalid_results() -> None:
    s = cf.load("toy-border")
    with pytest.raises(ChangeError, match="no 'nope'"):
        s.with_values({"preferences.nope.no_deal.cost": 1})
    with pytest.raises(ChangeError, match="finite"):
        s.with_values({"preferences.north.no_deal.cost": float("nan")})
    with pytest.raises(ChangeError, match="sum to 1"):
        s.with_values({"preferences.north.weights.border": 1.5})
    with pytest.raises(ScenarioError, match="after the what-if changes"):
        s.with_values({"preferences.north.values.border.north_line": 150})


def test_the_registry_knows_every_command_and_rejects_unknown_options() -> None:
    assert set(RUNS) == {"analyze", "explain", "war", "robust", "sensitivity", "mediate",
                         "negotiate", "tournament", "divide", "forecast", "stability", "backtest",
                         "score"}  # fmt: skip
    assert set(RESULTS) == set(RUNS)
    loaded = cf.load("toy-border").loaded
    with pytest.raises(TypeError, match="samplez"):
        run("robust", loaded, samplez=3)
    with pytest.raises(ValueError, match="war"):
        run("war", loaded)
    assert not RUNS["war"].applies(loaded.scenario)


def test_one_progress_protocol() -> None:
    seen: list[tuple[int, int, str]] = []
    cf.load("russia-ukraine-2023-12").war(months=3, samples=50, progress=lambda *a: seen.append(a))
    assert seen[-1] == (3, 3, "months")
    assert all(done <= total for done, total, _ in seen)


def test_report_writes_the_html_file(tmp_path: Path) -> None:
    out = cf.load("toy-border").report(tmp_path / "sub" / "r.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_report_shows_the_results_it_is_given(tmp_path: Path) -> None:
    s = cf.load("toy-border")
    plain = s.report(tmp_path / "plain.html").read_text(encoding="utf-8")
    added = s.report(
        tmp_path / "added.html",
        add=[s.divide(), s.stability({"border": "north", "troops": "south"})],
    ).read_text(encoding="utf-8")
    for title in ("Adjusted Winner", "Graph Model for Conflict Resolution"):
        assert title not in plain and title in added


def test_a_kind_applies_where_the_scenario_has_what_it_needs(tmp_path: Path) -> None:
    toy = cf.load("toy-border").scenario
    korea = cf.load("korea-1951").scenario
    capable = cf.load(capable_toy(tmp_path)).scenario
    assert RUNS["divide"].applies(toy) and not RUNS["divide"].applies(korea)  # five parties at war
    assert RUNS["forecast"].applies(capable) and not RUNS["forecast"].applies(toy)
    assert RUNS["backtest"].applies(korea) and not RUNS["backtest"].applies(toy)
    assert RUNS["stability"].applies(toy)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("analyze", {"max_frontier": "max_frontier", "samples": "samples", "seed": "seed"}),
        ("explain", {"samples": "samples", "seed": "seed"}),
        ("war", {"samples": "samples", "seed": "seed", "aid_scale": "aid_scale"}),
        ("robust", {"samples": "samples", "seed": "seed"}),
        ("sensitivity", {"samples": "samples", "war_samples": "war_samples", "seed": "seed"}),
        ("mediate", {"samples": "samples", "seed": "seed", "objective": "objective"}),
        ("negotiate", {"default": "default", "rounds": "rounds", "seed": "seed"}),
        ("tournament", {"runs": "runs", "seed": "seed", "rounds": "rounds", "others": "others"}),
        ("forecast", {"rounds": "rounds", "q": "q", "t": "t", "probability": "probability",
                      "perspective": "perspective", "choice": "choice"}),
        ("stability", {"sanctions": "sanctions"}),
        ("backtest", {"seed": "seed", "forecaster": "forecaster"}),
        ("score", {"samples": "samples", "seed": "seed", "proposal": "proposal"}),
    ],
)  # fmt: skip
def test_the_commands_defaults_are_the_registrys(command: str, options: dict[str, str]) -> None:
    import typer

    click_command = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    defaults = {p.name: p.default for p in click_command.params}
    for flag, option in options.items():
        default = defaults[flag]
        assert getattr(default, "value", default) == RUNS[command].options[option], flag


def test_the_reference_page_lists_every_kind_with_its_defaults() -> None:
    page = (Path(__file__).parents[1] / "docs" / "reference" / "runs.md").read_text()
    rows = {
        line.split("|")[1].strip(" `"): line for line in page.splitlines() if line.startswith("| `")
    }
    assert set(rows) == set(RUNS)
    for kind, entry in RUNS.items():
        for option, default in entry.options.items():
            assert f"`{option}={default!r}`".replace("'", '"') in rows[kind] or (
                f"{option}={default!r}".replace("'", '"') in rows[kind]
            ), (kind, option)


def test_workers_change_where_a_run_goes_not_its_result() -> None:
    s = cf.load("toy-border")
    assert s.robust(samples=300, workers=2).to_dict() == s.robust(samples=300).to_dict()
    two = s.tournament(["boulware", "hardliner"], runs=1, workers=2).to_dict()
    assert two == s.tournament(["boulware", "hardliner"], runs=1).to_dict()


def test_reprs_name_parties_issues_and_options_and_count_right() -> None:
    # They showed ids ("north 55.0", "border=south_line") and "1 points, 1 packages".
    s = cf.load("toy-border")
    result = s.analyze()
    text = repr(result)
    assert "reservation (veto parties): North 55.0, South 40.0" in text
    assert "Nash package: Border line: The southern ridge; Troop ceiling (thousands): 0" in text
    assert "south_line" not in text and "north 55" not in text
    assert repr(result.zopa) == (
        "<FrontierTable: 1 Pareto-optimal package, 1 listed, 1 distinct utility point>"
    )
    assert repr(result.frontier) == (
        "<FrontierTable: 10 Pareto-optimal packages, 10 listed, 10 distinct utility points>"
    )
    analysis = cf.analyze(cf.load_scenario(cf.bundled_scenarios()["toy-border"]))
    assert repr(analysis.zopa) == "<Zopa: 1 point, 1 package>"
    explained = repr(s.explain())
    assert "zone of agreement: 1 package\n" in explained
    assert "binding party: South (" in explained and "South's value of no deal" in explained
