"""With a ``commitment:`` section every sample is judged on effective utilities, as ``analyze``
judges the point values: checked against enumeration of every package, sample by sample."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings

from ceasefire.bargaining import CONCEPTS, quantize
from ceasefire.bargaining.bruteforce import all_packages, brute_force_effective_solution
from ceasefire.bargaining.effective import EffectiveProblem, effective_units
from ceasefire.bargaining.problem import TOLERANCE_UNITS
from ceasefire.commitment import durability
from ceasefire.commitment.hazard import hazard_model
from ceasefire.commitment.renewed_war import renewed_without_war
from ceasefire.scenario import Scenario
from ceasefire.scenario import utility as su
from ceasefire.uncertainty.commitment import sample_commitment
from ceasefire.uncertainty.inputs import input_space
from ceasefire.uncertainty.robustness import robustness
from ceasefire.uncertainty.sampling import blocks, draw_block, realise
from ceasefire.uncertainty.solve import count_acceptable, solve_samples
from tests.strategies import random_scenario, seeds

BASIS = {"assumption": "invented for a test"}


def with_commitment(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """``scenario`` with a random ``commitment:`` section: hazard ratios and a doubtful clause on
    categorical options, a shift of each party's renewed war, self-enforcement or not."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    effects: dict[str, Any] = {}
    compliance: dict[str, Any] = {}
    for issue in scenario.issues:
        if issue.kind != "categorical":
            continue
        for option in issue.option_ids:
            if rng.random() < 0.4:
                ratio = float(np.exp(rng.uniform(-2.0, 1.0)))
                effects[f"{issue.id}.{option}"] = {"ratio": ratio, "basis": BASIS}
            elif rng.random() < 0.2 and option != issue.status_quo:
                p = float(rng.uniform(0.1, 0.9))
                by = scenario.parties[0].id
                compliance[f"{issue.id}.{option}"] = {"by": by, "p": p, "basis": BASIS}
    shift = {p.id: {"value": float(rng.uniform(-15, 15)), "basis": BASIS} for p in scenario.parties}
    data["commitment"] = {
        "horizon_months": int(rng.integers(12, 121)),
        "hazard": {
            "base": {"value": float(rng.uniform(0.002, 0.05)), "basis": BASIS},
            "effects": effects,
        },
        "compliance": compliance,
        "renewed_war": {"shift": shift, "self_enforcing": bool(rng.random() < 0.5)},
    }
    return Scenario.model_validate(data)


