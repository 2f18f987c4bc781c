"""The domain file of a Genius folder (root ``negotiation_template``): its issues and values."""

from __future__ import annotations

from pathlib import Path

from ceasefire.interop.genius.domain import (
    GeniusIssue,
)
from ceasefire.interop.genius.elements import (
    Problems,
    bounds,
    index_attribute,
    kind_of,
    space_layout,
)
from ceasefire.interop.genius.xml_tree import Node, exact_number


def is_profile(root: Node) -> bool:
    for node in root.walk():
        if node.tag in {"weight", "evaluator"} or (
            node.tag == "item" and "evaluation" in node.attrib
        ):
            return True
    return False


def _domain_issue(
    node: Node, file: str, problems: Problems, notes: list[str]
) -> GeniusIssue | None:
    index = index_attribute(node, file, problems, "an <issue>")
    name = node.attrib.get("name", "").strip()
    if not name:
        problems.add(file, node, "an <issue> needs a non-empty 'name' attribute")
    kind = kind_of(node)
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
        low_text, high_text, where = bounds(node)
        if low_text is None or high_text is None:
            problems.add(file, where, f"{kind} issue '{name}' needs 'lowerbound' and 'upperbound'")
            return None
        try:
            low, high = exact_number(low_text), exact_number(high_text)
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


def read_domain(
    root: Node, file: str, problems: Problems, notes: list[str]
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
    layout = space_layout(spaces[0])
    issues: list[GeniusIssue] = []
    seen: dict[int, Node] = {}
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
