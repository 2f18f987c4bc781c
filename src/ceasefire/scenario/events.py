"""The ``events:`` section of a scenario: dated changes to the scenario itself.

A scenario describes the negotiation on its ``as_of`` date. An *event* changes it from a later
date: a party's preferences are replaced (a change of government or of policy), a red line hardens
or is dropped (a constitutional amendment, a decree), a new option is put on the table (a
compromise proposal), or a leader dies and the successor's stated position replaces the old one.
Each event has a date after ``as_of``, a short description, its sources, and one or more changes:

- ``preferences``: party id -> the party's whole preferences entry from that date (the same
  fields as under ``preferences:``);
- ``red_lines``: party id -> issue id -> the red line from that date (the same forms as under
  ``red_lines:``), or ``null`` when the red line is dropped;
- ``options``: options added to a categorical issue, each with the value of the new option to every
  party that values the issue.

:func:`scenario_at` gives the scenario as it stands at a date (every event on or before it applied,
in date order, events of the same date in file order); :func:`scenario_at_month` the same at month
``t`` of the analyses (``as_of`` plus ``t`` months of 365.25/12 days: an event counts from the
first month whose date is on or after its own). Without events, both return the scenario itself,
so that every analysis is unchanged. Analyses of one date (``analyze`` at ``as_of``) never see a
later event; analyses month by month (ripeness, backtest) use each month's scenario.

Shapes are checked here; cross-references (ids, the changed scenario's consistency) in
:func:`event_problems`, called by :mod:`ceasefire.scenario.checks`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, model_validator

from ceasefire.scenario.types import Id, Strict

if TYPE_CHECKING:
    from ceasefire.scenario.model import Scenario
    from ceasefire.scenario.problems import Loc, Problem

DAYS_PER_MONTH = 365.25 / 12
"""The length of the analyses' month in days (month ``t`` is ``as_of`` plus ``t`` of them)."""

Sources = Annotated[list[Id], Field(min_length=1, description="Source ids (at least one).")]


def months_after(as_of: dt.date, date: dt.date) -> float:
    """Months (of 365.25/12 days) from ``as_of`` to ``date``."""
    return (date - as_of).days / DAYS_PER_MONTH


def month_reached(as_of: dt.date, date: dt.date) -> int:
    """The first month index whose date is on or after ``date``."""
    return max(0, math.ceil(months_after(as_of, date) - 1e-9))


def month_date(as_of: dt.date, month: int) -> dt.date:
    """The date of month ``month`` (``as_of`` plus ``month`` months of 365.25/12 days, rounded
    down to a day)."""
    return as_of + dt.timedelta(days=math.floor(month * DAYS_PER_MONTH + 1e-9))


EventKind = Literal["preferences", "red_line", "option", "leader", "other"]


class NewOptionBase(Strict):
    """Shared fields of an option put on the table by an event (completed in the model module)."""

    issue: Id = Field(description="The categorical issue the option is added to.")


class EventBase(Strict):
    """Shared fields of an event (the changes are typed in the model module)."""

    id: Id
    date: dt.date = Field(description="From this day on the scenario is changed (after as_of).")
    kind: EventKind = Field(
        description="What kind of change: 'preferences' (a change of government or policy), "
        "'red_line', 'option' (a new option on the table), 'leader' (a leader's death or "
        "replacement) or 'other'. For people and reports; the changes say what changes."
    )
    what: str = Field(description="What happened, in one or two sentences.")
    sources: Sources

    @model_validator(mode="after")
    def _has_a_change(self) -> EventBase:
        changes = (
            getattr(self, "preferences", None),
            getattr(self, "red_lines", None),
            getattr(self, "options", None),
        )
        if not any(changes):
            raise ValueError(
                "an event changes the scenario: give 'preferences', 'red_lines' or 'options' "
                "(what happened without changing the scenario belongs in record.events)"
            )
        return self


# ---- the scenario as it stands at a date -------------------------------------------------------


def ordered_events(scenario: Scenario) -> list[tuple[int, Any]]:
    """``(index in the file, event)`` in the order they apply: by date, then file order."""
    return sorted(enumerate(scenario.events), key=lambda pair: (pair[1].date, pair[0]))


