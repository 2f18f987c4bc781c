"""Shared fixtures, and the one Hypothesis profile every property test runs under.

Profile ``ceasefire`` (the default): no deadline (the machine may be busy), ``print_blob`` so that
a failure prints the ``@reproduce_failure`` line that replays it, and derandomised when the ``CI``
environment variable is set, so that a CI run never fails by chance. ``CEASEFIRE_EXAMPLES=N``
raises the number of examples for a deeper run; ``HYPOTHESIS_PROFILE=fuzz`` is the long fuzz run
(``make fuzz``). Tests that are slow per example ask for fewer with ``@settings(max_examples=...)``.
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
settings.register_profile(
    "fuzz",
    parent=settings.get_profile("ceasefire"),
    max_examples=int(os.environ.get("CEASEFIRE_EXAMPLES", "2000")),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ceasefire"))


@pytest.fixture
def toy_path() -> Path:
    return bundled_scenarios()["toy-border"]


@pytest.fixture
def toy_text(toy_path: Path) -> str:
    return toy_path.read_text(encoding="utf-8")
