"""What-if controls: the key assumptions of a scenario as sliders, and a new scenario text per change.

A change is a path in the scenario file and a number (``preferences.russia.weights.crimea: 0.3``).
Only paths that :func:`knobs` offers for the scenario are accepted, so a request can never reach
anything else in the file. Each knob keeps the keys of its path as a tuple, so an id with a dot in
it (legal, and common in imported Genius domains) never changes where a change lands; a dotted
path that two knobs would share is offered by neither. YAML aliases are resolved before a change
is made, so changing one party's weights never moves another's that shared them by an alias. Changing one weight rescales the party's other weights so that they
still sum to 1, in proportion to their values. The changed text is written with the YAML
round-trip writer (comments and order stay) and validated like any upload.
"""

from __future__ import annotations

import io
import math
from collections import Counter
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
    keys: tuple[str | int, ...] = ()  # the path's keys, for ids that contain dots

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["keys"]
        return data


def _knob(
    keys: tuple[str | int, ...],
    label: str,
    group: str,
    party: str,
    minimum: float,
    maximum: float,
    step: float,
    value: float | None,
) -> Knob:
    path = ".".join(str(k) for k in keys)
    return Knob(path, label, group, party, minimum, maximum, step, value, keys)


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
                _knob(
                    ("preferences", party.id, "reservation"),
                    f"{party.name}: value of no deal",
                    "no_deal",
                    party.id,
                    0.0,
                    100.0,
                    0.5,
                    _point(prefs.reservation),
                )
            )
        elif party.has_veto and prefs.no_deal is not None:
            result.append(
                _knob(
                    ("preferences", party.id, "no_deal", "cost"),
                    f"{party.name}: cost of no deal (utility points)",
                    "no_deal",
                    party.id,
                    -50.0,
                    50.0,
                    0.5,
                    _point(prefs.no_deal.cost),
                )
            )
    for party in scenario.parties:
        prefs = scenario.preferences.get(party.id)
        if prefs is None:
            continue
        for issue_id, weight in prefs.weights.items():
            result.append(
                _knob(
                    ("preferences", party.id, "weights", issue_id),
                    f"{party.name}: weight of {issues.get(issue_id, issue_id)}",
                    "weight",
                    party.id,
                    0.0,
                    1.0,
                    0.01,
                    _point(weight),
                )
            )
    result.extend(_war_knobs(scenario))
    paths = Counter(knob.path for knob in result)
    return [knob for knob in result if paths[knob.path] == 1]


COST_WEIGHTS = {
    "per_10k_casualties": "points per 10,000 casualties",
    "per_10bn_usd": "points per USD 10 bn",
    "escalation": "points lost to catastrophic escalation",
}


def _point(value: Any) -> float | None:
    """A number, or the mean of a distribution: the value the static analysis uses."""
    number = _number(value)
    if number is not None:
        return number
    for attribute in ("mean", "expected"):  # a war-section Distribution, or a named one
        candidate = getattr(value, attribute, None)
        if _number(candidate) is not None:
            return _number(candidate)
    return None


def _war_knobs(scenario: Scenario) -> list[Knob]:
    """Cost weights and aid levels of the ``war:`` section, where the scenario has one.

    Setting one replaces a distribution by a fixed number: "what if it were exactly this".
    """
    war = scenario.war
    if war is None:
        return []
    names = {p.id: p.name for p in scenario.parties}
    found: list[Knob] = []
    for party, costs in (getattr(war, "costs", None) or {}).items():
        for key, meaning in COST_WEIGHTS.items():
            value = _point(getattr(costs, key, None))
            if value is None:
                continue
            found.append(
                _knob(
                    ("war", "costs", str(party), key),
                    f"{names.get(party, party)}: {meaning}",
                    "war_cost",
                    str(party),
                    0.0,
                    _ceiling(value),
                    _ceiling(value) / 100,
                    value,
                )
            )
    for index, aid in enumerate(getattr(war, "aid", None) or []):
        value = _point(getattr(aid, "military_usd_bn_per_month", None))
        if value is None:
            continue
        giver, receiver = str(getattr(aid, "party", "?")), str(getattr(aid, "to", "?"))
        found.append(
            _knob(
                ("war", "aid", index, "military_usd_bn_per_month"),
                f"{names.get(giver, giver)} → {names.get(receiver, receiver)}: "
                "military aid, USD bn a month",
                "aid",
                giver,
                0.0,
                _ceiling(value),
                _ceiling(value) / 100,
                value,
            )
        )
    return found


def _ceiling(value: float) -> float:
    """A slider's top: room for four times the value, and at least 10."""
    return float(max(10.0, 4.0 * abs(value)))


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
    chosen = check_changes(loaded.scenario, changes)
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096
    data = without_aliases(yaml.load(loaded.text))
    fixed_weights: dict[str, list[str]] = {}
    try:
        for path, value in changes.items():
            keys = chosen[path].keys
            node = data
            for key in keys[:-1]:
                node = node[key]
            node[keys[-1]] = float(value)
            if keys[0] == "preferences" and keys[2] == "weights":
                fixed_weights.setdefault(str(keys[1]), []).append(str(keys[-1]))
        for party, fixed in fixed_weights.items():
            _renormalise(data["preferences"][party]["weights"], fixed, party)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        if isinstance(error, ChangeError):
            raise
        raise ChangeError(f"the file has no place for these changes ({error!r})") from None
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


def without_aliases(node: Any) -> Any:
    """A copy of a round-trip YAML tree in which no mapping or list is shared: an alias
    (``*weights``) becomes a copy of what it names, with the same comments and layout."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        mapping = CommentedMap()
        for key, value in node.items():
            mapping[key] = without_aliases(value)
        node.copy_attributes(mapping)
        return mapping
    if isinstance(node, CommentedSeq):
        sequence = CommentedSeq(without_aliases(value) for value in node)
        node.copy_attributes(sequence)
        return sequence
    return node


def _renormalise(weights: Any, fixed: list[str], party: str) -> None:
    """Rescale the weights not in ``fixed`` so that all sum to 1, keeping their ratios.

    The result does not depend on the order of the changes: the changed weights keep their new
    values and the others share what is left.
    """
    left = 1.0 - sum(float(weights[k]) for k in fixed)
    others = [k for k in weights if k not in fixed and _number(weights[k]) is not None]
    if left < -1e-6 or (not others and abs(left) > 1e-6):
        raise ChangeError(f"the changed weights of {party} would not sum to 1")
    total = sum(float(weights[k]) for k in others)
    for key in others:
        share = float(weights[key]) / total if total > 0 else 1.0 / len(others)
        weights[key] = max(0.0, left) * share
