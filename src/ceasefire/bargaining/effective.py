"""Bargaining over deals that may not hold: the exact frontier of effective utilities.

A package ``x`` holds over the horizon with probability ``p(x)``; if it breaks, party ``i`` gets
``V_i(x)``, the value of the war that follows. Its *effective* utility is [Powell2006] [Fortna2003]

    E_i(x) = p(x) * U_i(x) + (1 - p(x)) * V_i(x).

``p`` and ``V`` depend only on a few *group* issues (the mechanisms that make a deal last, the line
a renewed war starts from, force caps): fix their options (a *group* ``g``) and ``E`` is an affine
map of ``U`` with the same positive slope ``p_g`` for every party, which preserves Pareto order.
So the frontier is exact without enumerating packages: the exact frontier of the other issues is
computed once (:func:`~ceasefire.bargaining.frontier.pareto_frontier`), mapped into every group,
and the groups' points are merged by the dominance filter of :mod:`ceasefire.bargaining.skyline`.

Acceptable: no red line crossed, every veto party ``E_i(x) >= r_i`` (within 1e-9) and, when the
deal must be *self-enforcing*, ``U_i(x) >= V_i(x)`` for every veto party: a party that would do
better by renewing the war reneges once it can [Powell2006]. Both conditions are monotone in the
other issues' utilities, so checking the mapped frontier points is enough.

Arithmetic. Effective utilities are ``rint(p * U + (1 - p) * V)`` in quantised units
(:func:`effective_units`), the one rounding shared with the brute-force oracle. Rounding is weakly
monotone: two packages of a group whose nominal utilities differ by less than ``1e-12 / p`` in every
veto party's utility can become equal; such a tie is not reported (they differ by far less than the
1e-9 tolerance). Without group issues the effective problem is the nominal one (``p = 1``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.frontier import Frontier, empty_frontier, pareto_frontier
from ceasefire.bargaining.problem import (
    TOLERANCE_UNITS,
    BargainingProblem,
    BoolArray,
    FloatArray,
    IntArray,
    dequantize,
    quantize,
)
from ceasefire.bargaining.skyline import dominated, pareto_mask
from ceasefire.bargaining.solutions import Solution, solve
from ceasefire.bargaining.zopa import Zopa, no_agreement_reason

IndexArray = npt.NDArray[np.intp]

_NO_RESERVATION = -1e5
_PREFILTER = 20_000


def effective_units(units: IntArray, hold: FloatArray, renewed_units: IntArray) -> IntArray:
    """``rint(p * U + (1 - p) * V)`` row by row, in quantised units: ``(m, n)`` nominal units,
    ``(m,)`` probabilities, ``(m, n)`` renewed-war units."""
    p = np.asarray(hold, dtype=np.float64)[:, None]
    value = p * units.astype(np.float64) + (1.0 - p) * renewed_units.astype(np.float64)
    return np.rint(value).astype(np.int64)


@dataclass(frozen=True, eq=False)
class EffectiveProblem:
    """A bargaining problem whose deals hold with a probability fixed by a few group issues."""

    problem: BargainingProblem
    """The nominal problem: utilities as if the deal were enforced forever."""
    group_issues: tuple[int, ...]
    """Indices of the issues ``p`` and ``V`` depend on (increasing)."""
    hold: FloatArray
    """``(G,)`` probability that a deal of each group holds over the horizon."""
    renewed: FloatArray
    """``(G, n_parties)`` each party's value of the war that follows a breakdown."""
    self_enforcing: bool = True
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        issues = tuple(int(k) for k in self.group_issues)
        if list(issues) != sorted(set(issues)) or any(
            not 0 <= k < self.problem.n_issues for k in issues
        ):
            raise ValueError("group_issues must be distinct issue indices in increasing order")
        object.__setattr__(self, "group_issues", issues)
        n_groups = math.prod(len(self.problem.options[k]) for k in issues)
        hold = np.asarray(self.hold, dtype=np.float64).reshape(-1)
        renewed = np.asarray(self.renewed, dtype=np.float64)
        if hold.shape != (n_groups,) or renewed.shape != (n_groups, self.problem.n_parties):
            raise ValueError(f"need hold ({n_groups},) and renewed ({n_groups}, n_parties)")
        if not ((hold >= 0) & (hold <= 1)).all():
            raise ValueError("hold probabilities must lie in [0, 1]")
        if not np.isfinite(renewed).all():
            raise ValueError("renewed-war values must be finite")
        object.__setattr__(self, "hold", hold)
        object.__setattr__(self, "renewed", renewed)

    def with_reservation(self, reservation: npt.ArrayLike) -> EffectiveProblem:
        """The same problem with other reservation values (shape ``(n_parties,)``)."""
        return EffectiveProblem(
            self.problem.with_reservation(reservation),
            self.group_issues,
            self.hold,
            self.renewed,
            self.self_enforcing,
        )

    def red_line_free_points(self) -> FloatArray:
        """``(m, d)``: the veto parties' effective utilities at every Pareto-optimal package that
        crosses no red line (and is self-enforcing, if required), reservation values ignored."""
        free = self.with_reservation(np.where(self.problem.veto, _NO_RESERVATION, np.nan))
        return np.asarray(free.frontier(acceptable_only=True).points, dtype=np.float64)

    # ---- groups -------------------------------------------------------------------------------

    @property
    def group_shape(self) -> tuple[int, ...]:
        return tuple(len(self.problem.options[k]) for k in self.group_issues)

    @property
    def n_groups(self) -> int:
        return int(self.hold.shape[0])

    def group_of(self, packages: npt.ArrayLike) -> IndexArray:
        """The group of each package (``(m, K)`` option indices)."""
        pk = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        if not self.group_issues:
            return np.zeros(pk.shape[0], dtype=np.intp)
        columns = tuple(pk[:, k] for k in self.group_issues)
        return np.asarray(np.ravel_multi_index(columns, self.group_shape), dtype=np.intp)

    def group_options(self) -> IndexArray:
        """``(G, len(group_issues))`` the options of every group, in group order."""
        if not self.group_issues:
            return np.zeros((1, 0), dtype=np.intp)
        return np.indices(self.group_shape).reshape(len(self.group_shape), -1).T.astype(np.intp)

    @property
    def renewed_units(self) -> IntArray:
        return quantize(self.renewed)

    # ---- packages -----------------------------------------------------------------------------

    def effective_units(self, packages: npt.ArrayLike) -> IntArray:
        """Exact effective utilities in quantised units, ``(m, n_parties)``."""
        pk = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        group = self.group_of(pk)
        return effective_units(
            self.problem.utility_units(pk), self.hold[group], self.renewed_units[group]
        )

    def effective_utilities(self, packages: npt.ArrayLike) -> FloatArray:
        return dequantize(self.effective_units(packages))

    def acceptable(self, packages: npt.ArrayLike) -> BoolArray:
        """No red line crossed, reservation values met on effective utilities, self-enforcing."""
        pk = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        veto = self.problem.veto_indices
        group = self.group_of(pk)
        nominal = self.problem.utility_units(pk)
        units = effective_units(nominal, self.hold[group], self.renewed_units[group])
        ok = (units[:, veto] >= self.problem.reservation_units - TOLERANCE_UNITS).all(axis=1)
        if self.self_enforcing:
            floor = self.renewed_units[group][:, veto] - TOLERANCE_UNITS
            ok &= (nominal[:, veto] >= floor).all(axis=1)
        for k, banned in enumerate(self.problem.forbidden):
            ok &= ~banned[pk[:, k]]
        return np.asarray(ok)

    # ---- the frontier, the ZOPA and the solutions --------------------------------------------

    def frontier(
        self, *, acceptable_only: bool = False, max_ties: int = 100, eps_filter: bool = True
    ) -> Frontier:
        """The exact Pareto frontier of effective utilities over the veto parties; with
        ``eps_filter`` (default) without the points another beats by more than the tolerance
        while falling short by at most it (as the nominal frontier)."""
        key = ("frontier", acceptable_only, max_ties, eps_filter)
        if key not in self._memo:
            self._memo[key] = _frontier(self, acceptable_only, max_ties, eps_filter)
        result: Frontier = self._memo[key]
        return result

    def zopa(self, *, max_ties: int = 100) -> Zopa:
        key = ("zopa", max_ties)
        if key not in self._memo:
            front = self.frontier(acceptable_only=True, max_ties=max_ties)
            exists = front.n_points > 0
            self._memo[key] = Zopa(
                exists=exists,
                frontier=front,
                reservation=self.problem.reservation.copy(),
                reason=None if exists else self.no_agreement_reason(),
            )
        result: Zopa = self._memo[key]
        return result

    def solve_all(self) -> dict[str, Solution]:
        from ceasefire.bargaining.solutions import CONCEPTS

        zopa = self.zopa()
        return {name: solve(self.problem, name, zopa=zopa) for name in CONCEPTS}

    def no_agreement_reason(self) -> str:
        """Why no package is acceptable on effective utilities."""
        nominal = self.problem.zopa()
        if not nominal.exists:
            return nominal.reason or no_agreement_reason(self.problem)
        if self.self_enforcing and _any_acceptable(self, self_enforcing=False):
            return (
                "no package is self-enforcing: every package the veto parties accept on expected "
                "terms gives one of them less than it expects from renewing the war once the "
                "other side has rebuilt (a commitment problem)"
            )
        return (
            "once the chance that the deal breaks down and the war that follows are counted, no "
            "package gives every veto party its reservation value"
        )


