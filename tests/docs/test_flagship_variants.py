"""The variant tables of docs/explanation/russia-ukraine-scenario.md are what the code computes
now (tests/docs/flagship_variants.py): a change to the scenario that moves them fails here until
the page is regenerated (``.venv/bin/python -m tests.docs.flagship_variants``)."""

from __future__ import annotations

from pathlib import Path

from tests.docs.flagship_variants import closing_costs, table

PAGE = Path(__file__).parents[2] / "docs" / "explanation" / "russia-ukraine-scenario.md"


def _between(text: str, name: str) -> str:
    start, end = f"<!-- {name}: start -->", f"<!-- {name}: end -->"
    assert start in text and end in text, f"markers for {name} missing"
    return text.split(start, 1)[1].split(end, 1)[0].strip()


def test_the_variant_table_is_current() -> None:
    assert _between(PAGE.read_text(encoding="utf-8"), "variants") == table()


def test_the_closing_costs_are_current() -> None:
    assert _between(PAGE.read_text(encoding="utf-8"), "closing costs") == closing_costs()
