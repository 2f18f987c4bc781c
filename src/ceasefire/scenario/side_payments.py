"""The ``side_payments:`` section of a scenario: what patrons and mediators could add to a deal.

A side payment is an issue that a party other than a belligerent controls: reconstruction money,
sanctions relief, a security guarantee, aid. It has ``levels`` (what can be offered, the first
being "nothing"), a ``cost`` to the party that offers it at each level (in one unit shared by all
side payments of the scenario, such as USD bn), and a ``value`` at each level, in utility points,
to each party it matters to (added to that party's utility of any package; negative for a loss,
such as the offering party's own, when it counts). Side payments are outside the package space
of the other analyses: ``ceasefire mediate`` asks which to offer (:mod:`ceasefire.mediation`).

Shapes are checked here; cross-references (party ids, who may offer) in
:mod:`ceasefire.scenario.checks`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ceasefire.scenario.sources import Basis
from ceasefire.scenario.types import Finite, Id


class SidePayment(BaseModel):
    """Something a patron or mediator can put on the table, at a cost to itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    name: str
    offered_by: Id = Field(description="The party that controls it (not a belligerent).")
    unit: str | None = Field(None, description="Unit of the levels, for people.")
    levels: list[Id | Finite] = Field(
        min_length=2, description="What can be offered; the first level means nothing offered."
    )
    cost: list[Finite] = Field(
        description="Cost to the offering party at each level, in the unit all side payments "
        "of the scenario share (e.g. USD bn)."
    )
    value: dict[Id, list[Finite]] = Field(
        description="Party id -> utility points it gains at each level (negative: it loses)."
    )
    description: str | None = None
    sources: list[Id] = Field(default_factory=list)
    basis: Basis | None = None

    @model_validator(mode="after")
    def _one_entry_per_level(self) -> SidePayment:
        n = len(self.levels)
        if len(self.cost) != n:
            raise ValueError(f"'cost' needs one entry per level ({n}), it has {len(self.cost)}")
        for party, points in self.value.items():
            if len(points) != n:
                raise ValueError(
                    f"value of '{party}' needs one entry per level ({n}), it has {len(points)}"
                )
        if len(set(map(str, self.levels))) != n:
            raise ValueError("levels must be distinct")
        return self
