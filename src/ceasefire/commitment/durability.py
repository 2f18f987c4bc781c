"""Deals that may not hold, composed: the effective bargaining problem and what a reader needs to
judge a package's durability.

- Compliance: a clause that party ``j`` carries out with probability ``q`` is worth, to every
  party, ``q`` times its value plus ``1 - q`` times the value of the issue's status quo (what
  stands if the clause is not carried out). This keeps utilities additive.
- Effective utilities ``E_i(x) = P_hold(x, H) U_i(x) + (1 - P_hold(x, H)) V_renew_i(x)`` over the
  horizon ``H`` (:mod:`ceasefire.bargaining.effective`), with :mod:`~ceasefire.commitment.hazard`
  and :mod:`~ceasefire.commitment.renewed_war`.
- Powell's commitment gap [Powell2006]: party ``i``'s expected shift in war value over the truce,
  ``V_renew_i - r_i`` for a cease-fire in place (every issue at its status quo, a numeric one at
  the nearest grid value), over the width of
  the bargaining range ``W = max_x sum_i (U_i(x) - r_i)`` (the largest total gain of the veto
  parties over red-line-free packages; for a pie of size 1 it is the sum of the costs of war). In
  a constant-sum problem no self-enforcing deal exists once the rising side's gap exceeds 1.
- "What would make this deal last": the single option changes of a package that raise its
  ``P_hold`` at 60 months most, with what each costs each party in nominal utility.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem
from ceasefire.bargaining.effective import EffectiveProblem
from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.commitment.hazard import HazardModel, hazard_draws, hazard_model
from ceasefire.commitment.renewed_war import renewed_with_war, renewed_without_war, war_issues
from ceasefire.scenario.commitment import CommitmentSection, split_key
from ceasefire.scenario.model import Scenario
from ceasefire.scenario.utility import option_labels

if TYPE_CHECKING:
    from ceasefire.bargaining import Solution
    from ceasefire.war.batna import Reservations

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]

REPORT_MONTHS = (12, 36, 60)
"""The months at which ``p_hold`` is reported."""
HAZARD_DRAWS = 1000
"""Draws of the uncertain hazard numbers behind ``p_hold_range``."""
STRENGTHENERS = 5
"""How many option changes the "what would make this deal last" list shows."""


@dataclass(frozen=True)
class Clause:
    """A clause whose compliance is doubtful."""

    issue: int
    option: int
    by: str
    p: float


@dataclass(frozen=True, eq=False)
class Durability:
    """The effective bargaining problem of a scenario with a ``commitment:`` section."""

    scenario: Scenario
    nominal: BargainingProblem
    effective: EffectiveProblem
    hazard: HazardModel
    horizon: int
    clauses: tuple[Clause, ...]
    shift: dict[str, float]
    width: float
    draws: tuple[HazardModel, ...] = ()
    """Hazard models with drawn base rates and ratios, for the spread of ``p_hold``."""

    def p_hold(self, package: npt.ArrayLike, months: float) -> float:
        return float(self.hazard.p_hold(np.asarray(package, dtype=np.intp)[None, :], months)[0])

    def p_hold_range(self, package: npt.ArrayLike, months: float) -> dict[str, float]:
        """5%, 50% and 95% quantiles of ``p_hold`` over the drawn hazard models."""
        x = np.asarray(package, dtype=np.intp)[None, :]
        values = [float(h.p_hold(x, months)[0]) for h in self.draws] or [self.p_hold(x[0], months)]
        q = np.quantile(values, [0.05, 0.5, 0.95])
        return {"p5": float(q[0]), "p50": float(q[1]), "p95": float(q[2])}

    def commitment_gap(self) -> dict[str, float | None]:
        """Each veto party's expected shift in war value over the width of the bargaining range."""
        return {
            party: (shift / self.width if self.width > 0 else None)
            for party, shift in self.shift.items()
        }

    def doubtful(self, package: npt.ArrayLike) -> list[dict[str, Any]]:
        idx = np.asarray(package, dtype=np.intp)
        problem = self.nominal
        return [
            {
                "issue": problem.issues[c.issue],
                "option": problem.options[c.issue][c.option],
                "by": c.by,
                "p": c.p,
            }
            for c in self.clauses
            if int(idx[c.issue]) == c.option
        ]

    def strengtheners(
        self, package: npt.ArrayLike, limit: int = STRENGTHENERS
    ) -> list[dict[str, Any]]:
        """Single option changes that raise ``p_hold`` at 60 months most, best first."""
        x = np.asarray(package, dtype=np.intp)
        problem = self.nominal
        now = self.p_hold(x, 60)
        base = problem.utilities(x)[0]
        found: list[tuple[float, float, dict[str, Any]]] = []
        for k in self.hazard.relevant:
            for o in range(len(problem.options[k])):
                if o == int(x[k]):
                    continue
                changed = x.copy()
                changed[k] = o
                p60 = self.p_hold(changed, 60)
                if p60 <= now + 1e-12:
                    continue
                cost = base - problem.utilities(changed)[0]
                found.append(
                    (
                        -p60,
                        float(cost[problem.veto_indices].sum()),
                        {
                            "issue": problem.issues[k],
                            "option": problem.options[k][o],
                            "p_hold_60": p60,
                            "cost": {
                                p: round(float(c), 12)
                                for p, c in zip(problem.parties, cost, strict=True)
                            },
                            "crosses_red_line": bool(problem.forbidden[k][o]),
                        },
                    )
                )
        found.sort(key=lambda item: (item[0], item[1]))
        return [item[2] for item in found[:limit]]

    def package_dict(self, package: npt.ArrayLike) -> dict[str, Any]:
        """``p_hold`` at 12, 36 and 60 months, the doubtful clauses, and the strengtheners."""
        return {
            "p_hold": {str(m): self.p_hold(package, m) for m in REPORT_MONTHS},
            "p_hold_range": {str(m): self.p_hold_range(package, m) for m in REPORT_MONTHS},
            "doubtful_clauses": self.doubtful(package),
            "strengtheners": self.strengtheners(package),
        }

    def to_dict(self, solutions: dict[str, Solution]) -> dict[str, Any]:
        """The ``commitment`` entry of ``analyze --json`` (docs/reference/analyze-json.md)."""
        chosen = {n: s.package for n, s in solutions.items() if s.package is not None}
        first = next(iter(chosen), None)
        packages = {n: self.package_dict(p) for n, p in chosen.items()}
        return {
            "horizon_months": self.horizon,
            "hazard_defaults": self.scenario.commitment.hazard.defaults
            if self.scenario.commitment is not None
            else None,
            "hazard_base": self.hazard.base,
            "self_enforcing": self.effective.self_enforcing,
            "group_issues": [self.nominal.issues[k] for k in self.effective.group_issues],
            "groups": self.effective.n_groups,
            "p_hold": {n: dict(entry["p_hold"]) for n, entry in packages.items()},
            "commitment_gap": self.commitment_gap(),
            "war_value_shift": dict(self.shift),
            "bargaining_range_width": self.width,
            "strengtheners_for": first,
            "strengtheners": [] if first is None else list(packages[first]["strengtheners"]),
            "packages": packages,
        }


