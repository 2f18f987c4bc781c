"""The war going on (fan charts of territory, casualties, escalation) and ripeness by month."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ceasefire.report.figures.common import (
    ESCALATION,
    LAYOUT,
    PARTY_COLOURS,
    SIDE_COLOURS,
    TERRITORY,
    ZOPA,
    Doc,
    Figure,
    _finite,
    _names,
    plotly_text,
    section,
    veto_parties,
)
from ceasefire.scenario import Scenario

# ---- war, ripeness -----------------------------------------------------------------------------


def _months(block: Mapping[str, Any], n: int) -> list[int]:
    months = block.get("month_index") or block.get("months")
    return list(months) if months is not None else list(range(n))


def _band(
    figure: Figure,
    x: Sequence[float],
    q: Mapping[str, Sequence[float]],
    name: str,
    colour: str,
    *,
    row: int | None = None,
    col: int | None = None,
) -> None:
    """A fan: the 5–95% band, the 25–75% band and the median line."""
    where = {"row": row, "col": col} if row is not None else {}
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for low, high, alpha in (("p5", "p95", 0.15), ("p25", "p75", 0.3)):
        if low in q and high in q:
            figure.add_trace(
                go.Scatter(
                    x=[*x, *x[::-1]],
                    y=[*q[high], *q[low][::-1]],
                    fill="toself",
                    fillcolor=f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha})",
                    line={"width": 0},
                    name=f"{name} {low[1:]}–{high[1:]}%",
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=name,
                ),
                **where,
            )
    if "p50" in q:
        figure.add_trace(
            go.Scatter(
                x=list(x),
                y=list(q["p50"]),
                mode="lines",
                line={"color": colour, "width": 2},
                name=name,
                legendgroup=name,
                hovertemplate=f"{name}<br>month %{{x}}: %{{y:,.1f}} (median)<extra></extra>",
            ),
            **where,
        )


def _quantiles(value: Any) -> dict[str, list[float]] | None:
    """Quantile series ``{"p5": [...], ...}`` from a war document entry, if it is one."""
    if isinstance(value, Mapping) and "p50" in value and isinstance(value["p50"], Sequence):
        return {k: list(v) for k, v in value.items() if k.startswith("p")}
    return None


@dataclass(frozen=True)
class WarSeries:
    """The per-month series of a war document, in the shape the fan charts draw."""

    months: list[int]
    territory: dict[str, list[float]] | None
    casualties: dict[str, dict[str, list[float]]]
    escalation: list[float] | None
    territory_label: str


def war_series(doc: Doc) -> WarSeries | None:
    """Read the monthly quantiles of a ``ceasefire war --json`` document (or a ``war`` entry)."""
    war = section(doc, "war")
    if not war:
        war = doc if ("quantiles" in doc or "territory" in doc) else {}
    nested = war.get("quantiles")
    quantiles: Doc = nested if isinstance(nested, Mapping) else war
    territory = _quantiles(quantiles.get("territory"))
    casualties_block = quantiles.get("casualties") or quantiles.get("cumulative_casualties") or {}
    casualties = {
        side: q for side, value in casualties_block.items() if (q := _quantiles(value)) is not None
    }
    escalation_block = quantiles.get("escalation") or quantiles.get("p_escalation")
    escalation: list[float] | None = None
    if isinstance(escalation_block, Mapping):
        series = escalation_block.get("cumulative") or escalation_block.get("p")
        escalation = list(series) if series is not None else None
    elif isinstance(escalation_block, Sequence):
        escalation = list(escalation_block)
    if territory is None and not casualties:
        return None
    n = len((territory or next(iter(casualties.values())))["p50"])
    label = str(war.get("territory_label") or war.get("territory_issue") or "territory")
    return WarSeries(_months(war, n), territory, casualties, escalation, label)


def war_fans(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """War fan charts by month: territory, cumulative casualties per side (5–95% bands), escalation."""
    series = war_series(doc)
    if series is None:
        raise ValueError("the document has no monthly war quantiles")
    names = _names(doc, scenario)
    figure = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.07,
        subplot_titles=(
            plotly_text(front_title(doc, scenario, series)),
            "cumulative casualties (killed and wounded)",
            "probability of catastrophic escalation (cumulative)",
        ),
    )
    figure.update_layout(
        **LAYOUT, title={"text": "If the war goes on", "x": 0.01}, height=760, showlegend=True
    )
    x = [float(m) for m in series.months]
    if series.territory is not None:
        _band(figure, x, series.territory, "territory", TERRITORY, row=1, col=1)
    for index, (side, q) in enumerate(series.casualties.items()):
        colour = SIDE_COLOURS[index % len(SIDE_COLOURS)]
        _band(figure, x, q, names.get(side, side), colour, row=2, col=1)
    if series.escalation is not None:
        figure.add_trace(
            go.Scatter(
                x=x,
                y=series.escalation,
                mode="lines",
                line={"color": ESCALATION, "width": 2},
                name="escalation",
                hovertemplate="month %{x}: %{y:.1%}<extra></extra>",
            ),
            row=3,
            col=1,
        )
        small = max((v for v in series.escalation if _finite(v) is not None), default=0) < 0.05
        figure.update_yaxes(tickformat=".1%" if small else ".0%", rangemode="tozero", row=3, col=1)
    figure.update_yaxes(tickformat=",", title_text="people", row=2, col=1)
    figure.update_xaxes(title_text="months from the scenario date", row=3, col=1)
    return figure


def front_title(doc: Doc, scenario: Scenario | None, series: WarSeries) -> str:
    """The title of the front line's fan: where the front runs, in the issue's unit (the issue's
    own name describes the deal, not the war)."""
    war = section(doc, "war") or doc
    issue_id = war.get("territory_issue")
    if scenario is not None and issue_id is not None:
        issue = next((i for i in scenario.issues if i.id == issue_id), None)
        if issue is not None and issue.unit and len(issue.unit) > 12:  # a unit that says it all
            return f"where the front runs: {issue.unit}"
        if issue is not None:
            unit = f" ({issue.unit})" if issue.unit else ""
            return f"where the front runs, on the scale of “{issue.name}”{unit}"
    return f"where the front runs ({series.territory_label})"


def ripeness(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """Ripeness by month: the room for a deal as a band, the probability of a ZOPA, and each
    party's value of no deal.

    A conflict is ripe for settlement when every side sees a deal as better than fighting on
    [Zartman2000]; here, when the sampled reservation values leave a non-empty ZOPA. The room for
    a deal is the best red-line-free package's margin over the tightest value of no deal,
    ``max_p min_i (u_pi - r_i)``, whose 5–95% band over the samples shows how ripe (a probability
    of 100% says only that the margin is positive in every sample, not by how much).
    """
    block = doc.get("ripeness")
    if not isinstance(block, Mapping) or not block.get("p_zopa"):
        raise ValueError("the document has no ripeness block")
    names = _names(doc, scenario)
    p = list(block["p_zopa"])
    months = [float(m) for m in _months(block, len(p))]
    bands = _reservation_bands(doc, len(p))
    slack = _quantiles(block.get("slack"))
    if slack is not None and not all(_finite(v) is not None for v in slack.get("p50", [])):
        slack = None  # no red-line-free package: no margin to draw
    titles = [
        *(
            ["room for a deal: best package's margin over the tightest value of no deal"]
            if slack
            else []
        ),
        "probability that a zone of possible agreement exists",
        *(["value of no deal of each party that must agree, by month"] if bands else []),
    ]
    rows = len(titles)
    heights = {1: [1.0], 2: [0.55, 0.45], 3: [0.4, 0.2, 0.4]}[rows]
    if not slack and rows == 2:
        heights = [0.35, 0.65]
    figure = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=heights,
        subplot_titles=titles,
    )
    figure.update_layout(
        **LAYOUT,
        title={"text": "When is the conflict ripe?", "x": 0.01},
        height={1: 380, 2: 620, 3: 820}[rows],
    )
    p_row = 2 if slack else 1
    if slack:
        _band(figure, months[: len(slack["p50"])], slack, "room for a deal", ZOPA, row=1, col=1)
        figure.add_hline(y=0, line={"color": "grey", "dash": "dot"}, row=1, col=1)
        figure.update_yaxes(title_text="utility points", row=1, col=1)
    figure.add_trace(
        go.Scatter(
            x=months,
            y=p,
            mode="lines+markers",
            line={"color": ZOPA, "width": 2, "dash": "dot" if slack else "solid"},
            name="P(ZOPA)",
            hovertemplate="month %{x}: %{y:.0%}<extra></extra>",
        ),
        row=p_row,
        col=1,
    )
    figure.add_hline(y=0.5, line={"color": "grey", "dash": "dot"}, row=p_row, col=1)
    first = block.get("first_ripe_month")
    if first is not None:
        for row in range(1, rows + 1):  # one line through every panel, labelled once
            figure.add_vline(
                x=float(first),
                line={"color": ZOPA, "dash": "dash"},
                row=row,
                col=1,
                **({"annotation_text": f"ripe: month {first}"} if row == 1 else {}),
            )
    figure.update_yaxes(
        range=[0, 1.02], tickformat=".0%", title_text="probability", row=p_row, col=1
    )
    start = doc.get("reservation_quantiles")
    for index, (party, q) in enumerate(bands.items()):
        colour = PARTY_COLOURS[index % len(PARTY_COLOURS)]
        name = names.get(party, party)
        _band(figure, months[: len(q["p50"])], q, name, colour, row=rows, col=1)
        spread = start.get(party) if isinstance(start, Mapping) else None
        if "p5" not in q and isinstance(spread, Mapping) and _finite(spread.get("p50")) is not None:
            # Only month 0 has a spread in the document: show it as the 5–95% bar there.
            low, mid, high = (float(spread.get(k, spread["p50"])) for k in ("p5", "p50", "p95"))
            figure.add_trace(
                go.Scatter(
                    x=[months[0]],
                    y=[mid],
                    mode="markers",
                    marker={"color": colour, "size": 8},
                    error_y={
                        "type": "data",
                        "symmetric": False,
                        "array": [high - mid],
                        "arrayminus": [mid - low],
                        "color": colour,
                    },
                    name=f"{name} 5–95% (month {months[0]:g})",
                    legendgroup=name,
                    showlegend=False,
                    hovertemplate=f"{name}, month 0: {low:.1f} to {high:.1f} (5–95%)<extra></extra>",
                ),
                row=rows,
                col=1,
            )
    if bands:
        figure.update_yaxes(title_text="utility (0–100)", row=rows, col=1)
    figure.update_xaxes(title_text="months from the scenario date", row=rows, col=1)
    return figure


def reservation_series(doc: Doc) -> dict[str, dict[str, list[float]]]:
    """Each party's value of no deal by month, as quantile series (``{"p50": [...]}`` at least).

    Read from per-month quantiles where the document has them, else from the ripeness block's
    monthly quantiles (``ripeness.reservation_p5/p50/p95``); only the parties that must agree are
    kept.
    """
    veto = set(veto_parties(doc)) if doc.get("parties") else None
    for key in ("reservation_by_month", "reservation_quantiles_by_month", "reservation_quantiles"):
        block = doc.get(key)
        if isinstance(block, Mapping):
            bands = {party: q for party, value in block.items() if (q := _quantiles(value))}
            if bands:
                return {p: q for p, q in bands.items() if veto is None or p in veto}
    ripe = doc.get("ripeness")
    if not isinstance(ripe, Mapping) or not isinstance(ripe.get("reservation_p50"), Mapping):
        return {}
    # Monthly medians always; the 5% and 95% quantiles where the document has them.
    keys = [k for k in ("p5", "p50", "p95") if isinstance(ripe.get(f"reservation_{k}"), Mapping)]
    return {
        party: {k: list(ripe[f"reservation_{k}"][party]) for k in keys}
        for party, series in ripe["reservation_p50"].items()
        if isinstance(series, Sequence) and (veto is None or party in veto)
    }


def _reservation_bands(doc: Doc, n: int) -> dict[str, dict[str, list[float]]]:
    return reservation_series(doc)
