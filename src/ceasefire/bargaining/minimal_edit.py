"""The smallest change to a package that makes it acceptable to every veto party.

A mediator's single negotiating text is revised until every party that must agree can accept it
[Fisher1981, Raiffa1982]; the minimal edit is the revision of a given text that touches it least.

Given a package ``x0`` (one option per issue) that some veto party rejects, a *minimal edit* is an
acceptable package ``x`` that

1. changes the fewest issues (``|{k : x_k != x0_k}|`` smallest), and then
2. costs the *objective party* least: the largest ``U_o(x)``, where ``o`` is the party that
   proposed ``x0`` (its loss is ``U_o(x0) - U_o(x)``, negative when the edit helps it), or, when
   no proposer is named, the sum of the veto parties' utilities.

Acceptable is the bargaining core's test (:meth:`BargainingProblem.acceptable`: no option a veto
party's red line excludes, every veto party at least its reservation value) or, for deals that may
not hold, :meth:`EffectiveProblem.acceptable` (effective utilities, self-enforcement).

The search is exact and uses the issue structure. For ``c = 0, 1, 2, ...`` and every set ``S`` of
``c`` issues, the other issues stay at ``x0``; what they contribute is fixed, so the best edit on
``S`` is the best package of a smaller bargaining problem on the issues of ``S`` alone, whose
reservation values are the original ones less the fixed part. Utilities are additive and
acceptability is monotone in every veto party's utility, so the best package of that problem lies
on its exact Pareto frontier over the veto parties and the objective party
(:func:`~ceasefire.bargaining.frontier.pareto_frontier`), computed with the zone's reservation
cut; a set ``S`` whose issues cannot reach some reservation value even at each party's best
allowed options is skipped unsolved. The first ``c`` with an acceptable package gives the
answer: no package with fewer changes is acceptable, and every acceptable package on ``S``
changes exactly ``c`` issues (one that kept an issue of ``S`` at ``x0`` would have been found at
a smaller ``c``).

For effective utilities ``E_i = p_g U_i + (1 - p_g) V_{g,i}`` the probability ``p_g`` and the
renewed war's values ``V_g`` depend only on the *group* issues: the search fixes the group
(the options of the group issues in ``S`` are enumerated) and, within it, ``E`` is increasing in
``U`` with one slope for every party, so the same frontier argument holds with reservation values
moved to nominal terms (loosened by one quantum, then every candidate tested exactly).

:func:`brute_force_minimal_edit` enumerates every package: the oracle of the tests.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.effective import EffectiveProblem, effective_units
from ceasefire.bargaining.frontier import pareto_frontier
from ceasefire.bargaining.problem import (
    TOLERANCE_UNITS,
    BargainingProblem,
    IntArray,
    Label,
    dequantize,
)

IndexArray = npt.NDArray[np.intp]

TOTAL = "total"
"""The objective when no proposer is named: the sum of the veto parties' utilities."""

_FREE = -1e5  # reservation value of the objective column: never binding
_UNREACHABLE = 10**17  # 1e5 points in quantised units


@dataclass(frozen=True)
class MinimalEdit:
    """An acceptable package that changes the fewest issues of ``original``, then costs the
    objective party least."""

    original: dict[str, Label]
    package: dict[str, Label]
    changes: dict[str, tuple[Label, Label]]
    """Issue id -> (option proposed, option of the edit), for the issues changed only."""
    objective: str
    """The party whose loss is smallest (the proposer), or ``"total"``."""
    loss: float
    """``U(original) - U(package)`` of the objective (negative: the edit gains it something)."""
    utilities: dict[str, float]
    """Every party's utility of the edited package (effective utilities for deals that may not
    hold)."""

    @property
    def issues_changed(self) -> int:
        return len(self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "issues_changed": self.issues_changed,
            "changes": {
                issue: {"from": old, "to": new} for issue, (old, new) in self.changes.items()
            },
            "package": dict(self.package),
            "objective": self.objective,
            "loss": round(self.loss, 12),
            "utilities": {p: round(u, 12) for p, u in self.utilities.items()},
        }


