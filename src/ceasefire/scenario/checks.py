"""Cross-reference checks on a scenario whose entries each have the right shape.

Each check yields a :class:`Problem` with the path of the offending entry in the file (the
same kind of path pydantic reports), so that the loader can turn it into ``file:line:col``. All problems are
collected, not just the first.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from ceasefire.scenario.beliefs import belief_problems
from ceasefire.scenario.commitment import commitment_problems
from ceasefire.scenario.distributions import point_value
from ceasefire.scenario.events import event_problems
from ceasefire.scenario.model import Issue, NumericBound, Preferences, Scenario, UncertainRedLine
from ceasefire.scenario.problems import (
    Loc,
    Problem,
    duplicates,
    section_source_problems,
    unknown_sources,
)
from ceasefire.scenario.proposals import proposal_problems
from ceasefire.scenario.record import record_problems
from ceasefire.scenario.war import _Block

_BASIS_KEYS = {"weights", "red_lines", "no_deal", "reservation"}


def check_scenario(scenario: Scenario) -> list[Problem]:
    """Every cross-reference problem of ``scenario`` (empty when it is consistent)."""
    return list(_problems(scenario))


def _problems(s: Scenario) -> Iterator[Problem]:
    source_ids = {src.id for src in s.sources}
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
        yield from preference_problems(s, party_id, prefs, where, source_ids)

    yield from war_problems(s)
    yield from belief_problems(s)
    yield from side_payment_problems(s)
    yield from commitment_problems(s)
    yield from record_problems(s)
    yield from event_problems(s, preference_problems, red_line_problems)
    yield from proposal_problems(s)


def preference_problems(
    s: Scenario, party_id: str, prefs: Preferences, where: Loc, source_ids: set[str]
) -> Iterator[Problem]:
    """Problems of one party's preferences entry (at ``where``) in scenario ``s``."""
    party = s.party(party_id)
    issues = {issue.id: issue for issue in s.issues}
    yield from unknown_sources(prefs.sources, source_ids, (*where, "sources"))
    # With a war model, the reservation value comes from the model; a fixed one is optional.
    fixed_needed = s.war is None or prefs.reservation is not None
    if party.has_veto and (prefs.reservation is None) == (prefs.no_deal is None) and fixed_needed:
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
        yield from red_line_problems(issues[issue_id], red_line, rloc)
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


