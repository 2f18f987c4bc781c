"""The campaign model: a stochastic, month-by-month war of attrition along one front.

Vectorised over Monte Carlo samples: every quantity is an array with one entry per sample, and the
model steps all samples at once, month by month (or ``steps_per_month`` steps a month, aggregated to
months). Each sample draws its own parameters from the scenario's distributions (what the analyst does
not know) and its own monthly shocks (what nobody can know), so the spread of the results carries both.

One step of length ``dt`` months, for side ``j`` facing side ``i`` (``docs/explanation/war-model.md``
derives and sources each line):

- effective strength ``S_j = e_j F_j``: forces ``F_j`` times effectiveness ``e_j`` (the aid
  multiplier ``m_j``, times ``collapse_effectiveness`` once the side has broken);
- exposure ``h_j = 1 + (d - 1) a_j + (c_i - 1) a_i``: attacking on a share ``a_j`` of the front costs
  ``d`` times the defender's losses there (the defence advantage [Mearsheimer1989]), and the enemy's
  concentration ``c_i`` where it attacks raises losses there;
- casualties ``C_j = lethality_i S_i h_j dt * exp(s Z - s^2/2)``: aimed fire, proportional to the
  enemy's numbers [Lanchester1916], overdispersed (heavy-tailed) with log sd ``s``;
- forces ``F_j += recruits_j dt - loss_fraction_j C_j``;
- local force ratio at the main effort ``rho_j = c_j S_j / S_i``; attritional creep
  ``a_j L v (rho_j / d) dt`` km2; a breakthrough with probability ``1 / (1 + (d / rho_j)^k)`` a
  month, gaining ``breakthrough_km2`` (one half when ``rho_j = d``: a breakthrough needs a local
  superiority of the order of the defence advantage);
- territory moves by the difference of the two sides' gains over ``km2_per_unit``, within the issue's
  range;
- a side whose forces fall below ``break_force_fraction`` of the start, or whose casualties exceed
  ``break_casualties``, collapses: its effectiveness drops to ``collapse_effectiveness``, it stops
  attacking and loses its defence advantage;
- a catastrophic escalation happens with a monthly hazard that rises linearly from ``base_monthly``
  to ``threatened_monthly`` as the issue moves from ``threat_starts_at`` to ``threat_full_at`` (a
  nuclear power losing territory it holds vital), and is at its top if that side collapses.

With a ``war.campaign`` block, one side's attack follows an attritional campaign after Epstein's
adaptive dynamic model [Epstein1985] instead of creep and breakthroughs: its tempo adapts to its
tolerable attrition (capped by what its recruitment replaces), and it buys ground with casualties at
a price set by the defender's effective strength and, optionally, defensive belts
(:func:`_campaign_attack`); the defender stays on the defensive if the block says so, and military aid
reaches the front with a lag. Without the block nothing changes, draw for draw.

The same step runs in *expectation mode* (shocks replaced by their means, breakthroughs by their
expected gain, escalation by its probability): :mod:`ceasefire.war.batna` uses it to project what a
party expects from fighting on from a given month.

Randomness: samples are grouped in blocks of :data:`BLOCK`; block ``b`` draws from its own stream
``SeedSequence(seed, spawn_key=(b,))`` (what ``SeedSequence(seed).spawn`` would give as child ``b``),
always a full block's worth, parameters first and then month after month. So a sample's results do not
depend on how many samples or months are run, and runs split at block boundaries (as a parallel sweep
would) give identical results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

from ceasefire.scenario.distributions import Distribution
from ceasefire.scenario.model import Scenario
from ceasefire.scenario.war import WarSection

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

BLOCK = 256
"""Samples per random stream; split runs at multiples of it to get identical results."""

_NORMALS = 4  # per step and sample: casualty shock x2, creep shock x2
_UNIFORMS = 3  # per step and sample: breakthrough x2, escalation
_TINY = 1e-12


# ---- parameters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameters:
    """Every parameter of the war section, drawn once per sample.

    Side arrays have shape ``(2, n)`` (side order of the file), others ``(n,)``; aid arrays
    ``(n_aid, n)``. Missing optional parameters take neutral values (no breaking point, no aid
    effect, no escalation).
    """

    sides: tuple[str, str]
    forces: FloatArray
    recruits: FloatArray
    loss_fraction: FloatArray
    lethality: FloatArray
    attack_share: FloatArray
    concentration: FloatArray
    spending: FloatArray
    break_force_fraction: FloatArray
    break_casualties: FloatArray
    aid_max_gain: FloatArray
    aid_half: FloatArray
    aid_reference: FloatArray
    defence_advantage: FloatArray
    breakthrough_slope: FloatArray
    casualty_sigma: FloatArray
    collapse_effectiveness: FloatArray
    length_km: FloatArray
    km2_per_unit: FloatArray
    creep_km: FloatArray
    ground_sigma: FloatArray
    breakthrough_km2: FloatArray
    aid_parties: tuple[str, ...]
    aid_to: tuple[int, ...]
    aid_military: FloatArray
    aid_other: FloatArray
    escalation_side: int  # -1: no escalation model
    escalation_base: FloatArray
    escalation_threatened: FloatArray
    threat_starts_at: float
    threat_full_at: float
    gains_for: int
    territory_range: tuple[float, float]
    territory_start: float
    costs: Mapping[str, Mapping[str, FloatArray]] = field(default_factory=dict)
    campaign: CampaignParameters | None = None

    @property
    def n(self) -> int:
        return int(self.forces.shape[1])

    def take(self, index: npt.ArrayLike) -> Parameters:
        """The parameters of samples ``index`` (in that order, repeats allowed): every per-sample
        array, cost weight and campaign parameter."""
        from dataclasses import fields, replace

        pick = np.asarray(index, dtype=np.intp)
        n = self.n
        changes: dict[str, Any] = {
            f.name: getattr(self, f.name)[..., pick]
            for f in fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
            and getattr(self, f.name).ndim
            and getattr(self, f.name).shape[-1] == n
        }
        changes["costs"] = {
            party: {name: value[pick] for name, value in weights.items()}
            for party, weights in self.costs.items()
        }
        if self.campaign is not None:
            changes["campaign"] = self.campaign.take(pick)
        return replace(self, **changes)

    def scaled_aid(self, aid_scale: float) -> Parameters:
        """The same parameters with every patron's aid multiplied by ``aid_scale``."""
        from dataclasses import replace

        return replace(
            self,
            aid_military=self.aid_military * aid_scale,
            aid_other=self.aid_other * aid_scale,
        )


