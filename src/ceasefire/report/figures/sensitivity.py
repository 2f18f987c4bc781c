"""The tornado of one-at-a-time sensitivity: the inputs that move an output most."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from ceasefire.report.figures.common import (
    FRONTIER,
    RESERVATION,
    Doc,
    Figure,
    _figure,
    _finite,
    plotly_text,
    section,
)
from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import input_label

PREFERRED_OUTPUTS = ("zopa_margin", "first_ripe_month", "zopa")
OUTPUT_WORDS = {
    "zopa_margin": "the margin of the zone of agreement",
    "zopa": "whether a zone of agreement exists",
    "first_ripe_month": "the first ripe month",
}
OUTPUT_UNITS = {"zopa_margin": "utility points", "first_ripe_month": "months", "zopa": "0 or 1"}
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


def _axis_title(text: str, unit: str | None) -> str:
    """An axis title with its unit, wrapped so that a long meaning stays under the axis."""
    import textwrap

    title = f"{text} ({unit})" if unit else text
    return "<br>".join(textwrap.wrap(plotly_text(title), 90)) or title


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
        xaxis={"title": _axis_title(meaning or output, OUTPUT_UNITS.get(output))},
    )
    for key, colour, label in (
        ("low", FRONTIER, "input at low end"),
        ("high", RESERVATION, "input at high end"),
    ):
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[plotly_text(input_label(r["input"], scenario)) for r in rows],
                x=[r[key] - base for r in rows],
                base=base,
                marker={"color": colour},
                name=label,
                hovertemplate="%{y}<br>" + label + ": %{x:+.3g}<extra></extra>",
            )
        )
    figure.add_vline(x=base, line={"color": "grey", "width": 1})
    return figure
