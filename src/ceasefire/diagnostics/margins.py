"""Each party's margin over its value of no deal, and the issues that make it.

For a package ``x`` and a party ``i`` with value of no deal ``r_i`` [Raiffa1982]:

    U_i(x) - r_i = (U_i(s) - r_i) + sum_k (c_k[x_k, i] - c_k[s_k, i])

where ``s`` is the status quo and ``c_k`` issue ``k``'s contribution table (``w_ik * v_ik``,
[Keeney1976]): the margin is the status quo's margin (what no deal costs the party, or gives it,
compared with the status quo: its cost of war) plus what each issue the package changes adds or
takes away. With a ``commitment:`` section the zone uses effective utilities (the deal may break
down, :mod:`ceasefire.commitment`); the difference between the effective and the nominal utility is
then a term of its own, ``durability``. Every term is given in points and as a share of the party's
own range ``I_i - r_i`` (:mod:`ceasefire.diagnostics.scale_free`), which no rescaling of the
party's utilities changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.problem import BargainingProblem, BoolArray, FloatArray
from ceasefire.diagnostics.scale_free import ideal, shares
from ceasefire.scenario import Scenario
from ceasefire.scenario import utility as su

IndexArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Baseline:
    """What margins are measured against: the status quo's per-issue contributions, every
    party's value of no deal and ideal."""

    problem: BargainingProblem
    status_quo: FloatArray
    """``(K, n)``: each issue's contribution at its status quo (which may lie off a numeric grid)."""
    reservation: FloatArray
    """``(n,)``: the values of no deal the zone is computed with (NaN: none)."""
    ideal: FloatArray
    """``(n,)``: each party's best utility, red lines ignored."""
    effective: Any = None
    """The effective problem when deals may break down, else None."""

    @property
    def status_quo_utility(self) -> FloatArray:
        return np.asarray(self.status_quo.sum(axis=0), dtype=np.float64)

    def nominal(self, package: IndexArray) -> FloatArray:
        return np.asarray(self.problem.utilities(package)[0], dtype=np.float64)

    def utility(self, package: IndexArray) -> FloatArray:
        """The utilities the zone is judged on: effective ones with a commitment section."""
        if self.effective is not None:
            return np.asarray(self.effective.effective_utilities(package)[0], dtype=np.float64)
        return self.nominal(package)


def baseline(scenario: Scenario, problem: BargainingProblem, effective: Any = None) -> Baseline:
    """The baseline of a scenario's bargaining problem (``effective``: deals that may break down)."""
    status_quo = su.status_quo_package(scenario)
    table = np.array(
        [
            [
                su.issue_utility(scenario.preferences[party], issue, status_quo[issue.id])
                for party in problem.parties
            ]
            for issue in scenario.issues
        ],
        dtype=np.float64,
    ).reshape(len(scenario.issues), len(problem.parties))
    return Baseline(problem, table, problem.reservation.copy(), ideal(problem), effective)


def red_line_masks(scenario: Scenario) -> dict[str, list[BoolArray]]:
    """Per veto party, per issue: the options its own red line excludes."""
    return {
        party.id: [
            su.crosses_red_line(scenario.preferences[party.id], issue) for issue in scenario.issues
        ]
        for party in scenario.veto_parties
    }


def _number(x: float) -> float | None:
    return round(float(x), 9) if math.isfinite(x) else None


def package_margins(base: Baseline, package: npt.ArrayLike) -> dict[str, Any]:
    """Every party's utility, margin and per-issue contributions for one package (option indices).

    JSON-ready: ``{party: {utility, reservation, ideal, margin, share, status_quo, durability,
    issues: {issue: {points, share}}}}``; only issues the package changes are listed (and only
    issues that move the party's utility). A party without a value of no deal has no margin.
    """
    problem = base.problem
    pk = np.asarray(package, dtype=np.intp).ravel()
    nominal = base.nominal(pk)
    utility = base.utility(pk)
    out: dict[str, Any] = {}
    sq_total = base.status_quo_utility
    for i, party in enumerate(problem.parties):
        r = float(base.reservation[i])
        top = float(max(base.ideal[i], utility[i]))
        span = top - r if math.isfinite(r) else math.nan

        def share(points: float, span: float = span) -> float | None:
            return _number(points / span) if math.isfinite(span) and span > 1e-12 else None

        issues: dict[str, Any] = {}
        for k, issue in enumerate(problem.issues):
            delta = float(problem.contributions[k][pk[k], i] - base.status_quo[k, i])
            if abs(delta) > 1e-9:
                issues[issue] = {"points": _number(delta), "share": share(delta)}
        margin = float(utility[i] - r)
        entry: dict[str, Any] = {
            "utility": _number(utility[i]),
            "reservation": _number(r),
            "ideal": _number(top),
            "margin": _number(margin),
            "share": _number(float(shares(utility[i], r, top))) if math.isfinite(r) else None,
            "status_quo": {
                "points": _number(sq_total[i] - r),
                "share": share(float(sq_total[i] - r)),
            },
            "issues": issues,
        }
        if base.effective is not None:
            entry["nominal_utility"] = _number(nominal[i])
            gap = float(utility[i] - nominal[i])
            entry["durability"] = {"points": _number(gap), "share": share(gap)}
        out[party] = entry
    return out


def smallest_share(base: Baseline, package: npt.ArrayLike) -> tuple[float, str | None]:
    """The smallest scale-free margin over the veto parties at ``package``, and whose it is."""
    pk = np.asarray(package, dtype=np.intp).ravel()
    u = base.utility(pk)
    veto = base.problem.veto_indices
    top = np.maximum(base.ideal, u)
    m = shares(u[veto], base.reservation[veto], top[veto])
    if m.size == 0:
        return math.inf, None
    j = int(np.argmin(m))
    return float(m[j]), base.problem.parties[int(veto[j])]
