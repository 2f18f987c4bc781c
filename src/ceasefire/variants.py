"""A batch of what-ifs: the scenario with each variant's numbers changed, analysed, and the
headline numbers side by side with the scenario's own.

A variant is a set of changes by path (:mod:`ceasefire.scenario.edit`, the paths of
``sensitivity`` and the web what-ifs). Each is analysed like ``ceasefire analyze`` with the same
options, so its headline numbers are those ``analyze --set`` prints for it. The headline numbers
are what a reader looks at first: whether a zone of agreement exists and how many packages it
holds, each veto party's value of no deal and utility of the Nash package, the issues on which the
Nash package differs from the scenario's own, and, where the scenario has them, the chance of a
zone at month 0, the first ripe month and the chance that the Nash package holds for five years.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ceasefire.scenario import LoadedScenario
from ceasefire.scenario.edit import with_values


def headline(document: Mapping[str, Any]) -> dict[str, Any]:
    """The headline numbers of an ``analyze`` document, by key (``nash.russia``, ...)."""
    veto = [p["id"] for p in document["parties"] if p["veto"]]
    zopa = document["zopa"]
    numbers: dict[str, Any] = {
        "zopa": bool(zopa["exists"]),
        "zopa_packages": zopa.get("frontier_size", len(zopa.get("frontier") or [])),
    }
    for party in veto:
        numbers[f"reservation.{party}"] = document["reservation"].get(party)
    nash = (document.get("solutions") or {}).get("nash")
    for party in veto:
        numbers[f"nash.{party}"] = (nash or {}).get("utilities", {}).get(party)
    ripeness = document.get("ripeness")
    if ripeness:
        numbers["p_zopa_month_0"] = ripeness["p_zopa"][0]
        numbers["first_ripe_month"] = ripeness.get("first_ripe_month")
    p_hold = ((document.get("commitment") or {}).get("p_hold") or {}).get("nash")
    if p_hold:
        numbers["nash_p_hold_60"] = p_hold.get("60")
    return numbers


def nash_package(document: Mapping[str, Any]) -> dict[str, Any] | None:
    """The Nash package of an ``analyze`` document (None without a zone of agreement, where the
    solution is ``{"package": null, "reason": ...}``)."""
    nash = (document.get("solutions") or {}).get("nash")
    package = None if nash is None else nash.get("package")
    return None if package is None else dict(package)


def run_variants(
    loaded: LoadedScenario,
    variants: Sequence[Mapping[str, float]],
    **options: Any,
) -> dict[str, Any]:
    """Analyse the scenario and each variant (``options`` as :func:`ceasefire.runs.run` takes for
    ``analyze``); the document ``ceasefire variants --json`` prints.

    Raises :class:`~ceasefire.scenario.edit.ChangeError` for a path a scenario does not have and
    :class:`~ceasefire.scenario.ScenarioError` for a change that makes it invalid, before anything
    is run.
    """
    from ceasefire.runs import run

    changed = [with_values(loaded, changes) for changes in variants]
    options = {"max_frontier": 0, "whole_frontier": False, **options}
    base = run("analyze", loaded, **options).document
    base_package = nash_package(base)
    rows = []
    for changes, scenario in zip(variants, changed, strict=True):
        document = run("analyze", scenario, **options).document
        package = nash_package(document)
        moved = (
            None
            if package is None or base_package is None
            else {k: v for k, v in package.items() if v != base_package.get(k)}
        )
        rows.append(
            {
                "changes": dict(changes),
                "scenario_sha256": scenario.sha256,
                "headline": headline(document),
                "nash_changes": moved,
            }
        )
    return {
        "provenance": base["provenance"],
        "scenario": base["scenario"]["id"],
        "options": {
            k: v for k, v in options.items() if k not in ("max_frontier", "whole_frontier")
        },
        "baseline": {"headline": headline(base), "nash_package": base_package},
        "variants": rows,
    }


def differences(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per variant and headline number that differs from the baseline: a tidy table."""
    base = document["baseline"]["headline"]
    rows = []
    for index, variant in enumerate(document["variants"], start=1):
        for key, value in variant["headline"].items():
            before = base.get(key)
            if value != before:
                delta = (
                    value - before
                    if isinstance(value, int | float)
                    and isinstance(before, int | float)
                    and not isinstance(value, bool)
                    and not isinstance(before, bool)
                    else None
                )
                rows.append(
                    {
                        "variant": index,
                        "changes": ", ".join(f"{p}={v:g}" for p, v in variant["changes"].items()),
                        "headline": key,
                        "baseline": before,
                        "value": value,
                        "change": delta,
                    }
                )
    return rows


__all__ = ["differences", "headline", "nash_package", "run_variants"]