# ---- the algorithm ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rest:
    """The exact frontier of the issues outside the groups, with every party's units."""

    veto_units: IntArray  # (F, d)
    counts: npt.NDArray[Any]  # (F,) packages per point (exact)
    entry_point: IndexArray  # (E,)
    packages: IndexArray  # (E, K_rest)
    issues: tuple[int, ...]


def _rest_frontier(eff: EffectiveProblem, acceptable_only: bool, max_ties: int) -> _Rest | None:
    problem = eff.problem
    group = set(eff.group_issues)
    rest = tuple(k for k in range(problem.n_issues) if k not in group)
    d = problem.veto_indices.shape[0]
    if not rest:
        return _Rest(
            veto_units=np.zeros((1, d), dtype=np.int64),
            counts=np.ones(1, dtype=np.int64),
            entry_point=np.zeros(1, dtype=np.intp),
            packages=np.zeros((1, 0), dtype=np.intp),
            issues=(),
        )
    sub = BargainingProblem(
        parties=problem.parties,
        veto=problem.veto,
        issues=tuple(problem.issues[k] for k in rest),
        options=tuple(problem.options[k] for k in rest),
        contributions=tuple(problem.contributions[k] for k in rest),
        forbidden=tuple(problem.forbidden[k] for k in rest),
        reservation=np.full(problem.n_parties, _NO_RESERVATION),
    )
    front = pareto_frontier(
        sub, acceptable_only=acceptable_only, max_ties=max_ties, eps_filter=False
    )
    if front.n_points == 0:
        return None
    return _Rest(
        veto_units=front.point_units,
        counts=np.array(front.counts, dtype=object),
        entry_point=front.point_of_entry,
        packages=front.packages,
        issues=rest,
    )


