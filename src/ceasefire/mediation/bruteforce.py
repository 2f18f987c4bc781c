"""Brute-force oracle for offers: every offer against every package. Slow on purpose; for tests."""

from __future__ import annotations

import numpy as np

from ceasefire.bargaining import BargainingProblem
from ceasefire.bargaining.bruteforce import acceptable_mask, all_packages, package_units
from ceasefire.bargaining.effective import EffectiveProblem
from ceasefire.bargaining.problem import TOLERANCE
from ceasefire.mediation.bargain import Bargain
from ceasefire.mediation.offers import Offer, OfferSpace


def acceptable_with(problem: Bargain, space: OfferSpace, offer: Offer) -> np.ndarray:
    """Which packages (in :func:`all_packages` order) are acceptable with ``offer``: no red line
    crossed and ``U_i(x) >= r_i - G_i(offer)`` (within 1e-9) for every veto party (an effective
    problem: ``E_i(x)``, package by package, and self-enforcing when required)."""
    gains = space.gain(np.array([offer]))[0]
    if isinstance(problem, EffectiveProblem):
        shifted_effective = problem.with_reservation(problem.problem.reservation - gains)
        return shifted_effective.acceptable(all_packages(problem.problem))
    packages = all_packages(problem)
    shifted = problem.with_reservation(problem.reservation - gains)
    return acceptable_mask(shifted, packages, package_units(shifted, packages))


def cheapest_cost(problem: Bargain, space: OfferSpace) -> tuple[float | None, set[Offer]]:
    """The least cost of an offer with an acceptable package, and every offer at that cost."""
    best: float | None = None
    winners: set[Offer] = set()
    for row in space.all_offers():
        offer = tuple(int(x) for x in row)
        if not acceptable_with(problem, space, offer).any():
            continue
        cost = float(space.cost(row[None, :])[0])
        if best is None or cost < best - 1e-9:
            best, winners = cost, {offer}
        elif abs(cost - best) <= 1e-9:
            winners.add(offer)
    return best, winners


def best_nash_product(problem: BargainingProblem, space: OfferSpace, budget: float) -> float | None:
    """The largest Nash product ``prod_i (U_i + G_i - r_i)`` over affordable offers and their
    acceptable packages (None if none)."""
    packages = all_packages(problem)
    utilities = problem.utilities(packages)
    best: float | None = None
    for row in space.all_offers():
        if space.cost(row[None, :])[0] > budget + TOLERANCE:
            continue
        offer = tuple(int(x) for x in row)
        ok = acceptable_with(problem, space, offer)
        if not ok.any():
            continue
        gains = space.gain(row[None, :])[0]
        product = np.prod(np.maximum(utilities[ok] + gains - problem.reservation, 0.0), axis=1)
        value = float(product.max())
        best = value if best is None else max(best, value)
    return best
