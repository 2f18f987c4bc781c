"""A multi-issue bargaining problem with additive utilities, as plain arrays.

Party ``i`` values package ``x`` (one option per issue) at ``U_i(x) = sum_k c_k[x_k, i]`` where
``c_k[o, i] = w_ik * v_ik(o)`` is issue ``k``'s contribution table. A package is *acceptable* when
every veto party ``i`` gets ``U_i(x) >= r_i`` (to within :data:`TOLERANCE`) and no option a veto
party's red line excludes is used. This module knows nothing of scenarios;
:func:`ceasefire.bargaining.from_scenario.build_problem` builds a :class:`BargainingProblem` from one.

Arithmetic. Contributions are quantised once to integers in units of :data:`QUANTUM` (1e-12) by
:func:`quantize`; every sum and comparison after that is exact integer arithmetic, so dominance and
ties do not depend on the order of additions. Reported utilities are these exact sums divided by
1e12 (within about 1e-12 of the floating-point sums).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from ceasefire.bargaining.frontier import Frontier
    from ceasefire.bargaining.solutions import Solution
    from ceasefire.bargaining.zopa import Zopa

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Label = str | float

QUANTUM = 1e-12
"""Resolution of the integer utility arithmetic, in utility points."""

TOLERANCE = 1e-9
"""Tolerance of reservation checks, eps-dominance and ties, in utility points."""

_SCALE = 1e12  # 1 / QUANTUM, exact in float64

TOLERANCE_UNITS = round(TOLERANCE * _SCALE)
""":data:`TOLERANCE` in quantised units."""

# Sums of |contributions| must stay far inside int64 (9.2e18 units = 9.2e6 points).
_MAX_ABS_TOTAL = 1e6


def quantize(values: npt.ArrayLike) -> IntArray:
    """Utilities (points) to int64 in units of :data:`QUANTUM`, rounding to nearest.

    The one place where floats become the integers that all dominance tests use; the brute-force
    oracle uses it too.
    """
    arr = np.asarray(values, dtype=np.float64)
    return np.rint(arr * _SCALE).astype(np.int64)


def dequantize(values: npt.ArrayLike) -> FloatArray:
    """Quantised integers back to utility points (float64)."""
    return np.asarray(values, dtype=np.int64) / _SCALE


def _readonly(arr: npt.NDArray[Any]) -> npt.NDArray[Any]:
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class BargainingProblem:
    """Parties, issues with options, per-issue utility contributions, red lines, reservations.

    Dominance is always over the veto parties' utilities; results report every party.
    """

    parties: tuple[str, ...]
    veto: tuple[bool, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[Label, ...], ...]
    contributions: tuple[FloatArray, ...]
    forbidden: tuple[BoolArray, ...]
    reservation: FloatArray

    def __post_init__(self) -> None:
        n = len(self.parties)
        k = len(self.issues)
        set_ = object.__setattr__
        set_(self, "parties", tuple(str(p) for p in self.parties))
        set_(self, "veto", tuple(bool(v) for v in self.veto))
        set_(self, "issues", tuple(str(i) for i in self.issues))
        set_(self, "options", tuple(tuple(_label(o) for o in opts) for opts in self.options))
        if len(set(self.parties)) != n:
            raise ValueError("party ids must be unique")
        if len(set(self.issues)) != k:
            raise ValueError("issue ids must be unique")
        if len(self.veto) != n:
            raise ValueError(f"veto has {len(self.veto)} entries for {n} parties")
        if not any(self.veto):
            raise ValueError("at least one party must have a veto")
        if len(self.options) != k or len(self.contributions) != k or len(self.forbidden) != k:
            raise ValueError("options, contributions and forbidden need one entry per issue")
        contributions = []
        forbidden = []
        total = 0.0
        for issue, opts, table, banned in zip(
            self.issues, self.options, self.contributions, self.forbidden, strict=True
        ):
            if not opts:
                raise ValueError(f"issue {issue!r} has no options")
            arr = np.array(table, dtype=np.float64)
            if arr.shape != (len(opts), n):
                raise ValueError(
                    f"contributions of issue {issue!r} have shape {arr.shape}, "
                    f"expected ({len(opts)}, {n})"
                )
            if not np.isfinite(arr).all():
                raise ValueError(f"contributions of issue {issue!r} are not all finite")
            total += float(np.abs(arr).max())
            mask = np.array(banned, dtype=bool)
            if mask.shape != (len(opts),):
                raise ValueError(f"forbidden of issue {issue!r} must have shape ({len(opts)},)")
            contributions.append(_readonly(arr))
            forbidden.append(_readonly(mask))
        if total > _MAX_ABS_TOTAL:
            raise ValueError("contributions are too large for exact integer arithmetic")
        set_(self, "contributions", tuple(contributions))
        set_(self, "forbidden", tuple(forbidden))
        res = np.array(self.reservation, dtype=np.float64)
        if res.shape != (n,):
            raise ValueError(f"reservation must have shape ({n},)")
        for party, v, r in zip(self.parties, self.veto, res, strict=True):
            if v and not math.isfinite(float(r)):
                raise ValueError(f"veto party {party!r} needs a finite reservation value")
            if math.isfinite(float(r)) and abs(float(r)) > _MAX_ABS_TOTAL:
                raise ValueError(f"reservation of {party!r} is out of range")
        set_(self, "reservation", _readonly(res))

    @classmethod
    def from_arrays(
        cls,
        contributions: Sequence[npt.ArrayLike],
        *,
        veto: Sequence[bool] | None = None,
        reservation: npt.ArrayLike | None = None,
        forbidden: Sequence[npt.ArrayLike] | None = None,
        parties: Sequence[str] | None = None,
        issues: Sequence[str] | None = None,
        options: Sequence[Sequence[Label]] | None = None,
    ) -> BargainingProblem:
        """Build a problem from contribution tables alone, naming what is not given.

        Defaults: parties ``p0, p1, ...``, all with a veto; issues ``i0, i1, ...``; options
        ``o0, o1, ...``; nothing forbidden; reservation 0 for every party.
        """
        tables = [np.atleast_2d(np.asarray(c, dtype=np.float64)) for c in contributions]
        if not tables:
            raise ValueError("need at least one issue")
        n = tables[0].shape[1]
        return cls(
            parties=tuple(parties) if parties is not None else tuple(f"p{i}" for i in range(n)),
            veto=tuple(veto) if veto is not None else (True,) * n,
            issues=tuple(issues)
            if issues is not None
            else tuple(f"i{k}" for k in range(len(tables))),
            options=tuple(tuple(o) for o in options)
            if options is not None
            else tuple(tuple(f"o{j}" for j in range(t.shape[0])) for t in tables),
            contributions=tuple(tables),
            forbidden=tuple(np.asarray(f, dtype=bool) for f in forbidden)
            if forbidden is not None
            else tuple(np.zeros(t.shape[0], dtype=bool) for t in tables),
            reservation=np.zeros(n) if reservation is None else np.asarray(reservation, float),
        )

    # ---- derived data -------------------------------------------------------------------------

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def n_issues(self) -> int:
        return len(self.issues)

    @cached_property
    def veto_indices(self) -> npt.NDArray[np.intp]:
        """Column indices of the veto parties, in party order."""
        return _readonly(np.flatnonzero(np.array(self.veto)))

    @cached_property
    def quantized(self) -> tuple[IntArray, ...]:
        """Per issue, the contribution table in integer units of :data:`QUANTUM`."""
        return tuple(_readonly(quantize(c)) for c in self.contributions)

    @cached_property
    def reservation_units(self) -> IntArray:
        """Veto parties' reservation values in integer units (order of :attr:`veto_indices`)."""
        return _readonly(quantize(self.reservation[self.veto_indices]))

    def package_count(self) -> int:
        """The number of packages, exactly (a Python int: it can be astronomically large)."""
        return math.prod(len(o) for o in self.options)

    def utility_units(self, packages: npt.ArrayLike) -> IntArray:
        """Exact utilities in integer units: ``(m, K)`` option indices to ``(m, n_parties)``."""
        pk = np.asarray(packages, dtype=np.intp)
        if pk.ndim == 1:
            pk = pk[None, :]
        if pk.shape[1] != self.n_issues:
            raise ValueError(f"packages need {self.n_issues} columns, got {pk.shape[1]}")
        total = np.zeros((pk.shape[0], self.n_parties), dtype=np.int64)
        for k, table in enumerate(self.quantized):
            total += table[pk[:, k]]
        return total

    def utilities(self, packages: npt.ArrayLike) -> FloatArray:
        """Every party's utility of each package: ``(m, K)`` option indices to ``(m, n)``."""
        return dequantize(self.utility_units(packages))

    def acceptable(self, packages: npt.ArrayLike) -> BoolArray:
        """Which packages every veto party accepts (red lines and reservation values)."""
        pk = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        units = self.utility_units(pk)[:, self.veto_indices]
        ok = (units >= self.reservation_units - TOLERANCE_UNITS).all(axis=1)
        for k, banned in enumerate(self.forbidden):
            ok &= ~banned[pk[:, k]]
        return np.asarray(ok)

    def package_dict(self, package: npt.ArrayLike) -> dict[str, Label]:
        """``{issue_id: option label}`` for one package given as option indices."""
        idx = np.asarray(package, dtype=np.intp).ravel()
        if idx.shape[0] != self.n_issues:
            raise ValueError(f"a package has {self.n_issues} entries, got {idx.shape[0]}")
        return {
            issue: opts[int(i)]
            for issue, opts, i in zip(self.issues, self.options, idx, strict=True)
        }

    def with_reservation(self, reservation: npt.ArrayLike) -> BargainingProblem:
        """The same problem with other reservation values (shape ``(n_parties,)``)."""
        return replace(self, reservation=np.asarray(reservation, dtype=np.float64))

    # ---- analyses (thin wrappers, like Nashpy's ``Game``) -------------------------------------

    # Results are memoised: the problem is immutable, and solving several concepts reuses one ZOPA.

    @cached_property
    def _memo(self) -> dict[tuple[Any, ...], Any]:
        return {}

    def frontier(
        self, *, acceptable_only: bool = False, max_ties: int = 100, eps_filter: bool = True
    ) -> Frontier:
        """The exact Pareto frontier; see :func:`ceasefire.bargaining.frontier.pareto_frontier`."""
        from ceasefire.bargaining.frontier import pareto_frontier

        key = ("frontier", acceptable_only, max_ties, eps_filter)
        if key not in self._memo:
            self._memo[key] = pareto_frontier(
                self, acceptable_only=acceptable_only, max_ties=max_ties, eps_filter=eps_filter
            )
        result: Frontier = self._memo[key]
        return result

    def zopa(self, *, max_ties: int = 100) -> Zopa:
        """The zone of possible agreement; see :func:`ceasefire.bargaining.zopa.zone_of_agreement`."""
        from ceasefire.bargaining.zopa import zone_of_agreement

        key = ("zopa", max_ties)
        if key not in self._memo:
            frontier = self.frontier(acceptable_only=True, max_ties=max_ties)
            self._memo[key] = zone_of_agreement(self, frontier=frontier)
        result: Zopa = self._memo[key]
        return result

    def solve(self, concept: str) -> Solution:
        """The package a solution concept picks; see :func:`ceasefire.bargaining.solutions.solve`."""
        from ceasefire.bargaining.solutions import solve

        return solve(self, concept, zopa=self.zopa())


def _label(option: Any) -> Label:
    """Option labels are ids (str) or numbers; numpy scalars become Python numbers."""
    if isinstance(option, str):
        return option
    if isinstance(option, bool):
        raise TypeError("an option label is a str id or a number")
    if isinstance(option, int | np.integer):
        return int(option)
    if isinstance(option, float | np.floating):
        return float(option)
    raise TypeError(f"an option label is a str id or a number, not {type(option).__name__}")
