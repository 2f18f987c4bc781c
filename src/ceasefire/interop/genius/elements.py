"""Reading Genius elements: positioned problems, numbers, indices, issue kinds and bounds, and the
parts of a utility space."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from fractions import Fraction

from ceasefire.interop.genius.xml_tree import Node, exact_number
from ceasefire.scenario.load import Located, ScenarioError


class Problems:
    """Collects positioned problems so that one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[Located] = []

    def add(self, file: str, node: Node | None, message: str) -> None:
        line, col = (node.line, node.col) if node is not None else (1, 1)
        self.items.append(Located(file, line, col, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ScenarioError(sorted(self.items, key=lambda p: (p.path, p.line, p.col)))


def number_attribute(
    node: Node, attr: str, file: str, problems: Problems, *, what: str, nonnegative: bool = False
) -> Fraction | None:
    text = node.attrib.get(attr)
    if text is None:
        problems.add(file, node, f"{what}: missing attribute '{attr}'")
        return None
    try:
        value = exact_number(text)
    except ValueError as error:
        problems.add(file, node, f"{what}: {attr}={text!r} {error}")
        return None
    if nonnegative and value < 0:
        problems.add(file, node, f"{what}: {attr}={text} is negative")
        return None
    return value


def index_attribute(node: Node, file: str, problems: Problems, what: str) -> int | None:
    text = node.attrib.get("index")
    try:
        return int(str(text).strip())
    except ValueError:
        problems.add(file, node, f"{what} needs an integer 'index' attribute, not {text!r}")
        return None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class Layout:
    """The parts of a utility space: issues, weights, objectives, top-level settings."""

    issues: list[Node] = field(default_factory=list)
    weights: list[Node] = field(default_factory=list)
    objectives: list[Node] = field(default_factory=list)
    settings: list[Node] = field(default_factory=list)


def space_layout(space: Node) -> Layout:
    """Issues and weights under the utility space and its (possibly nested) objectives."""
    layout = Layout()

    def visit(node: Node) -> None:
        for child in node.children:
            if child.tag == "issue":
                layout.issues.append(child)
            elif child.tag == "weight":
                layout.weights.append(child)
            elif child.tag == "objective":
                layout.objectives.append(child)
                visit(child)
            elif child.tag in {"reservation", "discount_factor"}:
                layout.settings.append(child)

    visit(space)
    return layout


def kind_of(node: Node) -> str:
    for attr in ("type", "etype", "vtype"):
        if attr in node.attrib:
            return node.attrib[attr].strip().lower()
    return "discrete"


def bounds(node: Node) -> tuple[str | None, str | None, Node]:
    low, high, where = node.attrib.get("lowerbound"), node.attrib.get("upperbound"), node
    for child in node.kids("range"):
        low = child.attrib.get("lowerbound", low)
        high = child.attrib.get("upperbound", high)
        where = child
    return low, high, where
