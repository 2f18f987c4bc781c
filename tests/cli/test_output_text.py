"""What a new user read in the commands' output, and what they expected instead.

Every test here failed before its fix: ``explain`` and ``mediate`` headed their output with the
scenario's id, ``explain`` said "the package this solution concept picks" once per concept and
counted break-even values confusingly, ``mediate`` wrote "1 possible offers", priced a zero offer
when a zone already existed, named side payments by id and left its margin dash unexplained,
``--help`` cut command summaries mid-sentence, ``score`` gave no reason for a refusal, sensitivity
broke input paths mid-word and ``stability`` named options by id and garbled its assumption.
"""

from __future__ import annotations

import re
from pathlib import Path

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
    assert text.splitlines()[0] == "A two-issue border dispute (toy-border, as of 2024-01-01)"
    assert text.count("solution concept") == 1
    assert (
        "Nash, Kalai–Smorodinsky, egalitarian, utilitarian: the package these solution concepts "
        "pick; max–min scale-free share: the max–min package" in text
    )
    assert "No input, moved across its range, opens or closes the zone (17 inputs checked)." in text
    assert "none in range" not in text


def test_mediate_names_the_scenario_counts_in_words_and_says_no_offer_is_needed() -> None:
    text = invoke("mediate", "toy-border", "--no-progress")
    assert text.splitlines()[0] == (
        "A two-issue border dispute (toy-border): 0 side payments, 1 possible offer"
    )
    assert "No offer is needed: a zone of agreement exists without one." in text
    assert "Why no offer" not in text


def test_mediate_with_a_zone_lists_payments_by_name_and_prices_no_zero_offer() -> None:
    text = invoke("mediate", "russia-ukraine-2023-12-events", "--samples", "200", "--no-progress")
    assert ": 2 side payments, 9 possible offers" in text.splitlines()[0]
    assert "eu_ukraine_facility" not in text and "us_security_assistance" not in text
    assert (
        "  EU budget and reconstruction money for Ukraine, tied to the deal by European Union"
        in text
    )
    assert "Cheapest offer" not in text and "cost 0" not in text and "Why no offer" not in text
    assert "No offer is needed: a zone of agreement exists without one. Every side payment" in text


def test_mediate_explains_the_dash_in_the_margin_column() -> None:
    text = invoke("mediate", "iran-iraq-1982", "--samples", "200", "--no-progress")
    assert "—: no margin to measure: no package that crosses no red line gives every other" in text
    assert "Why no offer:" in text


def test_help_summaries_are_whole_sentences() -> None:
    import typer.main

    group = typer.main.get_group(app)
    for name, command in group.commands.items():
        summary = (command.help or "").strip().split("\n\n")[0]
        assert "\n" not in summary and summary.endswith("."), (name, summary)
    text = invoke("--help", columns=80)
    flat = " ".join(line.strip("│ ") for line in text.splitlines())
    assert (
        "Find the cheapest side payments that open a zone of agreement, or the best in a budget."
        in " ".join(flat.split())
    )
    assert (
        "Score real proposals: who accepts, what blocks each one, and the smallest fix."
        in " ".join(flat.split())
    )


def test_score_says_why_a_party_with_a_positive_margin_does_not_accept() -> None:
    text = invoke("score", "russia-ukraine-2022-03", "--samples", "200", columns=100)
    zelensky = text[text.index("Zelensky's ten-point") :]
    russia = next(line for line in zelensky.splitlines() if "Russian Federation" in line)
    assert "+7.2" in russia and "no: red line" in russia  # positive margin, red line crossed
    assert (
        "Why a party does not accept: red line: the proposal crosses one of its red lines" in text
    )
    assert "Effective utilities can fall outside 0–100" in text
    istanbul = text[: text.index("Zelensky's ten-point")]
    us = istanbul[istanbul.index("United States") :].splitlines()
    assert "no: below no deal" in us[0] and "not self-enforcing" in us[1]


