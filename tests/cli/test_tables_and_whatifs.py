"""Tables out (``--csv``, ``--xlsx``), what-ifs from the command line (``--set``, ``variants``) and
the tournament's confidence intervals."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ceasefire.cli import app

pd = pytest.importorskip("pandas")
runner = CliRunner()


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


# ---- --csv and --xlsx ----------------------------------------------------------------------------

COMMANDS = {
    "analyze": ([], {"parties", "packages", "contributions", "options", "provenance"}),
    "robust": (["--samples", "300"], {"summary", "packages", "most_robust", "options"}),
    "sensitivity": (["--samples", "8"], {"outputs", "inputs", "tornado", "options"}),
    "negotiate": (["--rounds", "12"], {"transcript", "agreement", "options"}),
    "tournament": (
        ["--runs", "2", "--strategies", "boulware,conceder"],
        {"ranking", "assignments"},
    ),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_csv_tables_round_trip_through_pandas(command: str, tmp_path: Path) -> None:
    extra, expected = COMMANDS[command]
    out, folder, book = tmp_path / "r.json", tmp_path / "csv", tmp_path / "r.xlsx"
    invoke(command, "toy-border", *extra, "--out", str(out), "--csv", str(folder),
           "--xlsx", str(book), "--json")  # fmt: skip
    document = json.loads(out.read_text())
    names = {p.stem for p in folder.glob("*.csv")}
    assert expected <= names and "provenance" in names
    sheets = pd.read_excel(book, sheet_name=None)
    assert set(sheets) == names
    for name in names:
        frame = pd.read_csv(folder / f"{name}.csv")
        assert len(frame) > 0
        _same_table(frame, sheets[name])
    provenance = pd.read_csv(folder / "provenance.csv").set_index("key")["value"]
    assert provenance["scenario_sha256"] == document["provenance"]["scenario_sha256"]
    check = CHECKS.get(command)
    if check is not None:
        check(document, folder)


def _same_table(left: Any, right: Any) -> None:
    """The same cells, read back from CSV and from the workbook (a column that mixes option ids
    and numbers reads as text from CSV and keeps its numbers in Excel)."""
    assert list(left.columns) == list(right.columns) and len(left) == len(right)
    for column in left.columns:
        a, b = left[column], right[column]
        x, y = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
        both = x.notna() & y.notna()
        assert np.allclose(x[both], y[both], rtol=1e-12), column
        rest = ~both & (a.notna() | b.notna())
        assert list(a[rest].astype(str)) == list(b[rest].astype(str)), column


def _check_analyze(document: dict[str, Any], folder: Path) -> None:
    packages = pd.read_csv(folder / "packages.csv")
    solutions = packages[packages["set"] == "solution"].set_index("concept")
    for concept, solution in document["solutions"].items():
        row = solutions.loc[concept]
        for issue, option in solution["package"].items():
            assert (
                str(row[f"issue.{issue}"]) == str(option) or float(row[f"issue.{issue}"]) == option
            )
        for party, utility in solution["utilities"].items():
            assert math.isclose(row[f"utility.{party}"], utility)
    frontier = packages[packages["set"] == "frontier"]
    assert len(frontier) == len(document["frontier"])
    # Per-issue contributions add up to each party's utility of the package.
    contributions = pd.read_csv(folder / "contributions.csv")
    totals = contributions.groupby(["concept", "party"])["contribution"].sum()
    for concept, solution in document["solutions"].items():
        for party, utility in solution["utilities"].items():
            assert math.isclose(totals[(concept, party)], utility, abs_tol=1e-9)
    options = pd.read_csv(folder / "options.csv")
    assert "The southern ridge" in set(options["label"])


def _check_negotiate(document: dict[str, Any], folder: Path) -> None:
    transcript = pd.read_csv(folder / "transcript.csv")
    assert list(transcript["round"]) == [t["round"] for t in document["transcript"]]
    for party in document["veto_parties"]:
        assert np.allclose(
            transcript[f"utility.{party}"], [t["utilities"][party] for t in document["transcript"]]
        )


def _check_tournament(document: dict[str, Any], folder: Path) -> None:
    ranking = pd.read_csv(folder / "ranking.csv")
    assert list(ranking["strategy"]) == [r["strategy"] for r in document["ranking"]]
    assert {"mean_gain_ci", "agreement_rate_ci"} <= set(ranking.columns)


CHECKS = {"analyze": _check_analyze, "negotiate": _check_negotiate, "tournament": _check_tournament}


def test_war_monthly_bands_as_a_table(tmp_path: Path) -> None:
    out = tmp_path / "war.json"
    invoke("war", "korea-1951", "--samples", "200", "--months", "4", "--json", "--out", str(out),
           "--csv", str(tmp_path / "csv"))  # fmt: skip
    document = json.loads(out.read_text())
    months = pd.read_csv(tmp_path / "csv" / "months.csv")
    assert list(months["month"]) == document["month_index"]
    assert np.allclose(months["territory.p50"], document["territory"]["p50"])


def test_any_other_result_gets_generic_tables() -> None:
    from ceasefire.tables import result_tables

    document = {"provenance": {"seed": 1}, "a": 2, "rows": [{"x": 1, "y": {"z": 3}}]}
    tables = result_tables("a-new-command", document)
    assert tables["summary"] == [{"a": 2}]
    assert tables["rows"] == [{"x": 1, "y.z": 3}]
    assert tables["provenance"] == [{"key": "seed", "value": 1}]


def test_xlsx_without_openpyxl_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)
    result = runner.invoke(app, ["analyze", "toy-border", "--xlsx", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "pip install 'ceasefire[xlsx]'" in result.stderr


# ---- --set ---------------------------------------------------------------------------------------


def _without_hash(document: dict[str, Any]) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    document["provenance"].pop("scenario_sha256")
    return document


def test_set_gives_the_numbers_of_the_edited_file(tmp_path: Path, toy_text: str) -> None:
    edited = toy_text.replace("no_deal: {cost: 10}", "no_deal: {cost: 25}", 1)
    edited = edited.replace(
        "weights: {border: 0.5, troops: 0.5}", "weights: {border: 0.2, troops: 0.8}", 1
    )
    assert edited.count("cost: 25") == 1 and "border: 0.2" in edited
    path = tmp_path / "edited.yaml"
    path.write_text(edited)
    for command, extra in (("analyze", []), ("robust", ["--samples", "300"]),
                           ("negotiate", ["--rounds", "10"]),
                           ("explain", ["--no-break-even"])):  # fmt: skip
        from_file = json.loads(invoke(command, str(path), *extra, "--json").stdout)
        with_set = json.loads(
            invoke(command, "toy-border", *extra, "--json",
                   "--set", "preferences.north.no_deal.cost=25",
                   "--set", "preferences.south.weights.border=0.2").stdout
        )  # fmt: skip
        assert _without_hash(with_set) == _without_hash(from_file), command
        if command == "analyze":  # the changes do move the numbers
            plain = json.loads(invoke("analyze", "toy-border", "--json").stdout)
            assert plain["reservation"] != with_set["reservation"]


def test_set_on_divide_and_forecast_gives_the_numbers_of_the_edited_file(
    tmp_path: Path, toy_text: str
) -> None:
    """Every command takes ``--set``: the methods that read a scenario's numbers too."""
    from tests.forecast.test_forecast_command import capable_toy

    capable = Path(capable_toy(tmp_path, toy_text))
    text = capable.read_text(encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    edited.write_text(
        text.replace(
            "weights: {border: 0.7, troops: 0.3}", "weights: {border: 0.8, troops: 0.2}", 1
        ),
        encoding="utf-8",
    )
    assert edited.read_text(encoding="utf-8") != text
    changes = ["--set", "preferences.north.weights.border=0.8"]
    changes += ["--set", "preferences.north.weights.troops=0.2"]
    for command, extra in (("divide", changes), ("forecast", [*changes, "--rounds", "4"])):
        from_file = json.loads(invoke(command, str(edited), "--json", *extra[4:]).stdout)
        with_set = json.loads(invoke(command, str(capable), "--json", *extra).stdout)
        plain = json.loads(invoke(command, str(capable), "--json", *extra[4:]).stdout)
        for document in (from_file, with_set, plain):
            document.pop("source")
        assert _without_hash(with_set) == _without_hash(from_file), command
        assert _without_hash(with_set) != _without_hash(plain), command  # the change acts
    bad = runner.invoke(app, ["divide", "points.csv", "--set", "a.b=1"])
    assert bad.exit_code == 1 and "--set changes a scenario's numbers" in bad.stderr


def test_set_reaches_war_parameters_by_their_sensitivity_path() -> None:
    import ceasefire as cf

    base = json.loads(
        invoke("war", "korea-1951", "--samples", "200", "--months", "3", "--json").stdout
    )
    path = "war.sides[0].forces"
    study = cf.load("korea-1951")
    forces = study.scenario.war.sides[0].forces  # type: ignore[union-attr]
    value = float(forces.ppf(0.5)) * 1.5
    changed = json.loads(
        invoke("war", "korea-1951", "--samples", "200", "--months", "3", "--json",
               "--set", f"{path}={value}").stdout
    )  # fmt: skip
    assert changed["territory"] != base["territory"]
    expected = study.with_values({path: value}).war(samples=200, months=3).to_dict()
    assert _without_hash(changed) == _without_hash(expected)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            "preferences.nobody.no_deal.cost=3",
            "--set preferences.nobody.no_deal.cost: not a number",
        ),
        ("preferences.north.no_deal.cost=abc", "'abc' is not a number"),
        ("preferences.north.no_deal.cost", "write PATH=VALUE"),
        ("preferences.north.weights.border=2", "would not sum to 1"),
        ("war.sides[0].forces=10", "the scenario has no 'war:' section"),
        ("preferences.north.no_deal.cost=inf", "is not a finite number"),
    ],
)
def test_bad_set_paths_and_values_exit_1_with_a_clear_message(change: str, message: str) -> None:
    result = runner.invoke(app, ["analyze", "toy-border", "--set", change])
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# ---- variants ------------------------------------------------------------------------------------


