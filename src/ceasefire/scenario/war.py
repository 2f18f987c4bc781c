"""The ``war:`` section of a scenario: the parameters of the war model, each with its basis.

The section describes what fighting on would bring: the two sides' forces, recruitment, lethality,
posture and breaking points; the defence advantage; the front and the territory issue it moves;
war spending and patrons' aid; the hazard of catastrophic escalation; and, for every party, the
weights that turn casualties, money and escalation into utility points. Every parameter may be a
plain number or a distribution (:mod:`ceasefire.scenario.distributions`), and every parameter a
file sets needs a ``basis`` entry (sources or an assumption). The model that uses these numbers is
:mod:`ceasefire.war`; its equations are in ``docs/explanation/war-model.md``.

Shapes and ranges are checked here; cross-references (party ids, the territory issue, sources,
basis entries) in :func:`ceasefire.scenario.checks.war_problems`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    Field,
    model_validator,
)

from ceasefire.scenario.distributions import Distribution, support
from ceasefire.scenario.sources import Basis, Source, SourceEntry
from ceasefire.scenario.types import Finite, Id, Strict

Share = Annotated[Distribution, AfterValidator(support(0, 1))]
UncertainProbability = Annotated[Distribution, AfterValidator(support(0, 1))]
Rate = Annotated[Distribution, AfterValidator(support(0, 1, open_high=True))]
# The model's arithmetic (force ratios raised to the breakthrough slope, areas over km2 per unit,
# casualties times cost weights) stays finite within these ranges, which hold every real war by
# orders of magnitude: 100 million soldiers, USD 10 trillion a month, a front around the Earth.
# Documented in docs/reference/scenario-format.md.
Forces = Annotated[Distribution, AfterValidator(support(0, 1e8, open_low=True))]
PerMonth = Annotated[Distribution, AfterValidator(support(0, 1e7))]
Lethality = Annotated[Distribution, AfterValidator(support(0, 10))]
Concentration = Annotated[Distribution, AfterValidator(support(1, 100))]
UsdBnPerMonth = Annotated[Distribution, AfterValidator(support(0, 1e4))]
UsdBnPerMonthPositive = Annotated[Distribution, AfterValidator(support(0, 1e4, open_low=True))]
Casualties = Annotated[Distribution, AfterValidator(support(0, 1e9, open_low=True))]
Gain = Annotated[Distribution, AfterValidator(support(0, 100))]
DefenceAdvantage = Annotated[Distribution, AfterValidator(support(0.01, 100))]
Slope = Annotated[Distribution, AfterValidator(support(0, 50))]
LogSd = Annotated[Distribution, AfterValidator(support(0, 5))]
FrontKm = Annotated[Distribution, AfterValidator(support(0.001, 1e5))]
KmPerMonth = Annotated[Distribution, AfterValidator(support(0, 1e4))]
Km2 = Annotated[Distribution, AfterValidator(support(0, 1e9))]
Km2PerUnit = Annotated[Distribution, AfterValidator(support(1e-6, 1e9))]
Points = Annotated[Distribution, AfterValidator(support(0, 1e4))]
SignedPoints = Annotated[Distribution, AfterValidator(support(-1e4, 1e4))]
Months = Annotated[Distribution, AfterValidator(support(0, 1200, open_low=True))]
CasualtiesPerKm2 = Annotated[Distribution, AfterValidator(support(0, 1e7, open_low=True))]


class _Block(Strict):
    """A group of parameters with a ``basis`` entry for each parameter the file sets."""

    basis: dict[str, Basis] = Field(
        default_factory=dict, description="Parameter name -> its sources or assumption."
    )

    def parameters_set(self) -> list[str]:
        """The parameters this block's file entry gives (not ``basis`` and not ids)."""
        return [name for name in self.model_fields_set if name not in self._not_parameters()]

    @classmethod
    def _not_parameters(cls) -> set[str]:
        return {"basis"}


