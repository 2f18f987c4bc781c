"""What each side believes about the war, how it learns while fighting, and what it keeps private.

Without beliefs, every party knows the war's parameters in each Monte Carlo world, and its value of
no deal is the war model's (:mod:`ceasefire.war.batna`). With a ``beliefs:`` section
(``docs/explanation/beliefs.md`` has the equations and sources):

1. *True worlds.* The analyst's ``war:`` distributions give ``W`` worlds; each runs the stochastic
   campaign model (:func:`~ceasefire.war.attrition.simulate`), exactly the samples of
   :func:`~ceasefire.war.batna.reservation_values` with the same seed.
2. *Priors.* Party ``i`` with beliefs knows each world except the parameters its ``beliefs.<i>.war``
   names; about those it holds ``P`` particles drawn from its prior. A party without beliefs knows
   the world's parameters, as without beliefs.
3. *Observations.* Each month both sides see the change of the front and each side's casualties,
   with the reporting noise of ``learning.observe``, and, with ``learning.observe.breaks``,
   whether each army has broken.
4. *Learning.* Particle ``j`` predicts month ``t``'s reports from the state at ``t - 1`` (the
   expectation mode of the war model, with its own process noise); its log weight grows by the
   tempered log likelihood ``eta_c log L_c(y_t | theta_j)`` of each observed channel ``c``, where
   ``eta_c = s_c^2 / (kappa tau_c^2)``: ``s_c^2`` the process variance of the channel, ``tau_c^2``
   the spread of the particles' predictions under the prior in the first month they spread (the
   first month, unless aid reaches the front with a lag), ``kappa`` the
   ``prior_strength``. In a normal model this makes ``kappa`` months of perfectly observed fighting
   weigh as much as the prior [Ibrahim2000, Bissiri2016]; reporting noise makes a month weigh less.
   Whether an army has broken is a binary report: its likelihood is the particle's probability that
   the army breaks in the month (the war model's crossing probability, kept off 0 and 1 by
   ``breaks.error``), tempered by ``1 / kappa``.
5. *Own value of no deal.* ``V_i(t) = sum_j w_ij(t) (O_ij(t) - c_i K_ij(t))``: the weighted mean over
   particles of the war model's outcome utility ``O`` and discounted cost ``K``, projected from the
   world's state at ``t`` (:func:`~ceasefire.war.batna.project`, vectorised over worlds x particles);
   ``c_i`` its private cost multiplier (1 without ``private:``).
6. *Zone and offers.* The zone of agreement at ``t`` uses each party's own ``V_i(t)``
   (:func:`~ceasefire.war.ripeness.ripeness`); a proposer that does not know the responders'
   ``c_j`` makes the take-it-or-leave-it offer that maximises its expected utility [Fearon1995].
7. *Events.* Month ``t`` values the war's outcomes, and searches the packages, under the scenario
   as it stands at ``t`` (its ``events:``, :mod:`ceasefire.scenario.events`), as ripeness does;
   events change neither the war nor what is observed, so the particles' weights are unchanged.

The work runs in blocks of :data:`~ceasefire.war.attrition.BLOCK` worlds, each with its own random
streams, through an :class:`~ceasefire.executor.Executor`: results do not depend on the executor or
the number of workers.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from scipy import special

from ceasefire.scenario.beliefs import AID_SCALE, Learning
from ceasefire.scenario.distributions import Distribution
from ceasefire.scenario.events import epochs
from ceasefire.scenario.model import Scenario
from ceasefire.scenario.paths import war_keys
from ceasefire.war.attrition import BLOCK, FloatArray, Parameters, State, simulate
from ceasefire.war.batna import (
    OutcomeTerms,
    Projection,
    cost_weights,
    discounted,
    expected_outcome,
    monthly_costs,
    no_deal_parts,
    outcome_terms,
    project,
    territory_utility,
)
from ceasefire.war.ripeness import TOLERANCE, red_line_free_points, ripeness
from ceasefire.war.ripeness import joined as joined_ripeness

if TYPE_CHECKING:
    from ceasefire.executor import Executor

BoolArray = npt.NDArray[np.bool_]

DEFAULT_WORLDS = 1024
"""True worlds drawn from the analyst's ``war:`` section by default (at most the analysis'
samples)."""

DEFAULT_PARTICLES = 200
"""Particles in each party's belief, per world, by default."""

LINE_MONTHS = 12
"""The expected line is reported this many months ahead (or at the horizon, if shorter)."""

_STREAM = 0x62656C69  # "beli": the beliefs' random streams, apart from the war model's
_TYPE_GRID = 4096  # quantiles that tabulate a private type's distribution
_TINY = 1e-12
_NEGLIGIBLE = 1e-15  # times 1 / P: the weight below which a particle is dropped
_OFFER_CELLS = 1 << 18  # (world, package) pairs per array in the best offer's search
_CHUNK = 8_192  # particles per projection: larger arrays run slower per element (cache)
_RUN = 131_072  # particles (worlds x P) whose filters run together: bounds the memory they take

