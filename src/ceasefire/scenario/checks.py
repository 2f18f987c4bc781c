"""Cross-reference checks on a scenario whose entries each have the right shape.

Each check yields a :class:`Problem` with the path of the offending entry in the file (the
same kind of path pydantic reports), so that the loader can turn it into ``file:line:col``. All problems are
collected, not just the first.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ceasefire.scenario.beliefs import belief_problems
from ceasefire.scenario.commitment import commitment_problems
from ceasefire.scenario.distributions import point_value
from ceasefire.scenario.model import Issue, NumericBound, Scenario, UncertainRedLine
from ceasefire.scenario.proposals import proposal_problems
from ceasefire.scenario.record import record_problems
from ceasefire.scenario.war import war_problems

Loc = tuple[str | int, ...]

_BASIS_KEYS = {"weights", "red_lines", "no_deal", "reservation"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, at a path inside the file."""

    loc: Loc
    message: str
    key: bool = False  # point at the mapping key rather than its value


def check_scenario(scenario: Scenario) -> list[Problem]:
    """Every cross-reference problem of ``scenario`` (empty when it is consistent)."""
    return list(_problems(scenario))


def duplicates(ids: Sequence[str], where: Loc, what: str) -> Iterator[Problem]:
    counts = Counter(ids)
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if counts[item] > 1 and item in seen:
            yield Problem((*where, index, "id"), f"duplicate {what} id '{item}'")
        seen.add(item)


def unknown_sources(ids: Sequence[str], known: set[str], where: Loc) -> Iterator[Problem]:
    for index, source in enumerate(ids):
        if source not in known:
            yield Problem((*where, index), f"unknown source '{source}'")


def _problems(s: Scenario) -> Iterator[Problem]:
    source_ids = {src.id for src in s.sources}
    issues = {issue.id: issue for issue in s.issues}
    parties = {party.id: party for party in s.parties}

    yield from duplicates([x.id for x in s.sources], ("sources",), "source")
    yield from duplicates([x.id for x in s.parties], ("parties",), "party")
    yield from duplicates([x.id for x in s.issues], ("issues",), "issue")

    for c_index, item in enumerate(s.contested):
        yield from unknown_sources(item.sources, source_ids, ("contested", c_index, "sources"))
    for p_index, party in enumerate(s.parties):
        yield from unknown_sources(party.sources, source_ids, ("parties", p_index, "sources"))
        if party.id not in s.preferences:
            yield Problem(
                ("parties", p_index, "id"), f"party '{party.id}' has no preferences entry"
            )

    for i_index, issue in enumerate(s.issues):
        yield from _issue_problems(issue, ("issues", i_index), source_ids)

    for party_id, prefs in s.preferences.items():
        where: Loc = ("preferences", party_id)
        if party_id not in parties:
            yield Problem(where, f"preferences for unknown party '{party_id}'", key=True)
            continue
        party = parties[party_id]
        yield from unknown_sources(prefs.sources, source_ids, (*where, "sources"))
        # With a war model, the reservation value comes from the model; a fixed one is optional.
        fixed_needed = s.war is None or prefs.reservation is not None
        if (
            party.has_veto
            and (prefs.reservation is None) == (prefs.no_deal is None)
            and fixed_needed
        ):
            yield Problem(
                where,
                f"veto party '{party_id}' needs exactly one of 'reservation' and 'no_deal'",
                key=True,
            )
        for issue_id, weight in prefs.weights.items():
            if issue_id not in issues:
                yield Problem((*where, "weights", issue_id), f"unknown issue '{issue_id}'", True)
            elif point_value(weight) > 0 and issue_id not in prefs.values:
                yield Problem(
                    (*where, "weights", issue_id),
                    f"issue '{issue_id}' has weight {point_value(weight):g} but no entry in 'values'",
                    True,
                )
        for issue_id, value in prefs.values.items():
            vloc: Loc = (*where, "values", issue_id)
            if issue_id not in issues:
                yield Problem(vloc, f"unknown issue '{issue_id}'", key=True)
                continue
            issue = issues[issue_id]
            if issue.kind == "categorical":
                if not isinstance(value, dict):
                    yield Problem(vloc, "a categorical issue's values map each option id to 0..100")
                    continue
                for option in value:
                    if option not in issue.option_ids:
                        yield Problem(
                            (*vloc, option), f"'{option}' is not an option of '{issue_id}'", True
                        )
                missing = [o for o in issue.option_ids if o not in value]
                if missing:
                    yield Problem(vloc, f"no value for option(s) {', '.join(missing)}", key=True)
            else:
                if not isinstance(value, list):
                    yield Problem(vloc, "a numeric issue's values are a list of [x, value] points")
                    continue
                if not value:
                    yield Problem(vloc, "give at least one [x, value] point")
                xs = [x for x, _ in value]
                if any(b <= a for a, b in itertools.pairwise(xs)):
                    yield Problem(vloc, "the x of the points must increase strictly")
        for issue_id, red_line in prefs.red_lines.items():
            rloc: Loc = (*where, "red_lines", issue_id)
            if issue_id not in issues:
                yield Problem(rloc, f"unknown issue '{issue_id}'", key=True)
                continue
            yield from _red_line_problems(issues[issue_id], red_line, rloc)
        for key, basis in prefs.basis.items():
            bloc: Loc = (*where, "basis", key)
            if key not in _BASIS_KEYS and key not in issues:
                yield Problem(
                    bloc,
                    f"basis key '{key}' is neither an issue id nor one of "
                    f"{', '.join(sorted(_BASIS_KEYS))}",
                    key=True,
                )
            yield from unknown_sources(basis.sources, source_ids, (*bloc, "sources"))

    yield from war_problems(s)
    yield from belief_problems(s)
    yield from side_payment_problems(s)
    yield from commitment_problems(s)
    yield from record_problems(s)
    yield from proposal_problems(s)


