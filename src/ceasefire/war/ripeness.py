"""Ripeness: in which month, and with what probability, a deal beats fighting on for everyone.

A conflict is *ripe* when the parties see a mutually hurting stalemate and a way out [Zartman2000].
ceasefire states the second part as a computation: at month ``t``, in Monte Carlo sample ``s``, the
zone of possible agreement is non-empty when some package that crosses no red line gives every
party with a veto at least its value of no deal ``V_i(t)`` in that sample. The probability of a
non-empty ZOPA, month by month, is the share of samples where it is; the conflict is called ripe
from the first month where that share reaches one half.

Computation: the best slack ``max_p min_i (u_pi - r_i)`` of every sampled reservation vector
``r`` over the points of the red-line-free frontier, computed once
(:mod:`ceasefire.bargaining.slack`); the ZOPA is non-empty exactly when it is ``>= 0``.

The party that *binds* in a sample is measured scale-free (:mod:`ceasefire.diagnostics.scale_free`):
the veto party with the smallest share of its own range (value of no deal to ideal) at the package
that maximises the smallest such share. Rescaling a party's utilities does not change it (the
margin in points, which an earlier version used, does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import TOLERANCE
from ceasefire.bargaining.slack import best_slack, best_slack_bruteforce, red_line_free_points
from ceasefire.diagnostics.scale_free import MEASURE, MEASURE_TEXT, best_share

FloatArray = npt.NDArray[np.float64]


RIPE = 0.5
"""The probability of a non-empty ZOPA from which a month counts as ripe."""


@dataclass(frozen=True)
class Ripeness:
    """Month by month: the probability of a non-empty ZOPA and which veto party binds."""

    parties: tuple[str, ...]
    p_zopa: FloatArray  # (months,)
    binding_share: (
        FloatArray  # (months, d): share of samples in which each party binds (scale-free)
    )
    slack_quantiles: FloatArray  # (months, 3): p5, p50, p95 of the best slack
    threshold: float = RIPE

    @property
    def months(self) -> int:
        return int(self.p_zopa.shape[0])

    @property
    def first_ripe_month(self) -> int | None:
        hits = np.flatnonzero(self.p_zopa >= self.threshold)
        return int(hits[0]) if hits.size else None

    @property
    def binding_party(self) -> str | None:
        """The party that binds most often over all months and samples (scale-free measure)."""
        if not self.parties:
            return None
        return self.parties[int(np.argmax(self.binding_share.sum(axis=0)))]

    def to_dict(self) -> dict[str, Any]:
        return {
            "month_index": list(range(self.months)),
            "p_zopa": [float(x) for x in self.p_zopa],
            "first_ripe_month": self.first_ripe_month,
            "threshold": self.threshold,
            "binding_party": self.binding_party,
            "binding_measure": MEASURE,
            "binding_measure_text": MEASURE_TEXT,
            "binding_share": {
                party: [float(x) for x in self.binding_share[:, i]]
                for i, party in enumerate(self.parties)
            },
            "slack": {
                key: [float(x) for x in self.slack_quantiles[:, k]]
                for k, key in enumerate(("p5", "p50", "p95"))
            },
        }


def ripeness(
    points: npt.ArrayLike,
    reservations: npt.ArrayLike,
    parties: Sequence[str],
    *,
    threshold: float = RIPE,
    ideal: npt.ArrayLike | None = None,
) -> Ripeness:
    """Ripeness from red-line-free frontier points ``(m, d)`` and sampled reservation values
    ``(months, d, n)`` of the ``d`` veto parties (same order as the points' columns).

    ``ideal``: the veto parties' ideal utilities ``(d,)`` for the scale-free binding party
    (default: the best of the points for each party)."""
    u = np.asarray(points, dtype=float)
    res = np.asarray(reservations, dtype=float)
    months, d, n = res.shape
    if len(parties) != d or u.shape[1] != d:
        raise ValueError("points, reservations and parties must agree on the veto parties")
    queries = res.transpose(0, 2, 1).reshape(months * n, d)
    # Points below every sample's reservation value of some party can never be the best point of
    # a non-empty ZOPA, but they can be the best compromise when it is empty: keep all of them.
    slack, _ = best_slack(u, queries)
    top = u.max(axis=0) if ideal is None and u.shape[0] else np.asarray(ideal, dtype=float)
    _, binding = best_share(u, queries, top if u.shape[0] else np.zeros(d))
    slack = slack.reshape(months, n)
    binding = binding.reshape(months, n)
    p_zopa = (slack >= -TOLERANCE).mean(axis=1)
    share = np.stack([(binding == i).mean(axis=1) for i in range(d)], axis=1)
    # With no red-line-free package every slack is -inf: its quantiles are NaN (reported as null).
    with np.errstate(invalid="ignore"):
        quantiles = np.quantile(slack, (0.05, 0.5, 0.95), axis=1).T
    return Ripeness(
        parties=tuple(parties),
        p_zopa=p_zopa,
        binding_share=share,
        slack_quantiles=quantiles,
        threshold=threshold,
    )


def joined(parts: Sequence[Ripeness]) -> Ripeness:
    """The ripeness of consecutive stretches of months, one after the other (same parties)."""
    first = parts[0]
    if len(parts) == 1:
        return first
    return Ripeness(
        parties=first.parties,
        p_zopa=np.concatenate([r.p_zopa for r in parts]),
        binding_share=np.concatenate([r.binding_share for r in parts]),
        slack_quantiles=np.concatenate([r.slack_quantiles for r in parts]),
        threshold=first.threshold,
    )


__all__ = [
    "RIPE",
    "TOLERANCE",
    "Ripeness",
    "best_slack",
    "best_slack_bruteforce",
    "joined",
    "red_line_free_points",
    "ripeness",
]
