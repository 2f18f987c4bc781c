"""The key answer at the top of a report: packages in option labels, margins, caveats, basis."""

from __future__ import annotations

import random
from typing import Any

from ceasefire.report.answer import key_answer
from ceasefire.report.html import render_report
from ceasefire.scenario import LoadedScenario, bundled_scenarios, load_scenario


def test_the_key_answer_names_packages_and_gives_each_veto_partys_margin(
    toy: LoadedScenario, toy_doc: dict[str, Any]
) -> None:
    answer = key_answer(toy_doc, toy.scenario)
    assert answer is not None
    assert answer["parties"] == ["North", "South"]
    # Every concept picks the same package in the toy: one row, in labels.
    [row] = answer["rows"]
    assert len(row["concepts"]) == len(toy_doc["solutions"])
    assert (
        "Border line: The southern ridge" in row["package"] and "south_line" not in row["package"]
    )
    nash = toy_doc["solutions"]["nash"]["utilities"]
    reservation = toy_doc["reservation"]
    for cell, party in zip(row["cells"], ["north", "south"], strict=True):
        assert cell["utility"] == f"{nash[party]:.1f}"
        assert cell["margin"] == f"{nash[party] - reservation[party]:+.1f}"
    assert answer["no_deal"] == [f"{reservation['north']:.1f}", f"{reservation['south']:.1f}"]
    assert any("fixed" in caveat for caveat in answer["caveats"])


def test_the_report_has_one_basis_table_under_the_key_answer() -> None:
    """One table of the basis of the numbers (sources, assumption or note), in the key answer;
    the assumptions section points to it rather than repeating it."""
    from ceasefire.diagnostics.assumptions import headline_basis

    loaded = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"])
    flagship = loaded.scenario
    document = {
        "provenance": {},
        "parties": [{"id": p.id, "veto": p.has_veto} for p in flagship.parties],
        "reservation": {p.id: 10.0 for p in flagship.parties},
        "solutions": {
            "nash": {
                "package": {i.id: i.status_quo for i in flagship.issues},
                "utilities": {p.id: 50.0 for p in flagship.parties},
            }
        },
    }
    html = render_report(loaded, document)
    assert html.count('id="basis"') == 1 and html.count("<th>assumption or note</th>") == 1
    answer = html[html.index('<section id="answer">') : html.index('<section id="findings"')]
    assert 'id="basis"' in answer and "<code>ZEL10</code>" in answer
    assumptions = html[html.index('<section id="assumptions">') : html.index('id="figures"')]
    assert 'href="#basis"' in assumptions and "<th>sources</th>" not in assumptions
    rows = headline_basis(flagship)
    assert answer.count("<tr><td>") >= len(rows)
    assert any(r["what"].startswith("war cost") for r in rows)


def test_the_report_opens_with_the_key_answer(toy: LoadedScenario, toy_doc: dict[str, Any]) -> None:
    html = render_report(toy, toy_doc)
    assert html.index('id="answer"') < html.index('id="findings"')
    assert "The southern ridge" in html[html.index('id="answer"') : html.index('id="findings"')]


def test_without_solutions_there_is_no_key_answer(toy: LoadedScenario) -> None:
    assert key_answer({"parties": []}, toy.scenario) is None


def test_a_report_stays_lean_plotly_once_and_no_package_text_per_frontier_point(
    toy: LoadedScenario, toy_doc: dict[str, Any]
) -> None:
    """The flagship's report was 9.8 MB, 4.4 MB of it the hover texts of its frontier."""
    import plotly.io as pio

    from ceasefire.report.figures import utility_space

    rng = random.Random(0)
    frontier = [
        {
            "utilities": {"north": rng.uniform(0, 100), "south": rng.uniform(0, 100)},
            "package": {f"issue_{k}": f"option_{rng.randrange(5)}" for k in range(12)},
        }
        for _ in range(3000)
    ]
    figure = utility_space({**toy_doc, "frontier": frontier}, toy.scenario)
    assert len(pio.to_json(figure, validate=False)) < 3000 * 40
    html = render_report(toy, toy_doc)
    assert html.count("plotly.js v") == 1  # the library's banner: embedded once
