"""The belief model: nesting, and the theory it must reproduce.

Scenarios: ``tests/war/data/border-war.yaml`` and ``tests/war/data/duel.yaml`` (invented for tests;
in the duel the analyst's war is certain, so the sides' beliefs are the only disagreement). Every
run is seeded; the sizes are small enough for the test suite, and each theory test compares two runs
on the same worlds (common random numbers).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.analysis import analyze
from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.executor import ProcessExecutor, SerialExecutor, dask_available
from ceasefire.scenario import parse_scenario
from ceasefire.scenario.beliefs import PrivateType
from ceasefire.scenario.model import Scenario
from ceasefire.war import red_line_free_points, reservation_values, simulate
from ceasefire.war.beliefs import Beliefs, belief_model, best_offer_agreement

DATA = Path(__file__).parent / "data"
BORDER = (DATA / "border-war.yaml").read_text()
DUEL = (DATA / "duel.yaml").read_text()


def scenario_with(base: str, extra: str) -> Scenario:
    return parse_scenario(base + extra, "test.yaml").scenario


def points(scenario: Scenario) -> np.ndarray:
    problem = build_problem(scenario, {p.id: 0.0 for p in scenario.parties})
    return red_line_free_points(problem)


def run(scenario: Scenario, **options: int) -> Beliefs:
    settings = {"worlds": 256, "particles": 64, "months": 10, **options}
    return belief_model(scenario, points(scenario), **settings)


def duel_beliefs(
    east: str,
    west: str,
    *,
    territory: float | None = 0.5,
    casualties: float | None = 1.0,
    path: str = "combat.defence_advantage",
    strength: float = 6,
) -> str:
    observe = []
    if territory is not None:
        observe.append(f"    territory: {{noise_sd_pct: {territory}}}")
    if casualties is not None:
        observe.append(f"    casualties: {{noise_rel: {casualties}}}")
    learning = "learning:\n  observe:\n" + "\n".join(observe) + "\n" if observe else ""
    return f"""beliefs:
  east:
    war:
      {path}: {east}
    prior_strength: {strength}
    basis:
      {path}: {{assumption: "Invented."}}
  west:
    war:
      {path}: {west}
    prior_strength: {strength}
    basis:
      {path}: {{assumption: "Invented."}}
{learning}"""


# Divergent priors that both contain the truth (defence advantage 3): East thinks attacking easier,
# West harder, than it is.
OPTIMIST = "{dist: uniform, low: 1.5, high: 3.5}"
PESSIMIST = "{dist: uniform, low: 2.5, high: 6}"
SHARED = "{dist: uniform, low: 2.5, high: 3.5}"


def first(series: list[float], at_least: float = 0.5) -> int:
    hits = [t for t, x in enumerate(series) if x >= at_least]
    return hits[0] if hits else len(series)


# ---- nesting -----------------------------------------------------------------------------------


def test_without_beliefs_the_analysis_has_no_beliefs_entry() -> None:
    loaded = parse_scenario(BORDER, "border-war.yaml")
    document = analyze(loaded, samples=256, seed=3).to_dict()
    assert "beliefs" not in document


@cache
def border_reference() -> tuple[np.ndarray, list[float]]:
    scenario = parse_scenario(BORDER, "border-war.yaml").scenario
    values = reservation_values(scenario, samples=300, seed=5, months=6).values
    loaded = parse_scenario(BORDER, "border-war.yaml")
    ripe = analyze(loaded, samples=300, seed=5, horizon=None).to_dict()["ripeness"]["p_zopa"]
    return values, ripe


@pytest.mark.parametrize(
    "extra",
    [
        # Listed, but with no belief of its own: it shares the analyst's war.
        "beliefs:\n  east:\n    war: {}\n",
        # A belief identical to the analyst's war: a fixed number equal to the file's.
        "beliefs:\n  west:\n    war:\n      combat.breakthrough_slope: 6\n"
        "    basis:\n      combat.breakthrough_slope: {assumption: Same as the analyst.}\n",
    ],
)
def test_beliefs_identical_to_the_analysts_war_reproduce_the_war_model(extra: str) -> None:
    """Nesting: parties that believe what the analyst's war says get the war model's values of no
    deal, and the zone under their own beliefs is the ripeness computed without beliefs."""
    scenario = scenario_with(BORDER, extra)
    result = run(scenario, worlds=300, months=6, particles=16, seed=5)
    values, _ = border_reference()
    if "war: {}" in extra:
        assert np.array_equal(result.reservations, values)
    else:  # a weighted mean of identical values: equal to rounding
        np.testing.assert_allclose(result.reservations, values, rtol=0, atol=1e-9)
    loaded = parse_scenario(BORDER + extra, "border-war.yaml")
    document = analyze(loaded, samples=300, seed=5, horizon=12, worlds=300, particles=16)
    without = analyze(parse_scenario(BORDER, "b.yaml"), samples=300, seed=5, horizon=12)
    doc = document.to_dict()
    assert doc["beliefs"]["p_zopa_own_beliefs"] == doc["ripeness"]["p_zopa"]
    assert doc["beliefs"]["p_agreement_best_offer"] == doc["ripeness"]["p_zopa"]
    # "assumptions" names the mechanisms that are on: beliefs, here.
    rest = {k: v for k, v in doc.items() if k not in ("beliefs", "provenance", "assumptions")}
    plain_keys = ("provenance", "assumptions")
    plain = {k: v for k, v in without.to_dict().items() if k not in plain_keys}
    assert json.dumps(rest, sort_keys=True) == json.dumps(plain, sort_keys=True)


def test_beliefs_identical_to_the_analysts_war_reproduce_outcomes_that_deliver_terms() -> None:
    """Nesting with ``war.outcomes``: a party's own value of no deal is the expectation over the
    war's end states, as in the war model, for parties with and without beliefs of their own."""
    from tests.war.test_outcomes import with_outcomes

    text = with_outcomes(text=BORDER)
    scenario = scenario_with(
        text,
        "beliefs:\n  west:\n    war:\n      combat.breakthrough_slope: 6\n"
        "    basis:\n      combat.breakthrough_slope: {assumption: Same as the analyst.}\n",
    )
    # Over two years a side can break in this scenario: the terms matter.
    result = run(scenario, worlds=300, months=6, particles=8, seed=5, horizon=24)
    values = reservation_values(scenario, samples=300, seed=5, months=6, horizon=24).values
    plain = reservation_values(
        parse_scenario(BORDER).scenario, samples=300, seed=5, months=6, horizon=24
    )
    assert not np.allclose(values, plain.values)
    np.testing.assert_allclose(result.reservations, values, rtol=0, atol=1e-9)


