"""One self-contained HTML report: every figure a result supports, the scenario, findings, provenance.

By default the file loads nothing from the network: plotly's JavaScript is embedded once (read
from the installed plotly package; ``plotly="cdn"`` loads the same version from plotly's CDN
instead, for a report of a few hundred kilobytes that needs a connection to draw its figures),
each figure is a ``<div>`` with the call that draws it, and styles are inline. The layout template
the figures share (:data:`~ceasefire.report.figures.common.LAYOUT`'s, some 8 kB) is written once in
the page, as the template of every figure that gives none, rather than once per figure. Div ids are
fixed, and nothing depends on the clock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from ceasefire.report.answer import key_answer
from ceasefire.report.figures import Doc, figures_for
from ceasefire.report.figures.common import LAYOUT
from ceasefire.report.findings import findings
from ceasefire.report.links import source_href
from ceasefire.scenario import LoadedScenario
from ceasefire.scenario import utility as su

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
PLOTLY_SOURCES = ("embed", "cdn")
"""Where a report's plotly.js comes from: embedded in the file (offline) or plotly's CDN."""


@cache
def plotly_js() -> str:
    """The minified plotly.js that the installed plotly package ships (no CDN, no copy of our own)."""
    return files("plotly").joinpath("package_data", "plotly.min.js").read_text(encoding="utf-8")


def plotly_cdn_url() -> str:
    """The address of the installed plotly package's plotly.js version on plotly's CDN."""
    from plotly.io._utils import plotly_cdn_url as url

    return str(url())


def plotly_js_path() -> Path:
    """Where the installed plotly package keeps its minified JavaScript."""
    return Path(str(files("plotly").joinpath("package_data", "plotly.min.js")))


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader

    return Environment(
        loader=PackageLoader("ceasefire.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class RenderedFigure:
    name: str
    title: str
    caption: str
    html: str


@cache
def shared_template() -> dict[str, Any]:
    """The layout template of the report's figures, as plotly writes it into each figure."""
    import plotly.graph_objects as go

    template: dict[str, Any] = go.Figure(layout=LAYOUT).to_dict()["layout"]["template"]
    return template


def template_script() -> str:
    """The page's script that gives every figure drawn without a layout template the shared one
    (:func:`shared_template`); it runs after plotly.js and before the figures' own scripts."""
    from plotly.io.json import to_json_plotly

    return (
        "if (window.Plotly) {\n"
        f"  const template = {to_json_plotly(shared_template())};\n"
        "  const newPlot = Plotly.newPlot;\n"
        "  Plotly.newPlot = (div, data, layout, config) =>\n"
        "    newPlot(div, data, layout && layout.template ? layout : { ...layout, template }, "
        "config);\n"
        "}"
    )


def figure_html(figure: Any, div_id: str) -> str:
    """A figure as a ``<div>`` and the script that draws it; expects plotly.js already loaded and
    :func:`template_script` run: a figure with the shared template is written without it."""
    import plotly.io as pio

    drawn: dict[str, Any] = figure.to_dict()
    if drawn["layout"].get("template") == shared_template():
        del drawn["layout"]["template"]
    html: str = pio.to_html(
        drawn,
        validate=False,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
        config=PLOTLY_CONFIG,
        default_width="100%",
        default_height=f"{figure.layout.height or 480}px",
    )
    return html


def render_figures(doc: Doc, loaded: LoadedScenario | None = None) -> list[RenderedFigure]:
    """Every figure ``doc`` supports, rendered for embedding."""
    scenario = loaded.scenario if loaded is not None else None
    rendered = []
    from ceasefire.report.method_figures import method_figures_for

    every = {**figures_for(doc, scenario), **method_figures_for(doc, scenario)}
    for name, (spec, figure) in every.items():
        title = figure.layout.title.text or name
        rendered.append(
            RenderedFigure(name, title, spec.caption, figure_html(figure, f"fig-{name}"))
        )
    return rendered


def _issues(loaded: LoadedScenario) -> list[dict[str, Any]]:
    rows = []
    for issue in loaded.scenario.issues:
        if issue.kind == "categorical":
            options = [o.label or o.id for o in issue.option_list]
            status_quo = next(
                (o.label or o.id for o in issue.option_list if o.id == issue.status_quo),
                str(issue.status_quo),
            )
        else:
            unit = f" {issue.unit}" if issue.unit else ""
            grid = [f"{float(x):g}" for x in su.option_labels(issue)]
            options = [f"{grid[0]} … {grid[-1]}{unit} ({len(grid)} grid points)"]
            status_quo = f"{float(issue.status_quo):g}{unit}"
        rows.append(
            {"id": issue.id, "name": issue.name, "options": options, "status_quo": status_quo}
        )
    return rows


def render_report(
    loaded: LoadedScenario,
    doc: Doc,
    *,
    title: str | None = None,
    notes: list[str] | None = None,
    plotly: str = "embed",
) -> str:
    """The report as one HTML string (``doc`` may merge analyze, war, robust and sensitivity);
    ``plotly``: one of :data:`PLOTLY_SOURCES`."""
    if plotly not in PLOTLY_SOURCES:
        raise ValueError(f"plotly: one of {', '.join(PLOTLY_SOURCES)}, not {plotly!r}")
    scenario = loaded.scenario
    provenance: Mapping[str, Any] = doc.get("provenance") or {}
    reservation = doc.get("reservation") or {}
    parties = [
        {
            "id": p.id,
            "name": p.name,
            "role": p.role,
            "veto": p.has_veto,
            "reservation": reservation.get(p.id),
        }
        for p in scenario.parties
    ]
    from ceasefire.diagnostics.assumptions import assumptions

    headline = doc.get("assumptions") or assumptions(scenario)
    names = {p.id: p.name for p in scenario.parties}
    template = _environment().get_template("report.html.j2")
    html: str = template.render(
        title=title or scenario.title,
        scenario=scenario,
        parties=parties,
        issues=_issues(loaded),
        sources=[
            {**source.model_dump(), "href": source_href(source.url)} for source in scenario.sources
        ],
        findings=findings(doc, scenario),
        answer=key_answer(doc, scenario),
        assumptions=headline,
        party_names=names,
        contested=[item.model_dump() for item in scenario.contested],
        figures=render_figures(doc, loaded),
        provenance={
            "ceasefire_version": provenance.get("ceasefire_version"),
            "scenario_sha256": provenance.get("scenario_sha256", loaded.sha256),
            "seed": provenance.get("seed"),
            "parameters": json.dumps(provenance.get("parameters"), sort_keys=True)
            if provenance.get("parameters")
            else None,
        },
        notes=notes or [],
        rerun=doc.get("rerun"),
        plotly_js=plotly_js() if plotly == "embed" else None,
        template_script=template_script(),
        plotly_src=plotly_cdn_url() if plotly == "cdn" else None,
    )
    return html
