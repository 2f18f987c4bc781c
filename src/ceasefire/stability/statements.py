"""Option-prioritisation statements: parse ``a & -b | (c IF d)`` and evaluate it on states.

Grammar, loosest first: ``stmt := or ('IF' or)?``, ``or := and ('|' and)*``,
``and := unary ('&' unary)*``, ``unary := '-' unary | '(' stmt ')' | option-id``.
Evaluation is vectorised: an option is a boolean column over all states.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]

_TOKEN = re.compile(r"\s*(\(|\)|&|\||-|IF\b|[A-Za-z0-9][A-Za-z0-9_.\-]*)")


class StatementError(ValueError):
    """A statement that does not parse or names an unknown option."""


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise StatementError(f"cannot read {text[position:].strip()!r} in {text!r}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def evaluate(text: str, options: Mapping[str, BoolArray]) -> BoolArray:
    """Truth of the statement in every state; ``options[id]`` is the option's column."""
    tokens = _tokens(text)
    if not tokens:
        raise StatementError("empty statement")
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        if position >= len(tokens):
            raise StatementError(f"statement {text!r} ends too early")
        position += 1
        return tokens[position - 1]

    def unary() -> BoolArray:
        token = take()
        if token == "-":
            return ~unary()
        if token == "(":
            value = statement()
            if take() != ")":
                raise StatementError(f"missing ')' in {text!r}")
            return value
        if token in {")", "&", "|", "IF"}:
            raise StatementError(f"unexpected {token!r} in {text!r}")
        if token not in options:
            raise StatementError(f"unknown option {token!r} in {text!r}")
        return options[token].copy()

    def conjunction() -> BoolArray:
        value = unary()
        while peek() == "&":
            take()
            value = value & unary()
        return value

    def disjunction() -> BoolArray:
        value = conjunction()
        while peek() == "|":
            take()
            value = value | conjunction()
        return value

    def statement() -> BoolArray:
        value = disjunction()
        if peek() == "IF":
            take()
            condition = disjunction()
            value = value | ~condition
        return value

    result = statement()
    if position != len(tokens):
        raise StatementError(f"unexpected {tokens[position]!r} in {text!r}")
    return result
