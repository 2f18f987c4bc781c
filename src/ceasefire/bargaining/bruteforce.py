"""Brute-force oracle: enumerate every package and compare every pair of utility vectors.

Slow on purpose and written to be obviously right: it shares with the fast code only the
quantisation (:func:`~ceasefire.bargaining.problem.quantize`), the tolerance and the solution
concepts' objective functions, and nothing of the issue-by-issue construction, the pruning or the
k-d tree. Use it on small problems (tests of this and other packages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.effective import EffectiveProblem, effective_units
from ceasefire.bargaining.problem import (
    TOLERANCE,
    TOLERANCE_UNITS,
    BargainingProblem,
    BoolArray,
    IntArray,
    quantize,
)
from ceasefire.bargaining.solutions import CONCEPTS, SolutionConcept

MAX_PACKAGES = 2_000_000

Package = tuple[int, ...]
Vector = tuple[int, ...]


def all_packages(problem: BargainingProblem) -> npt.NDArray[np.intp]:
    """Every package as option indices, ``(M, K)``, in lexicographic order."""
    count = problem.package_count()
    if count > MAX_PACKAGES:
        raise ValueError(f"{count} packages is too many to enumerate")
    shape = tuple(len(o) for o in problem.options)
    return np.indices(shape).reshape(len(shape), -1).T.astype(np.intp)


def package_units(problem: BargainingProblem, packages: npt.NDArray[np.intp]) -> IntArray:
    """Every party's utility of each package in quantised units, summed issue by issue."""
    total = np.zeros((packages.shape[0], len(problem.parties)), dtype=np.int64)
    for k, table in enumerate(problem.contributions):
        total += quantize(table)[packages[:, k]]
    return total


def acceptable_mask(
    problem: BargainingProblem, packages: npt.NDArray[np.intp], units: IntArray
) -> BoolArray:
    """Acceptable: no forbidden option, and every veto party at least its reservation - 1e-9."""
    ok = np.ones(packages.shape[0], dtype=bool)
    for k, banned in enumerate(problem.forbidden):
        ok &= ~np.asarray(banned)[packages[:, k]]
    for i, has_veto in enumerate(problem.veto):
        if has_veto:
            ok &= units[:, i] >= quantize(problem.reservation[i]) - TOLERANCE_UNITS
    return ok


