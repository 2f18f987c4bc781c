"""Every key that the uncertainty, sensitivity and mediation code and docs cite is in the
bibliography."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIBLIOGRAPHY = ROOT / "docs" / "reference" / "bibliography.md"
CITED = re.compile(r"\[([A-Z][A-Za-z]+[0-9]{4}[a-z]?)\]")


def test_cited_keys_are_in_the_bibliography() -> None:
    known = set(re.findall(r"^- \*\*([^*]+)\*\*", BIBLIOGRAPHY.read_text(encoding="utf-8"), re.M))
    files = [
        *sorted((ROOT / "src" / "ceasefire" / "uncertainty").glob("*.py")),
        *sorted((ROOT / "src" / "ceasefire" / "mediation").glob("*.py")),
        ROOT / "src" / "ceasefire" / "executor.py",
        ROOT / "docs" / "explanation" / "uncertainty.md",
        *(ROOT / "docs" / "how-to" / f"{page}.md" for page in ("robust", "sensitivity", "mediate")),
    ]
    cited = {(f.name, key) for f in files for key in CITED.findall(f.read_text(encoding="utf-8"))}
    assert cited, "no citations found: the pattern is wrong"
    missing = {(name, key) for name, key in cited if key not in known}
    assert not missing, missing
