"""What-if controls: the key assumptions of a scenario as sliders, and a new scenario text per change.

A change is a path in the scenario file and a number (``preferences.russia.weights.crimea: 0.3``).
Only paths that :func:`knobs` offers for the scenario are accepted, so a request can never reach
anything else in the file. Changing one weight rescales the party's other weights so that they
still sum to 1, in proportion to their values. The changed text is written with the YAML
round-trip writer (comments and order stay) and validated like any upload.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ceasefire.scenario import LoadedScenario, Located, Scenario, ScenarioError, parse_scenario

Changes = Mapping[str, float]


@dataclass(frozen=True)
class Knob:
    """One slider: where in the file, what it means, its range and its value now."""

    path: str
    label: str
    group: str
    party: str
    minimum: float
    maximum: float
    step: float
    value: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def knobs(scenario: Scenario) -> list[Knob]:
    """The what-if controls a scenario offers, in display order."""
    result: list[Knob] = []
    issues = {i.id: i.name for i in scenario.issues}
    for party in scenario.parties:
        prefs = scenario.preferences.get(party.id)
        if prefs is None:
            continue
        if party.has_veto and prefs.reservation is not None:
            result.append(
                Knob(
                    f"preferences.{party.id}.reservation",
                    f"{party.name}: value of no deal",
                    "no_deal",
                    party.id,
                    0.0,
                    100.0,
                    0.5,
                    _number(prefs.reservation),
                )
            )
        elif party.has_veto and prefs.no_deal is not None:
            result.append(
                Knob(
                    f"preferences.{party.id}.no_deal.cost",
                    f"{party.name}: cost of no deal (utility points)",
                    "no_deal",
                    party.id,
                    -50.0,
                    50.0,
                    0.5,
                    _number(prefs.no_deal.cost),
                )
            )
    for party in scenario.parties:
        prefs = scenario.preferences.get(party.id)
        if prefs is None:
            continue
        for issue_id, weight in prefs.weights.items():
            result.append(
                Knob(
                    f"preferences.{party.id}.weights.{issue_id}",
                    f"{party.name}: weight of {issues.get(issue_id, issue_id)}",
                    "weight",
                    party.id,
                    0.0,
                    1.0,
                    0.01,
                    _number(weight),
                )
            )
    result.extend(_war_knobs(scenario))
    return result


def _war_knobs(scenario: Scenario) -> list[Knob]:
    """Cost weights and aid levels of the ``war:`` section, where the scenario has one."""
    war = getattr(scenario, "war", None)
    if war is None:
        return []
    names = {p.id: p.name for p in scenario.parties}
    found: list[Knob] = []
    data = war.model_dump(mode="python") if hasattr(war, "model_dump") else {}
    for party, weights in _mapping(data.get("costs") or data.get("cost_weights")).items():
        for key, value in _mapping(weights).items():
            number = _number(value)
            if number is None or key in {"sources", "basis", "note"}:
                continue
            prefix = "costs" if "costs" in data else "cost_weights"
            found.append(
                Knob(
                    f"war.{prefix}.{party}.{key}",
                    f"{names.get(party, party)}: {key.replace('_', ' ')}",
                    "war_cost",
                    str(party),
                    0.0,
                    max(10.0, 4 * abs(number)),
                    max(abs(number) / 50, 0.01),
                    number,
                )
            )
    for patron, value in _mapping(data.get("aid")).items():
        number = _number(value if not isinstance(value, Mapping) else value.get("usd_bn_per_month"))
        if number is None:
            continue
        suffix = "" if not isinstance(value, Mapping) else ".usd_bn_per_month"
        found.append(
            Knob(
                f"war.aid.{patron}{suffix}",
                f"{names.get(patron, patron)}: aid per month",
                "aid",
                str(patron),
                0.0,
                max(10.0, 4 * number),
                max(number / 50, 0.01),
                number,
            )
        )
    return found


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class ChangeError(ValueError):
    """A what-if change that the scenario does not offer, or a value out of range."""


def check_changes(scenario: Scenario, changes: Changes) -> dict[str, Knob]:
    """The knob of every change; raises :class:`ChangeError` for an unknown path or bad value."""
    offered = {knob.path: knob for knob in knobs(scenario)}
    chosen = {}
    for path, value in changes.items():
        knob = offered.get(path)
        if knob is None:
            raise ChangeError(f"{path}: not an assumption this scenario lets you change")
        number = _number(value)
        if number is None or not knob.minimum <= number <= knob.maximum:
            raise ChangeError(
                f"{path}: {value!r} is not a number in [{knob.minimum}, {knob.maximum}]"
            )
        chosen[path] = knob
    return chosen


def apply_changes(loaded: LoadedScenario, changes: Changes) -> LoadedScenario:
    """The scenario with ``changes`` made, validated; raises ChangeError or ScenarioError."""
    if not changes:
        return loaded
    check_changes(loaded.scenario, changes)
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096
    data = yaml.load(loaded.text)
    for path, value in changes.items():
        parts = path.split(".")
        node = data
        for key in parts[:-1]:
            node = node[key]
        node[parts[-1]] = float(value)
        if parts[0] == "preferences" and parts[2] == "weights":
            _renormalise(node, parts[-1])
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    name = f"{loaded.path} (what-if)"
    try:
        return parse_scenario(buffer.getvalue(), name)
    except ScenarioError as error:
        raise ScenarioError(
            [
                Located(p.path, p.line, p.col, f"after the what-if changes: {p.message}")
                for p in error.problems
            ]
        ) from None


def _renormalise(weights: Any, fixed: str) -> None:
    """Rescale the weights other than ``fixed`` so that all sum to 1, keeping their ratios."""
    target = 1.0 - float(weights[fixed])
    others = [k for k in weights if k != fixed and _number(weights[k]) is not None]
    total = sum(float(weights[k]) for k in others)
    for key in others:
        share = float(weights[key]) / total if total > 0 else 1.0 / len(others)
        weights[key] = target * share
    if not others:
        weights[fixed] = 1.0
