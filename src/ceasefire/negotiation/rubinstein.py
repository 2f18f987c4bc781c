"""The subgame-perfect equilibrium of alternating offers with discounting [Rubinstein1982].

Two parties divide a stake; an agreement in round ``t`` is worth ``d_i**(t-1)`` times its share to
party ``i``. In the unique subgame-perfect equilibrium the first proposer offers the other exactly
what the other would get by rejecting (its own next proposal, discounted), the offer is accepted
at once, and the first proposer's share is ``(1 - d2) / (1 - d1 * d2)``.

On a general frontier of utility gains over the reservation values (a Pareto curve ``g_j =
phi(g_i)``) the same stationary conditions read: when ``i`` proposes it keeps ``a`` and offers
``d_j * b``; when ``j`` proposes it keeps ``b`` and offers ``d_i * a``; so ``a`` solves ``a =
phi^-1(d_j * phi(d_i * a))``, an increasing map of ``a`` whose fixed point is found by bisection
on the piecewise-linear interpolation of the frontier [Osborne1990, ch. 3]. The proposal is the
frontier package best for the proposer among those giving the responder at least ``d_j * b``; on
a grid this is the first proposer's equilibrium share to within the grid resolution. With more
than two proposers (or parties) the stationary conditions are solved on the frontier points by
iteration: each proposer gives every other veto party its discounted gain from the next
proposer's offer.

A party's discount factor is its scenario ``discount``; where that is 1, or in a war (whose costs
replace discounting), the strategy assumes ``patience`` (default 0.95) for that party. The
disagreement point is the public starting reservation values, with the party's own current value
in its place; it is the standard model when these are 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from ceasefire.bargaining.problem import TOLERANCE, FloatArray
from ceasefire.negotiation.offers import IndexArray
from ceasefire.negotiation.strategy import Strategy, View, register_strategy
from ceasefire.negotiation.table import Table

_BISECTIONS = 200
_ITERATIONS = 200


def equilibrium_shares(d1: float, d2: float) -> tuple[float, float]:
    """Rubinstein's first-proposer and second-proposer shares of a unit stake."""
    first = (1.0 - d2) / (1.0 - d1 * d2)
    return first, 1.0 - first


def two_party_gains(gains: FloatArray, d_i: float, d_j: float) -> tuple[float, float]:
    """Stationary equilibrium gains ``(a, b)`` on a two-party frontier of gains ``(m, 2)``: ``a``
    what ``i`` keeps proposing, ``b`` what ``j`` keeps proposing."""
    order = np.argsort(gains[:, 0], kind="stable")
    xs, ys = gains[order, 0], gains[order, 1]
    # Upper envelope: for each x the best y at or beyond it (a Pareto staircase, decreasing).
    ys = np.maximum.accumulate(ys[::-1])[::-1]

    def phi(x: float) -> float:  # j's best gain when i gets x
        return float(np.interp(x, xs, ys))

    def phi_inverse(y: float) -> float:  # i's best gain when j gets y
        return float(np.interp(y, ys[::-1], xs[::-1]))

    low, high = 0.0, float(xs[-1])
    for _ in range(_BISECTIONS):
        middle = 0.5 * (low + high)
        if middle - phi_inverse(d_j * phi(d_i * middle)) > 0:
            high = middle
        else:
            low = middle
    a = 0.5 * (low + high)
    return a, phi(d_i * a)