def direct(scenario: Scenario, problem: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every package and whether it is acceptable in the sample ``problem`` (veto-only), from
    the hazard model and the renewed war directly, package by package."""
    section = scenario.commitment
    assert section is not None
    packages = all_packages(problem)
    nominal = problem.utility_units(packages)
    hold = hazard_model(scenario).p_hold(packages, section.horizon_months)
    veto = [i for i, p in enumerate(scenario.parties) if p.has_veto]
    renewed = renewed_without_war(scenario, su.reservation_values(scenario))[veto]
    renewed_units = np.tile(quantize(renewed), (packages.shape[0], 1))
    value = effective_units(nominal, hold, renewed_units)
    ok = (value >= problem.reservation_units - TOLERANCE_UNITS).all(axis=1)
    if section.renewed_war.self_enforcing:
        ok &= (nominal >= renewed_units - TOLERANCE_UNITS).all(axis=1)
    for k, banned in enumerate(problem.forbidden):
        ok &= ~np.asarray(banned)[packages[:, k]]
    return packages, ok


def _scenario(seed: int) -> Scenario:
    rng = np.random.default_rng(seed)
    base = random_scenario(rng, uncertain_preferences=bool(rng.random() < 0.5))
    return with_commitment(base, rng)


@settings(max_examples=20)
@given(seed=seeds)
def test_every_sample_is_judged_on_effective_utilities(seed: int) -> None:
    """Zone or not, and each concept's package, against enumeration of every package."""
    scenario = _scenario(seed)
    space = input_space(scenario)
    commitment = sample_commitment(space)
    assert commitment is not None
    for block in blocks(30, seed):
        theta, war = draw_block(space, block)
        draws = realise(space, theta, war)
        outcomes = solve_samples(space, draws, list(CONCEPTS), theta)
        for s in range(draws.size):
            problem = draws.problem(space, s)
            packages, ok = direct(scenario, problem)
            assert outcomes.exists[s] == ok.any()
            eff = commitment.effective(problem)
            for name in CONCEPTS:
                chosen = tuple(int(x) for x in outcomes.chosen[name][s])
                if not ok.any():
                    assert chosen == (-1,) * len(chosen)
                    continue
                assert ok[packages.tolist().index(list(chosen))]
                assert chosen in brute_force_effective_solution(eff, name).optimal, name


@settings(max_examples=15)
@given(seed=seeds)
def test_acceptance_counts_are_those_of_enumeration(seed: int) -> None:
    """In how many samples each package is acceptable: the fast count and ``robust``'s most
    robust package against enumeration."""
    scenario = _scenario(seed)
    space = input_space(scenario)
    n = 40
    total = None
    for block in blocks(n, seed):
        draws = realise(space, *draw_block(space, block))
        problem0 = draws.problem(space, 0)
        packages = all_packages(problem0)
        counts = np.zeros(packages.shape[0], dtype=np.int64)
        for s in range(draws.size):
            counts += direct(scenario, draws.problem(space, s))[1]
        assert (count_acceptable(draws, space, packages) == counts).all()
        total = counts if total is None else total + counts
    assert total is not None
    result = robustness(space, n, seed)
    assert total.max() <= result.zopa
    if result.zopa == 0:
        assert total.max() == 0
    if result.most_robust is not None:
        row = [list(map(int, p)) for p in packages].index(list(result.most_robust.package))
        assert result.most_robust.acceptable == total[row]
        if result.most_robust.acceptable == result.zopa:
            assert total.max() == result.zopa
    for entry in result.packages:
        row = [list(map(int, p)) for p in packages].index(list(entry.package))
        assert entry.acceptable == total[row]


def test_at_the_point_values_a_sample_is_analyzes_problem() -> None:
    """A sample at the point values has the effective problem ``analyze`` builds: the same
    compliance-adjusted utilities, chance of holding and renewed-war values."""
    rng = np.random.default_rng(7)
    for _ in range(10):
        scenario = with_commitment(random_scenario(rng), rng)
        space = input_space(scenario)
        commitment = sample_commitment(space)
        assert commitment is not None
        draws = realise(space, space.point[None, :])
        reservation = su.reservation_values(scenario)
        analyzed = durability(scenario, reservation).effective
        veto = analyzed.problem.veto_indices
        for k in range(len(space.issues)):
            assert (draws.contributions[k][0] == analyzed.problem.contributions[k][:, veto]).all()
        assert commitment.group_issues == analyzed.group_issues
        assert (commitment.hold == analyzed.hold).all()
        assert (commitment.renewed == analyzed.renewed[:, veto]).all()
        sample = commitment.effective(draws.problem(space, 0))
        assert isinstance(sample, EffectiveProblem)
        assert sample.zopa().exists == analyzed.zopa().exists


@settings(max_examples=8)
@given(seed=seeds)
def test_score_and_mediate_count_the_same_samples(seed: int) -> None:
    """``score``'s P(accepts) of every package and ``mediate``'s P(zone) without an offer, with a
    ``commitment:`` section: the shares of the samples in which enumeration accepts."""
    from types import SimpleNamespace

    from ceasefire.mediation.offers import offer_space
    from ceasefire.mediation.probability import zopa_counts
    from ceasefire.scoring import accept_shares, bargaining_setting

    scenario = _scenario(seed)
    space = input_space(scenario, seed=seed)
    n = 30
    setting = bargaining_setting(SimpleNamespace(scenario=scenario), n, seed)  # type: ignore[arg-type]
    exists = 0
    together = None
    for block in blocks(n, seed):
        draws = realise(space, *draw_block(space, block))
        counts = None
        for s in range(draws.size):
            packages, ok = direct(scenario, draws.problem(space, s))
            counts = ok.astype(np.int64) if counts is None else counts + ok
            exists += bool(ok.any())
        assert counts is not None
        together = counts if together is None else together + counts
    assert together is not None
    _, p_all = accept_shares(scenario, setting, packages, n, seed)
    assert np.array_equal(np.rint(np.array(p_all) * n).astype(np.int64), together)
    offers = offer_space(scenario, space.parties)
    nothing = np.array([offers.nothing], dtype=np.intp)
    assert int(zopa_counts(space, offers, nothing, n, seed)[0]) == exists


def test_a_shared_frontier_keeps_points_within_the_tolerance() -> None:
    """The frontier cut at a low floor is exact, not eps-filtered: ``q`` beats ``p`` by more than
    the tolerance for one party and falls short by less for the other, so the eps-filter drops
    ``p``; at reservation values that ``p`` meets and ``q`` does not, the zone is ``p``'s."""
    from ceasefire.bargaining import BargainingProblem
    from ceasefire.uncertainty.commitment import SampleCommitment
    from ceasefire.uncertainty.picks import pick
    from ceasefire.uncertainty.solve import frontier_cache

    p, q = (50 - 0.9e-9, 50.0), (50 - 1.8e-9, 60.0)
    problem = BargainingProblem(
        parties=("a", "b"),
        veto=(True, True),
        issues=("terms",),
        options=(("p", "q"),),
        contributions=(np.array([p, q]),),
        forbidden=(np.zeros(2, dtype=bool),),
        reservation=np.zeros(2),
    )
    commitment = SampleCommitment((), np.ones(1), np.zeros((1, 2)), False, ())
    reservation = np.array([50.0, 0.0])
    analyzed = commitment.effective(problem).with_reservation(reservation)
    assert analyzed.zopa().exists  # p alone
    assert len(analyzed.with_reservation(np.zeros(2)).frontier(acceptable_only=True).points) == 1
    points = frontier_cache.get(problem, (), np.zeros(2), commitment)
    assert pick(points, quantize(reservation[None, :]), []).exists[0]
