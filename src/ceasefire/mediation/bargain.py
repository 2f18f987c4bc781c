"""The problem offers are judged on: the veto parties' nominal problem, or their effective one.

Without a ``commitment:`` section a package is judged on its utilities ``U_i(x)``, as if the
deal were enforced. With one, ``ceasefire analyze`` judges it on effective utilities
``E_i(x) = p(x) U_i(x) + (1 - p(x)) V_i(x)`` (:mod:`ceasefire.bargaining.effective`
[Powell2006] [Fortna2003]), and so does ``mediate``: a side payment is paid when the deal is
signed, so it adds ``G_i(a)`` to ``E_i(x)`` whether or not the deal holds afterwards, and ``x`` is
acceptable with offer ``a`` when ``E_i(x) + G_i(a) >= r_i`` (and, when deals must be
self-enforcing, ``U_i(x) >= V_i(x)``, which no payment at signing changes): the effective problem
whose reservation values are ``r - G(a)`` [Raiffa1982]. Both problems are restricted to the veto
parties, in scenario order, the columns of :class:`~ceasefire.mediation.offers.OfferSpace`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem, Solution, solve
from ceasefire.bargaining.effective import EffectiveProblem
from ceasefire.uncertainty.picks import PointSet, point_set, point_set_of

FloatArray = npt.NDArray[np.float64]

Bargain = BargainingProblem | EffectiveProblem
"""A veto-only problem: nominal, or effective (deals may break down)."""


def nominal(bargain: Bargain) -> BargainingProblem:
    """The nominal problem (for an effective one: the utilities if the deal held)."""
    return bargain.problem if isinstance(bargain, EffectiveProblem) else bargain


def is_effective(bargain: Bargain) -> bool:
    return isinstance(bargain, EffectiveProblem)


def reservation(bargain: Bargain) -> FloatArray:
    """The veto parties' values of no deal."""
    return np.asarray(nominal(bargain).reservation, dtype=np.float64)


def veto_only(bargain: Bargain) -> Bargain:
    """``bargain`` restricted to its veto parties (their columns, in order)."""
    problem = nominal(bargain)
    veto = problem.veto_indices
    restricted = BargainingProblem(
        parties=tuple(problem.parties[int(i)] for i in veto),
        veto=(True,) * veto.shape[0],
        issues=problem.issues,
        options=problem.options,
        contributions=tuple(np.ascontiguousarray(c[:, veto]) for c in problem.contributions),
        forbidden=problem.forbidden,
        reservation=np.asarray(problem.reservation)[veto],
    )
    if not isinstance(bargain, EffectiveProblem):
        return restricted
    return EffectiveProblem(
        restricted,
        bargain.group_issues,
        bargain.hold,
        np.ascontiguousarray(bargain.renewed[:, veto]),
        bargain.self_enforcing,
    )


def points_above(bargain: Bargain, floor: FloatArray) -> PointSet:
    """The Pareto frontier of the acceptable packages with reservation values ``floor``: it
    serves every reservation vector at or above the floor."""
    if isinstance(bargain, EffectiveProblem):
        # Exact, as point_set: a point eps-dominated at the floor may be the best acceptable
        # one at higher reservation values.
        effective = bargain.with_reservation(floor)
        frontier = effective.frontier(acceptable_only=True, eps_filter=False)
        return point_set_of(frontier, (), np.asarray(floor, dtype=np.float64))
    return point_set(bargain, floor=floor)


def nash(bargain: Bargain) -> Solution:
    """The Nash bargaining solution [Nash1950] of ``bargain`` (on effective utilities when it is
    effective)."""
    if isinstance(bargain, EffectiveProblem):
        return solve(bargain.problem, "nash", zopa=bargain.zopa())
    return bargain.solve("nash")


__all__ = [
    "Bargain",
    "is_effective",
    "nash",
    "nominal",
    "points_above",
    "reservation",
    "veto_only",
]