def package_indices(problem: BargainingProblem, package: Mapping[str, Label]) -> IndexArray:
    """Option indices of a package given by issue id -> option id (or grid value).

    Raises ValueError naming the issue for an unknown issue, a missing issue or an unknown option.
    """
    unknown = [issue for issue in package if issue not in problem.issues]
    if unknown:
        raise ValueError(f"unknown issue(s): {', '.join(map(str, unknown))}")
    out = np.empty(problem.n_issues, dtype=np.intp)
    for k, (issue, options) in enumerate(zip(problem.issues, problem.options, strict=True)):
        if issue not in package:
            raise ValueError(f"the package gives no option for issue '{issue}'")
        value = package[issue]
        index = _option_index(options, value)
        if index is None:
            raise ValueError(f"{value!r} is not an option of '{issue}'")
        out[k] = index
    return out


def _option_index(options: tuple[Label, ...], value: Any) -> int | None:
    for j, option in enumerate(options):
        if isinstance(option, str):
            if isinstance(value, str) and value == option:
                return j
        elif (
            not isinstance(value, str | bool)
            and isinstance(value, int | float)
            and float(value) == option
        ):
            return j
    return None


class SearchTooLarge(ValueError):
    """The minimal edit needs more sets of changed issues than the search was allowed."""


class _Objective:
    """The objective column: a party's contributions, or the veto parties' sum."""

    def __init__(self, problem: BargainingProblem, proposer: str | None) -> None:
        if proposer is not None and proposer not in problem.parties:
            raise ValueError(f"unknown party '{proposer}'")
        self.name = TOTAL if proposer is None else proposer
        veto = problem.veto_indices
        if proposer is None:
            self.tables = tuple(np.asarray(t[:, veto].sum(axis=1)) for t in problem.contributions)
            self.weights = np.zeros(problem.n_parties)
            self.weights[veto] = 1.0
        else:
            j = problem.parties.index(proposer)
            self.tables = tuple(np.asarray(t[:, j]) for t in problem.contributions)
            self.weights = np.zeros(problem.n_parties)
            self.weights[j] = 1.0

    def value(self, units: IntArray) -> IntArray:
        """The objective of rows of party utilities (quantised units)."""
        return np.asarray(units @ self.weights.astype(np.int64), dtype=np.int64)


def _units(
    problem: BargainingProblem, effective: EffectiveProblem | None, pk: IndexArray
) -> IntArray:
    if effective is not None:
        return effective.effective_units(pk)
    return problem.utility_units(pk)


def _acceptable(
    problem: BargainingProblem, effective: EffectiveProblem | None, pk: IndexArray
) -> npt.NDArray[np.bool_]:
    return effective.acceptable(pk) if effective is not None else problem.acceptable(pk)


def minimal_edit(
    problem: BargainingProblem | EffectiveProblem,
    package: Mapping[str, Label],
    *,
    proposer: str | None = None,
    max_changes: int | None = None,
    max_subsets: int | None = None,
) -> MinimalEdit | None:
    """The minimal edit of ``package`` (issue id -> option), or None when no package with at most
    ``max_changes`` changes (default: any number) is acceptable.

    ``max_subsets``: raise :class:`SearchTooLarge` rather than examine more sets of changed issues
    than this in all (default: no limit); the search stays exact up to where it stops.

    ``problem``: a :class:`BargainingProblem`, or an :class:`EffectiveProblem` for deals that may
    not hold (acceptability and utilities are then the effective ones). ``proposer``: the party
    whose loss breaks ties between edits of as many issues (default: the veto parties' total).
    """
    effective = problem if isinstance(problem, EffectiveProblem) else None
    base = problem.problem if isinstance(problem, EffectiveProblem) else problem
    x0 = package_indices(base, package)
    objective = _Objective(base, proposer)
    if not _acceptable(base, effective, x0[None, :])[0] and not problem.zopa().exists:
        return None  # no package at all is acceptable: nothing to search
    search = _Search(base, effective, objective, x0)
    limit = base.n_issues if max_changes is None else min(max_changes, base.n_issues)
    searched = 0
    for c in range(limit + 1):
        best: tuple[int, IndexArray] | None = None
        searched += math.comb(base.n_issues, c)
        if max_subsets is not None and searched > max_subsets:
            raise SearchTooLarge(
                f"no edit of fewer than {c} issues makes the package acceptable, and its "
                f"{math.comb(base.n_issues, c):,} sets of {c} issues would take the search past "
                f"its limit of {max_subsets:,} sets"
            )
        for subset in itertools.combinations(range(base.n_issues), c):
            found = search.best_on(subset)
            if found.shape[0] == 0:
                continue
            values = objective.value(_units(base, effective, found))
            j = int(np.argmax(values))
            if best is None or int(values[j]) > best[0]:
                best = (int(values[j]), found[j])
        if best is not None:
            return _result(base, effective, objective, x0, best[1])
    return None


