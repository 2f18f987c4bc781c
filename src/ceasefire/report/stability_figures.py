"""The state-transition graph of a graph model (``ceasefire stability --json``), as a plotly figure.

States are placed on a circle; an arrow per unilateral move, coloured by the decision maker who
makes it, solid when the move is an improvement for it and dotted otherwise; equilibria under
every concept are filled, the status quo ringed. Colours as in :mod:`ceasefire.report.figures`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from ceasefire.report.figures import PARTY_COLOURS, STATUS_QUO, ZOPA, Figure
from ceasefire.report.figures.common import plotly_text


def state_transition_graph(doc: Mapping[str, Any]) -> Figure:
    """Nodes are states, arrows the decision makers' unilateral moves."""
    states = [entry["state"] for entry in doc["states"]]
    n = len(states)
    angle = {s: 2 * math.pi * k / n for k, s in enumerate(states)}
    xy = {s: (math.cos(a), math.sin(a)) for s, a in angle.items()}
    dms = [dm["id"] for dm in doc["decision_makers"]]
    names = {
        dm["id"]: plotly_text(str(dm.get("name") or dm["id"])) for dm in doc["decision_makers"]
    }
    colour = {dm: PARTY_COLOURS[k % len(PARTY_COLOURS)] for k, dm in enumerate(dms)}
    figure = go.Figure()
    for dm in dms:
        for improvement in (True, False):
            xs: list[float | None] = []
            ys: list[float | None] = []
            for move in doc["moves"]:
                if move["dm"] != dm or move["improvement"] != improvement:
                    continue
                (x0, y0), (x1, y1) = xy[move["from"]], xy[move["to"]]
                xs += [x0, x1, None]
                ys += [y0, y1, None]
            if not xs:
                continue
            figure.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=f"{names[dm]}: {'improvement' if improvement else 'other move'}",
                    line={
                        "color": colour[dm],
                        "width": 2 if improvement else 1,
                        "dash": "solid" if improvement else "dot",
                    },
                    hoverinfo="skip",
                )
            )
            for move in doc["moves"]:
                if move["dm"] == dm and move["improvement"] == improvement:
                    (x0, y0), (x1, y1) = xy[move["from"]], xy[move["to"]]
                    figure.add_annotation(
                        x=x0 + 0.85 * (x1 - x0),
                        y=y0 + 0.85 * (y1 - y0),
                        ax=x0,
                        ay=y0,
                        xref="x",
                        yref="y",
                        axref="x",
                        ayref="y",
                        showarrow=True,
                        arrowhead=2,
                        arrowsize=1,
                        arrowwidth=1,
                        arrowcolor=colour[dm],
                        text="",
                        opacity=0.8 if improvement else 0.3,
                    )
    every = set.intersection(*(set(v) for v in doc["equilibria"].values()))
    status_quo = (doc.get("status_quo") or {}).get("state")
    patterns = {entry["state"]: entry["pattern"] for entry in doc["states"]}
    figure.add_trace(
        go.Scatter(
            x=[xy[s][0] for s in states],
            y=[xy[s][1] for s in states],
            mode="markers+text",
            text=[str(s) for s in states],
            textposition="middle center",
            marker={
                "size": 26,
                "color": [ZOPA if s in every else "white" for s in states],
                "line": {
                    "color": STATUS_QUO,
                    "width": [4 if s == status_quo else 1 for s in states],
                },
            },
            name="states (filled: equilibrium under every concept)",
            hovertext=[
                f"state {s} ({patterns[s]})"
                + "".join(
                    f"<br>{c.upper()} equilibrium" for c, v in doc["equilibria"].items() if s in v
                )
                for s in states
            ],
            hoverinfo="text",
        )
    )
    figure.update_layout(
        title=f"{doc['title']}: states and unilateral moves",
        template="plotly_white",
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
    )
    return figure