def test_settle_later_with_beliefs_is_refused() -> None:
    """The option to settle later is the war model's own backward induction; the belief model does
    not compute it, so a scenario may not ask for both."""
    from ceasefire.scenario import ScenarioError

    text = BORDER.replace("  horizon_months: 12\n", "  horizon_months: 12\n  settle_later: true\n")
    parse_scenario(text)
    with pytest.raises(ScenarioError, match="settle_later"):
        parse_scenario(text + "beliefs:\n  east:\n    war: {}\n")


def test_results_do_not_depend_on_how_many_worlds_are_run() -> None:
    scenario = scenario_with(DUEL, duel_beliefs(OPTIMIST, PESSIMIST))
    small = run(scenario, worlds=256, months=4)
    large = run(scenario, worlds=300, months=4)
    assert np.array_equal(small.reservations, large.reservations[:, :, :256])
    assert np.array_equal(small.line, large.line[:, :, :256])


def test_identical_results_for_any_executor() -> None:
    scenario = scenario_with(DUEL, duel_beliefs(OPTIMIST, PESSIMIST))
    serial = run(scenario, worlds=600, months=3, particles=16).to_dict()
    with ProcessExecutor(2) as executor:
        pooled = belief_model(
            scenario, points(scenario), worlds=600, months=3, particles=16, executor=executor
        ).to_dict()
    assert pooled == serial
    if dask_available():
        from ceasefire.executor import DaskExecutor

        with DaskExecutor(workers=2) as dask:
            on_dask = belief_model(
                scenario, points(scenario), worlds=600, months=3, particles=16, executor=dask
            ).to_dict()
        assert on_dask == serial
    assert run(scenario, worlds=600, months=3, particles=16).to_dict() == serial
    assert isinstance(SerialExecutor(), SerialExecutor)


