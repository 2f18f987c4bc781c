"""Without a ``commitment:`` section every output is what it was before the commitment layer:
``analyze --json`` on every bundled scenario (its commitment section removed) and on a Genius
domain prints the same bytes as the code without the layer did (tests/commitment/nesting.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.commitment.nesting import BUNDLED, CASES, GOLDEN, ROOT, digest, inputs


def test_every_bundled_scenario_is_a_case() -> None:
    assert {p.stem for p in BUNDLED.glob("*.yaml")} <= set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_analyze_json_is_unchanged_without_commitment(name: str, tmp_path: Path) -> None:
    golden = json.loads(GOLDEN.read_text())
    args = inputs(tmp_path)[name]
    out = subprocess.run(
        [sys.executable, "-m", "ceasefire", "analyze", "--json", *args],
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "commitment" not in json.loads(out)
    assert digest(out) == golden[name]
