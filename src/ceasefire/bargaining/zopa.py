"""The zone of possible agreement (ZOPA): the packages every veto party can accept.

A package is acceptable when no option a veto party's red line excludes is used and every veto
party ``i`` gets ``U_i(x) >= r_i`` (to within 1e-9) [Raiffa1982]. The ZOPA is reported by its
Pareto-optimal part: the acceptable packages that no acceptable package dominates. Anything that
dominates an acceptable package is itself acceptable once red lines are respected, so this is the
red-line-free frontier cut at the reservation values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ceasefire.bargaining.frontier import MAX_ENTRIES, Frontier, pareto_frontier
from ceasefire.bargaining.problem import (
    TOLERANCE_UNITS,
    BargainingProblem,
    FloatArray,
    dequantize,
)
from ceasefire.scenario.labels import counted


@dataclass(frozen=True, eq=False)
class Zopa:
    """Whether an acceptable package exists, and the Pareto-optimal acceptable packages."""

    exists: bool
    frontier: Frontier
    """The acceptable frontier (``acceptable_only=True``)."""
    reservation: FloatArray
    """Every party's reservation value (NaN where none is given)."""
    reason: str | None = None
    """Why there is no acceptable package, when there is none."""

    def to_dict(self, problem: BargainingProblem, max_entries: int = MAX_ENTRIES) -> dict[str, Any]:
        """JSON-ready data: ``exists``, ``reason``, ``reservation`` and the frontier entries."""
        reservation = {
            party: (float(r) if np.isfinite(r) else None)
            for party, r in zip(problem.parties, self.reservation, strict=True)
        }
        return {
            "exists": self.exists,
            "reason": self.reason,
            "reservation": reservation,
            **self.frontier.to_dict(problem, max_entries=max_entries),
        }

    def __repr__(self) -> str:
        if not self.exists:
            return f"<Zopa: empty ({self.reason})>"
        f = self.frontier
        return f"<Zopa: {counted(f.n_points, 'point')}, {counted(f.package_total, 'package')}>"


def zone_of_agreement(
    problem: BargainingProblem, *, max_ties: int = 100, frontier: Frontier | None = None
) -> Zopa:
    """The ZOPA of ``problem``, with its Pareto-optimal acceptable packages.

    ``frontier``: the acceptable frontier if already computed (``acceptable_only=True``).
    """
    if frontier is None:
        frontier = pareto_frontier(problem, acceptable_only=True, max_ties=max_ties)
    elif not frontier.acceptable_only:
        raise ValueError("the ZOPA needs the acceptable frontier (acceptable_only=True)")
    exists = frontier.n_points > 0
    return Zopa(
        exists=exists,
        frontier=frontier,
        reservation=problem.reservation.copy(),
        reason=None if exists else no_agreement_reason(problem),
    )


def no_agreement_reason(problem: BargainingProblem) -> str:
    """A one-line explanation of an empty ZOPA, naming what binds."""
    veto = problem.veto_indices
    blocked = [
        issue
        for issue, banned in zip(problem.issues, problem.forbidden, strict=True)
        if banned.all()
    ]
    if blocked:
        names = ", ".join(repr(i) for i in blocked)
        return f"every option of issue {names} crosses a veto party's red line"
    best = np.zeros(veto.shape[0], dtype=np.int64)
    for table, banned in zip(problem.quantized, problem.forbidden, strict=True):
        best += table[~banned][:, veto].max(axis=0)
    short = best < problem.reservation_units - TOLERANCE_UNITS
    if short.any():
        parts = [
            f"{problem.parties[veto[j]]!r} (best {dequantize(best[j]):.6g} < reservation "
            f"{problem.reservation[veto[j]]:.6g})"
            for j in np.flatnonzero(short)
        ]
        return "no package that crosses no red line reaches the reservation value of " + ", ".join(
            parts
        )
    return (
        "each veto party's reservation value can be reached alone, but no package that crosses "
        "no red line reaches all of them at once"
    )