# ---- theory ------------------------------------------------------------------------------------


@cache
def noise_runs() -> tuple[dict[str, object], dict[str, object]]:
    clear = run(
        scenario_with(DUEL, duel_beliefs(OPTIMIST, PESSIMIST, territory=0.01, casualties=0.02))
    )
    foggy = run(
        scenario_with(DUEL, duel_beliefs(OPTIMIST, PESSIMIST, territory=0.5, casualties=1.0))
    )
    return clear.to_dict(), foggy.to_dict()


def test_less_observation_noise_closes_the_belief_gap_sooner() -> None:
    """Convergence [Slantchev 2003, "The principle of convergence in wartime negotiations", APSR
    97(4)]: fighting reveals information, and the more clearly the sides see it, the faster their
    expectations converge."""
    clear, foggy = noise_runs()
    gap_clear, gap_foggy = np.array(clear["belief_gap"]), np.array(foggy["belief_gap"])
    assert gap_clear[0] == pytest.approx(gap_foggy[0])  # the same priors
    assert np.all(gap_clear[1:] < gap_foggy[1:])
    assert np.all(np.diff(gap_clear) < 0)  # the gap closes month after month
    month_clear, month_foggy = clear["first_converged_month"], foggy["first_converged_month"]
    assert isinstance(month_clear, int)
    assert month_foggy is None or month_clear < month_foggy


def test_less_observation_noise_opens_the_zone_sooner() -> None:
    """Convergence [Slantchev 2003]: settlement becomes possible once expectations converge, so
    clearer observation brings the zone of agreement under the parties' own beliefs sooner."""
    clear, foggy = noise_runs()
    zone_clear = np.array(clear["p_zopa_own_beliefs"])
    zone_foggy = np.array(foggy["p_zopa_own_beliefs"])
    assert zone_clear[0] == zone_foggy[0] < 0.5  # no zone while the sides disagree
    assert first(list(zone_clear)) < first(list(zone_foggy))
    assert zone_clear[1:].sum() > zone_foggy[1:].sum()


def test_divergent_priors_lengthen_the_time_to_a_zone() -> None:
    """Smith & Stam 2004 ("Bargaining and the nature of war", JCR 48(6)): when the sides' priors
    about the war diverge, they need more fighting before their expectations allow a deal."""
    divergent = run(scenario_with(DUEL, duel_beliefs(OPTIMIST, PESSIMIST))).to_dict()
    shared = run(scenario_with(DUEL, duel_beliefs(SHARED, SHARED))).to_dict()
    assert first(shared["p_zopa_own_beliefs"]) < first(divergent["p_zopa_own_beliefs"])
    assert np.all(np.array(shared["belief_gap"]) < np.array(divergent["belief_gap"]))


def test_battlefield_losses_lower_the_losing_sides_expected_terms() -> None:
    """Filson & Werner 2002 ("A bargaining model of war and peace", AJPS 46(4)): battles reveal
    information, and a side that learns it is weaker than it thought lowers its demands. West
    believes its fire more lethal than it is; learning from the fighting lowers its value of no
    deal against the same worlds without observations, and most where it fared worst."""
    prior = "{dist: uniform, low: 0.012, high: 0.03}"  # the truth, 0.012, at its low end
    path = "sides[west].lethality"
    watching = scenario_with(
        DUEL, duel_beliefs(prior, prior, path=path, territory=0.05, casualties=0.1)
    )
    blind = scenario_with(
        DUEL, duel_beliefs(prior, prior, path=path, territory=None, casualties=None)
    )
    seen, unseen = run(watching, months=8), run(blind, months=8)
    west = seen.parties.index("west")
    drop = seen.reservations[:, west] - unseen.reservations[:, west]  # (months, worlds)
    assert np.array_equal(drop[0], np.zeros_like(drop[0]))  # nothing seen yet
    assert np.all(drop[1:].mean(axis=1) < 0)
    # Worlds where West's fire did least (fewest East casualties: West lost the battles) lower
    # West's expectations most.
    truth = simulate(watching, samples=256, months=7, seed=0)
    inflicted = truth.casualties[-1, 0]
    assert np.corrcoef(inflicted, drop[-1])[0, 1] > 0.3


