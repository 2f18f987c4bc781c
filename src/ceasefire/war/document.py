"""The result document of a war simulation: what ``ceasefire war --json`` prints.

One function builds it for the command line, the report and the web app, so the three never
disagree on what a seed gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario
from ceasefire.war.attrition import simulate

DEFAULT_SAMPLES = 10_000


def war_document(
    loaded: LoadedScenario,
    *,
    samples: int = DEFAULT_SAMPLES,
    months: int | None = None,
    seed: int = 0,
    aid_scale: float = 1.0,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Monthly quantiles of territory, casualties, outlays and escalation, with provenance.

    ``months`` defaults to the scenario's horizon; ``progress`` is called with the months done.
    Raises ValueError when the scenario has no ``war:`` section.
    """
    scenario = loaded.scenario
    war = scenario.war
    if war is None:
        raise ValueError("the scenario has no 'war:' section")
    n_months = int(war.horizon_months) if months is None else months
    outcomes = simulate(
        scenario,
        samples=samples,
        months=n_months,
        seed=seed,
        aid_scale=aid_scale,
        progress=progress,
    )
    issue = scenario.issue(war.front.issue)
    unit = f" ({issue.unit})" if issue.unit else ""
    provenance = Provenance(
        scenario_sha256=loaded.sha256,
        seed=seed,
        parameters={"samples": samples, "months": n_months, "aid_scale": aid_scale},
    )
    return {
        "provenance": provenance.to_dict(),
        "scenario": {"id": scenario.id, "as_of": scenario.as_of.isoformat()},
        "sides": list(war.side_ids()),
        "territory_issue": issue.id,
        "territory_label": f"{issue.name}{unit}",
        "territory_gains_for": war.front.gains_for,
        **({"war_mechanisms": mechanisms} if (mechanisms := war.mechanisms()) else {}),
        **outcomes.summary(),
    }
