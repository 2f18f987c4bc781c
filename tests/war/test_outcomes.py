"""War outcomes that deliver terms (``war.outcomes``): the value of no deal as an expectation over
the war's end states. The probability that a side breaks is checked against nested Monte Carlo, the
branches against utilities computed directly, and the schema's checks."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.scenario import ScenarioError, bundled_scenarios, load_scenario, parse_scenario
from ceasefire.scenario import utility as su
from ceasefire.scenario.model import Scenario
from ceasefire.war import reservation_values, simulate
from ceasefire.war.attrition import Kernel, step
from ceasefire.war.batna import (
    Projection,
    expected_outcome,
    outcome_terms,
    project,
    territory_utility,
)
from tests.war.campaign import FIXTURE
from tests.war.test_batna import tile

OUTCOMES = """  outcomes:
    east:
      terms: {neutrality: demilitarised, territory: 35}
      basis: {assumption: "Invented."}
    west:
      terms: {sanctions: kept, neutrality: allied, territory: 5}
      basis: {sources: [invented]}
"""


def with_outcomes(block: str = OUTCOMES, text: str | None = None) -> str:
    text = FIXTURE.read_text(encoding="utf-8") if text is None else text
    return text.replace("  costs:\n", block + "  costs:\n", 1)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return parse_scenario(with_outcomes()).scenario


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    east:\n      terms",
            "    broker:\n      terms",
            "'broker' is not one of the two sides",
        ),
        ("neutrality: demilitarised,", "neutrality: armed,", "'armed' is not an option"),
        ("territory: 35}", "territory: 55}", "55 is outside the range of issue 'territory'"),
        ("territory: 35}", "territory: lots}", "issue 'territory' is numeric"),
        ("sanctions: kept,", "tariffs: kept,", "unknown issue 'tariffs'"),
        ("sources: [invented]", "sources: [nowhere]", "unknown source 'nowhere'"),
    ],
)
def test_mistakes_in_outcomes_are_reported(old: str, new: str, message: str) -> None:
    assert old in OUTCOMES
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(with_outcomes(OUTCOMES.replace(old, new, 1)))


def test_outcomes_need_a_basis() -> None:
    with pytest.raises(ScenarioError, match="basis"):
        parse_scenario(
            with_outcomes(OUTCOMES.replace('      basis: {assumption: "Invented."}\n', ""))
        )


def test_the_probability_of_breaking_against_nested_monte_carlo() -> None:
    """Where West's will can break within the horizon, the moment closure's probability that it
    has broken by then is close to the share of 4,000 stochastic continuations in which it has."""
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "p5: 200000, p95: 400000", "p5: 50000, p95: 120000"
    )
    run = simulate(parse_scenario(text).scenario, samples=256, months=3, seed=2, keep_states=True)
    months = 24
    projected = project(run.states[3], run.parameters, months, collapse=True)
    assert projected.collapse is not None
    inside = np.nonzero((projected.collapse[1] > 0.1) & (projected.collapse[1] < 0.95))[0][:6]
    assert inside.size >= 4
    for index in inside:
        p, state = tile(run.parameters, run.states[3], int(index), 4000)
        kernel = Kernel(p, 1.0)
        rng = np.random.default_rng(int(index))
        for _ in range(months):
            step(state, kernel, rng.standard_normal((4, p.n)), rng.random((3, p.n)))
        assert projected.collapse[1, index] == pytest.approx(state.collapsed[1].mean(), abs=0.06)


def test_a_side_that_has_broken_has_broken_for_sure(scenario: Scenario) -> None:
    run = simulate(scenario, samples=8, months=0, seed=1, keep_states=True)
    state = run.states[0].copy()
    state.collapsed[0, :4] = True
    projected = project(state, run.parameters, 3, collapse=True)
    assert projected.collapse is not None
    assert np.all(projected.collapse[0, :4] == 1.0)


def test_each_branch_is_the_utility_of_its_package(scenario: Scenario) -> None:
    """With certainty of one side's victory, the expected outcome is the utility of the status quo
    with that side's terms (computed directly); with none, the no-collapse outcome; in between, the
    mixture."""
    utility = territory_utility(scenario)
    terms = outcome_terms(scenario)
    parties = [p.id for p in scenario.parties]
    n = 3
    territory = np.array([12.0, 20.0, 31.0])

    def projection(q_east_wins: float, q_west_wins: float) -> Projection:
        collapse = np.array([[q_west_wins] * n, [q_east_wins] * n])  # [side j broken]
        return Projection(
            casualties=np.zeros((1, 2, n)),
            escalation=np.zeros((1, n)),
            territory=territory,
            territory_var=np.zeros(n),
            collapse=collapse,
        )

    base = su.status_quo_package(scenario)
    east_pkg = {**base, "neutrality": "demilitarised", "territory": 35.0}
    west_pkg = {**base, "sanctions": "kept", "neutrality": "allied", "territory": 5.0}
    direct_east = [su.utilities_of(scenario, east_pkg)[x] for x in parties]
    direct_west = [su.utilities_of(scenario, west_pkg)[x] for x in parties]
    standing = utility(territory)

    east_wins = expected_outcome(utility, terms, projection(1.0, 0.0))
    np.testing.assert_allclose(east_wins, np.repeat(np.array(direct_east)[:, None], n, 1))
    west_wins = expected_outcome(utility, terms, projection(0.0, 1.0))
    np.testing.assert_allclose(west_wins, np.repeat(np.array(direct_west)[:, None], n, 1))
    np.testing.assert_allclose(expected_outcome(utility, terms, projection(0.0, 0.0)), standing)
    mixed = expected_outcome(utility, terms, projection(0.2, 0.3))
    np.testing.assert_allclose(
        mixed, 0.5 * standing + 0.2 * east_wins + 0.3 * west_wins, rtol=1e-12
    )
    # Both breaking "for sure" is scaled to an even chance of either.
    both = expected_outcome(utility, terms, projection(1.0, 1.0))
    np.testing.assert_allclose(both, 0.5 * east_wins + 0.5 * west_wins)


def test_a_terms_branch_keeps_the_front_where_the_war_leaves_it() -> None:
    """Terms that do not fix the front: the branch is the no-collapse outcome plus the change on
    the other issues, with the territory's spread."""
    block = OUTCOMES.replace(", territory: 35}", "}")
    scenario = parse_scenario(with_outcomes(block)).scenario
    utility = territory_utility(scenario)
    terms = outcome_terms(scenario)
    east = next(t for t in terms if t.side == 0)
    assert east.territory is None
    projection = Projection(
        casualties=np.zeros((1, 2, 2)),
        escalation=np.zeros((1, 2)),
        territory=np.array([18.0, 22.0]),
        territory_var=np.array([4.0, 9.0]),
        collapse=np.array([[0.0, 0.0], [1.0, 1.0]]),
    )
    value = expected_outcome(utility, terms, projection)
    standing = utility(projection.territory, projection.territory_var)
    np.testing.assert_allclose(value, standing + east.shift[:, None])


