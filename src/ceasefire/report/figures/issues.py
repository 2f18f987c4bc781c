"""For each solution concept's package, the option on each issue against the status quo."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go

from ceasefire.report.figures.common import (
    Doc,
    Figure,
    _figure,
    _issue_names,
    _names,
    _wrapped,
    chosen_packages,
    concept_title,
    option_names,
    veto_parties,
)
from ceasefire.scenario import Scenario

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
    options = option_names(scenario)
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
            row_text.append(_wrapped(options(issue, option)))
            lines = [f"<b>{issue_names.get(issue, issue)}</b> — {column}", options(issue, option)]
            if changed:
                lines.append(f"status quo: {options(issue, status_quo.get(issue))}")
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
