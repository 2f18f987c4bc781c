"""Durability of packages: Minsk-like and Korean-armistice-like terms, monotone hazards, and the
``commitment`` entry of ``analyze --json``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.analysis import analyze
from ceasefire.commitment import durability, hazard_model
from ceasefire.scenario import utility as su
from tests.commitment.scenarios import DURING_BATTLE, FORMAL, truce

FRAGILE = 0.5  # more likely to break than to hold within five years
DURABLE = 0.9  # fewer than one in ten break within five years


def _package(scenario, **options: str) -> np.ndarray:
    labels = [su.option_labels(i) for i in scenario.issues]
    chosen = {i.id: i.status_quo for i in scenario.issues} | options
    return np.array([labels[k].index(chosen[i.id]) for k, i in enumerate(scenario.issues)])


def test_minsk_like_terms_are_fragile_and_korean_armistice_terms_durable() -> None:
    # Minsk II (12 Feb 2015): a written agreement signed while Debaltseve was still being fought
    # over, without a buffer zone that held, a guarantor or a joint commission.
    minsk = truce("\n".join([FORMAL, DURING_BATTLE])).scenario
    dur = durability(minsk, su.reservation_values(minsk))
    p_minsk = dur.p_hold(_package(minsk), 60)
    # Korea (27 Jul 1953): after two years of a static front; a DMZ, the Military Armistice
    # Commission, and the US-ROK Mutual Defense Treaty.
    korea = truce(FORMAL).scenario
    dur_korea = durability(korea, su.reservation_values(korea))
    p_korea = dur_korea.p_hold(
        _package(korea, buffer="dmz", commission="joint", guarantee="treaty"), 60
    )
    assert p_minsk < FRAGILE
    assert p_korea > DURABLE
    # What would make the Minsk-like terms last: the buffer zone first (the largest effect).
    best = dur.strengtheners(_package(minsk))[0]
    assert (best["issue"], best["option"]) == ("buffer", "dmz")
    assert best["p_hold_60"] > p_minsk
    assert best["cost"]["north"] > 0 > best["cost"]["south"]


@settings(max_examples=15, deadline=None)
@given(
    # A ratio a hair below 1 (1 - 1e-16) changes no p_hold in floating point: strictly below 1
    # means below 0.99 here, and 1 itself is the no-effect case.
    ratio=st.one_of(st.floats(0.01, 0.99), st.just(1.0)),
    key=st.sampled_from(
        ["buffer.none", "monitoring.none", "line.north_withdraws", "line.current_line"]
    ),
    months=st.sampled_from([1, 12, 36, 60, 240]),
)
@pytest.mark.parametrize("table", ["fortna2003", "lhr2008"])
def test_a_guarantee_never_lowers_p_hold(ratio: float, key: str, months: int, table: str) -> None:
    """Adding an effect with a ratio below 1 to an option raises or keeps every package's p_hold,
    whichever shipped table gives the other ratios."""
    before = truce(FORMAL, table)
    extra = f"      {key}: {{ratio: {ratio!r}, basis: {{sources: [FORTNA03]}}}}\n    context:"
    after_text = before.text.replace("    context:", extra, 1)
    from ceasefire.scenario import parse_scenario

    after = parse_scenario(after_text, "truce.yaml")
    shape = [len(su.option_labels(i)) for i in before.scenario.issues]
    packages = np.indices(shape).reshape(len(shape), -1).T
    p0 = hazard_model(before.scenario).p_hold(packages, months)
    p1 = hazard_model(after.scenario).p_hold(packages, months)
    assert (p1 >= p0).all()
    assert (p1 > p0).any() or ratio == 1.0


def test_analyze_json_has_the_commitment_entry() -> None:
    result = analyze(truce(FORMAL))
    doc = result.to_dict()
    commitment = doc["commitment"]
    assert set(commitment["p_hold"]) == set(doc["solutions"])
    for by_month in commitment["p_hold"].values():
        assert list(by_month) == ["12", "36", "60"]
        assert 1 >= by_month["12"] >= by_month["36"] >= by_month["60"] > 0
    assert set(commitment["commitment_gap"]) == {"north", "south"}
    for item in commitment["strengtheners"]:
        assert set(item) >= {"issue", "option", "p_hold_60", "cost"}
    for solution in doc["solutions"].values():
        assert set(solution["nominal_utilities"]) == {"north", "south"}
    # Effective utilities of the chosen packages: p U + (1 - p) V, V = reservation (no war).
    nash = result.solutions["nash"]
    assert nash.package is not None and nash.utilities is not None
    p = commitment["p_hold"]["nash"]["60"]
    nominal = np.array(list(doc["solutions"]["nash"]["nominal_utilities"].values()))
    reservation = np.array([doc["reservation"]["north"], doc["reservation"]["south"]])
    np.testing.assert_allclose(nash.utilities, p * nominal + (1 - p) * reservation, atol=1e-9)


def test_on_small_scenarios_the_frontier_and_solutions_equal_brute_force() -> None:
    from ceasefire.bargaining.bruteforce import (
        brute_force_effective_frontier,
        brute_force_effective_solution,
    )
    from tests.bargaining.test_oracle import assert_matches_oracle
    from tests.commitment.scenarios import powell_pie

    for loaded in (truce(FORMAL), truce("\n".join([FORMAL, DURING_BATTLE])), powell_pie(6, 4, 5)):
        result = analyze(loaded)
        assert result.commitment is not None
        eff = result.commitment.effective
        for acceptable_only in (False, True):
            assert_matches_oracle(
                eff.frontier(acceptable_only=acceptable_only),
                brute_force_effective_frontier(eff, acceptable_only=acceptable_only),
            )
        for name, solution in result.solutions.items():
            oracle = brute_force_effective_solution(eff, name)
            assert solution.package is not None
            assert tuple(int(o) for o in solution.package) in oracle.optimal


def test_a_numeric_issue_has_a_hazard_ratio_per_unit_above_its_status_quo() -> None:
    import math

    from ceasefire.scenario import parse_scenario
    from tests.commitment.scenarios import powell_pie

    text = powell_pie(0, 5, 5, base=0.01).text.replace(
        "  renewed_war:",
        "    effects:\n      share: {ratio: 0.9, basis: {assumption: per point}}\n  renewed_war:",
    )
    model = hazard_model(parse_scenario(text, "pie.yaml").scenario)
    shares = np.array([[60], [70], [50]])  # grid index = share
    np.testing.assert_allclose(
        model.rate(shares), [0.01, 0.01 * 0.9**10, 0.01 * 0.9**-10], rtol=1e-12
    )
    assert math.isclose(model.p_hold(shares, 12)[1], math.exp(-12 * 0.01 * 0.9**10), rel_tol=1e-12)


def test_uncertain_ratios_give_a_spread_of_p_hold() -> None:
    from ceasefire.scenario import parse_scenario

    text = truce(FORMAL).text.replace(
        "buffer.dmz: {mechanism: dmz,",
        "buffer.dmz: {ratio: {dist: lognormal, median: 0.3, sigma: 0.5},",
    )
    loaded = parse_scenario(text, "truce.yaml")
    scenario = loaded.scenario
    dmz = _package(scenario, buffer="dmz")
    first = durability(scenario, su.reservation_values(scenario), seed=4)
    again = durability(scenario, su.reservation_values(scenario), seed=4)
    spread = first.p_hold_range(dmz, 60)
    assert spread == again.p_hold_range(dmz, 60)
    assert spread["p5"] < spread["p50"] < spread["p95"]
    # The median draw of the ratio is 0.3, the table's own figure.
    fixed = durability(truce(FORMAL).scenario, su.reservation_values(scenario))
    assert abs(spread["p50"] - fixed.p_hold(dmz, 60)) < 0.01
    # Without uncertain numbers the range collapses onto p_hold.
    assert set(fixed.p_hold_range(dmz, 60).values()) == {fixed.p_hold(dmz, 60)}
    doc = analyze(loaded).to_dict()
    assert set(doc["commitment"]["packages"]["nash"]["p_hold_range"]) == {"12", "36", "60"}
