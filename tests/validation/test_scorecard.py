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


def test_update_page_writes_atomically_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is replaced whole (a temporary file renamed onto it), as every result file is: a
    symbolic link stays a link and the file keeps its permission bits."""
    monkeypatch.setattr(sc, "scorecard", lambda samples, seed: f"scores {samples} {seed}\n")
    written: list[Path] = []
    real = sc.write_text

    def spy(path: str | Path, text: str) -> None:
        written.append(Path(path))
        real(path, text)

    monkeypatch.setattr(sc, "write_text", spy)
    target = tmp_path / "validation.md"
    target.write_text(f"intro\n{sc.BEGIN}\nold\n{sc.END}\noutro\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert sc.update_page(link, samples=7, seed=0)
    assert written == [link]
    assert link.is_symlink()
    assert sc.committed_block(target.read_text(encoding="utf-8")) == "scores 7 0\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert not sc.update_page(link, samples=7, seed=0)  # unchanged: not written again
    assert written == [link]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "validation.md"]
