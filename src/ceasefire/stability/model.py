"""The stability model file (YAML): decision makers, options, infeasible states, preferences.

The option form of a graph model [Fang1993]: each decision maker (DM) controls some options, each
taken (Y) or not (N); a state is a choice of Y/N for every option. Feasible states are all
combinations except those matching an ``infeasible`` condition. States are numbered 1, 2, ... in
the customary order [Fang1993]: by the binary number whose k-th digit (from the least significant,
the first option listed) is 1 when the k-th option is taken.

A DM moves unilaterally by changing any of its own options at once, to a feasible state, within
each option's ``reversibility``: ``both`` (default), ``forward`` only (N to Y: once taken, it
cannot be undone) or ``backward`` only (Y to N).

Preferences, for each DM, either

- ``ranking``: the states from most to least preferred, by number, a list entry that is itself a
  list holding states tied with each other; every feasible state exactly once; or
- ``priorities``: option prioritisation [Fang1993] (as in GMCR II [Hipel1997]): statements from
  most to least important, each true or false in a state; a state's score is
  ``sum_k 2^(K-k) [statement k true]`` and states with higher scores are preferred, equal scores
  tied. A statement combines option ids with ``-`` (not), ``&`` (and), ``|`` (or), parentheses and
  ``IF`` (``a IF b`` is true unless ``b`` holds without ``a``), ``-`` binding tightest and ``IF``
  loosest.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ceasefire.scenario.model import Source
from ceasefire.scenario.types import Id, Strict

STABILITY_VERSION = 1


class StabilityOption(Strict):
    """One option a decision maker controls."""

    id: Id
    label: str | None = None
    reversibility: Literal["both", "forward", "backward"] = Field(
        "both",
        description="both: can be taken and undone; forward: once taken, never undone; "
        "backward: can only be undone.",
    )


class DecisionMaker(Strict):
    """A decision maker and the options it controls."""

    id: Id
    name: str | None = None
    options: list[StabilityOption] = Field(min_length=1)


class Preference(Strict):
    """One DM's preference: a ranking of states (with ties) or option priorities."""

    ranking: list[int | list[int]] | None = Field(
        None, description="State numbers, most preferred first; a nested list is a tie."
    )
    priorities: list[str] | None = Field(
        None, description="Option-prioritisation statements, most important first."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Preference:
        if (self.ranking is None) == (self.priorities is None):
            raise ValueError("give exactly one of 'ranking' and 'priorities'")
        return self


class StabilityModel(Strict):
    """A whole stability model file."""

    stability_version: Literal[1] = Field(description="The version of this format.")
    id: Id
    title: str
    description: str | None = None
    sources: list[Source] = Field(default_factory=list)
    decision_makers: list[DecisionMaker] = Field(min_length=2)
    infeasible: list[str] = Field(
        default_factory=list,
        description="Conditions (statements as in priorities) that make a state infeasible.",
    )
    preferences: dict[Id, Preference]
    status_quo: int | str | None = Field(
        None, description="The state now: its number, or a statement true in exactly one state."
    )
    note: str | None = None
