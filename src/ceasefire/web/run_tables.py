"""The tables of a run page, read from a stored run: key numbers, transcript, robustness,
and what changed since the run it was derived from."""

from __future__ import annotations

from typing import Any

from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import package_changes, package_text
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