def durability(
    scenario: Scenario,
    reservation: dict[str, float],
    reservations: Reservations | None = None,
    *,
    seed: int = 0,
    nominal: BargainingProblem | None = None,
) -> Durability:
    """The effective bargaining problem of ``scenario`` (which has a ``commitment:`` section).

    ``reservations``: the war model's values of no deal, when the scenario has a ``war:`` section.
    ``seed``: for the draws of uncertain hazard ratios (the spread of ``p_hold`` only).
    ``nominal``: ``build_problem(scenario, reservation)``, when the caller has built it already.
    """
    section = scenario.commitment
    if section is None:
        raise ValueError(f"scenario '{scenario.id}' has no commitment section")
    if nominal is None:
        nominal = build_problem(scenario, reservation)
    clauses = _clauses(scenario)
    adjusted = _with_compliance(nominal, clauses, scenario)
    hazard = hazard_model(scenario)
    by_war = war_issues(scenario) if reservations is not None else ()
    group = tuple(sorted(set(hazard.relevant) | set(by_war)))
    shape = tuple(len(nominal.options[k]) for k in group)
    options = np.indices(shape).reshape(len(shape), -1).T.astype(np.intp) if group else None
    n_groups = math.prod(shape)
    packages = np.zeros((n_groups, nominal.n_issues), dtype=np.intp)
    if options is not None:
        packages[:, list(group)] = options
    hold = hazard.p_hold(packages, section.horizon_months)
    if reservations is None:
        renewed = np.tile(renewed_without_war(scenario, reservation), (n_groups, 1))
    else:
        columns = [group.index(k) for k in by_war]
        assert options is not None
        combos, inverse = np.unique(options[:, columns], axis=0, return_inverse=True)
        values = renewed_with_war(scenario, reservations, [tuple(c) for c in combos])
        renewed = values[inverse.ravel()]
    effective = EffectiveProblem(
        adjusted, group, hold, renewed, self_enforcing=section.renewed_war.self_enforcing
    )
    g0 = int(effective.group_of(_status_quo_indices(scenario))[0])
    veto = nominal.veto_indices
    shift = {nominal.parties[i]: float(renewed[g0, i] - nominal.reservation[i]) for i in veto}
    return Durability(
        scenario=scenario,
        nominal=nominal,
        effective=effective,
        hazard=hazard,
        horizon=section.horizon_months,
        clauses=clauses,
        shift=shift,
        width=_width(nominal),
        draws=tuple(hazard_draws(scenario, HAZARD_DRAWS, seed)) if _uncertain(section) else (),
    )


