"""Slow, loop-by-loop versions of the model's equations, to check the vectorised ones against."""

from __future__ import annotations

import numpy as np

from ceasefire.forecast.expected_utility import Options


def condorcet_winners(x: np.ndarray, weight: np.ndarray) -> list[float]:
    """Positions that no other actor position beats in a pairwise vote ([Scholz2011] sec. 3.2)."""
    winners = []
    for a in sorted(set(x.tolist())):
        beaten = False
        for b in set(x.tolist()):
            votes = sum(w * (abs(xk - b) - abs(xk - a)) for xk, w in zip(x, weight, strict=True))
            if votes < -1e-12:
                beaten = True
        if not beaten:
            winners.append(a)
    return winners


def probability(
    i: int, j: int, x: np.ndarray, weight: np.ndarray, r: np.ndarray, span: float, normaliser: str
) -> float:
    def vote(k: int, a: int, b: int) -> float:
        return float(
            weight[k] * ((abs(x[k] - x[b]) / span) ** r[k] - (abs(x[k] - x[a]) / span) ** r[k])
        )

    n = len(x)
    top = sum(max(0.0, vote(k, i, j)) for k in range(n))
    if normaliser == "all_pairs":
        bottom = sum(abs(vote(k, a, b)) for k in range(n) for a in range(n) for b in range(n))
    else:
        bottom = sum(abs(vote(k, i, j)) for k in range(n))
    return top / bottom if bottom > 0 else 0.0


def expected_utility(
    i: int,
    j: int,
    x: np.ndarray,
    s: np.ndarray,
    p: float,
    r: float,
    span: float,
    median: float,
    options: Options,
) -> float:
    d = abs(x[i] - x[j]) / span
    u_s = 2 - 4 * (0.5 - 0.5 * d) ** r
    u_f = 2 - 4 * (0.5 + 0.5 * d) ** r
    u_sq = 2 - 4 * 0.5**r
    eu = s[j] * (p * u_s + (1 - p) * u_f) + (1 - s[j]) * u_s - options.q * u_sq
    if options.q < 1:
        reach = min(0.5, 0.25 * (abs(x[i] - median) + abs(x[i] - x[j])) / span)
        u_b = 2 - 4 * (0.5 - reach) ** r
        u_w = 2 - 4 * (0.5 + reach) ** r
        eu -= (1 - options.q) * (options.t * u_b + (1 - options.t) * u_w)
    return float(eu)
