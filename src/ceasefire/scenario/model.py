"""The scenario file, version 1: pydantic models.

A scenario states what an analyst believes about a negotiation: the parties, the issues and their
options, each party's preferences and red lines, and what each expects if there is no deal. Every
number can carry its source (`sources`, `basis`). The models only check the shape of each entry;
cross-references (ids that must exist, weights that must cover the issues) are checked in
:mod:`ceasefire.scenario.checks` so that every problem is reported at once, each with its place in
the file.

The JSON Schema (``ceasefire schema``) is generated from these models, never written by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from ceasefire.scenario.beliefs import Learning, PartyBeliefs, PrivateType
from ceasefire.scenario.commitment import CommitmentSection
from ceasefire.scenario.distributions import Named, point_value, uncertain
from ceasefire.scenario.events import EventBase, NewOptionBase
from ceasefire.scenario.proposals import MAX_PROPOSALS, Proposal
from ceasefire.scenario.record import Record
from ceasefire.scenario.side_payments import SidePayment
from ceasefire.scenario.sources import Basis as Basis
from ceasefire.scenario.sources import Source as Source
from ceasefire.scenario.types import Finite, Id, Strict
from ceasefire.scenario.war import WarSection

SCHEMA_VERSION = 1

MAX_PARTIES = 30
"""At most this many parties: the Nash product of 30 gains stays within floating point."""
MAX_ISSUES = 100
MAX_OPTIONS = 10_000
"""At most this many options (or grid values) per issue."""
MAX_NO_DEAL_COST = 1000.0
"""A cost of no deal is at most this many utility points either way (ten times the 0..100 scale)."""

Utility = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
# Numbers that may be given as a distribution (ceasefire.scenario.distributions); a distribution's
# mean must lie in the number's range, and analyses without sampling use that mean.
if TYPE_CHECKING:
    UncertainUtility: TypeAlias = float | Named
    UncertainWeight: TypeAlias = float | Named
    UncertainFinite: TypeAlias = float | Named
    NoDealCost: TypeAlias = float | Named
else:
    UncertainUtility = uncertain(Utility, 0, 100)
    UncertainWeight = uncertain(Annotated[float, Field(ge=0, allow_inf_nan=False)], 0)
    UncertainFinite = uncertain(Finite)
    NoDealCost = uncertain(
        Annotated[float, Field(ge=-MAX_NO_DEAL_COST, le=MAX_NO_DEAL_COST, allow_inf_nan=False)],
        -MAX_NO_DEAL_COST,
        MAX_NO_DEAL_COST,
    )
Probability = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


class Party(Strict):
    """A government or organisation with a stake in the settlement."""

    id: Id
    name: str
    role: Literal["belligerent", "patron", "mediator"]
    veto: bool | None = Field(
        None,
        description="Must this party accept a deal? Default: true for belligerents only.",
    )
    description: str | None = None
    sources: list[Id] = Field(default_factory=list)
    capability: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = Field(
        None,
        description="Relative capability to influence the outcome (any scale, compared across "
        "parties), for `ceasefire forecast`; needs the party's `sources`.",
    )

    @model_validator(mode="after")
    def _capability_is_sourced(self) -> Party:
        if self.capability is not None and not self.sources:
            raise ValueError("a party with a 'capability' needs 'sources' that support it")
        return self

    @property
    def has_veto(self) -> bool:
        return self.veto if self.veto is not None else self.role == "belligerent"


class Option(Strict):
    """One way an issue can be settled."""

    id: Id
    label: str | None = None
    sources: list[Id] = Field(default_factory=list)


def _option_tag(value: Any) -> str:
    return "id" if isinstance(value, str) else "mapping"


OptionEntry = Annotated[
    Annotated[Id, Tag("id")] | Annotated[Option, Tag("mapping")],
    Discriminator(_option_tag),
]


class Issue(Strict):
    """A question the settlement must answer, with the options on the table.

    Categorical issues list their ``options``; numeric issues give a ``range``, the ``grid`` of
    values a package may take, and optionally a ``unit``.
    """

    id: Id
    name: str
    kind: Literal["categorical", "numeric"] = "categorical"
    description: str | None = None
    sources: list[Id] = Field(default_factory=list)
    options: list[OptionEntry] | None = Field(None, max_length=MAX_OPTIONS)
    range: tuple[Finite, Finite] | None = None
    grid: list[Finite] | None = Field(None, max_length=MAX_OPTIONS)
    unit: str | None = None
    status_quo: Id | Finite = Field(description="The state of this issue if there is no deal.")

    @model_validator(mode="after")
    def _fields_match_kind(self) -> Issue:
        if self.kind == "categorical":
            if not self.options:
                raise ValueError("a categorical issue needs a non-empty 'options' list")
            if self.range is not None or self.grid is not None:
                raise ValueError("'range' and 'grid' belong to numeric issues (kind: numeric)")
            if not isinstance(self.status_quo, str):
                raise ValueError("status_quo of a categorical issue must be an option id")
        else:
            if self.options is not None:
                raise ValueError("a numeric issue has 'range' and 'grid', not 'options'")
            if self.range is None or self.grid is None or not self.grid:
                raise ValueError("a numeric issue needs 'range' and a non-empty 'grid'")
            if self.range[0] >= self.range[1]:
                raise ValueError("range must be [low, high] with low < high")
            if isinstance(self.status_quo, str):
                raise ValueError("status_quo of a numeric issue must be a number")
        return self

    @property
    def option_list(self) -> list[Option]:
        """Categorical options as :class:`Option` objects (bare ids expanded)."""
        return [Option(id=o) if isinstance(o, str) else o for o in self.options or []]

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.option_list]


class NoDeal(Strict):
    """The value of no deal as the status quo minus a cost: ``r_i = U_i(status quo) - cost``."""

    cost: NoDealCost = Field(
        description="Utility points lost by not settling (may be negative), at most 1000 "
        "either way."
    )


class NumericBound(Strict):
    """A red line on a numeric issue: grid values strictly above or below a threshold."""

    above: Finite | None = None
    below: Finite | None = None
    p: Probability | None = Field(None, description="Probability that the red line holds.")

    @model_validator(mode="after")
    def _one_bound(self) -> NumericBound:
        if self.above is None and self.below is None:
            raise ValueError("give 'above', 'below' or both")
        return self


class UncertainRedLine(Strict):
    """Options a party never accepts, if the red line holds, which it does with probability ``p``."""

    options: list[Id | Finite]
    p: Probability = Field(description="Probability that the red line holds.")


def _red_line_tag(value: Any) -> str:
    if isinstance(value, UncertainRedLine) or (isinstance(value, dict) and "options" in value):
        return "uncertain"
    return "bound" if isinstance(value, dict | NumericBound) else "list"


RedLine = Annotated[
    Annotated[list[Id | Finite], Tag("list")]
    | Annotated[NumericBound, Tag("bound")]
    | Annotated[UncertainRedLine, Tag("uncertain")],
    Discriminator(_red_line_tag),
]


def _value_tag(value: Any) -> str:
    return "options" if isinstance(value, dict) else "points"


ValueFunction = Annotated[
    Annotated[dict[Id, UncertainUtility], Tag("options")]
    | Annotated[list[tuple[Finite, UncertainUtility]], Tag("points")],
    Discriminator(_value_tag),
]


class Preferences(Strict):
    """One party's preferences: weights, value functions, red lines and value of no deal."""

    weights: dict[Id, UncertainWeight]
    values: dict[Id, ValueFunction]
    red_lines: dict[Id, RedLine] = Field(default_factory=dict)
    reservation: UncertainUtility | None = Field(None, description="Utility of no deal, 0..100.")
    no_deal: NoDeal | None = None
    discount: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = Field(
        None,
        description="Per-round factor in (0, 1] on the utility of an agreement reached later, "
        "in negotiations without a war model (agreement in round t is worth discount**(t-1) * U).",
    )
    sources: list[Id] = Field(default_factory=list)
    basis: dict[str, Basis] = Field(
        default_factory=dict,
        description="Keys: 'weights', 'red_lines', 'no_deal', 'reservation', or an issue id.",
    )

    @field_validator("weights")
    @classmethod
    def _weights_sum_to_one(cls, weights: dict[str, Any]) -> dict[str, Any]:
        # Uncertain weights count with their means; drawn weights are renormalised.
        total = sum(point_value(w) for w in weights.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"weights must sum to 1 (within 1e-6); they sum to {total:.6g}")
        return weights