def apply_event(scenario: Scenario, event: Any) -> Scenario:
    """``scenario`` with one event's changes made (the event is not removed from its list)."""
    issues = list(scenario.issues)
    preferences = dict(scenario.preferences)
    for added in event.options:
        index = next(k for k, issue in enumerate(issues) if issue.id == added.issue)
        issue = issues[index]
        issues[index] = issue.model_copy(update={"options": [*(issue.options or []), added.option]})
        for party, value in added.values.items():
            if party in preferences and added.issue in preferences[party].values:
                prefs = preferences[party]
                old = prefs.values[added.issue]
                assert isinstance(old, dict)
                values = {**prefs.values, added.issue: {**old, added.option.id: value}}
                preferences[party] = prefs.model_copy(update={"values": values})
    for party, prefs in event.preferences.items():
        preferences[party] = prefs
    for party, lines in event.red_lines.items():
        prefs = preferences[party]
        red_lines = dict(prefs.red_lines)
        for issue_id, line in lines.items():
            if line is None:
                red_lines.pop(issue_id, None)
            else:
                red_lines[issue_id] = line
        preferences[party] = prefs.model_copy(update={"red_lines": red_lines})
    return scenario.model_copy(update={"issues": issues, "preferences": preferences})


def scenario_at(scenario: Scenario, date: dt.date) -> Scenario:
    """The scenario as it stands on ``date``: every event dated on or before it applied.

    The events still to come stay in its ``events`` list; without events that apply, the scenario
    itself is returned (the same object).
    """
    due = [(i, e) for i, e in ordered_events(scenario) if e.date <= date]
    if not due:
        return scenario
    current = scenario
    for _, event in due:
        current = apply_event(current, event)
    applied = {i for i, _ in due}
    left = [e for i, e in enumerate(scenario.events) if i not in applied]
    return current.model_copy(update={"events": left})


def event_month(scenario: Scenario, event: Any) -> int:
    """The first month of the analyses in which ``event`` has happened."""
    return month_reached(scenario.as_of, event.date)


def scenario_at_month(scenario: Scenario, month: int) -> Scenario:
    """The scenario as it stands at month ``month`` of the analyses (see the module's docstring)."""
    due = [e for e in scenario.events if event_month(scenario, e) <= month]
    if not due:
        return scenario
    return scenario_at(scenario, max(e.date for e in due))


def epochs(scenario: Scenario, months: int) -> list[tuple[int, int, Scenario]]:
    """``(first, end, scenario)`` for the stretches of months ``0..months-1`` in which the
    scenario stays the same (``end`` exclusive); one stretch when no event falls in them."""
    starts = sorted({0, *(event_month(scenario, e) for e in scenario.events)})
    starts = [m for m in starts if m < months]
    bounds = [*starts, months]
    return [
        (first, end, scenario_at_month(scenario, first))
        for first, end in itertools.pairwise(bounds)
    ]


# ---- cross-reference checks ---------------------------------------------------------------------


def known_sources(scenario: Scenario) -> set[str]:
    """Source ids an event may cite: the scenario's, the war model's and the record's own (what
    happened after ``as_of`` is often sourced only there)."""
    from ceasefire.scenario.problems import scenario_source_ids

    return scenario_source_ids(scenario, record=True)


def event_problems(
    scenario: Scenario, preference_problems: Any, red_line_problems: Any
) -> Iterator[Problem]:
    """Every cross-reference problem of the ``events:`` section (none if it is empty).

    ``preference_problems`` and ``red_line_problems``: the checks of
    :mod:`ceasefire.scenario.checks` for a party's preferences and for a red line, given by
    that module (which calls this one).

    Each event is checked against the scenario as it stands just before it (so an option added
    by an earlier event can be valued, and a red line set on it), and the scenario after it must
    be consistent: the changed preferences are checked like the preferences of the file, with
    their problems located in the event.
    """
    from ceasefire.scenario.problems import Problem, duplicates, unknown_sources

    if not scenario.events:
        return
    yield from duplicates([e.id for e in scenario.events], ("events",), "event")
    source_ids = known_sources(scenario)
    parties = {p.id for p in scenario.parties}
    current = scenario
    for index, event in ordered_events(scenario):
        where: Loc = ("events", index)
        if event.date <= scenario.as_of:
            yield Problem(
                (*where, "date"),
                f"{event.date.isoformat()} is not after as_of ({scenario.as_of}): what held at "
                "as_of belongs in the scenario itself",
            )
        yield from unknown_sources(event.sources, source_ids, (*where, "sources"))
        bad = list(_change_problems(current, event, where, parties, red_line_problems))
        yield from bad
        if bad:
            continue
        after = apply_event(current, event)
        for party, prefs in event.preferences.items():
            yield from preference_problems(
                after, party, prefs, (*where, "preferences", party), source_ids
            )
        current = after


