"""``ceasefire analyze`` prints durability, the commitment gap and why there is no deal."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli import app
from tests.commitment.scenarios import FORMAL, powell_pie, truce

runner = CliRunner()


def test_summary_shows_how_likely_each_package_holds(tmp_path: Path) -> None:
    path = tmp_path / "truce.yaml"
    # North refuses a buffer zone: the deal lacks the mechanism that would make it last most.
    text = truce(FORMAL).text.replace(
        "    reservation: 40", "    reservation: 40\n    red_lines: {buffer: [dmz]}"
    )
    path.write_text(text)
    result = runner.invoke(app, ["analyze", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Chance the deal holds" in result.output
    assert "What would make the Nash package last" in result.output
    assert "Buffer zone → dmz" in result.output and "(crosses a" in result.output
    assert "Effective utility" in result.output


def test_summary_says_why_a_commitment_problem_leaves_no_deal(tmp_path: Path) -> None:
    path = tmp_path / "pie.yaml"
    path.write_text(powell_pie(12, 5, 5).text)
    result = runner.invoke(app, ["analyze", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "A (declining) -1.20, B (rising) +1.20" in result.output  # party names
    assert "no package is self-enforcing" in result.output
