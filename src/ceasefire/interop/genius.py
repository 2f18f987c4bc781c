"""Genius XML domains: read a domain folder into a scenario, and write a scenario back out.

Genius [Genius2014] describes a negotiation domain in one XML file (its issues and their values,
root element ``negotiation_template``) and each party's preferences in a *utility space* file (root
``utility_space``): a weight per issue, an ``evaluation`` per discrete value, optionally a
``reservation`` value and a ``discount_factor``. The ANAC competition domains use this format
[Baarslag2012]. The semantics implemented here are Genius's own:

* a discrete value's utility is its evaluation divided by the largest evaluation of that issue in
  that profile; integer and real issues use a linear evaluator clamped to [0, 1]
  (integer issues: ``offset + slope * (x - lowerbound)``; real issues: ``parameter0 + parameter1 *
  x``);
* a package's utility is the weighted sum of its values, with the weights as given;
* the reservation value is on that 0..1 scale (0 when the file gives none);
* discount factors are read and kept; the static analysis ignores them.

ceasefire's 0..100 scale is 100 times Genius's. Files are parsed into exact fractions
(:class:`GeniusDomain`), so the Genius utility of a package can be computed exactly
(:meth:`GeniusDomain.utility`); floats appear only in the scenario built from it.

Conventions of the imported scenario (documented in ``docs/how-to/import-genius.md``): one party per
profile (role belligerent, veto), ids made from the file, issue and value names; weights that do not
sum to 1 within 1e-6 are divided by their sum (the description records the original sum); the status
quo of every issue is its first value, because Genius's disagreement outcome is not a package: only
the reservation values say what no deal is worth.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from ceasefire.scenario.checks import check_scenario
from ceasefire.scenario.load import (
    LoadedScenario,
    Located,
    ScenarioError,
    parse_scenario,
    read_limited,
)
from ceasefire.scenario.model import Scenario

MAX_BYTES = 5 * 1024 * 1024
"""Largest XML file read (the biggest public Genius domains are well under 1 MB)."""

DEFAULT_REAL_STEPS = 11
"""Grid points of a real issue (evenly spaced, both bounds included)."""

MAX_INTEGER_VALUES = 1001
"""An integer issue with at most this many values gets all of them as its grid."""

WEIGHT_TOLERANCE = 1e-6
"""Weights whose sum is further than this from 1 are divided by their sum (the schema's rule)."""

AS_OF = dt.date(1970, 1, 1)
"""Genius files carry no date; imported scenarios use this placeholder."""

IssueKind = Literal["discrete", "integer", "real"]
Outcome = Mapping[int, "str | Fraction | int | float"]


# ---- a small XML tree with positions ----------------------------------------------------------


@dataclass
class _Node:
    """An XML element with its 1-based line and column (ElementTree keeps no positions)."""

    tag: str
    attrib: dict[str, str]
    line: int
    col: int
    children: list[_Node] = field(default_factory=list)

    def kids(self, tag: str) -> list[_Node]:
        return [child for child in self.children if child.tag == tag]

    def walk(self) -> Iterator[_Node]:
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


def _fraction(text: str) -> Fraction:
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


def _parse_xml(raw: bytes, name: str) -> _Node:
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
            self.stack: list[_Node] = []
            self.roots: list[_Node] = []

        def startElement(self, tag: str, attrs: Any) -> None:
            if len(self.stack) >= MAX_XML_DEPTH:
                raise _Refused(f"elements nested deeper than {MAX_XML_DEPTH}")
            line, col = parser.getLineNumber(), parser.getColumnNumber() + 1
            node = _Node(tag, dict(attrs), line, col)
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


# ---- the parsed domain, exact -----------------------------------------------------------------


@dataclass(frozen=True)
class GeniusIssue:
    """An issue of the domain file: discrete values, or an integer or real range."""

    index: int
    name: str
    kind: IssueKind
    values: tuple[str, ...] = ()
    lower: Fraction | None = None
    upper: Fraction | None = None


@dataclass(frozen=True)
class LinearEvaluator:
    """Genius's linear evaluator: ``clamp(offset + slope * (x - origin), 0, 1)``.

    ``origin`` is the issue's lower bound for integer issues and 0 for real issues, as in Genius's
    ``EvaluatorInteger`` and ``EvaluatorReal``.
    """

    slope: Fraction
    offset: Fraction
    origin: Fraction = Fraction(0)

    def __call__(self, x: Fraction) -> Fraction:
        return min(Fraction(1), max(Fraction(0), self.offset + self.slope * (x - self.origin)))

    def kinks(self, low: Fraction, high: Fraction) -> list[Fraction]:
        """Where the clamped line bends, strictly between ``low`` and ``high``."""
        if self.slope == 0:
            return []
        points = (self.origin + (level - self.offset) / self.slope for level in (0, 1))
        return sorted(x for x in points if low < x < high)


@dataclass(frozen=True)
class GeniusProfile:
    """One party's utility space, as written in its file (weights not renormalised)."""

    file: str
    party: str
    name: str
    weights: Mapping[int, Fraction]
    evaluations: Mapping[int, Mapping[str, Fraction]]
    evaluators: Mapping[int, LinearEvaluator]
    reservation: Fraction | None
    discount: Fraction | None
    sha256: str

    @property
    def weight_sum(self) -> Fraction:
        return sum(self.weights.values(), Fraction(0))

    def value(self, issue: GeniusIssue, x: str | Fraction | int | float) -> Fraction:
        """The Genius utility (0..1) of value ``x`` of ``issue`` for this party."""
        if issue.kind == "discrete":
            table = self.evaluations.get(issue.index, {})
            top = max(table.values(), default=Fraction(0))
            return table[str(x)] / top if top else Fraction(0)
        evaluator = self.evaluators.get(issue.index)
        return evaluator(Fraction(x)) if evaluator is not None else Fraction(0)


@dataclass(frozen=True)
class GeniusDomain:
    """A Genius domain folder: the issues, one profile per party, and what the import noticed."""

    name: str
    domain_file: str
    domain_sha256: str
    issues: tuple[GeniusIssue, ...]
    profiles: tuple[GeniusProfile, ...]
    agent_names: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def utility(self, profile: int | GeniusProfile, outcome: Outcome) -> Fraction:
        """Genius's utility (weights as given, 0..1 scale) of ``outcome`` (issue index -> value)."""
        prof = self.profiles[profile] if isinstance(profile, int) else profile
        return sum(
            (
                prof.weights.get(issue.index, Fraction(0)) * prof.value(issue, outcome[issue.index])
                for issue in self.issues
            ),
            Fraction(0),
        )

    def package_count(self, real_steps: int = DEFAULT_REAL_STEPS) -> int:
        return math.prod(
            len(issue.values) if issue.kind == "discrete" else len(_grid(issue, real_steps))
            for issue in self.issues
        )


# ---- reading a folder --------------------------------------------------------------------------


class _Problems:
    """Collects positioned problems so that one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[Located] = []

    def add(self, file: str, node: _Node | None, message: str) -> None:
        line, col = (node.line, node.col) if node is not None else (1, 1)
        self.items.append(Located(file, line, col, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ScenarioError(sorted(self.items, key=lambda p: (p.path, p.line, p.col)))


def _number(
    node: _Node, attr: str, file: str, problems: _Problems, *, what: str, nonnegative: bool = False
) -> Fraction | None:
    text = node.attrib.get(attr)
    if text is None:
        problems.add(file, node, f"{what}: missing attribute '{attr}'")
        return None
    try:
        value = _fraction(text)
    except ValueError as error:
        problems.add(file, node, f"{what}: {attr}={text!r} {error}")
        return None
    if nonnegative and value < 0:
        problems.add(file, node, f"{what}: {attr}={text} is negative")
        return None
    return value


def _index(node: _Node, file: str, problems: _Problems, what: str) -> int | None:
    text = node.attrib.get("index")
    try:
        return int(str(text).strip())
    except ValueError:
        problems.add(file, node, f"{what} needs an integer 'index' attribute, not {text!r}")
        return None


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class _Layout:
    """The parts of a utility space: issues, weights, objectives, top-level settings."""

    issues: list[_Node] = field(default_factory=list)
    weights: list[_Node] = field(default_factory=list)
    objectives: list[_Node] = field(default_factory=list)
    settings: list[_Node] = field(default_factory=list)


def _layout(space: _Node) -> _Layout:
    """Issues and weights under the utility space and its (possibly nested) objectives."""
    layout = _Layout()

    def visit(node: _Node) -> None:
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


def _is_profile(root: _Node) -> bool:
    for node in root.walk():
        if node.tag in {"weight", "evaluator"} or (
            node.tag == "item" and "evaluation" in node.attrib
        ):
            return True
    return False


def _kind_of(node: _Node) -> str:
    for attr in ("type", "etype", "vtype"):
        if attr in node.attrib:
            return node.attrib[attr].strip().lower()
    return "discrete"


def _bounds(node: _Node) -> tuple[str | None, str | None, _Node]:
    low, high, where = node.attrib.get("lowerbound"), node.attrib.get("upperbound"), node
    for child in node.kids("range"):
        low = child.attrib.get("lowerbound", low)
        high = child.attrib.get("upperbound", high)
        where = child
    return low, high, where


def _domain_issue(
    node: _Node, file: str, problems: _Problems, notes: list[str]
) -> GeniusIssue | None:
    index = _index(node, file, problems, "an <issue>")
    name = node.attrib.get("name", "").strip()
    if not name:
        problems.add(file, node, "an <issue> needs a non-empty 'name' attribute")
    kind = _kind_of(node)
    if index is None or not name:
        return None
    if kind == "discrete":
        values: list[str] = []
        for item in node.kids("item"):
            value = item.attrib.get("value")
            if value is None:
                problems.add(file, item, f"an <item> of issue '{name}' has no 'value' attribute")
            elif value in values:
                notes.append(
                    f"{Path(file).name}:{item.line}: value {value!r} of issue '{name}' is listed "
                    "twice; it is one value"
                )
            else:
                values.append(value)
        if not node.kids("item"):
            problems.add(file, node, f"issue '{name}' has no <item> values")
        return GeniusIssue(index, name, "discrete", values=tuple(values))
    if kind in {"integer", "real"}:
        low_text, high_text, where = _bounds(node)
        if low_text is None or high_text is None:
            problems.add(file, where, f"{kind} issue '{name}' needs 'lowerbound' and 'upperbound'")
            return None
        try:
            low, high = _fraction(low_text), _fraction(high_text)
        except ValueError as error:
            problems.add(
                file, where, f"issue '{name}': bounds {low_text!r}, {high_text!r}: one {error}"
            )
            return None
        if kind == "integer" and (low.denominator != 1 or high.denominator != 1):
            problems.add(file, where, f"integer issue '{name}' has non-integer bounds")
            return None
        if not low < high:
            problems.add(
                file,
                where,
                f"issue '{name}': lowerbound {low_text} is not below upperbound {high_text}",
            )
            return None
        return GeniusIssue(
            index, name, "integer" if kind == "integer" else "real", lower=low, upper=high
        )
    problems.add(
        file,
        node,
        f"issue '{name}' has type '{kind}'; ceasefire reads discrete, integer and real issues",
    )
    return None


def _read_domain(
    root: _Node, file: str, problems: _Problems, notes: list[str]
) -> tuple[list[GeniusIssue], set[int], dict[str, str]]:
    spaces = [root] if root.tag == "utility_space" else root.kids("utility_space")
    agents: dict[str, str] = {}
    for agent in root.kids("agent"):
        space_file = agent.attrib.get("utility_space", "").strip()
        agent_name = agent.attrib.get("name", "").strip()
        if space_file and agent_name:
            agents[Path(space_file.replace("\\", "/")).name] = agent_name
    if not spaces:
        problems.add(file, root, "the domain file has no <utility_space> element")
        return [], set(), agents
    layout = _layout(spaces[0])
    issues: list[GeniusIssue] = []
    seen: dict[int, _Node] = {}
    for node in layout.issues:
        issue = _domain_issue(node, file, problems, notes)
        if issue is None:
            continue
        if issue.index in seen:
            problems.add(
                file,
                node,
                f"issue index {issue.index} is used twice (first at line {seen[issue.index].line})",
            )
            continue
        seen[issue.index] = node
        issues.append(issue)
    if not layout.issues:
        problems.add(file, spaces[0], "the domain file defines no <issue>")
    objectives = set()
    for objective in layout.objectives:
        try:
            objectives.add(int(objective.attrib.get("index", "").strip()))
        except ValueError:
            continue
    return issues, objectives, agents


def _read_profile(
    root: _Node,
    raw: bytes,
    file: str,
    party: str,
    name: str,
    issues: Mapping[int, GeniusIssue],
    objectives: set[int],
    problems: _Problems,
    notes: list[str],
) -> GeniusProfile | None:
    short = Path(file).name
    before = len(problems.items)
    layout = _layout(root)
    objectives = objectives | {
        int(o.attrib["index"])
        for o in layout.objectives
        if o.attrib.get("index", "").strip().isdigit() and len(o.attrib["index"].strip()) < 10
    }

    weights: dict[int, Fraction] = {}
    weight_nodes: dict[int, _Node] = {}
    for node in layout.weights:
        index = _index(node, file, problems, "a <weight>")
        value = _number(node, "value", file, problems, what="weight", nonnegative=True)
        if index is None or value is None:
            continue
        if index not in issues:
            if index in objectives:
                notes.append(
                    f"{short}:{node.line}: weight of objective {index} ignored (not an issue)"
                )
            else:
                problems.add(
                    file, node, f"weight for index {index}, which is no issue of the domain"
                )
            continue
        if index in weights:
            notes.append(
                f"{short}:{node.line}: a second weight for issue '{issues[index].name}'; the later "
                f"one ({value}) is used"
            )
        weights[index] = value
        weight_nodes[index] = node

    evaluations: dict[int, dict[str, Fraction]] = {}
    evaluators: dict[int, LinearEvaluator] = {}
    issue_nodes: dict[int, _Node] = {}
    broken: set[int] = set()
    for node in layout.issues:
        index = _index(node, file, problems, "an <issue>")
        if index is None:
            continue
        issue = issues.get(index)
        label = node.attrib.get("name", "")
        if issue is None:
            problems.add(file, node, f"issue index {index} ({label!r}) is not in the domain file")
            continue
        if label.strip() and label.strip() != issue.name:
            problems.add(
                file,
                node,
                f"issue index {index} is '{label.strip()}' here but '{issue.name}' in the domain file",
            )
            continue
        if index in issue_nodes:
            problems.add(
                file,
                node,
                f"issue '{issue.name}' is described twice (first at line {issue_nodes[index].line})",
            )
            continue
        issue_nodes[index] = node
        reported = len(problems.items)
        kind = (
            _kind_of(node)
            if any(a in node.attrib for a in ("type", "etype", "vtype"))
            else issue.kind
        )
        if kind != issue.kind:
            problems.add(
                file,
                node,
                f"issue '{issue.name}' is {kind} here but {issue.kind} in the domain file",
            )
            continue
        if issue.kind == "discrete":
            table = _read_items(node, issue, file, problems, notes)
            if table is not None:
                evaluations[index] = table
        else:
            evaluator = _read_evaluator(node, issue, file, problems)
            if evaluator is not None:
                evaluators[index] = evaluator
        if len(problems.items) > reported:
            broken.add(index)

    for issue in issues.values():
        weight = weights.get(issue.index)
        evaluated = issue.index in evaluations or issue.index in evaluators
        where = issue_nodes.get(issue.index, weight_nodes.get(issue.index, root))
        if issue.index in broken:
            continue  # already reported
        if weight is None and evaluated:
            problems.add(file, where, f"no <weight> for issue '{issue.name}'")
        elif weight is not None and weight > 0 and not evaluated:
            problems.add(
                file, where, f"issue '{issue.name}' has weight {weight} but no evaluations"
            )
        if issue.kind == "discrete" and issue.index in evaluations:
            table = evaluations[issue.index]
            missing = [v for v in issue.values if v not in table]
            if missing:
                problems.add(
                    file,
                    where,
                    f"issue '{issue.name}': no evaluation for {', '.join(map(repr, missing))}",
                )
            elif weight and not any(table.values()):
                problems.add(
                    file,
                    where,
                    f"issue '{issue.name}': every evaluation is 0, and Genius divides by the largest",
                )
    if weights and not any(weights.values()):
        problems.add(file, weight_nodes[min(weight_nodes)], "every weight is 0")
    if not weights and not layout.weights:
        problems.add(file, root, "the profile has no <weight> elements")

    reservation = discount = None
    for node in layout.settings:
        value = _number(node, "value", file, problems, what=f"<{node.tag}>")
        if value is None:
            continue
        if node.tag == "reservation":
            if not 0 <= value <= 1:
                problems.add(
                    file,
                    node,
                    f"reservation value {node.attrib['value']} is outside 0..1 "
                    "(ceasefire's reservation values are 0..100)",
                )
            reservation = value
        else:
            discount = value
    if len(problems.items) > before:
        return None
    return GeniusProfile(
        file=short,
        party=party,
        name=name,
        weights=weights,
        evaluations=evaluations,
        evaluators=evaluators,
        reservation=reservation,
        discount=discount,
        sha256=_sha256(raw),
    )


def _read_items(
    node: _Node, issue: GeniusIssue, file: str, problems: _Problems, notes: list[str]
) -> dict[str, Fraction] | None:
    table: dict[str, Fraction] = {}
    ok = True
    for item in node.kids("item"):
        value = item.attrib.get("value")
        if value is None:
            problems.add(file, item, f"an <item> of issue '{issue.name}' has no 'value' attribute")
            ok = False
            continue
        if value not in issue.values:
            problems.add(
                file, item, f"{value!r} is not a value of issue '{issue.name}' in the domain file"
            )
            ok = False
            continue
        evaluation = _number(
            item,
            "evaluation",
            file,
            problems,
            what=f"value {value!r} of '{issue.name}'",
            nonnegative=True,
        )
        if evaluation is None:
            ok = False
            continue
        if value in table:
            notes.append(
                f"{Path(file).name}:{item.line}: value {value!r} of issue '{issue.name}' is "
                f"evaluated twice; the later evaluation ({evaluation}) is used, as in Genius"
            )
        table[value] = evaluation
    return table if ok and table else None


def _read_evaluator(
    node: _Node, issue: GeniusIssue, file: str, problems: _Problems
) -> LinearEvaluator | None:
    found = node.kids("evaluator")
    if not found:
        return None
    evaluator = found[0]
    ftype = evaluator.attrib.get("ftype", "linear").strip().lower()
    what = f"evaluator of issue '{issue.name}'"
    if ftype not in {"linear", "constant"}:
        problems.add(file, evaluator, f"{what}: ftype '{ftype}' is not supported (only linear)")
        return None

    def param(names: Sequence[str], default: str | None) -> Fraction | None:
        for attr in names:
            if attr in evaluator.attrib:
                return _number(evaluator, attr, file, problems, what=what)
        if default is None:
            problems.add(file, evaluator, f"{what}: missing attribute '{names[0]}'")
            return None
        return Fraction(default)

    if issue.kind == "integer":
        # Genius's EvaluatorInteger: offset + slope * (x - lowerbound), bounds from the profile.
        slope = param(("slope", "parameter1"), "0" if ftype == "constant" else None)
        offset = param(("offset", "parameter0"), "0")
        low_text, _, where = _bounds(node)
        try:
            origin = _fraction(low_text) if low_text is not None else issue.lower
        except ValueError:
            problems.add(
                file, where, f"issue '{issue.name}': lowerbound {low_text!r} is not a number"
            )
            return None
    else:
        # Genius's EvaluatorReal: parameter0 + parameter1 * x.
        slope = param(("parameter1", "slope"), "0" if ftype == "constant" else None)
        offset = param(("parameter0", "offset"), None)
        origin = Fraction(0)
    if slope is None or offset is None or origin is None:
        return None
    return LinearEvaluator(
        slope=slope if ftype == "linear" else Fraction(0), offset=offset, origin=origin
    )


def read_genius_folder(path: str | Path) -> GeniusDomain:
    """Read a Genius domain folder, finding the domain and profile files by their content.

    Raises :class:`ScenarioError` with ``file:line:col`` items for anything broken.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise ScenarioError([Located(str(folder), 1, 1, "not a directory")])
    problems = _Problems()
    notes: list[str] = []
    parsed: list[tuple[Path, bytes, _Node]] = []
    for file in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xml" and p.is_file()):
        if file.name.startswith("."):
            continue
        try:
            raw = read_limited(file, MAX_BYTES)
        except ScenarioError as error:
            problems.items.extend(error.problems)
            continue
        try:
            parsed.append((file, raw, _parse_xml(raw, str(file))))
        except ScenarioError as error:
            problems.items.extend(error.problems)
    problems.raise_if_any()

    domains = []
    profiles = []
    for file, raw, root in parsed:
        if root.tag == "negotiation_template" or (
            root.tag == "utility_space" and not _is_profile(root)
        ):
            domains.append((file, raw, root))
        elif root.tag == "utility_space":
            profiles.append((file, raw, root))
        else:
            notes.append(
                f"{file.name}: ignored (root element <{root.tag}> is neither a domain nor a profile)"
            )
    if not domains:
        problems.add(
            str(folder),
            None,
            "no Genius domain file (an XML file with root <negotiation_template>, or a "
            "<utility_space> without weights and evaluations)",
        )
    for file, _, root in domains[1:]:
        problems.add(str(file), root, f"a second domain file; the first is {domains[0][0].name}")
    if len(profiles) < 2:
        problems.add(
            str(folder),
            None,
            f"a Genius domain needs two or more profile files (root <utility_space> with weights and "
            f"evaluations); found {len(profiles)}",
        )
    problems.raise_if_any()

    domain_file, domain_raw, domain_root = domains[0]
    issue_list, objectives, agents = _read_domain(domain_root, str(domain_file), problems, notes)
    problems.raise_if_any()
    issues = {issue.index: issue for issue in issue_list}
    party_ids = _unique_ids(_without_common_prefix([file.stem for file, _, _ in profiles]), "party")
    read = []
    for (file, raw, root), party in zip(profiles, party_ids, strict=True):
        name = agents.get(file.name, file.stem)
        read.append(
            _read_profile(root, raw, str(file), party, name, issues, objectives, problems, notes)
        )
    problems.raise_if_any()
    return GeniusDomain(
        name=folder.resolve().name,
        domain_file=domain_file.name,
        domain_sha256=_sha256(domain_raw),
        issues=tuple(issue_list),
        profiles=tuple(p for p in read if p is not None),
        agent_names=agents,
        notes=tuple(notes),
    )


# ---- ids ---------------------------------------------------------------------------------------

_SYMBOLS = {"+": " plus ", "%": " pct ", "&": " and ", "<": " lt ", ">": " gt ", "=": " eq "}


def _slug(text: str) -> str:
    """An id (``[A-Za-z0-9][A-Za-z0-9_.-]*``) that reads like ``text``, or '' if none does."""
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)  # keep decimal points only
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "_", ascii_text.strip().lower())
    slug = re.sub(r"^[^A-Za-z0-9]+", "", slug).rstrip("_.-")
    return slug[:90].rstrip("_.-")


