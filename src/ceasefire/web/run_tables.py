"""The tables of a run page, read from a stored run: key numbers, transcript, robustness,
and what changed since the run it was derived from."""

from __future__ import annotations

from typing import Any

from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import (
    input_label,
    number,
    package_changes,
    package_text,
)
from ceasefire.web.store import RunRow


def summary(run: RunRow, scenario: Any) -> dict[str, Any] | None:
    """Key numbers of a finished analyze run, for tables on the run page."""
    document = run.result if run.status == "done" else None
    if not document or "zopa" not in document:
        return None
    from ceasefire.report.figures import chosen_packages, concept_title, veto_parties

    veto = veto_parties(document)
    names = {p.id: p.name for p in scenario.parties}
    reservation = document.get("reservation") or {}
    status_quo = document.get("status_quo") or {}
    zopa = document.get("zopa") or {}
    rows = []
    for concept, solution in chosen_packages(document).items():
        rows.append(
            {
                "concept": concept_title(concept, short=True),
                "utilities": [solution["utilities"].get(p) for p in veto],
                "gains": [
                    (solution["utilities"].get(p) or 0) - (reservation.get(p) or 0)
                    if reservation.get(p) is not None
                    else None
                    for p in veto
                ],
                "ties": solution.get("ties", 0),
                "package": package_text(
                    scenario, solution["package"], status_quo.get("package") or {}
                ),
            }
        )
    return {
        "veto": [names.get(p, p) for p in veto],
        "veto_ids": veto,
        "reservation": [reservation.get(p) for p in veto],
        "status_quo": [(status_quo.get("utilities") or {}).get(p) for p in veto],
        "zopa_exists": bool(zopa.get("exists")),
        "zopa_size": zopa.get("frontier_size", len(zopa.get("frontier") or [])),
        "solutions": rows,
    }


def run_findings(run: RunRow, scenario: Any) -> list[str]:
    if run.status != "done":
        return []
    from ceasefire.report.findings import findings

    return findings(run.result or {}, scenario)


def transcript(run: RunRow, scenario: Scenario) -> dict[str, Any] | None:
    """A negotiation's transcript as table rows: what each offer changes (issue names and option
    labels), and who accepted (party names)."""
    document = run.result if run.status == "done" else None
    if not document or not isinstance(document.get("transcript"), list):
        return None
    veto = list(document.get("veto_parties") or [])
    names = {p.id: p.name for p in scenario.parties}
    rows = []
    previous: dict[str, Any] = {}
    for turn in document["transcript"]:
        before = previous.get(turn["proposer"])
        changes = package_changes(scenario, turn["package"], before)
        previous[turn["proposer"]] = turn["package"]
        accepted = [p for p, r in (turn.get("responses") or {}).items() if r == "accept"]
        rows.append(
            {
                "round": turn["round"],
                "month": turn.get("month"),
                "proposer": names.get(turn["proposer"], turn["proposer"]),
                "first": before is None,
                "changes": changes,
                "utilities": [turn["utilities"].get(p) for p in veto],
                "reservation": [turn["reservation"].get(p) for p in veto],
                "accepted": [names.get(p, p) for p in accepted],
                "agreed": turn.get("agreed", False),
            }
        )
    return {
        "veto": [names.get(p, p) for p in veto],
        "rows": rows,
        "war": bool(document.get("war")),
    }


def robust_table(run: RunRow, scenario: Scenario) -> dict[str, Any] | None:
    """A robustness run's candidates, most robust first, with how often each concept picks them."""
    document = run.result if run.status == "done" else None
    if not document:
        return None
    from ceasefire.report.figures import concept_title, has_robustness, robustness_rows

    if not has_robustness(document):
        return None
    concepts = list(document.get("concepts") or [])
    chosen = {repr(e["package"]): e.get("p_chosen", {}) for e in document.get("packages", [])}
    status_quo = (document.get("status_quo") or {}).get("package") or {}
    rows = []
    for row in reversed(robustness_rows(document)):
        picks = chosen.get(repr(row["package"]), {})
        rows.append(
            {
                "changes": package_text(scenario, row["package"], status_quo),
                "p": row["p_acceptable"],
                "stderr": row["stderr"],
                "most": row["most_robust"],
                "chosen": [picks.get(c) for c in concepts],
            }
        )
    return {
        "concepts": [concept_title(c, short=True) for c in concepts],
        "rows": rows,
        "samples": document.get("samples"),
        "p_zopa": document.get("p_zopa"),
        "assumptions": document.get("assumptions"),
    }


def comparison(run: RunRow, parent: RunRow, scenario: Any, before: Any) -> dict[str, Any]:
    """What changed between a run and the run it was derived from: each assumption whose value
    differs between the two scenario texts (``before`` is the parent's scenario), by its label,
    with the value each run used as its file gives it (a number, or a distribution)."""
    from ceasefire.web.whatif import knobs

    old = {knob.path: knob for knob in knobs(before)}
    new = {knob.path: knob for knob in knobs(scenario)}
    order = {path: index for index, path in enumerate(new)}
    changes = []
    for path in sorted(set(run.changes) | set(parent.changes), key=lambda p: order.get(p, -1)):
        after_knob, before_knob = new.get(path), old.get(path)
        if after_knob is None or before_knob is None:
            continue
        if after_knob.original == before_knob.original:
            continue  # asked for, but the value is the same: nothing changed
        changes.append(
            {
                "path": path,
                "label": after_knob.label,
                "before": before_knob.original,
                "after": after_knob.original,
            }
        )
    return {
        "changes": changes,
        "before": summary(parent, before) if parent.status == "done" else None,
        "after": summary(run, scenario) if run.status == "done" else None,
    }


