"""What docs/explanation/russia-ukraine-scenario.md says `analyze` reports on the bundled flagship
is what it reports (the command and seed the page states)."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).parents[2]
PAGE = ROOT / "docs" / "explanation" / "russia-ukraine-scenario.md"
COMMAND = "ceasefire analyze russia-ukraine-2023-12 --samples 2000 --seed 0"
NAMES = {
    "Russia": "russia",
    "United States": "united_states",
    "Ukraine": "ukraine",
    "European Union": "european_union",
}


def percent(share: float) -> int:
    """``share`` as a whole percentage, halves rounded up as the page writes them."""
    return int((Decimal(str(share)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def binding_bullet() -> str:
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("## What comes out") : text.index("## What changed in this version")]
    bullets = [b for b in section.split("\n- ") if "is the binding party**" in b]
    assert len(bullets) == 1, bullets
    return " ".join(bullets[0].split())


@pytest.mark.slow
def test_the_binding_party_shares_are_what_analyze_reports() -> None:
    """The page said the United States was binding in 97% of the samples after the measure and
    the hazard table had changed; the shares it states are those of the command it names."""
    from ceasefire.cli import app

    bullet = binding_bullet()
    assert COMMAND in bullet.replace("` `", " ")
    head = bullet[: bullet.index("by month 11")]
    first = re.search(
        r"\*\*(Russia|the United States) is the binding party\*\*.*? in (\d+)% of", head
    )
    assert first is not None, head
    others = re.findall(
        r"(?:, | and )the (United States|European Union) in (\d+)%|, (Ukraine) in (\d+)%", head
    )
    stated = {NAMES[first.group(1).removeprefix("the ")]: int(first.group(2))}
    for us_eu, pct, ukraine, pct2 in others:
        stated[NAMES[us_eu or ukraine]] = int(pct or pct2)
    assert set(stated) == set(NAMES.values()), stated
    args = COMMAND.split()[1:]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    ripeness = json.loads(result.stdout)["ripeness"]
    shares = ripeness["binding_share"]
    assert ripeness["binding_party"] == max(stated, key=lambda p: stated[p])
    for party, pct in stated.items():
        assert percent(shares[party][0]) == pct, (party, shares[party][0])
    late = re.search(
        r"by month 11 Russia's share falls to (\d+)% and the United States' rises "
        r"to (\d+)%",
        bullet,
    )
    assert late is not None
    assert percent(shares["russia"][11]) == int(late.group(1))
    assert percent(shares["united_states"][11]) == int(late.group(2))