class _Search:
    """What every set of changed issues shares: the proposal, each issue's best allowed
    contribution per veto party, the renewed war's values in quantised units."""

    def __init__(
        self,
        base: BargainingProblem,
        effective: EffectiveProblem | None,
        objective: _Objective,
        x0: IndexArray,
    ) -> None:
        self.base = base
        self.effective = effective
        self.objective = objective
        self.x0 = x0
        self.veto = base.veto_indices
        self.floor = base.reservation_units - TOLERANCE_UNITS
        self.crossing = np.array([bool(base.forbidden[k][x0[k]]) for k in range(base.n_issues)])
        self.best_allowed = [
            base.quantized[k][~base.forbidden[k]][:, self.veto].max(axis=0)
            if (~base.forbidden[k]).any()
            else None
            for k in range(base.n_issues)
        ]
        self.groups: tuple[int, ...] = () if effective is None else effective.group_issues
        self.renewed = None if effective is None else effective.renewed_units

    def best_on(self, subset: tuple[int, ...]) -> IndexArray:
        """Acceptable packages equal to ``x0`` off ``subset`` among which is the best for the
        objective (possibly more): the exact candidates of one set of changed issues."""
        base = self.base
        chosen = set(subset)
        empty = np.zeros((0, base.n_issues), dtype=np.intp)
        if any(self.crossing[k] for k in range(base.n_issues) if k not in chosen):
            return empty  # an option kept as proposed crosses a red line
        if any(self.best_allowed[k] is None for k in subset):
            return empty
        free_groups = [k for k in subset if k in self.groups]
        inner = [k for k in subset if k not in self.groups]
        allowed = [np.flatnonzero(~base.forbidden[k]) for k in free_groups]
        combos = np.zeros((1, 0), dtype=np.intp)
        if allowed:
            combos = np.array(list(itertools.product(*allowed)), dtype=np.intp)
        packages = np.repeat(self.x0[None, :], combos.shape[0], axis=0)
        packages[:, free_groups] = combos
        if not inner:
            return packages[_acceptable(base, self.effective, packages)]
        need = self._needs(packages, inner)
        reach = np.zeros(self.veto.shape[0], dtype=np.int64)
        for k in inner:
            best = self.best_allowed[k]
            assert best is not None  # checked above
            reach += best
        feasible = (reach[None, :] >= need).all(axis=1)
        out = [
            self._frontier_candidates(packages[j], inner, need[j]) for j in np.flatnonzero(feasible)
        ]
        return np.concatenate(out) if out else empty

    def _needs(self, packages: IndexArray, inner: list[int]) -> IntArray:
        """``(C, d)``: the least nominal utility (quantised units) each veto party needs on the
        issues of ``inner`` for each of ``packages`` to pass, the other issues fixed as in it."""
        base = self.base
        veto = self.veto
        fixed = np.zeros((packages.shape[0], veto.shape[0]), dtype=np.int64)
        for k in range(base.n_issues):
            if k not in inner:
                fixed += base.quantized[k][packages[:, k]][:, veto]
        floor = np.broadcast_to(self.floor, fixed.shape)
        effective = self.effective
        if effective is None or self.renewed is None:
            need = floor.astype(np.int64)
        else:
            group = effective.group_of(packages)
            p = effective.hold[group][:, None]
            renewed = self.renewed[group][:, veto]
            with np.errstate(divide="ignore", invalid="ignore"):
                # rint(p U + (1 - p) V) >= floor  <=  p U + (1 - p) V >= floor - 1/2; one
                # unit looser.
                bound = (floor.astype(np.float64) - 0.5 - (1.0 - p) * renewed) / p
            bound = np.clip(np.nan_to_num(bound), -_UNREACHABLE, _UNREACHABLE)
            need = np.floor(bound).astype(np.int64) - 1
            # p = 0: E = V whatever the other issues give; the group passes or fails whole.
            none = p[:, 0] <= 0
            if none.any():
                passes = (renewed[none] >= floor[none]).all(axis=1)
                need[none] = np.where(passes, -_UNREACHABLE, _UNREACHABLE)[:, None]
            if effective.self_enforcing:
                need = np.maximum(need, renewed - TOLERANCE_UNITS)
        result: IntArray = np.clip(need - fixed, -_UNREACHABLE, _UNREACHABLE).astype(np.int64)
        return result

    def _frontier_candidates(self, x: IndexArray, inner: list[int], need: IntArray) -> IndexArray:
        base = self.base
        veto = self.veto
        d = veto.shape[0]
        names = [base.parties[i] for i in veto]
        sub = BargainingProblem(
            parties=(*names, "\x00objective"),
            veto=(True,) * (d + 1),
            issues=tuple(base.issues[k] for k in inner),
            options=tuple(base.options[k] for k in inner),
            contributions=tuple(
                np.column_stack([base.contributions[k][:, veto], self.objective.tables[k]])
                for k in inner
            ),
            forbidden=tuple(base.forbidden[k] for k in inner),
            # The sub-problem's reservation in points, two quanta looser than ``need`` (its own
            # tolerance added back): every candidate is then tested exactly.
            reservation=np.append(dequantize(need + TOLERANCE_UNITS - 2), _FREE),
        )
        front = pareto_frontier(sub, acceptable_only=True, max_ties=1, eps_filter=False)
        if front.size == 0:
            return np.zeros((0, base.n_issues), dtype=np.intp)
        candidates = np.repeat(x[None, :], front.size, axis=0)
        candidates[:, inner] = front.packages
        return candidates[_acceptable(base, self.effective, candidates)]


