"""Adjusted Winner: Brams & Taylor's procedure for two parties who spread 100 points over items.

[BramsTaylor1996] (ch. 4, pp. 65-94) and [BramsTaylor1999] describe it; the statement followed here,
including the rule for ties, is the one of the authors' worked divorce example [BramsTaylor1999]:

1. *Winner phase.* Each item goes to the party that puts more points on it.
2. *Ties.* Items on which both put the same points go to the party that trails after step 1
   (to the first party if neither trails).
3. *Adjustment.* While the leader has more of its own points than the other has of its own, the
   leader's items pass to the other in increasing order of the ratio ``leader's points / other's
   points`` (items with equal ratios in the order given); the item whose whole transfer would make
   the other the leader is split so that both totals are equal. At most one item is split.

The result is equitable (both get the same number of their own points), envy-free (each gets at
least 50 of its own points, so neither prefers the other's share) and efficient (no other
allocation, splitting any items, is better for one and no worse for the other), as
[BramsTaylor1996] (ch. 4) prove. Items worth nothing to both stay where step 2 puts them and are never split.

Assumptions, as in the book: points are additive over items, and a share ``f`` of an item is worth
``f`` times its points to each party (the split item must be divisible, or a compromise on it must
be worth that share to both).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

TOTAL_POINTS = 100.0
POINTS_TOLERANCE = 1e-6
_EPS = 1e-9


@dataclass(frozen=True)
class Division:
    """An Adjusted Winner allocation.

    ``share[i]`` is the fraction of item ``i`` that goes to the first party (the second gets the
    rest); ``initial[i]`` is the party index that holds item ``i`` after steps 1-2.
    """

    parties: tuple[str, str]
    items: tuple[str, ...]
    points: FloatArray  # (n_items, 2)
    initial: tuple[int, ...]
    ties: tuple[str, ...]
    share: FloatArray
    split: str | None
    transfers: tuple[tuple[str, float], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def totals(self) -> tuple[float, float]:
        """Each party's own points for its share."""
        a = float(self.points[:, 0] @ self.share)
        b = float(self.points[:, 1] @ (1.0 - self.share))
        return a, b

    @property
    def initial_totals(self) -> tuple[float, float]:
        held = np.array(self.initial)
        return (
            float(self.points[held == 0, 0].sum()),
            float(self.points[held == 1, 1].sum()),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``ceasefire divide`` (without provenance)."""
        first, second = self.parties
        totals = self.totals
        return {
            "method": "adjusted_winner",
            "parties": list(self.parties),
            "items": [
                {
                    "item": item,
                    "points": {first: float(p[0]), second: float(p[1])},
                    "initial": self.parties[held],
                    "share": {first: float(s), second: float(1.0 - s)},
                }
                for item, p, held, s in zip(
                    self.items, self.points, self.initial, self.share, strict=True
                )
            ],
            "ties": list(self.ties),
            "initial_totals": dict(zip(self.parties, self.initial_totals, strict=True)),
            "transfers": [{"item": item, "fraction": f} for item, f in self.transfers],
            "split": self.split,
            "totals": dict(zip(self.parties, totals, strict=True)),
            "properties": properties(self),
            "notes": list(self.notes),
        }


def validate_points(
    items: Sequence[str], points: npt.ArrayLike, parties: Sequence[str]
) -> list[str]:
    """Problems with a points table: shape, negative or non-finite points, totals other than 100."""
    table = np.asarray(points, dtype=float)
    problems = []
    if len(parties) != 2 or parties[0] == parties[1]:
        problems.append("Adjusted Winner divides between exactly two distinct parties")
    if table.ndim != 2 or table.shape != (len(items), 2):
        return [*problems, f"expected {len(items)} rows of 2 points, got shape {table.shape}"]
    if not items:
        problems.append("there are no items to divide")
    if not np.isfinite(table).all() or (table < 0).any():
        problems.append("points must be finite and >= 0")
        return problems
    for column, party in enumerate(parties):
        total = float(table[:, column].sum())
        if abs(total - TOTAL_POINTS) > POINTS_TOLERANCE:
            problems.append(f"{party}'s points sum to {total:g}; they must sum to 100")
    return problems


def adjusted_winner(
    items: Sequence[str], points: npt.ArrayLike, parties: Sequence[str] = ("A", "B")
) -> Division:
    """Divide ``items`` between two parties by Adjusted Winner.

    ``points`` is an ``(n_items, 2)`` table: each column is one party's 100 points.
    Raises ``ValueError`` on a table that :func:`validate_points` rejects.
    """
    problems = validate_points(items, points, parties)
    if problems:
        raise ValueError("; ".join(problems))
    table = np.asarray(points, dtype=float)
    a, b = table[:, 0], table[:, 1]
    # Step 1: the winner phase.
    initial = np.where(a > b, 0, np.where(b > a, 1, -1))
    ties = initial == -1
    won = (float(a[initial == 0].sum()), float(b[initial == 1].sum()))
    # Step 2: ties go to the party that trails after the winner phase.
    trailing = 1 if won[1] < won[0] else 0
    initial = np.where(ties, trailing, initial)
    share = (initial == 0).astype(float)
    # Step 3: the equitability adjustment.
    total = [float(a @ share), float(b @ (1.0 - share))]
    leader = 0 if total[0] > total[1] else 1
    other = 1 - leader
    transfers: list[tuple[str, float]] = []
    split: str | None = None
    if abs(total[0] - total[1]) > _EPS:
        own, theirs = table[:, leader], table[:, other]
        held = np.flatnonzero((initial == leader) & ((own > 0) | (theirs > 0)))
        with np.errstate(divide="ignore"):
            ratio = np.where(theirs[held] > 0, own[held] / np.maximum(theirs[held], 1e-300), np.inf)
        order = held[np.argsort(ratio, kind="stable")]
        for item in order:
            gap = total[leader] - total[other]
            worth = own[item] + theirs[item]
            if gap <= _EPS:
                break
            fraction = min(1.0, gap / worth)
            total[leader] -= fraction * own[item]
            total[other] += fraction * theirs[item]
            share[item] = 1.0 - fraction if leader == 0 else fraction
            transfers.append((items[item], fraction))
            if fraction < 1.0:
                split = items[item]
                break
    return Division(
        parties=(parties[0], parties[1]),
        items=tuple(items),
        points=table,
        initial=tuple(int(x) for x in initial),
        ties=tuple(item for item, t in zip(items, ties, strict=True) if t),
        share=share,
        split=split,
        transfers=tuple(transfers),
    )


def properties(division: Division, tolerance: float = 1e-7) -> dict[str, bool]:
    """The three properties Adjusted Winner guarantees, checked on the result.

    Envy-free for two parties with additive points: each values its own share at least as much as
    the other's, i.e. at least 50 of its 100 points. Equitable: equal totals. At most one item split.
    (Efficiency needs an optimisation to check; see :func:`is_efficient`.)
    """
    a, b = division.totals
    fractional = int(((division.share > tolerance) & (division.share < 1 - tolerance)).sum())
    return {
        "envy_free": a >= TOTAL_POINTS / 2 - tolerance and b >= TOTAL_POINTS / 2 - tolerance,
        "equitable": abs(a - b) <= tolerance * TOTAL_POINTS,
        "at_most_one_split": fractional <= 1,
    }


def is_efficient(division: Division, tolerance: float = 1e-7) -> bool:
    """No allocation (any items split) gives one party more and the other no less (an LP)."""
    from scipy.optimize import linprog

    table = division.points
    a, b = division.totals
    n = len(division.items)
    bounds = [(0.0, 1.0)] * n
    # Most the first can get while the second keeps at least b: maximise a.s s.t. b.(1-s) >= b_tot.
    best_a = linprog(-table[:, 0], A_ub=[table[:, 1]], b_ub=[table[:, 1].sum() - b], bounds=bounds)
    # Most the second can get while the first keeps at least a: minimise b.s s.t. a.s >= a_tot.
    best_b = linprog(table[:, 1], A_ub=[-table[:, 0]], b_ub=[-a], bounds=bounds)
    if best_a.status != 0 or best_b.status != 0:
        return False
    return bool(-best_a.fun <= a + tolerance and table[:, 1].sum() - best_b.fun <= b + tolerance)
