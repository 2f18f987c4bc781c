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


@pytest.mark.parametrize(
    "name", sorted(p.stem for p in BUNDLED.glob("*.yaml") if p.stem not in CASES)
)
def test_other_bundled_scenarios_without_commitment_are_analysed_as_before(name: str) -> None:
    """Scenarios bundled after the golden outputs were recorded: without their commitment section
    the analysis is the nominal one (record golden outputs with nesting.py to check the bytes)."""
    from ceasefire.analysis import analyze
    from ceasefire.scenario import parse_scenario
    from tests.commitment.nesting import without_commitment

    text = without_commitment((BUNDLED / f"{name}.yaml").read_text(encoding="utf-8"))
    result = analyze(parse_scenario(text, f"{name}.yaml"), samples=100, seed=1)
    assert result.commitment is None
    assert "commitment" not in result.to_dict(max_frontier=0, whole_frontier=False)


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
