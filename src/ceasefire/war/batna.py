"""Each party's value of no deal, month by month: what it expects from fighting on.

For party ``i``, month ``t`` and Monte Carlo sample ``s`` [Fearon1995]:

    V_i(t) = U_i(x_war(t + H)) - sum_{k=0}^{H-1} delta_i^k c_i(t + k)

- ``x_war(t + H)`` is the status quo package with the territory issue where the front is expected
  to stand ``H`` months later (all other issues stay at the status quo);
- ``c_i(t + k)`` is the party's cost of month ``t + k`` in utility points: its weight per 10,000
  casualties (its own if it is a side, both sides' otherwise, unless ``casualties_of`` says whose),
  per USD 10 bn of its own war spending and aid, its ``per_month`` cost, and its escalation weight
  times the probability that catastrophic escalation first happens that month;
- ``delta_i = 1 / (1 + r_i)`` with ``r_i`` its monthly discount rate.

The state at month ``t`` (forces, casualties, territory, collapses, escalation) comes from the
stochastic run of sample ``s``; the ``H`` months ahead are the *expected* path from that state
under the sample's parameters (:func:`project`, the model in expectation mode), together with the
spread of the territory around it (the variance that creep shocks and breakthroughs add). The
expected utility of the outcome and the expected escalation hazard are taken over that spread,
treating the territory as normal around its expected path (a moment closure): escalation risk lives
in the tails, and the expected path alone would miss it. So each sample is one possible world:
parties know its parameters and where the war stands at ``t``, not the luck of the months ahead.
The spread of ``V_i(t)`` over samples is the analyst's uncertainty. Costs are discounted, the
outcome ``U_i`` is not: a deal and the war's outcome are both lasting states, and what differs is
the cost paid on the way.

With ``war.outcomes``, ``U_i(x_war)`` becomes the expectation over the war's end states: each side
wins its terms with the probability that its opponent breaks by the horizon, and nobody breaks with
the rest (:func:`expected_outcome`). With ``war.settle_later``, the value includes the option to
settle at a later month of the path (:mod:`ceasefire.war.settlement`). Without either, nothing
changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from ceasefire.scenario import utility as su
from ceasefire.scenario.distributions import point_value
from ceasefire.scenario.model import Scenario
from ceasefire.war.attrition import (
    FAR,
    FloatArray,
    Kernel,
    NormalHinges,
    Parameters,
    State,
    WarOutcomes,
    simulate,
    step,
)
from ceasefire.war.settlement import Settlements, value_with_later_settlement

QUANTILES = (0.05, 0.5, 0.95)
_NO_RESERVATION = -1e5  # "minus infinity" that the bargaining core accepts as a finite number


@dataclass(frozen=True)
class Projection:
    """The expected path over ``H`` months from a state: per month ``k`` casualties ``(H, 2, n)``,
    the probability that escalation first happens in month ``k`` ``(H, n)``, and the territory's
    expected value and variance at the end ``(n,)`` and at the end of each month ``(H, n)``. With
    ``project(..., collapse=True)``, also ``collapse`` ``(2, n)``: the probability that each side
    has broken by the end; with ``project(..., first_month=True)``, ``collapse_first`` ``(2, n)``:
    the same by the end of the first month."""

    casualties: FloatArray
    escalation: FloatArray
    territory: FloatArray
    territory_var: FloatArray
    territory_path: FloatArray | None = None
    territory_var_path: FloatArray | None = None
    collapse: FloatArray | None = None
    collapse_first: FloatArray | None = None


def project(
    state: State,
    p: Parameters,
    months: int,
    steps_per_month: int = 1,
    *,
    collapse: bool = False,
    first_month: bool = False,
) -> Projection:
    """The expected path of the war over ``months`` months from ``state`` (not modified).

    With ``collapse``, the probability that each side has broken by the end: 1 if it has broken
    already; else the largest, over the months, of the probability that its forces are below its
    breaking point or its casualties above its breaking casualties, each normal around the expected
    path with the variance the casualty shocks add (a moment closure; the largest monthly crossing
    probability is a lower bound on the probability of a first crossing). With ``first_month``, the
    same probability by the end of the first month (``collapse_first``), whether or not
    ``collapse`` is asked for.
    """
    s = state.copy()
    s.no_escalation = np.ones_like(s.territory)
    s.territory_var = np.zeros_like(s.territory)
    kernel = Kernel(p, 1.0 / steps_per_month)
    casualties = np.zeros((months, 2, p.n))
    escalation = np.zeros((months, p.n))
    path = np.empty((months, p.n))
    var_path = np.empty((months, p.n))
    broken = state.collapsed.astype(float) if collapse else None
    first: FloatArray | None = None
    casualty_var = np.zeros((2, p.n))
    shock_var = np.expm1(p.casualty_sigma**2)
    for k in range(months):
        track = broken is not None or (first_month and k == 0)
        for _ in range(steps_per_month):
            result = step(s, kernel)
            casualties[k] += result.casualties
            escalation[k] += result.escalation
            if track:
                casualty_var += result.casualties**2 * shock_var
        path[k] = s.territory
        var_path[k] = s.territory_var
        if track:
            sd = np.sqrt(casualty_var)
            below = _crossing(kernel.break_forces - s.forces, p.loss_fraction * sd)
            above = _crossing(s.casualties - p.break_casualties, sd)
            if broken is not None:
                np.maximum(broken, np.maximum(below, above), out=broken)
            if first_month and k == 0:
                first = np.maximum(state.collapsed, np.maximum(below, above))
    # Escalation that has already happened is sunk: no further escalation cost.
    escalation *= ~state.escalated
    return Projection(
        casualties=casualties,
        escalation=escalation,
        territory=s.territory,
        territory_var=s.territory_var,
        territory_path=path,
        territory_var_path=var_path,
        collapse=broken,
        collapse_first=first,
    )


def _crossing(margin: FloatArray, sd: FloatArray) -> FloatArray:
    """``P(margin + sd Z > 0)``: ``Phi(margin / sd)``, or whether ``margin > 0`` where ``sd`` is 0.

    ``Phi`` is evaluated only within :data:`~ceasefire.war.attrition.FAR` standard deviations of
    the threshold; beyond, it rounds to exactly 0 or 1, which is whether ``margin > 0``.
    """
    margin, sd = np.broadcast_arrays(margin, sd)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = margin / np.maximum(sd, 1e-300)
        near = (sd > 0) & (np.abs(ratio) < FAR)
    result: FloatArray
    if near.all():  # every one near the threshold: the same numbers without gathering them
        result = special.ndtr(ratio)
    else:
        result = (margin > 0).astype(float)
        if near.any():
            result[near] = special.ndtr(ratio[near])
    undefined = np.isnan(ratio)  # an undefined probability counts as 0
    if undefined.any():
        result[undefined] = 0.0
    return result


@dataclass(frozen=True)
class OutcomeTerms:
    """What the collapse of side ``1 - j`` delivers to side ``j``, as a change of every party's
    utility from the status quo on the issues other than the front's (``shift``, per party), and
    the front's value if the terms fix it (else the front stands where the war leaves it)."""

    side: int
    shift: FloatArray  # (n_parties,)
    territory: float | None


