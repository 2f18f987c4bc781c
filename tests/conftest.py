"""Shared fixtures, and the one Hypothesis profile every property test runs under.

Profile ``ceasefire`` (the default): no deadline (the machine may be busy), ``print_blob`` so that
a failure prints the ``@reproduce_failure`` line that replays it, and derandomised when the ``CI``
environment variable is set, so that a CI run never fails by chance. ``CEASEFIRE_EXAMPLES=N``
raises the number of examples for a deeper run. Tests that are slow per example ask for fewer with
``@settings(max_examples=...)``; the fuzz test reads ``CEASEFIRE_FUZZ_EXAMPLES`` (``make fuzz``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from ceasefire.scenario import bundled_scenarios

settings.register_profile(
    "ceasefire",
    max_examples=int(os.environ.get("CEASEFIRE_EXAMPLES", "60")),
    deadline=None,
    print_blob=True,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ceasefire")


@pytest.fixture
def toy_path() -> Path:
    return bundled_scenarios()["toy-border"]


@pytest.fixture
def toy_text(toy_path: Path) -> str:
    return toy_path.read_text(encoding="utf-8")