def mediation_table(run: RunRow, scenario: Scenario) -> dict[str, Any] | None:
    """A mediation run: the zone without an offer, then each offer found (the cheapest that
    opens a zone, the best within a budget) with its side payments, cost, gains and package."""
    document = run.result if run.status == "done" else None
    if not document or "without_offer" not in document:
        return None
    names = {p.id: p.name for p in scenario.parties}
    veto = list(document.get("veto_parties") or [])
    payments = {p["id"]: p for p in document.get("side_payments") or []}

    def zone(block: Any) -> dict[str, Any]:
        zopa = (block or {}).get("zopa") or {}
        nash = zopa.get("nash") or {}
        return {
            "exists": bool(zopa.get("exists")),
            "packages": zopa.get("packages"),
            "package": package_text(scenario, nash["package"]) if nash.get("package") else None,
            "utilities": [_one(nash.get("utilities", {}).get(p)) for p in veto],
        }

    offers = []
    for key, title in (
        ("cheapest", "Cheapest offer that opens a zone"),
        ("budget", "Best offer within the budget"),
    ):
        block = document.get(key)
        if not isinstance(block, dict):
            continue
        offer = block.get("offer")
        items = []
        for payment_id, level in (offer or {}).items():
            payment = payments.get(payment_id, {})
            unit = f" {payment['unit']}" if payment.get("unit") else ""
            shown = number(level, None) + unit if isinstance(level, int | float) else str(level)
            items.append((payment.get("name", payment_id), shown.replace("_", " ")))
        offers.append(
            {
                "title": title + (f" ({number(block['budget'], None)})" if key == "budget" else ""),
                "found": offer is not None,
                "reason": block.get("reason"),
                "payments": items,
                "cost": number(block.get("cost"), None),
                "payers": [
                    f"{names.get(p, p)} {number(c, None)}"
                    for p, c in (block.get("cost_by_party") or {}).items()
                ],
                "gains": [_one(block.get("gains", {}).get(p), sign=True) for p in veto],
                "zone": zone(block),
            }
        )
    return {
        "veto": [names.get(p, p) for p in veto],
        "without": zone(document["without_offer"]),
        "offers": offers,
        "samples": document.get("samples"),
    }


def tournament_table(run: RunRow, scenario: Scenario) -> dict[str, Any] | None:
    """A tournament run: strategies ranked by mean gain, each with its 95% interval, and
    whether the next one down is told apart from it (their intervals do not overlap)."""
    document = run.result if run.status == "done" else None
    if not document or not isinstance(document.get("ranking"), list):
        return None
    names = {p.id: p.name for p in scenario.parties}
    rows = []
    ranking = document["ranking"]
    for index, row in enumerate(ranking):
        interval = row.get("mean_gain_ci")
        below = ranking[index + 1].get("mean_gain_ci") if index + 1 < len(ranking) else None
        apart = bool(interval and below and below[1] < interval[0])
        rows.append(
            {
                "rank": row.get("rank"),
                "strategy": str(row["strategy"]).replace("_", " "),
                "gain": _one(row.get("mean_gain")),
                "interval": f"{interval[0]:.1f} to {interval[1]:.1f}" if interval else "—",
                "apart": apart,
                "agreement": row.get("agreement_rate"),
                "rounds": _one(row.get("mean_rounds")),
                "negotiations": row.get("negotiations"),
            }
        )
    return {
        "rows": rows,
        "veto": [names.get(p, p) for p in document.get("veto_parties") or []],
        "runs": document.get("runs"),
        "rounds": document.get("rounds"),
        "protocol": document.get("protocol"),
        "agreement_rate": document.get("agreement_rate"),
    }


def sobol_table(run: RunRow, scenario: Scenario) -> dict[str, Any] | None:
    """A Sobol sensitivity run: first-order and total indices per output with their 95%
    intervals, each flagged unreliable when its interval is wider than the index itself (more
    samples are needed before reading it)."""
    document = run.result if run.status == "done" else None
    if not document or not isinstance(document.get("sobol"), dict):
        return None
    outputs = []
    unreliable = 0
    for output, rows in document["sobol"].items():
        shown = []
        for row in rows:
            cells = []
            for key in ("S1", "ST"):
                value, half = row.get(key), row.get(f"{key}_conf")
                bad = _unreliable(value, half)
                unreliable += bad
                cells.append(
                    {
                        "value": number(value, None),
                        "conf": "—" if half is None else f"± {number(half, None)}",
                        "unreliable": bad,
                    }
                )
            shown.append({"input": input_label(str(row.get("input")), scenario), "cells": cells})
        outputs.append(
            {"name": output, "meaning": (document.get("outputs") or {}).get(output), "rows": shown}
        )
    return {
        "outputs": outputs,
        "unreliable": unreliable,
        "samples": document.get("sobol_samples"),
    }


def _unreliable(value: Any, half: Any) -> bool:
    """Is a Sobol index's 95% interval (value ± half) wider than the index itself?"""
    if not isinstance(value, int | float) or not isinstance(half, int | float):
        return False
    return bool(2 * half > abs(value))


def _one(value: Any, *, sign: bool = False) -> str:
    """A utility or gain with one decimal, as every table writes it."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    return number(value, 1, sign=sign)