def test_sensitivity_breaks_input_paths_only_between_names_at_80_columns() -> None:
    import re

    from ceasefire.cli.sensitivity import wrap_path

    text = invoke("sensitivity", "toy-border", "--no-progress", columns=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "south_line" in text and "middle_line" in text
    assert not re.search(r"\.sout\s|\bh_line|\.midd\s|\ble_line", text)
    assert wrap_path("preferences.north.values.border.middle_line", 36) == (
        "preferences.north.values.border.\nmiddle_line"
    )
    assert wrap_path("war.sides[0].forces", 12) == "war.sides\n[0].forces"
    wide = invoke("sensitivity", "toy-border", "--no-progress", columns=200)
    assert "preferences.north.values.border.middle_line" in wide


def test_stability_from_a_scenario_names_options_and_states_its_ranking_clearly() -> None:
    text = invoke(
        "stability", "toy-border", "--control", "border=north", "--control", "troops=south"
    )
    assert "2. Border line: The southern ridge (North)" in text
    assert "3. Troop ceiling (thousands): 0 (South)" in text
    assert "border = " not in text and "troops = 0.0" not in text
    assert (
        "ranks every state that crosses one of its red lines below every state that crosses none."
        in text
    )
    assert "below every state that does not cross" not in text


def test_counts_are_in_words_not_with_a_parenthesised_plural() -> None:
    # analyze, explain and mediate wrote "Pareto-optimal package(s)" whatever the count, and
    # explain "1 other constraint(s) do not bind".
    analyze = invoke("analyze", "toy-border")
    explain = invoke("explain", "toy-border", "--no-progress")
    mediate = invoke(
        "mediate", "russia-ukraine-2023-12-events", "--samples", "200", "--no-progress"
    )
    for text in (analyze, explain, mediate):
        assert "(s)" not in text
    assert re.search(r"\b[\d,]+ Pareto-optimal packages? that every party", analyze), analyze
    assert re.search(r"\b[\d,]+ Pareto-optimal acceptable packages?\.", explain), explain
    assert re.search(r"\b1 other constraint does not bind: lifting it\b", explain), explain


def test_no_command_writes_a_parenthesised_plural() -> None:
    # score, robust, variants and tournament wrote "issue(s)", "input(s)", "variant(s)",
    # "run(s)": every count in the terminal goes through labels.counted.
    import ceasefire.cli

    folder = Path(ceasefire.cli.__file__).parent
    found = [
        f"{path.name}:{n}"
        for path in sorted(folder.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\w\(s\)", line)
    ]
    assert found == []


def test_commands_head_their_output_with_the_scenario_named_one_way() -> None:
    # Each command wrote its own heading: "Title (id, as of …)", "Title as of …", "Title" alone.
    heads = {
        "analyze": invoke("analyze", "toy-border").splitlines()[0],
        "explain": invoke("explain", "toy-border", "--no-progress").splitlines()[0],
        "mediate": invoke("mediate", "toy-border", "--no-progress").splitlines()[0],
    }
    dated = "A two-issue border dispute (toy-border, as of 2024-01-01)"
    assert heads["analyze"].startswith(dated + ": "), heads
    assert heads["explain"] == dated, heads
    war = invoke("war", "korea-1951", "--samples", "100", "--no-progress").splitlines()[0]
    assert re.match(r"\S.* \(korea-1951, as of \d{4}-\d\d-\d\d\): ", war), war
    assert heads["mediate"].startswith("A two-issue border dispute (toy-border): "), heads


def test_a_heading_without_the_scenario_at_hand_names_its_id() -> None:
    from ceasefire.cli.common import scenario_heading
    from ceasefire.scenario.labels import Labels

    assert scenario_heading(Labels(None), "x", "as of 2024-01-01").plain == "x (as of 2024-01-01)"
    assert scenario_heading(Labels(None), "x").plain == "x"
