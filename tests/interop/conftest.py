"""Shared helpers for the Genius tests: the copied public domains and small hand-written folders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

GENIUS_DATA = Path(__file__).resolve().parents[1] / "data" / "genius"
DOMAINS = sorted(p.name for p in GENIUS_DATA.iterdir() if p.is_dir())

# name: (issues, values per issue, packages, reservation values) from SOURCE.md.
EXPECTED = {
    "Laptop": (3, (3, 3, 3), 27, (0, 0)),
    "anac2013-DefensiveCharms": (3, (3, 4, 3), 36, (0.7, 0.7)),
    "anac2010-ItexvsCypress": (4, (5, 4, 3, 3), 180, (0, 0)),
    "anac2010-EnglandZimbabwe": (5, (4, 4, 3, 3, 4), 576, (0, 0)),
    "anac2011-Amsterdam": (6, (4, 3, 7, 3, 3, 4), 3024, (0, 0)),
    "anac2011-Car": (6, (5,) * 6, 15625, (0, 0)),
    "anac2013-Wholesaler": (7, (3, 7, 5, 6, 5, 6, 3), 56700, (0.5, 0.5)),
    "anac2010-Travel": (7, (7, 7, 4, 4, 6, 5, 8), 188160, (0, 0)),
    "anac2011-Energy": (8, (5,) * 8, 390625, (0, 0)),
    "AMPOvsCity": (10, (6, 5, 6, 5, 3, 4, 3, 6, 2, 5), 1944000, (0, 0)),
}


def domain_xml(issues: Mapping[str, Sequence[str]], *, first_index: int = 1) -> str:
    """A Genius domain file (``negotiation_template``) with discrete issues."""
    body = []
    for k, (name, values) in enumerate(issues.items(), start=first_index):
        items = "".join(
            f'        <item index="{j}" value={quoteattr(v)}/>\n' for j, v in enumerate(values, 1)
        )
        body.append(
            f'      <issue index="{k}" etype="discrete" type="discrete" vtype="discrete" '
            f"name={quoteattr(name)}>\n{items}      </issue>\n"
        )
    return (
        "<negotiation_template>\n"
        f'  <utility_space number_of_issues="{len(issues)}">\n'
        '    <objective index="0" etype="objective" type="objective" name="market">\n'
        + "".join(body)
        + "    </objective>\n  </utility_space>\n</negotiation_template>\n"
    )


def profile_xml(
    evaluations: Mapping[str, Sequence[tuple[str, str]]],
    weights: Sequence[str],
    *,
    reservation: str | None = None,
    discount: str | None = None,
    first_index: int = 1,
) -> str:
    """A Genius profile (``utility_space``): ``evaluations[issue] = [(value, evaluation), ...]``."""
    body = []
    for k, (name, items) in enumerate(evaluations.items(), start=first_index):
        lines = "".join(
            f'      <item index="{j}" value={quoteattr(v)} evaluation="{e}"/>\n'
            for j, (v, e) in enumerate(items, 1)
        )
        body.append(
            f'    <issue index="{k}" etype="discrete" type="discrete" vtype="discrete" '
            f"name={quoteattr(name)}>\n{lines}    </issue>\n"
        )
    weight_lines = "".join(
        f'    <weight index="{k}" value="{w}"/>\n' for k, w in enumerate(weights, start=first_index)
    )
    tail = ""
    if discount is not None:
        tail += f'  <discount_factor value="{discount}"/>\n'
    if reservation is not None:
        tail += f'  <reservation value="{reservation}"/>\n'
    return (
        "<utility_space>\n"
        '  <objective index="0" etype="objective" type="objective" name="market">\n'
        + "".join(body)
        + weight_lines
        + "  </objective>\n"
        + tail
        + "</utility_space>\n"
    )


MARKET_ISSUES = {"Fruit": ["Apple", "Pear", "Plum"], "Price": ["$1", "$2"]}
BUYER = {
    "Fruit": [("Apple", "4"), ("Pear", "8"), ("Plum", "2")],
    "Price": [("$1", "10"), ("$2", "5")],
}
SELLER = {
    "Fruit": [("Apple", "3"), ("Pear", "1"), ("Plum", "6")],
    "Price": [("$1", "0"), ("$2", "9")],
}


def market_files() -> dict[str, str]:
    """A small valid Genius domain: two issues, a buyer and a seller."""
    return {
        "market.xml": domain_xml(MARKET_ISSUES),
        "buyer.xml": profile_xml(BUYER, ["0.6", "0.4"], reservation="0.3", discount="0.9"),
        "seller.xml": profile_xml(SELLER, ["0.5", "0.5"]),
    }


def write_folder(folder: Path, files: Mapping[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def market(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "market", market_files())