def test_variants_headlines_are_those_of_analyze_with_set() -> None:
    from ceasefire.variants import headline

    document = json.loads(
        invoke("variants", "toy-border", "--json",
               "--set", "preferences.north.no_deal.cost=25",
               "--set", "preferences.south.weights.border=0.2,preferences.north.no_deal.cost=5").stdout
    )  # fmt: skip
    base = json.loads(invoke("analyze", "toy-border", "--json").stdout)
    assert document["baseline"]["headline"] == headline(base)
    for variant, changes in zip(
        document["variants"],
        [["preferences.north.no_deal.cost=25"],
         ["preferences.south.weights.border=0.2", "preferences.north.no_deal.cost=5"]],
        strict=True,
    ):  # fmt: skip
        args = [a for c in changes for a in ("--set", c)]
        analysed = json.loads(invoke("analyze", "toy-border", "--json", *args).stdout)
        assert variant["headline"] == headline(analysed)
    assert document["variants"][0]["headline"]["reservation.north"] == 40.0


def test_variants_prints_a_diff_table_and_refuses_bad_paths() -> None:
    result = invoke("variants", "toy-border", "--set", "preferences.north.no_deal.cost=25")
    assert "Headline numbers" in result.stdout and "North: value of no deal" in result.stdout
    bad = runner.invoke(app, ["variants", "toy-border", "--set", "preferences.x.y=1"])
    assert bad.exit_code == 1 and "--set preferences.x.y" in bad.stderr
    none = runner.invoke(app, ["variants", "toy-border"])
    assert none.exit_code == 2


