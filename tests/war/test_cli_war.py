"""``ceasefire war`` and the war model's part of ``ceasefire analyze``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.scenario import load_scenario
from tests.war.conftest import FIXTURE

runner = CliRunner()
QUANTILES = {"p5", "p25", "p50", "p75", "p95"}


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_war_json_has_monthly_quantiles_and_provenance() -> None:
    doc = run_json("war", str(FIXTURE), "--samples", "500", "--months", "6", "--seed", "3")
    assert doc["provenance"]["seed"] == 3
    assert doc["provenance"]["scenario_sha256"] == load_scenario(FIXTURE).sha256
    assert doc["provenance"]["parameters"] == {"samples": 500, "months": 6, "aid_scale": 1.0}
    assert doc["month_index"] == list(range(7))
    assert set(doc["territory"]) == QUANTILES and len(doc["territory"]["p50"]) == 7
    assert set(doc["casualties"]) == {"east", "west"}
    assert all(set(q) == QUANTILES for q in doc["casualties"].values())
    assert set(doc["outlays_usd_bn"]) == {"east", "west", "ally"}
    assert len(doc["p_escalation"]) == 7 and doc["p_escalation"][0] == 0
    assert doc["sides"] == ["east", "west"] and doc["territory_issue"] == "territory"
    # Outlays are deterministic per sample: East spends 4 a month.
    assert doc["outlays_usd_bn"]["east"]["p50"][6] == pytest.approx(24.0)


def test_war_is_reproducible_and_the_seed_matters() -> None:
    args = ("war", str(FIXTURE), "--samples", "300", "--months", "4")
    a = run_json(*args, "--seed", "1")
    b = run_json(*args, "--seed", "1")
    c = run_json(*args, "--seed", "2")
    assert a == b
    assert a["casualties"] != c["casualties"]


def test_war_defaults_to_the_horizon_and_aid_scale_is_a_lever() -> None:
    doc = run_json("war", str(FIXTURE), "--samples", "400")
    assert doc["month_index"][-1] == 12  # the fixture's horizon_months
    cut = run_json("war", str(FIXTURE), "--samples", "400", "--aid-scale", "0")
    assert cut["outlays_usd_bn"]["ally"]["p95"][-1] == 0
    assert cut["territory"]["p50"][-1] > doc["territory"]["p50"][-1]


def test_war_terminal_table(tmp_path: Path) -> None:
    out = tmp_path / "war.json"
    result = runner.invoke(
        app, ["war", str(FIXTURE), "--samples", "200", "--months", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "territory" in result.stdout and "P(escalation)" in result.stdout
    assert "East" in result.stdout and "casualties" in result.stdout  # party names
    assert json.loads(out.read_text())["month_index"] == [0, 1, 2, 3]


def test_war_without_a_war_section_exits_1_with_a_position(toy_path: Path) -> None:
    result = runner.invoke(app, ["war", str(toy_path)])
    assert result.exit_code == 1
    assert re.match(r"^.+:1:1: the scenario has no 'war:' section", result.stderr)


def test_war_usage_errors_exit_2() -> None:
    assert runner.invoke(app, ["war", str(FIXTURE), "--samples", "0"]).exit_code == 2
    assert runner.invoke(app, ["war", str(FIXTURE), "--aid-scale", "-1"]).exit_code == 2


def test_war_bad_scenario_exits_1_with_positions(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FIXTURE.read_text().replace("gains_for: east", "gains_for: ally"))
    result = runner.invoke(app, ["war", str(bad)])
    assert result.exit_code == 1
    assert re.search(r"bad\.yaml:\d+:\d+: war\.front\.gains_for: 'ally' is not one", result.stderr)
    assert "Traceback" not in result.output


def test_analyze_with_a_war_model() -> None:
    doc = run_json("analyze", str(FIXTURE), "--samples", "800", "--seed", "5", "--horizon", "6")
    assert doc["provenance"]["seed"] == 5
    ripeness = doc["ripeness"]
    assert ripeness["month_index"] == list(range(6))
    assert len(ripeness["p_zopa"]) == 6
    assert all(0 <= p <= 1 for p in ripeness["p_zopa"])
    first = ripeness["first_ripe_month"]
    assert first is None or ripeness["p_zopa"][first] >= 0.5
    assert ripeness["binding_party"] in {"east", "west", "ally"}  # the veto parties
    assert ripeness["samples"] == 800 and ripeness["horizon_months"] == 6
    quantiles = doc["reservation_quantiles"]
    assert set(quantiles) == {"east", "west", "ally", "broker"}
    for party, q in quantiles.items():
        assert q["p5"] <= q["p50"] <= q["p95"]
        # "reservation" holds the month-0 medians.
        assert doc["reservation"][party] == pytest.approx(q["p50"], abs=1e-9)
    # The same seed gives the same document.
    again = run_json("analyze", str(FIXTURE), "--samples", "800", "--seed", "5", "--horizon", "6")
    assert again == doc


def test_analyze_zopa_uses_the_month_0_medians() -> None:
    from ceasefire.analysis import analyze

    loaded = load_scenario(FIXTURE)
    result = analyze(loaded, samples=500, seed=1, horizon=3)
    assert result.war is not None
    medians = np.median(result.war.reservations.values[0], axis=-1)
    np.testing.assert_allclose(result.problem.reservation, medians)


def test_scenarios_without_a_war_model_ignore_the_war_options(toy_path: Path) -> None:
    plain = run_json("analyze", str(toy_path))
    with_options = run_json("analyze", str(toy_path), "--samples", "50", "--seed", "9")
    assert plain == with_options
    assert "ripeness" not in plain and plain["provenance"]["seed"] is None


def test_analyze_terminal_summary_shows_ripeness() -> None:
    result = runner.invoke(app, ["analyze", str(FIXTURE), "--samples", "300", "--horizon", "4"])
    assert result.exit_code == 0, result.output
    assert "P(zone of agreement) by month" in result.stdout
    assert "binding party" in result.stdout and "scale-free measure" in result.stdout


def test_the_terminal_summaries_name_the_war_mechanisms() -> None:
    """A reader sees which optional mechanisms a result rests on; a war without them prints none."""
    war = runner.invoke(app, ["war", "russia-ukraine-2023-12", "--samples", "200", "--months", "2"])
    assert war.exit_code == 0, war.output
    words = " ".join(war.output.split())  # party names, wrapped at the terminal's width
    assert "attritional campaign by Russian Federation" in words
    assert "terms for victory (Russian Federation, Ukraine)" in words
    plain = runner.invoke(app, ["war", str(FIXTURE), "--samples", "200", "--months", "2"])
    assert plain.exit_code == 0 and "war model:" not in plain.output
    analyzed = runner.invoke(
        app, ["analyze", "russia-ukraine-2023-12", "--samples", "200", "--horizon", "2"]
    )
    assert analyzed.exit_code == 0, analyzed.output
    assert "attritional campaign by Russian Federation" in " ".join(analyzed.output.split())
