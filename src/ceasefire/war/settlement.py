"""The option to settle later: the value of no deal now includes a deal at a later month.

Fighting on today keeps open a deal tomorrow, on terms that depend on how the war went
[Powell2004, FilsonWerner2002, Wagner2000]. With ``war.settle_later: true``, party ``i``'s value of
no deal at month ``t`` is found by backward induction over the months ``k = H-1, ..., 1`` of the
expected path from the state at ``t`` (the path :func:`~ceasefire.war.batna.project` computes), in
sample ``s``:

- ``L_k``: the lasting state the path reaches from month ``k`` on (the war's outcome at ``t + H``,
  or a deal); ``K_k``: the present value at ``t`` of the costs paid from month ``k`` until it is
  reached. Start: ``L_H = E[U_i(x_war(t + H))]``, ``K_H = 0``.
- At month ``k``: ``K_k = K_{k+1} + delta_i^k c_i(t + k)``. The parties' value of going on without a
  deal, seen from month ``k``, is ``r_ik = L_k - K_k / delta_i^k`` (costs counted from ``k``). If the
  zone of agreement for the veto parties' ``r_k`` is not empty, they settle on the package the
  bargaining solution (Nash's [Nash1950]) picks for the disagreement point ``r_k``: ``L_k = U_i(deal)``,
  ``K_k = 0``.
- ``W_i(t) = L_0 - K_0``, with ``K_0 = K_1 + c_i(t)``: month ``t`` itself is fought (no deal now).

As in :mod:`ceasefire.war.batna`, costs are discounted and lasting states (a deal, the war's
outcome) are not. Without a zone of agreement at any later month, ``W_i(t) = V_i(t)`` exactly. The
deal is the bargaining solution over the red-line-free Pareto frontier, with the bargaining core's
tie rule (the largest sum of gains among packages whose Nash product is within 1e-9 of the best);
each party's utility of a point is its representative package's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.war.attrition import FloatArray

TOLERANCE = 1e-9
"""A reservation value met to within this counts as met (as in the bargaining core)."""

_CHUNK = 256

Objective = Callable[[FloatArray, FloatArray], FloatArray]
"""``(gains (m, d), ideal (d,)) -> score (m,)``, larger is better (a bargaining solution's)."""


@dataclass(frozen=True)
class Settlements:
    """The deals the parties could strike: the red-line-free Pareto frontier and a solution."""

    points: FloatArray  # (m, d) the veto parties' utilities at each frontier point
    utilities: FloatArray  # (m, n_parties) every party's utility of each point's package
    veto: npt.NDArray[np.intp]  # (d,) the veto parties' columns among all parties
    objective: Objective

    def solve(self, reservation: FloatArray) -> tuple[npt.NDArray[np.bool_], FloatArray]:
        """For reservation vectors ``(q, d)`` of the veto parties: whether the zone of agreement is
        non-empty ``(q,)``, and every party's utility of the solution where it is ``(q, n)``."""
        q = reservation.shape[0]
        has = np.zeros(q, dtype=bool)
        chosen = np.zeros(q, dtype=np.intp)
        for start in range(0, q, _CHUNK):
            r = reservation[start : start + _CHUNK]
            # Only points above the chunk's lowest reservation vector can be acceptable.
            keep = np.nonzero(np.all(self.points >= r.min(axis=0) - TOLERANCE, axis=1))[0]
            if keep.size == 0:
                continue
            gains = self.points[keep][None, :, :] - r[:, None, :]
            ok = np.all(gains >= -TOLERANCE, axis=2)
            clipped = np.maximum(gains, 0.0)
            c, m, d = clipped.shape
            score = self.objective(clipped.reshape(c * m, d), np.zeros(d)).reshape(c, m)
            score = np.where(ok, score, -np.inf)
            best = score.max(axis=1, keepdims=True)
            tied = ok & (score >= best - TOLERANCE * np.maximum(np.abs(best), 1.0))
            total = np.where(tied, clipped.sum(axis=2), -np.inf)
            pick = np.argmax(total, axis=1)
            has[start : start + c] = ok.any(axis=1)
            chosen[start : start + c] = keep[pick]
        if not self.points.shape[0]:  # every package crosses a red line: no deal, ever
            return has, np.zeros((q, self.utilities.shape[1]))
        return has, self.utilities[chosen]


def value_with_later_settlement(
    settlements: Settlements,
    outcome: FloatArray,
    costs: FloatArray,
    discount: FloatArray,
) -> FloatArray:
    """``W_i(t)`` ``(n_parties, n)`` by the backward induction of the module docstring.

    ``outcome`` ``(n_parties, n)``: each party's expected utility of the war's end state;
    ``costs`` ``(H, n_parties, n)``: its undiscounted cost of each month of the expected path;
    ``discount`` ``(n_parties, n)``: its monthly discount factor ``delta = 1 / (1 + r)``.
    """
    months = costs.shape[0]
    lasting = outcome.copy()
    paid = np.zeros_like(outcome)
    veto = settlements.veto
    for k in range(months - 1, 0, -1):
        factor = discount**k
        paid += factor * costs[k]
        going_on = lasting - paid / factor
        has, value = settlements.solve(going_on[veto].T)
        if has.any():
            lasting[:, has] = value[has].T
            paid[:, has] = 0.0
    paid += costs[0]
    result: FloatArray = lasting - paid
    return result


__all__ = ["Settlements", "value_with_later_settlement"]
