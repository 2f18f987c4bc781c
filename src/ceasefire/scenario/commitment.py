"""The ``commitment:`` section of a scenario: whether a deal holds, and what follows if it breaks.

A deal is not enforced forever. The section gives (equations in ``docs/explanation/commitment.md``):

- ``horizon_months``: the period over which a deal is judged;
- ``hazard``: the monthly hazard that the deal breaks down, a ``base`` rate (or a published table
  of ``defaults``) times the hazard ratios of the options a package contains (``effects``), each
  keyed ``issue.option`` (or ``issue`` for a numeric issue: a ratio per unit above its status quo)
  [Fortna2003] [WernerYuen2005];
- ``compliance``: clauses one party may simply not carry out, with the probability ``p`` that it
  does;
- ``renewed_war``: the war if the deal breaks, which starts from the deal's line with forces
  rebuilt over ``reconstitution_months`` (under the deal's force caps if ``caps_bind``) and patrons'
  aid times ``aid_scale``; with ``self_enforcing``, a package that gives a party less than its
  renewed-war value is one it would renege on [Powell2006].

Shapes are checked here; cross-references (issues, options, parties, sources, mechanisms) in
:func:`commitment_problems`, called by :mod:`ceasefire.scenario.checks`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field, model_validator
from ruamel.yaml import YAML

from ceasefire.scenario.distributions import Distribution, support
from ceasefire.scenario.problems import scenario_source_ids, section_source_problems
from ceasefire.scenario.sources import Basis, Source, SourceEntry
from ceasefire.scenario.types import Id, Strict
from ceasefire.scenario.war import Forces, SignedPoints, UncertainProbability

# Ranges that keep the arithmetic finite and hold any real cease-fire by orders of magnitude.
Rate = Annotated[Distribution, AfterValidator(support(0, 10, open_low=True))]
Ratio = Annotated[Distribution, AfterValidator(support(0, 1e3, open_low=True))]
Months = Annotated[Distribution, AfterValidator(support(0, 1e4))]
Scale = Annotated[Distribution, AfterValidator(support(0, 100))]


if TYPE_CHECKING:
    from ceasefire.scenario.model import Issue, Scenario
    from ceasefire.scenario.problems import Loc, Problem

DEFAULTS_PACKAGE = "ceasefire.scenario.hazard_defaults"


class BaseHazard(Strict):
    """The monthly hazard of breakdown of a deal with none of the effects' options."""

    value: Rate = Field(description="Hazard rate per month (about the monthly probability).")
    basis: Basis


class HazardEffect(Strict):
    """A multiplicative hazard ratio: given (``ratio``) or a mechanism of the defaults table."""

    ratio: Ratio | None = Field(
        None, description="Hazard ratio (< 1: the option makes breakdown less likely)."
    )
    mechanism: Id | None = Field(
        None, description="A mechanism of the defaults table whose ratio applies (e.g. dmz)."
    )
    basis: Basis

    @model_validator(mode="after")
    def _one_of(self) -> HazardEffect:
        if (self.ratio is None) == (self.mechanism is None):
            raise ValueError("give either 'ratio' or 'mechanism'")
        return self


class Hazard(Strict):
    """The hazard model: a base rate and hazard ratios keyed by ``issue.option`` or ``issue``."""

    defaults: Id | None = Field(
        None, description="A shipped table of base rate and mechanism ratios (e.g. fortna2003)."
    )
    base: BaseHazard | None = Field(None, description="Overrides the defaults' base rate.")
    effects: dict[str, HazardEffect] = Field(
        default_factory=dict,
        description="'issue.option' (or a numeric 'issue': ratio per unit above its status "
        "quo) -> its hazard ratio.",
    )
    context: dict[Id, HazardEffect] = Field(
        default_factory=dict,
        description="Circumstances of the talks that apply to every package (e.g. a cease-fire "
        "imposed by outside pressure, an inconsistent battle record): name -> its ratio.",
    )

    @model_validator(mode="after")
    def _has_base(self) -> Hazard:
        if self.base is None and self.defaults is None:
            raise ValueError("give 'base' or 'defaults'")
        return self


class Compliance(Strict):
    """A clause that one party may not carry out: it does so with probability ``p``."""

    by: Id = Field(description="The party that must carry the clause out.")
    p: UncertainProbability = Field(description="Probability that it is carried out.")
    basis: Basis


