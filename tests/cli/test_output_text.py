"""What a new user read in the commands' output, and what they expected instead.

Every test here failed before its fix: ``explain`` and ``mediate`` headed their output with the
scenario's id, ``explain`` said "the package this solution concept picks" once per concept and
counted break-even values confusingly, ``mediate`` wrote "1 possible offers", priced a zero offer
when a zone already existed, named side payments by id and left its margin dash unexplained,
``--help`` cut command summaries mid-sentence, ``score`` gave no reason for a refusal, sensitivity
broke input paths mid-word and ``stability`` named options by id and garbled its assumption.
"""

from __future__ import annotations

from typer.testing import CliRunner

from ceasefire.cli import app

runner = CliRunner()


def invoke(*args: str, columns: int = 200) -> str:
    """The command's terminal output, ``columns`` wide."""
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def test_explain_names_the_scenario_each_reason_once_and_says_plainly_what_break_even_found() -> (
    None
):
    text = invoke("explain", "toy-border", "--no-progress")
    assert text.splitlines()[0] == "A two-issue border dispute as of 2024-01-01"
    assert text.count("solution concept") == 1
    assert (
        "Nash, Kalai–Smorodinsky, egalitarian, utilitarian: the package these solution concepts "
        "pick; max–min scale-free share: the max–min package" in text
    )
    assert "No input, moved across its range, opens or closes the zone (17 inputs checked)." in text
    assert "none in range" not in text
