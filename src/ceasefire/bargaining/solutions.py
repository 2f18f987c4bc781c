"""Bargaining solution concepts, chosen among the acceptable packages.

The disagreement point is the reservation vector ``r``; a package's *gains* are ``U_i(x) - r_i``
for the veto parties ``i`` (clipped at 0: acceptable packages lose at most the 1e-9 tolerance).
Every concept here is monotone in the gains, so an optimum lies on the acceptable Pareto frontier
and only frontier points are searched, never the package space.

Ties are reported, not broken silently: :class:`Solution` gives one representative package, the
number of *other* Pareto-optimal acceptable packages whose objective is within 1e-9 of the best
(relative to the best for the Nash product, whose scale is points to the power of the number of
veto parties), counting packages with equal utility vectors, and a few of them. Packages that
reach the optimum but are Pareto-dominated (possible for the max-min concepts) are not counted as
ties. The representative is, among the tied points, the one with the largest sum of gains, then
the first in frontier order.

Add a concept by adding a :class:`SolutionConcept` to :data:`SOLUTION_CONCEPTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ceasefire.bargaining.frontier import MAX_ENTRIES
from ceasefire.bargaining.problem import (
    TOLERANCE,
    BargainingProblem,
    FloatArray,
    IntArray,
    dequantize,
)
from ceasefire.bargaining.zopa import Zopa

Objective = Callable[[FloatArray, FloatArray], FloatArray]
"""``(gains (m, d), ideal gains (d,)) -> objective (m,)``, larger is better."""

TIED_PACKAGES = 10
"""How many tied packages a :class:`Solution` lists."""


@dataclass(frozen=True)
class SolutionConcept:
    """A named rule that picks a package, with what a report needs to cite it."""

    name: str
    title: str
    description: str
    bibkey: str
    function: Objective
    relative_tolerance: bool = False
    """Compare objective values within 1e-9 times the best value instead of within 1e-9."""


def nash_product(gains: FloatArray, ideal: FloatArray) -> FloatArray:
    """The product of the gains [Nash1950]."""
    return np.asarray(np.prod(gains, axis=1))


def kalai_smorodinsky_ratio(gains: FloatArray, ideal: FloatArray) -> FloatArray:
    """The smallest gain relative to that party's best acceptable gain [KalaiSmorodinsky1975].

    Parties whose best acceptable gain is 0 (within 1e-9) get that gain from every acceptable
    package and are left out; if all are, every package scores 1.
    """
    counted = ideal > TOLERANCE
    if not counted.any():
        return np.ones(gains.shape[0])
    return np.asarray((gains[:, counted] / ideal[counted]).min(axis=1))


def smallest_gain(gains: FloatArray, ideal: FloatArray) -> FloatArray:
    """The smallest absolute gain [Kalai1977]."""
    return np.asarray(gains.min(axis=1))


def total_gain(gains: FloatArray, ideal: FloatArray) -> FloatArray:
    """The sum of the gains [Harsanyi1955]."""
    return np.asarray(gains.sum(axis=1))


SOLUTION_CONCEPTS: dict[str, SolutionConcept] = {
    c.name: c
    for c in (
        SolutionConcept(
            name="nash",
            title="Nash bargaining solution",
            description="Maximises the product of the veto parties' gains over their reservation "
            "values.",
            bibkey="Nash1950",
            function=nash_product,
            relative_tolerance=True,
        ),
        SolutionConcept(
            name="kalai_smorodinsky",
            title="Kalai–Smorodinsky solution",
            description="Maximises the smallest gain as a share of that party's best gain in the "
            "zone of agreement (equal shares of each party's ideal).",
            bibkey="KalaiSmorodinsky1975",
            function=kalai_smorodinsky_ratio,
        ),
        SolutionConcept(
            name="egalitarian",
            title="Egalitarian solution",
            description="Maximises the smallest absolute gain over the reservation values.",
            bibkey="Kalai1977",
            function=smallest_gain,
        ),
        SolutionConcept(
            name="utilitarian",
            title="Utilitarian solution",
            description="Maximises the sum of the veto parties' gains over their reservation "
            "values.",
            bibkey="Harsanyi1955",
            function=total_gain,
        ),
    )
}
CONCEPTS = SOLUTION_CONCEPTS
"""Short alias of :data:`SOLUTION_CONCEPTS`."""


@dataclass(frozen=True, eq=False)
class Solution:
    """The package a solution concept picks, its ties, or why there is none."""

    concept: str
    package: np.ndarray[Any, np.dtype[np.intp]] | None
    """Option indices of one representative package, or None without a ZOPA."""
    utilities: FloatArray | None
    """Every party's utility of ``package``."""
    value: float | None
    """The objective value at the optimum."""
    ties: int = 0
    """How many other Pareto-optimal acceptable packages reach the same value (exact)."""
    tied_packages: tuple[np.ndarray[Any, np.dtype[np.intp]], ...] = ()
    """A few of those packages."""
    reason: str | None = None

    def to_dict(self, problem: BargainingProblem, max_entries: int = MAX_ENTRIES) -> dict[str, Any]:
        """JSON-ready data; ``tied_packages`` lists at most ``max_entries`` packages."""
        concept = CONCEPTS.get(self.concept)
        return {
            "concept": self.concept,
            "title": concept.title if concept else self.concept,
            "bibkey": concept.bibkey if concept else None,
            "package": None if self.package is None else problem.package_dict(self.package),
            "utilities": None
            if self.utilities is None
            else {p: float(u) for p, u in zip(problem.parties, self.utilities, strict=True)},
            "value": self.value,
            "ties": self.ties,
            "tied_packages": [problem.package_dict(p) for p in self.tied_packages[:max_entries]],
            "reason": self.reason,
        }