def _without_common_prefix(stems: Sequence[str]) -> list[str]:
    """Drop the words all names share at their start (``ampo_vs_city_ampo_space`` and
    ``ampo_vs_city_city_space`` become ``ampo_space`` and ``city_space``)."""
    slugs = [_slug(stem) for stem in stems]
    common = slugs[0]
    for slug in slugs[1:]:
        same = [a == b for a, b in zip(common, slug, strict=False)] + [False]
        common = common[: same.index(False)]
    cut = max((common.rfind(sep) for sep in "_-."), default=-1) + 1
    rest = [slug[cut:] for slug in slugs]
    if cut and all(r[:1].isalnum() for r in rest):
        return rest
    return list(stems)


def _unique_ids(names: Iterable[str], fallback: str) -> list[str]:
    """Deterministic unique ids for ``names`` in order (a suffix ``-2``, ``-3`` ... on clashes)."""
    ids: list[str] = []
    used: set[str] = set()
    for position, name in enumerate(names, start=1):
        base = _slug(name) or f"{fallback}{position}"
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        ids.append(candidate)
    return ids


# ---- the scenario ------------------------------------------------------------------------------


def _grid(issue: GeniusIssue, real_steps: int) -> list[Fraction]:
    """The values a package may take on a numeric issue (exact)."""
    if issue.lower is None or issue.upper is None:
        raise ValueError(f"issue '{issue.name}' is discrete and has no grid")
    low, high = issue.lower, issue.upper
    if issue.kind == "integer" and high - low + 1 <= MAX_INTEGER_VALUES:
        return [Fraction(x) for x in range(int(low), int(high) + 1)]
    steps = max(2, real_steps)
    points = [low + (high - low) * i / (steps - 1) for i in range(steps)]
    if issue.kind == "integer":
        points = sorted({Fraction(round(x)) for x in points})
    return points