def outcome_terms(scenario: Scenario) -> list[OutcomeTerms]:
    """The scenario's ``war.outcomes`` (empty without them). Utilities are additive over issues
    [Keeney1976], so a branch's utility is the no-collapse one's plus the terms' change."""
    war = scenario.war
    assert war is not None
    if not war.outcomes:
        return []
    sides = war.side_ids()
    front = war.front.issue
    base = su.status_quo_package(scenario)
    before = su.utilities_of(scenario, base)
    result = []
    for side_id, outcome in war.outcomes.items():
        package = dict(base)
        for issue_id, value in outcome.terms.items():
            if issue_id != front:
                package[issue_id] = value if isinstance(value, str) else float(value)
        after = su.utilities_of(scenario, package)
        territory = outcome.terms.get(front)
        result.append(
            OutcomeTerms(
                side=sides.index(side_id),
                shift=np.array([after[party.id] - before[party.id] for party in scenario.parties]),
                territory=None if territory is None else float(territory),
            )
        )
    return result


def expected_outcome(
    utility: Callable[..., FloatArray], terms: Sequence[OutcomeTerms], projection: Projection
) -> FloatArray:
    """``(n_parties, n)``: each party's expected utility of the war's end state at the horizon.

    Without terms, the status quo with the front where the projection leaves it. With them, the
    expectation over the end states [Wagner2000, FilsonWerner2002]: side ``j`` wins (its opponent
    breaks) with probability ``q_j``, and gets its terms; nobody breaks with probability
    ``1 - q_0 - q_1``. ``q_j`` is the probability that the opponent has broken by the horizon; where
    ``q_0 + q_1 > 1`` (both could break) they are scaled to sum to 1.
    """
    standing = utility(projection.territory, projection.territory_var)
    if not terms:
        return standing
    assert projection.collapse is not None
    q = projection.collapse[::-1]  # q[j]: side j's opponent has broken
    total = q.sum(axis=0)
    q = q / np.maximum(total, 1.0)
    value = standing * (1 - q.sum(axis=0))
    for t in terms:
        if t.territory is None:
            branch = standing + t.shift[:, None]
        else:
            fixed = np.full_like(projection.territory, t.territory)
            branch = utility(fixed) + t.shift[:, None]
        value = value + q[t.side] * branch
    result: FloatArray = value
    return result