def equilibrium_offers(
    table: Table, reservation: FloatArray, discount: FloatArray, order: Sequence[int]
) -> dict[int, IndexArray]:
    """Each proposer's stationary equilibrium offer, for proposers taking turns in ``order``."""
    space = table.space
    utilities = space.utilities
    gains = utilities - np.where(np.isfinite(reservation), reservation, 0.0)
    veto = [int(v) for v in table.problem.veto_indices]
    if len(order) == 2 and sorted(order) == veto and table.n_parties == 2:
        i, j = order
        inside = (gains[:, [i, j]] >= -TOLERANCE).all(axis=1)
        if not inside.any():
            return {p: space.best_for(p) for p in order}
        pair = np.maximum(gains[inside][:, [i, j]], 0.0)
        a, b = two_party_gains(pair, float(discount[i]), float(discount[j]))
        return {
            i: _best_subject_to(utilities, gains, i, {j: float(discount[j]) * b}, space.packages),
            j: _best_subject_to(utilities, gains, j, {i: float(discount[i]) * a}, space.packages),
        }
    choice = {p: int(np.argmax(utilities[:, p])) for p in order}
    for _ in range(_ITERATIONS):
        changed = False
        for position in reversed(range(len(order))):
            proposer = order[position]
            following = order[(position + 1) % len(order)]
            demands = {
                j: float(discount[j]) * max(float(gains[choice[following], j]), 0.0)
                for j in veto
                if j != proposer
            }
            picked = _best_index(utilities, gains, proposer, demands)
            if picked != choice[proposer]:
                choice[proposer] = picked
                changed = True
        if not changed:
            break
    return {p: space.packages[choice[p]] for p in order}


def _best_index(
    utilities: FloatArray, gains: FloatArray, proposer: int, demands: dict[int, float]
) -> int:
    """The frontier point best for ``proposer`` giving each ``j`` at least ``demands[j]`` (the
    smallest worst shortfall if none does)."""
    if not demands:
        return int(np.argmax(utilities[:, proposer]))
    columns = list(demands)
    need = np.array([demands[j] for j in columns])
    shortfall = (need - gains[:, columns]).max(axis=1)
    feasible = shortfall <= TOLERANCE
    if feasible.any():
        score = np.where(feasible, utilities[:, proposer], -np.inf)
        return int(np.argmax(score))
    return int(np.argmin(shortfall))


def _best_subject_to(
    utilities: FloatArray,
    gains: FloatArray,
    proposer: int,
    demands: dict[int, float],
    packages: IndexArray,
) -> IndexArray:
    result: IndexArray = packages[_best_index(utilities, gains, proposer, demands)]
    return result


@register_strategy
class Rubinstein(Strategy):
    name = "rubinstein"
    title = "Rubinstein equilibrium"
    description = (
        "Plays the stationary subgame-perfect equilibrium of alternating offers with discounting: "
        "offers each other party exactly its discounted gain from rejecting."
    )
    bibkey = "Rubinstein1982"
    cooperative = True
    defaults: ClassVar[dict[str, float]] = {"patience": 0.95}

    def __init__(self, **params: float) -> None:
        super().__init__(**params)
        if not 0 < self.params["patience"] < 1:
            raise ValueError("patience must be in (0, 1)")
        self._plans: dict[tuple[int, int, float, str], tuple[Table, IndexArray]] = {}

    def discounts(self, view: View) -> FloatArray:
        """The discount factors the strategy assumes for every party."""
        d = np.ones(view.table.n_parties) if view.war else view.table.discount.copy()
        return np.where(d >= 1.0, self.params["patience"], d)

    def plan(self, view: View) -> IndexArray:
        """The party's equilibrium offer (cached per table, party and own reservation value)."""
        key = (id(view.table), view.party, view.reservation, view.protocol)
        cached = self._plans.get(key)
        if cached is not None and cached[0] is view.table:
            return cached[1]
        reservation = view.table.problem.reservation.copy()
        if np.isfinite(view.reservation):
            reservation[view.party] = view.reservation
        if view.protocol == "alternating":
            order = list(range(view.table.n_parties))
        else:
            order = [int(v) for v in view.table.problem.veto_indices]
        if view.party not in order:
            order.append(view.party)
        offers = equilibrium_offers(view.table, reservation, self.discounts(view), order)
        package = offers[view.party]
        self._plans[key] = (view.table, package)
        return package

    def propose(self, view: View) -> IndexArray:
        return self.plan(view).copy()

    def target(self, view: View) -> float:
        return view.utility(self.plan(view))