def gains_units(problem: BargainingProblem, veto_units: IntArray) -> IntArray:
    """Veto parties' gains over their reservation values, in quantised units, clipped at 0."""
    return np.asarray(np.maximum(veto_units - problem.reservation_units, 0), dtype=np.int64)


def tied(values: FloatArray, best: float, relative: bool) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Which objective values are within 1e-9 of ``best`` (times ``|best|`` if relative)."""
    tol = TOLERANCE * (abs(best) if relative else 1.0)
    return np.asarray(values >= best - tol)


def chosen_point(
    problem: BargainingProblem, spec: SolutionConcept, point_units: IntArray, best_units: IntArray
) -> tuple[int, FloatArray, np.ndarray[Any, np.dtype[np.intp]]]:
    """The point ``spec`` picks among frontier points ``point_units`` (in frontier order; each
    veto party's best utility ``best_units``), every point's objective value and the tied
    points."""
    gain_units = gains_units(problem, point_units)
    gains = dequantize(gain_units)
    ideal = dequantize(np.maximum(best_units - problem.reservation_units, 0))
    values = np.asarray(spec.function(gains, ideal), dtype=np.float64)
    best = float(values.max())
    winners = np.flatnonzero(tied(values, best, spec.relative_tolerance))
    # Representative: largest total gain among the tied points, then frontier order.
    totals = gain_units[winners].sum(axis=1)
    return int(winners[np.argmax(totals)]), values, winners


def solve(
    problem: BargainingProblem,
    concept: str | SolutionConcept,
    *,
    zopa: Zopa | None = None,
    n_tied: int = TIED_PACKAGES,
) -> Solution:
    """Apply ``concept`` (a name in :data:`CONCEPTS` or a concept) to ``problem``.

    Pass a precomputed ``zopa`` to solve several concepts without recomputing the frontier.
    """
    spec = CONCEPTS[concept] if isinstance(concept, str) else concept
    if zopa is None:
        zopa = problem.zopa()  # memoised on the problem
    frontier = zopa.frontier
    if not zopa.exists:
        return Solution(spec.name, None, None, None, reason=zopa.reason)
    chosen, values, winners = chosen_point(problem, spec, frontier.point_units, frontier.best_units)
    entries = np.flatnonzero(np.isin(frontier.point_of_entry, winners))
    first = int(entries[frontier.point_of_entry[entries] == chosen][0])
    others = [int(e) for e in entries[: n_tied + 1] if e != first][:n_tied]
    return Solution(
        concept=spec.name,
        package=frontier.packages[first].copy(),
        utilities=frontier.utilities[first].copy(),
        value=float(values[chosen]),
        ties=sum(frontier.counts[int(w)] for w in winners) - 1,
        tied_packages=tuple(frontier.packages[e].copy() for e in others),
    )


def solve_all(problem: BargainingProblem, *, zopa: Zopa | None = None) -> dict[str, Solution]:
    """Every registered concept, sharing one ZOPA computation."""
    if zopa is None:
        zopa = problem.zopa()
    return {name: solve(problem, name, zopa=zopa) for name in CONCEPTS}