def _result(
    base: BargainingProblem,
    effective: EffectiveProblem | None,
    objective: _Objective,
    x0: IndexArray,
    x: IndexArray,
) -> MinimalEdit:
    both = np.vstack([x0, x])
    units = _units(base, effective, both)
    values = objective.value(units)
    original = base.package_dict(x0)
    edited = base.package_dict(x)
    return MinimalEdit(
        original=original,
        package=edited,
        changes={
            issue: (original[issue], edited[issue])
            for issue in base.issues
            if original[issue] != edited[issue]
        },
        objective=objective.name,
        loss=float(dequantize(values[0] - values[1])),
        utilities=dict(zip(base.parties, map(float, dequantize(units[1])), strict=True)),
    )


def brute_force_minimal_edit(
    problem: BargainingProblem | EffectiveProblem,
    package: Mapping[str, Label],
    *,
    proposer: str | None = None,
) -> MinimalEdit | None:
    """The oracle: every package enumerated, the acceptable ones ranked by (issues changed,
    loss to the objective, option indices)."""
    from ceasefire.bargaining.bruteforce import (
        acceptable_mask,
        all_packages,
        effective_acceptable,
        package_units,
    )

    effective = problem if isinstance(problem, EffectiveProblem) else None
    base = problem.problem if isinstance(problem, EffectiveProblem) else problem
    x0 = package_indices(base, package)
    every = all_packages(base)
    units = package_units(base, every)
    if effective is None:
        ok = acceptable_mask(base, every, units)
    else:
        ok = effective_acceptable(effective, every)
        group = effective.group_of(every)
        units = effective_units(units, effective.hold[group], effective.renewed_units[group])
    if not ok.any():
        return None
    objective = _Objective(base, proposer)
    candidates = every[ok]
    changed = (candidates != x0[None, :]).sum(axis=1)
    value = objective.value(units[ok])
    order = np.lexsort((-value, changed))
    return _result(base, effective, objective, x0, candidates[order[0]])


__all__ = [
    "TOTAL",
    "MinimalEdit",
    "SearchTooLarge",
    "brute_force_minimal_edit",
    "minimal_edit",
    "package_indices",
]
