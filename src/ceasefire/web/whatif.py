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

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from ceasefire.scenario import LoadedScenario, Scenario
from ceasefire.scenario.edit import ChangeError as ChangeError
from ceasefire.scenario.edit import Changes, finite, set_values


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
    original: str = ""  # the value as the file gives it: a number, or a distribution

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
    raw: Any,
) -> Knob:
    value = _point(raw)
    path = ".".join(str(k) for k in keys)
    return Knob(path, label, group, party, minimum, maximum, step, value, keys, described(raw))


def knobs(scenario: Scenario) -> list[Knob]:
    """The what-if controls that can move a scenario's answer, in display order.

    Only the parties that must agree decide whether a package is acceptable and which one each
    solution concept picks, so only their assumptions are offered, in scenario order: the value
    of no deal, then each weight. With a ``war:`` section the value of no deal comes from the war
    model (each party's :math:`V_i`), so the file's fixed ``reservation`` or ``no_deal.cost`` is
    not used and not offered: the war's cost weights of those parties and the aid levels are.
    """
    result: list[Knob] = []
    issues = {i.id: i.name for i in scenario.issues}
    veto = [party for party in scenario.parties if party.has_veto]
    for party in veto:
        prefs = scenario.preferences.get(party.id)
        if prefs is None or scenario.war is not None:
            continue
        if prefs.reservation is not None:
            result.append(
                _knob(
                    ("preferences", party.id, "reservation"),
                    f"{party.name}: value of no deal",
                    "no_deal",
                    party.id,
                    0.0,
                    100.0,
                    0.5,
                    prefs.reservation,
                )
            )
        elif prefs.no_deal is not None:
            result.append(
                _knob(
                    ("preferences", party.id, "no_deal", "cost"),
                    f"{party.name}: cost of no deal (utility points)",
                    "no_deal",
                    party.id,
                    -50.0,
                    50.0,
                    0.5,
                    prefs.no_deal.cost,
                )
            )
    for party in veto:
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
                    weight,
                )
            )
    result.extend(_war_knobs(scenario, {party.id for party in veto}))
    paths = Counter(knob.path for knob in result)
    return [knob for knob in result if paths[knob.path] == 1]


COST_WEIGHTS = {
    "per_10k_casualties": "points per 10,000 casualties",
    "per_10bn_usd": "points per USD 10 bn",
    "escalation": "points lost to catastrophic escalation",
}


def _point(value: Any) -> float | None:
    """A number, or the mean of a distribution: the value the static analysis uses."""
    number = finite(value)
    if number is not None:
        return number
    for attribute in ("mean", "expected"):  # a war-section Distribution, or a named one
        candidate = getattr(value, attribute, None)
        if finite(candidate) is not None:
            return finite(candidate)
    return None


def _war_knobs(scenario: Scenario, veto: set[str]) -> list[Knob]:
    """Cost weights of the ``veto`` parties and aid levels of the ``war:`` section, where the
    scenario has one.

    Setting one replaces a distribution by a fixed number: "what if it were exactly this".
    """
    war = scenario.war
    if war is None:
        return []
    names = {p.id: p.name for p in scenario.parties}
    found: list[Knob] = []
    for party, costs in (getattr(war, "costs", None) or {}).items():
        if str(party) not in veto:
            continue
        for key, meaning in COST_WEIGHTS.items():
            raw = getattr(costs, key, None)
            value = _point(raw)
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
                    raw,
                )
            )
    for index, aid in enumerate(getattr(war, "aid", None) or []):
        raw = getattr(aid, "military_usd_bn_per_month", None)
        value = _point(raw)
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
                raw,
            )
        )
    return found


def described(value: Any) -> str:
    """A scenario number as the file gives it: ``5``, or ``normal(mean 5, sd 2)``."""
    spec = getattr(value, "root", value)
    number = finite(spec)
    if number is not None:
        return f"{number:g}"
    dump = getattr(spec, "model_dump", None)
    if dump is None:
        return "—" if spec is None else str(spec)
    fields = {k: v for k, v in dump(exclude_none=True).items() if k != "dist"}
    parts = [f"{k} {v:g}" if isinstance(v, int | float) else f"{k} {v}" for k, v in fields.items()]
    return f"{getattr(spec, 'dist', 'distribution')}({', '.join(parts)})"


def _ceiling(value: float) -> float:
    """A slider's top: room for four times the value, and at least 10."""
    return float(max(10.0, 4.0 * abs(value)))


def check_changes(scenario: Scenario, changes: Changes) -> dict[str, Knob]:
    """The knob of every change; raises :class:`ChangeError` for an unknown path or bad value."""
    offered = {knob.path: knob for knob in knobs(scenario)}
    chosen = {}
    for path, value in changes.items():
        knob = offered.get(path)
        if knob is None:
            raise ChangeError(f"{path}: not an assumption this scenario lets you change")
        number = finite(value)
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
    return set_values(loaded, {chosen[path].keys: value for path, value in changes.items()})
