"""The key answer of a report, first thing a reader sees: which package each solution concept
picks (in option labels), each party's margin over its value of no deal, the caveats under which
that holds; the report shows the ``basis`` the scenario gives for the numbers behind it next to
it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ceasefire.report.figures import (
    Doc,
    _finite,
    chosen_packages,
    concept_title,
    party_names,
    veto_parties,
)
from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import number, package_text


def key_answer(doc: Doc, scenario: Scenario) -> dict[str, Any] | None:
    """``{parties, rows, no_deal, caveats}`` for a document with solutions; else None (the
    basis of its numbers is the report's one basis table,
    :func:`ceasefire.diagnostics.assumptions.headline_basis`, shown beside it).

    Each row is one package (solution concepts that pick the same one share a row): its
    concepts, its changes from the status quo, and each veto party's utility and margin over its
    value of no deal (negative: the party would rather fight on or walk away).
    """
    chosen = chosen_packages(doc)
    if not chosen:
        return None
    veto = veto_parties(doc)
    names = party_names(doc, scenario)
    reservation = doc.get("reservation") or {}
    status_quo = (doc.get("status_quo") or {}).get("package") or {}
    groups: dict[str, list[str]] = {}
    for concept, solution in chosen.items():
        groups.setdefault(repr(sorted(solution["package"].items())), []).append(concept)
    rows = []
    for concepts in groups.values():
        solution = chosen[concepts[0]]
        cells = []
        for party in veto:
            u = _finite(solution["utilities"].get(party))
            r = _finite(reservation.get(party))
            margin = u - r if u is not None and r is not None else None
            cells.append(
                {
                    "utility": number(u),
                    "margin": number(margin, sign=True),
                    "short": margin is not None and margin < 0,
                }
            )
        rows.append(
            {
                "concepts": [concept_title(c, short=True) for c in concepts],
                "package": package_text(scenario, solution["package"], status_quo),
                "cells": cells,
            }
        )
    return {
        "parties": [names.get(p, p) for p in veto],
        "rows": rows,
        "no_deal": [number(_finite(reservation.get(p))) for p in veto],
        "caveats": caveats(doc, scenario),
    }


def caveats(doc: Doc, scenario: Scenario) -> list[str]:
    """Under which assumptions the key answer holds, in sentences."""
    result = [
        f"Utilities (0–100) are the scenario's weights and values as of {scenario.as_of}: "
        "judgements with the sources below, not measurements.",
        "Red lines are hard: a package that crosses one is never acceptable to that party.",
    ]
    if scenario.war is not None:
        war = doc.get("war")
        samples = (war.get("samples") if isinstance(war, Mapping) else None) or (
            doc.get("provenance") or {}
        ).get("parameters", {}).get("samples")
        over = f" over {samples:,} samples" if isinstance(samples, int) else ""
        result.append(
            "Each value of no deal is the war model's median value of fighting on from month 0"
            f"{over}: the outcome of the war less its costs, by the cost weights below."
        )
    else:
        result.append("Each value of no deal is the scenario's fixed one (below).")
    if doc.get("commitment") or scenario.commitment is not None:
        result.append(
            "Utilities are effective ones: discounted for the chance that a party reneges."
        )
    ties = [c for c, s in chosen_packages(doc).items() if s.get("ties")]
    if ties:
        result.append(
            "Some concepts tie between packages ("
            + ", ".join(concept_title(c, short=True) for c in ties)
            + "): the table shows the first; the JSON lists the others."
        )
    return result
