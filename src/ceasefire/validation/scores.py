"""How good a probabilistic forecast was, once the outcome is known.

A forecast is a sample from its predictive distribution (a Monte Carlo's output). Two scores:

- the **percentile** (probability integral transform) of the observation ``y`` in the sample: the
  share of draws below ``y``, counting ties as half. A forecast whose observations keep falling in
  its tails is overconfident or biased [Gneiting2007];
- the **continuous ranked probability score** [Gneiting2007, eq. 21], in the outcome's units, lower
  is better:

      CRPS(F, y) = E|X - y| - 1/2 E|X - X'|,    X, X' independent draws from F.

  It rewards a forecast both for being close and for being sharp. :func:`crps` computes the sample
  version exactly in ``O(n log n)``: with the sample sorted, ``sum_{i,j} |x_i - x_j| =
  2 sum_i (2i - n + 1) x_(i)`` (zero-based ranks), so ``E|X - X'|`` needs no ``n x n`` matrix.
  This is the plug-in (empirical distribution) estimator; it equals the CRPS of the sample's
  empirical distribution, and converges to the CRPS of ``F`` as ``n`` grows.

The **skill score** of a forecast against a reference is ``1 - CRPS / CRPS_reference``: positive when
the forecast beats the reference, 1 for a perfect forecast [Gneiting2007, section 2]. The reference
here is a naive forecast: last year's monthly rate carried forward with last year's month-to-month
spread (:func:`naive_forecast`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]


def _sample(values: npt.ArrayLike) -> FloatArray:
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ValueError("a forecast sample needs at least one finite value, and only finite ones")
    return x


def percentile(sample: npt.ArrayLike, observed: float) -> float:
    """The observation's percentile (0-100) in the sample: draws below it, ties counted as half."""
    x = _sample(sample)
    below = np.count_nonzero(x < observed)
    ties = np.count_nonzero(x == observed)
    return float(100.0 * (below + 0.5 * ties) / x.size)


def crps(sample: npt.ArrayLike, observed: float) -> float:
    """The sample CRPS ``mean|x - y| - 1/2 mean|x - x'|`` (all ordered pairs), in ``O(n log n)``."""
    x = np.sort(_sample(sample))
    n = x.size
    accuracy = float(np.mean(np.abs(x - observed)))
    ranks = np.arange(n, dtype=float)
    spread = float(2.0 * np.sum((2.0 * ranks - n + 1.0) * x) / (n * n))
    return accuracy - 0.5 * spread


def crps_normal(mean: float, sd: float, observed: float) -> float:
    """The CRPS of ``N(mean, sd^2)`` in closed form [Gneiting2007]:
    ``sd (z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi))`` with ``z = (y - mean) / sd``."""
    if sd <= 0:
        return abs(observed - mean)
    z = (observed - mean) / sd
    pdf = math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return sd * (z * (2 * float(special.ndtr(z)) - 1) + 2 * pdf - 1 / math.sqrt(math.pi))


def skill_score(score: float, reference: float) -> float:
    """``1 - score / reference``: > 0 when the forecast beats the reference."""
    if reference <= 0:
        raise ValueError("the reference score must be positive")
    return 1.0 - score / reference


def naive_forecast(
    monthly_mean: float, monthly_sd: float, months: int, samples: int, seed: int = 0
) -> FloatArray:
    """Samples of the total over ``months`` months when each month is an independent draw with last
    year's monthly mean and month-to-month sd (normal): the rate carried forward, with its spread."""
    if months < 1 or samples < 1 or monthly_sd < 0:
        raise ValueError("need months >= 1, samples >= 1 and monthly_sd >= 0")
    rng = np.random.default_rng(seed)
    draws = monthly_mean + monthly_sd * rng.standard_normal((samples, months))
    result: FloatArray = draws.sum(axis=1)
    return result


@dataclass(frozen=True)
class ForecastScore:
    """One observation against a forecast and a reference forecast."""

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
    sample: npt.ArrayLike, reference: npt.ArrayLike, observed: float
) -> ForecastScore:
    """Percentile and CRPS of ``observed`` in a forecast sample and in a reference sample."""
    return ForecastScore(
        observed=float(observed),
        percentile=percentile(sample, observed),
        crps=crps(sample, observed),
        reference_percentile=percentile(reference, observed),
        reference_crps=crps(reference, observed),
    )
