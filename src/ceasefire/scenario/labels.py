"""How a person reads a scenario's ids: party names, issue names, option labels with units, numbers.

Everything a person reads (the terminal, tables) names parties, issues and options the way the
scenario does (``name``, ``label``) rather than by their ids, gives a numeric issue's value with its
``unit``, and writes numbers one way: thousands separated by commas, never ``13k`` next to
``5,273``. Without a scenario (a result read back from JSON alone) the ids are shown as they are.
"""

from __future__ import annotations

import math
from typing import Any

from ceasefire.scenario.model import Scenario

DASH = "—"
"""What a missing number reads as (never ``nan``)."""


def number(value: Any, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals and thousands separated: ``12,345.6``; ``—`` when it is
    missing or not finite."""
    if value is None or isinstance(value, bool):
        return DASH if value is None else str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return DASH
    text = f"{x:,.{digits}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def count(value: Any) -> str:
    """A whole number of things: ``12,345`` (``—`` when missing)."""
    return number(value, 0)


def plain(value: Any) -> str:
    """A number as short as it is exact (``18``, ``0.25``, ``12,500``); anything else as text."""
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
        """How an issue's outcome reads: a categorical option's label (its id without one), a
        numeric value with the issue's unit (``unit=False``: the bare number)."""
        issue = self._issues.get(issue_id)
        if isinstance(value, str):
            if issue is not None:
                for option in issue.option_list:
                    if option.id == value:
                        return option.label or value
            return value
        text = plain(value)
        if unit and value is not None:
            suffix = self.unit(issue_id)
            if suffix:
                return (
                    f"{text}{suffix}"
                    if suffix.startswith("%") and len(suffix) == 1
                    else (f"{text} {suffix}")
                )
        return text

    def path(self, path: str) -> str:
        """An input's path with its war sides named by party: ``war.sides[1].forces`` →
        ``war.sides[ukraine].forces``."""
        import re

        war = self.scenario.war if self.scenario is not None else None
        if war is None:
            return path
        sides = list(war.side_ids())

        def named(match: re.Match[str]) -> str:
            index = int(match[1])
            return f"sides[{sides[index]}]" if index < len(sides) else match[0]

        return re.sub(r"sides\[(\d+)\]", named, path)


__all__ = ["DASH", "Labels", "count", "number", "plain"]