def any_beats(points: IntArray, lower: IntArray, upper: IntArray) -> BoolArray:
    """For each query j, is there a point ``q >= lower[j]`` everywhere, ``> upper[j]`` somewhere?
    All pairs, in chunks."""
    found = np.zeros(lower.shape[0], dtype=bool)
    step = max(1, 4_000_000 // max(1, points.shape[0] * points.shape[1]))
    for a in range(0, lower.shape[0], step):
        lo = lower[a : a + step, None, :]
        hi = upper[a : a + step, None, :]
        q = points[None, :, :]
        found[a : a + step] = np.any(np.all(q >= lo, axis=2) & np.any(q > hi, axis=2), axis=1)
    return found


def brute_force_frontier(
    problem: BargainingProblem, *, acceptable_only: bool = False
) -> dict[Vector, list[Package]]:
    """Reported frontier: veto-utility vector (quantised units) -> every package behind it.

    A vector is reported if no package (acceptable package, with ``acceptable_only``) dominates
    it and none eps-dominates it; if that leaves none, every non-dominated vector is reported.
    """
    packages = all_packages(problem)
    units = package_units(problem, packages)
    if acceptable_only:
        keep = acceptable_mask(problem, packages, units)
        packages, units = packages[keep], units[keep]
    return reported_frontier(packages, units[:, [i for i, v in enumerate(problem.veto) if v]])


def reported_frontier(
    packages: npt.NDArray[np.intp], veto: IntArray
) -> dict[Vector, list[Package]]:
    """The reported frontier of the given packages with the given veto-utility vectors."""
    if veto.shape[0] == 0:
        return {}
    distinct, inverse = np.unique(veto, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    beaten = any_beats(distinct, distinct, distinct)
    eps_beaten = any_beats(distinct, distinct - TOLERANCE_UNITS, distinct + TOLERANCE_UNITS)
    reported = ~beaten & ~eps_beaten
    if not reported.any():
        reported = ~beaten  # a cycle of near-ties: the exact frontier
    out: dict[Vector, list[Package]] = {}
    for j in np.flatnonzero(reported):
        rows = np.flatnonzero(inverse == j)
        out[tuple(int(x) for x in distinct[j])] = [tuple(int(o) for o in packages[r]) for r in rows]
    return out


@dataclass(frozen=True)
class OracleSolution:
    value: float | None
    """Best objective over the Pareto-optimal acceptable packages (as reported)."""
    ties: int
    """Other such packages within tolerance of ``value``."""
    optimal: frozenset[Package]
    """Every such package within tolerance of ``value``."""
    best_anywhere: float | None
    """Best objective over all acceptable packages, the eps-dominated ones included."""


def brute_force_solution(
    problem: BargainingProblem, concept: str | SolutionConcept
) -> OracleSolution:
    """Evaluate a concept's objective on every acceptable package."""
    packages = all_packages(problem)
    units = package_units(problem, packages)
    keep = acceptable_mask(problem, packages, units)
    packages, units = packages[keep], units[keep]
    frontier = reported_frontier(packages, units[:, [i for i, v in enumerate(problem.veto) if v]])
    pareto = {p for ps in frontier.values() for p in ps}
    return oracle_solution(problem, concept, packages, units, pareto)


def oracle_solution(
    problem: BargainingProblem,
    concept: str | SolutionConcept,
    packages: npt.NDArray[np.intp],
    units: IntArray,
    pareto: set[Package],
) -> OracleSolution:
    """A concept's optimum over the given acceptable packages (utilities in quantised units), among
    those in ``pareto`` (the reported acceptable frontier)."""
    spec = CONCEPTS[concept] if isinstance(concept, str) else concept
    if packages.shape[0] == 0:
        return OracleSolution(None, 0, frozenset(), None)
    veto = [i for i, v in enumerate(problem.veto) if v]
    reservation = quantize(problem.reservation[veto])
    gains = np.maximum(units[:, veto] - reservation, 0) / 1e12
    ideal = gains.max(axis=0)
    values = spec.function(gains, ideal)
    on_frontier = np.array([p in pareto for p in map(tuple, packages.tolist())])
    best = float(values[on_frontier].max())
    tol = TOLERANCE * (abs(best) if spec.relative_tolerance else 1.0)
    optimal = frozenset(
        tuple(int(o) for o in packages[r])
        for r in np.flatnonzero(on_frontier & (values >= best - tol))
    )
    return OracleSolution(best, len(optimal) - 1, optimal, float(values.max()))


# ---- deals that may not hold (ceasefire.bargaining.effective) ----------------------------------


def effective_package_units(eff: EffectiveProblem) -> tuple[npt.NDArray[np.intp], IntArray]:
    """Every package and its effective utilities, package by package."""
    packages = all_packages(eff.problem)
    return packages, _effective_parts(eff, packages)[2]


def _effective_parts(
    eff: EffectiveProblem, packages: npt.NDArray[np.intp]
) -> tuple[IntArray, IntArray, IntArray]:
    """Nominal utilities, war values if the deal breaks, and effective utilities (quantised)."""
    nominal = package_units(eff.problem, packages)
    group = eff.group_of(packages)
    renewed = quantize(eff.renewed)[group]
    return nominal, renewed, effective_units(nominal, eff.hold[group], renewed)


def effective_acceptable(eff: EffectiveProblem, packages: npt.NDArray[np.intp]) -> BoolArray:
    """Red lines, reservation values on effective utilities, and self-enforcement, directly."""
    return _acceptable(eff, packages, *_effective_parts(eff, packages))


def _acceptable(
    eff: EffectiveProblem,
    packages: npt.NDArray[np.intp],
    nominal: IntArray,
    renewed: IntArray,
    units: IntArray,
) -> BoolArray:
    problem = eff.problem
    ok = np.ones(packages.shape[0], dtype=bool)
    for k, banned in enumerate(problem.forbidden):
        ok &= ~np.asarray(banned)[packages[:, k]]
    for i in (i for i, v in enumerate(problem.veto) if v):
        ok &= units[:, i] >= quantize(problem.reservation[i]) - TOLERANCE_UNITS
        if eff.self_enforcing:
            ok &= nominal[:, i] >= renewed[:, i] - TOLERANCE_UNITS
    return ok


def _acceptable_package_units(eff: EffectiveProblem) -> tuple[npt.NDArray[np.intp], IntArray]:
    """The acceptable packages and their effective utilities, the acceptable set found once."""
    packages = all_packages(eff.problem)
    parts = _effective_parts(eff, packages)
    keep = _acceptable(eff, packages, *parts)
    return packages[keep], parts[2][keep]


def _veto_frontier(
    eff: EffectiveProblem, packages: npt.NDArray[np.intp], units: IntArray
) -> dict[Vector, list[Package]]:
    return reported_frontier(packages, units[:, [i for i, v in enumerate(eff.problem.veto) if v]])


def brute_force_effective_frontier(
    eff: EffectiveProblem, *, acceptable_only: bool = False
) -> dict[Vector, list[Package]]:
    """:func:`brute_force_frontier` on effective utilities."""
    if acceptable_only:
        return _veto_frontier(eff, *_acceptable_package_units(eff))
    return _veto_frontier(eff, *effective_package_units(eff))


def brute_force_effective_solution(
    eff: EffectiveProblem, concept: str | SolutionConcept
) -> OracleSolution:
    """:func:`brute_force_solution` on effective utilities."""
    packages, units = _acceptable_package_units(eff)
    pareto = {p for ps in _veto_frontier(eff, packages, units).values() for p in ps}
    return oracle_solution(eff.problem, concept, packages, units, pareto)
