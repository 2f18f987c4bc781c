"""Every source the war model cites, in code, docs or the bundled war section, is in the bibliography."""

from __future__ import annotations

import re
from pathlib import Path

from ceasefire.scenario import bundled_scenarios, load_scenario

ROOT = Path(__file__).resolve().parents[2]
BIBLIOGRAPHY = ROOT / "docs" / "reference" / "bibliography.md"
CITED = re.compile(r"\[([A-Za-z][A-Za-z0-9_]*(?:, [A-Za-z][A-Za-z0-9_]*)*)\]")


def bibliography_keys() -> set[str]:
    return set(re.findall(r"^- \*\*([^*]+)\*\*", BIBLIOGRAPHY.read_text(encoding="utf-8"), re.M))


def cited_keys(text: str) -> set[str]:
    keys: set[str] = set()
    for group in CITED.findall(text):
        for key in group.split(", "):
            # Source keys carry a year or an upper-case id; skip code like [0] or [i].
            if re.search(r"\d{2}", key) or key.isupper():
                keys.add(key)
    return keys


def test_code_and_docs_cite_known_keys() -> None:
    files = [
        *sorted((ROOT / "src" / "ceasefire" / "war").glob("*.py")),
        ROOT / "src" / "ceasefire" / "scenario" / "war.py",
        ROOT / "docs" / "explanation" / "war-model.md",
    ]
    known = bibliography_keys()
    missing = {
        (path.name, key)
        for path in files
        for key in cited_keys(path.read_text(encoding="utf-8"))
        if key not in known
    }
    assert not missing, sorted(missing)


def test_the_bundled_war_sources_are_in_the_bibliography() -> None:
    war = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario.war
    assert war is not None
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    missing = [
        s.id for s in war.source_records if f"**{s.id}**" not in text and f"`{s.id}`" not in text
    ]
    assert not missing