def private_runs(sigmas: tuple[float, ...]) -> list[dict[str, object]]:
    out = []
    for sigma in sigmas:
        extra = (
            "private:\n  east:\n"
            f"    cost_multiplier: {{dist: lognormal, median: 1.0, sigma: {sigma}}}\n"
            "    basis: {cost_multiplier: {assumption: Invented.}}\n"
        )
        out.append(run(scenario_with(DUEL, extra), worlds=512, months=4, particles=1).to_dict())
    return out


def test_private_costs_make_the_best_offer_risk_rejection_more_with_more_variance() -> None:
    """Fearon 1995 ("Rationalist explanations for war", IO 49(3)), the risk-return trade-off: a
    proposer that does not know the other's costs asks for more than the least favourable type
    would accept, so its best offer is rejected with positive probability, the more so the more
    it is unsure of the other's type."""
    runs = private_runs((0.1, 0.3, 0.6))
    rejection = []
    for document in runs:
        zone = np.array(document["p_zopa_own_beliefs"])
        agreement = np.array(document["p_agreement_best_offer"])
        assert np.all(agreement <= zone)
        rejection.append(float((zone - agreement).mean()))
    assert rejection[0] > 0
    assert rejection[0] < rejection[1] < rejection[2]


def test_best_offer_against_a_uniform_type_matches_the_closed_form() -> None:
    """Fearon 1995: with a responder's value of no deal uniform on ``[lo, hi]`` and a linear
    frontier ``U_p = 100 - U_j``, the proposer's best offer gives ``y* = (100 - r_p + lo) / 2``
    and is rejected with probability ``1 - (y* - lo) / (hi - lo)`` (interior optimum); the model
    solves it by search over the packages, so agree to the grid's resolution."""
    grid = np.linspace(0, 100, 2001)
    frontier = np.stack([100 - grid, grid], axis=1)  # (proposer, responder)
    r_p, outcome, cost = 50.0, 60.0, 20.0  # responder: 60 - c 20, c ~ U[1 - a, 1 + a]
    rejection = []
    for a in (0.25, 0.5, 0.75):
        lo, hi = outcome - (1 + a) * cost, outcome - (1 - a) * cost
        y = (100 - r_p + lo) / 2
        assert lo < y < hi  # an interior optimum
        expected_rejection = 1 - (y - lo) / (hi - lo)
        private = PrivateType.model_validate(
            {"cost_multiplier": {"dist": "uniform", "low": 1 - a, "high": 1 + a}}
        )
        chance = best_offer_agreement(
            frontier,
            np.array([[[r_p], [outcome]]]),
            np.array([[[0.0], [cost]]]),
            np.ones((2, 1)),
            [None, private],
            [0],
            expected=True,
        )
        assert 1 - chance[0] == pytest.approx(expected_rejection, abs=5e-3)
        rejection.append(1 - chance[0])
    assert rejection[0] < rejection[1] < rejection[2]


# ---- the best offer against its brute-force oracle ---------------------------------------------