def territory_utility(
    scenario: Scenario, parties: Sequence[str] | None = None
) -> Callable[..., FloatArray]:
    """``(T, var=None) -> (n_parties, *T.shape)``: each party's utility of the status quo with the
    territory issue at ``T``, or its expectation when ``T`` is normal with variance ``var``
    (``parties``: only these, in this order; default every party in scenario order).

    The territory stays within the issue's range, and a value function is piecewise linear and flat
    beyond its end points; so is their composition, ``v(T) = y_0 + sum_k dm_k (T - x_k)+``, whose
    expectation is a sum of normal hinges (:func:`~ceasefire.war.attrition.expected_hinge`).
    """
    war = scenario.war
    assert war is not None
    issue = scenario.issue(war.front.issue)
    assert not isinstance(issue.status_quo, str) and issue.range is not None
    low, high = float(issue.range[0]), float(issue.range[1])
    start = float(issue.status_quo)
    base = su.utilities_of(scenario, su.status_quo_package(scenario))
    rows = []
    chosen = scenario.parties if parties is None else [scenario.party(x) for x in parties]
    for party in chosen:
        prefs = scenario.preferences[party.id]
        # Uncertain weights and values count with their means, as in every analysis that does
        # not sample them (ceasefire.scenario.utility).
        weight = point_value(prefs.weights.get(issue.id, 0.0))
        spec = prefs.values.get(issue.id)
        if not weight or not isinstance(spec, list):
            rows.append((base[party.id], 0.0, np.array([low]), np.array([0.0])))
            continue
        xs = np.array([x for x, _ in spec], dtype=float)
        # v(clip(T)): breakpoints inside the range, plus the range's ends.
        knots = np.unique(np.concatenate([[low, high], xs[(xs > low) & (xs < high)]]))
        rows.append(
            (
                base[party.id] - su.issue_utility(prefs, issue, start),
                weight,
                knots,
                su.issue_values(prefs, issue, tuple(float(k) for k in knots)),
            )
        )

    kinks = []
    for _, _, xs, ys in rows:
        slopes = np.diff(ys) / np.diff(xs) if xs.size > 1 else np.zeros(0)
        kinks.append(np.diff(np.concatenate([[0.0], slopes, [0.0]])))

    def utility(territory: FloatArray, var: FloatArray | None = None) -> FloatArray:
        if var is None:
            return np.stack([b + w * np.interp(territory, xs, ys) for b, w, xs, ys in rows])
        # Parties whose value functions share a breakpoint share its hinge.
        hinges = NormalHinges(territory, np.sqrt(var))
        out = []
        for (b, w, xs, ys), dms in zip(rows, kinks, strict=True):
            value = np.full(np.shape(territory), ys[0])
            for x, dm in zip(xs.tolist(), dms, strict=True):
                if dm:
                    value = value + dm * hinges.at(x)
            out.append(b + w * value)
        return np.stack(out)

    return utility


