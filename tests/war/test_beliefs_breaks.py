"""Learning from whether an army has broken (``learning.observe.breaks``).

Each month the enemy's army survives is evidence about its breaking point [FilsonWerner2002,
Slantchev2003, SmithStam2004]: a particle that predicts a collapse that does not come loses weight
by the tempered likelihood of the report (docs/explanation/beliefs.md, section 2). The scenario is
the invented duel of ``tests/war/data/duel.yaml``, whose analyst's war is certain, with East holding
beliefs about West's breaking casualties; the analyst's West never breaks within the horizon.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.scenario import parse_scenario
from ceasefire.scenario.model import Scenario
from ceasefire.war import simulate
from ceasefire.war.batna import project
from ceasefire.war.beliefs import Beliefs, _particles, belief_model, with_beliefs
from tests.war.test_beliefs import points

DATA = Path(__file__).parent / "data"
PATH = "sides[west].break_casualties"
TRUTH = 1_000_000.0  # West's breaking casualties in the analyst's war: never reached here


def duel(
    prior: str, *, breaks: str | None = "{}", strength: float = 2.0, truth: float = TRUTH
) -> Scenario:
    """The duel with West breaking at ``truth`` casualties, East's ``prior`` about that number, and
    the front observed, with ``breaks`` (None: not observed)."""
    text = (DATA / "duel.yaml").read_text()
    east, west = text.split("    - party: west\n")
    west = west.replace(
        "      lethality: 0.012\n",
        f"      lethality: 0.012\n      break_casualties: {truth:.0f}\n",
        1,
    ).replace(
        '        lethality: {assumption: "Invented."}\n',
        '        lethality: {assumption: "Invented."}\n'
        '        break_casualties: {assumption: "Invented."}\n',
        1,
    )
    observed = "    territory: {noise_sd_pct: 0.5}\n"
    if breaks is not None:
        observed += f"    breaks: {breaks}\n"
    extra = f"""beliefs:
  east:
    war:
      {PATH}: {prior}
    prior_strength: {strength}
    basis:
      {PATH}: {{assumption: "Invented."}}
learning:
  observe:
{observed}"""
    return parse_scenario(east + "    - party: west\n" + west + extra, "duel.yaml").scenario


def run(scenario: Scenario, *, worlds: int = 48, particles: int = 32, seed: int = 3) -> Beliefs:
    return belief_model(
        scenario, points(scenario), worlds=worlds, particles=particles, seed=seed, months=6
    )


def expected_break(result: Beliefs) -> np.ndarray:
    """East's expectation of West's breaking casualties ``(months, worlds)``."""
    return result.expected_parameters["east"][PATH]


def soon(low: float, p: float) -> str:
    """A two-point prior: West breaks at ``low`` casualties (probability ``p``) or never."""
    return f"{{dist: choice, alternatives: [{low}, {TRUTH:.0f}], p: [{p}, {1 - p}]}}"


def weight_on(result: Beliefs, low: float) -> np.ndarray:
    """East's weight on West breaking at ``low`` ``(months, worlds)``, from its expectation."""
    return (TRUTH - expected_break(result)) / (TRUTH - low)


def test_without_the_channel_a_belief_about_a_break_point_is_never_revised() -> None:
    """The limit the channel removes: the front predicts the same reports whatever the threshold
    until the collapse, so without ``breaks`` the expectation stays at the prior's."""
    result = run(duel("{dist: uniform, low: 2000, high: 40000}", breaks=None))
    values = expected_break(result)
    np.testing.assert_array_equal(values, np.broadcast_to(values[0], values.shape))
    np.testing.assert_array_equal(result.ess[:, 0], 1.0)


def test_particles_whose_break_point_is_passed_lose_their_weight() -> None:
    """A prior that puts half its weight on West breaking at 2,000 casualties, which West passes in
    its first month without breaking: that weight falls month after month."""
    result = run(duel(soon(2000, 0.5), strength=2.0))
    share = weight_on(result, 2000).mean(axis=1)
    assert 0.35 < share[0] < 0.65
    assert np.all(np.diff(share[1:]) < 0), share
    assert share[-1] < 0.05 * share[0], share


@settings(max_examples=8, deadline=None)
@given(
    error=st.floats(0.01, 0.3),
    strength=st.floats(0.5, 24.0),
    low=st.floats(1.0, 8000.0),
    seed=st.integers(0, 50),
)
def test_the_weights_follow_the_tempered_likelihood_of_each_report(
    error: float, strength: float, low: float, seed: int
) -> None:
    """Oracle, world by world and month by month: East's odds on the low breaking point change by
    ``(L_low / L_high) ** (1 / kappa)``, each ``L`` the probability of the report (West held)
    under that particle, ``error + (1 - 2 error) q`` for a break, ``q`` the war model's crossing
    probability projected one month from the month's true state with the particle's parameters."""
    scenario = duel(soon(low, 0.5), breaks=f"{{error: {error}}}", strength=strength)
    worlds, months = 6, 6
    result = run(scenario, worlds=worlds, particles=16, seed=seed)
    war = scenario.war
    assert war is not None
    truth = simulate(scenario, samples=worlds, months=months - 1, seed=seed, keep_states=True)
    weights = weight_on(result, low)
    for w in range(worlds):
        if weights[0, w] in (0.0, 1.0):
            continue  # every particle drew the same value: nothing to learn
        log_odds = math.log(weights[0, w] / (1 - weights[0, w]))
        for t in range(1, months):
            before, after = truth.states[t - 1], truth.states[t]
            assert not after.collapsed[1, w]
            ll = []
            for value in (low, TRUTH):
                params = with_beliefs(
                    scenario, _particles(truth.parameters, np.array([w])), {PATH: np.array([value])}
                )
                q = project(
                    before.select(np.array([w])),
                    params,
                    war.horizon_months,
                    war.steps_per_month,
                    first_month=True,
                ).collapse_first
                assert q is not None
                ll.append(math.log1p(-(error + (1 - 2 * error) * float(q[1, 0]))))
            log_odds += (ll[0] - ll[1]) / strength
            expected = 1 / (1 + math.exp(-log_odds))
            assert math.isclose(weights[t, w], expected, rel_tol=1e-6, abs_tol=1e-9), (t, w)


