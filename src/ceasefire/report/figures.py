"""The figures an analyst reads first, as plotly figures built from result documents.

Every function takes a JSON document (``ceasefire analyze --json``, ``war --json``, ``robust --json``,
``sensitivity --json``; or one dict merging several) and returns a :class:`plotly.graph_objects.Figure`.
They read only the documents, so they work for any scenario; :func:`figures_for` picks those that a
document supports. The utility-space picture follows negotiation analysis [Raiffa1982]: each point a
package, the reservation values as lines, the zone of possible agreement between them and the frontier.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ceasefire.scenario import Scenario

Doc = Mapping[str, Any]
# A plotly.graph_objects.Figure; plotly ships no type information.
Figure: TypeAlias = Any

# Colour-blind-safe (Okabe & Ito), one per role in every figure.
FRONTIER = "#0072B2"
ZOPA = "#009E73"
RESERVATION = "#D55E00"
STATUS_QUO = "#000000"
TERRITORY = "#555555"
ESCALATION = "#882255"
CONCEPT_COLOURS = ("#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#882255", "#44AA99")
CONCEPT_SYMBOLS = ("star", "diamond", "triangle-up", "square", "pentagon", "hexagram")
SIDE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
# Parties' lines avoid green, the colour of the zone of agreement.
PARTY_COLOURS = ("#0072B2", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#999933")
PROPOSER_COLOURS = (*SIDE_COLOURS, "#E69F00", "#56B4E9", "#882255", "#999933")
MAX_HOVER_ISSUES = 20

LAYOUT = {
    "template": "simple_white",
    "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 13},
    "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
    "hoverlabel": {"align": "left"},
}


# ---- reading documents -------------------------------------------------------------------------


def section(doc: Doc, key: str, *markers: str) -> Doc:
    """The part of ``doc`` that holds one command's result.

    A report merges documents under their command's name (``{"war": {...}, "robust": {...}}`` next
    to the analyze fields); a single command's own document is used as it is when it has every
    one of ``markers`` at its top level.
    """
    nested = doc.get(key)
    if isinstance(nested, Mapping):
        return nested
    if markers and all(m in doc for m in markers):
        return doc
    return {}


def _finite(value: Any) -> float | None:
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def veto_parties(doc: Doc) -> list[str]:
    """The ids of the parties that must agree, in scenario order (all parties if none is marked)."""
    parties = doc.get("parties") or []
    veto = [p["id"] for p in parties if p.get("veto")]
    return veto or [p["id"] for p in parties]


def main_pair(doc: Doc) -> tuple[str, str]:
    """The two parties on the axes of the utility space: the first two that must agree."""
    ids = veto_parties(doc)
    if len(ids) < 2:
        ids = [p["id"] for p in doc.get("parties", [])]
    return ids[0], ids[1]


def frontier_entries(doc: Doc) -> list[dict[str, Any]]:
    """The plain Pareto frontier (red lines and reservation values ignored)."""
    return list(doc.get("frontier") or [])


def zopa_entries(doc: Doc) -> list[dict[str, Any]]:
    """The Pareto-optimal acceptable packages."""
    zopa = doc.get("zopa") or {}
    return list(zopa.get("frontier") or [])


def chosen_packages(doc: Doc) -> dict[str, dict[str, Any]]:
    """Each solution concept's choice that names a package: {concept: {package, utilities, ...}}."""
    solutions = doc.get("solutions") or {}
    return {name: s for name, s in solutions.items() if s.get("package") is not None}


def package_text(
    package: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
    status_quo: Mapping[str, Any] | None = None,
) -> str:
    """A package as hover text: one ``issue: option`` per line (only changes, given the status quo)."""
    items = list(package.items())
    if status_quo:
        items = [(k, v) for k, v in items if status_quo.get(k) != v]
        if not items:
            return "the status quo on every issue"
    lines = [f"{(labels or {}).get(k, k)}: {_option(v)}" for k, v in items[:MAX_HOVER_ISSUES]]
    if len(items) > MAX_HOVER_ISSUES:
        lines.append(f"… and {len(items) - MAX_HOVER_ISSUES} more issues")
    return "<br>".join(lines)