# Where each war parameter lives in :class:`~ceasefire.war.attrition.Parameters`.
_SIDE = {
    "forces": "forces",
    "recruits_per_month": "recruits",
    "casualty_loss_fraction": "loss_fraction",
    "lethality": "lethality",
    "attack_share": "attack_share",
    "concentration": "concentration",
    "spending_usd_bn_per_month": "spending",
    "break_force_fraction": "break_force_fraction",
    "break_casualties": "break_casualties",
    "aid_max_gain": "aid_max_gain",
    "aid_half_usd_bn_per_month": "aid_half",
    "aid_reference_usd_bn_per_month": "aid_reference",
}
_BLOCKS = {
    "combat": {
        "defence_advantage": "defence_advantage",
        "breakthrough_slope": "breakthrough_slope",
        "casualty_sigma": "casualty_sigma",
        "collapse_effectiveness": "collapse_effectiveness",
    },
    "front": {
        "length_km": "length_km",
        "km2_per_unit": "km2_per_unit",
        "creep_km_per_month": "creep_km",
        "ground_sigma": "ground_sigma",
        "breakthrough_km2": "breakthrough_km2",
    },
    "escalation": {
        "base_monthly": "escalation_base",
        "threatened_monthly": "escalation_threatened",
    },
}
_AID = {"military_usd_bn_per_month": "aid_military", "other_usd_bn_per_month": "aid_other"}


# ---- particles: the war model's parameters with a party's beliefs in place ----------------------


def _map_samples(p: Parameters, fn: Callable[[FloatArray], FloatArray]) -> Parameters:
    """``p`` with ``fn`` applied to every per-sample array (samples on the last axis)."""
    changes: dict[str, Any] = {
        f.name: fn(getattr(p, f.name))
        for f in dataclasses.fields(p)
        if isinstance(getattr(p, f.name), np.ndarray)
    }
    changes["costs"] = {
        party: {name: fn(v) for name, v in costs.items()} for party, costs in p.costs.items()
    }
    campaign = getattr(p, "campaign", None)
    if campaign is not None:  # the attritional campaign's parameters, per sample too
        changes["campaign"] = dataclasses.replace(
            campaign,
            **{
                f.name: fn(getattr(campaign, f.name))
                for f in dataclasses.fields(campaign)
                if isinstance(getattr(campaign, f.name), np.ndarray)
            },
        )
    return dataclasses.replace(p, **changes)


def tile(p: Parameters, copies: int, origin: dict[int, FloatArray] | None = None) -> Parameters:
    """Every sample's parameters repeated ``copies`` times (sample-major: copies of a sample are
    contiguous). ``origin``, if given, receives each repeated array's source, by the repeated
    array's ``id``."""

    def repeat(a: FloatArray) -> FloatArray:
        repeated = np.repeat(a, copies, axis=-1)
        if origin is not None:
            origin[id(repeated)] = a
        return repeated

    return _map_samples(p, repeat)


def with_beliefs(scenario: Scenario, p: Parameters, values: dict[str, FloatArray]) -> Parameters:
    """``p`` with the parameters at the belief paths (:mod:`ceasefire.scenario.paths`) set to
    ``values`` (one per sample); ``aid.scale`` multiplies every patron's aid."""
    war = scenario.war
    assert war is not None
    changes: dict[str, Any] = {}

    def current(name: str) -> FloatArray:
        if name not in changes:
            changes[name] = getattr(p, name).copy()
        result: FloatArray = changes[name]
        return result

    costs = {party: dict(c) for party, c in p.costs.items()}
    scale: FloatArray | None = None
    for path, value in values.items():
        if path == AID_SCALE:
            scale = value
            continue
        keys = war_keys(war, path)
        head, name = keys[0], keys[-1]
        if head == "sides":
            current(_SIDE[str(name)])[int(keys[1])] = value
        elif head == "aid":
            current(_AID[str(name)])[int(keys[1])] = value
        elif head == "costs":
            costs[str(keys[1])][str(name)] = value
        else:
            changes[_BLOCKS[str(head)][str(name)]] = value
    if scale is not None:
        changes["aid_military"] = current("aid_military") * scale
        changes["aid_other"] = current("aid_other") * scale
    return dataclasses.replace(p, costs=costs, **changes)


# ---- one block of worlds ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Valuation:
    """The parties' utility of the front (:func:`~ceasefire.war.batna.territory_utility`) and what
    a collapse delivers to them (:func:`~ceasefire.war.batna.outcome_terms`), under the scenario
    as it stands in a month."""

    utility: Callable[..., FloatArray]
    terms: tuple[OutcomeTerms, ...]
    scenario: Scenario

    def of(self, party: str, index: int) -> _Valuation:
        """The same for one party (``index``: its place among the scenario's parties)."""
        return _Valuation(
            territory_utility(self.scenario, [party]),
            tuple(dataclasses.replace(term, shift=term.shift[[index]]) for term in self.terms),
            self.scenario,
        )


def _valuations(scenario: Scenario, months: int) -> list[_Valuation]:
    """Per month ``0 .. months - 1``: the valuation of the scenario as it stands that month (one
    object per stretch of months that no event changes: :func:`~ceasefire.scenario.events.epochs`)."""
    out: list[_Valuation] = []
    for first, end, current in epochs(scenario, months):
        valuation = _Valuation(territory_utility(current), tuple(outcome_terms(current)), current)
        out.extend([valuation] * (end - first))
    return out


@dataclass(frozen=True)
class Settings:
    """What a run of the belief model computes."""

    worlds: int
    particles: int
    months: int
    horizon: int
    seed: int