@dataclass(frozen=True)
class CampaignParameters:
    """The attritional campaign's parameters (``war.campaign``), per sample ``(n,)``; optional ones
    the file omits take neutral values (no belts: factor 0; no aid lag: 0 months)."""

    attacker: int
    attrition_start: FloatArray
    tolerable_attrition: FloatArray
    adaptation_months: FloatArray
    casualties_per_km2: FloatArray
    defender_attack_share: FloatArray  # NaN: the defender's own attack share
    belt_spacing_km: FloatArray
    belt_cost_factor: FloatArray
    aid_lag_months: FloatArray

    def take(self, index: npt.NDArray[np.intp]) -> CampaignParameters:
        """The parameters of samples ``index``."""
        from dataclasses import replace

        return replace(self, **{name: getattr(self, name)[index] for name in _CAMPAIGN_FIELDS})


_CAMPAIGN_FIELDS = (
    "attrition_start",
    "tolerable_attrition",
    "adaptation_months",
    "casualties_per_km2",
    "defender_attack_share",
    "belt_spacing_km",
    "belt_cost_factor",
    "aid_lag_months",
)


def _dists(war: WarSection) -> list[tuple[str, Distribution | None]]:
    """Every parameter slot in a fixed order; ``None`` for an optional one the file omits."""
    slots: list[tuple[str, Distribution | None]] = []
    for index, side in enumerate(war.sides):
        for name in (
            "forces",
            "recruits_per_month",
            "casualty_loss_fraction",
            "lethality",
            "attack_share",
            "concentration",
            "spending_usd_bn_per_month",
            "break_force_fraction",
            "break_casualties",
            "aid_max_gain",
            "aid_half_usd_bn_per_month",
            "aid_reference_usd_bn_per_month",
        ):
            slots.append((f"sides.{index}.{name}", getattr(side, name)))
    for name in (
        "defence_advantage",
        "breakthrough_slope",
        "casualty_sigma",
        "collapse_effectiveness",
    ):
        slots.append((f"combat.{name}", getattr(war.combat, name)))
    for name in (
        "length_km",
        "km2_per_unit",
        "creep_km_per_month",
        "ground_sigma",
        "breakthrough_km2",
    ):
        slots.append((f"front.{name}", getattr(war.front, name)))
    for index, aid in enumerate(war.aid):
        slots.append((f"aid.{index}.military", aid.military_usd_bn_per_month))
        slots.append((f"aid.{index}.other", aid.other_usd_bn_per_month))
    escalation = war.escalation
    slots.append(("escalation.base", escalation.base_monthly if escalation else None))
    slots.append(("escalation.threatened", escalation.threatened_monthly if escalation else None))
    for party_id, costs in war.costs.items():
        for name in (
            "per_10k_casualties",
            "per_10bn_usd",
            "escalation",
            "per_month",
            "discount_monthly",
        ):
            slots.append((f"costs.{party_id}.{name}", getattr(costs, name)))
    if war.campaign is not None:  # appended: without a campaign the draws are unchanged
        for name in _CAMPAIGN_FIELDS:
            slots.append((f"campaign.{name}", getattr(war.campaign, name)))
    return slots