# ---- tournament intervals ------------------------------------------------------------------------


def _cluster_means_by_loop(values: np.ndarray, draws: np.ndarray) -> list[float]:
    """The oracle: each resample's items gathered one cluster at a time, then their mean."""
    means = []
    for row in draws:
        items = [v for c in row for v in values[:, c] if math.isfinite(v)]
        if items:
            means.append(sum(items) / len(items))
    return means


@given(
    st.integers(1, 4).flatmap(
        lambda k: st.lists(
            st.lists(st.floats(-50, 50), min_size=k, max_size=k), min_size=2, max_size=6
        )
    ),
    st.integers(0, 2**16),
)
def test_cluster_interval_is_the_percentiles_of_the_resampled_means(
    columns: list[list[float]], seed: int
) -> None:
    from ceasefire.negotiation.tournament import bootstrap_draws, cluster_interval

    values = np.array(columns).T  # (items, clusters)
    draws = bootstrap_draws(values.shape[1], seed)
    interval = cluster_interval(values, draws)
    assert interval is not None
    means = _cluster_means_by_loop(values, draws)
    estimate = float(values.mean())
    low, high = np.quantile(means, [0.025, 0.975])
    assert interval[0] == pytest.approx(min(low, estimate), abs=1e-9)
    assert interval[1] == pytest.approx(max(high, estimate), abs=1e-9)