def _group_units(eff: EffectiveProblem) -> tuple[IntArray, BoolArray]:
    """Every group's nominal units from its own issues ``(G, n)``, and whether it crosses a red
    line ``(G,)``."""
    problem = eff.problem
    options = eff.group_options()
    units = np.zeros((options.shape[0], problem.n_parties), dtype=np.int64)
    banned = np.zeros(options.shape[0], dtype=bool)
    for column, k in enumerate(eff.group_issues):
        units += problem.quantized[k][options[:, column]]
        banned |= problem.forbidden[k][options[:, column]]
    return units, banned


def _candidates(
    eff: EffectiveProblem, rest: _Rest, acceptable_only: bool, self_enforcing: bool
) -> tuple[IndexArray, IndexArray, IntArray]:
    """(group, rest point, effective veto units) of every mapped rest point that qualifies."""
    problem = eff.problem
    veto = problem.veto_indices
    group_units, banned = _group_units(eff)
    nominal = group_units[:, None, veto] + rest.veto_units[None, :, :]  # (G, F, d)
    n_groups, n_points, d = nominal.shape
    renewed = eff.renewed_units[:, veto]
    units = effective_units(
        nominal.reshape(-1, d),
        np.repeat(eff.hold, n_points),
        np.repeat(renewed, n_points, axis=0),
    ).reshape(n_groups, n_points, d)
    ok = np.ones(units.shape[:2], dtype=bool)
    if acceptable_only:
        ok &= ~banned[:, None]
        ok &= (units >= problem.reservation_units - TOLERANCE_UNITS).all(axis=2)
        if self_enforcing:
            ok &= (nominal >= renewed[:, None, :] - TOLERANCE_UNITS).all(axis=2)
    group, point = np.nonzero(ok)
    return group.astype(np.intp), point.astype(np.intp), units[group, point]