def scenario_settlements(scenario: Scenario) -> Settlements:
    """The deals a scenario's parties could strike: its red-line-free Pareto frontier (reservation
    values aside) and the Nash bargaining solution [Nash1950], from the bargaining core."""
    from ceasefire.bargaining.from_scenario import build_problem
    from ceasefire.bargaining.solutions import SOLUTION_CONCEPTS

    placeholder = {party.id: _NO_RESERVATION for party in scenario.parties}
    problem = build_problem(scenario, placeholder)
    frontier = problem.frontier(acceptable_only=True, max_ties=1)
    first = np.unique(frontier.point_of_entry, return_index=True)[1]
    return Settlements(
        points=frontier.points,
        utilities=frontier.utilities[first],
        veto=np.asarray(problem.veto_indices, dtype=np.intp),
        objective=SOLUTION_CONCEPTS["nash"].function,
    )


@dataclass(frozen=True)
class CostWeights:
    """One party's cost weights for every sample, and which casualties and outlays it counts."""

    per_10k_casualties: FloatArray
    per_10bn_usd: FloatArray
    escalation: FloatArray
    per_month: FloatArray
    discount_monthly: FloatArray
    casualties_of: tuple[int, ...]  # side indices
    spending_of: tuple[int, ...]  # side indices whose war spending it pays (itself, if a side)
    aid_of: tuple[int, ...]  # aid entries it pays


def cost_weights(scenario: Scenario, p: Parameters) -> dict[str, CostWeights]:
    """Every party's :class:`CostWeights` (parties in scenario order)."""
    war = scenario.war
    assert war is not None
    result = {}
    for party in scenario.parties:
        costs = war.costs[party.id]
        drawn = p.costs[party.id]
        is_side = party.id in p.sides
        if costs.casualties_of is not None:
            whose = tuple(p.sides.index(x) for x in costs.casualties_of)
        elif is_side:
            whose = (p.sides.index(party.id),)
        else:
            whose = (0, 1)
        result[party.id] = CostWeights(
            per_10k_casualties=drawn["per_10k_casualties"],
            per_10bn_usd=drawn["per_10bn_usd"],
            escalation=drawn["escalation"],
            per_month=drawn["per_month"],
            discount_monthly=drawn["discount_monthly"],
            casualties_of=whose,
            spending_of=(p.sides.index(party.id),) if is_side else (),
            aid_of=tuple(k for k, payer in enumerate(p.aid_parties) if payer == party.id),
        )
    return result


def monthly_costs(weights: CostWeights, p: Parameters, projection: Projection) -> FloatArray:
    """``(H, n)``: the party's undiscounted cost of each month of the projection, in points."""
    return monthly_costs_sharing(weights, p, projection, {})


def monthly_costs_sharing(
    weights: CostWeights,
    p: Parameters,
    projection: Projection,
    counted: dict[tuple[int, ...], FloatArray],
) -> FloatArray:
    """:func:`monthly_costs`; ``counted`` keeps the casualties of each set of sides summed, for
    the other parties of the same projection."""
    whose = weights.casualties_of
    casualties = counted.get(whose)
    if casualties is None:
        casualties = counted[whose] = projection.casualties[:, list(whose), :].sum(axis=1)
    usd = np.zeros(p.n)
    for j in weights.spending_of:
        usd = usd + p.spending[j]
    for k in weights.aid_of:
        usd = usd + p.aid_military[k] + p.aid_other[k]
    # In place, in the order of the sum: per casualties, then per USD and month, then escalation.
    result: FloatArray = weights.per_10k_casualties * casualties
    result /= 1e4
    result += (weights.per_10bn_usd * usd / 10 + weights.per_month)[None, :]
    result += weights.escalation * projection.escalation
    return result


def discount_factors(rate: FloatArray, months: int) -> FloatArray:
    """``(months, n)``: ``(1 + r)^-k`` for ``k = 0..months-1``."""
    k = np.arange(months, dtype=float)[:, None]
    factors: FloatArray = np.power(1.0 / (1.0 + rate)[None, :], k)
    return factors


def discounted(costs: FloatArray, rate: FloatArray) -> FloatArray:
    """``sum_k (1 + r)^-k costs[k]`` over the first axis."""
    return discounted_by(costs, discount_factors(rate, costs.shape[0]))


