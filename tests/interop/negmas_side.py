"""A Genius domain loaded by NegMAS with Genius's normalisation, for the agreement tests and the
benchmark (imports negmas: use only where it is installed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def genius_normalised_ufuns(folder: Path) -> tuple[Any, list[Any]]:
    """NegMAS's scenario and its ufuns with Genius's normalisation (value / issue max) applied."""
    from negmas.inout import Scenario
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    scenario = Scenario.from_genius_folder(folder, safe_parsing=False, ignore_discount=True)
    ufuns = []
    for ufun in scenario.ufuns:
        values, weights = [], []
        for issue, fun, weight in zip(
            scenario.outcome_space.issues, ufun.values, ufun.weights, strict=True
        ):
            if issue.name == "DUMMY_ISSUE":  # NegMAS's filler for the missing index 1: weight 0
                values.append(fun)
                weights.append(0.0)
                continue
            top = max(fun.mapping.values())
            values.append(TableFun({k: v / top for k, v in fun.mapping.items()}))
            weights.append(weight)
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=values,
                weights=weights,
                outcome_space=scenario.outcome_space,
                reserved_value=ufun.reserved_value,
            )
        )
    return scenario, ufuns
