"""``ceasefire backtest``: the JSON contract, the scores recomputed from the document, the record's
months, the pluggable forecaster, and the command's errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.scenario import utility as su
from ceasefire.validation import backtest as bt
from ceasefire.validation.forecast import FORECASTERS, Forecast, zopa_forecast
from ceasefire.validation.scores import percentile
from ceasefire.war import simulate

runner = CliRunner()
REQUIRED = {
    "id",
    "as_of",
    "agreement_month",
    "first_ripe_month",
    "ripe_error_months",
    "brier",
    "brier_baseline",
    "agreed_package_in_zone",
    "front_percentiles",
    "casualty_percentiles",
}
CASES = ["iran-iraq-1982", "korea-1951", "russia-ukraine-2022-03", "russia-ukraine-2023-12"]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    result = runner.invoke(app, ["backtest", "--all", "--samples", "60", "--seed", "4", "--json"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def case(document: dict[str, Any], scenario_id: str) -> dict[str, Any]:
    return next(c for c in document["cases"] if c["id"] == scenario_id)


def test_every_bundled_case_with_a_record_is_scored(document: dict[str, Any]) -> None:
    assert [c["id"] for c in document["cases"]] == CASES
    assert set(document) == {"cases", "provenance"}
    provenance = document["provenance"]
    assert provenance["seed"] == 4 and provenance["parameters"]["samples"] == 60
    assert set(provenance["scenarios"]) == set(CASES)
    for entry in document["cases"]:
        assert set(entry) >= REQUIRED
        assert entry["provenance"]["scenario_sha256"] == provenance["scenarios"][entry["id"]]


def test_scores_recomputed_from_the_document(document: dict[str, Any]) -> None:
    for entry in document["cases"]:
        p = np.array(entry["p_zopa"])
        y = np.array(entry["agreement_reached"])
        assert len(p) == len(y) == entry["months_scored"]
        assert entry["brier"] == pytest.approx(np.mean((p - y) ** 2), abs=1e-6)
        assert entry["brier_baseline"]["always_half"] == pytest.approx(0.25)
        rate = entry["brier_baseline"]["base_rate_value"]
        assert entry["brier_baseline"]["base_rate"] == pytest.approx(
            np.mean((rate - y) ** 2), abs=1e-6
        )
        hits = np.flatnonzero(p >= 0.5)
        assert entry["first_ripe_month"] == (int(hits[0]) if hits.size else None)
        assert entry["scored_probability"] == "p_zopa" and entry["p_agreement"] is None
        if entry["agreement_month"] is not None:
            assert y[entry["agreement_month"]] == 1 and y[: entry["agreement_month"]].sum() == 0
        else:
            assert not y.any()
        assert all(
            0 <= q <= 100 for q in entry["front_percentiles"] + entry["casualty_percentiles"]
        )


def test_the_base_rate_pools_the_records(document: dict[str, Any]) -> None:
    months = sum(c["months_scored"] for c in document["cases"])
    agreed = sum(sum(c["agreement_reached"]) for c in document["cases"])
    for entry in document["cases"]:
        assert entry["brier_baseline"]["base_rate_value"] == pytest.approx(
            agreed / months, abs=1e-6
        )


def test_the_agreed_package_against_the_zone(document: dict[str, Any]) -> None:
    korea = case(document, "korea-1951")
    agreement = korea["agreement"]
    assert korea["agreement_month"] == 25 and agreement["month"] == 25
    assert agreement["package"]["demarcation_line"] == 3.9
    median = agreement["median_reservation"]
    expected = (
        not agreement["red_lines_crossed"]
        and not agreement.get("reneged_by")
        and all(agreement["utilities"][party] >= median[party] - 1e-9 for party in median)
    )
    assert korea["agreed_package_in_zone"] == expected
    nash = agreement["from_nash"]
    if nash is not None:
        changed = sorted(i for i, o in agreement["package"].items() if nash["nash_package"][i] != o)
        assert nash["issues_changed"] == changed
    iran = case(document, "iran-iraq-1982")
    # Saddam Hussein stayed: the agreed package crosses Iran's stated red line of 1982, which the
    # case's events drop in March 1986; the agreement of August 1988 is scored on the scenario as
    # it stands then, so it crosses no red line.
    assert [e["id"] for e in iran["scenario_events"]] == ["regime_change_dropped"]
    assert iran["agreement"]["red_lines_crossed"] == {}
    iran_agreement = iran["agreement"]
    iran_median = iran_agreement["median_reservation"]
    assert iran["agreed_package_in_zone"] == all(
        iran_agreement["utilities"][party] >= iran_median[party] - 1e-9 for party in iran_median
    )
    loaded = load_scenario(bundled_scenarios()["iran-iraq-1982"])
    at_as_of = bt.agreed_package(loaded.scenario)
    assert at_as_of["saddam_regime"] == "stays"
    assert loaded.scenario.preferences["iran"].red_lines["saddam_regime"] == ["stays"]


def test_cases_with_a_commitment_section_are_scored_on_effective_utilities(
    document: dict[str, Any],
) -> None:
    for entry in document["cases"]:
        commitment = entry["commitment"]
        assert commitment is not None  # every bundled case has a commitment section
        nominal = commitment["nominal"]
        p = np.array(nominal["p_zopa"])
        y = np.array(entry["agreement_reached"])
        assert nominal["brier"] == pytest.approx(np.mean((p - y) ** 2), abs=1e-6)
        hits = np.flatnonzero(p >= 0.5)
        assert nominal["first_ripe_month"] == (int(hits[0]) if hits.size else None)
        agreement = entry["agreement"]
        if agreement is None:
            assert commitment["agreed_p_hold"] is None
            continue
        # E_i = p U_i + (1 - p) V_i over the section's horizon (no doubtful clause is agreed).
        held = agreement["p_hold"]
        assert commitment["agreed_p_hold"][str(commitment["horizon_months"])] == pytest.approx(held)
        for party, u in agreement["utilities"].items():
            nominal_u = agreement["nominal_utilities"][party]
            renewed = agreement["renewed_war_values"][party]
            expected = held * nominal_u + (1 - held) * renewed
            # Every figure is printed to 6 decimals: p's rounding (5e-7) counts |U - V| times.
            assert u == pytest.approx(expected, abs=1e-5 + 5e-7 * abs(nominal_u - renewed))


def test_without_the_commitment_section_the_scores_are_the_nominal_ones(
    document: dict[str, Any],
) -> None:
    """The layer nests the old backtest: the case without its section scores what the nominal
    entry of the case with it says."""
    from ceasefire.scenario import parse_scenario
    from tests.commitment.nesting import without_commitment

    path = bundled_scenarios()["korea-1951"]
    bare = parse_scenario(without_commitment(path.read_text(encoding="utf-8")), str(path))
    result = bt.backtest_case(bare, samples=60, seed=4).document
    nominal = case(document, "korea-1951")["commitment"]["nominal"]
    assert result["commitment"] is None
    assert result["p_zopa"] == nominal["p_zopa"]
    assert result["brier"] == nominal["brier"]
    assert result["agreed_package_in_zone"] == nominal["agreed_package_in_zone"]
    assert result["agreement"]["p_acceptable"] == nominal["p_acceptable"]


def test_the_share_of_broken_armies_is_the_war_model_run(document: dict[str, Any]) -> None:
    loaded = load_scenario(bundled_scenarios()["russia-ukraine-2022-03"])
    entry = case(document, "russia-ukraine-2022-03")
    months = entry["provenance"]["parameters"]["months"]
    outcomes = simulate(loaded.scenario, samples=60, months=months - 1, seed=4)
    for j, side in enumerate(["russia", "ukraine"]):
        shares = outcomes.collapsed[: entry["months_scored"], j].mean(axis=-1)
        np.testing.assert_allclose(entry["collapsed"][side], shares, atol=1e-6)


def test_front_and_casualty_percentiles_match_the_war_model_run(document: dict[str, Any]) -> None:
    loaded = load_scenario(bundled_scenarios()["russia-ukraine-2022-03"])
    entry = case(document, "russia-ukraine-2022-03")
    months = entry["provenance"]["parameters"]["months"]
    outcomes = simulate(loaded.scenario, samples=60, months=months - 1, seed=4)
    for front in entry["front"]:
        samples = outcomes.territory[front["month"]]
        assert front["percentile"] == pytest.approx(percentile(samples, front["observed"]))
        status_quo = float(loaded.scenario.issue("line_of_control").status_quo)
        assert front["crps_persistence"] == pytest.approx(abs(status_quo - front["observed"]))
    war = loaded.scenario.war
    assert war is not None
    for cas in entry["casualties"]:
        start, stop = cas["months"]
        side = list(war.side_ids()).index(cas["side"])
        samples = outcomes.casualties[stop, side] - outcomes.casualties[start, side]
        assert cas["side"] == "russia"
        assert cas["percentile"] == pytest.approx(percentile(samples, cas["observed"]))


@pytest.mark.parametrize(
    ("first", "agreed", "last", "expected"),
    [
        (3, 5, 5, (-2, False)),
        (None, 5, 5, (1, True)),
        (7, None, 10, (-4, True)),
        (None, None, 10, (0, True)),
    ],
)
def test_ripe_error(first: int | None, agreed: int | None, last: int, expected: Any) -> None:
    assert bt.ripe_error(first, agreed, last) == expected


def test_months_of_the_record() -> None:
    as_of = dt.date(1951, 7, 10)
    assert bt.month_reached(as_of, dt.date(1953, 7, 27)) == 25
    assert bt.month_reached(as_of, as_of) == 0
    assert bt.month_nearest(as_of, dt.date(1951, 8, 9)) == 1
    korea = load_scenario(bundled_scenarios()["korea-1951"]).scenario
    assert bt.outcomes_by_month(korea) == [0] * 25 + [1]


def test_a_seed_gives_one_result() -> None:
    loaded = load_scenario(bundled_scenarios()["korea-1951"])
    first = bt.backtest([loaded], samples=40, seed=9)
    again = bt.backtest([loaded], samples=40, seed=9)
    other = bt.backtest([loaded], samples=40, seed=10)
    assert first == again
    assert first["cases"][0]["front"] != other["cases"][0]["front"]


def test_a_forecaster_that_gives_p_agreement_is_scored_on_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def half_as_likely(loaded: Any, months: int, samples: int, seed: int) -> Forecast:
        base = zopa_forecast(loaded, months, samples, seed)
        return Forecast(
            source="half",
            p_zopa=base.p_zopa,
            p_agreement=base.p_zopa / 2,
            ripeness=base.ripeness,
            reservations=base.reservations,
        )

    monkeypatch.setitem(FORECASTERS, "half", half_as_likely)
    loaded = load_scenario(bundled_scenarios()["korea-1951"])
    entry = bt.backtest([loaded], samples=40, seed=1, forecaster="half")["cases"][0]
    assert entry["scored_probability"] == "p_agreement"
    p = np.array(entry["p_agreement"])
    assert np.allclose(p, np.array(entry["p_zopa"]) / 2)
    y = np.array(entry["agreement_reached"])
    assert entry["brier"] == pytest.approx(np.mean((p - y) ** 2), abs=1e-6)


def test_the_agreed_package_keeps_issues_the_record_leaves_out() -> None:
    iran = load_scenario(bundled_scenarios()["iran-iraq-1982"]).scenario
    package = bt.agreed_package(iran)
    assert package["shatt_al_arab"] == su.status_quo_package(iran)["shatt_al_arab"]
    assert package["saddam_regime"] == "stays"


def test_the_terminal_table_names_every_case() -> None:
    result = runner.invoke(app, ["backtest", "--all", "--samples", "30", "--no-progress"])
    assert result.exit_code == 0, result.output
    for scenario_id in CASES:
        assert scenario_id in result.stdout
    assert "Brier" in result.stdout


def test_command_errors() -> None:
    no_record = runner.invoke(app, ["backtest", "toy-border"])
    assert no_record.exit_code == 1
    assert "no 'record:' section" in no_record.output
    assert "no 'war:' section" in no_record.output
    both = runner.invoke(app, ["backtest", "korea-1951", "--all"])
    assert both.exit_code == 2


def test_out_writes_the_json_document(tmp_path: Any) -> None:
    out = tmp_path / "backtest.json"
    args = ["backtest", "korea-1951", "--samples", "30", "--seed", "2", "--no-progress"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "korea-1951" in result.stdout and "JSON written to" in result.stdout
    printed = runner.invoke(app, [*args, "--json"])
    assert json.loads(out.read_text()) == json.loads(printed.stdout)