class NewOption(NewOptionBase):
    """An option put on the table by an event, with its value to each party that values the issue."""

    option: Option
    values: dict[Id, UncertainUtility] = Field(
        description="Party id -> the new option's value (0..100) to that party; every party "
        "with a value function for the issue needs one."
    )


class Event(EventBase):
    """A dated change to the scenario (see ceasefire.scenario.events)."""

    preferences: dict[Id, Preferences] = Field(
        default_factory=dict,
        description="Party id -> its whole preferences entry from the event's date on.",
    )
    red_lines: dict[Id, dict[Id, RedLine | None]] = Field(
        default_factory=dict,
        description="Party id -> issue id -> its red line from the event's date on (null: the "
        "red line is dropped).",
    )
    options: list[NewOption] = Field(
        default_factory=list, description="Options added to categorical issues."
    )


class Contested(Strict):
    """One thing the scenario's author knows is disputed, and where the dispute is documented."""

    claim: str = Field(description="What is contested, and what would change if it were otherwise.")
    sources: list[Id] = Field(default_factory=list)


class Scenario(Strict):
    """A whole scenario file."""

    schema_version: Literal[1] = Field(description="The version of this format.")
    id: Id
    title: str
    as_of: dt.date = Field(description="The date the scenario describes.")
    description: str | None = None
    sources: list[Source] = Field(default_factory=list)
    parties: list[Party] = Field(min_length=2, max_length=MAX_PARTIES)
    issues: list[Issue] = Field(min_length=1, max_length=MAX_ISSUES)
    preferences: dict[Id, Preferences]
    war: WarSection | None = Field(
        None, description="The war model: what fighting on yields (see war-model.md)."
    )
    side_payments: list[SidePayment] = Field(
        default_factory=list, description="What patrons and mediators could add (see mediate)."
    )
    beliefs: dict[Id, PartyBeliefs] | None = Field(
        None,
        description="Each party's own prior over the war (see beliefs.md); a party not listed "
        "shares the analyst's war: section.",
    )
    learning: Learning | None = Field(
        None, description="What the parties observe each month while fighting (see beliefs.md)."
    )
    private: dict[Id, PrivateType] | None = Field(
        None, description="What only a party knows about itself (see beliefs.md)."
    )
    commitment: CommitmentSection | None = Field(
        None, description="Whether deals hold, and the war if they break (see commitment.md)."
    )
    events: list[Event] = Field(
        default_factory=list,
        description="Dated changes to the scenario after as_of: preferences replaced, red lines "
        "hardened or dropped, options added (see ceasefire.scenario.events).",
    )
    record: Record | None = Field(
        None,
        description="What happened after as_of, with sources: read only by `ceasefire backtest`.",
    )
    contested: list[Contested] = Field(
        default_factory=list,
        description="What is contested: the assumptions a reader should weigh before the "
        "headline (reports show them with it).",
    )
    proposals: list[Proposal] = Field(
        default_factory=list,
        max_length=MAX_PROPOSALS,
        description="Real peace proposals mapped to the issues, with sources: read only by "
        "`ceasefire score`.",
    )

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def issue(self, issue_id: str) -> Issue:
        return next(i for i in self.issues if i.id == issue_id)

    @property
    def veto_parties(self) -> list[Party]:
        return [p for p in self.parties if p.has_veto]
