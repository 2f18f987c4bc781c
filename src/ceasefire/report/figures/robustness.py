"""Candidate packages with the probability that each is acceptable to every party that must agree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from ceasefire.report.figures.common import (
    FRONTIER,
    ZOPA,
    Doc,
    Figure,
    _figure,
    _finite,
    _option,
    plotly_text,
    section,
)
from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import package_changes

# ---- robustness, sensitivity -------------------------------------------------------------------


LABEL_WIDTH = 48
"""Characters per line of a package's label beside its bar: labels wrap, never cut."""


def _package_label(
    package: Mapping[str, Any], status_quo: Mapping[str, Any], scenario: Scenario | None
) -> list[str]:
    """A package's changes from the status quo as wrapped lines: ``issue: option`` (labels with
    the scenario, ids without)."""
    import textwrap

    if scenario is not None:
        changes = [f"{n}: {o}" for n, o in package_changes(scenario, package, status_quo)]
    else:
        changes = [f"{k}: {_option(v)}" for k, v in package.items() if status_quo.get(k) != v]
    lines = []
    for change in changes or ["the status quo"]:
        lines.extend(textwrap.wrap(change, LABEL_WIDTH, subsequent_indent="  "))
    return [plotly_text(line) for line in lines]


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
    errors = [r["stderr"] for r in rows]
    labels = [_package_label(r["package"], status_quo, scenario) for r in rows]
    lines = sum(len(label) for label in labels)
    figure = _figure(
        "How often is each candidate package acceptable to all?",
        xaxis={"title": "probability acceptable to every party that must agree", "range": [0, 1]},
        yaxis={"tickfont": {"size": 12}, "automargin": True},
        height=max(300, 110 + 17 * lines + 12 * len(rows)),
        margin={"l": 20, "r": 20, "t": 60, "b": 50},
    )
    figure.add_trace(
        go.Bar(
            orientation="h",
            x=[r["p_acceptable"] for r in rows],
            y=[f"{len(rows) - i}. " + "<br>".join(label) for i, label in enumerate(labels)],
            error_x={"type": "data", "array": [1.96 * e for e in errors], "visible": any(errors)},
            marker={"color": [ZOPA if r["most_robust"] else FRONTIER for r in rows]},
            textposition="none",  # the package is the bar's label; no shrunken text in the bar
            hovertemplate="%{x:.1%} acceptable<extra></extra>",
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
