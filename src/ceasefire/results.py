"""Results for notebooks and scripts: each shows itself briefly and gives the command's JSON.

Every result of the Python front door (:mod:`ceasefire.study`) wraps one run of the registry
(:mod:`ceasefire.runs`): ``to_dict()`` is exactly the document its command prints with ``--json``,
``repr()`` is a line or a few, and in Jupyter ``_repr_html_`` shows a compact table and the main
figure of the report where there is one.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ceasefire.jsonable import jsonable
from ceasefire.runs import Outcome
from ceasefire.scenario.labels import Labels, counted, input_label, package_text

if TYPE_CHECKING:
    import pandas as pd
    from plotly.graph_objects import Figure

    from ceasefire.analysis import Analysis
    from ceasefire.bargaining import BargainingProblem, Frontier
    from ceasefire.scenario import LoadedScenario

Row = tuple[str, str]


def _number(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _short(text: str, width: int = 72) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def html_table(rows: Iterable[Row], caption: str = "") -> str:
    """A two-column HTML table (escaped)."""
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    title = f"<caption style='text-align:left'><b>{html.escape(caption)}</b></caption>"
    return f"<table>{title if caption else ''}{body}</table>"


class Result:
    """One run's result: its JSON document (``to_dict``) and a short summary."""

    kind = "result"
    figure_name: str | None = None
    """The :mod:`ceasefire.report.figures` function that draws the main figure, if any."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome

    @property
    def loaded(self) -> LoadedScenario:
        return self.outcome.loaded

    @property
    def labels(self) -> Labels:
        """The names the scenario gives its parties, issues and options."""
        return Labels(self.loaded.scenario)

    def _package(self, package: dict[str, Any] | None) -> str:
        """A package as the scenario names its issues and options (``issue: option; ...``)."""
        return "—" if package is None else package_text(self.loaded.scenario, package)

    @property
    def document(self) -> dict[str, Any]:
        """The result document itself (not a copy; see :meth:`to_dict`)."""
        return self.outcome.document

    @property
    def result(self) -> Any:
        """The library's own result object, for those who want its arrays."""
        return self.outcome.result

    def to_dict(self) -> dict[str, Any]:
        """Exactly the JSON document that ``ceasefire <command> --json`` prints (a fresh copy)."""
        copied: dict[str, Any] = jsonable(self.outcome.document)
        return copied

    def summary(self) -> list[Row]:
        """The few numbers that say what the result is, as (label, value) rows."""
        return []

    def figure(self) -> Figure | None:
        """The result's main figure (plotly), as in the HTML report; None where there is none."""
        if self.figure_name is None:
            return None
        from ceasefire.report import figures

        draw: Callable[..., Figure] = getattr(figures, self.figure_name)
        return draw(self.document, self.loaded.scenario)

    def __repr__(self) -> str:
        rows = "".join(f"\n  {k}: {_short(v)}" for k, v in self.summary())
        return f"<{type(self).__name__} of {self.loaded.scenario.id}:{rows}>"

    def _repr_html_(self) -> str:
        parts = [html_table(self.summary(), f"{self.kind}: {self.loaded.scenario.id}")]
        figure = self.figure()
        if figure is not None:
            parts.append(figure.to_html(full_html=False, include_plotlyjs="cdn"))
        return "\n".join(parts)


