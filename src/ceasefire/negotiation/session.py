"""One negotiation from start to agreement or breakdown, and what came of it.

:func:`negotiate` runs a protocol on a :class:`~ceasefire.negotiation.table.Table` with one
strategy per party and returns a :class:`NegotiationResult`: the transcript, the agreement (or
breakdown) and the round reached, each party's gain over its reservation value in that round, and
the distance of the agreement to the Nash package [Nash1950] (Euclidean, over the veto parties'
utilities, to the Nash package of the table's starting reservation values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ceasefire.bargaining.problem import FloatArray
from ceasefire.defaults import ROUNDS
from ceasefire.negotiation.protocols import (
    PROTOCOLS,
    REVISION_RULES,
    RevisionRule,
    Turn,
    alternating_offers,
    single_text,
)
from ceasefire.negotiation.strategy import DEFAULT_STRATEGY, MEDIATOR, Strategy, assign
from ceasefire.negotiation.table import Clock, FixedClock, Table
from ceasefire.provenance import Provenance

DEFAULT_ROUNDS = ROUNDS


@dataclass(frozen=True, eq=False)
class NegotiationResult:
    """A transcript and its outcome."""

    table: Table
    protocol: str
    rounds: int
    strategies: tuple[str, ...]
    """Per party, the strategy (with any non-default parameters)."""
    transcript: tuple[Turn, ...]
    war: bool
    nash: FloatArray | None
    """Every party's utility of the Nash package (None without a zone of agreement)."""
    provenance: Provenance | None = None
    revision: str | None = None

    @property
    def agreement(self) -> Turn | None:
        last = self.transcript[-1] if self.transcript else None
        return last if last is not None and last.agreed else None

    @property
    def round_reached(self) -> int:
        """The round of the agreement, or the last round played."""
        return self.transcript[-1].round if self.transcript else 0

    @property
    def gains(self) -> FloatArray:
        """Each party's value of the agreement minus its reservation value in that round
        (0 on breakdown: no deal is worth the reservation value; NaN without one)."""
        n = self.table.n_parties
        turn = self.agreement
        if turn is None:
            last = self.transcript[-1].reservation if self.transcript else np.zeros(n)
            return np.where(np.isfinite(last), 0.0, np.nan)
        return np.asarray(turn.values - turn.reservation, dtype=np.float64)

    @property
    def distance_to_nash(self) -> float | None:
        turn = self.agreement
        if turn is None or self.nash is None:
            return None
        veto = self.table.problem.veto_indices
        return float(np.linalg.norm(turn.offer.utilities[veto] - self.nash[veto]))

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``ceasefire negotiate --json``."""
        problem = self.table.problem
        parties = problem.parties
        turn = self.agreement

        agreement = None
        if turn is not None:
            agreement = {
                "package": problem.package_dict(turn.offer.package),
                "utilities": _by_party(parties, turn.offer.utilities),
                "values": _by_party(parties, turn.values),
                "round": turn.round,
                "month": turn.month,
            }
        document: dict[str, Any] = {
            "agreement": agreement,
            "breakdown": turn is None,
            "round_reached": self.round_reached,
            "rounds": self.rounds,
            "protocol": self.protocol,
            "revision_rule": self.revision,
            "war": self.war,
            "strategies": dict(zip(parties, self.strategies, strict=True)),
            "veto_parties": [parties[i] for i in problem.veto_indices],
            "transcript": [self._turn_dict(t) for t in self.transcript],
            "nash": None if self.nash is None else _by_party(parties, self.nash),
            "distance_to_nash": self.distance_to_nash,
            "gains": _by_party(parties, self.gains),
        }
        if self.provenance is not None:
            document["provenance"] = self.provenance.to_dict()
        return document

    def _turn_dict(self, turn: Turn) -> dict[str, Any]:
        problem = self.table.problem
        parties = problem.parties
        offer = turn.offer

        entry: dict[str, Any] = {
            "round": turn.round,
            "month": turn.month,
            "proposer": "mediator" if offer.proposer == MEDIATOR else parties[offer.proposer],
            "package": problem.package_dict(offer.package),
            "utilities": _by_party(parties, offer.utilities),
            "reservation": _by_party(parties, turn.reservation),
            "responses": dict(zip(parties, turn.responses, strict=True)),
            "agreed": turn.agreed,
        }
        if not self.war and (self.table.discount < 1).any():
            entry["values"] = _by_party(parties, turn.values)
        if turn.demands is not None:
            entry["demands"] = _by_party(parties, turn.demands)
        return entry


def _by_party(parties: Sequence[str], values: FloatArray) -> dict[str, float | None]:
    """One number per party; a non-finite one (no value) as None."""
    return {p: (float(v) if np.isfinite(v) else None) for p, v in zip(parties, values, strict=True)}


def nash_utilities(table: Table) -> FloatArray | None:
    """Every party's utility of the Nash package at the table's reservation values."""
    from ceasefire.bargaining.solutions import solve

    solution = solve(table.problem, "nash")
    return None if solution.utilities is None else np.asarray(solution.utilities, dtype=float)


def negotiate(
    table: Table,
    strategies: Mapping[str, Strategy | str] | Sequence[Strategy] | None = None,
    *,
    protocol: str = "alternating",
    rounds: int = DEFAULT_ROUNDS,
    clock: Clock | None = None,
    seed: int | np.random.SeedSequence | None = None,
    revision: str | RevisionRule = "max_min_shortfall",
    default: Strategy | str = DEFAULT_STRATEGY,
    nash: FloatArray | bool | None = True,
    provenance: Provenance | None = None,
) -> NegotiationResult:
    """Negotiate on ``table``.

    ``strategies``: by party id (the others get ``default``), or one per party in order.
    ``clock``: reservation values by round (default: the table's, fixed, with its discounts).
    ``seed``: for the strategies' random generators (one per party, spawned from it).
    ``nash``: True to compute the Nash package, an array to reuse one, False/None to skip.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r} (known: {', '.join(PROTOCOLS)})")
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    if strategies is None:
        chosen = assign(table, {}, default)
    elif isinstance(strategies, Mapping):
        chosen = assign(table, strategies, default)
    else:
        chosen = tuple(strategies)
        if len(chosen) != table.n_parties:
            raise ValueError(f"need {table.n_parties} strategies, one per party")
    if clock is None:
        clock = FixedClock(table.problem.reservation, table.discount)
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rngs = [np.random.default_rng(s) for s in sequence.spawn(table.n_parties)]
    rule = REVISION_RULES[revision] if isinstance(revision, str) else revision
    if protocol == "alternating":
        transcript = alternating_offers(table, chosen, clock, rounds, rngs)
    else:
        transcript = single_text(table, chosen, clock, rounds, rngs, rule)
    if nash is True:
        nash_point = nash_utilities(table)
    elif nash is False or nash is None:
        nash_point = None
    else:
        nash_point = nash
    return NegotiationResult(
        table=table,
        protocol=protocol,
        rounds=rounds,
        strategies=tuple(s.spec for s in chosen),
        transcript=transcript,
        war=clock.war,
        nash=nash_point,
        provenance=provenance,
        revision=rule.name if protocol == "single-text" else None,
    )
