"""A small YAML writer for scenario documents built in code (imports from other formats).

It writes the block style of the bundled scenarios: mappings and sequences of mappings in block
style, short lists and mappings of scalars in flow style, multi-line text as literal blocks. Strings
are written plain only when YAML cannot read them as anything but that string (ids such as
``north_line``); everything else is double-quoted with YAML escapes. Floats are written with
``repr``, which reads back as the same float. Writing by hand rather than through ruamel keeps the
Genius import path free of the YAML library's import and dump time; the tests parse every written
document back and compare.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH = 100
"""Flow collections longer than this are written in block style."""

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
# What a YAML 1.1 or 1.2 reader would take for a number, a date, a boolean or null.
_NUMBER = re.compile(
    r"[-+]?(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?)"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "y", "n", "null"}
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _printable(ch: str) -> bool:
    """Characters YAML allows unescaped in a double-quoted string (and that read back intact)."""
    o = ord(ch)
    return (0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000) and (
        o != 0xFEFF
    )


def quote(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def scalar(value: Any) -> str:
    """One scalar: bool, int, float, date or str."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r}: scenario numbers are finite")
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        plain = (
            _PLAIN.fullmatch(value)
            and not _NUMBER.fullmatch(value)
            and not _DATE.fullmatch(value)
            and value.lower() not in _RESERVED
        )
        return value if plain else quote(value)
    raise TypeError(f"cannot write a {type(value).__name__}")


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def _flow(value: Any) -> str | None:
    """``value`` in flow style if it holds scalars or lists of scalars only, else None."""
    if _is_scalar(value):
        return scalar(value)
    if isinstance(value, Mapping):
        if not all(_is_scalar(v) for v in value.values()):
            return None
        return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    if any(isinstance(item, Mapping) for item in value):
        return None
    parts = [_flow(item) for item in value]
    if any(part is None for part in parts):
        return None
    return "[" + ", ".join(str(part) for part in parts) + "]"


def _literal(text: str) -> bool:
    """Can ``text`` be a literal block (``|``) that reads back exactly?"""
    lines = text.split("\n")
    return (
        text.endswith("\n")
        and not text.endswith("\n\n")
        and all(_printable(ch) for line in lines for ch in line)
        and not any(line != line.rstrip() or line.startswith(" ") for line in lines)
    )


def _value(key: str, value: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, str) and "\n" in value and _literal(value):
        lines.append(f"{pad}{key}: |")
        lines.extend(f"{pad}  {line}" if line else "" for line in value[:-1].split("\n"))
        return
    flow = _flow(value)
    if flow is not None and (_is_scalar(value) or indent + len(key) + len(flow) + 2 <= WIDTH):
        lines.append(f"{pad}{key}: {flow}")
    elif isinstance(value, Mapping):
        lines.append(f"{pad}{key}:")
        _mapping(value, indent + 2, lines)
    else:
        lines.append(f"{pad}{key}:")
        _sequence(value, indent + 2, lines)


def _mapping(data: Mapping[str, Any], indent: int, lines: list[str]) -> None:
    for key, value in data.items():
        _value(scalar(key), value, indent, lines)


def _sequence(items: Sequence[Any], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        flow = _flow(item)
        if flow is not None and indent + len(flow) + 2 <= WIDTH:
            lines.append(f"{pad}- {flow}")
        elif isinstance(item, Mapping):
            block: list[str] = []
            _mapping(item, indent + 2, block)
            lines.append(f"{pad}- {block[0][indent + 2 :]}")
            lines.extend(block[1:])
        else:
            lines.append(f"{pad}-")
            _sequence(item, indent + 2, lines)


def dump(document: Mapping[str, Any], comment: str | None = None) -> str:
    """``document`` (mappings, lists, scalars) as YAML text."""
    lines = [f"# {comment}"] if comment else []
    _mapping(document, 0, lines)
    return "\n".join(lines) + "\n"