def test_cluster_interval_counts_runs_not_negotiations() -> None:
    """Issue 17: runs that share a war path are one draw, not many. Thirty negotiations per run
    that all move with their run's war (a common shock) carry the information of one run each:
    an interval treating the 300 negotiations as independent is far too narrow."""
    from scipy import stats

    from ceasefire.negotiation.tournament import bootstrap_draws, cluster_interval

    rng = np.random.default_rng(7)
    runs, per_run = 10, 30
    shock = rng.normal(0, 10, size=runs)  # the war path of each run
    values = shock[None, :] + rng.normal(0, 1, size=(per_run, runs))
    interval = cluster_interval(values, bootstrap_draws(runs, 0))
    assert interval is not None
    naive = stats.t.interval(0.95, values.size - 1, values.mean(), stats.sem(values.ravel()))
    by_runs = stats.t.interval(0.95, runs - 1, values.mean(), stats.sem(values.mean(axis=0)))
    width = interval[1] - interval[0]
    assert width > 3 * (naive[1] - naive[0])
    assert 0.6 < width / (by_runs[1] - by_runs[0]) < 1.4  # about the runs' own t interval
    assert cluster_interval(values[:, :1], bootstrap_draws(1, 0)) is None  # one run: none


def test_tournament_ranking_shows_intervals() -> None:
    result = invoke("tournament", "toy-border", "--runs", "2", "--strategies", "boulware,hardliner")
    assert "mean gain (95% CI)" in result.stdout and "agreed (95% CI)" in result.stdout
    document = json.loads(
        invoke("tournament", "toy-border", "--runs", "2", "--strategies", "boulware,hardliner",
               "--json").stdout
    )  # fmt: skip
    for row in document["ranking"]:
        low, high = row["mean_gain_ci"]
        assert low <= row["mean_gain"] <= high
        low, high = row["agreement_rate_ci"]
        assert low <= row["agreement_rate"] <= high


def test_validate_checks_each_scenario_as_the_set_changes_it() -> None:
    """Every command that reads a scenario takes ``--set``; ``validate`` checks the changed one."""
    ok = runner.invoke(
        app, ["validate", "toy-border", "--set", "preferences.north.no_deal.cost=25"]
    )
    assert ok.exit_code == 0 and "with the --set changes" in ok.stdout
    bad = runner.invoke(
        app, ["validate", "toy-border", "--set", "preferences.south.reservation=500"]
    )
    assert bad.exit_code == 1
    assert "toy-border.yaml (what-if):" in bad.stderr and "less than or equal to 100" in bad.stderr
    nowhere = runner.invoke(app, ["validate", "toy-border", "--set", "preferences.nobody.x=1"])
    assert nowhere.exit_code == 1 and "toy-border: --set preferences.nobody.x" in nowhere.stderr


def test_every_command_that_reads_a_scenario_takes_set() -> None:
    from typer.main import get_command

    # import-genius reads a Genius folder, whose numbers have no scenario paths; scenarios,
    # schema and serve read no scenario.
    without = {"import-genius", "scenarios", "schema", "serve"}
    for name, command in get_command(app).commands.items():  # type: ignore[attr-defined]
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        assert name in without or "--set" in options, name
