"""The plain-language findings say what the document says, with its numbers."""

from __future__ import annotations

from typing import Any

from ceasefire.report.findings import findings
from ceasefire.scenario import LoadedScenario


def test_a_zopa_is_reported_with_each_partys_best_gain(
    toy: LoadedScenario, toy_doc: dict[str, Any]
) -> None:
    first = findings(toy_doc, toy.scenario)[0]
    assert first.startswith(
        "Today 1 Pareto-optimal package is acceptable to both (North and South)"
    )
    gains = {
        party: max(e["utilities"][party] for e in toy_doc["zopa"]["frontier"])
        - toy_doc["reservation"][party]
        for party in ("north", "south")
    }
    assert f"North up to {gains['north']:+.1f}" in first
    assert f"South up to {gains['south']:+.1f}" in first


def test_no_zopa_names_the_nearest_miss(
    no_zopa: LoadedScenario, no_zopa_doc: dict[str, Any]
) -> None:
    first = findings(no_zopa_doc, no_zopa.scenario)[0]
    assert first.startswith("No package is acceptable to both (North and South) today.")
    reservation = no_zopa_doc["reservation"]
    # brute force over the frontier: the point with the least total shortfall
    shortfalls = [
        {p: max(0.0, reservation[p] - e["utilities"][p]) for p in ("north", "south")}
        for e in no_zopa_doc["frontier"]
    ]
    nearest = min(shortfalls, key=lambda s: sum(s.values()))
    for party, name in (("north", "North"), ("south", "South")):
        if nearest[party] > 1e-9:
            assert f"{name} {nearest[party]:.1f} points below its value of no deal" in first


def test_solution_packages_are_described_by_their_changes(
    toy: LoadedScenario, toy_doc: dict[str, Any]
) -> None:
    text = " ".join(findings(toy_doc, toy.scenario))
    assert "All 4 solution concepts pick the same package." in text
    # Option labels (ids in words where an option has no label), never raw ids (issue 17, 6).
    assert "Border line (middle line → The southern ridge)" in text
    assert "south_line" not in text
    assert "Troop ceiling (thousands) (100 → 0)" in text
    nash = toy_doc["solutions"]["nash"]["utilities"]
    assert f"North {nash['north']:.1f} (+15.0 over its value of no deal)" in text


def test_ripeness_sentence_gives_the_month_and_the_binding_party(
    toy: LoadedScenario, no_zopa_doc: dict[str, Any]
) -> None:
    doc = {
        **no_zopa_doc,
        "ripeness": {
            "month_index": [0, 1, 2, 3, 4, 5, 6, 7, 8],
            "p_zopa": [0.0, 0.0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.6, 0.7],
            "first_ripe_month": 7,
            "binding_party": "south",
        },
    }
    text = findings(doc, toy.scenario)
    assert text[0].startswith("No package is acceptable to both")
    ripe = next(t for t in text if t.startswith("Under the war model"))
    assert (
        "Under the war model a zone of possible agreement opens with probability above one half in "
        "month 7 (probability 60%), when South's value of fighting on" in ripe
    )
    never = {**doc, "ripeness": {**doc["ripeness"], "first_ripe_month": None}}
    ripe = next(t for t in findings(never) if t.startswith("Under the war model"))
    assert "never reaches one half within 9 months (at most 70%, in month 8)" in ripe


def test_robustness_and_sensitivity_findings() -> None:
    doc = {
        "robust": {
            "p_zopa": 0.42,
            "samples": 2000,
            "packages": [{"package": {"x": "a"}, "p_acceptable": 0.31}],
            "most_robust": {"package": {"x": "a"}, "p_acceptable": 0.31},
        },
        "sensitivity": {
            "tornado": [
                {"input": "preferences.a.weights.x", "low": 0.0, "high": 0.1},
                {"input": "preferences.b.reservation", "low": 0.0, "high": 0.9},
            ]
        },
    }
    text = findings(doc)
    assert "some deal exists in 42% of 2,000 samples" in text[0]
    assert "acceptable to all in 31% of them" in text[0]
    assert text[1] == (
        "The inputs that move output most: “preferences.b.reservation” and "
        "“preferences.a.weights.x”."
    )
    assert "`" not in " ".join(text)  # no literal backticks (issue 17, defect 6)


def test_sensitivity_findings_name_inputs_in_words(toy: LoadedScenario) -> None:
    doc = {
        "sensitivity": {
            "tornado": [
                {"input": "preferences.south.weights.border", "low": 0.0, "high": 0.1},
                {"input": "preferences.north.no_deal.cost", "low": 0.0, "high": 0.9},
            ]
        },
    }
    assert findings(doc, toy.scenario)[0] == (
        "The inputs that move output most: “North: cost of no deal” and "
        "“South: weight of Border line”."
    )
