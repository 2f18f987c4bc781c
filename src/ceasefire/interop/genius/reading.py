"""Reading a Genius domain folder: the domain file and the profiles, found by their content."""

from __future__ import annotations

from pathlib import Path

from ceasefire.interop.genius.domain import (
    GeniusDomain,
)
from ceasefire.interop.genius.domain_file import is_profile, read_domain
from ceasefire.interop.genius.elements import (
    Problems,
    sha256,
)
from ceasefire.interop.genius.ids import unique_ids, without_common_prefix
from ceasefire.interop.genius.profiles import read_profile
from ceasefire.interop.genius.xml_tree import Node, parse_xml
from ceasefire.scenario.load import Located, ScenarioError, read_limited

MAX_BYTES = 5 * 1024 * 1024
"""Largest XML file read (the biggest public Genius domains are well under 1 MB)."""


def read_genius_folder(path: str | Path) -> GeniusDomain:
    """Read a Genius domain folder, finding the domain and profile files by their content.

    Raises :class:`ScenarioError` with ``file:line:col`` items for anything broken.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise ScenarioError([Located(str(folder), 1, 1, "not a directory")])
    problems = Problems()
    notes: list[str] = []
    parsed: list[tuple[Path, bytes, Node]] = []
    for file in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xml" and p.is_file()):
        if file.name.startswith("."):
            continue
        try:
            raw = read_limited(file, MAX_BYTES)
        except ScenarioError as error:
            problems.items.extend(error.problems)
            continue
        try:
            parsed.append((file, raw, parse_xml(raw, str(file))))
        except ScenarioError as error:
            problems.items.extend(error.problems)
    problems.raise_if_any()

    domains = []
    profiles = []
    for file, raw, root in parsed:
        if root.tag == "negotiation_template" or (
            root.tag == "utility_space" and not is_profile(root)
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
    issue_list, objectives, agents = read_domain(domain_root, str(domain_file), problems, notes)
    problems.raise_if_any()
    issues = {issue.index: issue for issue in issue_list}
    party_ids = unique_ids(without_common_prefix([file.stem for file, _, _ in profiles]), "party")
    read = []
    for (file, raw, root), party in zip(profiles, party_ids, strict=True):
        name = agents.get(file.name, file.stem)
        read.append(
            read_profile(root, raw, str(file), party, name, issues, objectives, problems, notes)
        )
    problems.raise_if_any()
    return GeniusDomain(
        name=folder.resolve().name,
        domain_file=domain_file.name,
        domain_sha256=sha256(domain_raw),
        issues=tuple(issue_list),
        profiles=tuple(p for p in read if p is not None),
        agent_names=agents,
        notes=tuple(notes),
    )
