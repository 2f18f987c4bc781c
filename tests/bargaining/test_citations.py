"""Every source the bargaining package cites is in the bibliography."""

from __future__ import annotations

import re
from pathlib import Path

import ceasefire.bargaining

ROOT = Path(__file__).resolve().parents[2]


def test_cited_keys_are_in_the_bibliography() -> None:
    package = Path(ceasefire.bargaining.__file__).parent
    cited = set()
    for path in package.glob("*.py"):
        cited |= set(re.findall(r"\[([A-Z][A-Za-z]+\d{4})\]", path.read_text(encoding="utf-8")))
    from ceasefire.bargaining import SOLUTION_CONCEPTS

    cited |= {c.bibkey for c in SOLUTION_CONCEPTS.values()}
    listed = set(
        re.findall(
            r"^- \*\*([^*]+)\*\*",
            (ROOT / "docs/reference/bibliography.md").read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        )
    )
    assert cited and cited <= listed, sorted(cited - listed)