def _uncertain(section: CommitmentSection) -> bool:
    hazard = section.hazard
    numbers = [hazard.base.value] if hazard.base is not None else []
    numbers += [e.ratio for e in [*hazard.effects.values(), *hazard.context.values()] if e.ratio]
    return any(not n.is_fixed for n in numbers)


def _status_quo_indices(scenario: Scenario) -> IndexArray:
    """The status quo as option indices (a numeric status quo off the grid: the nearest value)."""
    return package_indices(scenario, {issue.id: issue.status_quo for issue in scenario.issues})


def package_indices(scenario: Scenario, package: dict[str, str | float]) -> IndexArray:
    """A package (``{issue: option id or number}``, every issue) as option indices; a number off
    a numeric issue's grid: the nearest grid value."""
    indices = []
    for issue in scenario.issues:
        labels = option_labels(issue)
        chosen = package[issue.id]
        if isinstance(chosen, str):
            indices.append(labels.index(chosen))
        else:
            grid = np.array(labels, dtype=float)
            indices.append(int(np.argmin(np.abs(grid - float(chosen)))))
    return np.array(indices, dtype=np.intp)


def _clauses(scenario: Scenario) -> tuple[Clause, ...]:
    section = scenario.commitment
    assert section is not None
    index = {issue.id: k for k, issue in enumerate(scenario.issues)}
    result = []
    for key, clause in section.compliance.items():
        found = split_key(key, scenario.issues)
        assert found is not None
        issue, option = found
        assert option is not None
        result.append(
            Clause(index[issue.id], issue.option_ids.index(option), clause.by, clause.p.mean)
        )
    return tuple(result)


def _with_compliance(
    problem: BargainingProblem, clauses: tuple[Clause, ...], scenario: Scenario
) -> BargainingProblem:
    if not clauses:
        return problem
    tables = with_compliance(problem.contributions, compliance_terms(scenario, clauses))
    return BargainingProblem(
        parties=problem.parties,
        veto=problem.veto,
        issues=problem.issues,
        options=problem.options,
        contributions=tuple(tables),
        forbidden=problem.forbidden,
        reservation=problem.reservation,
    )


ComplianceTerm = tuple[int, int, int, float]
"""A doubtful clause as ``(issue, option, status quo option, p)``."""


def compliance_terms(
    scenario: Scenario, clauses: tuple[Clause, ...] | None = None
) -> tuple[ComplianceTerm, ...]:
    """The doubtful clauses of ``scenario`` (or ``clauses``) with their issue's status quo."""
    chosen = _clauses(scenario) if clauses is None else clauses
    if not chosen:
        return ()
    status_quo = _status_quo_indices(scenario)
    return tuple((c.issue, c.option, int(status_quo[c.issue]), c.p) for c in chosen)


def with_compliance(
    contributions: Sequence[FloatArray], terms: Sequence[ComplianceTerm]
) -> tuple[FloatArray, ...]:
    """Contribution tables with every doubtful clause at its expected value: ``p`` times the
    option's contribution plus ``1 - p`` times the status quo's. Tables are ``(..., n_options,
    n_parties)``: one problem's, or a batch of samples' (``(S, n_options, d)``)."""
    tables = [np.array(t) for t in contributions]
    for issue, option, status_quo, p in terms:
        table = tables[issue]
        table[..., option, :] = p * table[..., option, :] + (1 - p) * table[..., status_quo, :]
    return tuple(tables)


def _width(problem: BargainingProblem) -> float:
    """The largest total gain of the veto parties over red-line-free packages."""
    from ceasefire.war.ripeness import red_line_free_points

    points = red_line_free_points(problem)
    if points.shape[0] == 0:
        return 0.0
    veto = problem.veto_indices
    return float(points.sum(axis=1).max() - problem.reservation[veto].sum())
