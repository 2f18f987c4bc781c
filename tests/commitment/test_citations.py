"""The commitment layer cites known sources, and its documented defaults are the shipped table."""

from __future__ import annotations

import re
from pathlib import Path

from ceasefire.scenario.commitment import default_table, default_table_names

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "explanation" / "commitment.md"
BIBLIOGRAPHY = ROOT / "docs" / "reference" / "bibliography.md"


def bibliography_keys() -> set[str]:
    return set(re.findall(r"^- \*\*([^*]+)\*\*", BIBLIOGRAPHY.read_text(encoding="utf-8"), re.M))


def cited_keys(text: str) -> set[str]:
    """Author-year keys in square brackets (``[Powell2006]``)."""
    return set(re.findall(r"\[([A-Z][A-Za-z]+\d{4})\]", text))


def test_code_docs_and_tables_cite_known_keys() -> None:
    files = [
        *sorted((ROOT / "src" / "ceasefire" / "commitment").glob("*.py")),
        ROOT / "src" / "ceasefire" / "scenario" / "commitment.py",
        ROOT / "src" / "ceasefire" / "bargaining" / "effective.py",
        ROOT / "src" / "ceasefire" / "report" / "durability.py",
        DOC,
    ]
    known = bibliography_keys()
    cited = {(p.name, k) for p in files for k in cited_keys(p.read_text(encoding="utf-8"))}
    assert {k for _, k in cited} >= {"Powell2006", "Fortna2003", "WernerYuen2005"}
    assert not {(name, k) for name, k in cited if k not in known}
    for name in default_table_names():
        table = default_table(name)
        sources = set(table.sources) | {m.source for m in table.mechanisms.values()}
        assert sources <= known, sources - known


def test_the_documented_defaults_are_the_shipped_ones() -> None:
    table = default_table("fortna2003")
    text = DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([0-9.]+) \|", text, flags=re.MULTILINE))
    assert rows == {name: f"{m.ratio:g}" for name, m in table.mechanisms.items()}
    assert f"| base rate (per month) | {table.base:g} |" in text
    # Which magnitudes were checked against the sources: none of the ratios (the docs say so).
    assert not any(m.verified for m in table.mechanisms.values())
    assert text.count("magnitude not verified") + text.count("neither direction") == len(rows)
