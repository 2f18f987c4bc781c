"""Small scenarios with uncertain inputs for the tests of ``ceasefire.uncertainty``.

:func:`random_scenario` draws the structure from a ``numpy`` generator seeded by Hypothesis, so that
every example is reproducible from what Hypothesis prints.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ceasefire.scenario import Scenario, bundled_scenarios, parse_scenario
from ceasefire.scenario.model import Scenario as ScenarioModel


def toy_text() -> str:
    return bundled_scenarios()["toy-border"].read_text()


def toy(edits: dict[str, str]) -> Scenario:
    text = toy_text()
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    return parse_scenario(text, "toy.yaml").scenario


def _number(rng: np.random.Generator, point: float, low: float, high: float, kind: str) -> Any:
    """A plain number, or a distribution around it of the given kind."""
    if kind == "fixed":
        return point
    if kind == "choice":
        alternatives = sorted({round(float(x), 1) for x in rng.uniform(low, high, size=2)})
        alternatives.append(round(point, 1))
        return {"dist": "choice", "alternatives": alternatives}
    width = float(rng.uniform(0.5, 8.0))
    if kind == "uniform":
        return {"dist": "uniform", "low": point - width, "high": point + width}
    return {"dist": "normal", "mean": point, "sd": width / 2}


def random_scenario(
    rng: np.random.Generator,
    *,
    kinds: tuple[str, ...] = ("fixed", "choice", "uniform", "normal"),
    uncertain_preferences: bool = True,
) -> ScenarioModel:
    """A scenario of 2 or 3 belligerents, 2 or 3 issues of 2 to 4 options (one may be numeric),
    red lines (some with ``p``) and costs of no deal, some of them uncertain. With
    ``uncertain_preferences`` False, only costs and red lines are uncertain (and ``choice``)."""
    n_parties = int(rng.integers(2, 4))
    n_issues = int(rng.integers(2, 4))
    parties = [{"id": f"p{i}", "name": f"P{i}", "role": "belligerent"} for i in range(n_parties)]
    issues: list[dict[str, Any]] = []
    for k in range(n_issues):
        n_opt = int(rng.integers(2, 5))
        if k == 0 and rng.random() < 0.4:
            grid = sorted({float(x) for x in rng.choice(np.arange(0, 11), n_opt, replace=False)})
            issues.append(
                {
                    "id": f"i{k}",
                    "name": f"I{k}",
                    "kind": "numeric",
                    "range": [0, 10],
                    "grid": grid,
                    "status_quo": float(rng.choice(grid)),
                }
            )
        else:
            options = [f"o{j}" for j in range(n_opt)]
            issues.append(
                {"id": f"i{k}", "name": f"I{k}", "options": options, "status_quo": options[0]}
            )
    preference_kinds = kinds if uncertain_preferences else ("fixed", "choice")
    preferences: dict[str, Any] = {}
    for party in parties:
        raw = rng.dirichlet(np.ones(n_issues))
        weights = [round(float(w), 3) for w in raw]
        weights[-1] = round(1.0 - sum(weights[:-1]), 3)
        while weights[-1] < 0:
            weights = [1.0 / n_issues] * n_issues
        w_spec: dict[str, Any] = {}
        for issue, w in zip(issues, weights, strict=True):
            kind = str(rng.choice(preference_kinds)) if rng.random() < 0.3 else "fixed"
            if kind in ("uniform", "normal"):
                width = min(w, 0.1)
                w_spec[issue["id"]] = {"dist": "uniform", "low": w - width, "high": w + width}
            elif kind == "choice":
                # Symmetric, so that the means still sum to 1.
                w_spec[issue["id"]] = {"dist": "choice", "alternatives": [w * 0.5, w * 1.5]}
            else:
                w_spec[issue["id"]] = w
        values: dict[str, Any] = {}
        for issue in issues:
            if issue.get("kind") == "numeric":
                ys = [float(rng.integers(0, 101)) for _ in range(2)]
                kind = str(rng.choice(preference_kinds)) if rng.random() < 0.3 else "fixed"
                y1 = _number(rng, ys[1], 0, 100, kind)
                if kind in ("uniform", "normal"):
                    y1 = {
                        "dist": "uniform",
                        "low": max(0.0, ys[1] - 5),
                        "high": min(100.0, ys[1] + 5),
                    }
                values[issue["id"]] = [[0, ys[0]], [10, y1]]
            else:
                table: dict[str, Any] = {}
                for option in issue["options"]:
                    v = float(rng.integers(0, 101))
                    kind = str(rng.choice(preference_kinds)) if rng.random() < 0.2 else "fixed"
                    if kind in ("uniform", "normal"):
                        table[option] = {
                            "dist": "uniform",
                            "low": max(0.0, v - 5),
                            "high": min(100.0, v + 5),
                        }
                    elif kind == "choice":
                        table[option] = {"dist": "choice", "alternatives": [v, float(100 - v)]}
                    else:
                        table[option] = v
                values[issue["id"]] = table
        red_lines: dict[str, Any] = {}
        if rng.random() < 0.7:
            issue = issues[int(rng.integers(n_issues))]
            if issue.get("kind") == "numeric":
                bound: dict[str, Any] = {"above": float(rng.choice(issue["grid"]))}
                if rng.random() < 0.6:
                    bound["p"] = round(float(rng.uniform(0.2, 0.95)), 2)
                if bound["above"] < max(issue["grid"]):
                    red_lines[issue["id"]] = bound
            else:
                crossed = [issue["options"][-1]]
                if rng.random() < 0.6:
                    red_lines[issue["id"]] = {
                        "options": crossed,
                        "p": round(float(rng.uniform(0.2, 0.95)), 2),
                    }
                else:
                    red_lines[issue["id"]] = crossed
        cost_point = round(float(rng.uniform(-5, 25)), 1)
        cost_kind = str(rng.choice(kinds))
        preferences[party["id"]] = {
            "weights": w_spec,
            "values": values,
            "red_lines": red_lines,
            "no_deal": {"cost": _number(rng, cost_point, -10, 30, cost_kind)},
        }
    data = {
        "schema_version": 1,
        "id": "random",
        "title": "A random scenario",
        "as_of": "2024-01-01",
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }
    return ScenarioModel.model_validate(data)


seeds = st.integers(0, 2**32 - 1)
