"""The ``proposals:`` section of a scenario: real peace proposals, mapped to the scenario's issues.

Each proposal names the option it gives on the issues it settles (``package``, by issue and option
id, or a grid value for a numeric issue), the issues it leaves open (``unspecified``), the clauses
of its text that no issue of the scenario expresses (``unmapped``), and its sources. ``ceasefire
score`` (:mod:`ceasefire.scoring`) scores each one; no other analysis reads the section, so a
scenario gives the same results with or without it.

An issue that a proposal neither settles nor lists as ``unspecified`` is open all the same; listing
it says that the text is silent on it, rather than that the mapping forgot it. Open issues are
scored at their status quo (see docs/how-to/score-a-proposal.md).

Shapes are checked here; cross-references (issue and option ids, the proposer, sources) in
:func:`proposal_problems`, called by :mod:`ceasefire.scenario.checks` and, for proposals read from
a file of their own, by :func:`ceasefire.scenario.load.load_proposals`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from ceasefire.scenario.sources import Source, SourceEntry
from ceasefire.scenario.types import Finite, Id, Strict

if TYPE_CHECKING:
    from ceasefire.scenario.model import Scenario
    from ceasefire.scenario.problems import Loc, Problem

MAX_PROPOSALS = 200


class Proposal(Strict):
    """One proposal for ending the war, as the scenario's issues express it."""

    id: Id
    name: str
    date: dt.date = Field(description="The day the proposal was made or published.")
    proposer: Id | None = Field(
        None,
        description="The party that made it (a party id). Its loss breaks ties between minimal "
        "edits; without one, the veto parties' total utility does.",
    )
    description: str | None = None
    package: dict[Id, Id | Finite] = Field(
        description="Issue id -> the option the proposal gives (a grid value for a numeric issue)."
    )
    unspecified: list[Id] = Field(
        default_factory=list,
        description="Issues the proposal leaves open; they are scored at their status quo.",
    )
    unmapped: list[str] = Field(
        default_factory=list,
        description="Clauses of the text that no issue of the scenario expresses (not scored).",
    )
    mapping: dict[Id, str] = Field(
        default_factory=dict,
        description="Issue id -> the clause of the text that gives the option chosen, and why.",
    )
    sources: Annotated[list[SourceEntry], Field(min_length=1)] = Field(
        description="Source ids (of the scenario, its war model, its record or another "
        "proposal), or source records (id, title, url, date, reliability, note) that only this "
        "proposal cites; at least one."
    )

    @property
    def source_records(self) -> list[Source]:
        return [s for s in self.sources if isinstance(s, Source)]


class ProposalsFile(Strict):
    """A file of proposals for ``ceasefire score --proposals FILE``: a ``proposals:`` list, the
    same as the scenario section."""

    proposals: list[Proposal] = Field(min_length=1, max_length=MAX_PROPOSALS)


def proposal_problems(
    scenario: Scenario, proposals: Sequence[Proposal] | None = None, top: Loc = ("proposals",)
) -> Iterator[Problem]:
    """Every cross-reference problem of ``proposals`` (default: the scenario's own)."""
    from ceasefire.scenario.problems import (
        Problem,
        duplicates,
        scenario_source_ids,
        unknown_sources,
    )

    entries = scenario.proposals if proposals is None else proposals
    known = scenario_source_ids(scenario, record=True)
    records: dict[str, int] = {}
    for index, proposal in enumerate(entries):
        for s_index, source in enumerate(proposal.sources):
            if isinstance(source, Source):
                if source.id in known or source.id in records:
                    yield Problem(
                        (*top, index, "sources", s_index, "id"),
                        f"duplicate source id '{source.id}'",
                    )
                records[source.id] = index
    defined = known | set(records)
    yield from duplicates([p.id for p in entries], top, "proposal")
    issues = {issue.id: issue for issue in scenario.issues}
    parties = {party.id for party in scenario.parties}
    for index, proposal in enumerate(entries):
        where: Loc = (*top, index)
        yield from unknown_sources(
            [s for s in proposal.sources if isinstance(s, str)],
            defined,
            (*where, "sources"),
        )
        if proposal.proposer is not None and proposal.proposer not in parties:
            yield Problem((*where, "proposer"), f"unknown party '{proposal.proposer}'")
        for issue_id, option in proposal.package.items():
            ploc: Loc = (*where, "package", issue_id)
            issue = issues.get(issue_id)
            if issue is None:
                yield Problem(ploc, f"unknown issue '{issue_id}'", key=True)
            elif issue.kind == "categorical":
                if option not in issue.option_ids:
                    yield Problem(
                        ploc,
                        f"'{option}' is not an option of '{issue_id}' "
                        f"(options: {', '.join(issue.option_ids)})",
                    )
            elif isinstance(option, str) or option not in (issue.grid or []):
                grid = ", ".join(f"{x:g}" for x in issue.grid or [])
                yield Problem(ploc, f"{option!r} is not a grid value of '{issue_id}' ({grid})")
        for u_index, issue_id in enumerate(proposal.unspecified):
            uloc: Loc = (*where, "unspecified", u_index)
            if issue_id not in issues:
                yield Problem(uloc, f"unknown issue '{issue_id}'")
            elif issue_id in proposal.package:
                yield Problem(uloc, f"issue '{issue_id}' is in the package and unspecified")
        for issue_id in proposal.mapping:
            if issue_id not in issues:
                yield Problem(
                    (*where, "mapping", issue_id), f"unknown issue '{issue_id}'", key=True
                )


def sources_of(scenario: Scenario, proposal: Proposal) -> list[dict[str, str | None]]:
    """The sources a proposal cites, as records (id, title, url, date): its own, the scenario's,
    the war model's, the record's or another proposal's."""
    records: dict[str, Source | object] = {}
    for known in scenario.sources:
        records[known.id] = known
    if scenario.war is not None:
        for record in scenario.war.source_records:
            records[record.id] = record
    if scenario.record is not None:
        for record in scenario.record.source_records:
            records[record.id] = record
    for other in scenario.proposals:
        for record in other.source_records:
            records[record.id] = record
    for record in proposal.source_records:
        records[record.id] = record
    out = []
    for entry in proposal.sources:
        key = entry if isinstance(entry, str) else entry.id
        found = records.get(key)
        out.append(
            {
                "id": key,
                "title": getattr(found, "title", None),
                "url": getattr(found, "url", None),
                "date": getattr(found, "date", None),
            }
        )
    return out
