"""Every bibliography key cited anywhere in the package (code, docstrings, templates) is defined in
docs/reference/bibliography.md. A scenario file's ``sources: [...]`` name its own ``sources:``
entries, which validation checks; the bundled war model's sources are in the bibliography too."""

from __future__ import annotations

import re
from pathlib import Path

from ceasefire.scenario import bundled_scenarios, load_scenario

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "ceasefire"
BIBLIOGRAPHY = ROOT / "docs" / "reference" / "bibliography.md"
CITED = re.compile(r"(?<![\w\)\]])\[([A-Za-z][A-Za-z0-9_]*(?:, [A-Za-z][A-Za-z0-9_]*)*)\]")
SUFFIXES = {".py", ".md", ".html", ".jinja", ".j2"}


def bibliography_keys() -> set[str]:
    return set(re.findall(r"^- \*\*([^*]+)\*\*", BIBLIOGRAPHY.read_text(encoding="utf-8"), re.M))


def cited_keys(text: str) -> set[str]:
    """Keys in square brackets, one or several (``[Zartman2000]``, ``[Nash1950, Kalai1975]``).

    A key carries a year or is an upper-case id with a year or an underscore (``[KIEL23]``,
    ``[NYT_CAS23]``, ``[UA_AREAS]``); code such as ``[0]``, ``[i]``, ``[str]``, a list of one
    constant ``[NAMES]`` or an index such as ``d[NAMES]`` is not a key.
    """
    keys: set[str] = set()
    for group in CITED.findall(text):
        for key in group.split(", "):
            if re.search(r"[A-Za-z]\d{2}", key) or (key.isupper() and "_" in key):
                keys.add(key)
    return keys


def test_the_cited_key_finder() -> None:
    text = "as in [Nash1950, Kalai1975]; see [KIEL23] and x[0], y[i], z[N], d[NAMES], f()[KEYS], [NAMES]"
    assert cited_keys(text) == {
        "Nash1950",
        "Kalai1975",
        "KIEL23",
    }


def test_every_key_cited_in_the_package_is_in_the_bibliography() -> None:
    files = [p for p in sorted(SOURCE.rglob("*")) if p.suffix in SUFFIXES and p.is_file()]
    assert any(p.name == "ripeness.py" for p in files)
    cited = {
        (str(path.relative_to(SOURCE)), key)
        for path in files
        for key in cited_keys(path.read_text(encoding="utf-8"))
    }
    from ceasefire.bargaining import SOLUTION_CONCEPTS

    cited |= {("bargaining/solutions.py", c.bibkey) for c in SOLUTION_CONCEPTS.values()}
    assert len(cited) > 10
    known = bibliography_keys()
    missing = sorted((path, key) for path, key in cited if key not in known)
    assert not missing, missing


def test_the_war_model_docs_cite_known_keys() -> None:
    text = (ROOT / "docs" / "explanation" / "war-model.md").read_text(encoding="utf-8")
    assert not cited_keys(text) - bibliography_keys()


def test_the_bundled_war_sources_are_in_the_bibliography() -> None:
    war = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario.war
    assert war is not None
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    missing = [
        s.id for s in war.source_records if f"**{s.id}**" not in text and f"`{s.id}`" not in text
    ]
    assert not missing
