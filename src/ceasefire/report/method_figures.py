"""Report sections for the methods analysts already use: fair division, forecasting, stability.

``ceasefire report --add FILE`` accepts the JSON of ``ceasefire divide``, ``forecast`` and
``stability``; each then adds a figure to the report, built here from that document alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from ceasefire.report.figures import PARTY_COLOURS, Doc, Figure, FigureSpec
from ceasefire.report.forecast_figures import forecast_positions
from ceasefire.report.stability_figures import state_transition_graph
from ceasefire.scenario import Scenario

# The fields by which each command's document is recognised.
METHOD_KINDS: dict[str, tuple[str, ...]] = {
    "divide": ("split", "transfers", "totals"),
    "forecast": ("median", "mean", "risk_exponents"),
    "stability": ("equilibria", "table", "moves"),
}


def division_shares(doc: Mapping[str, Any]) -> Figure:
    """Adjusted Winner: each item's share to each party, with each party's points on it."""
    parties = doc["parties"]
    items = [entry["item"] for entry in doc["items"]]
    figure = go.Figure()
    for index, party in enumerate(parties):
        figure.add_trace(
            go.Bar(
                y=items,
                x=[entry["share"][party] for entry in doc["items"]],
                orientation="h",
                name=party,
                marker={"color": PARTY_COLOURS[index % len(PARTY_COLOURS)]},
                customdata=[entry["points"][party] for entry in doc["items"]],
                hovertemplate=f"{party}: %{{x:.3g}} of %{{y}} (its points: %{{customdata:g}})"
                "<extra></extra>",
            )
        )
    totals = ", ".join(f"{p} {doc['totals'][p]:.2f}" for p in parties)
    figure.update_layout(
        barmode="stack",
        title=f"Adjusted Winner: who gets each item (points each: {totals})",
        xaxis_title="share of the item",
        template="plotly_white",
        yaxis={"autorange": "reversed"},
    )
    return figure


def _part(doc: Doc, kind: str) -> Mapping[str, Any]:
    part = doc.get(kind)
    return part if isinstance(part, Mapping) else {}


METHOD_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "division",
        "Adjusted Winner (Brams & Taylor): the share of each item to each party; at most one item "
        "is split, and each party gets the same number of its own points.",
        lambda d, _s: division_shares(_part(d, "divide")),
        lambda d: bool(_part(d, "divide")),
    ),
    FigureSpec(
        "forecast",
        "Expected-utility forecast (Bueno de Mesquita, as specified by Scholz et al.): each "
        "actor's position round by round, with the median (the forecast) and the mean.",
        lambda d, _s: forecast_positions(_part(d, "forecast")),
        lambda d: bool(_part(d, "forecast")),
    ),
    FigureSpec(
        "stability",
        "Graph Model for Conflict Resolution: states and the decision makers' unilateral moves; "
        "filled states are equilibria under every stability concept.",
        lambda d, _s: state_transition_graph(_part(d, "stability")),
        lambda d: bool(_part(d, "stability")),
    ),
)


def method_figures_for(
    doc: Doc, scenario: Scenario | None = None
) -> dict[str, tuple[FigureSpec, Figure]]:
    """The method figures that ``doc`` supports, by name."""
    return {
        spec.name: (spec, spec.build(doc, scenario))
        for spec in METHOD_FIGURES
        if spec.supports(doc)
    }
