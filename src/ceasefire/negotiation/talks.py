"""Fighting while talking: reservation values that follow a simulated war, month by month.

When a scenario has a ``war:`` section, each run of a negotiation follows one Monte Carlo path of
the war model: round ``t`` of the talks is month ``t - 1`` of the path, and each party's
reservation value in that round is its value of no deal on that path in that month
(:func:`ceasefire.war.batna.reservation_values`), so that what the battlefield does between two
rounds moves what each side can accept [Powell2004; Slantchev2003]. Parties see only their own
value. The public starting values (what a strategy may assume about the others, and the
reservation point of the Nash package a result is compared with) are the medians at month 0.

Run ``r`` with seed ``N`` follows sample ``r`` of the war model with seed ``N`` (as ``ceasefire war
--seed N`` draws it); the strategies' random streams are ``SeedSequence(N, spawn_key=(STREAM,
r))``, apart from the war model's. Without ``war:`` reservation values are fixed and a party's
``discount`` makes waiting costly instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ceasefire.bargaining.problem import FloatArray
from ceasefire.negotiation.protocols import PROTOCOLS
from ceasefire.negotiation.session import DEFAULT_ROUNDS, NegotiationResult, negotiate
from ceasefire.negotiation.strategy import DEFAULT_STRATEGY, Strategy
from ceasefire.negotiation.table import Table, WarClock
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario
from ceasefire.scenario.model import Scenario

STREAM = 2**32 - 7
"""First spawn-key entry of the strategies' random streams (the war model uses ``(block,)``)."""

PRIOR_SAMPLES = 1000
"""Samples of the war model behind the public starting reservation values (month-0 medians)."""


def has_war(scenario: Scenario) -> bool:
    """Does the scenario have a war model (a ``war:`` section)?"""
    return scenario.war is not None


def strategy_seed(seed: int | None, run: int) -> np.random.SeedSequence:
    """The seed sequence of the strategies' generators in run ``run``."""
    return np.random.SeedSequence(seed, spawn_key=(STREAM, run))


def reservation_paths(scenario: Scenario, runs: int, months: int, seed: int) -> FloatArray:
    """``(runs, months, parties)``: every party's value of no deal along ``runs`` war paths."""
    from ceasefire.war.batna import reservation_values

    values = reservation_values(scenario, samples=runs, seed=seed, months=months).values
    return np.ascontiguousarray(np.transpose(values, (2, 0, 1)))


def prior_reservation(scenario: Scenario, seed: int) -> dict[str, float]:
    """Every party's median value of no deal at month 0 (over :data:`PRIOR_SAMPLES` samples)."""
    from ceasefire.war.batna import reservation_values

    return reservation_values(scenario, samples=PRIOR_SAMPLES, seed=seed, months=1).medians(0)


def table_and_paths(
    scenario: Scenario, runs: int, rounds: int, seed: int
) -> tuple[Table, FloatArray | None]:
    """The negotiating table of a scenario and, with a war model, ``runs`` paths of ``rounds``
    months of reservation values (None without one)."""
    if not has_war(scenario):
        return Table.from_scenario(scenario), None
    table = Table.from_scenario(scenario, reservation=prior_reservation(scenario, seed))
    return table, reservation_paths(scenario, runs, rounds, seed)


def negotiate_scenario(
    loaded: LoadedScenario,
    strategies: Mapping[str, Strategy | str] | None = None,
    *,
    default: Strategy | str = DEFAULT_STRATEGY,
    protocol: str = "alternating",
    rounds: int = DEFAULT_ROUNDS,
    seed: int = 0,
    revision: str = "max_min_shortfall",
) -> NegotiationResult:
    """One negotiation on a scenario, as ``ceasefire negotiate`` runs it: run 0 of ``seed``.

    ``strategies`` by party id; the others play ``default``. Raises ValueError for a party id the
    scenario does not have.
    """
    table, paths = table_and_paths(loaded.scenario, runs=1, rounds=rounds, seed=seed)
    chosen = dict(strategies or {})
    unknown = [p for p in chosen if p not in table.parties]
    if unknown:
        raise ValueError(
            f"no party {', '.join(map(repr, unknown))} (parties: {', '.join(table.parties)})"
        )
    parameters: dict[str, Any] = {
        "protocol": protocol,
        "rounds": rounds,
        "strategies": {p: _spec(chosen.get(p, default)) for p in table.parties},
    }
    if protocol == PROTOCOLS[1]:
        parameters["revision"] = revision
    return negotiate(
        table,
        chosen,
        protocol=protocol,
        rounds=rounds,
        clock=None if paths is None else WarClock(np.asarray(paths[0])),
        seed=strategy_seed(seed, 0),
        revision=revision,
        default=default,
        provenance=Provenance(scenario_sha256=loaded.sha256, seed=seed, parameters=parameters),
    )


def _spec(strategy: Strategy | str) -> str:
    return strategy.spec if isinstance(strategy, Strategy) else str(strategy)
