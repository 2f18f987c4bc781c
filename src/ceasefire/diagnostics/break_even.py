"""Break-even values: where, along each input that ``sensitivity`` varies, the zone opens or closes.

The zone of agreement exists when the largest margin ``m`` such that some package crossing no red
line gives every veto party its value of no deal plus ``m`` is ``>= 0`` (``zopa_margin`` of
:mod:`ceasefire.uncertainty.sensitivity`). Each input is moved alone over the range ``sensitivity``
swings it, the others held at their point values, and the values where ``m`` changes sign are
reported:

- a value of no deal ``r_i`` (or a cost of no deal ``c_i``, ``r_i = U_i(s) - c_i``): exactly. The
  zone exists while ``r_i <= R_i``, where ``R_i`` is the best utility party ``i`` gets from a
  package that crosses no red line and gives every other veto party its value of no deal; ``R_i``
  is read off the red-line-free Pareto frontier;
- a value (``v_ik(o)``): raising it raises that party's utility of every package with option ``o``
  and no other, so the margin is non-decreasing and piecewise linear in it: it changes sign at most
  once, and only on the side of the point value where the zone could flip (below it when the zone
  exists, above it when not); Brent's method [Brent1973] lands on the root of the
  last linear piece (to within :data:`XTOL` of the range);
- a weight (the party's other weights rescaled to keep the sum 1) or a war parameter (every
  evaluation reruns the war model on ``war_samples`` samples): not monotone in general. The margin
  is evaluated at :data:`GRID` points over the range for a weight, at the two ends and the point
  value for a war parameter, and each sign change is refined by Brent's method (to within
  :data:`WAR_XTOL` of the range for a war parameter, whose margin is a Monte Carlo estimate);
- a red line (1: it holds, 0: it does not): no break-even value in between; whether lifting it
  opens or closes the zone is reported (see also :mod:`ceasefire.diagnostics.constraints`).

A weight's break-even value is given twice: as ``sensitivity`` varies it (``value``: the party's
other weights keep their values and all are divided by their new sum) and as a what-if sets it
(``value_as_set``: the weight itself, the others rescaled to make 1 with it); both are the same
scenario.

"None in range" means no sign change was found on the grid; a double crossing between two grid
points (the zone closing and opening again) can be missed. As in ``sensitivity``, with a war
model the war model's values of no deal are computed with the stated preferences, and with a
``commitment:`` section the margin is that of effective utilities, as ``analyze`` judges packages
(:mod:`ceasefire.uncertainty.commitment`): the chance a deal holds and the renewed war's values
stay at ``analyze``'s point values while the input moves (so, without a war model, a value of no
deal moves alone, not the renewed war's value ``r_i + shift_i`` with it). Raising a value
``v_ik(o)`` still raises every effective utility it enters (``p > 0``) and can only make more
packages self-enforcing, so the margin stays non-decreasing in it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.optimize import brentq

from ceasefire.bargaining.problem import TOLERANCE
from ceasefire.bargaining.slack import red_line_free_points
from ceasefire.defaults import SENSITIVITY_WAR_SAMPLES
from ceasefire.scenario import LoadedScenario
from ceasefire.uncertainty.commitment import assumption, sample_commitment
from ceasefire.uncertainty.inputs import DEFAULT_SPREAD, input_space
from ceasefire.uncertainty.sampling import point_reservation, realise
from ceasefire.uncertainty.sensitivity import Evaluation, Factor, Model, factors

GRID = 3
"""Grid points over a weight's range for bracketing sign changes (with the point value)."""

XTOL = 1e-9
"""Relative tolerance of the root search (times the width of the range)."""

WAR_XTOL = 1e-4
"""Relative tolerance of the root search along a war parameter."""

Progress = Callable[[int, int, str], None]


