"""Figures of the methods analysts already use: expected-utility forecasts (positions over rounds).

Each function takes the JSON document of its command and returns a plotly figure, like
:mod:`ceasefire.report.figures`, whose colours it reuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from ceasefire.report.figures import PARTY_COLOURS, STATUS_QUO, Figure, plotly_text
from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import Labels

MEDIAN_COLOUR = STATUS_QUO
MEAN_COLOUR = "#777777"


def forecast_positions(doc: Mapping[str, Any], scenario: Scenario | None = None) -> Figure:
    """Every actor's position round by round (``ceasefire forecast --json``), with the median
    (the forecast of the group decision) and the weighted mean; actors by name, given the
    scenario they come from."""
    labels = Labels(scenario)
    rounds = list(range(doc["rounds"] + 1))
    figure = go.Figure()
    for index, entry in enumerate(doc["actors"]):
        actor = entry["actor"]
        name = plotly_text(labels.party(actor))
        figure.add_trace(
            go.Scatter(
                x=rounds,
                y=[row[actor] for row in doc["positions"]],
                mode="lines+markers",
                name=name,
                line={"color": PARTY_COLOURS[index % len(PARTY_COLOURS)], "width": 1},
                marker={"size": 4},
                hovertemplate=f"{name}<br>round %{{x}}: %{{y:.3g}}<extra></extra>",
            )
        )
    for key, colour, dash in (("median", MEDIAN_COLOUR, "solid"), ("mean", MEAN_COLOUR, "dash")):
        figure.add_trace(
            go.Scatter(
                x=rounds,
                y=doc[key],
                mode="lines",
                name=key,
                line={"color": colour, "width": 3, "dash": dash},
                hovertemplate=f"{key}<br>round %{{x}}: %{{y:.4g}}<extra></extra>",
            )
        )
    scale = doc.get("scale") or {}
    unit = f" ({scale['unit']})" if "unit" in scale else ""
    figure.update_layout(
        title="Expected-utility forecast: positions by round",
        xaxis_title="round",
        yaxis_title=f"position{unit}",
        template="plotly_white",
        legend={"groupclick": "toggleitem"},
    )
    return figure