class Side(_Block):
    """One of the two sides that fight: its forces and how it fights, spends and breaks."""

    party: Id
    forces: Forces = Field(description="Personnel in the theatre on the scenario date.")
    recruits_per_month: PerMonth = Field(
        description="Personnel added per month (mobilisation, contracts), net of non-combat outflow."
    )
    casualty_loss_fraction: Share = Field(
        description="Share of casualties (killed and wounded) lost to the force for good."
    )
    lethality: Lethality = Field(
        description="Casualties this side inflicts per month per soldier on an enemy that neither "
        "attacks nor is attacked (aimed-fire coefficient), at the reference aid level."
    )
    attack_share: Share = Field(description="Share of the front on which this side attacks.")
    concentration: Concentration = Field(
        description="Local superiority factor: its density where it attacks over its average."
    )
    spending_usd_bn_per_month: UsdBnPerMonth = Field(
        description="Own war spending, USD bn a month."
    )
    break_force_fraction: Share | None = Field(
        None, description="The army breaks when its forces fall below this share of the start."
    )
    break_casualties: Casualties | None = Field(
        None, description="Its will breaks after this many casualties from the scenario date."
    )
    aid_max_gain: Gain | None = Field(
        None, description="Relative gain in effectiveness from unlimited aid (e.g. 0.5 = +50%)."
    )
    aid_half_usd_bn_per_month: UsdBnPerMonthPositive | None = Field(
        None, description="Military aid a month that gives half of aid_max_gain."
    )
    aid_reference_usd_bn_per_month: UsdBnPerMonth | None = Field(
        None, description="Military aid a month at which 'lethality' was calibrated."
    )

    @classmethod
    def _not_parameters(cls) -> set[str]:
        return {"basis", "party"}

    @model_validator(mode="after")
    def _aid_fields_together(self) -> Side:
        given = [
            self.aid_max_gain is not None,
            self.aid_half_usd_bn_per_month is not None,
            self.aid_reference_usd_bn_per_month is not None,
        ]
        if any(given) and not all(given):
            raise ValueError(
                "give aid_max_gain, aid_half_usd_bn_per_month and "
                "aid_reference_usd_bn_per_month together"
            )
        return self


class Combat(_Block):
    """How fighting turns force ratios into casualties and breakthroughs."""

    defence_advantage: DefenceAdvantage = Field(
        description="Local force ratio an attacker needs to break through; also how much more an "
        "attacker loses per unit of enemy fire than a defender (3 for the '3:1 rule')."
    )
    breakthrough_slope: Slope = Field(
        description="How fast the monthly breakthrough probability rises with the local force "
        "ratio rho: p = 1 / (1 + (d / rho)^k); 1/2 at rho = d, odds times 2^k per doubling of rho."
    )
    casualty_sigma: LogSd = Field(
        description="Log sd of the monthly casualty multiplier (overdispersion)."
    )
    collapse_effectiveness: Share = Field(
        default=Distribution(0.3),
        description="Effectiveness left to a side whose army or will has broken (default 0.3).",
    )


class Front(_Block):
    """The front line and the numeric issue it moves."""

    issue: Id = Field(description="The numeric issue the front moves (territory).")
    gains_for: Id = Field(description="The side whose advance raises the issue's value.")
    length_km: FrontKm = Field(description="Length of the active front.")
    km2_per_unit: Km2PerUnit = Field(description="km2 of territory per unit of the issue.")
    creep_km_per_month: KmPerMonth = Field(
        description="Depth gained a month on the attacked frontage when the local force ratio "
        "equals the defence advantage (attritional advance)."
    )
    ground_sigma: LogSd = Field(description="Log sd of the monthly creep multiplier.")
    breakthrough_km2: Km2 = Field(description="Area a breakthrough gains.")

    @classmethod
    def _not_parameters(cls) -> set[str]:
        return {"basis", "issue", "gains_for"}


class Aid(_Block):
    """What a patron gives one side each month."""

    party: Id
    to: Id
    military_usd_bn_per_month: UsdBnPerMonth = Field(
        description="Military aid a month: raises the receiving side's effectiveness."
    )
    other_usd_bn_per_month: UsdBnPerMonth = Field(
        default=Distribution(0.0),
        description="Other aid a month (budget support): a cost to the patron, no combat effect.",
    )

    @classmethod
    def _not_parameters(cls) -> set[str]:
        return {"basis", "party", "to"}


class Escalation(_Block):
    """The monthly hazard of catastrophic escalation (nuclear use, a direct NATO-Russia clash)."""

    nuclear_side: Id = Field(description="The side whose territorial losses raise the hazard.")
    base_monthly: UncertainProbability = Field(
        description="Hazard a month while the threat is absent."
    )
    threatened_monthly: UncertainProbability = Field(
        description="Hazard a month under the full threat."
    )
    threat_starts_at: Finite = Field(description="Issue value at which the hazard starts rising.")
    threat_full_at: Finite = Field(
        description="Issue value at which the hazard reaches threatened_monthly."
    )

    @classmethod
    def _not_parameters(cls) -> set[str]:
        return {"basis", "nuclear_side"}

    @model_validator(mode="after")
    def _distinct(self) -> Escalation:
        if self.threat_starts_at == self.threat_full_at:
            raise ValueError("threat_starts_at and threat_full_at must differ")
        return self


