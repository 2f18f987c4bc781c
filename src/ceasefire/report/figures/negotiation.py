"""The path of a simulated negotiation: each proposer's offers in utility space."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from ceasefire.report.figures.common import (
    CONCEPT_COLOURS,
    PROPOSER_COLOURS,
    RESERVATION,
    ZOPA,
    Doc,
    Figure,
    _figure,
    _finite,
    _issue_names,
    _names,
    option_names,
    package_text,
    reservation_lines,
    section,
)
from ceasefire.scenario import Scenario

# ---- negotiation ----------------------------------------------------------------------------


def negotiation_section(doc: Doc) -> Doc:
    """The ``ceasefire negotiate --json`` document in ``doc`` (itself, or under ``negotiate``)."""
    return section(doc, "negotiate", "transcript")


def has_negotiation(doc: Doc) -> bool:
    talks = negotiation_section(doc)
    transcript = talks.get("transcript")
    return isinstance(transcript, list) and len(talks.get("veto_parties") or []) >= 2


def negotiation_path(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """The offers of a simulated negotiation in the utility space of the two main parties.

    One line per proposer, in round order, so that each side's concessions show as a path toward
    the other; the reservation values where the talks began, the agreement, and the Nash package.
    """
    if not has_negotiation(doc):
        raise ValueError("the document has no negotiation transcript")
    names = _names(doc, scenario)
    doc = negotiation_section(doc)
    a, b = doc["veto_parties"][0], doc["veto_parties"][1]
    issues = _issue_names(scenario)
    options = option_names(scenario)
    transcript = doc["transcript"]
    title = "The talks: offers round by round"
    figure = _figure(
        title,
        xaxis={"title": f"utility to {names.get(a, a)} (0–100)", "range": [-2, 102]},
        yaxis={"title": f"utility to {names.get(b, b)} (0–100)", "range": [-2, 102]},
        legend={"orientation": "h", "y": -0.18},
        height=560,
    )
    proposers = list(dict.fromkeys(t["proposer"] for t in transcript))
    for index, proposer in enumerate(proposers):
        turns = [t for t in transcript if t["proposer"] == proposer]
        figure.add_trace(
            go.Scatter(
                x=[t["utilities"][a] for t in turns],
                y=[t["utilities"][b] for t in turns],
                mode="lines+markers",
                line={"color": PROPOSER_COLOURS[index % len(PROPOSER_COLOURS)], "width": 1.5},
                marker={
                    "size": 7,
                    "symbol": "circle" if index < len(PROPOSER_COLOURS) else "square",
                },
                name=f"offers by {names.get(proposer, proposer)}",
                text=[
                    f"round {t['round']}"
                    + (f" (month {t['month']})" if t.get("month") is not None else "")
                    + "<br>"
                    + package_text(t["package"], issues, None, options)
                    for t in turns
                ],
                hovertemplate="%{text}<br>%{x:.1f}, %{y:.1f}<extra></extra>",
            )
        )
    first = transcript[0]["reservation"] if transcript else {}
    reservation_lines(figure, first, (a, b), names, " (round 1)")
    if doc.get("war") and transcript:
        figure.add_trace(
            go.Scatter(
                x=[t["reservation"][a] for t in transcript],
                y=[t["reservation"][b] for t in transcript],
                mode="lines",
                line={"color": RESERVATION, "dash": "dot", "width": 1},
                name="values of no deal along the war path",
                hoverinfo="skip",
            )
        )
    nash = doc.get("nash")
    if isinstance(nash, Mapping) and _finite(nash.get(a)) is not None:
        figure.add_trace(
            go.Scatter(
                x=[nash[a]],
                y=[nash[b]],
                mode="markers",
                marker={"symbol": "star", "size": 16, "color": CONCEPT_COLOURS[0]},
                name="Nash package",
                hovertemplate="Nash package<br>%{x:.1f}, %{y:.1f}<extra></extra>",
            )
        )
    agreement = doc.get("agreement")
    if isinstance(agreement, Mapping):
        figure.add_trace(
            go.Scatter(
                x=[agreement["utilities"][a]],
                y=[agreement["utilities"][b]],
                mode="markers",
                marker={
                    "symbol": "circle-open",
                    "size": 22,
                    "color": ZOPA,
                    "line": {"width": 3, "color": ZOPA},
                },
                name=f"agreement (round {agreement['round']})",
                text=[package_text(agreement["package"], issues, None, options)],
                hovertemplate="agreement<br>%{x:.1f}, %{y:.1f}<br>%{text}<extra></extra>",
            )
        )
    return figure
