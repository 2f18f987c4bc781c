"""The ``record:`` section of a scenario: what really happened after ``as_of``, for scoring only.

A scenario states what was known at ``as_of``; its record states what came after: the agreement
(its date and the package agreed, given on the scenario's own issues) or the date until which none
came, talks opening and breaking off, exogenous events, and dated figures of the front and of each
side's casualties, every entry with its sources. No analysis reads this section except
``ceasefire backtest`` (:mod:`ceasefire.validation.backtest`), which holds the model's forecasts
against it; an analysis of a scenario gives the same result with or without it.

Shapes are checked here; cross-references (issue and option ids, side ids, sources, dates after
``as_of``) in :func:`record_problems`, called by :mod:`ceasefire.scenario.checks`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from ceasefire.scenario.problems import scenario_source_ids, section_source_problems
from ceasefire.scenario.sources import Source, SourceEntry
from ceasefire.scenario.types import Finite, Id, Strict

if TYPE_CHECKING:
    from ceasefire.scenario.model import Scenario
    from ceasefire.scenario.problems import Loc, Problem

Sources = Annotated[list[Id], Field(min_length=1, description="Source ids (at least one).")]


class Agreement(Strict):
    """The agreement that ended the fighting, as a partial package of the scenario's issues."""

    date: dt.date = Field(description="The day the agreement was signed or took effect.")
    package: dict[Id, Id | Finite] = Field(
        description="Issue id -> the option agreed (a number for a numeric issue). Issues left "
        "out were not settled by the agreement: they stay at their status quo."
    )
    description: str | None = None
    sources: Sources


class Talks(Strict):
    """Talks opening, or breaking off, on a date."""

    date: dt.date
    status: Literal["open", "suspended"]
    note: str | None = None
    sources: Sources


class Event(Strict):
    """An exogenous event the model does not contain (a leader's death, an election)."""

    date: dt.date
    what: str
    sources: Sources


class FrontObservation(Strict):
    """Where the front stood on a date, in the unit of the war model's territory issue."""

    date: dt.date
    value: Finite = Field(description="The territory issue's value on that date (best estimate).")
    low: Finite | None = Field(None, description="Lowest value the sources give.")
    high: Finite | None = Field(None, description="Highest value the sources give.")
    note: str | None = None
    sources: Sources

    @model_validator(mode="after")
    def _ordered(self) -> FrontObservation:
        low = self.value if self.low is None else self.low
        high = self.value if self.high is None else self.high
        if not low <= self.value <= high:
            raise ValueError("need low <= value <= high")
        return self


class CasualtyObservation(Strict):
    """Killed and wounded per side between two dates."""

    date: dt.date = Field(description="The end of the period counted.")
    since: dt.date | None = Field(
        None, description="The start of the period counted (default: the scenario's as_of)."
    )
    values: dict[Id, Annotated[float, Field(ge=0, allow_inf_nan=False)]] = Field(
        min_length=1, description="Side id -> casualties (killed and wounded) in the period."
    )
    note: str | None = None
    sources: Sources

    @model_validator(mode="after")
    def _ordered(self) -> CasualtyObservation:
        if self.since is not None and self.since >= self.date:
            raise ValueError("'since' must be before 'date'")
        return self


