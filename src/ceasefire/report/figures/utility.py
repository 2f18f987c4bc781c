"""The utility space: each Pareto-optimal package a point, reservation values as lines, the
zone of possible agreement between them [Raiffa1982]; and, with more than two parties, parallel axes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from ceasefire.report.figures.common import (
    CONCEPT_COLOURS,
    CONCEPT_SYMBOLS,
    CROSSES,
    CROSSES_SYMBOL,
    FRONTIER,
    STATUS_QUO,
    ZOPA,
    Doc,
    Figure,
    OptionNames,
    _figure,
    _finite,
    _issue_names,
    _names,
    chosen_packages,
    concept_title,
    frontier_entries,
    main_pair,
    option_names,
    package_text,
    red_line_crossings,
    red_lines_by_option,
    reservation_lines,
    veto_parties,
    zopa_entries,
)
from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import number

MAX_HOVER_PACKAGES = 500
"""Above this many points a trace's hover shows utilities only, not each package."""

DRAWN_CELL = 0.5
"""Points of one trace closer than this (utility points on both axes) are drawn once: a marker is
about two points wide on a 0–100 axis, so the rest would be hidden under it, yet each would
weigh on the report's size."""


def drawn_points(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """``points`` with one point per :data:`DRAWN_CELL` square (the first in it), in order,
    rounded to 0.01 (finer than any figure shows)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for x, y in points:
        cell = (int(x // DRAWN_CELL), int(y // DRAWN_CELL))
        if cell not in seen:
            seen.add(cell)
            kept.append((round(x, 2), round(y, 2)))
    return kept


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


def utility_space(
    doc: Doc, scenario: Scenario | None = None, *, hover_packages: int | None = None
) -> Figure:
    """The utility space of the two main parties that must agree.

    Every frontier point, the ZOPA shaded, both reservation values as lines, the status quo, and the
    package each solution concept picks (hover shows the package). With more than two parties that
    must agree, the points are the projection of the many-party frontier on these two axes.
    ``hover_packages``: a set of points larger than this shows only utilities when hovered (None:
    every point shows its package).
    """
    a, b = main_pair(doc)
    names = _names(doc, scenario)
    issues = _issue_names(scenario)
    options = option_names(scenario)
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
    limit = hover_packages
    red_lines = red_lines_by_option(scenario)
    crossing = [red_line_crossings(red_lines, e["package"]) for e in frontier]
    clear = [e for e, c in zip(frontier, crossing, strict=True) if not c]
    figure.add_trace(
        _points(clear, a, b, issues, options, sq_package, "Pareto frontier", FRONTIER, 7, limit)
    )
    crossed = [(e, c) for e, c in zip(frontier, crossing, strict=True) if c]
    if crossed:
        figure.add_traces(_crossing_points(crossed, a, b, names, issues))
    if zopa:
        figure.add_trace(
            _points(
                zopa,
                a,
                b,
                issues,
                options,
                sq_package,
                "acceptable (ZOPA frontier)",
                ZOPA,
                9,
                limit,
            )
        )

    reservation_lines(figure, reservation, (a, b), names)

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
                text=[package_text(status_quo.get("package") or {}, issues, None, options)],
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
                text=[package_text(solution["package"], issues, sq_package, options)],
                hovertemplate=(
                    f"<b>{concept_title(concept)}</b>"
                    + (f" ({ties} tied)" if ties else "")
                    + "<br>"
                    "%{x:.1f}, %{y:.1f}<br>changes from the status quo:<br>%{text}<extra></extra>"
                ),
            )
        )
    return figure


def _crossing_points(
    crossed: Sequence[tuple[Mapping[str, Any], list[tuple[str, str]]]],
    a: str,
    b: str,
    names: Mapping[str, str],
    issues: Mapping[str, str],
) -> list[Any]:
    """Frontier packages that cross a red line: never acceptable, whatever their utilities.

    Hover names the red lines crossed. Thousands of packages cross the same few sets of red
    lines, so there is one trace per set (one legend entry for them all) and each set's text is
    written once, in its trace's hover template, rather than once per point."""
    marker = {"color": CROSSES, "size": 8, "symbol": CROSSES_SYMBOL, "line": {"width": 1.5}}
    name = "crosses a red line (not acceptable)"
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for entry, lines in crossed:
        text = "<br>".join(
            f"{names.get(p, p)}: {issues.get(k, k)}" for p, k in lines[:MAX_RED_LINES]
        )
        if len(lines) > MAX_RED_LINES:
            text += f"<br>… and {len(lines) - MAX_RED_LINES} more"
        groups.setdefault(text, []).append(entry)
    traces = []
    for index, (text, entries) in enumerate(groups.items()):
        template = "crosses a red line<br>%{x:.1f}, %{y:.1f}<br>red lines crossed:<br>" + text
        points = drawn_points((e["utilities"][a], e["utilities"][b]) for e in entries)
        traces.append(
            go.Scatter(
                x=[x for x, _ in points],
                y=[y for _, y in points],
                mode="markers",
                marker=marker,
                name=name,
                legendgroup="crosses",
                showlegend=index == 0,
                hovertemplate=template + "<extra></extra>",
            )
        )
    return traces


MAX_RED_LINES = 8


def _points(
    entries: Sequence[Mapping[str, Any]],
    a: str,
    b: str,
    issues: Mapping[str, str],
    options: OptionNames,
    status_quo: Mapping[str, Any],
    name: str,
    colour: str,
    size: int,
    hover_packages: int | None = None,
) -> Any:
    # A figure's data stays lean: coordinates to 0.01 point (finer than any figure shows), and
    # a package in each hover only where there are few points (the ZOPA's, usually): thousands
    # of frontier packages' texts would make a report of megabytes.
    limit = MAX_HOVER_PACKAGES if hover_packages is None else hover_packages
    x = [round(e["utilities"][a], 2) for e in entries]
    y = [round(e["utilities"][b], 2) for e in entries]
    marker = {"color": colour, "size": size, "opacity": 0.8}
    if len(entries) > limit:
        points = drawn_points((e["utilities"][a], e["utilities"][b]) for e in entries)
        return go.Scatter(
            x=[x for x, _ in points],
            y=[y for _, y in points],
            mode="markers",
            marker=marker,
            name=name,
            hovertemplate=f"{name}<br>%{{x:.1f}}, %{{y:.1f}}<extra></extra>",
        )
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        marker=marker,
        name=name,
        text=[package_text(e["package"], issues, status_quo, options) for e in entries],
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
    red_lines = red_lines_by_option(scenario)
    rows: list[tuple[dict[str, float], int]] = [
        (e["utilities"], 4 if red_line_crossings(red_lines, e["package"]) else 0)
        for e in frontier_entries(doc)
    ]
    rows += [(e["utilities"], 1) for e in zopa_entries(doc)]
    rows += [(s["utilities"], 2) for s in chosen_packages(doc).values()]
    status_quo = (doc.get("status_quo") or {}).get("utilities")
    if status_quo:
        rows.append((status_quo, 3))
    reservation = doc.get("reservation") or {}
    dimensions = [
        {
            "label": f"{names.get(p, p)} (r={number(_finite(reservation.get(p)))})",
            "values": [round(u[p], 1) for u, _ in rows],
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
                "cmax": 4,
                "colorscale": [
                    [0.0, "#BFD7EA"],
                    [0.24, "#BFD7EA"],
                    [0.25, ZOPA],
                    [0.49, ZOPA],
                    [0.5, CONCEPT_COLOURS[0]],
                    [0.74, CONCEPT_COLOURS[0]],
                    [0.75, STATUS_QUO],
                    [0.99, STATUS_QUO],
                    [1.0, CROSSES],
                ],
            },
        )
    )
    figure.add_annotation(
        text=(
            "light blue: Pareto frontier · green: acceptable to all · orange: chosen by a "
            "solution concept · black: status quo · grey: crosses a red line"
        ),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.14,
        showarrow=False,
        font={"size": 11},
    )
    return figure
