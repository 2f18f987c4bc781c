"""Which constraints bind: the zone of agreement without each red line and each value of no deal.

A package is acceptable when it crosses no veto party's red line and gives every veto party at
least its value of no deal [Raiffa1982]. For each of these constraints in turn, the zone is
computed again without it (a red line: that party's excluded options on that issue are allowed
again; a value of no deal: that party accepts any package that crosses no red line), and compared
with the zone as it is: does a zone appear, how many Pareto-optimal acceptable packages it adds,
and how the Nash package [Nash1950] moves (the issues it changes, each veto party's utility, also
as a share of its own range). Constraints are ranked: those whose removal opens a closed zone
first, then by the packages added, then by how far the Nash package moves. A constraint whose
removal changes nothing does not bind.

This is the comparative statics of one constraint at a time; two red lines that each suffice to
close the zone do not show as binding alone (the output says so when no single removal opens it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.problem import BargainingProblem, BoolArray
from ceasefire.bargaining.solutions import solve
from ceasefire.diagnostics.margins import Baseline

IndexArray = npt.NDArray[np.intp]

NO_RESERVATION = -1e5
"""A value of no deal below every utility: the party accepts whatever crosses no red line."""


@dataclass(frozen=True)
class RedLine:
    """One veto party's red line on one issue: the options it excludes."""

    party: str
    issue: str
    issue_index: int
    excluded: BoolArray


@dataclass(frozen=True)
class Zone:
    """A zone of agreement in brief: whether it exists, its size and its Nash package."""

    exists: bool
    packages: int
    nash: IndexArray | None
    reason: str | None = None


def red_lines_of(problem: BargainingProblem, masks: dict[str, list[BoolArray]]) -> list[RedLine]:
    """The red lines of the veto parties (``masks``: per party, per issue, options it excludes)."""
    out = []
    for i in problem.veto_indices:
        party = problem.parties[int(i)]
        for k, excluded in enumerate(masks.get(party, [])):
            if excluded.any():
                out.append(RedLine(party, problem.issues[k], k, excluded))
    return out


def _bargain(base: Baseline, problem: BargainingProblem) -> Any:
    if base.effective is None:
        return problem
    return replace(base.effective, problem=problem, _memo={})


def zone_of(bargain: Any) -> Zone:
    """The zone of a bargaining problem or an effective problem (deals that may break down)."""
    zopa = bargain.zopa()
    if not zopa.exists:
        return Zone(False, 0, None, zopa.reason)
    problem = bargain.problem if hasattr(bargain, "effective_units") else bargain
    nash = solve(problem, "nash", zopa=zopa)
    return Zone(True, int(zopa.frontier.package_total), nash.package)


def without_red_line(
    base: Baseline, masks: dict[str, list[BoolArray]], red: RedLine
) -> BargainingProblem:
    """The problem with one party's red line on one issue lifted (others' red lines stay)."""
    problem = base.problem
    forbidden = list(problem.forbidden)
    mask = np.zeros_like(red.excluded)
    for i in problem.veto_indices:
        party = problem.parties[int(i)]
        if party != red.party and party in masks:
            mask |= masks[party][red.issue_index]
    forbidden[red.issue_index] = mask
    return replace(problem, forbidden=tuple(forbidden))


def without_reservation(base: Baseline, party: int) -> BargainingProblem:
    """The problem with one party's value of no deal removed."""
    r = base.problem.reservation.copy()
    r[party] = NO_RESERVATION
    return base.problem.with_reservation(r)


def _nash_move(base: Baseline, before: Zone, after: Zone) -> dict[str, Any] | None:
    if after.nash is None:
        return None
    problem = base.problem
    changed: dict[str, dict[str, Any]] = {}
    if before.nash is not None:
        for k, issue in enumerate(problem.issues):
            if before.nash[k] != after.nash[k]:
                changed[issue] = {
                    "from": problem.options[k][int(before.nash[k])],
                    "to": problem.options[k][int(after.nash[k])],
                }
    else:
        changed = {
            issue: {"from": None, "to": problem.options[k][int(after.nash[k])]}
            for k, issue in enumerate(problem.issues)
        }
    u_after = base.utility(after.nash)
    utilities: dict[str, Any] = {}
    shift = 0.0
    for i in problem.veto_indices:
        party = problem.parties[int(i)]
        span = float(base.ideal[i] - base.reservation[i])
        entry: dict[str, Any] = {"utility": round(float(u_after[i]), 9)}
        if before.nash is not None:
            delta = float(u_after[i] - base.utility(before.nash)[i])
            entry["change"] = round(delta, 9)
            if span > 1e-12:
                entry["change_share"] = round(delta / span, 9)
                shift += abs(delta / span)
        utilities[party] = entry
    return {
        "package": problem.package_dict(after.nash),
        "changes": changed,
        "utilities": utilities,
        "shift": round(shift, 9),
    }


def binding_constraints(
    base: Baseline, masks: dict[str, list[BoolArray]], zone: Zone | None = None
) -> dict[str, Any]:
    """Every veto party's red lines and values of no deal, each lifted alone, ranked.

    JSON-ready: ``{"zone": {...}, "constraints": [...], "opens_alone": bool}``.
    """
    problem = base.problem
    before = zone_of(_bargain(base, problem)) if zone is None else zone
    rows: list[dict[str, Any]] = []
    for red in red_lines_of(problem, masks):
        after = zone_of(_bargain(base, without_red_line(base, masks, red)))
        options = [problem.options[red.issue_index][o] for o in np.flatnonzero(red.excluded)]
        rows.append(
            _row(
                base,
                before,
                after,
                {"kind": "red_line", "party": red.party, "issue": red.issue, "excluded": options},
            )
        )
    for i in problem.veto_indices:
        if not math.isfinite(float(problem.reservation[i])):
            continue
        after = zone_of(_bargain(base, without_reservation(base, int(i))))
        rows.append(
            _row(
                base,
                before,
                after,
                {
                    "kind": "reservation",
                    "party": problem.parties[int(i)],
                    "value": round(float(problem.reservation[i]), 9),
                },
            )
        )
    rows.sort(
        key=lambda r: (
            not r["opens_zone"],
            -r["packages_added"],
            -((r.get("nash") or {}).get("shift") or 0.0),
            r["kind"],
            r["party"],
            r.get("issue", ""),
        )
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return {
        "zone": {"exists": before.exists, "packages": before.packages, "reason": before.reason},
        "constraints": rows,
        "opens_alone": (not before.exists) and any(r["opens_zone"] for r in rows),
    }


def _row(base: Baseline, before: Zone, after: Zone, head: dict[str, Any]) -> dict[str, Any]:
    nash = _nash_move(base, before, after)
    moved = bool(nash and (nash["changes"] or before.nash is None))
    return {
        **head,
        "opens_zone": (not before.exists) and after.exists,
        "zone_without": after.exists,
        "packages_without": after.packages,
        "packages_added": after.packages - before.packages,
        "binds": (after.exists != before.exists) or after.packages != before.packages or moved,
        "nash": nash,
    }