def _value_points(
    evaluator: LinearEvaluator | None, low: Fraction, high: Fraction
) -> list[list[float]]:
    """Exact piecewise-linear ``[x, 0..100]`` points of a clamped linear evaluator on [low, high]."""
    if evaluator is None:
        return [[float(low), 0.0]]
    xs = [low, *evaluator.kinks(low, high), high]
    points: list[list[float]] = []
    for x in xs:
        fx = float(x)
        if points and fx <= points[-1][0]:
            continue
        points.append([fx, float(100 * evaluator(x))])
    return points


def _fmt(value: Fraction) -> str:
    """A short decimal for notes (exact values stay in the data)."""
    return f"{float(value):.10g}"


def _description(domain: GeniusDomain, parties: Sequence[str], sums: Sequence[Fraction]) -> str:
    lines = [
        f"Imported from the Genius domain folder '{domain.name}' (domain file {domain.domain_file}; "
        f"profiles {', '.join(p.file for p in domain.profiles)}). Utilities are Genius's "
        "normalised utilities times 100: a value's utility is its evaluation divided by the "
        "issue's largest evaluation in that profile.",
        "The status quo of every issue is its first value: Genius's disagreement outcome is not a "
        "package, so the status quo is not meaningful for Genius domains; each party's value of "
        "no deal is its reservation value (0 where the profile gives none). as_of is a "
        "placeholder: Genius files carry no date.",
    ]
    discounts = [
        f"{party} {float(p.discount)!r}" if p.discount is not None else f"{party} none"
        for party, p in zip(parties, domain.profiles, strict=True)
    ]
    lines.append(
        f"Genius discount factors: {'; '.join(discounts)} (read and kept; the static analysis "
        "ignores them)."
    )
    for party, total in zip(parties, sums, strict=True):
        if abs(total - 1) > WEIGHT_TOLERANCE:
            lines.append(
                f"The weights of {party} sum to {_fmt(total)} and were divided by that sum "
                f"(every utility of {party} changes by a factor {_fmt(1 / total)})."
            )
    lines.extend(f"Note: {note}" for note in domain.notes)
    return (
        "\n\n".join(textwrap.fill(line, width=96, break_on_hyphens=False) for line in lines) + "\n"
    )


