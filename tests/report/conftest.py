"""Fixtures for the report tests: analyze documents of small scenarios, computed by ceasefire."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ceasefire.analysis import analyze
from ceasefire.scenario import LoadedScenario, load_scenario, parse_scenario

DATA = Path(__file__).parent / "data"


def analyzed(loaded: LoadedScenario) -> dict[str, Any]:
    document: dict[str, Any] = analyze(loaded).to_dict()
    return document


@pytest.fixture
def toy(toy_path: Path) -> LoadedScenario:
    return load_scenario(toy_path)


@pytest.fixture
def toy_doc(toy: LoadedScenario) -> dict[str, Any]:
    return analyzed(toy)


@pytest.fixture
def three() -> LoadedScenario:
    return load_scenario(DATA / "three-party.yaml")


@pytest.fixture
def three_doc(three: LoadedScenario) -> dict[str, Any]:
    return analyzed(three)


@pytest.fixture
def no_zopa(toy_text: str) -> LoadedScenario:
    """The toy scenario with South asking for more than any package North accepts gives it."""
    return parse_scenario(toy_text.replace("reservation: 40", "reservation: 80"), "no-zopa.yaml")


@pytest.fixture
def no_zopa_doc(no_zopa: LoadedScenario) -> dict[str, Any]:
    return analyzed(no_zopa)
