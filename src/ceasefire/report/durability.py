"""Durability in the report: how likely each chosen package is to hold, and what would make it last.

Drawn from the ``commitment`` entry of ``analyze --json`` (docs/explanation/commitment.md), so the
report says nothing the JSON does not back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
from plotly.graph_objects import Figure

from ceasefire.report.figures.common import LAYOUT, Doc, _option, concept_title
from ceasefire.scenario import Scenario

MONTHS = ("12", "36", "60")


def has_durability(doc: Doc) -> bool:
    commitment = doc.get("commitment")
    return isinstance(commitment, Mapping) and bool(commitment.get("p_hold"))


def durability_bars(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """For each solution concept's package: the probability it holds 12, 36 and 60 months."""
    p_hold: Mapping[str, Mapping[str, float]] = doc["commitment"]["p_hold"]
    concepts = list(p_hold)
    figure = go.Figure()
    figure.update_layout(
        **{
            **LAYOUT,
            "title": {"text": "How likely each chosen package is to hold", "x": 0.01},
            "barmode": "group",
            "yaxis": {"title": "probability the deal holds", "range": [0, 1]},
            "height": 380,
        }
    )
    for month in MONTHS:
        figure.add_trace(
            go.Bar(
                name=f"{month} months",
                x=[concept_title(c, short=True) for c in concepts],
                y=[p_hold[c][month] for c in concepts],
                hovertemplate="%{x}: %{y:.0%} after " + month + " months<extra></extra>",
            )
        )
    return figure


def durability_finding(doc: Doc, names: Mapping[str, str], issues: Mapping[str, str]) -> str | None:
    """One paragraph: the chance the first chosen package holds, doubtful clauses, strengtheners."""
    if not has_durability(doc):
        return None
    commitment: Mapping[str, Any] = doc["commitment"]
    concept = commitment.get("strengtheners_for")
    if concept is None:
        return None
    package = (commitment.get("packages") or {}).get(concept) or {}
    p = package.get("p_hold") or commitment["p_hold"][concept]
    text = (
        f"Counting the chance that a deal breaks down and the war that follows, the "
        f"{concept_title(concept)} package holds one year with probability {p['12']:.0%}, three "
        f"years with {p['36']:.0%} and five years with {p['60']:.0%}"
    )
    spread = (package.get("p_hold_range") or {}).get("60")
    if spread and spread["p95"] - spread["p5"] >= 0.005:
        text += f" (5–95% over the uncertain hazard ratios: {spread['p5']:.0%}–{spread['p95']:.0%})"
    doubtful = package.get("doubtful_clauses") or []
    if doubtful:
        clauses = "; ".join(
            f"{issues.get(c['issue'], c['issue'])}: {_option(c['option'])} "
            f"({names.get(c['by'], c['by'])}, p = {c['p']:.2g})"
            for c in doubtful
        )
        text += f". Clauses that may not be carried out: {clauses}"
    best = commitment.get("strengtheners") or []
    if best:
        first = best[0]
        costs = ", ".join(
            f"{names.get(party, party)} {cost:+.1f}"
            for party, cost in first["cost"].items()
            if party in (doc.get("reservation") or {}) and abs(cost) >= 0.05
        )
        text += (
            f". What would make it last most: {issues.get(first['issue'], first['issue'])} → "
            f"{_option(first['option'])} ({first['p_hold_60']:.0%} over five years"
            + (f"; cost in utility: {costs}" if costs else "")
            + ")"
        )
    return (
        text + ". These figures rest on the scenario's hazard model and its renewed war "
        "(docs/explanation/commitment.md)."
    )