def scenario_document(
    domain: GeniusDomain, *, real_steps: int = DEFAULT_REAL_STEPS
) -> dict[str, Any]:
    """The scenario (format version 1) of a Genius domain, as plain data."""
    issue_ids = _unique_ids([i.name for i in domain.issues], "issue")
    option_ids = {
        issue.index: _unique_ids(issue.values, "value")
        for issue in domain.issues
        if issue.kind == "discrete"
    }
    parties = [p.party for p in domain.profiles]
    sums = [p.weight_sum for p in domain.profiles]

    sources = [
        {
            "id": "genius-domain",
            "title": f"Genius domain file {domain.domain_file}",
            "note": f"sha256 {domain.domain_sha256}",
        }
    ]
    for profile in domain.profiles:
        sources.append(
            {
                "id": f"genius-{profile.party}",
                "title": f"Genius profile {profile.file}",
                "note": f"sha256 {profile.sha256}",
            }
        )

    party_entries = []
    for profile in domain.profiles:
        about = f"Genius profile {profile.file}."
        if profile.discount is not None:
            about += (
                f" Genius discount factor {float(profile.discount)!r}"
                " (kept; the static analysis ignores it)."
            )
        entry: dict[str, Any] = {"id": profile.party, "name": profile.name, "role": "belligerent"}
        entry["veto"] = True
        entry["description"] = about
        entry["sources"] = [f"genius-{profile.party}"]
        party_entries.append(entry)

    issue_entries = []
    for issue, issue_id in zip(domain.issues, issue_ids, strict=True):
        entry = {"id": issue_id, "name": issue.name}
        if issue.kind == "discrete":
            options: list[Any] = []
            for value, option_id in zip(issue.values, option_ids[issue.index], strict=True):
                options.append(
                    option_id if value == option_id else {"id": option_id, "label": value}
                )
            entry["options"] = options
            entry["status_quo"] = option_ids[issue.index][0]
        else:
            assert issue.lower is not None and issue.upper is not None
            grid = _grid(issue, real_steps)
            entry["kind"] = "numeric"
            entry["description"] = (
                f"Genius {issue.kind} issue on [{_fmt(issue.lower)}, {_fmt(issue.upper)}]; "
                + (
                    "the grid is every integer."
                    if issue.kind == "integer" and len(grid) == issue.upper - issue.lower + 1
                    else f"the grid is {len(grid)} evenly spaced values."
                )
            )
            entry["range"] = [float(issue.lower), float(issue.upper)]
            entry["grid"] = [float(x) for x in grid]
            entry["status_quo"] = float(issue.lower)
        entry["sources"] = ["genius-domain"]
        issue_entries.append(entry)

    preferences: dict[str, Any] = {}
    for profile, total in zip(domain.profiles, sums, strict=True):
        scale = Fraction(1) if abs(total - 1) <= WEIGHT_TOLERANCE else 1 / total
        weights = {
            issue_id: float(profile.weights.get(issue.index, Fraction(0)) * scale)
            for issue, issue_id in zip(domain.issues, issue_ids, strict=True)
        }
        values: dict[str, Any] = {}
        for issue, issue_id in zip(domain.issues, issue_ids, strict=True):
            if issue.kind == "discrete":
                values[issue_id] = {
                    option_id: float(100 * profile.value(issue, value))
                    for value, option_id in zip(issue.values, option_ids[issue.index], strict=True)
                }
            else:
                assert issue.lower is not None and issue.upper is not None
                points = _value_points(
                    profile.evaluators.get(issue.index), issue.lower, issue.upper
                )
                values[issue_id] = points
        source = [f"genius-{profile.party}"]
        basis: dict[str, Any] = {
            "weights": {
                "sources": source,
                "note": "Genius weights as given."
                if scale == 1
                else f"Genius weights divided by their sum {_fmt(total)}.",
            }
        }
        if profile.reservation is None:
            reservation = 0.0
            basis["reservation"] = {
                "assumption": "The profile gives no reservation value; Genius then uses 0."
            }
        else:
            reservation = float(100 * profile.reservation)
            basis["reservation"] = {
                "sources": source,
                "note": f"100 x Genius reservation value {_fmt(profile.reservation)}.",
            }
        preferences[profile.party] = {
            "weights": weights,
            "values": values,
            "reservation": reservation,
            "sources": source,
            "basis": basis,
        }

    document = {
        "schema_version": 1,
        "id": _slug(domain.name) or "genius-domain",
        "title": f"{domain.name} (Genius domain)",
        "as_of": AS_OF,
        "description": _description(domain, parties, sums),
        "sources": sources,
        "parties": party_entries,
        "issues": issue_entries,
        "preferences": preferences,
    }
    return document


