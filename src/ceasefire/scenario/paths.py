"""Paths to the numbers of a scenario's ``war:`` section, and the section with some numbers changed.

One grammar for every place that names a war parameter: sensitivity analysis
(``war.sides[0].forces``), what-if edits and the parties' beliefs (``sides[ukraine].forces``, relative
to ``war:``). A path is a dot-separated list of field names; a list entry is picked by index
(``sides[0]``, ``aid[1]``, or ``aid.1`` as the what-ifs write it) or by party id: ``sides[russia]``
is the side that party fights, and ``aid[united_states]`` the aid that patron gives (when it gives
one entry). ``costs.<party>`` names a
party's cost block. A leading ``war.`` is optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel

from ceasefire.scenario.distributions import Distribution
from ceasefire.scenario.war import WarSection, _Block


class PathError(ValueError):
    """A path that names no parameter of the ``war:`` section."""


def war_keys(war: WarSection, path: str) -> list[str | int]:
    """The keys that lead from the section to the number at ``path``, list entries as indices.

    >>> from ceasefire.scenario import bundled_scenarios, load_scenario
    >>> war = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario.war
    >>> war_keys(war, "sides[ukraine].forces"), war_keys(war, "war.sides[0].forces")
    (['sides', 1, 'forces'], ['sides', 0, 'forces'])
    """
    parts = path.split(".")
    if parts and parts[0] == "war":
        parts = parts[1:]
    if not parts or not all(parts):
        raise PathError(f"'{path}' is not a path like 'sides[ukraine].forces'")
    keys: list[str | int] = []
    node: Any = war
    field = "war"
    for part in parts:
        name, *indices = part.replace("]", "").split("[")
        if isinstance(node, list):  # a dotted index, as the what-ifs write it: aid.0, sides.russia
            indices = [name, *indices]
        else:
            keys.append(name)
            node = _child(node, name, path)
            field = name
        for index in indices:
            position = _position(node, index, field, path)
            keys.append(position)
            node = node[position]
    return keys


def _child(node: Any, name: str, path: str) -> Any:
    if isinstance(node, BaseModel):
        if name not in type(node).model_fields:
            raise PathError(f"'{path}': '{name}' is not a field here")
        return getattr(node, name)
    if isinstance(node, dict):
        if name not in node:
            raise PathError(f"'{path}': no entry '{name}'")
        return node[name]
    raise PathError(f"'{path}': '{name}' does not lead to a parameter")


def _position(node: Any, index: str, name: str, path: str) -> int:
    if not isinstance(node, list):
        raise PathError(f"'{path}': '{name}' is not a list")
    if index.isdigit():
        if int(index) >= len(node):
            raise PathError(f"'{path}': '{name}' has {len(node)} entries")
        return int(index)
    matches = [k for k, item in enumerate(node) if getattr(item, "party", None) == index]
    if len(matches) != 1:
        what = "no" if not matches else "more than one"
        raise PathError(f"'{path}': {what} entry of '{name}' for party '{index}'")
    return matches[0]


def parameter_at(war: WarSection, path: str) -> tuple[_Block, str]:
    """The block and field name of the war parameter at ``path`` (a number that may be uncertain).

    Raises :class:`PathError` when the path names no such parameter (a list, an id, an issue).
    """
    keys = war_keys(war, path)
    node: Any = war
    for key in keys[:-1]:
        node = node[key] if isinstance(key, int) else _child(node, key, path)
    name = keys[-1]
    if not isinstance(node, _Block) or not isinstance(name, str):
        raise PathError(f"'{path}' is not a parameter of the war model")
    field = type(node).model_fields.get(name)
    if field is None or not _holds_number(field.annotation):
        raise PathError(f"'{path}' is not a parameter of the war model")
    return node, name


def _holds_number(annotation: Any) -> bool:
    """Is the field a (possibly optional, constrained) :class:`Distribution`?"""
    if annotation is Distribution:
        return True
    return any(_holds_number(arg) for arg in get_args(annotation))


def with_war_numbers(war: WarSection, numbers: Mapping[str, float | Distribution]) -> WarSection:
    """The section with the parameters at the given paths replaced (and validated again).

    Raises :class:`PathError` for a bad path and pydantic's ``ValidationError`` for a value the
    parameter cannot take.
    """
    if not numbers:
        return war
    data: Any = war.model_dump(mode="python", exclude_unset=False)
    for path, value in numbers.items():
        keys = war_keys(war, path)
        node = data
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = (
            value.model_dump(mode="python") if isinstance(value, Distribution) else float(value)
        )
    return type(war).model_validate(data)


__all__ = ["PathError", "parameter_at", "war_keys", "with_war_numbers"]
