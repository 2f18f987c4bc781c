"""Without a ``commitment:`` section, ``robust``, ``sensitivity``, ``score``, ``explain`` and
``mediate`` print what they printed before they judged packages on effective utilities (digests
made by that code: :mod:`tests.uncertainty.nesting`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.uncertainty.nesting import GOLDEN, outputs


@pytest.mark.slow
def test_outputs_without_commitment_are_unchanged(tmp_path: Path) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = outputs(tmp_path)
    assert set(got) == set(golden)
    changed = sorted(k for k in golden if got[k] != golden[k])
    assert not changed, f"outputs changed without a commitment section: {changed}"
