"""Each party's value of the war that follows a breakdown: ``V_renew_i(x)``.

With a ``war:`` section the renewed war is the war model run from the *post-deal* state, valued as
the value of no deal is (:mod:`ceasefire.war.batna`, [Fearon1995]): the front starts on the deal's
line; each side's forces are today's plus ``reconstitution_months`` of recruitment, capped by the
deal's force ceiling when ``caps_bind``; patrons' aid is today's times ``aid_scale``. Its expected
path over the war's horizon (:func:`ceasefire.war.batna.project`) gives the territory at the end
and the discounted costs on the way:

    V_renew_i(x) = E U_i(x_war) - sum_k delta_i^k c_i(k),

the median over the Monte Carlo samples, as for the reservation values. Approximation: the renewed
war is valued from its own first month, not discounted further for the months the truce lasted.

Without a war model the renewed war is today's war shifted by ``shift``: ``V_renew_i = r_i +
shift_i`` [Powell2006] (a party without a reservation value: its utility of the status quo).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ceasefire.scenario import utility as su
from ceasefire.scenario.commitment import split_key
from ceasefire.scenario.model import Scenario

if TYPE_CHECKING:
    from ceasefire.war.batna import Reservations

FloatArray = npt.NDArray[np.float64]


def war_issues(scenario: Scenario) -> tuple[int, ...]:
    """The issues the renewed war depends on: the front's issue and the force-cap issues."""
    section = scenario.commitment
    if section is None or scenario.war is None:
        return ()
    index = {issue.id: k for k, issue in enumerate(scenario.issues)}
    issues = {index[scenario.war.front.issue]}
    if section.renewed_war.caps_bind:
        for key in section.renewed_war.caps:
            found = split_key(key, scenario.issues)
            assert found is not None
            issues.add(index[found[0].id])
    return tuple(sorted(issues))


def renewed_without_war(scenario: Scenario, reservation: dict[str, float]) -> FloatArray:
    """``(n_parties,)``: ``r_i + shift_i`` (the status quo's utility where ``r_i`` is missing)."""
    section = scenario.commitment
    assert section is not None
    status_quo = su.utilities_of(scenario, su.status_quo_package(scenario))
    values = []
    for party in scenario.parties:
        r = reservation.get(party.id, math.nan)
        base = r if math.isfinite(r) else status_quo[party.id]
        shift = section.renewed_war.shift.get(party.id)
        values.append(base + (shift.value.mean if shift is not None else 0.0))
    return np.array(values, dtype=float)


def renewed_with_war(
    scenario: Scenario, reservations: Reservations, combos: Sequence[Sequence[int]]
) -> FloatArray:
    """``(len(combos), n_parties)``: the renewed-war value for each combination of options of
    :func:`war_issues` (option indices in that order).

    The combinations' wars are projected together, :data:`BATCH` samples at a time (the model is
    the same sample by sample, so the numbers are those of one projection per combination), and
    each party's discount factors are computed once.
    """
    from ceasefire.war.attrition import Parameters, State
    from ceasefire.war.batna import (
        CostWeights,
        cost_weights,
        discount_factors,
        discounted_by,
        monthly_costs_sharing,
        project,
        territory_utility,
    )

    section = scenario.commitment
    war = scenario.war
    assert section is not None and war is not None
    renewed = section.renewed_war
    issues = war_issues(scenario)
    front = [i.id for i in scenario.issues].index(war.front.issue)
    p = reservations.outcomes.parameters
    aid = renewed.aid_scale.mean
    if aid != 1.0:
        p = p.scaled_aid(aid)
    n = p.n
    utility = territory_utility(scenario)
    caps = _caps(scenario) if renewed.caps_bind else {}
    months = renewed.reconstitution_months.mean
    horizon = reservations.horizon
    out = np.empty((len(combos), len(scenario.parties)))
    labels = su.option_labels(scenario.issues[front])
    per_batch = max(1, BATCH // n)
    rebuilt = p.forces + months * p.recruits
    weights = cost_weights(scenario, p)
    factors = {
        x: discount_factors(w.discount_monthly, horizon)[:, None, :] for x, w in weights.items()
    }
    copies: dict[int, tuple[Parameters, dict[str, CostWeights]]] = {1: (p, weights)}
    for first in range(0, len(combos), per_batch):
        chunk = combos[first : first + per_batch]
        m = len(chunk)
        if m not in copies:  # the parameters of m combinations side by side
            tiled = p.take(np.tile(np.arange(n), m))
            copies[m] = (tiled, cost_weights(scenario, tiled))
        batch, batch_weights = copies[m]
        state = State.start(batch)
        territory = np.empty((m, n))
        forces = np.empty((2, m, n))
        for c, combo in enumerate(chunk):
            choice = dict(zip(issues, combo, strict=True))
            territory[c] = float(labels[choice[front]])
            forces[:, c] = rebuilt
            for (k, option), (side, ceiling) in caps.items():
                if choice.get(k) == option:
                    j = p.sides.index(side)
                    forces[j, c] = np.minimum(forces[j, c], ceiling)
        state.territory = territory.reshape(m * n)
        state.forces = forces.reshape(2, m * n)
        projection = project(state, batch, horizon, war.steps_per_month)
        outcome = utility(projection.territory, projection.territory_var).reshape(-1, m, n)
        counted: dict[tuple[int, ...], FloatArray] = {}
        for i, party in enumerate(scenario.parties):
            costs = monthly_costs_sharing(batch_weights[party.id], batch, projection, counted)
            cost = discounted_by(costs.reshape(horizon, m, n), factors[party.id])
            out[first : first + m, i] = np.median(outcome[i] - cost, axis=-1)
    return out


BATCH = 1 << 14
"""About this many samples (combinations times Monte Carlo samples) are projected at once."""


def _caps(scenario: Scenario) -> dict[tuple[int, int], tuple[str, float]]:
    section = scenario.commitment
    assert section is not None
    index = {issue.id: k for k, issue in enumerate(scenario.issues)}
    result = {}
    for key, cap in section.renewed_war.caps.items():
        found = split_key(key, scenario.issues)
        assert found is not None
        issue, option = found
        assert option is not None
        result[(index[issue.id], issue.option_ids.index(option))] = (cap.party, cap.forces.mean)
    return result
