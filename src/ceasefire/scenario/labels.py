"""How a person reads a scenario's ids: party names, issue names, option labels with units, numbers.

Everything a person reads (the terminal, tables, the report and the web app) names parties, issues
and options the way the scenario does (``name``, ``label``) rather than by their ids, gives a
numeric issue's value with its ``unit``, and writes numbers one way: thousands separated by
commas, never ``13k`` next to ``5,273``. Without a scenario (a result read back from JSON alone)
the ids are shown as they are.

One rule writes every number (:func:`number`): thousands separated by commas, a fixed number
of decimals when the caller asks for one, otherwise whole numbers from 1,000 up and three
significant digits below; ``—`` for a missing or non-finite value.

>>> number(5273.4, None), number(13000, None), number(0.25, None), number(-32, None)
('5,273', '13,000', '0.25', '-32')
>>> number(12345.678), count(12345.678), number(float("nan"))
('12,345.7', '12,346', '—')
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from ceasefire.scenario.model import Issue, Scenario

DASH = "—"
"""What a missing number reads as (never ``nan``)."""


def number(value: Any, digits: int | None = 1, *, sign: bool = False) -> str:
    """``value`` as every page, table and figure writes it: thousands separated by commas, with
    ``digits`` decimals (``12,345.6``), or, with ``digits=None``, as short as it reads (whole from
    1,000 up, three significant digits below: ``13,000``, ``5,273``, ``0.25``); ``—`` when it is
    missing or not finite; text as it is. ``sign``: a ``+`` before a positive number (a margin,
    a change)."""
    if value is None or isinstance(value, bool):
        return DASH if value is None else str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return DASH
    short = f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"
    text = short if digits is None else f"{x:,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return (
        f"+{text}" if sign and not text.startswith("-") and float(text.replace(",", "")) else text
    )


def count(value: Any) -> str:
    """A whole number of things: ``12,345`` (``—`` when missing)."""
    return number(value, 0)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` things, the noun singular for one: ``1 package``, ``12,345 packages``.

    >>> counted(1, "point"), counted(2, "point"), counted(0, "package"), counted(3, "party", "parties")
    ('1 point', '2 points', '0 packages', '3 parties')
    """
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def plain(value: Any) -> str:
    """A number as short as it is exact (``18``, ``0.25``, ``12,500``), the way a scenario's
    option values read; anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return DASH if value is None else str(value)
    if not math.isfinite(value):
        return DASH
    return f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.4g}"


class Labels:
    """The names a scenario gives its parties, issues and options."""

    def __init__(self, scenario: Scenario | None) -> None:
        self.scenario = scenario
        self._parties = {p.id: p.name for p in scenario.parties} if scenario else {}
        self._issues = {i.id: i for i in scenario.issues} if scenario else {}

    def party(self, party_id: str) -> str:
        """The party's name (its id if the scenario does not know it)."""
        return self._parties.get(party_id, party_id)

    def issue(self, issue_id: str) -> str:
        """The issue's name (its id if the scenario does not know it)."""
        issue = self._issues.get(issue_id)
        return issue.name if issue is not None else issue_id

    def unit(self, issue_id: str) -> str:
        """A numeric issue's unit ('' when it has none or is categorical)."""
        issue = self._issues.get(issue_id)
        return (issue.unit or "") if issue is not None and issue.kind == "numeric" else ""

    def option(self, issue_id: str, value: Any, *, unit: bool = True) -> str:
        """How an issue's outcome reads (:func:`option_text`; ``unit=False``: the bare number)."""
        return option_text(self._issues.get(issue_id), value, unit=unit)

    def path(self, path: str) -> str:
        """An input's path with its war sides named by party: ``war.sides[1].forces`` →
        ``war.sides[ukraine].forces``."""

        war = self.scenario.war if self.scenario is not None else None
        if war is None:
            return path
        sides = list(war.side_ids())

        def named(match: re.Match[str]) -> str:
            index = int(match[1])
            return f"sides[{sides[index]}]" if index < len(sides) else match[0]

        return re.sub(r"sides\[(\d+)\]", named, path)


def option_text(issue: Issue | None, value: Any, *, unit: bool = True) -> str:
    """An issue's value as a person reads it: a categorical option's label (its id in words
    without one), or a numeric value as exact as the scenario gives it, with the issue's unit
    (``12%``, ``1,500 km²``; ``unit=False``: the bare number)."""
    if isinstance(value, str) or (issue is not None and issue.kind == "categorical"):
        if issue is not None:
            for option in issue.option_list:
                if option.id == value:
                    return option.label or option.id.replace("_", " ")
        return DASH if value is None else str(value)
    text = plain(value)
    suffix = (issue.unit or "") if issue is not None and unit and value is not None else ""
    if not suffix:
        return text
    return f"{text}{suffix}" if suffix == "%" else f"{text} {suffix}"


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


__all__ = [
    "DASH",
    "Labels",
    "count",
    "input_label",
    "number",
    "option_text",
    "package_changes",
    "package_text",
    "plain",
]