class FrontierTable:
    """The Pareto frontier of an analysis: one row per listed package."""

    def __init__(self, frontier: Frontier, problem: BargainingProblem) -> None:
        self.frontier = frontier
        self.problem = problem

    def __len__(self) -> int:
        return self.frontier.size

    def records(self) -> list[dict[str, Any]]:
        """One flat record per package: ``u_<party>`` utilities, then the option of each issue."""
        rows = []
        for e in range(self.frontier.size):
            entry = self.frontier.entry_dict(self.problem, e)
            rows.append(
                {
                    **{f"u_{party}": u for party, u in entry["utilities"].items()},
                    **entry["package"],
                }
            )
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The frontier as a pandas DataFrame (``pip install 'ceasefire[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError as error:
            raise ImportError(
                "to_frame needs pandas: install the extra with `pip install 'ceasefire[pandas]'`"
            ) from error
        return pd.DataFrame.from_records(self.records())

    def __repr__(self) -> str:
        f = self.frontier
        return (
            f"<FrontierTable: {counted(f.package_total, 'Pareto-optimal package')}, "
            f"{f.size:,} listed, {counted(f.n_points, 'distinct utility point')}>"
        )


LEAN_GRID = 0.5
"""The notebook's utility space shows one frontier point per cell of this many utility points."""

LEAN_HOVER = 300
"""A set of more points than this shows only utilities when hovered in the notebook's figure."""


def lean_frontier(entries: list[dict[str, Any]], a: str, b: str) -> list[dict[str, Any]]:
    """One entry per :data:`LEAN_GRID` cell of the utilities of ``a`` and ``b``: what the eye sees
    of a frontier of thousands of packages, in a small fraction of its bytes."""
    kept: dict[tuple[int, int], dict[str, Any]] = {}
    for entry in entries:
        u = entry["utilities"]
        cell = (round(u[a] / LEAN_GRID), round(u[b] / LEAN_GRID))
        kept.setdefault(cell, {"utilities": {a: u[a], b: u[b]}, "package": entry["package"]})
    return list(kept.values())


class AnalysisResult(Result):
    """``analyze``: reservation values, the zone of possible agreement and the chosen packages."""

    kind = "analyze"
    figure_name = "utility_space"

    def figure(self) -> Figure | None:
        """The utility space of the report, with lean data: one frontier point per small cell of
        the two axes, and packages in the hover text only where the points are few."""
        from ceasefire.report.figures import main_pair, utility_space

        d = self.document
        a, b = main_pair(d)
        lean = {
            **d,
            "frontier": lean_frontier(d.get("frontier") or [], a, b),
            "zopa": {**d["zopa"], "frontier": lean_frontier(d["zopa"].get("frontier") or [], a, b)},
        }
        return utility_space(lean, self.loaded.scenario, hover_packages=LEAN_HOVER)

    @property
    def analysis(self) -> Analysis:
        analysis: Analysis = self.outcome.result
        return analysis

    @property
    def frontier(self) -> FrontierTable:
        """The frontier of the whole package space (``.to_frame()`` for a DataFrame)."""
        return FrontierTable(self.analysis.frontier, self.analysis.problem)

    @property
    def zopa(self) -> FrontierTable:
        """The frontier of the packages every party that must agree prefers to no deal."""
        return FrontierTable(self.analysis.zopa.frontier, self.analysis.problem)

    @property
    def solutions(self) -> dict[str, dict[str, Any] | None]:
        """The package each solution concept picks (None where it picks none)."""
        return {name: solution["package"] for name, solution in self.document["solutions"].items()}

    def summary(self) -> list[Row]:
        d = self.document
        veto = [p["id"] for p in d["parties"] if p["veto"]]
        rows = [
            ("packages", _number(d["scenario"]["packages_total"])),
            (
                "reservation (veto parties)",
                ", ".join(f"{self.labels.party(p)} {d['reservation'][p]:.1f}" for p in veto),
            ),
            ("zone of agreement", "exists" if d["zopa"]["exists"] else "none"),
        ]
        nash = d["solutions"].get("nash")
        if nash is not None:
            rows.append(("Nash package", self._package(nash["package"])))
        ripeness = d.get("ripeness")
        if ripeness is not None:
            first = ripeness["first_ripe_month"]
            rows.append(("first ripe month", "none" if first is None else str(first)))
        return rows


class ExplainResult(Result):
    """``explain``: margins, binding constraints, the binding party and break-even values."""

    kind = "explain"

    def summary(self) -> list[Row]:
        d = self.document
        zone = d["zone"]
        rows: list[Row] = [
            (
                "zone of agreement",
                counted(zone["packages"], "package") if zone["exists"] else "none",
            ),
            (
                "binding party",
                f"{self.labels.party(d['binding_party']['party'])} "
                f"({d['binding_party']['measure']})",
            ),
        ]
        binding = [c for c in d["constraints"] if c["binds"]]
        if binding:
            top = binding[0]
            what = f"{self.labels.party(top['party'])}'s " + (
                f"red line on {self.labels.issue(top['issue'])}"
                if top["kind"] == "red_line"
                else "value of no deal"
            )
            rows.append(("most binding constraint", what))
        rows.append(("holds under", d["assumptions"]["holds_under"]))
        return rows


class WarResult(Result):
    """``war``: monthly quantiles of territory, casualties, outlays and escalation."""

    kind = "war"
    figure_name = "war_fans"

    def summary(self) -> list[Row]:
        d = self.document
        last = d["month_index"][-1]
        territory = d["territory"]
        parameters = d["provenance"].get("parameters", {})
        return [
            ("months", str(last + 1)),
            ("samples", _number(parameters.get("samples"))),
            (
                f"territory at month {last}",
                f"{territory['p50'][last]:.3g} ({territory['p5'][last]:.3g}–"
                f"{territory['p95'][last]:.3g})",
            ),
            (f"P(escalation) by month {last}", f"{d['p_escalation'][last]:.1%}"),
        ]


class RobustResult(Result):
    """``robust``: how likely each candidate package is acceptable to every party that must agree."""

    kind = "robust"
    figure_name = "robustness_bars"

    def figure(self) -> Figure | None:
        from ceasefire.report import figures
        from ceasefire.scenario import utility as su

        status_quo = {"package": su.status_quo_package(self.loaded.scenario)}
        return figures.robustness_bars(
            {"robust": {**self.document, "status_quo": status_quo}}, self.loaded.scenario
        )

    def summary(self) -> list[Row]:
        d = self.document
        most = d["most_robust"]
        return [
            ("samples", _number(d["samples"])),
            ("P(zone of agreement)", f"{d['p_zopa']:.3f}"),
            ("most robust package", "—" if most is None else self._package(most["package"])),
            ("its P(acceptable)", "—" if most is None else f"{most['p_acceptable']:.3f}"),
        ]


class ScoreResult(Result):
    """``score``: each real proposal, who accepts it, what blocks it and the smallest fix."""

    kind = "score"

    def summary(self) -> list[Row]:
        rows = []
        for entry in self.document["proposals"]:
            rejects = [
                self.labels.party(p) for p, s in entry["parties"].items() if s["accepts"] is False
            ]
            edit = entry["minimal_edit"]
            fix = "none possible" if edit is None else counted(edit["issues_changed"], "issue")
            verdict = "accepted" if entry["accepted"] else f"rejected by {', '.join(rejects)}"
            rows.append(
                (entry["id"], f"{verdict}; P(all accept) {entry['p_accepted']:.3f}; edit: {fix}")
            )
        return rows

    def to_frame(self) -> pd.DataFrame:
        """One row per proposal and party: utility, margin, accepts, p_accepts."""
        import pandas as pd

        rows = [
            {"proposal": entry["id"], "party": party, **score}
            for entry in self.document["proposals"]
            for party, score in entry["parties"].items()
        ]
        return pd.DataFrame(rows)


class SensitivityResult(Result):
    """``sensitivity``: which inputs move the answer most."""

    kind = "sensitivity"
    figure_name = "sensitivity_tornado"

    def figure(self) -> Figure | None:
        return None if self.document["method"] != "oat" else super().figure()

    def summary(self) -> list[Row]:
        d = self.document
        rows = [
            ("method", d["method"]),
            ("inputs", _number(len(d["inputs"]))),
            ("evaluations", _number(d["evaluations"])),
        ]
        for output, ranked in (d.get("tornado") or d.get("sobol") or {}).items():
            if ranked:
                rows.append(
                    (
                        f"moves {output} most",
                        input_label(str(ranked[0]["input"]), self.loaded.scenario),
                    )
                )
                break
        return rows


class MediationResult(Result):
    """``mediate``: the cheapest offer of side payments that opens a zone of agreement."""

    kind = "mediate"

    def summary(self) -> list[Row]:
        d = self.document
        rows = [
            ("possible offers", _number(d["offers"])),
            ("zone without an offer", "exists" if d["without_offer"]["zopa"]["exists"] else "none"),
        ]
        for purpose in ("cheapest", "budget"):
            entry = d.get(purpose)
            if entry is not None:
                offer = entry["offer"]
                rows.append(
                    (
                        f"{purpose} offer",
                        "none"
                        if offer is None
                        else f"{self._package(offer)} (cost {_number(entry['cost'])})",
                    )
                )
        return rows


class NegotiationResult(Result):
    """``negotiate``: the transcript of one simulated negotiation and its outcome."""

    kind = "negotiate"
    figure_name = "negotiation_path"

    def summary(self) -> list[Row]:
        d = self.document
        agreement = d["agreement"]
        return [
            ("protocol", str(d["protocol"])),
            ("offers made", _number(len(d["transcript"]))),
            (
                "agreement",
                "none (breakdown)"
                if agreement is None
                else self._package(
                    agreement.get("package") if isinstance(agreement, dict) else None
                ),
            ),
        ]


class TournamentResult(Result):
    """``tournament``: strategies ranked by the mean gain of the parties that played them."""

    kind = "tournament"

    def summary(self) -> list[Row]:
        d = self.document
        ranking = d["ranking"]
        return [
            ("assignments", _number(len(d["assignments"]))),
            ("agreement rate", f"{d['agreement_rate']:.0%}"),
            ("best strategy", ranking[0]["strategy"] if ranking else "—"),
        ]


class DivisionResult(Result):
    """``divide``: Adjusted Winner between the two belligerents."""

    kind = "divide"

    def figure(self) -> Figure | None:
        from ceasefire.report.method_figures import division_shares

        return division_shares(self.document)

    def summary(self) -> list[Row]:
        d = self.document
        totals = d["totals"]
        return [
            ("parties", " and ".join(d["parties"])),
            ("split item", d["split"] or "none"),
            ("points each", ", ".join(f"{p} {totals[p]:.2f}" for p in d["parties"])),
            (
                "properties",
                ", ".join(
                    f"{k.replace('_', ' ')}: {_number(v)}" for k, v in d["properties"].items()
                ),
            ),
        ]


class ForecastResult(Result):
    """``forecast``: where the positions on one issue move, round by round."""

    kind = "forecast"

    def figure(self) -> Figure | None:
        from ceasefire.report.forecast_figures import forecast_positions

        return forecast_positions(self.document)

    def summary(self) -> list[Row]:
        d = self.document
        last = d["rounds"]
        scale = d.get("scale") or {}
        return [
            ("issue", str(scale.get("issue", d["source"]))),
            ("actors", _number(len(d["actors"]))),
            ("rounds", _number(last)),
            (f"median at round {last}", _number(d["median"][last], 4)),
            (f"mean at round {last}", _number(d["mean"][last], 4)),
        ]


class StabilityResult(Result):
    """``stability``: which states are stable for each decision maker, and the equilibria."""

    kind = "stability"

    def figure(self) -> Figure | None:
        from ceasefire.report.stability_figures import state_transition_graph

        return state_transition_graph(self.document)

    def summary(self) -> list[Row]:
        d = self.document
        rows = [
            ("decision makers", ", ".join(dm["id"] for dm in d["decision_makers"])),
            ("states", _number(len(d["states"]))),
        ]
        for concept, states in d["equilibria"].items():
            rows.append((f"{concept.upper()} equilibria", ", ".join(map(str, states)) or "none"))
        return rows


class BacktestResult(Result):
    """``backtest``: the model run forward from ``as_of``, scored against what happened."""

    kind = "backtest"

    def summary(self) -> list[Row]:
        rows: list[Row] = []
        for case in self.document["cases"]:
            agreed = case.get("agreement_month")
            rows.append(
                (
                    case["id"],
                    f"first ripe month {_number(case['first_ripe_month'])}, agreement "
                    f"{'none' if agreed is None else f'month {agreed}'}, Brier "
                    f"{_number(case['brier'])} (base rate "
                    f"{_number(case['brier_baseline']['base_rate'])})",
                )
            )
        return rows


RESULTS: dict[str, type[Result]] = {
    cls.kind: cls
    for cls in (
        AnalysisResult,
        ExplainResult,
        WarResult,
        RobustResult,
        ScoreResult,
        SensitivityResult,
        MediationResult,
        NegotiationResult,
        TournamentResult,
        DivisionResult,
        ForecastResult,
        StabilityResult,
        BacktestResult,
    )
}


def result_of(outcome: Outcome) -> Result:
    """The front door's result object for a run of the registry."""
    return RESULTS.get(outcome.kind, Result)(outcome)
