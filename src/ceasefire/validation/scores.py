"""Scores of probabilistic forecasts against what happened.

- The Brier score of probabilities ``p_t`` of a 0/1 event ``y_t``: ``mean_t (p_t - y_t)^2``
  [Brier1950]; 0 is perfect, 0.25 is what always saying one half earns.
- The continuous ranked probability score of a predictive distribution ``F`` at an observation ``y``
  [Gneiting2007]: ``CRPS(F, y) = E|X - y| - 1/2 E|X - X'|`` with ``X, X'`` independent draws of
  ``F``. From ``n`` samples it is estimated by the same formula over the empirical distribution
  (the estimator of the ``properscoring`` package): with the samples sorted,
  ``E|X - X'| = 2 / n^2 * sum_i (2i - n + 1) x_(i)`` (``i`` from 0), which takes ``O(n log n)``
  instead of the ``O(n^2)`` of every pair (:func:`crps_bruteforce`, the test oracle). For a point
  forecast ``x`` the CRPS is ``|x - y|``: it is in the unit of the observation.
- The percentile of an observation in a predictive sample (its probability integral transform, in
  percent, with ties counted half): near 50 for a calibrated forecast, near 0 or 100 when what
  happened was in a tail the model gave little weight to.
- The skill score of a forecast against a reference forecast, ``1 - CRPS / CRPS_reference``
  [Gneiting2007]: positive when the forecast beats the reference. :func:`score_forecast` gives the
  percentile, the CRPS and the skill of one observation; :func:`naive_forecast` is the reference of
  the war model's out-of-sample test, last year's monthly rate carried forward with its spread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]


def brier(probabilities: npt.ArrayLike, outcomes: npt.ArrayLike) -> float:
    """``mean (p - y)^2`` of probabilities against 0/1 outcomes (same length, at least one)."""
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(outcomes, dtype=float)
    if p.shape != y.shape or p.size == 0:
        raise ValueError("need as many outcomes as probabilities, at least one")
    return float(np.mean((p - y) ** 2))


def crps(samples: npt.ArrayLike, observations: npt.ArrayLike) -> FloatArray:
    """The CRPS of each row of ``samples`` ``(..., n)`` at the matching ``observations`` ``(...)``."""
    x = np.sort(np.asarray(samples, dtype=float), axis=-1)
    y = np.asarray(observations, dtype=float)
    n = x.shape[-1]
    if n == 0 or x.shape[:-1] != y.shape:
        raise ValueError("samples (..., n) with n >= 1 and observations (...) must match")
    to_observation = np.abs(x - y[..., None]).mean(axis=-1)
    ranks = 2 * np.arange(n) - n + 1
    between = 2.0 * (x * ranks).sum(axis=-1) / (n * n)
    result: FloatArray = to_observation - 0.5 * between
    return result


def crps_bruteforce(samples: npt.ArrayLike, observation: float) -> float:
    """The oracle: ``mean_i |x_i - y| - 1/2 mean_ij |x_i - x_j|`` over every pair."""
    x = [float(v) for v in np.asarray(samples, dtype=float).ravel()]
    n = len(x)
    first = sum(abs(v - observation) for v in x) / n
    second = sum(abs(a - b) for a in x for b in x) / (n * n)
    return first - 0.5 * second


def percentile(samples: npt.ArrayLike, observation: float) -> float:
    """Percent of ``samples`` below ``observation``, counting samples equal to it as half."""
    x = np.asarray(samples, dtype=float)
    if x.size == 0:
        raise ValueError("need at least one sample")
    below = np.count_nonzero(x < observation)
    equal = np.count_nonzero(x == observation)
    return float(100.0 * (below + 0.5 * equal) / x.size)


# ---- a forecast against a reference forecast ---------------------------------------------------


def crps_normal(mean: float, sd: float, observation: float) -> float:
    """The CRPS of ``N(mean, sd^2)`` in closed form [Gneiting2007]:
    ``sd (z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi))`` with ``z = (y - mean) / sd``."""
    if sd <= 0:
        return abs(observation - mean)
    z = (observation - mean) / sd
    pdf = math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return sd * (z * (2 * float(special.ndtr(z)) - 1) + 2 * pdf - 1 / math.sqrt(math.pi))


def skill_score(score: float, reference: float) -> float:
    """``1 - score / reference`` [Gneiting2007]: > 0 when the forecast beats the reference, 1 for a
    perfect forecast."""
    if reference <= 0:
        raise ValueError("the reference score must be positive")
    return 1.0 - score / reference


def naive_forecast(
    monthly_mean: float, monthly_sd: float, months: int, samples: int, seed: int = 0
) -> FloatArray:
    """Samples of the total over ``months`` months when each month is an independent normal draw
    with last year's monthly mean and month-to-month sd: the rate carried forward, with its
    spread."""
    if months < 1 or samples < 1 or monthly_sd < 0:
        raise ValueError("need months >= 1, samples >= 1 and monthly_sd >= 0")
    rng = np.random.default_rng(seed)
    draws = monthly_mean + monthly_sd * rng.standard_normal((samples, months))
    result: FloatArray = draws.sum(axis=1)
    return result


@dataclass(frozen=True)
class ForecastScore:
    """One observation against a forecast sample and a reference forecast sample."""

    observed: float
    percentile: float  # of the observation in the forecast, 0-100
    crps: float
    reference_percentile: float
    reference_crps: float

    @property
    def skill(self) -> float:
        """The CRPS skill score against the reference: > 0 when the forecast beats it."""
        return skill_score(self.crps, self.reference_crps)

    def inside(self, low: float = 10.0, high: float = 90.0) -> bool:
        """Whether the observation lies between the forecast's ``low`` and ``high`` percentiles."""
        return low <= self.percentile <= high

    def to_dict(self) -> dict[str, float]:
        return {
            "observed": self.observed,
            "percentile": self.percentile,
            "crps": self.crps,
            "reference_percentile": self.reference_percentile,
            "reference_crps": self.reference_crps,
            "skill": self.skill,
        }


def score_forecast(
    sample: npt.ArrayLike, reference: npt.ArrayLike, observation: float
) -> ForecastScore:
    """Percentile and CRPS of ``observation`` in a forecast sample and in a reference sample."""
    return ForecastScore(
        observed=float(observation),
        percentile=percentile(sample, observation),
        crps=float(crps(sample, observation)),
        reference_percentile=percentile(reference, observation),
        reference_crps=float(crps(reference, observation)),
    )
