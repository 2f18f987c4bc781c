"""Where a scenario's numbers come from: source records, and the basis of each number.

A :class:`Source` is a document; a :class:`Basis` names the sources of a number, or the analyst's
assumption with its reason. The scenario's ``sources`` list holds records; a section's own
``sources`` list (``war:``, ``commitment:``, ``beliefs:``, ``record:``) holds ids of the scenario's
sources or records of its own (:data:`SourceEntry`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from ceasefire.scenario.types import Id, Strict


class Source(Strict):
    """A document that a number or option comes from."""

    id: Id
    title: str
    url: str | None = None
    date: str | None = Field(None, description="Publication date, as the source gives it.")
    reliability: Literal["P", "S", "R"] | None = Field(
        None,
        description="P: primary text or major outlet; S: secondary summary; "
        "R: state or partisan outlet (evidence only of what a side claims).",
    )
    note: str | None = None


class Basis(Strict):
    """Where a number comes from: sources, or an analyst's assumption with its reason."""

    sources: list[Id] = Field(default_factory=list)
    assumption: str | None = Field(None, description="Why the analyst assumes it (one line).")
    note: str | None = None

    @model_validator(mode="after")
    def _grounded(self) -> Basis:
        if not self.sources and not self.assumption:
            raise ValueError("a basis needs 'sources' or an 'assumption'")
        return self


def _source_tag(value: Any) -> str:
    return "record" if isinstance(value, dict | Source) else "id"


SourceEntry = Annotated[
    Annotated[Id, Tag("id")] | Annotated[Source, Tag("record")],
    Discriminator(_source_tag),
]
"""An entry of a section's ``sources``: the id of a scenario source, or a record of its own."""
