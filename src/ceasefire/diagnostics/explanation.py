"""Why the answer is what it is: margins, binding constraints, break-even values, assumptions.

:func:`explain` composes :mod:`~ceasefire.diagnostics.margins` (each party's margin over its
value of no deal and the issues that make it, for the zone as a whole and for chosen packages),
:mod:`~ceasefire.diagnostics.constraints` (each red line and value of no deal lifted alone),
:mod:`~ceasefire.diagnostics.scale_free` (the binding party, unchanged by rescaling a party's
utilities), :mod:`~ceasefire.diagnostics.break_even` (where each input opens or closes the zone)
and :mod:`~ceasefire.diagnostics.assumptions` (under which assumptions all this holds) into one
JSON document, the one ``ceasefire explain --json`` prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from ceasefire.bargaining.minimal_edit import package_indices
from ceasefire.bargaining.slack import red_line_free
from ceasefire.defaults import SENSITIVITY_WAR_SAMPLES
from ceasefire.diagnostics.assumptions import assumptions
from ceasefire.diagnostics.constraints import NO_RESERVATION, binding_constraints
from ceasefire.diagnostics.margins import (
    Baseline,
    baseline,
    package_margins,
    red_line_masks,
)
from ceasefire.diagnostics.scale_free import MEASURE, MEASURE_TEXT, shares
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario

Progress = Callable[[int, int, str], None]


def _without_beliefs(loaded: LoadedScenario) -> LoadedScenario:
    """The scenario without its belief sections: they do not change the zone, only what the
    analysis reports beside it (and they take long)."""
    scenario = loaded.scenario.model_copy(
        update={"beliefs": None, "learning": None, "private": None}
    )
    return replace(loaded, scenario=scenario)


def _balanced(base: Baseline, frontier: Any) -> tuple[np.ndarray[Any, Any] | None, Any]:
    """The max–min package of scale-free margins on ``frontier``, and the shares there."""
    if frontier.size == 0:
        return None, None
    veto = base.problem.veto_indices
    u = np.asarray(frontier.utilities, dtype=np.float64)[:, veto]
    top = np.maximum(base.ideal[veto], u.max(axis=0))
    m = shares(u, base.reservation[veto][None, :], top[None, :])
    worst = m.min(axis=1)
    e = int(np.argmax(worst))
    return frontier.packages[e], m[e]


def _free_frontier(base: Baseline) -> Any:
    """The Pareto frontier of the packages that cross no red line, values of no deal ignored."""
    if base.effective is None:
        return red_line_free(base.problem).frontier(acceptable_only=True)
    veto = np.asarray(base.problem.veto)
    free = base.effective.with_reservation(np.where(veto, NO_RESERVATION, np.nan))
    return free.frontier(acceptable_only=True)


def _zone(base: Baseline, zopa: Any) -> dict[str, Any]:
    """Each veto party's margin over the zone: the least and the most any Pareto-optimal
    acceptable package gives it, in points and as a share of its own range."""
    problem = base.problem
    out: dict[str, Any] = {}
    if not zopa.exists:
        return out
    u = np.asarray(zopa.frontier.utilities, dtype=np.float64)
    for i in problem.veto_indices:
        r = float(base.reservation[i])
        top = float(max(base.ideal[i], u[:, i].max()))
        low, high = float(u[:, i].min() - r), float(u[:, i].max() - r)
        span = top - r
        out[problem.parties[int(i)]] = {
            "margin": {"least": round(low, 9), "most": round(high, 9)},
            "share": {"least": round(low / span, 9), "most": round(high / span, 9)}
            if span > 1e-12
            else None,
        }
    return out


def explain(
    loaded: LoadedScenario,
    *,
    samples: int | None = None,
    seed: int | None = None,
    package: Mapping[str, Any] | None = None,
    break_even: bool = True,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The explanation document of a scenario (``ceasefire explain --json``).

    ``samples`` and ``seed``: the war model's, as in ``analyze`` (break-even values rerun the war
    model on ``samples`` samples, default 1,000); ``package``: a package to explain as well
    (``{issue: option}``, every issue), with the other explained packages given its smallest edit
    that every veto party accepts; ``break_even=False`` leaves out the break-even values.
    """
    from ceasefire.analysis import analyze

    plain = _without_beliefs(loaded)
    analysis = analyze(plain, samples=samples, seed=seed)
    if progress is not None:
        progress(1, 2, "analysis")
    scenario = loaded.scenario
    effective = analysis.commitment.effective if analysis.commitment is not None else None
    base = baseline(scenario, analysis.problem, effective)
    problem = base.problem
    zopa = analysis.zopa

    packages: list[dict[str, Any]] = []
    seen: list[tuple[int, ...]] = []

    def add(label: str, pk: Any, what: str) -> None:
        key = tuple(int(x) for x in pk)
        if key in seen:
            entry = packages[seen.index(key)]
            entry["labels"].append(label)
            entry["what"] += f"; also {what}"
            return
        seen.append(key)
        packages.append(
            {
                "labels": [label],
                "what": what,
                "package": problem.package_dict(pk),
                "acceptable": bool(
                    (effective if effective is not None else problem).acceptable(pk)[0]
                ),
                "parties": package_margins(base, pk),
            }
        )

    for name, solution in analysis.solutions.items():
        if solution.package is not None:
            add(name, solution.package, "the package this solution concept picks")
    if zopa.exists:
        pk, m = _balanced(base, zopa.frontier)
        where = "the zone"
    else:
        pk, m = _balanced(base, _free_frontier(base))
        where = "the packages that cross no red line (the nearest miss)"
        if pk is None:
            whole = effective.frontier() if effective is not None else problem.frontier()
            pk, m = _balanced(base, whole)
            where = "all packages, red lines ignored (every package crosses one)"
    binding: dict[str, Any] = {"measure": MEASURE, "text": MEASURE_TEXT, "party": None}
    if pk is not None:
        add("max_min_share", pk, f"the max–min package of scale-free margins in {where}")
        veto = problem.veto_indices
        j = int(np.argmin(m))
        binding.update(
            {
                "party": problem.parties[int(veto[j])],
                "over": where,
                "package": problem.package_dict(pk),
                "shares": {
                    problem.parties[int(i)]: round(float(x), 9)
                    for i, x in zip(veto, m, strict=True)
                },
            }
        )
    if package is not None:
        add("given", package_indices(problem, package), "the package asked about")

    _minimal_edits(packages, effective if effective is not None else problem, zopa.exists)
    constraints = binding_constraints(base, red_line_masks(scenario))
    if progress is not None:
        progress(2, 2, "analysis")
    document: dict[str, Any] = {
        "provenance": Provenance(
            scenario_sha256=loaded.sha256,
            seed=analysis.provenance.seed,
            parameters={"samples": samples} if scenario.war is not None else {},
        ).to_dict(),
        "scenario": {"id": scenario.id, "as_of": scenario.as_of.isoformat()},
        "assumptions": assumptions(scenario),
        "utilities": "effective (deals may break down)" if effective is not None else "nominal",
        "veto_parties": [problem.parties[int(i)] for i in problem.veto_indices],
        "zone": {
            "exists": zopa.exists,
            "reason": zopa.reason,
            "packages": int(zopa.frontier.package_total),
            "closed_by": [
                _constraint_brief(r) for r in constraints["constraints"] if r["opens_zone"]
            ],
            "parties": _zone(base, zopa),
        },
        "binding_party": binding,
        "packages": packages,
        "constraints": constraints["constraints"],
    }
    if break_even:
        from ceasefire.diagnostics.break_even import break_even_values

        document["break_even"] = break_even_values(
            plain,
            seed=0 if seed is None else seed,
            war_samples=SENSITIVITY_WAR_SAMPLES if samples is None else samples,
            progress=progress,
        )
    return document


def _minimal_edits(packages: list[dict[str, Any]], bargain: Any, zone: bool) -> None:
    """Each explained package's smallest edit that every veto party accepts
    (:mod:`ceasefire.bargaining.minimal_edit`: fewest issues changed, then the least loss to the
    veto parties together). Without a zone no edit can help: ``None``, and the note says so."""
    from ceasefire.bargaining.minimal_edit import SearchTooLarge, minimal_edit
    from ceasefire.scoring import MAX_EDIT_SUBSETS

    for entry in packages:
        if not zone:
            entry["minimal_edit"] = None
            entry["minimal_edit_note"] = "no package is acceptable, so no edit makes this one so"
            continue
        try:
            edit = minimal_edit(bargain, entry["package"], max_subsets=MAX_EDIT_SUBSETS)
        except SearchTooLarge as error:
            entry["minimal_edit"] = None
            entry["minimal_edit_note"] = str(error)
            continue
        entry["minimal_edit"] = None if edit is None else edit.to_dict()


def _constraint_brief(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("kind", "party", "issue", "excluded", "value")
    return {k: row[k] for k in keys if k in row}
