"""The committed scorecard in docs/explanation/validation.md is what the code produces now."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.validation import scorecard as sc

PAGE = Path(__file__).parents[2] / "docs" / "explanation" / "validation.md"


def test_the_committed_scorecard_is_current() -> None:
    committed = sc.committed_block(PAGE.read_text(encoding="utf-8"))
    assert committed == sc.scorecard(sc.SAMPLES, sc.SEED), (
        "the model's scores moved: run `make scorecard` and update the explanations on the page"
    )


def test_replace_block_keeps_the_rest_of_the_page() -> None:
    page = f"intro\n{sc.BEGIN}\nold\n{sc.END}\noutro\n"
    assert sc.replace_block(page, "new\n") == f"intro\n{sc.BEGIN}\nnew\n{sc.END}\noutro\n"
    assert sc.committed_block(sc.replace_block(page, "new\n")) == "new\n"
    with pytest.raises(ValueError):
        sc.replace_block("no markers", "new\n")
