"""Offers of side payments: which level of each side payment a patron or mediator puts on the table.

An *offer* picks one level of every side payment of the scenario (level 0: nothing). It costs the
offering parties the sum of the chosen levels' costs and adds to each party's utility of every
package the chosen levels' values. For the veto parties that is all that matters: a package ``x``
is acceptable with offer ``a`` when ``U_i(x) + G_i(a) >= r_i``, that is when ``x`` is acceptable
in the problem whose reservation values are ``r - G(a)`` [Raiffa1982]. So one red-line-respecting
Pareto frontier, built down to the lowest reservation any offer can bring, answers every offer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import quantize
from ceasefire.mediation.bargain import Bargain, points_above, reservation
from ceasefire.scenario import Scenario
from ceasefire.scenario.side_payments import SidePayment
from ceasefire.uncertainty.picks import PointSet, pick

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

Offer = tuple[int, ...]


@dataclass(frozen=True, eq=False)
class OfferSpace:
    """The side payments of a scenario as arrays over the veto parties."""

    payments: tuple[SidePayment, ...]
    parties: tuple[str, ...]
    """The veto parties, in the order of the bargaining problem's columns."""
    costs: tuple[FloatArray, ...]
    """Per side payment, the cost of each level."""
    gains: tuple[FloatArray, ...]
    """Per side payment, ``(n_levels, d)`` utility points each veto party gains at each level."""

    @property
    def size(self) -> int:
        """How many offers there are (a Python int: it can be large)."""
        return math.prod(len(p.levels) for p in self.payments)

    @property
    def nothing(self) -> Offer:
        return (0,) * len(self.payments)

    def all_offers(self) -> IndexArray:
        """Every offer as level indices, ``(size, n_payments)``, in lexicographic order."""
        shape = tuple(len(p.levels) for p in self.payments)
        if not shape:
            return np.zeros((1, 0), dtype=np.intp)
        return np.indices(shape).reshape(len(shape), -1).T.astype(np.intp)

    def cost(self, offers: IndexArray) -> FloatArray:
        """Total cost of each offer ``(N, n_payments)``."""
        total = np.zeros(offers.shape[0])
        for m, cost in enumerate(self.costs):
            total += cost[offers[:, m]]
        return total

    def gain(self, offers: IndexArray) -> FloatArray:
        """``(N, d)`` utility points each veto party gains from each offer."""
        total = np.zeros((offers.shape[0], len(self.parties)))
        for m, gain in enumerate(self.gains):
            total += gain[offers[:, m]]
        return total

    @property
    def max_gain(self) -> FloatArray:
        """``(d,)`` the most each veto party can gain from any offer."""
        total = np.zeros(len(self.parties))
        for gain in self.gains:
            total += gain.max(axis=0)
        return total

    def labels(self, offer: Offer) -> dict[str, Any]:
        """``{side payment id: level}`` for one offer."""
        return {p.id: p.levels[level] for p, level in zip(self.payments, offer, strict=True)}

    def cost_by_party(self, offer: Offer) -> dict[str, float]:
        """What the offer costs each offering party."""
        out: dict[str, float] = {}
        for p, cost, level in zip(self.payments, self.costs, offer, strict=True):
            out[p.offered_by] = out.get(p.offered_by, 0.0) + float(cost[level])
        return out


def offer_space(scenario: Scenario, parties: tuple[str, ...] | None = None) -> OfferSpace:
    """The side payments of ``scenario`` over ``parties`` (default: its veto parties)."""
    if parties is None:
        parties = tuple(p.id for p in scenario.veto_parties)
    payments = tuple(scenario.side_payments)
    costs = tuple(np.array(p.cost, dtype=np.float64) for p in payments)
    gains = tuple(
        np.column_stack(
            [
                np.array(p.value.get(party, [0.0] * len(p.levels)), dtype=np.float64)
                for party in parties
            ]
        ).reshape(len(p.levels), len(parties))
        for p in payments
    )
    return OfferSpace(payments, parties, costs, gains)


def frontier_for_offers(problem: Bargain, space: OfferSpace) -> PointSet:
    """The frontier that serves every offer: down to the reservation values minus the largest
    possible gains (veto-only ``problem``, nominal or effective)."""
    floor = reservation(problem) - np.maximum(space.max_gain, 0.0) - 1e-6
    return points_above(problem, floor)


def zopa_exists(points: PointSet, reservation: FloatArray, gains: FloatArray) -> BoolArray:
    """For each row of ``gains`` ``(N, d)``: is some package acceptable with those gains?"""
    shifted = quantize(reservation[None, :] - gains)
    return pick(points, shifted, []).exists


def nash_with(
    points: PointSet, reservation: FloatArray, gains: FloatArray
) -> tuple[BoolArray, IndexArray, FloatArray]:
    """Per row of ``gains``: a ZOPA or not, the Nash point, and the Nash product of the gains
    ``U_i + G_i - r_i`` (0 without a ZOPA)."""
    shifted = reservation[None, :] - gains
    picks = pick(points, quantize(shifted), ["nash"])
    chosen = picks.chosen["nash"]
    product = np.zeros(gains.shape[0])
    ok = picks.exists
    if ok.any():
        utilities = points.points[chosen[ok]] / 1e12
        product[ok] = np.prod(np.maximum(utilities - shifted[ok], 0.0), axis=1)
    return picks.exists, chosen, product