def discounted_by(costs: FloatArray, factors: FloatArray) -> FloatArray:
    """:func:`discounted` with the :func:`discount_factors` already computed."""
    weighted = factors * costs
    result: FloatArray = weighted.sum(axis=0)
    return result


def no_deal_parts(
    projection: Projection,
    p: Parameters,
    utility: Callable[..., FloatArray],
    weights: Sequence[CostWeights],
    terms: Sequence[OutcomeTerms] = (),
) -> tuple[FloatArray, FloatArray]:
    """``(outcome, cost)``, each ``(parties, n)``: the expected utility of the war's end state
    (:func:`expected_outcome`: where the projection leaves the front, and with ``terms`` the terms
    a collapse delivers; parties as ``utility`` gives them) and each party's discounted cost of the
    months projected (``weights`` in the same party order); ``V = outcome - cost``."""
    outcome = expected_outcome(utility, terms, projection)
    counted: dict[tuple[int, ...], FloatArray] = {}
    cost = np.stack(
        [
            discounted(monthly_costs_sharing(w, p, projection, counted), w.discount_monthly)
            for w in weights
        ]
    )
    return outcome, cost


MAX_ABS_VALUE = 1e6
"""Values of no deal beyond this many utility points (ten thousand times the 0..100 scale) are
refused: the bargaining core's exact integer arithmetic holds up to about 9e6."""


@dataclass(frozen=True)
class Reservations:
    """The distribution of every party's value of no deal at months ``0..months-1``.

    ``values[t, i, s]`` is party ``i``'s ``V_i(t)`` in sample ``s``; ``territory[t, s]`` the
    expected territory ``H`` months after ``t``; ``outcomes`` the stochastic run up to the last
    month.
    """

    parties: tuple[str, ...]
    horizon: int
    values: FloatArray
    territory: FloatArray
    outcomes: WarOutcomes

    @property
    def months(self) -> int:
        return int(self.values.shape[0])

    def out_of_range(self, limit: float = MAX_ABS_VALUE) -> list[str]:
        """The parties some of whose values are not finite or beyond ``limit`` points either way:
        the bargaining core cannot compare them exactly (see :data:`MAX_ABS_VALUE`)."""
        bad = np.asarray(~(np.abs(self.values) <= limit).all(axis=(0, 2)))
        return [party for party, b in zip(self.parties, bad.tolist(), strict=True) if b]

    def quantiles(
        self, month: int = 0, quantiles: Sequence[float] = QUANTILES
    ) -> dict[str, dict[str, float]]:
        """``{party: {"p5": .., "p50": .., "p95": ..}}`` at ``month``."""
        qs = np.quantile(self.values[month], quantiles, axis=-1)
        keys = [f"p{round(q * 100)}" for q in quantiles]
        return {
            party: {key: float(qs[k, i]) for k, key in enumerate(keys)}
            for i, party in enumerate(self.parties)
        }

    def medians(self, month: int = 0) -> dict[str, float]:
        med = np.median(self.values[month], axis=-1)
        return {party: float(med[i]) for i, party in enumerate(self.parties)}

    def to_dict(self) -> dict[str, Any]:
        """Monthly 5%, 50% and 95% quantiles of each party's value of no deal."""
        qs = np.quantile(self.values, QUANTILES, axis=-1)  # (quantile, month, party)
        keys = [f"p{round(q * 100)}" for q in QUANTILES]
        return {
            "horizon_months": self.horizon,
            "month_index": list(range(self.months)),
            **{
                key: {
                    party: [float(x) for x in qs[k, :, i]] for i, party in enumerate(self.parties)
                }
                for k, key in enumerate(keys)
            },
        }


