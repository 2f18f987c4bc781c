"""The hazard that a deal breaks down, and the probability that it holds.

A package ``x`` has the monthly hazard rate [Fortna2003] [WernerYuen2005]

    h(x) = h_0 * prod_k rho_k(x_k),

the base rate ``h_0`` (times the ratios of the talks' ``context``, which apply to every package)
times the hazard ratio of each option the package contains (1 for options
without an effect; for a numeric issue ``rho ** (x_k - status quo)``). The hazard is constant from
month to month (piecewise constant at monthly resolution), so the deal holds ``t`` months with
probability ``P_hold(x, t) = exp(-h(x) * t)``. A ratio below 1 (a guarantee, a buffer zone) lowers
the hazard and can only raise ``P_hold``. Uncertain ratios count with their means, as every
uncertain number does in an analysis that does not sample it; :func:`hazard_draws` samples them
for the spread of ``P_hold``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.scenario.commitment import HazardEffect, default_table, split_key
from ceasefire.scenario.distributions import Distribution
from ceasefire.scenario.model import Scenario
from ceasefire.scenario.utility import option_labels

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class HazardModel:
    """The base rate and, per issue and option, the log hazard ratio."""

    base: float
    log_ratio: tuple[FloatArray, ...]

    @property
    def relevant(self) -> tuple[int, ...]:
        """The issues whose options change the hazard."""
        return tuple(k for k, lr in enumerate(self.log_ratio) if np.any(lr != 0))

    def rate(self, packages: npt.ArrayLike) -> FloatArray:
        """Monthly hazard of each package (``(m, K)`` option indices)."""
        pk = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        total = np.zeros(pk.shape[0])
        for k, lr in enumerate(self.log_ratio):
            total += lr[pk[:, k]]
        result: FloatArray = self.base * np.exp(total)
        return result

    def p_hold(self, packages: npt.ArrayLike, months: float) -> FloatArray:
        """Probability that each package holds ``months`` months."""
        result: FloatArray = np.exp(-self.rate(packages) * months)
        return result


def hazard_model(
    scenario: Scenario, value: Callable[[Distribution], float] = lambda d: d.mean
) -> HazardModel:
    """The hazard model of a scenario's ``commitment:`` section.

    ``value`` turns each uncertain number into the one used (default: its mean);
    :func:`hazard_draws` passes draws.
    """
    section = scenario.commitment
    if section is None:
        raise ValueError(f"scenario '{scenario.id}' has no commitment section")
    hazard = section.hazard
    table = default_table(hazard.defaults) if hazard.defaults is not None else None
    if hazard.base is not None:
        base = value(hazard.base.value)
    else:
        assert table is not None  # the model requires base or defaults
        base = table.base

    def ratio_of(effect: HazardEffect) -> float:
        if effect.ratio is not None:
            return value(effect.ratio)
        assert table is not None and effect.mechanism is not None
        return table.mechanisms[effect.mechanism].ratio

    for effect in hazard.context.values():
        base *= ratio_of(effect)
    log_ratio = [np.zeros(len(option_labels(issue))) for issue in scenario.issues]
    index = {issue.id: k for k, issue in enumerate(scenario.issues)}
    for key, effect in hazard.effects.items():
        found = split_key(key, scenario.issues)
        assert found is not None  # checked when the scenario was loaded
        issue, option = found
        ratio = ratio_of(effect)
        k = index[issue.id]
        if option is None:  # numeric: per unit above the status quo
            assert not isinstance(issue.status_quo, str)
            values = np.array(option_labels(issue), dtype=float)
            log_ratio[k] += (values - float(issue.status_quo)) * math.log(ratio)
        else:
            log_ratio[k][issue.option_ids.index(option)] += math.log(ratio)
    return HazardModel(base=float(base), log_ratio=tuple(log_ratio))


def hazard_draws(scenario: Scenario, samples: int, seed: int) -> list[HazardModel]:
    """``samples`` hazard models, each with its own draw of every uncertain base rate and ratio
    (by inversion of uniform numbers from ``seed``, in the order of the file)."""
    rng = np.random.default_rng(seed)
    return [hazard_model(scenario, lambda d: float(d.ppf(rng.random()))) for _ in range(samples)]
