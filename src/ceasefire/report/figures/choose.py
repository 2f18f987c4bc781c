"""Which figures a document supports, with their captions, in reading order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ceasefire.report.figures.common import (
    Doc,
    Figure,
    chosen_packages,
    one_number_format,
    section,
    veto_parties,
)
from ceasefire.report.figures.issues import issue_comparison
from ceasefire.report.figures.negotiation import has_negotiation, negotiation_path
from ceasefire.report.figures.robustness import robustness_bars
from ceasefire.report.figures.sensitivity import sensitivity_tornado, tornado_rows
from ceasefire.report.figures.utility import utility_parallel, utility_space
from ceasefire.report.figures.war import ripeness, war_fans, war_series
from ceasefire.scenario import Scenario

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


def _durability() -> Any:
    from ceasefire.report import durability

    return durability


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
        "durability",
        "For each solution concept's package, the probability that it holds 12, 36 and 60 months.",
        lambda d, s: _durability().durability_bars(d, s),
        lambda d: _durability().has_durability(d),
    ),
    FigureSpec(
        "war_fans",
        "Monte Carlo fan charts of the war going on: medians, 25–75% and 5–95% bands.",
        war_fans,
        lambda d: war_series(d) is not None,
    ),
    FigureSpec(
        "ripeness",
        "By month: how much room there is for a deal (the best package's margin over the "
        "tightest value of no deal, median and 5–95% band over the Monte Carlo samples; below "
        "zero there is no zone), the share of samples in which some package is acceptable to "
        "all, and each party's value of no deal.",
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
    return {
        spec.name: (spec, one_number_format(spec.build(doc, scenario)))
        for spec in FIGURES
        if spec.supports(doc)
    }
