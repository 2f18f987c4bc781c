"""What each side believes about the war, what it sees, and what only it knows about itself.

Three optional sections of a scenario with a ``war:`` section (``docs/explanation/beliefs.md``):

- ``beliefs:``: per party, a subjective prior over some war parameters, each named by its path
  (:mod:`ceasefire.scenario.paths`, sides by party id: ``sides[ukraine].break_force_fraction``) and
  given as a distribution, plus ``aid.scale`` (a multiplier on every patron's aid, 1 in the
  analyst's war); ``prior_strength``, how many months of perfectly observed fighting weigh as much
  as the prior. A party not listed (or listing no parameter) shares the analyst's ``war:`` section:
  in each world it knows that world's parameters, as without beliefs.
- ``learning:``: what both sides observe each month and with what noise, and the settings of the
  hurting-stalemate indicator and of belief convergence.
- ``private:``: per party, a ``cost_multiplier`` on its war costs that only it knows.

Shapes and ranges are checked here; paths, party ids and sources in :func:`belief_problems`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, ValidationError

from ceasefire.scenario.distributions import Distribution, support
from ceasefire.scenario.sources import Basis, Source, SourceEntry
from ceasefire.scenario.types import Strict

if TYPE_CHECKING:
    from ceasefire.scenario.model import Scenario
    from ceasefire.scenario.problems import Loc, Problem

AID_SCALE = "aid.scale"
"""The belief path of a multiplier on every patron's aid (military and other); 1 in the analyst's war."""

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)]
# A multiplier on a party's war costs: positive, and within the range that keeps the war model's
# arithmetic finite (as the war section's own ranges do).
Multiplier = Annotated[Distribution, AfterValidator(support(0, 1e4, open_low=True))]


def _sources() -> Any:
    """The ``sources`` field of each belief section."""
    return Field(
        default_factory=list,
        description="Source ids, or source records (id, title, url, date, reliability, note) "
        "cited only here; basis entries may name both.",
    )


class PartyBeliefs(Strict):
    """One party's subjective prior over the war."""

    description: str | None = None
    sources: list[SourceEntry] = _sources()
    war: dict[str, Distribution] = Field(
        default_factory=dict,
        description="War parameter path (relative to war:, sides by party id, e.g. "
        "'sides[ukraine].forces', or 'aid.scale') -> the party's prior, a distribution.",
    )
    prior_strength: PositiveFloat = Field(
        12.0,
        description="Months of perfectly observed fighting that weigh as much as the prior "
        "(the likelihood's tempering; default 12).",
    )
    basis: dict[str, Basis] = Field(
        default_factory=dict,
        description="A path of 'war' or 'prior_strength' -> what the party said or did that "
        "shows this belief (sources) or an assumption.",
    )


class TerritoryObservation(Strict):
    """The reported monthly change of the territory issue."""

    noise_sd_pct: NonNegativeFloat = Field(
        description="Standard deviation of the reporting error, in the territory issue's units "
        "(percentage points of the country when the issue is measured in percent)."
    )


class CasualtyObservation(Strict):
    """Each side's reported monthly casualties."""

    noise_rel: NonNegativeFloat = Field(
        description="Relative error of the reports: the log standard deviation of the "
        "multiplicative noise (0.3: about +-30%)."
    )


class BreakObservation(Strict):
    """Whether each side's army has broken (collapsed) by the end of the month."""

    error: Annotated[float, Field(gt=0, lt=0.5, allow_inf_nan=False)] = Field(
        0.01,
        description="The probability the parties allow that an army breaks, or holds, against "
        "what the war model's breaking rule predicts (default 0.01): no prediction rules an "
        "observation out, so the likelihood stays finite.",
    )


class Observe(Strict):
    """What both sides observe each month; an omitted quantity is not observed."""

    territory: TerritoryObservation | None = None
    casualties: CasualtyObservation | None = None
    breaks: BreakObservation | None = Field(
        None,
        description="Whether each army has broken by the end of the month ({} for the "
        "defaults); omitted: not observed.",
    )


class Stalemate(Strict):
    """When a party perceives a hurting stalemate [Zartman2000]."""

    decisive_gain_pct: PositiveFloat = Field(
        10.0,
        description="A decisive gain: the front moving the party's way by this percentage of "
        "the territory issue's range within the horizon (default 10).",
    )
    p_decisive_below: Share = Field(
        0.1,
        description="No way to victory: the party's own probability of a decisive gain is "
        "below this (default 0.1).",
    )
    cost_rate_above: PositiveFloat = Field(
        1.0,
        description="It hurts: the party's expected cost of fighting on exceeds this multiple "
        "of what it expects fighting to gain (default 1).",
    )


class Learning(Strict):
    """What the parties learn from, and the indicators drawn from their beliefs."""

    description: str | None = None
    sources: list[SourceEntry] = _sources()
    observe: Observe = Field(default_factory=Observe)
    stalemate: Stalemate = Field(default_factory=Stalemate)
    converged_gap_pct: PositiveFloat = Field(
        2.0,
        description="The sides' beliefs have converged once their expected lines 12 months ahead "
        "differ by less than this percentage of the territory issue's range (default 2).",
    )
    basis: dict[str, Basis] = Field(
        default_factory=dict,
        description="'territory', 'casualties', 'breaks', 'stalemate' or 'converged_gap_pct' -> "
        "sources or an assumption.",
    )


