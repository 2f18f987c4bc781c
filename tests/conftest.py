"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.scenario import bundled_scenarios


@pytest.fixture
def toy_path() -> Path:
    return bundled_scenarios()["toy-border"]


@pytest.fixture
def toy_text(toy_path: Path) -> str:
    return toy_path.read_text(encoding="utf-8")