def break_even_values(
    loaded: LoadedScenario,
    *,
    seed: int = 0,
    war_samples: int = SENSITIVITY_WAR_SAMPLES,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """JSON-ready break-even values of every input ``sensitivity`` varies (default ranges)."""
    scenario = loaded.scenario
    space = input_space(scenario, seed=seed, war_samples=war_samples)
    model = Model(space, scenario, seed=seed, war_samples=war_samples)
    factor_list = factors(space, scenario, DEFAULT_SPREAD)
    point = space.point

    def margin(factor: Factor, x: float) -> float:
        if factor.column is not None:
            theta = point.copy()
            theta[factor.column] = x
            return float(model.evaluate(Evaluation(theta))[0])
        return float(model.evaluate(Evaluation(point, ((factor.path, x),)))[0])

    base_margin = float(model.evaluate(Evaluation(point))[0])
    rows = []
    for n, factor in enumerate(factor_list):
        if progress is not None:
            progress(n, len(factor_list), "inputs")
        if factor.kind == "red_line":
            rows.append(_red_line(factor, margin))
        elif factor.kind in ("reservation", "no_deal_cost") and not space.war:
            rows.append(_exact(factor, space))
        else:
            rows.append(_searched(factor, margin, base_margin))
    if progress is not None:
        progress(len(factor_list), len(factor_list), "inputs")
    result: dict[str, Any] = {
        "zone_at_point": base_margin >= -TOLERANCE,
        "margin_at_point": round(base_margin, 9),
        "war_samples": war_samples if space.war else None,
        "inputs": rows,
    }
    text = assumption(scenario)
    if text is not None:  # only with a commitment: section (the documents nest the old ones)
        result["utilities"] = "effective"
        result["assumptions"] = text
    return result


def _head(factor: Factor) -> dict[str, Any]:
    return {
        "input": factor.path,
        "kind": factor.kind,
        "base": factor.base,
        "low": factor.low,
        "high": factor.high,
        "range": factor.origin,
    }


def _red_line(factor: Factor, margin: Callable[[Factor, float], float]) -> dict[str, Any]:
    holds = margin(factor, 1.0) >= -TOLERANCE
    lifted = margin(factor, 0.0) >= -TOLERANCE
    return {
        **_head(factor),
        "method": "discrete",
        "values": [],
        "zone_if_holds": holds,
        "zone_if_lifted": lifted,
    }


def _exact(factor: Factor, space: Any) -> dict[str, Any]:
    """A value of no deal or a cost of no deal: the threshold from the red-line-free frontier."""
    assert factor.column is not None
    draws = realise(space, space.point[None, :])
    problem = draws.problem(space, 0)
    party = space.parties.index(factor.path.split(".")[1])
    r = np.asarray(draws.reservation[0], dtype=np.float64)
    commitment = sample_commitment(space)
    if commitment is None:
        points = red_line_free_points(problem)
    else:  # effective utilities, self-enforcing packages only when deals must be
        points = commitment.effective(problem).red_line_free_points()
    others = [j for j in range(len(space.parties)) if j != party]
    if points.shape[0]:
        ok = (points[:, others] >= r[others] - TOLERANCE).all(axis=1)
        best = float(points[ok, party].max()) if ok.any() else None
    else:
        best = None
    if factor.kind == "reservation":
        threshold = best
        opens_when = "below"
    else:  # r = U(status quo) - cost
        status_quo = float(point_reservation(space)[party] + factor.base)
        threshold = None if best is None else status_quo - best
        opens_when = "above"
    values = []
    if threshold is not None and factor.low <= threshold <= factor.high:
        values.append(
            {
                "value": round(threshold, 9),
                "as_it_rises": "closes" if opens_when == "below" else "opens",
            }
        )
    return {
        **_head(factor),
        "method": "exact",
        "threshold": None if threshold is None else round(threshold, 9),
        "zone_when": opens_when,
        "values": values,
    }


def _searched(
    factor: Factor, margin: Callable[[Factor, float], float], base_margin: float
) -> dict[str, Any]:
    if factor.kind == "value":
        # non-decreasing: an open zone can only close below the base, a closed one open above it
        end = factor.low if base_margin >= -TOLERANCE else factor.high
        xs = sorted({end, factor.base})
    elif factor.kind == "war":
        xs = sorted({factor.low, factor.base, factor.high})
    else:
        xs = sorted({*np.linspace(factor.low, factor.high, GRID).tolist(), factor.base})
    ms = [base_margin if x == factor.base else margin(factor, x) for x in xs]
    width = factor.high - factor.low
    values = []
    for a, b, ma, mb in zip(xs, xs[1:], ms, ms[1:], strict=False):
        open_a, open_b = ma >= -TOLERANCE, mb >= -TOLERANCE
        if open_a == open_b:
            continue

        def shifted(x: float) -> float:
            # the zone exists at margin >= -TOLERANCE: the root of margin + TOLERANCE
            return margin(factor, x) + TOLERANCE

        tol = (WAR_XTOL if factor.kind == "war" else XTOL) * width
        root = float(brentq(shifted, a, b, xtol=max(tol, 1e-15), rtol=4 * np.finfo(float).eps))
        entry = {"value": root, "as_it_rises": "opens" if open_b else "closes"}
        if factor.kind == "weight":
            # sensitivity scales the other weights by 1 / (1 - w0 + x); a what-if (--set, the web
            # app, scenario.edit) sets this weight to x' and scales the others to 1 - x'
            entry["value_as_set"] = root / (root + 1.0 - factor.base)
        values.append(entry)
    return {**_head(factor), "method": "root search", "values": values}


def describe(row: dict[str, Any]) -> str:
    """One line for a person: where the zone opens or closes along this input."""
    if row["method"] == "discrete":
        if row["zone_if_holds"] == row["zone_if_lifted"]:
            return "lifting it alone does not change whether a zone exists"
        return (
            "lifting it opens the zone" if row["zone_if_lifted"] else "lifting it closes the zone"
        )
    if not row["values"]:
        text = f"none in range [{row['low']:.4g}, {row['high']:.4g}]"
        if row.get("threshold") is not None:
            text += f" (threshold {row['threshold']:.4g})"
        return text
    return "; ".join(
        f"{v['as_it_rises']} at {v['value_as_set']:.6g} (set as a what-if; {v['value']:.6g} as "
        "sensitivity varies it)"
        if "value_as_set" in v
        else f"{v['as_it_rises']} at {v['value']:.6g}"
        for v in row["values"]
    )
