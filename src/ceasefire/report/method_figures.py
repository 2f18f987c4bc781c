"""Report sections for the methods analysts already use: fair division, forecasting, stability.

``ceasefire report --add FILE`` accepts the JSON of ``ceasefire divide``, ``forecast`` and
``stability``; each then adds a figure to the report, built here from that document alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import plotly.graph_objects as go

from ceasefire.report.figures import PARTY_COLOURS, Doc, Figure, FigureSpec, plotly_text
from ceasefire.report.figures.common import one_number_format
from ceasefire.report.forecast_figures import forecast_positions
from ceasefire.report.stability_figures import state_transition_graph
from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import Labels, number

# The fields by which each command's document is recognised.
METHOD_KINDS: dict[str, tuple[str, ...]] = {
    "divide": ("split", "transfers", "totals"),
    "forecast": ("median", "mean", "risk_exponents"),
    "stability": ("equilibria", "table", "moves"),
}


def division_shares(doc: Mapping[str, Any], scenario: Scenario | None = None) -> Figure:
    """Adjusted Winner: each item's share to each party, with each party's points on it (parties
    and items by their names, given the scenario they come from)."""
    labels = Labels(scenario)
    parties = doc["parties"]
    items = [plotly_text(labels.issue(entry["item"])) for entry in doc["items"]]
    figure = go.Figure()
    for index, party in enumerate(parties):
        name = plotly_text(labels.party(party))
        figure.add_trace(
            go.Bar(
                y=items,
                x=[entry["share"][party] for entry in doc["items"]],
                orientation="h",
                name=name,
                marker={"color": PARTY_COLOURS[index % len(PARTY_COLOURS)]},
                customdata=[entry["points"][party] for entry in doc["items"]],
                hovertemplate=f"{name}: %{{x:.3g}} of %{{y}} (its points: %{{customdata:g}})"
                "<extra></extra>",
            )
        )
    totals = ", ".join(
        f"{plotly_text(labels.party(p))} {number(doc['totals'][p], 2)}" for p in parties
    )
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


def _method_figure(
    name: str,
    kind: str,
    caption: str,
    draw: Callable[[Mapping[str, Any], Scenario | None], Figure],
) -> FigureSpec:
    """A figure drawn from the document of one method (``kind``, a key of
    :data:`METHOD_KINDS`) merged into the report's under that key; shown when there is one."""
    return FigureSpec(
        name,
        caption,
        lambda d, scenario: draw(_part(d, kind), scenario),
        lambda d: bool(_part(d, kind)),
    )


METHOD_FIGURES: tuple[FigureSpec, ...] = (
    _method_figure(
        "division",
        "divide",
        "Adjusted Winner (Brams & Taylor): the share of each item to each party; at most one item "
        "is split, and each party gets the same number of its own points.",
        division_shares,
    ),
    _method_figure(
        "forecast",
        "forecast",
        "Expected-utility forecast (Bueno de Mesquita, as specified by Scholz et al.): each "
        "actor's position round by round, with the median (the forecast) and the mean.",
        forecast_positions,
    ),
    _method_figure(
        "stability",
        "stability",
        "Graph Model for Conflict Resolution: states and the decision makers' unilateral moves; "
        "filled states are equilibria under every stability concept.",
        lambda d, _s: state_transition_graph(d),
    ),
)


def method_figures_for(
    doc: Doc, scenario: Scenario | None = None
) -> dict[str, tuple[FigureSpec, Figure]]:
    """The method figures that ``doc`` supports, by name."""
    return {
        spec.name: (spec, one_number_format(spec.build(doc, scenario)))
        for spec in METHOD_FIGURES
        if spec.supports(doc)
    }