def best_offer_bruteforce(
    points: np.ndarray,
    outcome: np.ndarray,
    cost: np.ndarray,
    types: np.ndarray,
    tables: list[np.ndarray | None],
    proposer: int,
) -> tuple[float, float]:
    """Every package for every world, one at a time: (worlds where the best offer is accepted,
    sum of the proposer's probabilities that it is)."""
    from ceasefire.war.ripeness import TOLERANCE

    d, n = outcome.shape
    realised = expected = 0.0
    for w in range(n):
        r = outcome[:, w] - types[:, w] * cost[:, w]
        best: tuple[float, float, int] | None = None
        for x in range(points.shape[0]):
            gain = points[x, proposer] - r[proposer]
            if gain < -TOLERANCE:
                continue
            chance = 1.0
            for j in range(d):
                if j == proposer:
                    continue
                table = tables[j]
                short = outcome[j, w] - points[x, j] - TOLERANCE
                if table is None:
                    chance *= float(short <= cost[j, w])
                else:
                    chance *= float(np.mean(table * cost[j, w] >= short))
            if chance == 0:
                continue
            score = chance * max(gain, 0.0)
            if (
                best is None
                or score > best[0] + 1e-12
                or (abs(score - best[0]) <= 1e-12 and chance > best[1])
            ):
                best = (score, chance, x)
        if best is None:
            continue
        x = best[2]
        expected += best[1]
        realised += all(points[x, j] >= r[j] - TOLERANCE for j in range(d) if j != proposer)
    return realised, expected


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(1, 12),
    d=st.integers(2, 4),
    n=st.integers(1, 6),
    private=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_best_offer_matches_brute_force(
    seed: int, m: int, d: int, n: int, private: list[bool]
) -> None:
    from ceasefire.war.beliefs import _accepted, _type_table

    rng = np.random.default_rng(seed)
    points = np.round(rng.uniform(0, 100, (m, d)), 1)  # ties happen
    outcome = rng.uniform(20, 80, (d, n))
    cost = rng.uniform(-5, 20, (d, n))
    priv = [
        PrivateType.model_validate(
            {"cost_multiplier": {"dist": "lognormal", "median": 1, "sigma": 0.5}}
        )
        if flag and j > 0
        else None
        for j, flag in zip(range(d), private, strict=False)
    ]
    tables = [_type_table(x) for x in priv]
    types = np.ones((d, n))
    for j, x in enumerate(priv):
        if x is not None:
            types[j] = x.cost_multiplier.ppf(rng.random(n))
    r_true = outcome - types * cost
    fast = _accepted(points, outcome, cost, r_true, tables, 0)
    slow = best_offer_bruteforce(points, outcome, cost, types, tables, 0)
    assert fast[0] == slow[0]
    assert fast[1] == pytest.approx(slow[1], abs=1e-9)


def test_tempering_waits_for_the_first_month_whose_predictions_spread() -> None:
    """Where aid reaches the front with a lag, the first month's predictions do not depend on a
    belief about aid: the channel's tempering is fixed at the first month whose predictions under
    the prior spread, and kept from then on."""
    from ceasefire.war.beliefs import _temper, _tempering

    copies, size = 4, 2
    live = np.arange(size * copies)
    flat = (np.full(size * copies, 3.0), np.full(size * copies, 0.5), 0.1)
    spread_means = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 5.0])
    spread = (spread_means, np.full(size * copies, 0.5), 0.1)
    eta = _temper([], [flat], live, size, 6.0, copies)
    assert np.array_equal(eta[0], np.zeros(size))
    eta = _temper(eta, [spread], live, size, 6.0, copies)
    expected = _tempering(spread_means, np.full(size * copies, 0.5), 6.0, copies)
    assert eta[0][0] == expected[0] > 0 and eta[0][1] == 0.0  # the second world: still flat
    later = (spread_means * 10, np.full(size * copies, 0.5), 0.1)
    assert np.array_equal(_temper(eta, [later], live, size, 6.0, copies)[0][0], eta[0][0])


def test_the_bundled_scenarios_parties_learn_from_the_war() -> None:
    """In the bundled scenario (aid reaches the front with a lag of one to six months) the beliefs
    about aid are reweighted by what the parties observe."""
    from ceasefire.scenario import bundled_scenarios, load_scenario

    scenario = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario
    result = belief_model(scenario, points(scenario), worlds=16, particles=32, months=8)
    assert result.ess[-1].min() < 0.99


def test_results_are_those_of_the_reference_digests() -> None:
    """Same seed, same numbers: the belief model's results, bit for bit, are those it gave before
    its events and speed changes (``tests/war/beliefs_golden.py``)."""
    from tests.war.beliefs_golden import GOLDEN, digests

    assert digests() == json.loads(GOLDEN.read_text())
