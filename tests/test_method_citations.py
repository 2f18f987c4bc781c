"""Every source the forecasting, stability and fair-division methods cite is in the bibliography."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = [
    ROOT / "src/ceasefire/fair_division",
    ROOT / "tests/fair_division",
    ROOT / "docs/how-to/divide.md",
    ROOT / "src/ceasefire/forecast",
    ROOT / "tests/forecast",
    ROOT / "docs/how-to/forecast.md",
    ROOT / "src/ceasefire/stability",
    ROOT / "src/ceasefire/report/forecast_figures.py",
    ROOT / "src/ceasefire/report/stability_figures.py",
    ROOT / "tests/stability",
    ROOT / "docs/how-to/stability.md",
    ROOT / "docs/explanation/methods.md",
]
KEY = re.compile(r"\[([A-Z][A-Za-z]+\d{4}[a-z]?|GMCRpy)(?=[;,\]])")


def cited_keys() -> set[str]:
    cited: set[str] = set()
    for place in PLACES:
        files = [place] if place.is_file() else sorted(place.rglob("*.py"))
        for path in files:
            text = path.read_text(encoding="utf-8")
            cited |= set(KEY.findall(text))
            # several keys in one bracket: [Fang1993; KilgourHipel2005]
            for group in re.findall(r"\[([A-Z][^\]]*;[^\]]*)\]", text):
                cited |= {k.strip() for k in group.split(";")}
    return cited


def test_cited_keys_are_in_the_bibliography() -> None:
    listed = set(
        re.findall(
            r"^- \*\*([^*]+)\*\*",
            (ROOT / "docs/reference/bibliography.md").read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        )
    )
    cited = cited_keys()
    assert {
        "BramsTaylor1996",
        "BramsTaylor1999",
        "Scholz2011",
        "Fang1993",
        "GMCRpy",
        "Kilgour2001",
        "McKibbenSanders2014",  # the BDM replication, by its author's name
    } <= cited
    assert cited <= listed, sorted(cited - listed)


def test_the_bdm_replication_is_cited_under_its_authors_name_only() -> None:
    """The replication used as an oracle is by J. McKibben-Sanders; the key that gave another
    author's name is neither cited nor listed."""
    bibliography = (ROOT / "docs/reference/bibliography.md").read_text(encoding="utf-8")
    assert "**McKibbenSanders2014**" in bibliography
    assert "Velev2014" not in bibliography
    assert "Velev2014" not in cited_keys()