def _change_problems(
    current: Scenario, event: Any, where: Loc, parties: set[str], red_line_problems: Any
) -> Iterator[Problem]:
    from ceasefire.scenario.problems import Problem, unknown_sources

    issues = {issue.id: issue for issue in current.issues}
    source_ids = known_sources(current)
    for party in event.preferences:
        if party not in parties:
            yield Problem((*where, "preferences", party), f"unknown party '{party}'", key=True)
    for party, lines in event.red_lines.items():
        if party not in parties:
            yield Problem((*where, "red_lines", party), f"unknown party '{party}'", key=True)
            continue
        for issue_id, line in lines.items():
            loc: Loc = (*where, "red_lines", party, issue_id)
            if issue_id not in issues:
                yield Problem(loc, f"unknown issue '{issue_id}'", key=True)
            elif line is not None:
                yield from red_line_problems(issues[issue_id], line, loc)
            elif issue_id not in current.preferences[party].red_lines:
                yield Problem(loc, f"'{party}' has no red line on '{issue_id}' to drop", key=True)
    added: set[tuple[str, str]] = set()
    for o_index, new in enumerate(event.options):
        loc = (*where, "options", o_index)
        issue = issues.get(new.issue)
        if issue is None:
            yield Problem((*loc, "issue"), f"unknown issue '{new.issue}'")
            continue
        if issue.kind != "categorical":
            yield Problem((*loc, "issue"), f"'{new.issue}' is numeric: options are grid values")
            continue
        if new.option.id in issue.option_ids or (new.issue, new.option.id) in added:
            yield Problem(
                (*loc, "option", "id"), f"'{new.option.id}' is already an option of '{new.issue}'"
            )
        added.add((new.issue, new.option.id))
        yield from unknown_sources(new.option.sources, source_ids, (*loc, "option", "sources"))
        for party in new.values:
            if party not in parties:
                yield Problem((*loc, "values", party), f"unknown party '{party}'", key=True)
        replaced = set(event.preferences)
        missing = [
            party
            for party, prefs in current.preferences.items()
            if new.issue in prefs.values and party not in new.values and party not in replaced
        ]
        if missing:
            yield Problem(
                (*loc, "values"),
                f"no value of '{new.option.id}' for {', '.join(missing)} (who value '{new.issue}')",
                key=True,
            )


def event_summaries(scenario: Scenario, months: int | None = None) -> list[dict[str, Any]]:
    """The events as a JSON-ready list (id, date, month, kind, what, what they change), those
    within ``months`` months when it is given."""
    result = []
    for _, event in ordered_events(scenario):
        month = event_month(scenario, event)
        if months is not None and month >= months:
            continue
        changes: list[str] = [f"preferences.{party}" for party in event.preferences]
        changes += [
            f"preferences.{party}.red_lines.{issue}"
            for party, lines in event.red_lines.items()
            for issue in lines
        ]
        changes += [f"issues.{new.issue}.options.{new.option.id}" for new in event.options]
        result.append(
            {
                "id": event.id,
                "date": event.date.isoformat(),
                "month": month,
                "kind": event.kind,
                "what": event.what,
                "changes": changes,
                "sources": list(event.sources),
            }
        )
    return result


__all__ = [
    "DAYS_PER_MONTH",
    "EventBase",
    "EventKind",
    "NewOptionBase",
    "apply_event",
    "epochs",
    "event_month",
    "event_problems",
    "event_summaries",
    "month_date",
    "month_reached",
    "months_after",
    "ordered_events",
    "scenario_at",
    "scenario_at_month",
]
