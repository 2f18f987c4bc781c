"""A small XML tree with positions, parsed safely: what a Genius file is read into."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ceasefire.scenario.load import Located, ScenarioError


@dataclass
class Node:
    """An XML element with its 1-based line and column (ElementTree keeps no positions)."""

    tag: str
    attrib: dict[str, str]
    line: int
    col: int
    children: list[Node] = field(default_factory=list)

    def kids(self, tag: str) -> list[Node]:
        return [child for child in self.children if child.tag == tag]

    def walk(self) -> Iterator[Node]:
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


class _Refused(Exception):
    """Raised from a parser handler to stop at a construct that is not accepted."""


MAX_XML_DEPTH = 50
"""Genius files nest elements about 5 deep; deeper nesting is refused while parsing."""

MAX_NUMBER_DIGITS = 40
MAX_NUMBER_EXPONENT = 30
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def exact_number(text: str) -> Fraction:
    """A decimal number in an attribute, exactly; raises ValueError for anything else.

    Checked before converting: ``Fraction("1e999999999")`` would build a billion-digit integer.
    Genius writes plain decimals; at most 40 digits and exponents within +-30 are read.
    """
    value = text.strip()
    if _DECIMAL.fullmatch(value) is None:
        raise ValueError("is not a number")
    mantissa, _, exponent = value.lower().partition("e")
    digits = sum(c.isdigit() for c in mantissa)
    power = exponent.lstrip("+-").lstrip("0")
    if digits > MAX_NUMBER_DIGITS or len(power) > 2 or (power and int(power) > MAX_NUMBER_EXPONENT):
        raise ValueError(
            f"is out of range (at most {MAX_NUMBER_DIGITS} digits and a power of ten "
            f"within +-{MAX_NUMBER_EXPONENT})"
        )
    return Fraction(value)


def parse_xml(raw: bytes, name: str) -> Node:
    """Parse XML with defusedxml's expat reader, with positions.

    DTDs, entity declarations and external references are refused (no entity expansion or
    external fetch), and so are elements nested deeper than :data:`MAX_XML_DEPTH`.
    """
    import io
    from xml.sax import SAXParseException
    from xml.sax.handler import ContentHandler

    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import DefusedExpatParser

    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)

    class Builder(ContentHandler):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[Node] = []
            self.roots: list[Node] = []

        def startElement(self, tag: str, attrs: Any) -> None:
            if len(self.stack) >= MAX_XML_DEPTH:
                raise _Refused(f"elements nested deeper than {MAX_XML_DEPTH}")
            line, col = parser.getLineNumber(), parser.getColumnNumber() + 1
            node = Node(tag, dict(attrs), line, col)
            (self.stack[-1].children if self.stack else self.roots).append(node)
            self.stack.append(node)

        def endElement(self, tag: str) -> None:
            self.stack.pop()

    builder = Builder()
    parser.setContentHandler(builder)
    try:
        parser.parse(io.BytesIO(raw))
    except SAXParseException as error:
        message = f"not well-formed XML: {error.getMessage()}"
        line, col = error.getLineNumber() or 1, (error.getColumnNumber() or 0) + 1
        raise ScenarioError([Located(name, line, col, message)]) from None
    except DefusedXmlException:
        line, col = parser.getLineNumber(), parser.getColumnNumber() + 1
        message = "DTDs and entity declarations are not accepted in Genius files"
        raise ScenarioError([Located(name, line, col, message)]) from None
    except _Refused as error:
        line, col = parser.getLineNumber(), parser.getColumnNumber() + 1
        raise ScenarioError([Located(name, line, col, str(error))]) from None
    if not builder.roots:
        raise ScenarioError([Located(name, 1, 1, "not well-formed XML: no element found")])
    return builder.roots[0]