def red_line_problems(
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


# ---- the war: section ---------------------------------------------------------------------------


def war_problems(scenario: Scenario) -> Iterator[Problem]:
    """Every cross-reference problem of the ``war:`` section (none if there is no section)."""
    war = scenario.war
    if war is None:
        return
    parties = {p.id for p in scenario.parties}
    scenario_sources = {s.id for s in scenario.sources}
    source_ids = scenario_sources | {s.id for s in war.source_records}
    issues = {i.id: i for i in scenario.issues}
    side_ids = [s.party for s in war.sides]
    top: Loc = ("war",)

    yield from section_source_problems(war.sources, scenario_sources, (*top, "sources"))

    for index, side in enumerate(war.sides):
        where: Loc = (*top, "sides", index)
        if side.party not in parties:
            yield Problem((*where, "party"), f"unknown party '{side.party}'")
        yield from _basis_problems(side, where, source_ids)
    if side_ids[0] == side_ids[1]:
        yield Problem((*top, "sides", 1, "party"), "the two sides must be different parties")

    front = war.front
    floc: Loc = (*top, "front")
    issue = issues.get(front.issue)
    if issue is None:
        yield Problem((*floc, "issue"), f"unknown issue '{front.issue}'")
    elif issue.kind != "numeric":
        yield Problem((*floc, "issue"), f"issue '{front.issue}' is not numeric")
    yield from _side_problems(front.gains_for, side_ids, (*floc, "gains_for"))
    yield from _basis_problems(front, floc, source_ids)
    yield from _basis_problems(war.combat, (*top, "combat"), source_ids)

    for index, aid in enumerate(war.aid):
        where = (*top, "aid", index)
        if aid.party not in parties:
            yield Problem((*where, "party"), f"unknown party '{aid.party}'")
        yield from _side_problems(aid.to, side_ids, (*where, "to"))
        if aid.to in side_ids:
            receiver = war.sides[side_ids.index(aid.to)]
            if receiver.aid_max_gain is None:
                yield Problem(
                    (*where, "to"),
                    f"aid to '{aid.to}' has no effect: give that side aid_max_gain, "
                    "aid_half_usd_bn_per_month and aid_reference_usd_bn_per_month",
                )
        yield from _basis_problems(aid, where, source_ids)

    if war.escalation is not None:
        eloc: Loc = (*top, "escalation")
        yield from _side_problems(war.escalation.nuclear_side, side_ids, (*eloc, "nuclear_side"))
        yield from _basis_problems(war.escalation, eloc, source_ids)

    if war.campaign is not None:
        campaign_loc: Loc = (*top, "campaign")
        yield from _side_problems(war.campaign.attacker, side_ids, (*campaign_loc, "attacker"))
        yield from _basis_problems(war.campaign, campaign_loc, source_ids)

    for side_id, outcome in (war.outcomes or {}).items():
        oloc: Loc = (*top, "outcomes", side_id)
        yield from _side_problems(side_id, side_ids, oloc, key=True)
        for issue_id, value in outcome.terms.items():
            tloc: Loc = (*oloc, "terms", issue_id)
            term_issue = issues.get(issue_id)
            if term_issue is None:
                yield Problem(tloc, f"unknown issue '{issue_id}'", key=True)
            elif term_issue.kind == "categorical":
                if value not in term_issue.option_ids:
                    yield Problem(tloc, f"'{value}' is not an option of issue '{issue_id}'")
            elif isinstance(value, str):
                yield Problem(tloc, f"issue '{issue_id}' is numeric: give a number")
            elif term_issue.range is not None and not (
                term_issue.range[0] <= value <= term_issue.range[1]
            ):
                yield Problem(tloc, f"{value:g} is outside the range of issue '{issue_id}'")
        for index, source in enumerate(outcome.basis.sources):
            if source not in source_ids:
                yield Problem((*oloc, "basis", "sources", index), f"unknown source '{source}'")

    cloc: Loc = (*top, "costs")
    for party_id, costs in war.costs.items():
        where = (*cloc, party_id)
        if party_id not in parties:
            yield Problem(where, f"costs for unknown party '{party_id}'", key=True)
        for index, other in enumerate(costs.casualties_of or []):
            yield from _side_problems(other, side_ids, (*where, "casualties_of", index))
        yield from _basis_problems(costs, where, source_ids)
    missing = [p.id for p in scenario.parties if p.id not in war.costs]
    if missing:
        yield Problem(cloc, f"no costs for party(ies) {', '.join(missing)}", key=True)


def _side_problems(
    party: str, side_ids: Sequence[str], where: Loc, *, key: bool = False
) -> Iterator[Problem]:
    """A field at ``where`` (a mapping key with ``key``) that must name one of the two sides."""
    if party not in side_ids:
        yield Problem(where, f"'{party}' is not one of the two sides", key=key)


def _basis_problems(block: _Block, where: Loc, source_ids: set[str]) -> Iterator[Problem]:
    fields = set(type(block).model_fields) - type(block)._not_parameters()
    for name in sorted(block.parameters_set()):
        if name not in block.basis:
            yield Problem(
                (*where, name), f"'{name}' needs a basis entry (sources or assumption)", True
            )
    for name, basis in block.basis.items():
        bloc: Loc = (*where, "basis", name)
        if name not in fields:
            yield Problem(bloc, f"basis for unknown parameter '{name}'", key=True)
        for index, source in enumerate(basis.sources):
            if source not in source_ids:
                yield Problem((*bloc, "sources", index), f"unknown source '{source}'")


__all__ = [
    "Loc",
    "Problem",
    "check_scenario",
    "duplicates",
    "section_source_problems",
    "side_payment_problems",
    "unknown_sources",
    "war_problems",
]
