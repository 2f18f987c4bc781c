"""``mediate``: the offer to make, what it costs each offering party, and the zone it opens.

The point analysis uses the scenario's point values (with a ``war:`` section, the median month-0
values of no deal, as ``ceasefire analyze``). With ``target_p`` the cheapest offer is the one whose
probability of a zone of agreement, over samples of the uncertain inputs, reaches ``target_p``;
with ``budget`` the offer within it that maximises the Nash product (point values) or the
probability of a zone of agreement (``objective="robustness"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import TOLERANCE, BargainingProblem
from ceasefire.defaults import MEDIATION_SAMPLES
from ceasefire.executor import Executor
from ceasefire.mediation.bargain import (
    Bargain,
    is_effective,
    nash,
    nominal,
    reservation,
    veto_only,
)
from ceasefire.mediation.offers import Offer, OfferSpace, offer_space
from ceasefire.mediation.probability import first_reaching, most_probable, zopa_counts
from ceasefire.mediation.reach import reach, why_none
from ceasefire.mediation.search import (
    MAX_SEARCH,
    CheapestMethod,
    Choice,
    best_offer_nash,
    by_cost,
    cheapest_offer,
)
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario
from ceasefire.uncertainty.commitment import BASIS, WAR_VIEW
from ceasefire.uncertainty.inputs import InputSpace, input_space
from ceasefire.uncertainty.robustness import stderr
from ceasefire.uncertainty.sampling import point_reservation, realise

FloatArray = npt.NDArray[np.float64]

Objective = Literal["nash", "robustness"]


@dataclass(frozen=True)
class OfferReport:
    """An offer, what it costs, what it gives, and the zone of agreement it leaves."""

    purpose: str
    choice: Choice | None
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Mediation:
    space: InputSpace
    offers: OfferSpace
    problem: Bargain
    """The veto parties' problem at the point values: effective with a ``commitment:`` section."""
    reports: tuple[OfferReport, ...]
    baseline: dict[str, Any]
    samples: int | None
    provenance: Provenance | None = None
    reach: dict[str, Any] = field(default_factory=dict)

    def offer_dict(self, report: OfferReport) -> dict[str, Any]:
        out: dict[str, Any] = {"purpose": report.purpose, **report.extra}
        if report.choice is None:
            out.update({"offer": None, "reason": report.reason})
            return out
        offer = report.choice.offer
        gains = self.offers.gain(np.array([offer]))[0]
        out.update(
            {
                "offer": self.offers.labels(offer),
                "cost": report.choice.cost,
                "cost_by_party": self.offers.cost_by_party(offer),
                "gains": {p: float(g) for p, g in zip(self.offers.parties, gains, strict=True)},
                "zopa": zopa_with(self.problem, gains),
                "method": report.choice.method,
                "offers_evaluated": report.choice.evaluated,
            }
        )
        return out

    @property
    def probabilities(self) -> str:
        """What the sampled probabilities rest on (with a ``commitment:`` section: effective
        utilities, :mod:`ceasefire.uncertainty.commitment`)."""
        if not is_effective(self.problem):
            return PROBABILITIES
        # What the samples assume about the war only when the scenario has a war model.
        basis = f"{BASIS}; {WAR_VIEW}" if self.space.war else BASIS
        return f"over samples of the uncertain preferences (as robust): {basis}"

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        if self.provenance is not None:
            doc["provenance"] = self.provenance.to_dict()
        doc.update(
            {
                "scenario": self.space.scenario_id,
                "veto_parties": list(self.space.parties),
                "side_payments": [
                    {
                        "id": p.id,
                        "name": p.name,
                        "offered_by": p.offered_by,
                        "unit": p.unit,
                        "levels": list(p.levels),
                        "cost": list(p.cost),
                    }
                    for p in self.offers.payments
                ],
                "offers": self.offers.size,
                "samples": self.samples,
                "utilities": UTILITIES[is_effective(self.problem)],
                "probabilities": None if self.samples is None else self.probabilities,
                "without_offer": self.baseline,
                "reach": self.reach,
            }
        )
        for report in self.reports:
            doc[report.purpose] = self.offer_dict(report)
        helps = any(r.choice is not None and any(r.choice.offer) for r in self.reports)
        doc["why"] = None if helps else why_none(self.reach, self.baseline["zopa"]["exists"])
        return doc


UTILITIES = {
    False: "nominal utilities (deals enforced as signed)",
    True: "effective utilities (deals may break down), as analyze",
}
PROBABILITIES = "over samples of the uncertain preferences, deals enforced as signed (as robust)"


def zopa_with(problem: Bargain, gains: FloatArray) -> dict[str, Any]:
    """The zone of agreement once ``gains`` are added: does it exist, how many Pareto-optimal
    packages, and the package of the Nash bargaining solution with each party's utility."""
    shifted = problem.with_reservation(reservation(problem) - gains)
    zopa = shifted.zopa()
    out: dict[str, Any] = {"exists": zopa.exists, "packages": zopa.frontier.package_total}
    solution = nash(shifted)
    if solution.package is not None and solution.utilities is not None:
        out["nash"] = {
            "package": nominal(shifted).package_dict(solution.package),
            "utilities": {
                p: float(u + g)
                for p, u, g in zip(nominal(problem).parties, solution.utilities, gains, strict=True)
            },
        }
    return out


def point_problem(space: InputSpace) -> BargainingProblem:
    """The veto parties' problem at the point values (war model: median month-0 values of
    ``space``'s seed, as in the static analysis)."""
    reservation = point_reservation(space)[None, :]
    return realise(space, space.point[None, :], reservation).problem(space, 0)