class Record(Strict):
    """What happened after ``as_of`` (``record:``), used only by ``ceasefire backtest``."""

    description: str | None = None
    sources: list[SourceEntry] = Field(
        default_factory=list,
        description="Source ids, or source records (id, title, url, date, reliability, note) "
        "that only the record cites.",
    )
    agreement: Agreement | None = None
    no_agreement_until: dt.date | None = Field(
        None, description="No agreement was reached up to this date (the end of the record)."
    )
    talks: list[Talks] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    front: list[FrontObservation] = Field(default_factory=list)
    casualties: list[CasualtyObservation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_an_end(self) -> Record:
        if self.agreement is None and self.no_agreement_until is None:
            raise ValueError("give 'agreement' or 'no_agreement_until' (what the record scores)")
        if (
            self.agreement is not None
            and self.no_agreement_until is not None
            and self.no_agreement_until >= self.agreement.date
        ):
            raise ValueError("'no_agreement_until' must be before the agreement's date")
        return self

    @property
    def source_records(self) -> list[Source]:
        """The source records the section defines itself."""
        return [s for s in self.sources if isinstance(s, Source)]

    @property
    def end(self) -> dt.date:
        """The last date the record speaks for: the agreement's, or ``no_agreement_until``."""
        if self.agreement is not None:
            return self.agreement.date
        assert self.no_agreement_until is not None
        return self.no_agreement_until


# ---- cross-reference checks ---------------------------------------------------------------------


def record_problems(scenario: Scenario) -> Iterator[Problem]:
    """Every cross-reference problem of the ``record:`` section (none if there is no section)."""
    from ceasefire.scenario.problems import Problem, unknown_sources

    record = scenario.record
    if record is None:
        return
    top: Loc = ("record",)
    known = scenario_source_ids(scenario)
    yield from section_source_problems(record.sources, known, (*top, "sources"))
    source_ids = known | {s.id for s in record.source_records}

    def sources_of(ids: list[str], where: Loc) -> Iterator[Problem]:
        return unknown_sources(ids, source_ids, (*where, "sources"))

    def after_as_of(date: dt.date, where: Loc) -> Iterator[Problem]:
        if date <= scenario.as_of:
            yield Problem(where, f"{date.isoformat()} is not after as_of ({scenario.as_of})")

    issues = {issue.id: issue for issue in scenario.issues}
    if record.agreement is not None:
        # The agreement is made on the options on the table at its date: events may add some.
        added: dict[str, set[str]] = {}
        for event in scenario.events or []:
            if event.date <= record.agreement.date:
                for new in event.options:
                    added.setdefault(new.issue, set()).add(new.option.id)
        aloc: Loc = (*top, "agreement")
        yield from after_as_of(record.agreement.date, (*aloc, "date"))
        yield from sources_of(record.agreement.sources, aloc)
        for issue_id, option in record.agreement.package.items():
            ploc: Loc = (*aloc, "package", issue_id)
            issue = issues.get(issue_id)
            if issue is None:
                yield Problem(ploc, f"unknown issue '{issue_id}'", key=True)
            elif issue.kind == "categorical":
                if option not in issue.option_ids and option not in added.get(issue_id, set()):
                    yield Problem(ploc, f"'{option}' is not an option of '{issue_id}'")
            elif isinstance(option, str):
                yield Problem(ploc, f"'{issue_id}' is numeric: give a number, not '{option}'")
            else:
                assert issue.range is not None
                if not issue.range[0] <= option <= issue.range[1]:
                    yield Problem(ploc, f"{option:g} is outside the range of '{issue_id}'")
    if record.no_agreement_until is not None:
        yield from after_as_of(record.no_agreement_until, (*top, "no_agreement_until"))
    dated: list[tuple[str, Sequence[Talks | Event]]] = [
        ("talks", record.talks),
        ("events", record.events),
    ]
    for name, entries in dated:
        for index, entry in enumerate(entries):
            yield from after_as_of(entry.date, (*top, name, index, "date"))
            yield from sources_of(entry.sources, (*top, name, index))

    war = scenario.war
    for index, front in enumerate(record.front):
        floc: Loc = (*top, "front", index)
        yield from after_as_of(front.date, (*floc, "date"))
        yield from sources_of(front.sources, floc)
        if war is None:
            yield Problem(floc, "front figures need a 'war:' section (its territory issue)")
            continue
        issue = issues.get(war.front.issue)
        if issue is not None and issue.range is not None:
            low, high = issue.range
            for field in ("value", "low", "high"):
                number = getattr(front, field)
                if number is not None and not low <= number <= high:
                    yield Problem(
                        (*floc, field),
                        f"{number:g} is outside the range of '{issue.id}' [{low:g}, {high:g}]",
                    )
    sides = war.side_ids() if war is not None else ()
    for index, casualties in enumerate(record.casualties):
        cloc: Loc = (*top, "casualties", index)
        yield from after_as_of(casualties.date, (*cloc, "date"))
        if casualties.since is not None and casualties.since < scenario.as_of:
            yield Problem(
                (*cloc, "since"), f"{casualties.since} is before as_of ({scenario.as_of})"
            )
        yield from sources_of(casualties.sources, cloc)
        if war is None:
            yield Problem(cloc, "casualty figures need a 'war:' section (its two sides)")
            continue
        for side in casualties.values:
            if side not in sides:
                yield Problem(
                    (*cloc, "values", side),
                    f"'{side}' is not one of the war model's sides ({', '.join(sides)})",
                    key=True,
                )
