"""Hints for the YAML mistakes people make most when writing a scenario by hand.

YAML reads some unquoted text as something else: ``2022-02-24`` is a date and ``12`` a number
where a name is expected, ``Status: deferred`` is a key and its value, and inside ``{...}`` or
``[...]`` a comma ends an entry. A tab cannot indent, and a quote inside a quoted text ends it.
Each hint says what YAML saw and how to write what was meant; the message it is added to stays as
it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, RootModel, Tag

QUOTE = "put the text in quotes"


def parse_hint(message: str) -> str:
    """A hint for a YAML syntax error's message ('' when there is none)."""
    if "mapping values are not allowed" in message or (
        "flow mapping" in message and "but got ':'" in message
    ):
        return (
            f"a colon followed by a space starts a key: {QUOTE} when it contains ': ', "
            'e.g. label: "Status: deferred"'
        )
    if "'\\t'" in message or "\\t" in message:
        return "YAML indents with spaces, never tabs"
    if "found '<scalar>'" in message or "expected <block end>" in message:
        return (
            "check this line's indentation and quotes: a quote inside a quoted text ends it "
            "(write 'it''s' or \"it's\")"
        )
    if "found unexpected end of stream" in message or "found unexpected ':'" in message:
        return f"{QUOTE} that contains ':' or starts with a quote, '[' or '{{'"
    return ""


def value_hint(kind: str, value: Any) -> str:
    """A hint for a value of the wrong type that YAML made from unquoted text ('' if none)."""
    if kind not in ("string_type", "string_pattern_mismatch"):
        return ""
    if isinstance(value, dt.date | dt.datetime):
        return f'YAML reads {value.isoformat()} as a date: write "{value.isoformat()}"'
    if isinstance(value, bool):
        return f"YAML reads {str(value).lower()} as a truth value: {QUOTE}"
    if isinstance(value, int | float):
        return f'YAML reads {value} as a number: write "{value}"'
    if isinstance(value, list | dict):
        return f"YAML reads this as a {'list' if isinstance(value, list) else 'mapping'}: {QUOTE}"
    return ""


def flow_comma_hint(container: Any, key: Any) -> str:
    """A hint for an unknown field ``key`` that a comma in an unquoted text inside ``{...}`` made
    ('' when that is not what happened)."""
    flow = getattr(getattr(container, "fa", None), "flow_style", None)
    if callable(flow) and flow() and key in container and container[key] is None:
        return f"inside {{...}} a comma ends an entry: {QUOTE} when it contains a comma"
    return ""


def _members(annotation: Any) -> list[tuple[Any, str | None]]:
    """The types ``annotation`` may stand for, unwrapping ``Annotated``, unions and root models, each with
    its pydantic ``Tag`` (the name a tagged union's member takes in an error's location)."""
    tag = None
    while get_origin(annotation) is Annotated:
        tag = next((m.tag for m in annotation.__metadata__ if isinstance(m, Tag)), tag)
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        return [member for arg in get_args(annotation) for member in _members(arg)]
    if isinstance(annotation, type) and issubclass(annotation, RootModel):
        # A root model's errors are located as those of its root, without a step of their own.
        return _members(annotation.model_fields["root"].annotation)
    return [(annotation, tag)]


def _step(annotation: Any, key: Any) -> list[Any]:
    """The types reached from ``annotation`` by one element ``key`` of an error's location."""
    members = _members(annotation)
    tagged = [member for member, tag in members if tag is not None and tag == key]
    if tagged:
        return tagged
    named = [m for m, _ in members if isinstance(m, type) and m.__name__ == key]
    if named:
        return named
    found: list[Any] = []
    for member, _ in members:
        origin = get_origin(member) or member
        args = get_args(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            for name, field in member.model_fields.items():
                if key in (name, field.alias):
                    found.append(field.annotation)
        elif isinstance(origin, type) and issubclass(origin, Mapping) and args:
            found.append(args[-1])
        elif isinstance(origin, type) and issubclass(origin, Sequence) and args:
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                if isinstance(key, int) and key < len(args):
                    found.append(args[key])
            else:
                found.append(args[0])
    return found


def field_names(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The field names of the model(s) found at ``loc`` (a pydantic error's location, without
    the unknown field itself) inside ``model``; [] when the location cannot be followed."""
    reached: list[Any] = [model]
    for key in loc:
        reached = [after for annotation in reached for after in _step(annotation, key)]
    names: list[str] = []
    for annotation in reached:
        for member, _ in _members(annotation):
            if isinstance(member, type) and issubclass(member, BaseModel):
                for name, field in member.model_fields.items():
                    label = field.alias or name
                    if label not in names:
                        names.append(label)
    return names


def misspelling_hint(key: Any, known: Sequence[str], present: Any = ()) -> str:
    """'did you mean ...?' for an unknown field ``key`` close to one of the ``known`` field names
    (those already ``present`` beside it left out); '' when none is close."""
    if not isinstance(key, str):
        return ""
    candidates = [name for name in known if name not in present]
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def with_hint(message: str, hint: str) -> str:
    return f"{message} (hint: {hint})" if hint else message


__all__ = [
    "field_names",
    "flow_comma_hint",
    "misspelling_hint",
    "parse_hint",
    "value_hint",
    "with_hint",
]