def point_bargain(loaded: LoadedScenario, space: InputSpace, seed: int) -> Bargain:
    """The veto parties' problem the offers are judged on at the point values: with a
    ``commitment:`` section the effective problem ``ceasefire analyze`` builds (the war model's
    median month-0 values of no deal over ``space.war_samples`` samples from ``seed``)."""
    if loaded.scenario.commitment is None:
        return point_problem(space)
    from ceasefire.scoring import bargaining_setting

    setting = bargaining_setting(loaded, space.war_samples, seed)
    assert setting.effective is not None
    return veto_only(setting.effective)


def mediate(
    loaded: LoadedScenario,
    *,
    target_p: float | None = None,
    budget: float | None = None,
    objective: Objective = "nash",
    samples: int = MEDIATION_SAMPLES,
    seed: int = 0,
    method: CheapestMethod = "auto",
    executor: Executor | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Mediation:
    """Find the cheapest offer that opens a zone of agreement (or reaches ``target_p``), and with
    a ``budget`` the best offer within it."""
    scenario = loaded.scenario
    space = input_space(scenario, seed=seed)
    offers = offer_space(scenario, space.parties)
    problem = point_bargain(loaded, space, seed)
    uses_samples = target_p is not None or (budget is not None and objective == "robustness")
    nothing = np.array([offers.nothing], dtype=np.intp)
    baseline: dict[str, Any] = {"zopa": zopa_with(problem, np.zeros(len(space.parties)))}
    if uses_samples:
        count = int(zopa_counts(space, offers, nothing, samples, seed, executor=executor)[0])
        baseline["p_zopa"] = count / samples
        baseline["stderr"] = stderr(count / samples, samples)
    reports: list[OfferReport] = []
    if not offers.payments:
        nothing_to_offer = "the scenario has no side_payments: nothing to offer"
        reports.append(OfferReport("cheapest", None, nothing_to_offer))
    elif target_p is None:
        choice = cheapest_offer(problem, offers, method)
        none = None if choice else "no combination of the side payments opens a zone of agreement"
        reports.append(OfferReport("cheapest", choice, none, {"target": "a zone of agreement"}))
    else:
        reports.append(
            _cheapest_probable(space, offers, target_p, samples, seed, executor, progress)
        )
    if budget is not None and offers.payments:
        reports.append(
            _within_budget(space, offers, problem, budget, objective, samples, seed, executor)
        )
    provenance = Provenance(
        scenario_sha256=loaded.sha256,
        seed=seed,
        parameters={
            "target_p": target_p,
            "budget": budget,
            "objective": objective,
            "samples": samples if uses_samples else None,
            "method": method,
        },
    )
    return Mediation(
        space=space,
        offers=offers,
        problem=problem,
        reports=tuple(reports),
        baseline=baseline,
        samples=samples if uses_samples else None,
        provenance=provenance,
        reach=reach(problem, offers),
    )


def _ordered(offers: OfferSpace) -> npt.NDArray[np.intp]:
    if offers.size > MAX_SEARCH:
        raise ValueError(f"{offers.size} offers are too many to evaluate by sampling")
    all_offers = offers.all_offers()
    return all_offers[by_cost(offers, all_offers)]


def _cheapest_probable(
    space: InputSpace,
    offers: OfferSpace,
    target_p: float,
    samples: int,
    seed: int,
    executor: Executor | None,
    progress: Callable[[int, int, str], None] | None,
) -> OfferReport:
    ordered = _ordered(offers)
    tick = None if progress is None else (lambda done, total: progress(done, total, "offers"))
    found = first_reaching(
        space, offers, ordered, target_p, samples, seed, executor=executor, progress=tick
    )
    extra: dict[str, Any] = {"target": f"P(zone of agreement) >= {target_p:g}"}
    if found is None:
        return OfferReport(
            "cheapest",
            None,
            f"no combination of the side payments reaches P(zone of agreement) >= {target_p:g}",
            extra,
        )
    row, count, evaluated = found
    offer: Offer = tuple(int(x) for x in ordered[row])
    cost = float(offers.cost(ordered[row : row + 1])[0])
    p = count / samples
    extra.update({"p_zopa": p, "stderr": stderr(p, samples)})
    return OfferReport("cheapest", Choice(offer, cost, "search", evaluated), None, extra)


def _within_budget(
    space: InputSpace,
    offers: OfferSpace,
    problem: Bargain,
    budget: float,
    objective: Objective,
    samples: int,
    seed: int,
    executor: Executor | None,
) -> OfferReport:
    extra: dict[str, Any] = {"budget": budget, "objective": objective}
    if objective == "nash":
        found = best_offer_nash(problem, offers, budget)
        if found is None:
            return OfferReport(
                "budget", None, "no affordable offer opens a zone of agreement", extra
            )
        choice, product = found
        extra["nash_product"] = product
        return OfferReport("budget", choice, None, extra)
    ordered = _ordered(offers)
    affordable = ordered[offers.cost(ordered) <= budget + TOLERANCE]
    if affordable.shape[0] == 0:
        return OfferReport("budget", None, "no offer fits the budget", extra)
    row, count = most_probable(space, offers, affordable, samples, seed, executor=executor)
    if count == 0:  # as the Nash objective: an offer that opens nothing is no answer
        return OfferReport(
            "budget", None, "no affordable offer opens a zone of agreement in any sample", extra
        )
    offer: Offer = tuple(int(x) for x in affordable[row])
    cost = float(offers.cost(affordable[row : row + 1])[0])
    p = count / samples
    extra.update({"p_zopa": p, "stderr": stderr(p, samples)})
    return OfferReport(
        "budget", Choice(offer, cost, "search", int(affordable.shape[0])), None, extra
    )


__all__ = ["Mediation", "mediate", "point_problem", "zopa_with"]