def _stream(seed: int, block: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def _blocks(first_sample: int, n: int) -> list[tuple[int, int, int]]:
    """``(block, start, stop)`` slices of each block that samples ``first..first+n`` touch."""
    if first_sample % BLOCK:
        raise ValueError(f"first_sample must be a multiple of {BLOCK}")
    result = []
    for start in range(first_sample, first_sample + n, BLOCK):
        stop = min(start + BLOCK, first_sample + n)
        result.append((start // BLOCK, 0, stop - start))
    return result


def sample_parameters(
    scenario: Scenario,
    n: int,
    rngs: Sequence[np.random.Generator],
    sizes: Sequence[int],
) -> Parameters:
    """Draw every parameter for ``n`` samples from per-block streams (``sizes[b]`` samples each)."""
    war = scenario.war
    if war is None:
        raise ValueError(f"scenario '{scenario.id}' has no war section")
    slots = _dists(war)
    # A full block of uniforms per stream, sample-major, so that a sample's draws never depend on n.
    u = np.concatenate(
        [rng.random((BLOCK, len(slots)))[:size] for rng, size in zip(rngs, sizes, strict=True)]
    ).T
    values: dict[str, FloatArray] = {}
    for row, (name, dist) in enumerate(slots):
        values[name] = dist.ppf(u[row]) if dist is not None else np.full(n, np.nan)

    def side(name: str, default: float) -> FloatArray:
        out = np.stack([values[f"sides.{k}.{name}"] for k in range(2)])
        return np.where(np.isnan(out), default, out)

    issue = scenario.issue(war.front.issue)
    assert issue.range is not None and not isinstance(issue.status_quo, str)
    side_ids = war.side_ids()
    escalation = war.escalation
    costs: dict[str, dict[str, FloatArray]] = {
        party_id: {
            name: values[f"costs.{party_id}.{name}"]
            for name in (
                "per_10k_casualties",
                "per_10bn_usd",
                "escalation",
                "per_month",
                "discount_monthly",
            )
        }
        for party_id in war.costs
    }
    aid_military = np.array([values[f"aid.{k}.military"] for k in range(len(war.aid))]).reshape(
        len(war.aid), n
    )
    aid_other = np.array([values[f"aid.{k}.other"] for k in range(len(war.aid))]).reshape(
        len(war.aid), n
    )
    campaign = None
    if war.campaign is not None:

        def drawn(name: str, default: float) -> FloatArray:
            result: FloatArray = np.where(
                np.isnan(values[f"campaign.{name}"]), default, values[f"campaign.{name}"]
            )
            return result

        campaign = CampaignParameters(
            attacker=side_ids.index(war.campaign.attacker),
            attrition_start=values["campaign.attrition_start"],
            tolerable_attrition=values["campaign.tolerable_attrition"],
            adaptation_months=values["campaign.adaptation_months"],
            casualties_per_km2=values["campaign.casualties_per_km2"],
            defender_attack_share=values["campaign.defender_attack_share"],
            belt_spacing_km=drawn("belt_spacing_km", 1.0),
            belt_cost_factor=drawn("belt_cost_factor", 0.0),
            aid_lag_months=drawn("aid_lag_months", 0.0),
        )
    return Parameters(
        sides=side_ids,
        forces=side("forces", 1.0),
        recruits=side("recruits_per_month", 0.0),
        loss_fraction=side("casualty_loss_fraction", 1.0),
        lethality=side("lethality", 0.0),
        attack_share=side("attack_share", 0.0),
        concentration=side("concentration", 1.0),
        spending=side("spending_usd_bn_per_month", 0.0),
        break_force_fraction=side("break_force_fraction", 0.0),
        break_casualties=side("break_casualties", np.inf),
        aid_max_gain=side("aid_max_gain", 0.0),
        aid_half=side("aid_half_usd_bn_per_month", 1.0),
        aid_reference=side("aid_reference_usd_bn_per_month", 0.0),
        defence_advantage=values["combat.defence_advantage"],
        breakthrough_slope=values["combat.breakthrough_slope"],
        casualty_sigma=values["combat.casualty_sigma"],
        collapse_effectiveness=values["combat.collapse_effectiveness"],
        length_km=values["front.length_km"],
        km2_per_unit=values["front.km2_per_unit"],
        creep_km=values["front.creep_km_per_month"],
        ground_sigma=values["front.ground_sigma"],
        breakthrough_km2=values["front.breakthrough_km2"],
        aid_parties=tuple(a.party for a in war.aid),
        aid_to=tuple(side_ids.index(a.to) for a in war.aid),
        aid_military=aid_military,
        aid_other=aid_other,
        escalation_side=side_ids.index(escalation.nuclear_side) if escalation else -1,
        escalation_base=np.nan_to_num(values["escalation.base"]),
        escalation_threatened=np.nan_to_num(values["escalation.threatened"]),
        threat_starts_at=escalation.threat_starts_at if escalation else 0.0,
        threat_full_at=escalation.threat_full_at if escalation else 1.0,
        gains_for=side_ids.index(war.front.gains_for),
        territory_range=(float(issue.range[0]), float(issue.range[1])),
        territory_start=float(issue.status_quo),
        costs=costs,
        campaign=campaign,
    )


def aid_multiplier(p: Parameters) -> FloatArray:
    """``(2, n)``: each side's effectiveness relative to the reference aid level.

    ``m = (1 + g A / (A + A_half)) / (1 + g A_ref / (A_ref + A_half))``: aid raises effectiveness
    with diminishing returns (a saturating, Michaelis-Menten curve), equal to 1 at the aid level
    the side's lethality was calibrated at.
    """
    received = np.zeros_like(p.forces)
    for k, to in enumerate(p.aid_to):
        received[to] += p.aid_military[k]
    gain = p.aid_max_gain
    now = 1 + gain * received / (received + p.aid_half)
    ref = 1 + gain * p.aid_reference / (p.aid_reference + p.aid_half)
    result: FloatArray = now / ref
    return result


FAR = 40.0
"""Beyond this many standard deviations from the kink, the normal hinge's expectation is
``max(mean - c, 0)`` to the last bit: ``Phi`` rounds to 0 or 1 and the density to 0."""


def expected_hinge(c: FloatArray | float, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """``E[(T - c)+]`` for ``T ~ N(mean, sd^2)`` (``max(mean - c, 0)`` where ``sd`` is 0).

    ``z Phi(z / sd) + sd phi(z / sd)`` with ``z = mean - c``, evaluated only where the kink lies
    within :data:`FAR` standard deviations (elsewhere it equals ``max(z, 0)`` exactly): in the
    war model's projections most kinks of the value functions are far from the front.
    """
    z, spread = np.broadcast_arrays(np.subtract(mean, c), np.asarray(sd, dtype=float))
    return _hinge(z, np.maximum(spread, _TINY), spread > 0)


def _hinge(z: FloatArray, safe: FloatArray, positive: BoolArray) -> FloatArray:
    """:func:`expected_hinge` from ``z = mean - c``, ``safe = max(sd, tiny)`` and ``sd > 0``."""
    ratio = z / safe
    near = positive & (np.abs(ratio) < FAR)
    if near.all():  # every kink near: the same numbers without gathering them
        every: FloatArray = z * special.ndtr(ratio) + safe * np.exp(-0.5 * ratio**2) / _ROOT_2PI
        return every
    result: FloatArray = np.maximum(z, 0.0)
    if near.any():
        r, zn, sn = ratio[near], z[near], safe[near]
        result[near] = zn * special.ndtr(r) + sn * np.exp(-0.5 * r**2) / _ROOT_2PI
    return result


_ROOT_2PI = math.sqrt(2 * math.pi)


class NormalHinges:
    """:func:`expected_hinge` at several kinks for one ``mean`` and ``sd``: what does not depend
    on the kink is computed once, and each kink once (the same numbers, kink by kink)."""

    def __init__(self, mean: FloatArray, sd: FloatArray) -> None:
        spread = np.asarray(sd, dtype=float)
        self.shape = np.broadcast_shapes(np.shape(mean), spread.shape)
        self.mean = mean
        spread = np.broadcast_to(spread, self.shape)
        self.safe = np.maximum(spread, _TINY)
        self.positive = spread > 0
        self.done: dict[float, FloatArray] = {}

    def at(self, c: float) -> FloatArray:
        """``E[(T - c)+]``."""
        found = self.done.get(c)
        if found is None:
            z = np.broadcast_to(np.subtract(self.mean, c), self.shape)
            found = self.done[c] = _hinge(z, self.safe, self.positive)
        return found


def expected_ramp(mean: FloatArray, sd: FloatArray, start: float, full: float) -> FloatArray:
    """``E[clip((T - start) / (full - start), 0, 1)]`` for ``T ~ N(mean, sd^2)``: a difference
    of two hinges, whichever way the ramp runs."""
    if full > start:
        up = NormalHinges(mean, sd)
        value = up.at(start) - up.at(full)
        result: FloatArray = value / (full - start)
    else:
        down = NormalHinges(-mean, sd)
        value = down.at(-start) - down.at(-full)
        result = value / (start - full)
    return result


# ---- state and one step ---------------------------------------------------------------------------


@dataclass
class State:
    """The war at one moment, for every sample (arrays are updated in place by :func:`step`)."""

    forces: FloatArray  # (2, n)
    casualties: FloatArray  # (2, n) cumulative from the scenario date
    territory: FloatArray  # (n,)
    collapsed: BoolArray  # (2, n)
    escalated: BoolArray  # (n,) a catastrophic escalation has happened (stochastic mode)
    no_escalation: FloatArray  # (n,) probability of no escalation so far (expectation mode)
    territory_var: FloatArray  # (n,) variance of the territory around its expected path (idem)
    elapsed: float = 0.0  # months since the scenario date
    # The campaign (``war.campaign``) only: the attacker's prosecution rate (monthly attack
    # casualties over its forces; ``None`` until the first step sets it) and the depth (km) it has
    # advanced into the defences.
    prosecution: FloatArray | None = None  # (n,)
    depth: FloatArray | None = None  # (n,)

    @classmethod
    def start(cls, p: Parameters) -> State:
        n = p.n
        return cls(
            forces=p.forces.copy(),
            casualties=np.zeros((2, n)),
            territory=np.full(n, p.territory_start),
            collapsed=np.zeros((2, n), dtype=bool),
            escalated=np.zeros(n, dtype=bool),
            no_escalation=np.ones(n),
            territory_var=np.zeros(n),
            depth=np.zeros(n) if p.campaign is not None else None,
        )

    def copy(self) -> State:
        return State(
            forces=self.forces.copy(),
            casualties=self.casualties.copy(),
            territory=self.territory.copy(),
            collapsed=self.collapsed.copy(),
            escalated=self.escalated.copy(),
            no_escalation=self.no_escalation.copy(),
            territory_var=self.territory_var.copy(),
            elapsed=self.elapsed,
            prosecution=None if self.prosecution is None else self.prosecution.copy(),
            depth=None if self.depth is None else self.depth.copy(),
        )

    def select(self, index: npt.NDArray[np.intp]) -> State:
        return State(
            forces=self.forces[:, index],
            casualties=self.casualties[:, index],
            territory=self.territory[index],
            collapsed=self.collapsed[:, index],
            escalated=self.escalated[index],
            no_escalation=self.no_escalation[index],
            territory_var=self.territory_var[index],
            elapsed=self.elapsed,
            prosecution=None if self.prosecution is None else self.prosecution[index],
            depth=None if self.depth is None else self.depth[index],
        )


@dataclass(frozen=True)
class StepResult:
    """What one step produced (per sample): casualties ``(2, n)``, ground ``(2, n)`` km2 gained
    by each side, breakthroughs ``(2, n)`` (count or expected count), and escalation (event or
    probability) ``(n,)``."""

    casualties: FloatArray
    gained_km2: FloatArray
    breakthroughs: FloatArray
    escalation: FloatArray


class Kernel:
    """What :func:`step` needs, computed once per run from the parameters (all per sample)."""

    def __init__(self, p: Parameters, dt: float) -> None:
        self.p = p
        self.dt = dt
        aid = aid_multiplier(p)
        self.effectiveness = aid
        self.effectiveness_broken = aid * p.collapse_effectiveness
        self.d = p.defence_advantage
        self.d_minus_one = self.d - 1
        self.concentration_other = p.concentration[::-1] - 1
        self.creep = p.length_km * p.creep_km * dt
        self.half_cas_var = 0.5 * p.casualty_sigma**2
        self.half_ground_var = 0.5 * p.ground_sigma**2
        self.ground_moment = np.exp(p.ground_sigma**2)  # E[shock^2] of a mean-one lognormal
        # Constants of the expectation step's spread (the same numbers it would compute each step).
        self.ground_excess = self.ground_moment - 1
        self.breakthrough_km2_sq = p.breakthrough_km2**2
        self.km2_per_unit_sq = p.km2_per_unit**2
        self.recruits = p.recruits * dt
        self.break_forces = p.break_force_fraction * p.forces
        self.slope = p.breakthrough_slope
        self.minus_slope = -self.slope
        self.escalates = p.escalation_side >= 0
        self.hazard_span = p.escalation_threatened - p.escalation_base
        self.threat_span = p.threat_full_at - p.threat_starts_at
        self.campaign = p.campaign
        self.lagged = False
        if p.campaign is not None:
            c = p.campaign
            a = c.attacker
            self.lagged = bool(np.any(c.aid_lag_months > 0))
            self.has_lag = c.aid_lag_months > 0
            self.safe_lag = np.maximum(c.aid_lag_months, _TINY)
            self.aid_to_reach = 1 - self.effectiveness
            # The defender stays on the defensive (where ``defender_attack_share`` is given).
            self.defends = ~np.isnan(c.defender_attack_share)
            self.any_defends = bool(self.defends.any())
            # The defender's effective strength on the scenario date: the price of ground is set
            # against it.
            start = self.effectiveness_at(0.0)
            self.defender_start = np.maximum(start[1 - a] * p.forces[1 - a], _TINY)
            self.attack_frontage = np.maximum(p.attack_share[a] * p.length_km, _TINY)
            self.adapt = -np.expm1(-dt / c.adaptation_months)

    def effectiveness_at(self, elapsed: float) -> FloatArray:
        """``(2, n)``: each side's effectiveness ``elapsed`` months after the scenario date. With a
        campaign's ``aid_lag_months`` ``lag > 0``, the aid multiplier ``m`` is reached gradually
        from the reference level (1) the side fought at before: ``m + (1 - m) exp(-t / lag)``."""
        if not self.lagged:
            return self.effectiveness
        weight = np.where(self.has_lag, np.exp(-elapsed / self.safe_lag), 0.0)
        result: FloatArray = self.effectiveness + self.aid_to_reach * weight
        return result

    def per_step(self, p_month: FloatArray) -> FloatArray:
        """A monthly probability as the probability over one step of ``dt`` months."""
        if self.dt == 1.0:
            return p_month
        result: FloatArray = -np.expm1(self.dt * np.log1p(-np.minimum(p_month, 1 - 1e-15)))
        return result


def step(
    state: State,
    kernel: Kernel,
    normals: FloatArray | None = None,
    uniforms: FloatArray | None = None,
) -> StepResult:
    """Advance ``state`` by one step of ``kernel.dt`` months, in place.

    With ``normals`` ``(4, n)`` and ``uniforms`` ``(3, n)`` the step is stochastic; without them it is
    the expectation step (mean shocks, expected breakthrough gains, escalation probability).
    """
    k = kernel
    p = k.p
    stochastic = normals is not None
    collapsed = state.collapsed
    any_collapsed = bool(collapsed.any())
    campaign = k.campaign
    effectiveness = k.effectiveness_at(state.elapsed) if k.lagged else k.effectiveness
    if any_collapsed:
        if k.lagged:
            effectiveness_broken = effectiveness * p.collapse_effectiveness
        else:
            effectiveness_broken = k.effectiveness_broken
        effective = np.where(collapsed, effectiveness_broken, effectiveness)
        attacking = p.attack_share * ~collapsed
        # A collapsed defender has lost its defence advantage.
        d_faced = np.where(collapsed[::-1], 1.0, k.d)
        d_excess = np.where(collapsed[::-1], 0.0, k.d_minus_one)  # d_faced - 1
    else:
        effective = effectiveness
        attacking = p.attack_share
        d_faced = np.broadcast_to(k.d, state.forces.shape)
        d_excess = k.d_minus_one
    strength = effective * state.forces
    if campaign is not None:
        attacking = _campaign_posture(attacking, k, collapsed)
    exposure = 1 + d_excess * attacking + k.concentration_other * attacking[::-1]
    fire = p.lethality * strength  # casualties inflicted a month at exposure 1
    cas = fire[::-1] * exposure
    if k.dt != 1.0:  # (times 1 changes nothing)
        cas *= k.dt
    campaign_ground = None
    if campaign is not None:
        campaign_ground = _campaign_attack(state, k, cas, effective, strength, d_faced)
    if stochastic:
        assert normals is not None
        cas *= np.exp(p.casualty_sigma * normals[0:2] - k.half_cas_var)
    np.minimum(cas, state.forces, out=cas)

    # Ground: the local ratio at the main effort against what the defence demands.
    excess = p.concentration * strength / (np.maximum(strength[::-1], _TINY) * d_faced)
    creep = attacking * k.creep * excess
    if campaign is not None and campaign_ground is not None:
        # The campaign's attacker gains ground only by its campaign (its own attack share is 0
        # above); the creep shock and spread below apply to it.
        creep[campaign.attacker] = campaign_ground
    odds = np.exp(k.minus_slope * np.log(np.maximum(excess, _TINY)))  # (d / rho)^k
    p_step = k.per_step((attacking > 0) / (1 + odds))
    if campaign is not None and k.any_defends:
        # A defender on the defensive makes local attacks (creep) and no breakthroughs while the
        # attacker's campaign lasts.
        a = campaign.attacker
        defending = k.defends & ~collapsed[a]
        p_step[1 - a] = np.where(defending, 0.0, p_step[1 - a])
    if stochastic:
        assert normals is not None and uniforms is not None
        g = p.ground_sigma
        creep *= np.exp(g * normals[2:4] - k.half_ground_var)
        u = uniforms[0:2]
        events = u < p_step
        breakthroughs = events.astype(float)
        gained = creep
        if events.any():
            # Given a breakthrough, u / p is uniform on (0, 1): it sets the breakthrough's size.
            side, sample = np.nonzero(events)
            shock = special.ndtri(np.clip(u[side, sample] / p_step[side, sample], 1e-16, 1 - 1e-16))
            size = p.breakthrough_km2[sample] * np.exp(
                g[sample] * shock - k.half_ground_var[sample]
            )
            gained[side, sample] += size
    else:
        breakthroughs = p_step
        gained = creep + breakthroughs * p.breakthrough_km2
        # The spread around the expected path: creep shocks and breakthroughs (Bernoulli times a
        # lognormal size), independent between steps and sides.
        spread = creep**2 * k.ground_excess + p_step * k.breakthrough_km2_sq * (
            k.ground_moment - p_step
        )
        state.territory_var += (spread[0] + spread[1]) / k.km2_per_unit_sq

    # Update forces, casualties, territory, collapses.
    state.forces += k.recruits - p.loss_fraction * cas
    np.maximum(state.forces, 0.0, out=state.forces)
    state.casualties += cas
    g_for = p.gains_for
    shift = (gained[g_for] - gained[1 - g_for]) / p.km2_per_unit
    low, high = p.territory_range
    np.clip(state.territory + shift, low, high, out=state.territory)
    state.collapsed |= (state.forces < k.break_forces) | (state.casualties >= p.break_casualties)
    if campaign is not None and state.depth is not None:
        state.depth += gained[campaign.attacker] / k.attack_frontage
    state.elapsed += k.dt

    # Escalation hazard.
    if k.escalates:
        if stochastic:
            threat = np.clip((state.territory - p.threat_starts_at) / k.threat_span, 0.0, 1.0)
        else:  # the expected threat over the spread of the territory around its expected path
            threat = expected_ramp(
                state.territory,
                np.sqrt(state.territory_var),
                p.threat_starts_at,
                p.threat_full_at,
            )
        if any_collapsed or state.collapsed.any():
            threat = np.where(state.collapsed[p.escalation_side], 1.0, threat)
        h_step = k.per_step(p.escalation_base + k.hazard_span * threat)
        if stochastic:
            assert uniforms is not None
            event = (uniforms[2] < h_step) & ~state.escalated
            state.escalated |= event
            escalation = event.astype(float)
        else:
            escalation = state.no_escalation * h_step
            state.no_escalation *= 1 - h_step
    else:
        escalation = np.zeros(p.n)
    return StepResult(cas, gained, breakthroughs, escalation)


def _campaign_posture(attacking: FloatArray, kernel: Kernel, collapsed: BoolArray) -> FloatArray:
    """Attack shares while a campaign runs: the attacker's attack is the campaign (its share in
    the creep-and-breakthrough mechanism is 0); the defender's is ``defender_attack_share`` if
    given, until the attacker breaks (then its own again)."""
    campaign = kernel.campaign
    assert campaign is not None
    a = campaign.attacker
    out = np.array(attacking, dtype=float, copy=True)
    out[a] = 0.0
    override = campaign.defender_attack_share
    defending = kernel.defends & ~collapsed[a]
    out[1 - a] = np.where(defending, override * ~collapsed[1 - a], out[1 - a])
    return out


def _campaign_attack(
    state: State,
    kernel: Kernel,
    cas: FloatArray,
    effective: FloatArray,
    strength: FloatArray,
    d_faced: FloatArray,
) -> FloatArray:
    """The campaign's step (expected values; ``cas`` is updated in place), after Epstein's
    adaptive dynamic model [Epstein1985]. Returns the km2 the attacker gains (expected).

    - Attrition from the enemy's fire (holding the line, ``cas``) is ``h = C / F`` a month; the
      attacker's *prosecution rate* ``pi`` (attack casualties over its forces, a month) moves toward
      the rate at which its total attrition equals its tolerable attrition ``a*``, capped by what its
      recruitment ``R`` replaces (culmination; ``l`` its casualties' loss fraction):
      ``pi <- pi + (1 - exp(-dt / tau)) (max(min(a*, R / (l F)) - h, 0) - pi)``, from
      ``max(a_0 - h, 0)``.
    - Its attack casualties ``pi F dt`` cost the defender ``pi F dt / (d e_D / e_A)``: the
      defence advantage ``d`` is the exchange ratio, scaled by the two sides' effectiveness.
    - Ground is bought with attack casualties at a price ``kappa`` per km2 that scales with the
      defender's effective strength (force to space, on a front of fixed length) and, with belts,
      rises with the depth ``x`` advanced into the defences:
      ``kappa = kappa_0 (e_D F_D) / (e_D F_D)_0 (1 + beta x / s)``.
    """
    c = kernel.campaign
    assert c is not None
    a, d = c.attacker, 1 - c.attacker
    forces = np.maximum(state.forces[a], _TINY)
    dt = kernel.dt
    holding = cas[a] / (forces * dt if dt != 1.0 else forces)
    if state.prosecution is None:
        state.prosecution = np.maximum(c.attrition_start - holding, 0.0)
    else:
        # Culmination: no tempo at which permanent losses outrun replacements.
        sustainable = kernel.p.recruits[a] / (kernel.p.loss_fraction[a] * forces)
        tolerable = np.minimum(c.tolerable_attrition, sustainable)
        target = np.maximum(tolerable - holding, 0.0)
        state.prosecution += kernel.adapt * (target - state.prosecution)
    attack = state.prosecution * state.forces[a]
    if dt != 1.0:
        attack *= dt
    attack *= ~state.collapsed[a]
    exchange = d_faced[a] * effective[d] / np.maximum(effective[a], _TINY)
    cas[a] += attack
    cas[d] += attack / np.maximum(exchange, _TINY)
    depth = state.depth if state.depth is not None else 0.0
    price = (
        c.casualties_per_km2
        * (strength[d] / kernel.defender_start)
        * (1 + c.belt_cost_factor * depth / c.belt_spacing_km)
    )
    result: FloatArray = attack / np.maximum(price, _TINY)
    return result


# ---- the Monte Carlo --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarOutcomes:
    """Month-by-month results of the Monte Carlo: index 0 is the scenario date.

    Arrays of shape ``(months + 1, n)``, or ``(months + 1, 2, n)`` per side, or
    ``(months + 1, n_aid, n)`` per aid entry. Spending and aid are cumulative USD bn.
    """

    parameters: Parameters
    seed: int
    first_sample: int
    steps_per_month: int
    aid_scale: float
    territory: FloatArray
    forces: FloatArray
    casualties: FloatArray
    spending: FloatArray
    aid: FloatArray
    escalated: BoolArray
    collapsed: BoolArray
    breakthroughs: FloatArray
    states: list[State] = field(repr=False)

    @property
    def months(self) -> int:
        return int(self.territory.shape[0] - 1)

    @property
    def n(self) -> int:
        return int(self.territory.shape[1])

    def monthly_casualties(self) -> FloatArray:
        """``(months, 2, n)`` casualties in each month."""
        result: FloatArray = np.diff(self.casualties, axis=0)
        return result

    def outlays(self) -> dict[str, FloatArray]:
        """Cumulative USD bn each paying party has spent, ``(months + 1, n)`` (sides and patrons)."""
        p = self.parameters
        out: dict[str, FloatArray] = {}
        for j, side in enumerate(p.sides):
            out[side] = self.spending[:, j, :].copy()
        for k, party in enumerate(p.aid_parties):
            out[party] = out.get(party, np.zeros_like(self.territory)) + self.aid[:, k, :]
        return out

    def summary(self, quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> dict[str, Any]:
        """Per month: quantiles of territory, cumulative casualties per side, cumulative outlays per
        paying party, and the cumulative probability of escalation and of each side's collapse."""
        q = np.asarray(quantiles)
        keys = [f"p{round(x * 100)}" for x in q]

        def table(values: FloatArray) -> dict[str, list[float]]:
            qs = np.quantile(values, q, axis=-1)
            return {k: [float(v) for v in row] for k, row in zip(keys, qs, strict=True)}

        p = self.parameters
        return {
            "month_index": list(range(self.months + 1)),
            "territory": table(self.territory),
            "casualties": {side: table(self.casualties[:, j, :]) for j, side in enumerate(p.sides)},
            "outlays_usd_bn": {party: table(v) for party, v in self.outlays().items()},
            "p_escalation": [float(x) for x in self.escalated.mean(axis=1)],
            "p_collapse": {
                side: [float(x) for x in self.collapsed[:, j, :].mean(axis=1)]
                for j, side in enumerate(p.sides)
            },
        }


def _draw(
    rngs: Sequence[np.random.Generator],
    sizes: Sequence[int],
    steps: int,
    kinds: int,
    *,
    normal: bool,
) -> FloatArray:
    parts = [
        (r.standard_normal((BLOCK, steps, kinds)) if normal else r.random((BLOCK, steps, kinds)))[
            :size
        ]
        for r, size in zip(rngs, sizes, strict=True)
    ]
    return np.ascontiguousarray(np.concatenate(parts).transpose(1, 2, 0))


def simulate(
    scenario: Scenario,
    *,
    samples: int,
    months: int,
    seed: int,
    first_sample: int = 0,
    aid_scale: float = 1.0,
    keep_states: bool = False,
    progress: Any = None,
) -> WarOutcomes:
    """Run the war model of ``scenario`` for ``months`` months on ``samples`` Monte Carlo samples.

    ``aid_scale`` multiplies every patron's aid (the lever of cutting or raising it). With
    ``keep_states`` the full state at each month is kept (what :mod:`ceasefire.war.batna` projects
    from). ``progress``, if given, is called with the number of months done.
    """
    war = scenario.war
    if war is None:
        raise ValueError(f"scenario '{scenario.id}' has no war section")
    if samples < 1 or months < 0:
        raise ValueError("need samples >= 1 and months >= 0")
    if not math.isfinite(aid_scale) or aid_scale < 0:
        raise ValueError("aid_scale must be a finite number >= 0")
    blocks = _blocks(first_sample, samples)
    rngs = [_stream(seed, b) for b, _, _ in blocks]
    sizes = [stop - start for _, start, stop in blocks]
    p = sample_parameters(scenario, samples, rngs, sizes)
    if aid_scale != 1.0:
        p = p.scaled_aid(aid_scale)
    steps = war.steps_per_month
    kernel = Kernel(p, 1.0 / steps)
    n = samples
    state = State.start(p)

    territory = np.empty((months + 1, n))
    forces = np.empty((months + 1, 2, n))
    casualties = np.empty((months + 1, 2, n))
    escalated = np.empty((months + 1, n), dtype=bool)
    collapsed = np.empty((months + 1, 2, n), dtype=bool)
    breakthroughs = np.zeros((months + 1, 2, n))
    states: list[State] = []

    def record(m: int) -> None:
        territory[m] = state.territory
        forces[m] = state.forces
        casualties[m] = state.casualties
        escalated[m] = state.escalated
        collapsed[m] = state.collapsed
        if keep_states:
            states.append(state.copy())

    record(0)
    for m in range(1, months + 1):
        # Each block's shocks for the month: a full block, sample-major, then (step, kind, sample).
        normals = _draw(rngs, sizes, steps, _NORMALS, normal=True)
        uniforms = _draw(rngs, sizes, steps, _UNIFORMS, normal=False)
        for k in range(steps):
            result = step(state, kernel, normals[k], uniforms[k])
            breakthroughs[m] += result.breakthroughs
        record(m)
        if progress is not None:
            progress(m)

    elapsed = np.arange(months + 1, dtype=float)[:, None, None]
    spending = elapsed * p.spending[None, :, :]
    aid = elapsed * (p.aid_military + p.aid_other)[None, :, :]
    return WarOutcomes(
        parameters=p,
        seed=seed,
        first_sample=first_sample,
        steps_per_month=steps,
        aid_scale=aid_scale,
        territory=territory,
        forces=forces,
        casualties=casualties,
        spending=spending,
        aid=aid,
        escalated=escalated,
        collapsed=collapsed,
        breakthroughs=breakthroughs,
        states=states,
    )
