"""What every figure shares: colours, layout, and reading the result documents."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import plotly.graph_objects as go

from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import number, option_text, plain

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


OptionNames = Callable[[str, Any], str]
"""``(issue id, option) -> text`` for figure text: :func:`option_names`."""


def option_names(scenario: Scenario | None) -> OptionNames:
    """How each issue's options read in figure text: option labels and numbers with units
    (:func:`ceasefire.scenario.labels.option_text`), escaped for plotly; without a scenario, the
    option as it is."""
    if scenario is None:
        return lambda _issue, value: plotly_text(_option(value))
    issues = {issue.id: issue for issue in scenario.issues}
    return lambda issue, value: plotly_text(option_text(issues.get(issue), value))


def package_text(
    package: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
    status_quo: Mapping[str, Any] | None = None,
    options: OptionNames | None = None,
) -> str:
    """A package as hover text: one ``issue: option`` per line (only changes, given the status
    quo); ``labels``: issue names, ``options``: :func:`option_names` (the options as they are
    without)."""
    items = list(package.items())
    if status_quo:
        items = [(k, v) for k, v in items if status_quo.get(k) != v]
        if not items:
            return "the status quo on every issue"
    show = options or (lambda _issue, value: _option(value))
    lines = [f"{(labels or {}).get(k, k)}: {show(k, v)}" for k, v in items[:MAX_HOVER_ISSUES]]
    if len(items) > MAX_HOVER_ISSUES:
        lines.append(f"… and {len(items) - MAX_HOVER_ISSUES} more issues")
    return "<br>".join(lines)


def concept_title(name: str, *, short: bool = False) -> str:
    """A solution concept's display name: its registry title (``short``: without "solution")."""
    title = {"kalai_smorodinsky": "Kalai–Smorodinsky", "nash": "Nash"}.get(
        name, name.replace("_", " ")
    )
    from ceasefire.bargaining import SOLUTION_CONCEPTS

    registered = getattr(SOLUTION_CONCEPTS.get(name), "title", None)
    if isinstance(registered, str) and registered:
        title = registered
    if short:
        for suffix in (" bargaining solution", " solution"):
            title = title.removesuffix(suffix)
    return title


def _wrapped(text: str, width: int = 20) -> str:
    """Option ids in words, wrapped to fit a table cell."""
    import textwrap

    return "<br>".join(textwrap.wrap(text.replace("_", " "), width)) or text


def _option(value: Any) -> str:
    return plain(value)


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


CROSSES = "#7F7F7F"
"""Frontier packages that cross a red line: grey, with an open marker of their own."""
CROSSES_SYMBOL = "x-thin-open"


def red_lines_by_option(scenario: Scenario | None) -> dict[str, dict[Any, list[str]]]:
    """``{issue: {option: [veto parties whose red line it crosses]}}`` (empty without a scenario)."""
    if scenario is None:
        return {}
    from ceasefire.scenario import utility as su

    out: dict[str, dict[Any, list[str]]] = {}
    for issue in scenario.issues:
        labels = su.option_labels(issue)
        for party in scenario.veto_parties:
            mask = su.crosses_red_line(scenario.preferences[party.id], issue)
            for label, crossed in zip(labels, mask, strict=True):
                if crossed:
                    out.setdefault(issue.id, {}).setdefault(label, []).append(party.id)
    return out


def red_line_crossings(
    red_lines: Mapping[str, Mapping[Any, list[str]]], package: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """The (party, issue) red lines ``package`` crosses (``red_lines``: :func:`red_lines_by_option`)."""
    return [
        (party, issue)
        for issue, by_option in red_lines.items()
        for party in by_option.get(package.get(issue), ())
    ]


def _names(doc: Doc, scenario: Scenario | None) -> dict[str, str]:
    """Party names for figure text."""
    return {key: plotly_text(name) for key, name in party_names(doc, scenario).items()}


def _issue_names(scenario: Scenario | None) -> dict[str, str]:
    """Issue names for figure text."""
    return {key: plotly_text(name) for key, name in issue_names(scenario).items()}


def one_number_format(figure: Figure) -> Figure:
    """Axis numbers the way every table writes them (:func:`ceasefire.scenario.labels.number`):
    ``13,000``, never plotly's ``13k`` next to a table's ``5,273``."""
    figure.update_xaxes(exponentformat="none", separatethousands=True)
    figure.update_yaxes(exponentformat="none", separatethousands=True)
    return figure


def _figure(title: str, **layout: Any) -> Figure:
    figure = go.Figure()
    settings = {**LAYOUT, "title": {"text": title, "x": 0.01, "xanchor": "left"}, **layout}
    figure.update_layout(**settings)
    return figure


def reservation_lines(
    figure: Figure,
    values: Mapping[str, Any],
    axes: tuple[str, str],
    names: Mapping[str, str],
    note: str = "",
) -> None:
    """Each main party's value of no deal as a dashed line across the utility space: the first
    of ``axes`` vertical, the second horizontal, labelled with the party's name (and ``note``)."""
    line = {"color": RESERVATION, "dash": "dash", "width": 1.5}
    for axis, who in zip(("x", "y"), axes, strict=True):
        value = _finite(values.get(who))
        if value is None:
            continue
        label = f"{names.get(who, who)} reservation {number(value)}{note}"
        if axis == "x":
            figure.add_vline(x=value, line=line, annotation_text=label, annotation_position="top")
        else:
            figure.add_hline(
                y=value, line=line, annotation_text=label, annotation_position="top left"
            )