def reservation_values(
    scenario: Scenario,
    *,
    samples: int,
    seed: int,
    months: int | None = None,
    horizon: int | None = None,
    aid_scale: float = 1.0,
    first_sample: int = 0,
    progress: Callable[[int], Any] | None = None,
    settlements: Settlements | None = None,
) -> Reservations:
    """Every party's value of no deal at months ``0..months-1``, judged over ``horizon`` months.

    Defaults: ``horizon`` is the scenario's ``war.horizon_months``; ``months`` equals the horizon.
    With the scenario's ``war.settle_later``, the value includes the option to settle at a later
    month (:mod:`ceasefire.war.settlement`), on ``settlements`` (default: the scenario's frontier and
    the Nash solution, :func:`scenario_settlements`).
    Raises :class:`ValuesOutOfRange` if some value is not finite or beyond :data:`MAX_ABS_VALUE`.
    """
    war = scenario.war
    if war is None:
        raise ValueError(f"scenario '{scenario.id}' has no war section")
    horizon = war.horizon_months if horizon is None else horizon
    months = horizon if months is None else months
    if horizon < 1 or months < 1:
        raise ValueError("need horizon >= 1 and months >= 1")
    # Extreme (but valid) parameters may overflow to inf or nan on the way; they never reach the
    # user as warnings: such values are reported by Reservations.out_of_range.
    with np.errstate(all="ignore"):
        result = _reservation_values(
            scenario,
            war,
            samples,
            seed,
            months,
            horizon,
            aid_scale,
            first_sample,
            progress,
            settlements,
        )
    bad = result.out_of_range()
    if bad:
        raise ValuesOutOfRange(
            ("war", "costs", bad[0]),
            f"the war model puts {bad[0]}'s value of no deal beyond {MAX_ABS_VALUE:g} utility "
            "points (or cannot compute it): the war's scale or these cost weights are out of range",
        )
    return result


class ValuesOutOfRange(ValueError):
    """Values of no deal the bargaining core cannot compare; ``loc`` is where the scenario file
    sets the weights that produce them (its ``war.costs`` entry)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


def _reservation_values(
    scenario: Scenario,
    war: Any,
    samples: int,
    seed: int,
    months: int,
    horizon: int,
    aid_scale: float,
    first_sample: int,
    progress: Callable[[int], Any] | None,
    settlements: Settlements | None,
) -> Reservations:
    outcomes = simulate(
        scenario,
        samples=samples,
        months=months - 1,
        seed=seed,
        first_sample=first_sample,
        aid_scale=aid_scale,
        keep_states=True,
    )
    p = outcomes.parameters
    utility = territory_utility(scenario)
    weights = cost_weights(scenario, p)
    parties = tuple(x.id for x in scenario.parties)
    values = np.empty((months, len(parties), samples))
    territory = np.empty((months, samples))
    terms = outcome_terms(scenario)
    if war.settle_later and settlements is None:
        settlements = scenario_settlements(scenario)
    discount = np.stack([1.0 / (1.0 + weights[party].discount_monthly) for party in parties])
    # The same for every month: each party's discount factors over the horizon.
    factors = (
        {}
        if war.settle_later
        else {x: discount_factors(weights[x].discount_monthly, horizon) for x in parties}
    )
    for t in range(months):
        projection = project(
            outcomes.states[t], p, horizon, war.steps_per_month, collapse=bool(terms)
        )
        territory[t] = projection.territory
        outcome = expected_outcome(utility, terms, projection)
        counted: dict[tuple[int, ...], FloatArray] = {}
        if war.settle_later:
            assert settlements is not None
            costs = np.stack(
                [monthly_costs_sharing(weights[x], p, projection, counted) for x in parties], axis=1
            )
            values[t] = value_with_later_settlement(settlements, outcome, costs, discount)
        else:
            for i, party in enumerate(parties):
                cost = discounted_by(
                    monthly_costs_sharing(weights[party], p, projection, counted), factors[party]
                )
                values[t, i] = outcome[i] - cost
        if progress is not None:
            progress(t + 1)
    return Reservations(
        parties=parties, horizon=horizon, values=values, territory=territory, outcomes=outcomes
    )


__all__ = [
    "MAX_ABS_VALUE",
    "CostWeights",
    "OutcomeTerms",
    "Projection",
    "Reservations",
    "ValuesOutOfRange",
    "cost_weights",
    "discount_factors",
    "discounted",
    "discounted_by",
    "expected_outcome",
    "monthly_costs",
    "monthly_costs_sharing",
    "no_deal_parts",
    "outcome_terms",
    "project",
    "reservation_values",
    "scenario_settlements",
    "territory_utility",
]
