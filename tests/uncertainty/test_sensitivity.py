"""Sensitivity: the base run is the static analysis, swings are right, Sobol indices are sane."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.analysis import analyze
from ceasefire.scenario import parse_scenario
from ceasefire.uncertainty.inputs import input_space
from ceasefire.uncertainty.sensitivity import (
    MARGIN_FLOOR,
    Evaluation,
    Model,
    factors,
    sensitivity,
)
from tests.strategies import toy, toy_text


def _loaded(edits: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    text = toy_text()
    for old, new in (edits or {}).items():
        text = text.replace(old, new)
    return parse_scenario(text, "toy.yaml")


def test_the_base_evaluation_is_the_static_analysis() -> None:
    loaded = _loaded()
    space = input_space(loaded.scenario)
    model = Model(space, loaded.scenario)
    out = dict(zip(model.outputs(), model.evaluate(Evaluation(space.point)), strict=True))
    static = analyze(loaded)
    assert out["zopa"] == float(static.zopa.exists)
    nash = static.solutions["nash"].utilities
    assert nash is not None
    for i, party in enumerate(static.problem.parties):
        assert out[f"nash.{party}"] == pytest.approx(nash[i], abs=1e-9)
    # The margin: the best worst gain over the reservation values, among red-line-respecting
    # packages (egalitarian gains when the zone exists).
    egalitarian = static.solutions["egalitarian"].value
    assert out["zopa_margin"] == pytest.approx(egalitarian, abs=1e-9)


@pytest.mark.parametrize("cost", [-5.0, 10.0, 30.0, 45.0, 60.0])
def test_the_margin_says_whether_a_zone_exists(cost: float) -> None:
    loaded = _loaded(
        {"no_deal: {cost: 10}": f"no_deal: {{cost: {cost}}}", "reservation: 40": "reservation: 47"}
    )
    space = input_space(loaded.scenario)
    model = Model(space, loaded.scenario)
    out = dict(zip(model.outputs(), model.evaluate(Evaluation(space.point)), strict=True))
    assert (out["zopa_margin"] >= 0) == bool(out["zopa"]) == analyze(loaded).zopa.exists
    assert out["zopa_margin"] >= -MARGIN_FLOOR


def test_each_swing_is_a_rerun_with_that_input_changed() -> None:
    loaded = _loaded()
    result = sensitivity(loaded, "oat")
    assert result.oat is not None
    tornado = result.tornado("nash.south")
    assert [r["swing"] for r in tornado] == sorted((r["swing"] for r in tornado), reverse=True)
    # South's reservation of 40 swings over 35..45 by default: rerun the static analysis there.
    row = next(
        r for r in result.tornado("zopa_margin") if r["input"] == "preferences.south.reservation"
    )
    for end, value in (("low", 35), ("high", 45)):
        edited = _loaded({"reservation: 40": f"reservation: {value}"})
        margin = analyze(edited).solutions["egalitarian"].value
        assert row[end] == pytest.approx(margin, abs=1e-9)


def test_inputs_are_named_by_path_and_ranges_follow_the_rules() -> None:
    scenario = toy(
        {
            "no_deal: {cost: 10}": "no_deal: {cost: {dist: uniform, low: 0, high: 20}}",
            "red_lines: {border: [north_line]}": "red_lines: {border: {options: [north_line], p: 0.3}}",
        }
    )
    space = input_space(scenario)
    found = {f.path: f for f in factors(space, scenario)}
    cost = found["preferences.north.no_deal.cost"]
    assert (cost.low, cost.high) == pytest.approx((1.0, 19.0))  # 5th and 95th percentiles
    assert cost.origin == "distribution"
    weight = found["preferences.north.weights.border"]
    assert (weight.low, weight.high) == pytest.approx((0.7 * 0.75, 0.7 * 1.25))
    assert found["preferences.north.red_lines.border"].origin == "red line"
    declared = {f.path for f in factors(space, scenario, spread=None)}
    assert declared == {"preferences.north.no_deal.cost", "preferences.north.red_lines.border"}


def test_a_lone_uncertain_input_carries_all_the_variance() -> None:
    loaded = _loaded({"reservation: 40": "reservation: {dist: uniform, low: 30, high: 60}"})
    result = sensitivity(loaded, "sobol", spread=None, samples=256)
    rows = result.sobol["zopa_margin"]
    assert [r["input"] for r in rows] == ["preferences.south.no_deal"]
    assert rows[0]["S1"] == pytest.approx(1.0, abs=0.05)
    assert rows[0]["ST"] == pytest.approx(1.0, abs=0.05)


def test_sobol_ranks_the_input_that_matters() -> None:
    # South's reservation moves the margin over a wide range, North's cost barely.
    loaded = _loaded(
        {
            "reservation: 40": "reservation: {dist: uniform, low: 20, high: 50}",
            "no_deal: {cost: 10}": "no_deal: {cost: {dist: uniform, low: 9, high: 11}}",
        }
    )
    result = sensitivity(loaded, "sobol", spread=None, samples=256)
    rows = {r["input"]: r for r in result.sobol["zopa_margin"]}
    assert rows["preferences.south.no_deal"]["ST"] > 0.8
    assert rows["preferences.north.no_deal"]["ST"] < 0.2
    assert np.isfinite([r["S1"] for r in rows.values()]).all()


def test_first_ripe_month_against_brute_force() -> None:
    from ceasefire.bargaining import BargainingProblem
    from ceasefire.bargaining.bruteforce import acceptable_mask, all_packages, package_units
    from ceasefire.uncertainty.picks import point_set
    from ceasefire.uncertainty.sensitivity import first_ripe_month

    rng = np.random.default_rng(12)
    for _ in range(20):
        tables = [rng.uniform(0, 10, size=(int(rng.integers(2, 5)), 3)) for _ in range(3)]
        problem = BargainingProblem.from_arrays(tables)
        best = sum(t.max(axis=0) for t in tables)
        months, n = 6, 40
        # Reservation values that fall month by month, so the zone tends to open later.
        start = best * rng.uniform(0.8, 1.1)
        values = start[None, :, None] - rng.uniform(0, 2, size=(months, 3, n)).cumsum(axis=0)
        floor = values[0].max(axis=1)  # a shallow frontier: most queries lie below it
        points = point_set(problem, floor=floor)
        got = first_ripe_month(problem, points, values, lambda v: v - 1e-6)
        packages = all_packages(problem)
        expected = float(months)
        for t in range(months):
            share = np.mean(
                [
                    acceptable_mask(
                        problem.with_reservation(values[t, :, s]),
                        packages,
                        package_units(problem, packages),
                    ).any()
                    for s in range(n)
                ]
            )
            if share >= 0.5:
                expected = float(t)
                break
        assert got == expected


def test_war_outputs_match_the_static_analysis() -> None:
    from pathlib import Path

    from ceasefire.scenario import load_scenario

    # SOURCE: tests/war/data/border-war.yaml, the war model's own invented test scenario.
    loaded = load_scenario(Path(__file__).parents[1] / "war" / "data" / "border-war.yaml")
    space = input_space(loaded.scenario)
    model = Model(space, loaded.scenario, seed=3, war_samples=512)
    out = dict(zip(model.outputs(), model.evaluate(Evaluation(space.point)), strict=True))
    static = analyze(loaded, samples=512, seed=3)
    assert static.war is not None
    ripe = static.war.ripeness.first_ripe_month
    assert out["first_ripe_month"] == (static.war.ripeness.months if ripe is None else ripe)
    assert out["zopa"] == float(static.zopa.exists)
    result = sensitivity(loaded, "oat", spread=None, war_samples=256)
    paths = {f.path for f in result.factors}
    assert any(p.startswith("war.") for p in paths)
    assert "first_ripe_month" in result.outputs


def test_month_zero_first_gives_what_the_whole_horizon_gives() -> None:
    # An evaluation computes the war model's month 0 first and the later months only when the
    # zone is not yet likely at month 0; the oracle computes every month at once.
    from pathlib import Path

    from ceasefire.scenario import load_scenario
    from ceasefire.uncertainty.sampling import realise
    from ceasefire.uncertainty.sensitivity import first_ripe_month
    from ceasefire.uncertainty.solve import frontier_cache

    # SOURCE: tests/war/data/border-war.yaml, the war model's own invented test scenario.
    loaded = load_scenario(Path(__file__).parents[1] / "war" / "data" / "border-war.yaml")
    space = input_space(loaded.scenario)
    model = Model(space, loaded.scenario, seed=5, war_samples=256)
    chosen = factors(space, loaded.scenario)
    rng = np.random.default_rng(4)
    ripe_months = []
    for k in range(12):
        theta = space.point.copy()
        war = []
        for f in chosen:
            value = float(f.value(rng.random(1))[0])
            if f.column is not None:
                theta[f.column] = value
            elif rng.random() < 0.3:
                war.append((f.path, value))
        if k % 3 == 0:  # values scaled down: no zone at month 0, perhaps later
            values_at = [j for j, i in enumerate(space.inputs) if i.kind == "value"]
            theta[values_at] *= rng.uniform(0.3, 0.9)
        evaluation = Evaluation(theta, tuple(war))
        got = dict(zip(model.outputs(), model.evaluate(evaluation), strict=True))
        values = model.war_values(evaluation.war)  # every month of the horizon
        draws = realise(space, theta[None, :], np.median(values[0], axis=1)[None, :])
        problem = draws.problem(space, 0)
        r = draws.reservation[0]
        points = frontier_cache.get(problem, (), model._floor(r - MARGIN_FLOOR))
        expected = first_ripe_month(problem, points, values, model._floor)
        assert got["first_ripe_month"] == expected
        ripe_months.append(expected)
    # Both ways were taken: ripe at once, and ripe later or never.
    assert 0.0 in ripe_months and any(m > 0 for m in ripe_months)
