"""The tables of a run page, read from a stored run: key numbers, transcript, robustness,
and what changed since the run it was derived from."""

from __future__ import annotations

from typing import Any

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


def transcript(run: RunRow) -> dict[str, Any] | None:
    """A negotiation's transcript as table rows: what each offer changes, and who accepted."""
    document = run.result if run.status == "done" else None
    if not document or not isinstance(document.get("transcript"), list):
        return None
    veto = list(document.get("veto_parties") or [])
    rows = []
    previous: dict[str, Any] = {}
    for turn in document["transcript"]:
        before = previous.get(turn["proposer"], {})
        changes = [
            f"{issue}={value:g}" if isinstance(value, float) else f"{issue}={value}"
            for issue, value in turn["package"].items()
            if before.get(issue) != value
        ]
        previous[turn["proposer"]] = turn["package"]
        rows.append(
            {
                "round": turn["round"],
                "month": turn.get("month"),
                "proposer": turn["proposer"],
                "changes": ", ".join(changes) if before else "first offer: " + ", ".join(changes),
                "utilities": [turn["utilities"].get(p) for p in veto],
                "reservation": [turn["reservation"].get(p) for p in veto],
                "accepted": [p for p, r in (turn.get("responses") or {}).items() if r == "accept"],
                "agreed": turn.get("agreed", False),
            }
        )
    return {"veto": veto, "rows": rows, "war": bool(document.get("war"))}


def robust_table(run: RunRow) -> dict[str, Any] | None:
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
        changes = [
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in row["package"].items()
            if status_quo.get(k) != v
        ]
        picks = chosen.get(repr(row["package"]), {})
        rows.append(
            {
                "changes": ", ".join(changes) or "(the status quo)",
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


def comparison(run: RunRow, parent: RunRow, scenario: Any) -> dict[str, Any]:
    """What changed between a run and the run it was derived from."""
    changes = {
        path: (parent.changes.get(path), value)
        for path, value in run.changes.items()
        if parent.changes.get(path) != value
    }
    return {
        "changes": changes,
        "before": summary(parent, scenario) if parent.status == "done" else None,
        "after": summary(run, scenario) if run.status == "done" else None,
    }
