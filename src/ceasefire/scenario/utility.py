"""What a scenario's preferences mean in numbers: value functions, utilities, reservation values.

``U_i(x) = sum_k w_ik * v_ik(x_k)`` on 0..100 [Keeney1976]. A numeric issue's value function is
piecewise linear between its points and flat beyond the first and last.

A number given as a distribution counts here with its mean, and a red line that holds with
probability ``p`` counts as holding when ``p >= 0.5``; :mod:`ceasefire.uncertainty` samples them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from ceasefire.scenario.distributions import point_value
from ceasefire.scenario.model import Issue, NumericBound, Preferences, Scenario, UncertainRedLine

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
OptionLabel = str | float


def option_labels(issue: Issue) -> tuple[OptionLabel, ...]:
    """The values a package may take on ``issue``: option ids, or the numeric grid."""
    if issue.kind == "categorical":
        return tuple(issue.option_ids)
    assert issue.grid is not None
    return tuple(float(x) for x in issue.grid)


def issue_values(prefs: Preferences, issue: Issue, at: tuple[OptionLabel, ...]) -> FloatArray:
    """``v_ik`` at each of ``at`` for one party (0 where the party gives no value function)."""
    spec = prefs.values.get(issue.id)
    if spec is None:
        return np.zeros(len(at))
    if isinstance(spec, Mapping):
        return np.array([point_value(spec[str(option)]) for option in at], dtype=float)
    xs = np.array([x for x, _ in spec], dtype=float)
    ys = np.array([point_value(y) for _, y in spec], dtype=float)
    result: FloatArray = np.interp(np.array(at, dtype=float), xs, ys)
    return result


def contributions(scenario: Scenario) -> list[FloatArray]:
    """Per issue, an array (n_options, n_parties) of ``w_ik * v_ik(o)``."""
    tables = []
    for issue in scenario.issues:
        labels = option_labels(issue)
        columns = [
            point_value(scenario.preferences[p.id].weights.get(issue.id, 0.0))
            * issue_values(scenario.preferences[p.id], issue, labels)
            for p in scenario.parties
        ]
        tables.append(np.column_stack(columns))
    return tables


def option_crosses_red_line(prefs: Preferences, issue_id: str, option: OptionLabel) -> bool:
    """Does ``option`` cross this party's red line on the issue (one that holds with p >= 0.5)?"""
    red = prefs.red_lines.get(issue_id)
    p = getattr(red, "p", None)
    if red is None or (p is not None and p < 0.5):
        return False
    if isinstance(red, NumericBound):
        value = float(option)
        return bool(
            (red.above is not None and value > red.above)
            or (red.below is not None and value < red.below)
        )
    options = red.options if isinstance(red, UncertainRedLine) else red
    return option in options


def crosses_red_line(prefs: Preferences, issue: Issue) -> BoolArray:
    """Which of ``issue``'s options cross this party's red line."""
    labels = option_labels(issue)
    return np.array(
        [option_crosses_red_line(prefs, issue.id, label) for label in labels], dtype=bool
    )


def forbidden(scenario: Scenario) -> list[BoolArray]:
    """Per issue, the options that some veto party's red line excludes."""
    masks = []
    for issue in scenario.issues:
        mask = np.zeros(len(option_labels(issue)), dtype=bool)
        for party in scenario.veto_parties:
            mask |= crosses_red_line(scenario.preferences[party.id], issue)
        masks.append(mask)
    return masks


def status_quo_package(scenario: Scenario) -> dict[str, OptionLabel]:
    """The state of every issue if there is no deal."""
    return {
        issue.id: issue.status_quo if isinstance(issue.status_quo, str) else float(issue.status_quo)
        for issue in scenario.issues
    }


def issue_utility(prefs: Preferences, issue: Issue, option: OptionLabel) -> float:
    """``w_ik * v_ik(option)``: what one issue's outcome adds to a party's utility."""
    weight = point_value(prefs.weights.get(issue.id, 0.0))
    return weight * float(issue_values(prefs, issue, (option,))[0]) if weight else 0.0


def utilities_of(scenario: Scenario, package: Mapping[str, OptionLabel]) -> dict[str, float]:
    """Each party's utility of one package (a numeric issue may take any value, not only the grid)."""
    return {
        party.id: sum(
            issue_utility(scenario.preferences[party.id], issue, package[issue.id])
            for issue in scenario.issues
        )
        for party in scenario.parties
    }


def reservation_values(scenario: Scenario) -> dict[str, float]:
    """Each party's value of no deal: its ``reservation``, or U(status quo) - ``no_deal.cost``.

    Parties that give neither (only non-veto parties may) get NaN.
    """
    status_quo = utilities_of(scenario, status_quo_package(scenario))
    result = {}
    for party in scenario.parties:
        prefs = scenario.preferences[party.id]
        if prefs.reservation is not None:
            result[party.id] = point_value(prefs.reservation)
        elif prefs.no_deal is not None:
            result[party.id] = status_quo[party.id] - point_value(prefs.no_deal.cost)
        else:
            result[party.id] = float("nan")
    return result