@dataclass(frozen=True)
class BlockResult:
    """One block of worlds: per month ``t``, party ``i`` (scenario order) and world ``w``.

    ``outcome`` and ``cost`` are the party's own expectation of the outcome utility and of the
    discounted cost at multiplier 1 ``(months, parties, n)``; ``types`` its cost multiplier
    ``(parties, n)``; ``line`` its expected line ``LINE_MONTHS`` ahead ``(months, parties, n)``;
    ``decisive`` its probability of a decisive gain and ``now`` its utility of the current line
    ``(months, parties, n)``; ``ess`` the effective share of particles of each believing party;
    ``expected`` per believing party and belief path its expectation of the parameter
    ``(months, n)``."""

    outcome: FloatArray
    cost: FloatArray
    types: FloatArray
    line: FloatArray
    decisive: FloatArray
    now: FloatArray
    ess: FloatArray
    expected: dict[str, dict[str, FloatArray]]


def _channels(
    learning: Learning | None, projection: Projection, p: Parameters, steps: int, before: FloatArray
) -> list[tuple[FloatArray, FloatArray, float]]:
    """Per observed channel: the predicted mean and process variance of month one's report, and the
    reporting noise variance. ``before``: the territory at the start of the month."""
    if learning is None:
        return []
    out = []
    observe = learning.observe
    if observe.territory is not None:
        assert projection.territory_path is not None and projection.territory_var_path is not None
        change = projection.territory_path[0] - before
        out.append((change, projection.territory_var_path[0], observe.territory.noise_sd_pct**2))
    if observe.casualties is not None:
        var = p.casualty_sigma**2 / steps
        for k in range(2):
            mean = np.log(np.maximum(projection.casualties[0, k], _TINY)) - var / 2
            out.append((mean, var, observe.casualties.noise_rel**2))
    return out


def _reports(
    learning: Learning | None, territory: FloatArray, casualties: FloatArray, noise: FloatArray
) -> list[FloatArray]:
    """The noisy reports of each month ``(months, n)`` per channel (month 0: none, zeros)."""
    if learning is None:
        return []
    observe = learning.observe
    out = []
    change = np.diff(territory, axis=0, prepend=territory[:1])
    if observe.territory is not None:
        out.append(change + observe.territory.noise_sd_pct * noise[:, 0])
    if observe.casualties is not None:
        monthly = np.diff(casualties, axis=0, prepend=casualties[:1])
        for k in range(2):
            logged = np.log(np.maximum(monthly[:, k], _TINY))
            out.append(logged + observe.casualties.noise_rel * noise[:, 1 + k])
    return out


def _weighted(values: FloatArray, weights: FloatArray, copies: int) -> FloatArray:
    """Per world: ``sum_j w_j values_j`` over its ``copies`` particles (world-major)."""
    shape = (*values.shape[:-1], -1, copies)
    result: FloatArray = (values.reshape(shape) * weights).sum(axis=-1)
    return result


def _decisive(
    mean: FloatArray, var: FloatArray, now: FloatArray, direction: int, gain: float
) -> FloatArray:
    """``P(direction * (T - now) >= gain)`` for ``T ~ N(mean, var)``."""
    z = (direction * (mean - now) - gain) / np.maximum(np.sqrt(var), _TINY)
    result: FloatArray = special.ndtr(z)
    return result


