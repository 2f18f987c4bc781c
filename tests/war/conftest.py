"""The war tests' scenario: a small border war (tests/war/data/border-war.yaml), its text and variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.scenario import parse_scenario
from ceasefire.scenario.model import Scenario
from tests.strategies import parse_edited

FIXTURE = Path(__file__).parent / "data" / "border-war.yaml"


@pytest.fixture(scope="module")
def text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scenario(text: str) -> Scenario:
    return parse_scenario(text).scenario


def variant(text: str, *replacements: tuple[str, str]) -> Scenario:
    """The border war with each ``old`` snippet replaced by ``new`` (first occurrence)."""
    return parse_edited(text, *replacements).scenario
