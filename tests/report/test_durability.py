"""The report's durability figure and finding come from the document's ``commitment`` entry."""

from __future__ import annotations

from ceasefire.analysis import analyze
from ceasefire.report.durability import durability_bars, durability_finding, has_durability
from ceasefire.report.figures import figures_for
from ceasefire.report.findings import findings
from tests.commitment.scenarios import FORMAL, powell_pie, truce


def test_the_durability_figure_shows_p_hold_of_each_chosen_package() -> None:
    loaded = truce(FORMAL)
    doc = analyze(loaded).to_dict()
    assert has_durability(doc)
    assert "durability" in figures_for(doc, loaded.scenario)
    figure = durability_bars(doc, loaded.scenario)
    assert [t.name for t in figure.data] == ["12 months", "36 months", "60 months"]
    for trace, month in zip(figure.data, ("12", "36", "60"), strict=True):
        assert list(trace.y) == [p[month] for p in doc["commitment"]["p_hold"].values()]
    text = durability_finding(doc, {}, {})
    assert text is not None
    nash = doc["commitment"]["p_hold"]["nash"]
    assert f"{nash['60']:.0%}" in text
    assert any("holds one year" in f for f in findings(doc, loaded.scenario))


def test_no_durability_without_a_commitment_section_or_a_deal() -> None:
    loaded = truce(FORMAL)
    doc = analyze(loaded).to_dict()
    del doc["commitment"]
    assert not has_durability(doc)
    assert "durability" not in figures_for(doc, loaded.scenario)
    no_deal = analyze(powell_pie(20, 2, 2)).to_dict()
    assert durability_finding(no_deal, {}, {}) is None


def test_the_report_says_how_robustness_values_packages() -> None:
    """With a ``commitment:`` section the robustness analysis judges samples on effective
    utilities, and the report's notes say so, with the war view the samples take."""
    from ceasefire.report.compose import compose
    from ceasefire.scenario import parse_scenario

    text = truce(FORMAL).text.replace(
        "    reservation: 25", "    reservation: {dist: uniform, low: 20, high: 30}"
    )
    _, notes = compose(parse_scenario(text, "truce.yaml"), samples=200, seed=1)
    assert any("judged on effective utilities" in note for note in notes)
    assert not any("enforced forever" in note for note in notes)


def test_the_durability_finding_names_options_by_their_labels() -> None:
    """Issue 17, defect 6: no option ids where a person reads."""
    loaded = truce(FORMAL)
    doc = analyze(loaded).to_dict()
    doc["commitment"]["strengtheners"] = [
        {"issue": "line", "option": "north_withdraws", "p_hold_60": 0.99, "cost": {}}
    ]
    text = durability_finding(doc, {}, {"line": "Line"}, loaded.scenario)
    assert text is not None and "Line → north withdraws" in text
    assert "north_withdraws" not in text
