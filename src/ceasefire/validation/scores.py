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
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

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
