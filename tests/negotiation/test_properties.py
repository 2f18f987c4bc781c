"""Properties of every negotiation: agreements are acceptable to every veto party in the round they
are made; the same seed gives the same transcript; the protocols keep their rules."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem
from ceasefire.negotiation import STRATEGIES, Table, WarClock, negotiate
from ceasefire.negotiation.protocols import ACCEPT, PROPOSER, REJECT, next_turn
from ceasefire.negotiation.session import NegotiationResult
from tests.strategies import bargaining_problems

NAMES = sorted(STRATEGIES)


@st.composite
def negotiations(draw: st.DrawFn, war: bool = False) -> tuple[Table, dict[str, object]]:
    problem: BargainingProblem = draw(
        bargaining_problems(max_packages=3000, max_issues=4, extra_parties=(0, 1))
    )
    n = problem.n_parties
    discount = [draw(st.sampled_from((1.0, 0.97, 0.8, 0.5))) for _ in range(n)]
    table = Table.from_problem(problem, discount=discount)
    options: dict[str, object] = {
        "strategies": [draw(st.sampled_from(NAMES)) for _ in range(n)],
        "protocol": draw(st.sampled_from(("alternating", "single-text"))),
        "rounds": draw(st.integers(1, 30)),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }
    if war:
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        months = draw(st.integers(1, 40))
        start = np.where(np.isfinite(problem.reservation), problem.reservation, np.nan)
        drift = rng.normal(0, 2.0, size=(months, n)).cumsum(axis=0)
        options["path"] = start[None, :] + drift
    return table, options


def run(table: Table, options: dict[str, object]) -> NegotiationResult:
    path = options.get("path")
    return negotiate(
        table,
        [STRATEGIES[str(name)]() for name in options["strategies"]],  # type: ignore[attr-defined]
        protocol=str(options["protocol"]),
        rounds=int(options["rounds"]),  # type: ignore[call-overload]
        seed=int(options["seed"]),  # type: ignore[call-overload]
        clock=None if path is None else WarClock(np.asarray(path)),
        nash=False,
    )


def utilities_by_hand(problem: BargainingProblem, package: np.ndarray) -> np.ndarray:
    return np.sum(
        [table[int(o)] for table, o in zip(problem.contributions, package, strict=True)], axis=0
    )


def check_agreement_is_acceptable(result: NegotiationResult, path: np.ndarray | None) -> None:
    table = result.table
    problem = table.problem
    turn = result.agreement
    if turn is None:
        return
    t = turn.round
    utilities = utilities_by_hand(problem, turn.offer.package)
    for i in problem.veto_indices:
        assert not any(
            banned[int(o)] for banned, o in zip(problem.forbidden, turn.offer.package, strict=True)
        ), "an agreement crosses a veto party's red line"
        if path is None:
            reservation = problem.reservation[i]
            value = table.discount[i] ** (t - 1) * utilities[i]
        else:
            reservation = path[min(t - 1, path.shape[0] - 1), i]
            value = utilities[i]
        assert value >= reservation - 1e-6, (i, value, reservation)
        assert turn.responses[i] in (ACCEPT, PROPOSER)


def check_rules(result: NegotiationResult) -> None:
    veto = result.table.problem.veto
    n = result.table.n_parties
    for k, turn in enumerate(result.transcript):
        assert turn.round == k + 1
        all_veto_accept = all(r != REJECT for r, v in zip(turn.responses, veto, strict=True) if v)
        assert turn.agreed == all_veto_accept
        assert turn.agreed == (k == len(result.transcript) - 1 and result.agreement is not None)
        if result.protocol == "alternating":
            assert turn.offer.proposer == k % n
            assert turn.responses[k % n] in (PROPOSER, REJECT)
    if result.agreement is None:
        assert len(result.transcript) == result.rounds


@given(negotiations())
def test_agreements_are_acceptable_and_rules_hold(case: tuple[Table, dict[str, object]]) -> None:
    table, options = case
    result = run(table, options)
    check_agreement_is_acceptable(result, None)
    check_rules(result)
    gains = result.gains
    veto = table.problem.veto_indices
    assert (gains[veto] >= -1e-6).all()


@given(negotiations(war=True))
def test_agreements_while_fighting_are_acceptable(case: tuple[Table, dict[str, object]]) -> None:
    table, options = case
    result = run(table, options)
    path = np.asarray(options["path"])
    check_agreement_is_acceptable(result, path)
    check_rules(result)
    for turn in result.transcript:
        expected = path[min(turn.round - 1, path.shape[0] - 1)]
        np.testing.assert_array_equal(turn.reservation, expected)
        assert turn.month == min(turn.round - 1, path.shape[0] - 1)


def signature(result: NegotiationResult) -> list[tuple[object, ...]]:
    return [
        (t.round, t.offer.proposer, tuple(int(o) for o in t.offer.package), t.responses, t.agreed)
        for t in result.transcript
    ]


@settings(max_examples=25)
@given(negotiations(war=True))
def test_the_same_seed_gives_the_same_transcript(case: tuple[Table, dict[str, object]]) -> None:
    table, options = case
    first = run(table, options)
    # A fresh table (no caches) and fresh strategy objects must give the same transcript.
    again = run(Table.from_problem(table.problem, discount=list(table.discount)), options)
    assert signature(first) == signature(again)
    assert first.to_dict()["transcript"] == again.to_dict()["transcript"]


@given(st.integers(1, 9), st.integers(1, 40), st.integers(1, 40))
def test_next_turn_is_the_next_round_a_party_proposes(n: int, round_: int, rounds: int) -> None:
    for party in range(n):
        later = [t for t in range(round_ + 1, rounds + 1) if (t - 1) % n == party]
        assert next_turn(party, round_, rounds, n) == (later[0] if later else None)
