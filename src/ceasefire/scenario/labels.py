"""What a person reads for a scenario's ids and numbers: option labels, issue names with units,
and one number format.

Every page, table and figure a person reads writes numbers the same way (:func:`number_text`:
thousands separated by commas, three significant digits below a thousand), options by their
label and numeric issues with their unit.

>>> number_text(5273.4), number_text(13000), number_text(0.25), number_text(-32)
('5,273', '13,000', '0.25', '-32')
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from ceasefire.scenario.model import Issue, Scenario


def number_text(value: Any) -> str:
    """A number as every page writes it; "—" for none or a value that is not finite."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def option_text(issue: Issue | None, value: Any) -> str:
    """An issue's value as a person reads it: a categorical option's label, or a number with
    the issue's unit (``12 %``, ``1,500 km²``)."""
    if issue is None:
        return number_text(value) if isinstance(value, int | float) else str(value)
    if issue.kind == "categorical":
        for option in issue.option_list:
            if option.id == value:
                return option.label or option.id.replace("_", " ")
        return str(value)
    text = number_text(value) if isinstance(value, int | float) else str(value)
    return f"{text} {issue.unit}" if issue.unit else text


def package_changes(
    scenario: Scenario, package: Mapping[str, Any], status_quo: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """``(issue name, option text)`` for each issue of ``package`` (only those that differ from
    ``status_quo`` when it is given), in the package's order."""
    issues = {issue.id: issue for issue in scenario.issues}
    rows = []
    for issue_id, value in package.items():
        if status_quo is not None and status_quo.get(issue_id) == value:
            continue
        issue = issues.get(issue_id)
        rows.append((issue.name if issue else issue_id, option_text(issue, value)))
    return rows


def package_text(
    scenario: Scenario, package: Mapping[str, Any], status_quo: Mapping[str, Any] | None = None
) -> str:
    """A package in one line: ``issue: option; issue: option`` (changes only, given the status
    quo; "the status quo on every issue" when nothing changes)."""
    rows = package_changes(scenario, package, status_quo)
    if not rows and status_quo is not None:
        return "the status quo on every issue"
    return "; ".join(f"{name}: {text}" for name, text in rows)


_WAR_COSTS = {
    "per_10k_casualties": "points per 10,000 casualties",
    "per_10bn_usd": "points per USD 10 bn",
    "per_month": "points per month of war",
    "escalation": "points lost to catastrophic escalation",
    "discount_monthly": "monthly discount rate",
}


def input_label(path: str, scenario: Scenario | None) -> str:
    """A scenario input's path (``preferences.russia.weights.crimea``, as ``sensitivity`` and the
    what-if sliders name it) in words: ``Russia: weight of Crimea``; the path itself when it is
    not one of the shapes below."""
    if scenario is None:
        return path
    parties = {p.id: p.name for p in scenario.parties}
    issues = {i.id: i for i in scenario.issues}
    keys = path.split(".")
    if len(keys) >= 3 and keys[0] == "preferences" and keys[1] in parties:
        who, rest = parties[keys[1]], keys[2:]
        if rest in (["reservation"], ["no_deal"]):
            return f"{who}: value of no deal"
        if rest in (["weights"], ["values"], ["red_lines"]):
            return f"{who}: {rest[0].replace('_', ' ')}"
        if rest == ["no_deal", "cost"]:
            return f"{who}: cost of no deal"
        if len(rest) == 2 and rest[0] == "weights" and rest[1] in issues:
            return f"{who}: weight of {issues[rest[1]].name}"
        if len(rest) >= 2 and rest[0] in ("values", "red_lines"):
            issue_id, _, point = rest[1].partition("[")
            issue = issues.get(issue_id)
            if issue is not None:
                what = "value" if rest[0] == "values" else "red line"
                detail = ""
                if len(rest) == 3:
                    detail = f" = {option_text(issue, rest[2])}"
                elif point:
                    detail = f", point {int(point.rstrip(']')) + 1}"
                return f"{who}: {what} of {issue.name}{detail}"
    if len(keys) == 4 and keys[:2] == ["war", "costs"] and keys[2] in parties:
        return f"{parties[keys[2]]}: {_WAR_COSTS.get(keys[3], keys[3].replace('_', ' '))}"
    side = re.fullmatch(r"war\.sides\[(\d+)\]\.(.+)", path)
    war = scenario.war
    if side is not None and war is not None and int(side.group(1)) < len(war.sides):
        party = war.sides[int(side.group(1))].party
        what = side.group(2).replace("_", " ").replace(".", ", ")
        return f"{parties.get(party, party)} (war): {what}"
    if keys[0] == "war" and len(keys) > 1:
        return "war model: " + ", ".join(k.replace("_", " ") for k in keys[1:])
    return path
