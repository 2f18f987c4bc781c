"""Set numbers in a scenario by their path in the file, keeping its comments and order.

A path names a number the way sensitivity analysis and the what-if sliders do:
``preferences.russia.no_deal.cost``, ``preferences.russia.weights.crimea``,
``war.aid.0.military_usd_bn_per_month`` (a list item by its index) or
``preferences.russia.values.line_of_control[1]`` (the value at the second point of a numeric
issue's value function). A path into the ``war:`` section follows :mod:`ceasefire.scenario.paths`,
as sensitivity analysis writes it (``war.sides[0].forces``, ``war.sides[ukraine].forces``); a war
parameter the file leaves at its default is added. Setting a
number where the file has a distribution replaces it: "what if it were exactly this". A red line
(``preferences.russia.red_lines.alliance_status``) is set to 1 (it holds, surely: its ``p`` goes)
or 0 (it does not: it goes), as sensitivity analysis varies it. Changing
one of a party's weights rescales its other weights so that all still sum to 1, in proportion to
their values. The text is rewritten with the YAML round-trip writer and validated like any file.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from typing import Any

from ceasefire.scenario.load import LoadedScenario, Located, ScenarioError, parse_scenario

Changes = Mapping[str, float]

_INDEXED = re.compile(r"^(?P<key>[^\[\]]+)\[(?P<index>\d+)\]$")


class ChangeError(ValueError):
    """A change at a path the scenario does not have, or a value that is not a finite number."""


def finite(value: Any) -> float | None:
    """``value`` as a float when it is a finite number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _keys(path: str) -> list[str | int]:
    """``war.aid.0.x`` → ``["war", "aid", "0", "x"]`` (digits index lists, resolved on use);
    ``values.troops[1]`` → ``["values", "troops", 1, 1]``: the value ``y`` of the point ``[x, y]``."""
    keys: list[str | int] = []
    for part in path.split("."):
        match = _INDEXED.match(part)
        if match:
            keys += [match["key"], int(match["index"]), 1]
        else:
            keys.append(part)
    return keys


def _step(node: Any, key: str | int, path: str) -> tuple[Any, str | int]:
    """The container ``node`` and the key that ``key`` means in it; ChangeError if absent."""
    if isinstance(node, list):
        index = int(key) if isinstance(key, int) or str(key).isdigit() else -1
        if not 0 <= index < len(node):
            raise ChangeError(f"{path}: not a number in this scenario (no item {key})")
        return node, index
    if isinstance(node, dict) and key in node:
        return node, key
    raise ChangeError(f"{path}: not a number in this scenario (no {key!r})")


def with_values(loaded: LoadedScenario, changes: Changes) -> LoadedScenario:
    """The scenario with the numbers at ``changes``' dotted paths set, validated.

    Raises :class:`ChangeError` for a path the file does not have or a value that is not a
    finite number, and :class:`ScenarioError` when the changed scenario is invalid.
    """
    return set_values(loaded, {path_keys(loaded, path): value for path, value in changes.items()})


def path_keys(loaded: LoadedScenario, path: str) -> tuple[str | int, ...]:
    """The keys that lead through the file to the number at ``path``; ChangeError if none does."""
    if path == "war" or path.startswith("war."):
        from ceasefire.scenario.paths import PathError, parameter_at, war_keys

        war = loaded.scenario.war
        if war is None:
            raise ChangeError(f"{path}: the scenario has no 'war:' section")
        try:
            parameter_at(war, path)
            return ("war", *war_keys(war, path))
        except PathError as error:
            raise ChangeError(f"{path}: not a number in this scenario ({error})") from None
    return tuple(_keys(path))


def set_values(
    loaded: LoadedScenario, changes: Mapping[tuple[str | int, ...], float]
) -> LoadedScenario:
    """:func:`with_values` with each path given as its keys (for ids that contain dots).

    YAML aliases are resolved first, so that changing one party's weights never moves another's
    that shared them by an alias.
    """
    if not changes:
        return loaded
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096
    data = without_aliases(yaml.load(loaded.text))
    fixed_weights: dict[str, list[str]] = {}
    try:
        for keys, value in changes.items():
            path = ".".join(map(str, keys))
            number = finite(value)
            if number is None:
                raise ChangeError(f"{path}: {value!r} is not a finite number")
            if len(keys) == 4 and keys[0] == "preferences" and keys[2] == "red_lines":
                _set_red_line(data, list(keys), number, path)
                continue
            node = data
            for key in keys[:-1]:
                if keys[0] == "war" and isinstance(node, dict) and key not in node:
                    node[key] = CommentedMap()  # a block the file leaves at its defaults
                container, resolved = _step(node, key, path)
                node = container[resolved]
            if keys[0] == "war" and isinstance(node, dict) and keys[-1] not in node:
                _add_default(node, str(keys[-1]), number)
            container, last = _step(node, keys[-1], path)
            if isinstance(container[last], list) or (
                isinstance(container[last], dict) and "dist" not in container[last]
            ):
                raise ChangeError(f"{path}: not a number in this scenario")
            container[last] = number
            if len(keys) == 4 and keys[0] == "preferences" and keys[2] == "weights":
                fixed_weights.setdefault(str(keys[1]), []).append(str(keys[3]))
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


WHAT_IF_BASIS = "a what-if value, set in place of the model's default"


def _add_default(block: Any, name: str, number: float) -> None:
    """Write a war parameter the file leaves at its default, with the basis every number needs."""
    from ruamel.yaml.comments import CommentedMap

    block[name] = number
    basis = block.setdefault("basis", CommentedMap())
    if isinstance(basis, dict):
        basis[name] = CommentedMap(assumption=WHAT_IF_BASIS)


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


def _set_red_line(data: Any, keys: list[str | int], number: float, path: str) -> None:
    """1: the red line holds surely (its ``p`` is dropped); 0: it does not hold (it is removed)."""
    node = data
    for key in keys[:-1]:
        container, resolved = _step(node, key, path)
        node = container[resolved]
    lines, issue = _step(node, keys[-1], path)
    if number == 0:
        del lines[issue]
    elif number == 1:
        entry = lines[issue]
        if isinstance(entry, dict) and "p" in entry:
            if "options" in entry:
                lines[issue] = entry["options"]
            else:
                del entry["p"]
    else:
        raise ChangeError(f"{path}: a red line is 1 (it holds) or 0 (it does not), not {number:g}")


def _renormalise(weights: Any, fixed: list[str], party: str) -> None:
    """Rescale the weights not in ``fixed`` so that all sum to 1, keeping their ratios.

    The result does not depend on the order of the changes: the changed weights keep their new
    values and the others share what is left.
    """
    left = 1.0 - sum(float(weights[k]) for k in fixed)
    others = [k for k in weights if k not in fixed and finite(weights[k]) is not None]
    if left < -1e-6 or (not others and abs(left) > 1e-6):
        raise ChangeError(f"the changed weights of {party} would not sum to 1")
    total = sum(float(weights[k]) for k in others)
    for key in others:
        share = float(weights[key]) / total if total > 0 else 1.0 / len(others)
        weights[key] = max(0.0, left) * share