class Costs(_Block):
    """What a month of war costs one party, in utility points."""

    per_10k_casualties: Points = Field(
        default=Distribution(0.0), description="Points per 10,000 casualties (killed and wounded)."
    )
    casualties_of: list[Id] | None = Field(
        None,
        description="Whose casualties count: default its own if it is a side, else both sides'.",
    )
    per_10bn_usd: Points = Field(
        default=Distribution(0.0), description="Points per USD 10 bn of its war spending and aid."
    )
    escalation: Points = Field(
        default=Distribution(0.0), description="Points lost if catastrophic escalation happens."
    )
    per_month: SignedPoints = Field(
        default=Distribution(0.0),
        description="Other points a month (trade, prices, politics); negative if it profits.",
    )
    discount_monthly: Rate = Field(
        default=Distribution(0.0), description="Monthly discount rate on future costs."
    )

    @classmethod
    def _not_parameters(cls) -> set[str]:
        return {"basis", "casualties_of"}


class Campaign(_Block):
    """An attritional campaign (optional): one side attacks at the tempo it can sustain and buys
    ground with casualties, after Epstein's adaptive dynamic model [Epstein1985]."""

    attacker: Id = Field(description="The side that runs the campaign.")
    attrition_start: Share = Field(
        description="The attacker's monthly casualties over its forces on the scenario date."
    )
    tolerable_attrition: Share = Field(
        description="Its tolerable monthly attrition a*: the casualties over forces a month at which "
        "it keeps attacking; its tempo adapts until its attrition reaches it."
    )
    adaptation_months: Months = Field(
        description="Time constant (months) of that adaptation of the attacker's tempo."
    )
    casualties_per_km2: CasualtiesPerKm2 = Field(
        description="The attacker's attack casualties per km2 gained, against the defender's "
        "density and effectiveness on the scenario date (the price of ground)."
    )
    defender_attack_share: Share | None = Field(
        None,
        description="The defender's attack share while the campaign runs (default: its own).",
    )
    belt_spacing_km: FrontKm | None = Field(
        None, description="Depth between prepared defensive belts (defence in depth)."
    )
    belt_cost_factor: Gain | None = Field(
        None,
        description="How much each belt's depth adds to the price of ground: the price is "
        "multiplied by 1 + belt_cost_factor * depth / belt_spacing_km.",
    )
    aid_lag_months: Months | None = Field(
        None,
        description="Stocks and deliveries in the pipeline: a change in military aid reaches "
        "the receiver's effectiveness with this time constant (months).",
    )

    @classmethod
    def _not_parameters(cls) -> set[str]:
        return {"basis", "attacker"}

    @model_validator(mode="after")
    def _belts_together(self) -> Campaign:
        if (self.belt_spacing_km is None) != (self.belt_cost_factor is None):
            raise ValueError("give belt_spacing_km and belt_cost_factor together")
        return self


class WarOutcome(Strict):
    """What one side obtains if its opponent collapses: a partial package of the scenario's issues
    (the others stay where the war leaves them), with its basis."""

    terms: dict[Id, Id | Finite] = Field(
        min_length=1,
        description="Issue id -> the option (categorical) or value (numeric) the collapse delivers.",
    )
    basis: Basis = Field(description="Why these terms: sources or an assumption.")


class WarSection(Strict):
    """The war model's parameters (``war:``)."""

    description: str | None = None
    sources: list[SourceEntry] = Field(
        default_factory=list,
        description="Source ids the section rests on, or source records (id, title, url, date, "
        "reliability, note) that only the war model cites; basis entries may name both.",
    )
    horizon_months: int = Field(
        ge=1, le=240, description="Months over which 'fighting on' is judged (H)."
    )
    steps_per_month: int = Field(
        default=1, ge=1, le=31, description="Simulation steps a month (aggregated to months)."
    )
    sides: list[Side] = Field(min_length=2, max_length=2)
    combat: Combat
    front: Front
    aid: list[Aid] = Field(default_factory=list)
    escalation: Escalation | None = None
    campaign: Campaign | None = Field(
        None, description="An attritional campaign (optional; without it, no change)."
    )
    settle_later: bool = Field(
        default=False,
        description="The value of no deal includes the option to settle at a later month on "
        "the deal the Nash bargaining solution gives then (default off).",
    )
    outcomes: dict[Id, WarOutcome] | None = Field(
        None,
        description="Side id -> what the collapse of its opponent delivers to it (optional; "
        "without it the value of no deal is the no-collapse outcome's).",
    )
    costs: dict[Id, Costs] = Field(description="Party id -> its cost weights; every party.")

    def side_ids(self) -> tuple[str, str]:
        return (self.sides[0].party, self.sides[1].party)

    def mechanisms(self) -> dict[str, Any] | None:
        """The optional mechanisms the section uses: the campaign's attacker, the sides whose
        victory delivers terms, and the option to settle later; None if it uses none."""
        if self.campaign is None and not self.outcomes and not self.settle_later:
            return None
        return {
            "campaign_attacker": self.campaign.attacker if self.campaign is not None else None,
            "outcomes_for": sorted(self.outcomes or {}),
            "settle_later": self.settle_later,
        }

    @property
    def source_records(self) -> list[Source]:
        """The source records the section defines itself."""
        return [s for s in self.sources if isinstance(s, Source)]
