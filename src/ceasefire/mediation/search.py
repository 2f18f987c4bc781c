"""Which offer to make: the cheapest that opens a zone of agreement, or the best within a budget.

Formulation. Offers are combinations of side-payment levels ``a``; an offer costs
``c(a) = sum_m cost_m(a_m)`` and adds ``G_i(a) = sum_m value_im(a_m)`` to veto party ``i``'s
utility. With packages ``x`` crossing no red line:

- *cheapest offer*: ``min c(a)`` such that some ``x`` has ``U_i(x) + G_i(a) >= r_i`` for every veto
  party ``i``;
- *best offer within a budget* ``B``: among ``c(a) <= B``, the offer whose Nash product
  ``max_x prod_i (U_i(x) + G_i(a) - r_i)`` [Nash1950] is largest, or whose probability of a zone
  of agreement is largest (:mod:`ceasefire.mediation.probability`).

Two exact methods for the cheapest offer:

- *search*: every offer, in order of cost (then fewer levels, then lexicographic), tested against
  one Pareto frontier built down to ``r - max G`` (a frontier point ``p >= r - G(a)`` exists iff the
  zone is non-empty with ``a``); used when there are at most ``MAX_SEARCH`` offers;
- *integer programme* (larger offer spaces): binary ``z_ko`` (package ``x`` takes option ``o`` of
  issue ``k``; options a red line excludes fixed at 0) and ``y_ml`` (side payment ``m`` at level
  ``l``), one of each per issue and per side payment,
  ``sum_ko c_k[o, i] z_ko + sum_ml g_m[l, i] y_ml >= r_i`` for each veto party, minimising
  ``sum_ml cost_m[l] y_ml``; solved by HiGHS through ``scipy.optimize.milp`` with a zero gap, and
  the solution checked in exact arithmetic (solved again with a margin of 1e-6 if HiGHS's
  feasibility tolerance let it through).

Both are tested against brute force (:mod:`ceasefire.mediation.bruteforce`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem, quantize
from ceasefire.bargaining.problem import TOLERANCE, TOLERANCE_UNITS
from ceasefire.mediation.bargain import Bargain, is_effective, nominal, reservation
from ceasefire.mediation.offers import (
    Offer,
    OfferSpace,
    frontier_for_offers,
    nash_with,
    zopa_exists,
)

IndexArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

MAX_SEARCH = 200_000
"""Offer spaces up to this size are searched exhaustively; larger ones need the integer programme."""

_BATCH = 4096

CheapestMethod = Literal["auto", "search", "milp"]


@dataclass(frozen=True)
class Choice:
    """An offer and what it costs."""

    offer: Offer
    cost: float
    method: str
    evaluated: int
    """How many offers were evaluated (search) or 0 (integer programme)."""


def by_cost(space: OfferSpace, offers: IndexArray) -> IndexArray:
    """Offers ordered by cost, then by the sum of their levels, then lexicographically."""
    cost = np.round(space.cost(offers), 9)
    keys = [offers[:, m] for m in range(offers.shape[1] - 1, -1, -1)]
    return np.lexsort([*keys, offers.sum(axis=1), cost])


def cheapest_offer(
    problem: Bargain, space: OfferSpace, method: CheapestMethod = "auto"
) -> Choice | None:
    """The cheapest offer with a non-empty zone of agreement (None if none has one).

    ``problem``: the veto parties' bargaining problem (their columns in ``space.parties`` order),
    nominal or effective (:mod:`ceasefire.mediation.bargain`; the integer programme: nominal only).
    """
    if method == "auto":
        method = "search" if space.size <= MAX_SEARCH else "milp"
    if method == "milp":
        if is_effective(problem):
            raise ValueError(
                "the integer programme is for nominal utilities; with a commitment: section "
                f"the offers are searched exhaustively (at most {MAX_SEARCH:,}, here {space.size:,})"
            )
        return _cheapest_milp(nominal(problem), space)
    if space.size > MAX_SEARCH:
        raise ValueError(f"{space.size} offers are too many to search; use the integer programme")
    offers = space.all_offers()
    order = by_cost(space, offers)
    points = frontier_for_offers(problem, space)
    gains = space.gain(offers)
    for start in range(0, order.shape[0], _BATCH):
        batch = order[start : start + _BATCH]
        hit = np.flatnonzero(zopa_exists(points, reservation(problem), gains[batch]))
        if hit.size:
            j = int(batch[hit[0]])
            offer = tuple(int(x) for x in offers[j])
            return Choice(
                offer, float(space.cost(offers[j : j + 1])[0]), "search", start + int(hit[0]) + 1
            )
    return None


def best_offer_nash(
    problem: Bargain, space: OfferSpace, budget: float
) -> tuple[Choice, float] | None:
    """Within ``budget``, the offer with the largest Nash product (ties: the cheaper, then the
    order of :func:`by_cost`); None when no affordable offer opens a zone of agreement."""
    if space.size > MAX_SEARCH:
        raise ValueError(f"{space.size} offers are too many to search")
    offers = space.all_offers()
    order = by_cost(space, offers)
    affordable = order[space.cost(offers[order]) <= budget + TOLERANCE]
    if affordable.size == 0:
        return None
    points = frontier_for_offers(problem, space)
    exists, _, product = nash_with(points, reservation(problem), space.gain(offers[affordable]))
    if not exists.any():
        return None
    best = product[exists].max()
    # Ties within a relative 1e-9, as the Nash solution itself; the first in cost order wins.
    winners = np.flatnonzero(exists & (product >= best - TOLERANCE * abs(best)))
    j = int(affordable[winners[0]])
    offer = tuple(int(x) for x in offers[j])
    return Choice(
        offer, float(space.cost(offers[j : j + 1])[0]), "search", int(affordable.size)
    ), float(product[winners[0]])


def _cheapest_milp(problem: BargainingProblem, space: OfferSpace) -> Choice | None:
    from scipy.optimize import Bounds, LinearConstraint, milp

    for margin in (0.0, 1e-6, 1e-5):
        solution = _solve_milp(problem, space, margin, milp, LinearConstraint, Bounds)
        if solution is None:
            return None
        package, offer = solution
        utilities = problem.utility_units(np.array([package]))[0]
        gains = quantize(space.gain(np.array([offer]))[0])
        if (utilities + gains >= problem.reservation_units - TOLERANCE_UNITS).all():
            cost = float(space.cost(np.array([offer]))[0])
            return Choice(tuple(int(x) for x in offer), cost, "milp", 0)
    return None


def _solve_milp(
    problem: BargainingProblem,
    space: OfferSpace,
    margin: float,
    milp: object,
    constraint: object,
    bounds: object,
) -> tuple[IndexArray, IndexArray] | None:
    sizes = [len(o) for o in problem.options]
    levels = [len(p.levels) for p in space.payments]
    n_z, n_y = sum(sizes), sum(levels)
    d = problem.n_parties
    cost = np.concatenate([np.zeros(n_z), *space.costs]) if n_y else np.zeros(n_z)
    equal = np.zeros((len(sizes) + len(levels), n_z + n_y))
    start = 0
    for k, size in enumerate(sizes):
        equal[k, start : start + size] = 1.0
        start += size
    for m, size in enumerate(levels):
        equal[len(sizes) + m, start : start + size] = 1.0
        start += size
    utility = np.zeros((d, n_z + n_y))
    utility[:, :n_z] = np.concatenate(problem.contributions, axis=0).T
    if n_y:
        utility[:, n_z:] = np.concatenate(space.gains, axis=0).T
    upper = np.ones(n_z + n_y)
    upper[:n_z] = ~np.concatenate(problem.forbidden)
    veto = np.array(problem.veto)
    result = milp(  # type: ignore[operator]
        cost,
        constraints=[
            constraint(equal, 1.0, 1.0),  # type: ignore[operator]
            constraint(utility[veto], problem.reservation[veto] + margin, np.inf),  # type: ignore[operator]
        ],
        integrality=np.ones(n_z + n_y),
        bounds=bounds(np.zeros(n_z + n_y), upper),  # type: ignore[operator]
        options={"mip_rel_gap": 0.0},
    )
    if result.x is None:
        return None
    x = np.round(result.x).astype(int)
    package = np.array(
        [
            int(np.argmax(x[a : a + s]))
            for a, s in zip(np.cumsum([0, *sizes[:-1]]), sizes, strict=True)
        ],
        dtype=np.intp,
    )
    offer = np.array(
        [
            int(np.argmax(x[n_z + a : n_z + a + s]))
            for a, s in zip(np.cumsum([0, *levels[:-1]]), levels, strict=True)
        ],
        dtype=np.intp,
    )
    return package, offer
