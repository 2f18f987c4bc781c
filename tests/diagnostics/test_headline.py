"""Every headline says under which assumptions it holds and, when there is no zone, which red line
of which party closes it; figures mark the packages that cross a red line."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.diagnostics.assumptions import assumptions, holds_under
from ceasefire.report.figures import utility_space
from ceasefire.report.findings import findings
from ceasefire.report.html import render_report
from ceasefire.runs import run
from ceasefire.scenario import LoadedScenario, parse_scenario
from ceasefire.study import read_scenario

runner = CliRunner()


def closed_toy(toy_text: str) -> LoadedScenario:
    """The toy with North refusing the southern line too and South asking 45: the one package
    both could accept puts the border on the southern line."""
    text = toy_text.replace(
        "red_lines: {border: [north_line]}", "red_lines: {border: [north_line, south_line]}"
    ).replace("reservation: 40 ", "reservation: 45 ")
    assert text.count("south_line]") == 1 and "reservation: 45" in text
    return parse_scenario(text, "closed.yaml")


def test_the_mechanisms_named_are_those_the_scenario_switches_on() -> None:
    flagship = read_scenario("russia-ukraine-2023-12").scenario
    on = {m["name"]: m["on"] for m in assumptions(flagship)["mechanisms"]}
    from ceasefire.report.compose import has_uncertain_inputs

    uncertain = has_uncertain_inputs(read_scenario("russia-ukraine-2023-12"))
    assert on == {"war_model": True, "beliefs": True, "commitment": True, "uncertainty": uncertain}
    toy = read_scenario("toy-border").scenario
    on = {m["name"]: m["on"] for m in assumptions(toy)["mechanisms"]}
    assert on == {"war_model": False, "beliefs": False, "commitment": False, "uncertainty": False}
    assert "deals enforced" in holds_under(toy)
    assert "deals that may break down" in holds_under(flagship)
    assert "deals enforced" not in holds_under(flagship)
    basis = assumptions(flagship)["basis"]
    assert {row["party"] for row in basis} == {p.id for p in flagship.veto_parties}
    assert any(row["what"].startswith("war cost") for row in basis)


def test_analyze_prints_its_assumptions_and_why_the_zone_is_closed(
    toy_text: str, tmp_path: Any
) -> None:
    path = tmp_path / "closed.yaml"
    path.write_text(closed_toy(toy_text).text, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 0, result.output
    assert "Holds under" in result.output
    assert "Lifting any one of these alone opens a zone" in result.output
    # by the scenario's names (North, Border line, the option labels), not its ids
    assert "North's red line on Border line (excludes north line; The southern ridge)" in (
        " ".join(result.output.split())
    )
    document = run("analyze", closed_toy(toy_text)).document
    assert document["closed_by"]["constraints"]
    assert "closed_by" not in run("analyze", parse_scenario(toy_text, "t.yaml")).document


def test_findings_say_which_red_line_of_which_party_closes_the_zone(toy_text: str) -> None:
    loaded = closed_toy(toy_text)
    document = run("analyze", loaded).document
    text = " ".join(findings(document, loaded.scenario))
    assert "North's red line on Border line (it excludes north_line and south_line)" in text
    assert "Holds under" in text


def test_the_utility_space_marks_packages_that_cross_a_red_line(toy_text: str) -> None:
    loaded = closed_toy(toy_text)
    document = run("analyze", loaded).document
    figure = utility_space(document, loaded.scenario)
    names = [trace.name for trace in figure.data]
    assert "crosses a red line (not acceptable)" in names
    # one trace per set of red lines crossed, its hover naming them
    crossing = [t for t in figure.data if t.name == "crosses a red line (not acceptable)"]
    assert all(t.marker.symbol == "x-thin-open" for t in crossing)
    plain = figure.data[names.index("Pareto frontier")]
    # every frontier package is drawn once, as crossing a red line or not
    assert sum(len(t.x) for t in crossing) + len(plain.x) == len(document["frontier"])
    assert sum(len(t.x) for t in crossing) >= 1
    assert all("North: Border line" in t.hovertemplate for t in crossing)


def test_without_a_scenario_no_package_is_marked(toy_text: str) -> None:
    document = run("analyze", closed_toy(toy_text)).document
    names = [trace.name for trace in utility_space(document, None).data]
    assert "crosses a red line (not acceptable)" not in names


@pytest.mark.parametrize("scenario", ["toy-border", "russia-ukraine-2023-12"])
def test_the_report_shows_assumptions_basis_and_what_is_contested(scenario: str) -> None:
    loaded = read_scenario(scenario)
    document = {
        "provenance": {},
        "parties": [{"id": p.id, "veto": p.has_veto} for p in loaded.scenario.parties],
    }
    html = render_report(loaded, document)
    assert 'id="assumptions"' in html
    assert "Holds under" in html
    assert 'id="basis"' in html
    if scenario == "russia-ukraine-2023-12":
        assert "Russia&#39;s real aims" in html or "Russia's real aims" in html
        assert html.count("<li>") >= len(loaded.scenario.contested)
    else:
        assert "lists nothing as contested" in html


def test_the_report_explains_what_binds(toy_text: str) -> None:
    from ceasefire.report.compose import compose

    loaded = parse_scenario(toy_text, "toy.yaml")
    document, _ = compose(loaded)
    assert "explain" in document and "break_even" not in document["explain"]
    text = " ".join(findings(document, loaded.scenario))
    assert "The binding party is South" in text
    assert "At the Nash package each party's margin" in text
    assert text.count("Holds under") == 1


def test_a_certain_sampled_answer_says_what_it_rests_on() -> None:
    """robust on the flagship: P(zone) = 1 under the stated distributions, and the output says
    so, points to the break-even values and names the utilities and the war view the samples
    use."""
    from typer.testing import CliRunner

    from ceasefire.cli import app
    from ceasefire.diagnostics.assumptions import sampling_note
    from ceasefire.study import read_scenario

    result = CliRunner().invoke(app, ["robust", "russia-ukraine-2023-12", "--samples", "64"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "P(a zone of possible agreement exists) = 1.000" in text
    assert "The zone exists in every sample" in text and "break-even values" in text
    assert "judged on effective utilities, as in `analyze`" in text
    assert "every side knowing the war's parameters" in text
    assert "beliefs, learning and private information are not sampled" in text
    toy = read_scenario("toy-border").scenario
    assert sampling_note(toy, 0.5) is None
    assert "is closed in every sample" in (sampling_note(toy, 0.0) or "")