def genius_scenario_text(domain: GeniusDomain, *, real_steps: int = DEFAULT_REAL_STEPS) -> str:
    """The scenario (YAML text, format version 1) that ``ceasefire import-genius`` writes."""
    return _text(domain, scenario_document(domain, real_steps=real_steps))


def _text(domain: GeniusDomain, document: dict[str, Any]) -> str:
    from ceasefire.interop import yaml_emit

    comment = f"Imported by ceasefire import-genius from the Genius domain {domain.name!r}."
    return yaml_emit.dump(document, comment=comment)


def load_genius_folder(path: str | Path, *, real_steps: int = DEFAULT_REAL_STEPS) -> LoadedScenario:
    """A scenario built from a Genius domain folder; its ``text`` is what ``import-genius`` writes.

    Raises :class:`ScenarioError` (``file:line:col`` items at XML positions) for broken input.
    """
    domain = read_genius_folder(path)
    document = scenario_document(domain, real_steps=real_steps)
    text = _text(domain, document)
    try:
        # Validating the data directly is what parsing ``text`` would give (the tests check that),
        # without the YAML parser's cost on the analysis path.
        scenario = Scenario.model_validate(document)
        if not check_scenario(scenario):
            return LoadedScenario(scenario=scenario, path=str(path), text=text)
    except ValueError:
        pass
    try:  # a bug: the importer built something the schema refuses; say what, from the text
        parse_scenario(text, str(path))
    except ScenarioError as error:
        raise ScenarioError(
            [
                Located(
                    str(path), 1, 1, f"the scenario built from this folder is invalid: {p.message}"
                )
                for p in error.problems
            ]
        ) from None
    raise ScenarioError(
        [Located(str(path), 1, 1, "the scenario built from this folder is invalid")]
    )