class PrivateType(Strict):
    """What only the party knows about itself."""

    cost_multiplier: Multiplier = Field(
        description="Multiplies every war cost of the party (casualties, money, escalation, "
        "per month); drawn once per world, known to the party, not to the others."
    )
    sources: list[SourceEntry] = _sources()
    basis: dict[str, Basis] = Field(default_factory=dict)


_LEARNING_BASIS = {"territory", "casualties", "breaks", "stalemate", "converged_gap_pct"}


def belief_problems(scenario: Scenario) -> Iterator[Problem]:
    """Every cross-reference problem of ``beliefs:``, ``learning:`` and ``private:``."""
    from ceasefire.scenario.problems import Problem, scenario_source_ids

    sections = {
        "beliefs": scenario.beliefs,
        "learning": scenario.learning,
        "private": scenario.private,
    }
    given = [name for name, value in sections.items() if value is not None]
    if given and scenario.war is None:
        for name in given:
            yield Problem((name,), f"'{name}' needs a 'war:' section", key=True)
        return
    war = scenario.war
    if war is not None and war.settle_later and given:
        # The option to settle later is the war model's backward induction over the analyst's
        # world; the belief model values no deal without it (docs/explanation/beliefs.md).
        yield Problem(
            ("war", "settle_later"),
            f"'settle_later' cannot be combined with '{given[0]}': the belief model does not "
            "compute the option to settle later; remove one of them",
        )
    parties = {p.id for p in scenario.parties}
    known = scenario_source_ids(scenario)
    entries: list[tuple[Loc, list[Any]]] = [
        (("beliefs", party_id), b.sources) for party_id, b in (scenario.beliefs or {}).items()
    ]
    if scenario.learning is not None:
        entries.append((("learning",), scenario.learning.sources))
    entries += [
        (("private", party_id), x.sources) for party_id, x in (scenario.private or {}).items()
    ]
    records = {s.id for _, listed in entries for s in listed if isinstance(s, Source)}
    sources = known | records
    seen: set[str] = set()
    for where_, listed in entries:
        for index, source in enumerate(listed):
            if isinstance(source, Source):
                if source.id in known or source.id in seen:
                    yield Problem(
                        (*where_, "sources", index, "id"), f"duplicate source id '{source.id}'"
                    )
                seen.add(source.id)
            elif source not in sources:
                yield Problem((*where_, "sources", index), f"unknown source '{source}'")
    for party_id, beliefs in (scenario.beliefs or {}).items():
        where: Loc = ("beliefs", party_id)
        if party_id not in parties:
            yield Problem(where, f"beliefs of unknown party '{party_id}'", key=True)
        for path, prior in beliefs.war.items():
            message = _path_problem(scenario, path, prior)
            if message is not None:
                yield Problem((*where, "war", path), message, key=True)
            elif path not in beliefs.basis:
                yield Problem(
                    (*where, "war", path),
                    f"'{path}' needs a basis entry (sources or assumption)",
                    True,
                )
        yield from _basis(beliefs.basis, {*beliefs.war, "prior_strength"}, where, sources)
    if scenario.learning is not None:
        yield from _basis(scenario.learning.basis, _LEARNING_BASIS, ("learning",), sources)
    for party_id, private in (scenario.private or {}).items():
        where = ("private", party_id)
        if party_id not in parties:
            yield Problem(where, f"private type of unknown party '{party_id}'", key=True)
        if "cost_multiplier" not in private.basis:
            yield Problem(
                (*where, "cost_multiplier"),
                "'cost_multiplier' needs a basis entry (sources or assumption)",
                True,
            )
        yield from _basis(private.basis, {"cost_multiplier"}, where, sources)


def belief_source_records(scenario: Scenario) -> list[Source]:
    """The source records that ``beliefs:``, ``learning:`` and ``private:`` define themselves."""
    listed = [b.sources for b in (scenario.beliefs or {}).values()]
    listed += [scenario.learning.sources] if scenario.learning is not None else []
    listed += [x.sources for x in (scenario.private or {}).values()]
    return [s for sources in listed for s in sources if isinstance(s, Source)]


def _path_problem(scenario: Scenario, path: str, prior: Distribution) -> str | None:
    """Why ``prior`` cannot stand at ``path`` of the war section, or None."""
    from ceasefire.scenario.paths import PathError, parameter_at, with_war_numbers

    war = scenario.war
    assert war is not None
    if path == AID_SCALE:
        low, _ = prior.bounds
        return None if low >= 0 else f"'{AID_SCALE}' {prior.describe()} can take negative values"
    try:
        parameter_at(war, path)
        with_war_numbers(war, {path: prior})
    except PathError as error:
        return f"{error} (a path like 'sides[{war.sides[0].party}].forces', or '{AID_SCALE}')"
    except ValidationError as error:
        detail = error.errors()[0]["msg"].removeprefix("Value error, ")
        return f"'{path}': {detail}"
    return None


def _basis(
    basis: dict[str, Basis], allowed: set[str], where: Loc, sources: set[str]
) -> Iterator[Problem]:
    from ceasefire.scenario.problems import Problem

    for key, entry in basis.items():
        bloc: Loc = (*where, "basis", key)
        if key not in allowed:
            yield Problem(bloc, f"basis for '{key}', which this entry does not set", key=True)
        for index, source in enumerate(entry.sources):
            if source not in sources:
                yield Problem((*bloc, "sources", index), f"unknown source '{source}'")


__all__ = [
    "AID_SCALE",
    "BreakObservation",
    "CasualtyObservation",
    "Learning",
    "Observe",
    "PartyBeliefs",
    "PrivateType",
    "Stalemate",
    "TerritoryObservation",
    "belief_problems",
    "belief_source_records",
]