def _issue_problems(issue: Issue, where: Loc, source_ids: set[str]) -> Iterator[Problem]:
    yield from unknown_sources(issue.sources, source_ids, (*where, "sources"))
    if issue.kind == "categorical":
        yield from duplicates(issue.option_ids, (*where, "options"), "option")
        for o_index, option in enumerate(issue.option_list):
            yield from unknown_sources(
                option.sources, source_ids, (*where, "options", o_index, "sources")
            )
        if issue.status_quo not in issue.option_ids:
            yield Problem(
                (*where, "status_quo"),
                f"status_quo '{issue.status_quo}' is not an option of '{issue.id}'",
            )
        return
    assert issue.range is not None and issue.grid is not None  # checked by the model
    low, high = issue.range
    assert not isinstance(issue.status_quo, str)
    if not low <= issue.status_quo <= high:
        yield Problem(
            (*where, "status_quo"),
            f"status_quo {issue.status_quo:g} is outside range [{low:g}, {high:g}]",
        )
    for g_index, value in enumerate(issue.grid):
        if not low <= value <= high:
            yield Problem((*where, "grid", g_index), f"grid value {value:g} is outside the range")
    if len(set(issue.grid)) != len(issue.grid):
        yield Problem((*where, "grid"), "grid values must be distinct")


def _red_line_problems(
    issue: Issue, red_line: list[str | float] | NumericBound | UncertainRedLine, where: Loc
) -> Iterator[Problem]:
    if isinstance(red_line, NumericBound):
        if issue.kind != "numeric":
            yield Problem(where, "'above'/'below' red lines apply to numeric issues only")
        return
    if isinstance(red_line, UncertainRedLine):
        red_line, where = red_line.options, (*where, "options")
    for index, option in enumerate(red_line):
        if issue.kind == "categorical":
            if option not in issue.option_ids:
                yield Problem((*where, index), f"'{option}' is not an option of '{issue.id}'")
        elif isinstance(option, str) or option not in (issue.grid or []):
            yield Problem((*where, index), f"{option!r} is not a grid value of '{issue.id}'")


def side_payment_problems(scenario: Scenario) -> Iterator[Problem]:
    """Cross-reference problems of the ``side_payments:`` section."""
    parties = {p.id: p for p in scenario.parties}
    sources = {s.id for s in scenario.sources}
    yield from duplicates(
        [p.id for p in scenario.side_payments], ("side_payments",), "side payment"
    )
    for index, payment in enumerate(scenario.side_payments):
        where = ("side_payments", index)
        offerer = parties.get(payment.offered_by)
        if offerer is None:
            yield Problem((*where, "offered_by"), f"unknown party '{payment.offered_by}'")
        elif offerer.role == "belligerent":
            yield Problem(
                (*where, "offered_by"),
                f"'{payment.offered_by}' is a belligerent; side payments come from patrons "
                "and mediators",
            )
        for party in payment.value:
            if party not in parties:
                yield Problem((*where, "value", party), f"unknown party '{party}'", key=True)
        yield from unknown_sources(payment.sources, sources, (*where, "sources"))
        if payment.basis is not None:
            yield from unknown_sources(payment.basis.sources, sources, (*where, "basis", "sources"))
