"""Talks while the war goes on, and talks with discounting when there is no war model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.negotiation import FixedClock, Table, View, WarClock, negotiate
from ceasefire.negotiation.concession import Linear
from ceasefire.negotiation.talks import (
    prior_reservation,
    reservation_paths,
    strategy_seed,
    table_and_paths,
)
from ceasefire.negotiation.tournament import tournament
from ceasefire.scenario import load_scenario, parse_scenario
from ceasefire.war.batna import reservation_values

WAR = Path(__file__).parent / "data" / "border-war.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def war_scenario():  # type: ignore[no-untyped-def]
    return load_scenario(WAR).scenario


class Spy(Linear):
    """A linear concession that writes down what it was shown."""

    name = "spy"
    seen: ClassVar[list[tuple[int, int, float]]] = []

    def target(self, view: View) -> float:
        Spy.seen.append((view.now, view.party, view.reservation))
        return super().target(view)


def test_round_t_is_month_t_minus_1_of_the_war_path(war_scenario) -> None:  # type: ignore[no-untyped-def]
    rounds, seed = 15, 3
    table, paths = table_and_paths(war_scenario, runs=1, rounds=rounds, seed=seed)
    assert paths is not None and paths.shape == (1, rounds, table.n_parties)
    direct = reservation_values(war_scenario, samples=1, seed=seed, months=rounds).values
    np.testing.assert_array_equal(paths[0], direct[:, :, 0])
    Spy.seen.clear()
    result = negotiate(
        table, [Spy() for _ in table.parties], rounds=rounds, clock=WarClock(paths[0])
    )
    assert result.war
    for turn in result.transcript:
        assert turn.month == turn.round - 1
        np.testing.assert_array_equal(turn.reservation, paths[0, turn.round - 1])
        # Utility is not discounted in a war: the cost of waiting is in the reservation values.
        np.testing.assert_array_equal(turn.values, turn.offer.utilities)
    # Each party was shown its own value of no deal in the month it acts (also when it plans
    # ahead: it does not know the future of the war).
    assert Spy.seen
    for round_, party, value in Spy.seen:
        assert value == paths[0, round_ - 1, party]


def test_the_public_prior_is_the_month_0_median(war_scenario) -> None:  # type: ignore[no-untyped-def]
    prior = prior_reservation(war_scenario, seed=0)
    table, _ = table_and_paths(war_scenario, runs=1, rounds=2, seed=0)
    expected = [prior[p.id] for p in war_scenario.parties]
    np.testing.assert_allclose(table.problem.reservation, expected)
    values = reservation_values(war_scenario, samples=1000, seed=0, months=1).values[0]
    np.testing.assert_allclose(expected, np.median(values, axis=-1))


def test_tournament_run_r_follows_war_path_r(war_scenario) -> None:  # type: ignore[no-untyped-def]
    runs, rounds, seed = 3, 12, 5
    table, paths = table_and_paths(war_scenario, runs=runs, rounds=rounds, seed=seed)
    assert paths is not None
    result = tournament(
        table, ["linear"], runs=runs, seed=seed, rounds=rounds, paths=paths, others="linear"
    )
    for run in range(runs):
        alone = negotiate(
            table,
            default="linear",
            rounds=rounds,
            clock=WarClock(paths[run]),
            seed=strategy_seed(seed, run),
            nash=False,
        )
        assert result.agreed[0, run] == (alone.agreement is not None)
        assert result.round[0, run] == alone.round_reached
        np.testing.assert_allclose(result.gains[0, run], alone.gains)
    # Different wars, different talks: the paths differ from run to run.
    assert not np.allclose(paths[0], paths[1])


def test_negotiate_cli_on_a_war_scenario_is_seeded() -> None:
    def document(seed: str) -> dict:
        result = runner.invoke(
            app, ["negotiate", str(WAR), "--json", "--seed", seed, "--rounds", "10"]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    first, again, other = document("1"), document("1"), document("2")
    assert first == again
    assert first["war"] is True
    assert [t["month"] for t in first["transcript"]] == list(range(len(first["transcript"])))
    assert first["transcript"][0]["reservation"] != other["transcript"][0]["reservation"]


def test_tournament_cli_on_a_war_scenario() -> None:
    result = runner.invoke(
        app,
        [
            "tournament", str(WAR), "--strategies", "linear,hardliner", "--runs", "2",
            "--rounds", "8", "--json", "--no-progress",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["war"] is True
    assert len(document["assignments"]) == 2**3  # three veto parties


def discounted_toy(toy_text: str, north: float, south: float) -> str:
    text = toy_text.replace(
        "    no_deal: {cost: 10}", f"    no_deal: {{cost: 10}}\n    discount: {north}"
    )
    return text.replace("    reservation: 40", f"    reservation: 40\n    discount: {south}")


def test_discounting_without_a_war(toy_text: str) -> None:
    scenario = parse_scenario(discounted_toy(toy_text, 0.9, 0.8)).scenario
    table = Table.from_scenario(scenario)
    np.testing.assert_allclose(table.discount, [0.9, 0.8])
    result = negotiate(table, default="linear", rounds=30)
    for turn in result.transcript:
        factor = np.array([0.9, 0.8]) ** (turn.round - 1)
        np.testing.assert_allclose(turn.values, factor * turn.offer.utilities)
        np.testing.assert_array_equal(turn.reservation, table.problem.reservation)
    turn = result.agreement
    if turn is not None:
        np.testing.assert_allclose(result.gains, turn.values - table.problem.reservation)


@pytest.mark.parametrize("name", ["boulware", "linear", "conceder", "tit_for_tat", "rubinstein"])
def test_discounting_closes_the_zone_of_agreement(toy_text: str, name: str) -> None:
    # The toy's only acceptable package is worth 70 to north against 55: with discount 0.9 it is
    # worth less than 55 from round 4 on (0.9**3 * 70 = 51), so no agreement can come later.
    scenario = parse_scenario(discounted_toy(toy_text, 0.9, 1.0)).scenario
    result = negotiate(Table.from_scenario(scenario), default=name)
    assert result.agreement is None or result.agreement.round <= 3


def test_equilibrium_players_agree_at_once_when_waiting_costs(toy_text: str) -> None:
    scenario = parse_scenario(discounted_toy(toy_text, 0.9, 0.9)).scenario
    result = negotiate(Table.from_scenario(scenario), default="rubinstein")
    assert result.agreement is not None and result.agreement.round == 1


def test_fixed_clock_floor_undoes_the_discount() -> None:
    clock = FixedClock(np.array([50.0, -10.0]), np.array([0.5, 0.9]))
    np.testing.assert_allclose(clock.floor(3), [50.0 / 0.25, -10.0 / 0.81])
    np.testing.assert_allclose(clock.value(np.array([100.0, 100.0]), 3), [25.0, 81.0])
    assert clock.month(3) is None


def test_reservation_paths_shape(war_scenario) -> None:  # type: ignore[no-untyped-def]
    paths = reservation_paths(war_scenario, runs=4, months=6, seed=0)
    assert paths.shape == (4, 6, len(war_scenario.parties))
    assert np.isfinite(paths).all()


def test_a_discounting_party_has_its_own_earlier_deadline(toy_text: str) -> None:
    from ceasefire.negotiation.strategy import view_of

    scenario = parse_scenario(discounted_toy(toy_text, 0.9, 1.0)).scenario
    table = Table.from_scenario(scenario)
    clock = FixedClock(table.problem.reservation, table.discount)
    rng = np.random.default_rng(0)
    north = view_of(table, clock, 0, 1, 24, (), None, rng, "alternating")
    south = view_of(table, clock, 1, 1, 24, (), None, rng, "alternating")
    # North's best package is worth 100 against 55: 0.9**(t-1) * 100 >= 55 up to t = 6.
    assert north.deadline == 6 == 1 + int(np.floor(np.log(55 / 100) / np.log(0.9)))
    assert south.deadline == 24
    assert north.at(6).time == 1.0 and north.at(20).time == 1.0
    assert south.at(12).time == pytest.approx(11 / 23)