def _block(scenario: Scenario, settings: Settings, task: tuple[int, int]) -> BlockResult:
    """The belief model on worlds ``block * BLOCK ..`` (``size`` of them)."""
    block, size = task
    war = scenario.war
    assert war is not None
    learning = scenario.learning
    months, horizon, copies = settings.months, settings.horizon, settings.particles
    steps = war.steps_per_month
    line_at = min(LINE_MONTHS, horizon) - 1
    parties = [x.id for x in scenario.parties]
    sides = war.side_ids()
    issue = scenario.issue(war.front.issue)
    assert issue.range is not None
    span = float(issue.range[1] - issue.range[0])
    gain = (learning.stalemate.decisive_gain_pct if learning else 10.0) / 100 * span
    gains_for = sides.index(war.front.gains_for)

    outcomes = simulate(
        scenario,
        samples=size,
        months=months - 1,
        seed=settings.seed,
        first_sample=block * BLOCK,
        keep_states=True,
    )
    p = outcomes.parameters
    weights = cost_weights(scenario, p)
    # What the war's outcomes are worth to each party, month by month: its preferences as they
    # stand that month (``events:`` may change them; the war and the learning they do not touch).
    valuations = _valuations(scenario, months)

    # The beliefs' own streams: private types, reporting noise, then each party's prior draws.
    rng = np.random.default_rng(np.random.SeedSequence(settings.seed, spawn_key=(block, _STREAM)))
    types = np.ones((len(parties), size))
    for i, party in enumerate(parties):
        private = (scenario.private or {}).get(party)
        u = rng.random(BLOCK)[:size]
        if private is not None:
            types[i] = private.cost_multiplier.ppf(u)
    noise = rng.standard_normal((BLOCK, months, 3))[:size].transpose(1, 2, 0)
    reports = _reports(learning, outcomes.territory, outcomes.casualties, noise)

    shape = (months, len(parties), size)
    outcome, cost = np.empty(shape), np.empty(shape)
    line, decisive, now = np.empty(shape), np.empty(shape), np.empty(shape)
    ess = np.ones((months, len(parties), size))
    expected: dict[str, dict[str, FloatArray]] = {}

    def direction(party: str) -> int:
        if party in sides:
            return 1 if sides.index(party) == gains_for else -1
        aided = {p.to for p in war.aid if p.party == party}
        if len(aided) == 1:
            return 1 if sides.index(aided.pop()) == gains_for else -1
        return 0

    # Every party as the war model has it: it knows the world's parameters.
    for t in range(months):
        state = outcomes.states[t]
        utility, terms = valuations[t].utility, valuations[t].terms
        projection = project(state, p, horizon, steps, collapse=bool(terms))
        outcome[t], cost[t] = no_deal_parts(
            projection, p, utility, [weights[x] for x in parties], terms
        )
        assert projection.territory_path is not None
        line[t] = projection.territory_path[line_at]
        now[t] = utility(state.territory)
        for i, party in enumerate(parties):
            decisive[t, i] = _decisive(
                projection.territory,
                projection.territory_var,
                state.territory,
                direction(party),
                gain,
            )

    # A party with beliefs: particles, reweighted month by month, as many worlds at a time as
    # _RUN particles allow. Particles are dropped as their weights vanish (most within a few
    # months), so the worlds are run together and only each month's projection is cut into arrays
    # of at most _CHUNK particles (:meth:`_Particles.run`): small arrays cost numpy's overhead per
    # call, large ones fall out of the cache.
    step_worlds = max(1, _RUN // copies)
    observes_breaks = learning is not None and learning.observe.breaks is not None
    # Whether each side has broken by the start of each month ``(months, 2, size)``: the reports of
    # ``learning.observe.breaks`` (a collapse is public: reported without error).
    broken = np.stack([s.collapsed for s in outcomes.states]) if observes_breaks else None
    for i, party in enumerate(parties):
        belief = (scenario.beliefs or {}).get(party)
        if belief is None or not belief.war:
            continue
        draws = {
            path: prior.ppf(rng.random((BLOCK, copies))[:size])
            for path, prior in belief.war.items()
        }
        own_valuations = {v: v.of(party, i) for v in dict.fromkeys(valuations)}
        expected[party] = {path: np.empty((months, size)) for path in draws}
        for a in range(0, size, step_worlds):
            b = min(size, a + step_worlds)
            part = _Particles(
                scenario=scenario,
                party=party,
                prior_strength=belief.prior_strength,
                copies=copies,
                horizon=horizon,
                line_at=line_at,
                direction=direction(party),
                gain=gain,
                valuations=tuple(own_valuations[v] for v in valuations),
            )
            out = part.run(
                _particles(p, np.arange(a, b)),
                [state.select(np.arange(a, b)) for state in outcomes.states],
                {path: d[a:b].reshape(-1) for path, d in draws.items()},
                [report[:, a:b] for report in reports],
                None if broken is None else broken[:, :, a:b],
            )
            outcome[:, i, a:b], cost[:, i, a:b] = out["outcome"], out["cost"]
            line[:, i, a:b], decisive[:, i, a:b] = out["line"], out["decisive"]
            ess[:, i, a:b] = out["ess"]
            for path in draws:
                expected[party][path][:, a:b] = out[f"expected {path}"]
    return BlockResult(outcome, cost, types, line, decisive, now, ess, expected)


@dataclass(frozen=True)
class _Particles:
    """One party's particles in a few worlds."""

    scenario: Scenario
    party: str
    prior_strength: float
    copies: int
    horizon: int
    line_at: int
    direction: int
    gain: float
    valuations: tuple[_Valuation, ...]  # per month, this party's utility only

    def run(
        self,
        truth: Parameters,
        states: Sequence[State],
        draws: dict[str, FloatArray],
        reports: Sequence[FloatArray],
        broken: BoolArray | None = None,
    ) -> dict[str, FloatArray]:
        """Per month ``(months, worlds)``: the party's expectation of the outcome utility, the
        discounted cost, the line, the chance of a decisive gain, the effective share of
        particles, and of each parameter it holds beliefs about (``expected PATH``); ``truth``,
        ``states`` and ``reports`` of these worlds only. ``broken`` ``(months, 2, worlds)``:
        whether each side has broken by the start of each month, if the parties observe it
        (``learning.observe.breaks``)."""
        scenario, copies = self.scenario, self.copies
        war = scenario.war
        assert war is not None
        steps = war.steps_per_month
        months, size = len(states), truth.n
        # Particle k of world w has the world's parameters except where beliefs replace them: an
        # array the beliefs leave alone is gathered from the world's (a few hundred values, which
        # stay in the cache) instead of from its copy per particle.
        origin: dict[int, FloatArray] = {}
        copied = tile(truth, copies, origin)  # kept alive while ``origin`` names its arrays
        pp = with_beliefs(scenario, copied, draws)

        def gather(index: npt.NDArray[np.intp]) -> Parameters:
            worlds = index // copies

            def take(a: FloatArray) -> FloatArray:
                source = origin.get(id(a))
                return _gathered(a, index) if source is None else _gathered(source, worlds)

            return _map_samples(pp, take)

        truth_forces = np.repeat(truth.forces, copies, axis=-1)
        ratio = None if np.array_equal(pp.forces, truth_forces) else pp.forces / truth_forces
        collapse = bool(self.valuations[0].terms)
        names = ("outcome", "cost", "line", "decisive", "ess", *(f"expected {x}" for x in draws))
        out = {k: np.empty((months, size)) for k in names}
        log_w = np.zeros(size * copies)
        live = np.arange(size * copies)  # particles still in play (world-major)
        alive = pp
        eta: list[FloatArray] = []
        predicted: list[tuple[FloatArray, FloatArray, float]] = []
        observe = scenario.learning.observe if scenario.learning is not None else None
        breaks = None if broken is None or observe is None else observe.breaks
        first_month = breaks is not None
        predicted_breaks = np.empty((2, 0))
        for t in range(months):
            if t >= 1:
                for c, (mean, var, noise_var) in enumerate(predicted):
                    total = var + noise_var
                    y = reports[c][t][live // copies]
                    ll = -0.5 * ((y - mean) ** 2 / np.maximum(total, _TINY) + np.log(total + _TINY))
                    log_w[live] += eta[c][live // copies] * ll
                if breaks is not None:
                    assert broken is not None
                    log_w[live] += (
                        _break_log_likelihood(
                            predicted_breaks, broken[t - 1], broken[t], live // copies, breaks.error
                        )
                        / self.prior_strength
                    )
            grid = log_w.reshape(size, copies)
            w = np.exp(grid - grid.max(axis=1, keepdims=True))
            w /= w.sum(axis=1, keepdims=True)
            out["ess"][t] = 1.0 / (w**2).sum(axis=1) / copies
            for path, values in draws.items():
                out[f"expected {path}"][t] = _weighted(values, w, copies)
            # A particle whose weight has fallen below 1e-15 / P is dropped for good: all such
            # particles of a world together weigh less than 1e-15.
            keep = w.reshape(-1)[live] >= _NEGLIGIBLE / copies
            if not keep.all():
                log_w[live[~keep]] = -np.inf
                live = live[keep]
                alive = gather(live)
            tiled = _map_state(states[t], partial(_gathered, index=live // copies))
            if ratio is not None:
                tiled.forces *= ratio[:, live]
            valuation = self.valuations[t]
            n = live.size
            value, spent, ahead, chance = (np.empty(n) for _ in range(4))
            means: list[FloatArray] = []
            variances: list[FloatArray] = []
            noises: list[float] = []
            if first_month:
                predicted_breaks = np.empty((2, n))
            # Each particle's projection, in arrays of at most _CHUNK particles (larger ones run
            # slower per element); everything below is computed particle by particle, so the cut
            # changes nothing but the speed.
            for lo in range(0, n, _CHUNK):
                part = slice(lo, min(n, lo + _CHUNK))
                sub, state = alive, tiled
                if n > _CHUNK:
                    sub = _map_samples(alive, partial(_view, part=part))
                    state = _map_state(tiled, partial(_view, part=part))
                projection = project(
                    state, sub, self.horizon, steps, collapse=collapse, first_month=first_month
                )
                assert projection.territory_path is not None
                if projection.collapse_first is not None:
                    predicted_breaks[:, part] = projection.collapse_first
                value[part] = expected_outcome(valuation.utility, valuation.terms, projection)[0]
                own = cost_weights(scenario, sub)[self.party]
                spent[part] = discounted(monthly_costs(own, sub, projection), own.discount_monthly)
                ahead[part] = projection.territory_path[self.line_at]
                chance[part] = _decisive(
                    projection.territory,
                    projection.territory_var,
                    state.territory,
                    self.direction,
                    self.gain,
                )
                channels = _channels(scenario.learning, projection, sub, steps, state.territory)
                for c, (mean, var, noise) in enumerate(channels):
                    if lo == 0:
                        means.append(np.empty(n))
                        variances.append(np.empty(n))
                        noises.append(noise)
                    means[c][part] = mean
                    variances[c][part] = var
            out["outcome"][t] = _live_mean(value, live, w)
            out["cost"][t] = _live_mean(spent, live, w)
            out["line"][t] = _live_mean(ahead, live, w)
            out["decisive"][t] = _live_mean(chance, live, w)
            predicted = list(zip(means, variances, noises, strict=True))
            eta = _temper(eta, predicted, live, size, self.prior_strength, copies)
        return out


def _break_log_likelihood(
    predicted: FloatArray,
    before: BoolArray,
    after: BoolArray,
    worlds: npt.NDArray[np.intp],
    error: float,
) -> FloatArray:
    """Per particle: the log likelihood of the month's report of which armies have broken.

    ``predicted`` ``(2, n)``: each particle's probability that each side has broken by the end of
    the month (the war model's crossing probability from the month's start, ``collapse_first`` of
    :func:`~ceasefire.war.batna.project`); ``before``, ``after`` ``(2, worlds)``: whether each
    side had broken by the start and by the end of the month in the true worlds; ``worlds`` each
    particle's world. A side that had broken already says nothing (every particle predicts it);
    otherwise the report's probability is ``error + (1 - 2 error) q`` if the side broke and one
    minus that if it held (docs/explanation/beliefs.md, section 2)."""
    q = error + (1.0 - 2.0 * error) * predicted
    ll = np.where(after[:, worlds], np.log(q), np.log1p(-q))
    result: FloatArray = np.where(before[:, worlds], 0.0, ll).sum(axis=0)
    return result


def _map_state(state: State, fn: Callable[[Any], Any]) -> State:
    """``state`` with ``fn`` applied to every per-sample array (samples on the last axis)."""
    changes = {
        f.name: fn(getattr(state, f.name))
        for f in dataclasses.fields(state)
        if isinstance(getattr(state, f.name), np.ndarray)
    }
    return dataclasses.replace(state, **changes)


def _gathered(a: FloatArray, index: npt.NDArray[np.intp]) -> FloatArray:
    """The samples of ``a`` at ``index`` (``np.take``: several times faster than ``a[..., index]``
    on a two-dimensional array)."""
    result: FloatArray = np.take(a, index, axis=-1)
    return result


def _view(a: FloatArray, part: slice) -> FloatArray:
    """The samples of ``a`` in ``part`` (a view: no copy)."""
    return a[..., part]


def _live_mean(values: FloatArray, live: npt.NDArray[np.intp], w: FloatArray) -> FloatArray:
    """Per world: the weighted mean of ``values``, given for the particles at ``live`` (flat
    indices into the ``(worlds, P)`` weights ``w``; the others weigh nothing)."""
    full = np.zeros(w.size)
    full[live] = values
    return _weighted(full, w, w.shape[1])


def _particles(p: Parameters, index: npt.NDArray[np.intp]) -> Parameters:
    """The parameters of the samples at ``index``."""

    return _map_samples(p, partial(_gathered, index=index))


def _temper(
    eta: list[FloatArray],
    predicted: Sequence[tuple[FloatArray, FloatArray, float]],
    live: npt.NDArray[np.intp],
    size: int,
    kappa: float,
    copies: int,
) -> list[FloatArray]:
    """Each channel's tempering per world, fixed at the first month whose predictions under the
    prior spread (:func:`_tempering`); until then 0: the channel has said nothing about the
    beliefs. (Where aid reaches the front with a lag, the first month's predictions may not
    depend on a belief about aid, and later ones do.) ``predicted`` is given for the particles at
    ``live``; a world whose tempering is still 0 has all its particles there."""
    if not eta:
        eta = [np.zeros(size) for _ in predicted]
    out = []
    for current, (mean, var, _) in zip(eta, predicted, strict=True):
        waiting = current == 0
        if not waiting.any():
            out.append(current)
            continue
        full_mean, full_var = np.zeros(size * copies), np.zeros(size * copies)
        full_mean[live] = mean
        full_var[live] = np.broadcast_to(var, mean.shape)
        out.append(np.where(waiting, _tempering(full_mean, full_var, kappa, copies), current))
    return out


def _tempering(mean: FloatArray, var: FloatArray, kappa: float, copies: int) -> FloatArray:
    """Per world: ``eta = s^2 / (kappa tau^2)``, ``tau^2`` the spread of the particles' predicted
    means under the prior and ``s^2`` their mean process variance (0 if the prior predicts one
    value: the channel then says nothing about the beliefs)."""
    means = mean.reshape(-1, copies)
    tau2 = means.var(axis=1)
    s2 = np.broadcast_to(var, mean.shape).reshape(-1, copies).mean(axis=1)
    scale = np.maximum(np.abs(means).max(axis=1), 1.0)
    informative = tau2 > 1e-18 * scale**2
    result: FloatArray = np.where(informative, s2 / (kappa * np.where(informative, tau2, 1.0)), 0.0)
    return result


# ---- the result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Beliefs:
    """The belief model's result, month by month (months ``0 .. months - 1``)."""

    parties: tuple[str, ...]
    sides: tuple[str, str]
    veto: tuple[str, ...]
    settings: Settings
    reservations: FloatArray  # (months, parties, worlds): own value of no deal
    line: FloatArray  # (months, parties, worlds)
    hurting: BoolArray  # (months, parties, worlds)
    p_zopa: FloatArray  # (months,)
    p_agreement: FloatArray  # (months,)
    belief_gap: FloatArray  # (months,)
    converged_gap: float
    reported: tuple[str, ...]  # parties whose expected line is reported
    believers: tuple[str, ...]  # parties with beliefs of their own
    ess: FloatArray  # (months, parties): mean effective share of particles
    # Per party with beliefs and belief path: its expectation of the parameter (months, worlds).
    expected_parameters: dict[str, dict[str, FloatArray]] = dataclasses.field(default_factory=dict)

    @property
    def months(self) -> int:
        return int(self.p_zopa.shape[0])

    @property
    def first_converged_month(self) -> int | None:
        hits = np.flatnonzero(self.belief_gap < self.converged_gap)
        return int(hits[0]) if hits.size else None

    def to_dict(self) -> dict[str, Any]:
        """The ``beliefs`` entry of ``analyze --json`` (docs/reference/analyze-json.md)."""
        index = {party: i for i, party in enumerate(self.parties)}

        def series(values: FloatArray) -> list[float]:
            return [float(x) for x in values]

        return {
            "month_index": list(range(self.months)),
            "worlds": self.settings.worlds,
            "particles": self.settings.particles,
            "horizon_months": self.settings.horizon,
            "line_months": min(LINE_MONTHS, self.settings.horizon),
            "p_zopa_own_beliefs": series(self.p_zopa),
            "p_agreement_best_offer": series(self.p_agreement),
            "expected_line": {
                party: series(self.line[:, index[party]].mean(axis=1)) for party in self.reported
            },
            "belief_gap": series(self.belief_gap),
            "converged_gap": self.converged_gap,
            "first_converged_month": self.first_converged_month,
            "hurting_stalemate": {
                party: series(self.hurting[:, index[party]].mean(axis=1)) for party in self.sides
            },
            "effective_particles": {
                party: series(self.ess[:, index[party]]) for party in self.believers
            },
        }


def belief_model(
    scenario: Scenario,
    points: npt.ArrayLike,
    *,
    worlds: int = DEFAULT_WORLDS,
    particles: int = DEFAULT_PARTICLES,
    seed: int = 0,
    months: int | None = None,
    horizon: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
    points_at: Callable[[Scenario, int], npt.ArrayLike] | None = None,
) -> Beliefs:
    """Run the belief model of ``scenario`` on ``worlds`` true worlds and ``particles`` particles.

    ``points``: the veto parties' utilities ``(m, d)`` at the red-line-free Pareto-optimal packages
    (:func:`~ceasefire.war.ripeness.red_line_free_points`), in scenario order of the veto parties.
    ``horizon`` defaults to ``war.horizon_months`` and ``months`` to the horizon, as in
    :func:`~ceasefire.war.batna.reservation_values`.

    The scenario's ``events:`` (:mod:`ceasefire.scenario.events`) apply from their month, as in
    ripeness (:func:`~ceasefire.analysis.dated_ripeness`): each month's values of no deal, zone,
    best offer and stalemate use the preferences, red lines and options in force that month.
    ``points_at(scenario, first)`` gives the frontier points of the scenario as it stands from
    month ``first`` on (default: the red-line-free Pareto-optimal packages of its nominal
    problem); ``points`` are those at ``as_of``.
    """
    from ceasefire.bargaining.from_scenario import build_problem
    from ceasefire.executor import SerialExecutor

    war = scenario.war
    if war is None:
        raise ValueError(f"scenario '{scenario.id}' has no war section")
    horizon = war.horizon_months if horizon is None else horizon
    months = horizon if months is None else months
    if worlds < 1 or particles < 1 or months < 1 or horizon < 1:
        raise ValueError("need worlds, particles, months and horizon >= 1")
    settings = Settings(worlds, particles, months, horizon, seed)
    tasks = [(b, min(BLOCK, worlds - b * BLOCK)) for b in range(math.ceil(worlds / BLOCK))]
    executor = executor or SerialExecutor()
    parts = executor.map(partial(_block, scenario, settings), tasks, progress)

    def joined(name: str) -> FloatArray:
        return np.concatenate([getattr(part, name) for part in parts], axis=-1)

    outcome, cost, types = joined("outcome"), joined("cost"), joined("types")
    parties = tuple(x.id for x in scenario.parties)
    sides = war.side_ids()
    veto = tuple(x.id for x in scenario.veto_parties)
    own = types[None, :, :] * cost
    reservations = outcome - own
    columns = [parties.index(v) for v in veto]
    # The zone and the best offer month by month, on the scenario as it stands each month
    # (``events:``): each stretch of months that no event changes with its own frontier points.
    zones, agreements = [], []
    for first, end, current in epochs(scenario, months):
        if first == 0:
            u = np.asarray(points, dtype=float)
        elif points_at is None:
            u = red_line_free_points(build_problem(current, {x.id: 0.0 for x in current.parties}))
        else:
            u = np.asarray(points_at(current, first), dtype=float)
        zones.append(ripeness(u, reservations[first:end][:, columns, :], veto))
        agreements.append(
            best_offer_agreement(
                u,
                outcome[first:end][:, columns],
                cost[first:end][:, columns],
                types[columns],
                [(scenario.private or {}).get(v) for v in veto],
                [i for i, v in enumerate(veto) if v in sides] or list(range(len(veto))),
            )
        )
    zone = joined_ripeness(zones)

    learning = scenario.learning or Learning()
    issue = scenario.issue(war.front.issue)
    assert issue.range is not None
    span = float(issue.range[1] - issue.range[0])
    stalemate = learning.stalemate
    now, decisive = joined("now"), joined("decisive")
    expected_gain = np.maximum(outcome - now, 0.0)
    hurting = (
        (decisive < stalemate.p_decisive_below)
        & (own > stalemate.cost_rate_above * expected_gain)
        & (own > 0)
    )
    line = joined("line")
    s0, s1 = parties.index(sides[0]), parties.index(sides[1])
    gap = np.abs(line[:, s0] - line[:, s1]).mean(axis=1)
    believers = tuple(p for p, b in (scenario.beliefs or {}).items() if b.war)
    reported = tuple(dict.fromkeys([*sides, *believers]))
    ess = np.concatenate([part.ess for part in parts], axis=-1).mean(axis=-1)
    expected = {
        party: {
            path: np.concatenate([part.expected[party][path] for part in parts], axis=-1)
            for path in paths
        }
        for party, paths in parts[0].expected.items()
    }
    return Beliefs(
        parties=parties,
        sides=sides,
        veto=veto,
        settings=settings,
        reservations=reservations,
        line=line,
        hurting=hurting,
        p_zopa=zone.p_zopa,
        p_agreement=np.concatenate(agreements),
        belief_gap=gap,
        converged_gap=learning.converged_gap_pct / 100 * span,
        reported=reported,
        believers=believers,
        ess=ess,
        expected_parameters=expected,
    )


# ---- private information: the best take-it-or-leave-it offer ----------------------------------


def _type_table(private: Any) -> FloatArray | None:
    """Quantiles of a party's cost multiplier, or None if it has no private type."""
    if private is None:
        return None
    dist: Distribution = private.cost_multiplier
    u = (np.arange(_TYPE_GRID) + 0.5) / _TYPE_GRID
    return np.sort(dist.ppf(u))


def acceptance(
    utility: FloatArray, outcome: FloatArray, cost: FloatArray, table: FloatArray | None
) -> FloatArray:
    """The proposer's probability that a responder accepts packages worth ``utility`` to it.

    The responder's value of no deal is ``outcome - c cost`` with ``c`` its cost multiplier, which
    the proposer knows only through its distribution (``table``: its quantiles); it accepts when
    the package gives it at least that (within :data:`TOLERANCE`). Arrays broadcast.
    """
    short = outcome - utility - TOLERANCE  # accept iff c * cost >= short
    if table is None:
        result: FloatArray = (short <= cost).astype(float)
        return result
    n = table.size
    short, cost = np.broadcast_arrays(short, cost)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = short / cost
    gains, loses = cost > 0, cost < 0
    if gains.all():  # the usual case: fighting on costs the responder
        result = 1.0 - np.searchsorted(table, z, side="left") / n  # P(c >= z)
        return result
    result = (short <= 0).astype(float)  # no cost: it accepts when the package is enough
    result[gains] = 1.0 - np.searchsorted(table, z[gains], side="left") / n  # P(c >= z)
    result[loses] = np.searchsorted(table, z[loses], side="right") / n  # P(c <= z)
    return result


def best_offer_agreement(
    points: FloatArray,
    outcome: FloatArray,
    cost: FloatArray,
    types: FloatArray,
    private: Sequence[Any],
    proposers: Sequence[int],
    *,
    expected: bool = False,
) -> FloatArray:
    """``(months,)``: the share of worlds (and of proposers, each equally likely to propose) in
    which the proposer's best take-it-or-leave-it offer is accepted by every other veto party.

    ``points`` ``(m, d)``: the veto parties' utilities of the candidate packages; ``outcome``,
    ``cost`` ``(months, d, n)`` each party's own expectation of the outcome utility and discounted
    cost at multiplier 1; ``types`` ``(d, n)`` the multipliers drawn in each world; ``private``
    per party its private type (None: it has none, and everyone knows its value of no deal).

    The proposer ``p`` knows its own value ``r_p``; it offers the package ``x`` that maximises its
    expected utility ``P(x) U_p(x) + (1 - P(x)) r_p`` over packages with ``U_p(x) >= r_p``, where
    ``P(x)`` is the product over responders of :func:`acceptance` [Fearon1995]; among equally good
    offers it makes the one most likely to be accepted. The offer is accepted in a world when every
    responder's true value of no deal is met. With ``expected``: the proposer's own probability
    that its best offer is accepted, averaged over worlds, instead.
    """
    months, _, n = outcome.shape
    tables = [_type_table(x) for x in private]
    result = np.zeros(months)
    for t in range(months):
        r_true = outcome[t] - types * cost[t]  # (d, n)
        accepted = 0.0
        for proposer in proposers:
            realised, chance = _accepted(points, outcome[t], cost[t], r_true, tables, proposer)
            accepted += chance if expected else realised
        result[t] = accepted / (n * len(proposers))
    return result


def _accepted(
    points: FloatArray,
    outcome: FloatArray,
    cost: FloatArray,
    r_true: FloatArray,
    tables: Sequence[FloatArray | None],
    proposer: int,
) -> tuple[float, float]:
    """In how many worlds ``proposer``'s best offer is accepted, and the sum over worlds of the
    proposer's probability that it is (see :func:`best_offer_agreement`). The worlds are taken a
    few at a time, so that the (worlds, packages) arrays stay in the processor's cache."""
    d, n = r_true.shape
    unknown = [j for j in range(d) if j != proposer and tables[j] is not None]
    known = [j for j in range(d) if j != proposer and tables[j] is None]
    step = max(1, _OFFER_CELLS // max(points.shape[0], 1))
    utilities = np.ascontiguousarray(points.T)  # (d, m): each party's utilities, contiguous
    count = 0
    chances = []
    for a in range(0, n, step):
        b = min(n, a + step)
        # Packages the proposer prefers to no deal and every responder without a private type
        # accepts.
        live = utilities[proposer][None, :] >= r_true[proposer, a:b, None] - TOLERANCE
        enough = np.empty_like(live)
        for j in known:
            live &= np.greater_equal(
                utilities[j][None, :], r_true[j, a:b, None] - TOLERANCE, out=enough
            )
        if not unknown:  # every offer's fate is known: agreement exactly when a zone exists
            count += int(live.any(axis=1).sum())
            continue
        rows, cols = np.nonzero(live)  # row-major: grouped by world
        if rows.size == 0:
            continue
        rows += a
        chance = np.ones(rows.size)
        for j in unknown:
            chance *= acceptance(utilities[j][cols], outcome[j, rows], cost[j, rows], tables[j])
        score = chance * np.maximum(utilities[proposer][cols] - r_true[proposer, rows], 0.0)
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        group = np.cumsum(np.r_[False, rows[1:] != rows[:-1]])
        best = np.maximum.reduceat(score, starts)[group]
        key = np.where(score >= best - _TINY, chance, -1.0)
        top = np.maximum.reduceat(key, starts)[group]
        first = np.flatnonzero(key == top)  # ascending, so grouped by world
        opens = np.r_[True, group[first][1:] != group[first][:-1]]
        pick = first[opens]  # one entry per world that has a live package
        ok = chance[pick] > 0
        for j in unknown:
            ok &= utilities[j][cols[pick]] >= r_true[j, rows[pick]] - TOLERANCE
        count += int(ok.sum())
        chances.append(chance[pick])
    if not unknown:
        return float(count), float(count)
    # One sum over every world, in world order (as if the worlds were taken all at once).
    return float(count), float(np.concatenate(chances).sum()) if chances else 0.0


__all__ = [
    "DEFAULT_PARTICLES",
    "DEFAULT_WORLDS",
    "LINE_MONTHS",
    "Beliefs",
    "acceptance",
    "belief_model",
    "best_offer_agreement",
    "tile",
    "with_beliefs",
]
