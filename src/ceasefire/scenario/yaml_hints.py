"""Hints for the YAML mistakes people make most when writing a scenario by hand.

YAML reads some unquoted text as something else: ``2022-02-24`` is a date and ``12`` a number
where a name is expected, ``Status: deferred`` is a key and its value, and inside ``{...}`` or
``[...]`` a comma ends an entry. A tab cannot indent, and a quote inside a quoted text ends it.
Each hint says what YAML saw and how to write what was meant; the message it is added to stays as
it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def with_hint(message: str, hint: str) -> str:
    return f"{message} (hint: {hint})" if hint else message


__all__ = ["flow_comma_hint", "parse_hint", "value_hint", "with_hint"]