@settings(max_examples=6, deadline=None)
@given(
    low=st.floats(500.0, 6000.0),
    width=st.floats(1000.0, 60000.0),
    strength=st.floats(1.0, 12.0),
    seed=st.integers(0, 50),
)
def test_the_expected_belief_gap_about_the_break_point_shrinks_month_by_month(
    low: float, width: float, strength: float, seed: int
) -> None:
    """East expects West to break sooner than it does (its prior lies below the truth): each month
    West holds, the expected gap between East's expected breaking point and the truth shrinks, and
    without the channel it stays where it was [Slantchev2003]."""
    prior = f"{{dist: uniform, low: {low}, high: {low + width}}}"
    on = run(duel(prior, strength=strength), worlds=24, particles=24, seed=seed)
    off = run(duel(prior, breaks=None, strength=strength), worlds=24, particles=24, seed=seed)
    gap_on = np.abs(TRUTH - expected_break(on)).mean(axis=1)
    gap_off = np.abs(TRUTH - expected_break(off)).mean(axis=1)
    assert np.all(np.diff(gap_on) <= 1e-9 * TRUTH), gap_on
    assert gap_on[-1] < gap_on[0], gap_on
    np.testing.assert_array_equal(gap_off, gap_off[0])
    assert gap_on[0] == gap_off[0]


def first_zone(result: Beliefs, at_least: float = 0.5) -> int:
    hits = np.flatnonzero(result.p_zopa >= at_least)
    return int(hits[0]) if hits.size else result.months


def test_settlement_comes_sooner_when_the_optimist_sees_the_enemy_hold() -> None:
    """East, the side gaining ground, is sure that West breaks at 2,000 casualties (probability
    0.8): without the channel it keeps expecting West's collapse and no zone opens; seeing West hold
    month after month, it gives up that hope and the zone opens [FilsonWerner2002, Slantchev2003]."""
    with_breaks = run(duel(soon(2000, 0.8), strength=1.0))
    without = run(duel(soon(2000, 0.8), breaks=None, strength=1.0))
    assert first_zone(with_breaks) < first_zone(without) == without.months
    assert np.all(with_breaks.reservations[:, 0] <= without.reservations[:, 0] + 1e-9)


@settings(max_examples=6, deadline=None)
@given(
    low=st.floats(500.0, 8000.0),
    p=st.floats(0.3, 0.95),
    strength=st.floats(1.0, 6.0),
    seed=st.integers(0, 50),
)
def test_settlement_is_weakly_earlier_with_the_channel(
    low: float, p: float, strength: float, seed: int
) -> None:
    """For any prior that West breaks soon or never: P(zone under own beliefs) first reaches one half
    no later with the channel than without."""
    with_breaks = run(duel(soon(low, p), strength=strength), worlds=32, particles=16, seed=seed)
    without = run(
        duel(soon(low, p), breaks=None, strength=strength), worlds=32, particles=16, seed=seed
    )
    assert first_zone(with_breaks) <= first_zone(without)


def test_with_the_channel_results_do_not_depend_on_the_executor_or_the_worlds_run() -> None:
    """The reports of breaks come from each world's own run: blocks of worlds, processes and the
    number of worlds change nothing."""
    from ceasefire.executor import ProcessExecutor

    scenario = duel(soon(2000, 0.5))
    serial = run(scenario, worlds=300, particles=8)
    fewer = run(scenario, worlds=256, particles=8)
    assert np.array_equal(serial.reservations[:, :, :256], fewer.reservations)
    assert np.array_equal(expected_break(serial)[:, :256], expected_break(fewer))
    with ProcessExecutor(2) as executor:
        pooled = belief_model(
            scenario, points(scenario), worlds=300, particles=8, seed=3, months=6, executor=executor
        )
    assert pooled.to_dict() == serial.to_dict()
    assert np.array_equal(expected_break(pooled), expected_break(serial))


def test_a_collapse_that_comes_takes_the_weight_of_the_particles_that_did_not_expect_it() -> None:
    """West breaks at 8,000 casualties (in its first months): the particles that believed it never
    breaks lose weight in the month it does, the more so the likelier the other particles thought
    it, and none after (a broken army says nothing more)."""
    scenario = duel(soon(8000, 0.5), truth=8000, strength=1.0)
    result = run(scenario, worlds=32, particles=16)
    truth = simulate(scenario, samples=32, months=5, seed=3, keep_states=True)
    never = 1 - weight_on(result, 8000)  # weight on West never breaking
    start, end = [], []
    for w in range(32):
        broke = [t for t in range(6) if truth.states[t].collapsed[1, w]]
        if not broke or never[0, w] in (0.0, 1.0):
            continue
        t = broke[0]
        assert never[t, w] < never[t - 1, w], (w, never[:, w])
        np.testing.assert_allclose(never[t:, w], never[t, w], rtol=1e-9, atol=1e-12)
        start.append(never[0, w])
        end.append(never[-1, w])
    assert len(start) >= 10
    assert np.mean(end) < 0.5 * np.mean(start), (start, end)