class ForceCap(Strict):
    """What a force-ceiling option means for the renewed war: that side's forces at most this."""

    party: Id = Field(description="The side whose forces the option caps.")
    forces: Forces = Field(description="Personnel at most, while the deal is kept.")
    basis: Basis


class Shift(Strict):
    """The expected change in one party's value of war over the truce, in utility points."""

    value: SignedPoints = Field(description="Renewed-war value minus today's value of no deal.")
    basis: Basis


class RenewedWar(Strict):
    """The war that follows a breakdown."""

    reconstitution_months: Months = Field(
        default=Distribution(0.0),
        description="Months each side rebuilds its forces (at its recruitment rate) before war "
        "resumes.",
    )
    caps_bind: bool = Field(
        True, description="A force-ceiling option (see 'caps') caps that side in the renewed war."
    )
    caps: dict[str, ForceCap] = Field(
        default_factory=dict, description="'issue.option' of a force ceiling -> the cap."
    )
    aid_scale: Scale = Field(
        default=Distribution(1.0),
        description="Patrons' aid in the renewed war, as a multiple of today's.",
    )
    shift: dict[Id, Shift] = Field(
        default_factory=dict,
        description="Without a war: section, each party's renewed-war value is its value of no "
        "deal plus this shift (Powell's shift in power over the truce); default 0.",
    )
    self_enforcing: bool = Field(
        True,
        description="A package giving a veto party less than its renewed-war value is not "
        "accepted: that party would renege once it can [Powell2006].",
    )
    basis: dict[str, Basis] = Field(
        default_factory=dict, description="Parameter name -> its sources or assumption."
    )


class CommitmentSection(Strict):
    """Whether deals hold (``commitment:``)."""

    description: str | None = None
    sources: list[SourceEntry] = Field(
        default_factory=list,
        description="Source ids the section rests on, or source records (id, title, url, date, "
        "reliability, note) that only this section cites; basis entries may name both.",
    )
    horizon_months: int = Field(ge=1, le=600, description="Months over which a deal is judged.")
    hazard: Hazard
    compliance: dict[str, Compliance] = Field(
        default_factory=dict, description="'issue.option' -> who must carry it out, and p."
    )
    renewed_war: RenewedWar = Field(default_factory=RenewedWar)


# ---- the shipped tables of defaults -------------------------------------------------------------


class DefaultMechanism(Strict):
    """One mechanism of a table of defaults: its hazard ratio and where it comes from."""

    ratio: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    title: str
    source: str
    pages: str | None = None
    verified: bool = Field(description="Was the magnitude checked against the source's text?")
    note: str


class DefaultTable(Strict):
    """A shipped table: a base monthly hazard and the ratios of mechanisms."""

    id: Id
    title: str
    base: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    base_note: str
    sources: list[str]
    mechanisms: dict[Id, DefaultMechanism]


def default_table_names() -> list[str]:
    folder = files(DEFAULTS_PACKAGE)
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