def test_victory_raises_the_winners_value_of_no_deal_when_the_enemy_can_break(
    scenario: Scenario,
) -> None:
    """End to end: where West may break, East's value of no deal rises with its terms, and West's
    falls; samples where nobody can break are unchanged."""
    fragile = FIXTURE.read_text(encoding="utf-8").replace(
        "p5: 200000, p95: 400000", "p5: 50000, p95: 120000"
    )
    without = reservation_values(parse_scenario(fragile).scenario, samples=512, seed=4, months=1)
    with_terms = reservation_values(
        parse_scenario(with_outcomes(text=fragile)).scenario, samples=512, seed=4, months=1
    )
    # The block adds parameters to no distribution: the runs are the same until the outcome.
    diff = with_terms.values[0] - without.values[0]
    east, west = 0, 1
    assert np.all(diff[east] >= -1e-9) and diff[east].max() > 1
    assert np.all(diff[west] <= 1e-9) and diff[west].min() < -1
    assert np.sum(np.abs(diff).max(axis=0) < 1e-9) > 0


def test_the_bundled_scenario_states_each_sides_terms() -> None:
    scenario = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario
    war = scenario.war
    assert war is not None and war.outcomes is not None
    assert set(war.outcomes) == {"russia", "ukraine"}
    terms = {t.side: t for t in outcome_terms(scenario)}
    parties = [p.id for p in scenario.parties]
    russia, ukraine = parties.index("russia"), parties.index("ukraine")
    # Each side's victory is better for it than the status quo on the other issues, and worse
    # for its enemy.
    assert terms[0].shift[russia] > 0 > terms[0].shift[ukraine]
    assert terms[1].shift[ukraine] > 0 > terms[1].shift[russia]


def test_analyze_says_which_mechanisms_it_used() -> None:
    from ceasefire.analysis import analyze

    bundled = analyze(
        load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]), samples=256, horizon=2
    ).to_dict(max_frontier=0)
    assert bundled["ripeness"]["war_mechanisms"] == {
        "campaign_attacker": "russia",
        "outcomes_for": ["russia", "ukraine"],
        "settle_later": False,
    }
    plain = analyze(load_scenario(FIXTURE), samples=256, horizon=2).to_dict(max_frontier=0)
    assert "war_mechanisms" not in plain["ripeness"]


def test_war_says_which_mechanisms_it_used() -> None:
    from ceasefire.runs import run

    def war_document(path: object) -> dict[str, object]:
        return run("war", load_scenario(path), samples=64, months=2).document

    bundled = war_document(bundled_scenarios()["russia-ukraine-2023-12"])
    mechanisms = bundled["war_mechanisms"]
    assert isinstance(mechanisms, dict)
    assert mechanisms["campaign_attacker"] == "russia"
    assert "war_mechanisms" not in war_document(FIXTURE)
