"""Under which assumptions a headline holds: the mechanisms that are on, and the basis of its numbers.

Every headline (``ceasefire analyze``, the top of a report, the web app's findings) is a statement
about a model, not about the world. This module says which model: which optional mechanisms the
scenario switches on (the war model for the value of no deal, :doc:`war-model`; the parties' own
beliefs, :doc:`beliefs`; deals that may break down, :doc:`commitment`), what holds when they are
off (every side knows the war's parameters; deals are enforced), and how uncertain numbers enter
the headline (at their means; a red line that holds with probability ``p`` counts when
``p >= 0.5``). It also collects, for every party that must agree, the ``basis`` (sources or the
analyst's stated assumption) of the numbers the headline rests on: its weights, red lines and value
of no deal (with a war model: its costs of war).
"""

from __future__ import annotations

from typing import Any

from ceasefire.scenario import Scenario


def _uncertain_count(scenario: Scenario) -> tuple[int, int]:
    """How many of the veto parties' weights, values and values of no deal are distributions; how
    many of their red lines hold with a probability below 1 (the inputs ``robust`` draws)."""
    from ceasefire.uncertainty.inputs import input_space

    inputs = [i for i in input_space(scenario).inputs if i.uncertain]
    red_lines = sum(i.kind == "red_line" for i in inputs)
    return len(inputs) - red_lines, red_lines


def mechanisms(scenario: Scenario) -> list[dict[str, Any]]:
    """Each mechanism the headline depends on: its name, whether it is on, and what that means."""
    war = scenario.war is not None
    beliefs = war and (
        scenario.beliefs is not None or scenario.learning is not None or bool(scenario.private)
    )
    commitment = scenario.commitment is not None
    numbers, red_lines = _uncertain_count(scenario)
    out = [
        {
            "name": "war_model",
            "on": war,
            "text": "values of no deal from the war model (the median of its month-0 values)"
            if war
            else "fixed values of no deal, as stated in the scenario",
            "doc": "docs/explanation/war-model.md",
        },
        {
            "name": "beliefs",
            "on": beliefs,
            "text": "the zone uses the analyst's war model, as if every side knew its parameters; "
            "the parties' own beliefs, learning and private costs are reported beside it"
            if beliefs
            else "every side knowing the war's parameters (no divergent beliefs, learning or "
            "private information)"
            if war
            else "no war modelled, so no beliefs about it",
            "doc": "docs/explanation/beliefs.md",
        },
        {
            "name": "commitment",
            "on": commitment,
            "text": "deals that may break down: effective utilities, the chance a deal holds and "
            "the war that follows a breakdown"
            if commitment
            else "deals enforced (a deal, once signed, holds)",
            "doc": "docs/explanation/commitment.md",
        },
        {
            "name": "uncertainty",
            "on": bool(numbers or red_lines),
            "text": (
                f"{numbers} uncertain number(s) at their means and {red_lines} uncertain red "
                "line(s) counted when p >= 0.5 (robust and sensitivity vary them)"
            )
            if numbers or red_lines
            else "the stated preferences taken as exact (no number is given as a distribution)",
            "doc": "docs/explanation/uncertainty.md",
        },
    ]
    return out


def holds_under(scenario: Scenario) -> str:
    """One sentence: the assumptions under which the headline holds."""
    parts = ["the stated preferences and red lines of the parties that must agree"]
    parts += [
        m["text"]
        for m in mechanisms(scenario)
        if m["name"] != "beliefs" or scenario.war is not None
    ]
    return "Holds under " + "; ".join(parts) + "."


def headline_basis(scenario: Scenario) -> list[dict[str, Any]]:
    """For every party that must agree: the basis of its weights, red lines and value of no deal
    (with a war model, of its costs of war), as the scenario states them."""
    rows: list[dict[str, Any]] = []
    for party in scenario.veto_parties:
        prefs = scenario.preferences[party.id]
        keys = ["weights", "red_lines"]
        keys += ["reservation"] if prefs.reservation is not None else ["no_deal"]
        for key in keys:
            basis = prefs.basis.get(key)
            if basis is None:
                if key == "red_lines" and not prefs.red_lines:
                    continue
                rows.append({"party": party.id, "what": key, "sources": prefs.sources or []})
                continue
            rows.append({"party": party.id, "what": key, **_basis_dict(basis)})
        war = scenario.war
        if war is not None and party.id in war.costs:
            for name, cost_basis in war.costs[party.id].basis.items():
                rows.append(
                    {"party": party.id, "what": f"war cost: {name}", **_basis_dict(cost_basis)}
                )
    return rows


def _basis_dict(basis: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"sources": list(getattr(basis, "sources", []) or [])}
    for field in ("assumption", "note"):
        value = getattr(basis, field, None)
        if value:
            out[field] = value
    return out


def assumptions(scenario: Scenario) -> dict[str, Any]:
    """JSON-ready: the sentence, the mechanisms and the basis of the headline's numbers."""
    return {
        "holds_under": holds_under(scenario),
        "mechanisms": mechanisms(scenario),
        "basis": headline_basis(scenario),
    }


def sampling_note(scenario: Scenario, p_zone: float) -> str | None:
    """What a sampled probability of a zone of agreement rests on, when a person could misread
    it: a probability of 1 or 0 means nothing uncertain under the stated distributions moves the
    answer (how far each input must move is ``ceasefire explain``'s break-even values); and, with
    a ``commitment:`` section, how the samples value packages (:func:`enforced_note`)."""
    parts = []
    if p_zone in (0.0, 1.0):
        verdict = "exists" if p_zone == 1.0 else "is closed"
        parts.append(
            f"The zone {verdict} in every sample: under the stated distributions no uncertain "
            "input moves that answer; `ceasefire explain` gives how far each input must move "
            "to change it (break-even values)."
        )
    enforced = enforced_note(scenario)
    if enforced:
        parts.append(enforced)
    return " ".join(parts) or None


def enforced_note(scenario: Scenario) -> str | None:
    """With a ``commitment:`` section: how ``robust``, ``sensitivity``, ``score``'s
    ``p_accepts``, ``explain``'s break-even values and ``mediate``'s probabilities value packages
    (effective utilities, as ``analyze``; the analyst's war model, beliefs not sampled); None
    without one, where those outputs stay as they were."""
    from ceasefire.uncertainty.commitment import assumption

    return assumption(scenario)