@cache
def default_table(name: str) -> DefaultTable:
    """A shipped table of default hazards (``hazard: {defaults: NAME}``)."""
    if name not in default_table_names():
        raise KeyError(name)
    text = files(DEFAULTS_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return DefaultTable.model_validate(YAML(typ="safe").load(text))


# ---- keys and cross-references ------------------------------------------------------------------


def split_key(key: str, issues: Sequence[Issue]) -> tuple[Issue, str | None] | None:
    """``issue.option`` (or ``issue``) -> (the issue, the option id or None); None if unknown.

    Ids may contain dots, so every split is tried against the scenario's issue ids.
    """
    by_id = {i.id: i for i in issues}
    if key in by_id:
        return by_id[key], None
    for at in range(len(key)):
        if key[at] == "." and key[:at] in by_id:
            return by_id[key[:at]], key[at + 1 :]
    return None


def commitment_problems(scenario: Scenario) -> Iterator[Problem]:
    """Every cross-reference problem of the ``commitment:`` section (none without one)."""
    from ceasefire.scenario.problems import Problem

    section = scenario.commitment
    if section is None:
        return
    top: Loc = ("commitment",)
    sources = scenario_source_ids(scenario)
    yield from section_source_problems(section.sources, sources, (*top, "sources"))
    sources |= {s.id for s in section.sources if isinstance(s, Source)}
    parties = {p.id for p in scenario.parties}
    hazard = section.hazard
    table: DefaultTable | None = None
    if hazard.defaults is not None:
        names = default_table_names()
        if hazard.defaults in names:
            table = default_table(hazard.defaults)
        else:
            yield Problem(
                (*top, "hazard", "defaults"),
                f"no defaults table '{hazard.defaults}' (known: {', '.join(names)})",
            )
    if hazard.base is not None:
        yield from _basis_sources(hazard.base.basis, (*top, "hazard", "base", "basis"), sources)

    effects = [(("effects", key), effect) for key, effect in hazard.effects.items()]
    effects += [(("context", key), effect) for key, effect in hazard.context.items()]
    for (part, key), effect in effects:
        where: Loc = (*top, "hazard", part, key)
        if part == "effects":
            yield from _key_problems(key, where, scenario, numeric_ok=True)
        if effect.mechanism is not None and hazard.defaults is None:
            yield Problem(
                (*where, "mechanism"), "a 'mechanism' needs 'defaults' in the hazard section"
            )
        elif (
            effect.mechanism is not None
            and table is not None
            and effect.mechanism not in table.mechanisms
        ):
            yield Problem(
                (*where, "mechanism"),
                f"no mechanism '{effect.mechanism}' in table '{table.id}' (known: "
                f"{', '.join(table.mechanisms)})",
            )
        yield from _basis_sources(effect.basis, (*where, "basis"), sources)

    for key, clause in section.compliance.items():
        where = (*top, "compliance", key)
        yield from _key_problems(key, where, scenario, numeric_ok=False)
        if clause.by not in parties:
            yield Problem((*where, "by"), f"unknown party '{clause.by}'")
        yield from _basis_sources(clause.basis, (*where, "basis"), sources)

    renewed = section.renewed_war
    rloc: Loc = (*top, "renewed_war")
    sides = scenario.war.side_ids() if scenario.war is not None else ()
    for key, cap in renewed.caps.items():
        where = (*rloc, "caps", key)
        yield from _key_problems(key, where, scenario, numeric_ok=False)
        if cap.party not in sides:
            yield Problem(
                (*where, "party"),
                f"'{cap.party}' is not one of the two sides of the war: section"
                if sides
                else "force caps need a war: section (the two sides)",
            )
        yield from _basis_sources(cap.basis, (*where, "basis"), sources)
    for party, shift in renewed.shift.items():
        where = (*rloc, "shift", party)
        if party not in parties:
            yield Problem(where, f"unknown party '{party}'", key=True)
        if scenario.war is not None:
            yield Problem(
                where, "with a war: section the war model gives the renewed war; drop 'shift'", True
            )
        yield from _basis_sources(shift.basis, (*where, "basis"), sources)
    for name in sorted(renewed.model_fields_set & {"reconstitution_months", "aid_scale"}):
        if name not in renewed.basis:
            yield Problem(
                (*rloc, name), f"'{name}' needs a basis entry (sources or assumption)", True
            )
    for name, basis in renewed.basis.items():
        if name not in {"reconstitution_months", "aid_scale"}:
            yield Problem((*rloc, "basis", name), f"basis for unknown parameter '{name}'", True)
        yield from _basis_sources(basis, (*rloc, "basis", name), sources)


def _key_problems(
    key: str, where: Loc, scenario: Scenario, *, numeric_ok: bool
) -> Iterator[Problem]:
    from ceasefire.scenario.problems import Problem

    found = split_key(key, scenario.issues)
    if found is None:
        yield Problem(where, f"'{key}' names no issue (give 'issue.option')", key=True)
        return
    issue, option = found
    if issue.kind == "numeric":
        if option is not None:
            yield Problem(where, f"'{issue.id}' is numeric: give the issue id alone", key=True)
        elif not numeric_ok:
            yield Problem(where, f"'{issue.id}' is numeric: name a categorical option", key=True)
    elif option is None:
        yield Problem(where, f"'{issue.id}' is categorical: give 'issue.option'", key=True)
    elif option not in issue.option_ids:
        yield Problem(where, f"'{option}' is not an option of '{issue.id}'", key=True)


def _basis_sources(basis: Basis, where: Loc, sources: set[str]) -> Iterator[Problem]:
    from ceasefire.scenario.problems import unknown_sources

    yield from unknown_sources(basis.sources, sources, (*where, "sources"))