def concept_title(name: str, *, short: bool = False) -> str:
    """A solution concept's display name: its registry title (``short``: without "solution")."""
    title = {"kalai_smorodinsky": "Kalai–Smorodinsky", "nash": "Nash"}.get(
        name, name.replace("_", " ")
    )
    try:
        from ceasefire.bargaining import SOLUTION_CONCEPTS

        registered = getattr(SOLUTION_CONCEPTS.get(name), "title", None)
        if isinstance(registered, str) and registered:
            title = registered
    except ImportError:
        pass
    if short:
        for suffix in (" bargaining solution", " solution"):
            title = title.removesuffix(suffix)
    return title


def _wrapped(text: str, width: int = 20) -> str:
    """Option ids in words, wrapped to fit a table cell."""
    import textwrap

    return "<br>".join(textwrap.wrap(text.replace("_", " "), width)) or text


def _option(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def plotly_text(text: str) -> str:
    """Text from a scenario file, ready for a figure: plotly reads ``<b>``, ``<a href>`` and
    ``<br>`` in figure text as markup, so '&', '<' and '>' become entities and show as typed."""
    return html.escape(text, quote=False)


def party_names(doc: Doc, scenario: Scenario | None) -> dict[str, str]:
    """Each party's name by id, as plain text."""
    names = {p["id"]: p.get("name", p["id"]) for p in doc.get("parties", [])}
    if scenario is not None:
        names.update({p.id: p.name for p in scenario.parties})
    return {key: str(value) for key, value in names.items()}


def issue_names(scenario: Scenario | None) -> dict[str, str]:
    """Each issue's name by id, as plain text."""
    return {i.id: i.name for i in scenario.issues} if scenario is not None else {}


def _names(doc: Doc, scenario: Scenario | None) -> dict[str, str]:
    """Party names for figure text."""
    return {key: plotly_text(name) for key, name in party_names(doc, scenario).items()}


def _issue_names(scenario: Scenario | None) -> dict[str, str]:
    """Issue names for figure text."""
    return {key: plotly_text(name) for key, name in issue_names(scenario).items()}


def _figure(title: str, **layout: Any) -> Figure:
    figure = go.Figure()
    settings = {**LAYOUT, "title": {"text": title, "x": 0.01, "xanchor": "left"}, **layout}
    figure.update_layout(**settings)
    return figure


# ---- utility space -----------------------------------------------------------------------------


def staircase(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The 2-D Pareto-maximal points of ``points``, by first coordinate ascending.

    Ties in both coordinates collapse into one point; a point equal in one coordinate and lower in
    the other is dominated.
    """
    best: list[tuple[float, float]] = []
    for x, y in sorted(set(points), key=lambda p: (-p[0], -p[1])):
        if not best or y > best[-1][1]:
            best.append((x, y))
    return best[::-1]


def zopa_polygon(
    points: Sequence[tuple[float, float]], corner: tuple[float, float]
) -> list[tuple[float, float]]:
    """The region between the reservation corner and the staircase of acceptable points.

    Every point of the region is weakly dominated by some acceptable package and weakly dominates
    the reservation point, so the shaded area is exactly what the two parties could both reach.
    """
    steps = staircase(p for p in points if p[0] >= corner[0] and p[1] >= corner[1])
    if not steps:
        return []
    rx, ry = corner
    outline = [(rx, ry), (rx, steps[0][1])]
    for (x, y), following in zip(steps, [*steps[1:], None], strict=True):
        outline.append((x, y))
        if following is not None:
            outline.append((x, following[1]))
    outline.append((steps[-1][0], ry))
    return outline


def utility_space(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """The utility space of the two main parties that must agree.

    Every frontier point, the ZOPA shaded, both reservation values as lines, the status quo, and the
    package each solution concept picks (hover shows the package). With more than two parties that
    must agree, the points are the projection of the many-party frontier on these two axes.
    """
    a, b = main_pair(doc)
    names = _names(doc, scenario)
    issues = _issue_names(scenario)
    reservation = doc.get("reservation") or {}
    ra, rb = _finite(reservation.get(a)), _finite(reservation.get(b))
    figure = _figure(
        f"Utility space: {names.get(a, a)} and {names.get(b, b)}",
        xaxis={"title": f"utility to {names.get(a, a)} (0–100)", "range": [-2, 102]},
        yaxis={"title": f"utility to {names.get(b, b)} (0–100)", "range": [-2, 102]},
        legend={"orientation": "h", "y": -0.18},
        height=560,
    )

    zopa = zopa_entries(doc)
    if zopa and ra is not None and rb is not None:
        outline = zopa_polygon([(e["utilities"][a], e["utilities"][b]) for e in zopa], (ra, rb))
        if outline:
            figure.add_trace(
                go.Scatter(
                    x=[p[0] for p in outline] + [outline[0][0]],
                    y=[p[1] for p in outline] + [outline[0][1]],
                    fill="toself",
                    fillcolor="rgba(0,158,115,0.18)",
                    line={"color": "rgba(0,158,115,0.5)", "width": 1},
                    mode="lines",
                    name="zone of possible agreement",
                    hoverinfo="skip",
                )
            )

    frontier = frontier_entries(doc)
    sq_package = (doc.get("status_quo") or {}).get("package") or {}
    figure.add_trace(_points(frontier, a, b, issues, sq_package, "Pareto frontier", FRONTIER, 7))
    if zopa:
        figure.add_trace(
            _points(zopa, a, b, issues, sq_package, "acceptable (ZOPA frontier)", ZOPA, 9)
        )

    for value, axis, who in ((ra, "x", a), (rb, "y", b)):
        if value is None:
            continue
        line = {"color": RESERVATION, "dash": "dash", "width": 1.5}
        label = f"{names.get(who, who)} reservation {value:.1f}"
        if axis == "x":
            figure.add_vline(x=value, line=line, annotation_text=label, annotation_position="top")
        else:
            figure.add_hline(
                y=value, line=line, annotation_text=label, annotation_position="top left"
            )

    status_quo = doc.get("status_quo") or {}
    sq_u = status_quo.get("utilities") or {}
    if _finite(sq_u.get(a)) is not None and _finite(sq_u.get(b)) is not None:
        figure.add_trace(
            go.Scatter(
                x=[sq_u[a]],
                y=[sq_u[b]],
                mode="markers",
                marker={"symbol": "x", "size": 13, "color": STATUS_QUO},
                name="status quo",
                hovertemplate="status quo<br>%{x:.1f}, %{y:.1f}<br>%{text}<extra></extra>",
                text=[package_text(status_quo.get("package") or {}, issues)],
            )
        )

    for index, (concept, solution) in enumerate(chosen_packages(doc).items()):
        u = solution["utilities"]
        ties = solution.get("ties", 0)
        figure.add_trace(
            go.Scatter(
                x=[u[a]],
                y=[u[b]],
                mode="markers",
                marker={
                    "symbol": CONCEPT_SYMBOLS[index % len(CONCEPT_SYMBOLS)],
                    "size": 16 - 2 * (index % 3),
                    "color": CONCEPT_COLOURS[index % len(CONCEPT_COLOURS)],
                    "line": {"color": "black", "width": 1},
                },
                name=concept_title(concept),
                text=[package_text(solution["package"], issues, sq_package)],
                hovertemplate=(
                    f"<b>{concept_title(concept)}</b>"
                    + (f" ({ties} tied)" if ties else "")
                    + "<br>"
                    "%{x:.1f}, %{y:.1f}<br>changes from the status quo:<br>%{text}<extra></extra>"
                ),
            )
        )
    return figure


def _points(
    entries: Sequence[Mapping[str, Any]],
    a: str,
    b: str,
    issues: Mapping[str, str],
    status_quo: Mapping[str, Any],
    name: str,
    colour: str,
    size: int,
) -> Any:
    return go.Scatter(
        x=[e["utilities"][a] for e in entries],
        y=[e["utilities"][b] for e in entries],
        mode="markers",
        marker={"color": colour, "size": size, "opacity": 0.8},
        name=name,
        # Issue ids rather than names keep thousands of hover texts small.
        text=[
            package_text(e["package"], issues if len(entries) <= 500 else None, status_quo)
            for e in entries
        ],
        hovertemplate=(
            f"{name}<br>%{{x:.1f}}, %{{y:.1f}}<br>changes from the status quo:<br>%{{text}}"
            "<extra></extra>"
        ),
    )


def utility_parallel(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """Parallel coordinates of the frontier over every party that must agree (for more than two).

    Each line is a frontier package; colour tells plain frontier, acceptable, and chosen packages.
    """
    names = _names(doc, scenario)
    veto = veto_parties(doc)
    rows: list[tuple[dict[str, float], int]] = [(e["utilities"], 0) for e in frontier_entries(doc)]
    rows += [(e["utilities"], 1) for e in zopa_entries(doc)]
    rows += [(s["utilities"], 2) for s in chosen_packages(doc).values()]
    status_quo = (doc.get("status_quo") or {}).get("utilities")
    if status_quo:
        rows.append((status_quo, 3))
    reservation = doc.get("reservation") or {}
    dimensions = [
        {
            "label": f"{names.get(p, p)} (r={_fmt(reservation.get(p))})",
            "values": [u[p] for u, _ in rows],
            "range": [0, 100],
        }
        for p in veto
    ]
    figure = _figure(
        "Frontier across every party that must agree",
        height=520,
        margin={"l": 70, "r": 110, "t": 120, "b": 60},
    )
    figure.add_trace(
        go.Parcoords(
            dimensions=dimensions,
            labelangle=0,
            labelside="top",
            line={
                "color": [kind for _, kind in rows],
                "cmin": 0,
                "cmax": 3,
                "colorscale": [
                    [0.0, "#BFD7EA"],
                    [0.33, "#BFD7EA"],
                    [0.34, ZOPA],
                    [0.66, ZOPA],
                    [0.67, CONCEPT_COLOURS[0]],
                    [0.99, CONCEPT_COLOURS[0]],
                    [1.0, STATUS_QUO],
                ],
            },
        )
    )
    figure.add_annotation(
        text=(
            "light blue: Pareto frontier · green: acceptable to all · orange: chosen by a "
            "solution concept · black: status quo"
        ),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.14,
        showarrow=False,
        font={"size": 11},
    )
    return figure


def _fmt(value: Any) -> str:
    number = _finite(value)
    return "—" if number is None else f"{number:.1f}"


# ---- per-issue comparison ----------------------------------------------------------------------


def issue_comparison(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """For each solution's package, each issue's option against the status quo.

    Cells that change the status quo are coloured; with the scenario at hand, hover tells what the
    change is worth to each party that must agree (``w_ik · (v_ik(option) − v_ik(status quo))``).
    """
    status_quo = (doc.get("status_quo") or {}).get("package") or {}
    chosen = chosen_packages(doc)
    issues = list(status_quo) or list(next(iter(chosen.values()))["package"])
    issue_names = _issue_names(scenario)
    columns = ["status quo", *chosen]
    packages = [status_quo, *(s["package"] for s in chosen.values())]
    veto = veto_parties(doc)
    names = _names(doc, scenario)
    worth = _issue_worth(scenario, veto) if scenario is not None else None

    z: list[list[float]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for issue in issues:
        row_z, row_text, row_hover = [], [], []
        for column, package in zip(columns, packages, strict=True):
            option = package.get(issue)
            changed = column != "status quo" and option != status_quo.get(issue)
            row_z.append(1.0 if changed else 0.0)
            row_text.append(_wrapped(_option(option)))
            lines = [f"<b>{issue_names.get(issue, issue)}</b> — {column}", f"{_option(option)}"]
            if changed:
                lines.append(f"status quo: {_option(status_quo.get(issue))}")
                if worth is not None:
                    for party in veto:
                        delta = worth(party, issue, option) - worth(
                            party, issue, status_quo.get(issue)
                        )
                        lines.append(f"{names.get(party, party)}: {delta:+.1f} points")
            row_hover.append("<br>".join(lines))
        z.append(row_z)
        text.append(row_text)
        hover.append(row_hover)

    lines_per_row = max((t.count("<br>") + 1 for row in text for t in row), default=1)
    figure = _figure(
        "What each chosen package changes, issue by issue",
        height=max(320, 130 + (14 * lines_per_row + 14) * len(issues)),
        xaxis={"side": "top", "title": "", "tickangle": 0},
        yaxis={"autorange": "reversed"},
        margin={"l": 220, "r": 20, "t": 110, "b": 20},
    )
    figure.add_trace(
        go.Heatmap(
            z=z,
            x=[concept_title(c, short=True) for c in columns],
            y=[issue_names.get(i, i) for i in issues],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=[[0.0, "#f2f2f2"], [1.0, "#F5C26B"]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    return figure


def _issue_worth(scenario: Scenario, parties: Sequence[str]) -> Callable[[str, str, Any], float]:
    """``w_ik · v_ik(option)`` for a party, an issue and an option label (uncertain weights: means)."""
    from ceasefire.scenario import utility as su

    def worth(party: str, issue_id: str, option: Any) -> float:
        if option is None:
            return 0.0
        issue = scenario.issue(issue_id)
        label = option if issue.kind == "categorical" else float(option)
        return su.issue_utility(scenario.preferences[party], issue, label)

    return worth


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
            plotly_text(series.territory_label),
            "cumulative casualties",
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
        figure.update_yaxes(tickformat=".0%", rangemode="tozero", row=3, col=1)
    figure.update_xaxes(title_text="months from the scenario date", row=3, col=1)
    return figure


def ripeness(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """Ripeness: the probability of a ZOPA by month, and each party's reservation value band.

    A conflict is ripe for settlement when every side sees a deal as better than fighting on
    [Zartman2000]; here, when the sampled reservation values leave a non-empty ZOPA.
    """
    block = doc.get("ripeness")
    if not isinstance(block, Mapping) or not block.get("p_zopa"):
        raise ValueError("the document has no ripeness block")
    names = _names(doc, scenario)
    p = list(block["p_zopa"])
    months = [float(m) for m in _months(block, len(p))]
    bands = _reservation_bands(doc, len(p))
    figure = make_subplots(
        rows=2 if bands else 1,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        subplot_titles=(
            "probability that a zone of possible agreement exists",
            *(["value of no deal of each party that must agree, by month"] if bands else []),
        ),
    )
    figure.update_layout(
        **LAYOUT,
        title={"text": "When is the conflict ripe?", "x": 0.01},
        height=620 if bands else 380,
    )
    figure.add_trace(
        go.Scatter(
            x=months,
            y=p,
            mode="lines+markers",
            line={"color": ZOPA, "width": 2},
            name="P(ZOPA)",
            hovertemplate="month %{x}: %{y:.0%}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    figure.add_hline(y=0.5, line={"color": "grey", "dash": "dot"}, row=1, col=1)
    first = block.get("first_ripe_month")
    if first is not None:
        figure.add_vline(
            x=float(first),
            line={"color": ZOPA, "dash": "dash"},
            annotation_text=f"ripe: month {first}",
        )
    figure.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=1)
    start = doc.get("reservation_quantiles")
    for index, (party, q) in enumerate(bands.items()):
        colour = PARTY_COLOURS[index % len(PARTY_COLOURS)]
        name = names.get(party, party)
        _band(figure, months[: len(q["p50"])], q, name, colour, row=2, col=1)
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
                row=2,
                col=1,
            )
    figure.update_xaxes(title_text="months from the scenario date", row=2 if bands else 1, col=1)
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


# ---- robustness, sensitivity -------------------------------------------------------------------


def _package_label(package: Mapping[str, Any], status_quo: Mapping[str, Any]) -> str:
    changes = [f"{k}={_option(v)}" for k, v in package.items() if status_quo.get(k) != v]
    label = ", ".join(changes) or "status quo"
    return label if len(label) <= 60 else label[:57] + "…"


def robustness_rows(doc: Doc) -> list[dict[str, Any]]:
    """Candidate packages ``{package, p_acceptable, stderr, most_robust}``, least robust first.

    Standard errors come from the entry itself or from the document's ``stderr.packages`` list (in
    the order of ``packages``); the most robust package is added when no concept picked it.
    """
    robust = section(doc, "robust", "p_zopa", "most_robust")
    entries = list(robust.get("packages") or [])
    block = robust.get("stderr")
    listed = block.get("packages") if isinstance(block, Mapping) else None
    rows = []
    for index, entry in enumerate(entries):
        error = _stderr(entry)
        if not error and isinstance(listed, list) and index < len(listed):
            error = _stderr({"stderr": listed[index]})
        rows.append(
            {
                "package": entry["package"],
                "p_acceptable": _finite(entry.get("p_acceptable")) or 0.0,
                "stderr": error,
                "most_robust": False,
            }
        )
    most = robust.get("most_robust")
    if isinstance(most, Mapping) and most.get("package") is not None:
        match = [r for r in rows if r["package"] == most["package"]]
        if match:
            match[0]["most_robust"] = True
        else:
            most_error = block.get("most_robust") if isinstance(block, Mapping) else None
            rows.append(
                {
                    "package": most["package"],
                    "p_acceptable": _finite(most.get("p_acceptable")) or 0.0,
                    "stderr": _finite(most_error) or 0.0,
                    "most_robust": True,
                }
            )
    rows.sort(key=lambda r: (r["p_acceptable"], r["most_robust"]))
    return rows


def robustness_bars(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """The probability that each candidate package is acceptable to every party that must agree.

    Bars show 95% intervals (1.96 Monte Carlo standard errors); the most robust package is green.
    """
    rows = robustness_rows(doc)
    if not rows:
        raise ValueError("the document has no robustness results")
    robust = section(doc, "robust", "p_zopa", "most_robust")
    status_quo = (doc.get("status_quo") or {}).get("package") or {}
    issues = _issue_names(scenario)
    errors = [r["stderr"] for r in rows]
    figure = _figure(
        "How often is each candidate package acceptable to all?",
        xaxis={"title": "probability acceptable to every party that must agree", "range": [0, 1]},
        height=max(300, 80 + 28 * len(rows)),
        margin={"l": 320, "r": 20, "t": 60, "b": 50},
    )
    figure.add_trace(
        go.Bar(
            orientation="h",
            x=[r["p_acceptable"] for r in rows],
            y=[
                f"{len(rows) - i}. {_package_label(r['package'], status_quo)}"
                for i, r in enumerate(rows)
            ],
            error_x={"type": "data", "array": [1.96 * e for e in errors], "visible": any(errors)},
            marker={"color": [ZOPA if r["most_robust"] else FRONTIER for r in rows]},
            text=[package_text(r["package"], issues) for r in rows],
            hovertemplate="%{x:.1%} acceptable<br>%{text}<extra></extra>",
        )
    )
    figure.update_xaxes(tickformat=".0%")
    p_zopa = _finite(robust.get("p_zopa"))
    if p_zopa is not None:
        figure.add_vline(
            x=p_zopa,
            line={"color": "grey", "dash": "dot"},
            annotation_text=f"P(some ZOPA) = {p_zopa:.0%}",
        )
    return figure


def _stderr(entry: Mapping[str, Any]) -> float:
    value = entry.get("stderr")
    if isinstance(value, Mapping):
        value = value.get("p_acceptable")
    return _finite(value) or 0.0


PREFERRED_OUTPUTS = ("zopa_margin", "first_ripe_month", "zopa")
OUTPUT_WORDS = {
    "zopa_margin": "the margin of the zone of agreement",
    "zopa": "whether a zone of agreement exists",
    "first_ripe_month": "the first ripe month",
}
MAX_TORNADO_ROWS = 25


def tornado_output(doc: Doc) -> str | None:
    """The output a tornado shows: the margin of the ZOPA where the document has it."""
    block = section(doc, "sensitivity", "tornado")
    table = block.get("tornado")
    if isinstance(table, Mapping):
        for name in (*PREFERRED_OUTPUTS, *table):
            if name in table:
                return str(name)
        return None
    return str(block.get("output") or "output") if table else None


def tornado_rows(doc: Doc, output: str | None = None) -> list[dict[str, Any]]:
    """One-at-a-time swings ``{input, low, high, base}`` of one output of a sensitivity document.

    ``tornado`` is either a list of rows or, as ``ceasefire sensitivity --json`` writes it, a
    mapping from each output to its rows; ``base`` the output at the base point (a number, or a
    mapping by output).
    """
    block = section(doc, "sensitivity", "tornado")
    table = block.get("tornado")
    name = output or tornado_output(doc)
    rows = table.get(name, []) if isinstance(table, Mapping) else (table or [])
    base = block.get("base")
    base_value = _finite(base.get(name)) if isinstance(base, Mapping) else _finite(base)
    result = []
    for row in rows:
        label = row.get("input") or row.get("path") or row.get("name")
        low = _finite(row.get("low"))
        high = _finite(row.get("high"))
        if label is not None and low is not None and high is not None:
            result.append({"input": str(label), "low": low, "high": high, "base": base_value})
    return result


def sensitivity_tornado(doc: Doc, scenario: Scenario | None = None) -> Figure:
    """A tornado: the swing of one output as each input moves over its range, widest on top.

    Shows the widest ``MAX_TORNADO_ROWS`` inputs; the output is the ZOPA's margin (how far the
    best package clears every reservation value) where the document has it.
    """
    output = tornado_output(doc) or "output"
    rows = tornado_rows(doc, output)
    if not rows:
        raise ValueError("the document has no one-at-a-time sensitivity results")
    rows.sort(key=lambda r: abs(r["high"] - r["low"]))
    rows = rows[-MAX_TORNADO_ROWS:]
    base = rows[-1]["base"] if rows[-1]["base"] is not None else 0.0
    block = section(doc, "sensitivity", "tornado")
    meanings = block.get("outputs")
    meaning = meanings.get(output) if isinstance(meanings, Mapping) else None
    figure = _figure(
        f"What moves {OUTPUT_WORDS.get(output, output.replace('_', ' '))}",
        barmode="overlay",
        height=max(300, 100 + 26 * len(rows)),
        margin={"l": 320, "r": 20, "t": 60, "b": 60},
        xaxis={"title": meaning or output},
    )
    for key, colour, label in (
        ("low", FRONTIER, "input at low end"),
        ("high", RESERVATION, "input at high end"),
    ):
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[plotly_text(r["input"]) for r in rows],
                x=[r[key] - base for r in rows],
                base=base,
                marker={"color": colour},
                name=label,
                hovertemplate="%{y}<br>" + label + ": %{x:+.3g}<extra></extra>",
            )
        )
    figure.add_vline(x=base, line={"color": "grey", "width": 1})
    return figure


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
                    + package_text(t["package"], issues)
                    for t in turns
                ],
                hovertemplate="%{text}<br>%{x:.1f}, %{y:.1f}<extra></extra>",
            )
        )
    first = transcript[0]["reservation"] if transcript else {}
    for value, axis, who in ((first.get(a), "x", a), (first.get(b), "y", b)):
        number = _finite(value)
        if number is None:
            continue
        line = {"color": RESERVATION, "dash": "dash", "width": 1.5}
        label = f"{names.get(who, who)} reservation {number:.1f} (round 1)"
        if axis == "x":
            figure.add_vline(x=number, line=line, annotation_text=label, annotation_position="top")
        else:
            figure.add_hline(
                y=number, line=line, annotation_text=label, annotation_position="top left"
            )
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
                text=[package_text(agreement["package"], issues)],
                hovertemplate="agreement<br>%{x:.1f}, %{y:.1f}<br>%{text}<extra></extra>",
            )
        )
    return figure


# ---- choosing figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureSpec:
    """A figure a document may support: a name, a caption, the function and a test."""

    name: str
    caption: str
    build: Callable[[Doc, Scenario | None], Figure]
    supports: Callable[[Doc], bool]


def _has_utility_space(doc: Doc) -> bool:
    return bool(doc.get("parties")) and ("frontier" in doc or "zopa" in doc)


def has_robustness(doc: Doc) -> bool:
    robust = section(doc, "robust", "p_zopa", "most_robust")
    packages = robust.get("packages")
    return isinstance(packages, list) and bool(packages) and "p_acceptable" in packages[0]


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "utility_space",
        "Each dot is a Pareto-optimal package; the green area is what both sides prefer to no deal.",
        utility_space,
        _has_utility_space,
    ),
    FigureSpec(
        "utility_parallel",
        "Every party that must agree, one axis each: each line a frontier package.",
        utility_parallel,
        lambda d: _has_utility_space(d) and len(veto_parties(d)) > 2,
    ),
    FigureSpec(
        "issue_comparison",
        "For each solution concept's package, the option on each issue; coloured where it changes the status quo.",
        issue_comparison,
        lambda d: bool(chosen_packages(d)) and bool((d.get("status_quo") or {}).get("package")),
    ),
    FigureSpec(
        "war_fans",
        "Monte Carlo fan charts of the war going on: medians, 25–75% and 5–95% bands.",
        war_fans,
        lambda d: war_series(d) is not None,
    ),
    FigureSpec(
        "ripeness",
        "The share of Monte Carlo samples in which some package is acceptable to all, by month.",
        ripeness,
        lambda d: isinstance(d.get("ripeness"), Mapping) and bool(d["ripeness"].get("p_zopa")),
    ),
    FigureSpec(
        "robustness",
        "Candidate packages with the probability each is acceptable to all (bars: 95% intervals).",
        robustness_bars,
        has_robustness,
    ),
    FigureSpec(
        "negotiation",
        "Each proposer's offers in order; the ring marks the agreement, the star the Nash package.",
        negotiation_path,
        has_negotiation,
    ),
    FigureSpec(
        "sensitivity",
        "One input at a time over its range, widest swing on top.",
        sensitivity_tornado,
        lambda d: bool(tornado_rows(d)),
    ),
)


def figures_for(doc: Doc, scenario: Scenario | None = None) -> dict[str, tuple[FigureSpec, Figure]]:
    """Every figure that ``doc`` supports, by name, in reading order."""
    return {spec.name: (spec, spec.build(doc, scenario)) for spec in FIGURES if spec.supports(doc)}
