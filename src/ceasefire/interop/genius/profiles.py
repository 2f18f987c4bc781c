"""The profiles of a Genius folder (root ``utility_space``): weights, evaluations, reservation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path

from ceasefire.interop.genius.domain import (
    GeniusIssue,
    GeniusProfile,
    LinearEvaluator,
)
from ceasefire.interop.genius.elements import (
    Problems,
    bounds,
    index_attribute,
    kind_of,
    number_attribute,
    sha256,
    space_layout,
)
from ceasefire.interop.genius.xml_tree import Node, exact_number


def read_profile(
    root: Node,
    raw: bytes,
    file: str,
    party: str,
    name: str,
    issues: Mapping[int, GeniusIssue],
    objectives: set[int],
    problems: Problems,
    notes: list[str],
) -> GeniusProfile | None:
    short = Path(file).name
    before = len(problems.items)
    layout = space_layout(root)
    objectives = objectives | {
        int(o.attrib["index"])
        for o in layout.objectives
        if o.attrib.get("index", "").strip().isdigit() and len(o.attrib["index"].strip()) < 10
    }

    weights: dict[int, Fraction] = {}
    weight_nodes: dict[int, Node] = {}
    for node in layout.weights:
        index = index_attribute(node, file, problems, "a <weight>")
        value = number_attribute(node, "value", file, problems, what="weight", nonnegative=True)
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
    issue_nodes: dict[int, Node] = {}
    broken: set[int] = set()
    for node in layout.issues:
        index = index_attribute(node, file, problems, "an <issue>")
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
            kind_of(node)
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
        value = number_attribute(node, "value", file, problems, what=f"<{node.tag}>")
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
        sha256=sha256(raw),
    )


def _read_items(
    node: Node, issue: GeniusIssue, file: str, problems: Problems, notes: list[str]
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
        evaluation = number_attribute(
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
    node: Node, issue: GeniusIssue, file: str, problems: Problems
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
                return number_attribute(evaluator, attr, file, problems, what=what)
        if default is None:
            problems.add(file, evaluator, f"{what}: missing attribute '{names[0]}'")
            return None
        return Fraction(default)

    if issue.kind == "integer":
        # Genius's EvaluatorInteger: offset + slope * (x - lowerbound), bounds from the profile.
        slope = param(("slope", "parameter1"), "0" if ftype == "constant" else None)
        offset = param(("offset", "parameter0"), "0")
        low_text, _, where = bounds(node)
        try:
            origin = exact_number(low_text) if low_text is not None else issue.lower
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