def _any_acceptable(eff: EffectiveProblem, *, self_enforcing: bool) -> bool:
    rest = _rest_frontier(eff, True, 1)
    if rest is None:
        return False
    return bool(_candidates(eff, rest, True, self_enforcing)[0].shape[0])


def _frontier(
    eff: EffectiveProblem, acceptable_only: bool, max_ties: int, eps_filter: bool = True
) -> Frontier:
    if max_ties < 1:
        raise ValueError("max_ties must be at least 1")
    problem = eff.problem
    veto = problem.veto_indices
    d = veto.shape[0]
    rest = _rest_frontier(eff, acceptable_only, max_ties)
    if rest is None:
        return empty_frontier(eff.problem, acceptable_only, max_ties)
    group, point, units = _candidates(eff, rest, acceptable_only, eff.self_enforcing)
    if group.shape[0] == 0:
        return empty_frontier(eff.problem, acceptable_only, max_ties)
    if group.shape[0] > _PREFILTER:
        # Skyline pre-filter: the frontier of the candidates with the largest sums dominates
        # most of the others, and dropping what it dominates changes no frontier point.
        best = np.argsort(-units.sum(axis=1), kind="stable")[:_PREFILTER]
        seed = units[best][pareto_mask(units[best])]
        survive = ~dominated(seed, units, units)
        group, point, units = group[survive], point[survive], units[survive]
    distinct, inverse = np.unique(units, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    exact = pareto_mask(distinct)
    front = distinct[exact]
    best_units = front.max(axis=0)
    if eps_filter:
        keep = ~dominated(front, front - TOLERANCE_UNITS, front + TOLERANCE_UNITS)
    else:
        keep = np.ones(front.shape[0], dtype=bool)
    if not keep.any():
        keep = np.ones(front.shape[0], dtype=bool)  # a cycle of near-ties: the exact frontier
    # Lexicographically descending, as the nominal frontier orders its points.
    kept = front[keep]
    order = np.lexsort([-kept[:, j] for j in range(d - 1, -1, -1)])
    kept = kept[order]
    # distinct index -> final point index (or -1)
    final = np.full(distinct.shape[0], -1, dtype=np.intp)
    final[np.flatnonzero(exact)[np.flatnonzero(keep)[order]]] = np.arange(kept.shape[0])
    member_point = final[inverse]
    chosen = np.flatnonzero(member_point >= 0)

    counts = [0] * kept.shape[0]
    listed: list[list[tuple[int, ...]]] = [[] for _ in range(kept.shape[0])]
    entries_of = _entries_by_point(rest)
    group_options = eff.group_options()
    for c in chosen:
        target = int(member_point[c])
        counts[target] += int(rest.counts[point[c]])
        for rest_package in entries_of[int(point[c])]:
            full = np.zeros(problem.n_issues, dtype=np.intp)
            full[list(eff.group_issues)] = group_options[group[c]]
            full[list(rest.issues)] = rest_package
            listed[target].append(tuple(int(o) for o in full))
    entry_point: list[int] = []
    packages: list[tuple[int, ...]] = []
    more: list[int] = []
    for target, rows in enumerate(listed):
        rows = sorted(rows)[:max_ties]
        entry_point.extend([target] * len(rows))
        packages.extend(rows)
        more.extend([0] * (len(rows) - 1) + [max(0, counts[target] - len(rows))])
    package_array = np.array(packages, dtype=np.intp).reshape(len(packages), problem.n_issues)
    return Frontier(
        veto_indices=veto,
        point_units=kept,
        counts=tuple(counts),
        packages=package_array,
        point_of_entry=np.array(entry_point, dtype=np.intp),
        utilities=eff.effective_utilities(package_array)
        if len(packages)
        else np.zeros((0, problem.n_parties)),
        more_ties=tuple(more),
        best_units=best_units,
        acceptable_only=acceptable_only,
        max_ties=max_ties,
    )


def _entries_by_point(rest: _Rest) -> list[list[IndexArray]]:
    out: list[list[IndexArray]] = [[] for _ in range(rest.veto_units.shape[0])]
    for e in range(rest.entry_point.shape[0]):
        out[int(rest.entry_point[e])].append(rest.packages[e])
    return out
