"""What side payments can and cannot do, party by party: why an offer helps or no offer does.

For each veto party ``i`` of a problem (nominal or effective, :mod:`ceasefire.mediation.bargain`)
with values of no deal ``r``:

- its *margin* ``M_i = max {u_i : u a red-line-respecting package, u_j >= r_j for every other veto
  party j} - r_i``: how much it has to spare (``M_i >= 0``) or how far it is short (``M_i < 0``)
  when every other veto party gets exactly its value of no deal; the zone of agreement exists iff
  ``M_i >= 0`` for one (then every) veto party [Raiffa1982];
- the most and the least any offer adds to its utility, ``max_a G_i(a)`` and ``min_a G_i(a)``
  (negative for a party that pays).

No offer can open a closed zone when some party ``i`` is short by more than the most an offer adds
to it (``-M_i > max_a G_i(a)``): that is the case for a party no side payment reaches. And, at the
Nash package, a side payment from ``j`` to ``i`` raises the Nash product [Nash1950] only if it
adds to the receiver a larger share of its margin than it takes from the payer's; the ratio of the
Nash product with each single side payment to that without one says which way each goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.problem import TOLERANCE
from ceasefire.bargaining.slack import red_line_free_points
from ceasefire.mediation.bargain import Bargain, nominal, reservation
from ceasefire.mediation.offers import OfferSpace, frontier_for_offers, nash_with

FloatArray = npt.NDArray[np.float64]


def free_points(bargain: Bargain) -> FloatArray:
    """``(m, d)``: the veto parties' utilities at every Pareto-optimal package crossing no red line."""
    problem = nominal(bargain)
    if bargain is problem:
        return red_line_free_points(problem)
    return np.asarray(bargain.red_line_free_points(), dtype=np.float64)  # type: ignore[union-attr]


def margins(bargain: Bargain) -> list[float | None]:
    """Each veto party's margin ``M_i`` (None: no red-line-respecting package gives every other
    veto party its value of no deal)."""
    points = free_points(bargain)
    r = reservation(bargain)
    out: list[float | None] = []
    for i in range(r.shape[0]):
        others = [j for j in range(r.shape[0]) if j != i]
        if points.size == 0:
            out.append(None)
            continue
        ok = (points[:, others] >= r[others] - TOLERANCE).all(axis=1)
        out.append(float(points[ok, i].max() - r[i]) if ok.any() else None)
    return out


def _rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 9)


def reach(bargain: Bargain, offers: OfferSpace) -> dict[str, Any]:
    """Per veto party: its margin, the most and least any offer adds, and which side payments
    reach it; per side payment and level offered alone: the Nash product relative to no offer."""
    m = margins(bargain)
    gains = offers.all_offers()
    g = offers.gain(gains)
    parties: dict[str, Any] = {}
    for i, party in enumerate(offers.parties):
        reached_by = [
            p.id
            for p, table in zip(offers.payments, offers.gains, strict=True)
            if table[:, i].max() > 0
        ]
        parties[party] = {
            "margin": _rounded(m[i]),
            "most_an_offer_adds": round(float(g[:, i].max()), 9),
            "least_an_offer_adds": round(float(g[:, i].min()), 9),
            "reached_by": reached_by,
        }
    single: list[dict[str, Any]] = []
    if offers.payments:
        points = frontier_for_offers(bargain, offers)
        rows = [np.array(offers.nothing, dtype=np.intp)]
        names: list[tuple[str, Any]] = []
        for k, payment in enumerate(offers.payments):
            for level in range(1, len(payment.levels)):
                row = np.array(offers.nothing, dtype=np.intp)
                row[k] = level
                rows.append(row)
                names.append((payment.id, payment.levels[level]))
        exists, _, product = nash_with(points, reservation(bargain), offers.gain(np.array(rows)))
        base = float(product[0]) if exists[0] else 0.0
        for (pid, level), ok, value in zip(names, exists[1:], product[1:], strict=True):
            single.append(
                {
                    "side_payment": pid,
                    "level": level,
                    "opens_zone": bool(ok),
                    "nash_product_ratio": round(float(value) / base, 9) if base > 0 else None,
                }
            )
    return {"parties": parties, "single_payments": single}


def why_none(document_reach: dict[str, Any], zone: bool, name: Callable[[str], str] = str) -> str:
    """Why no offer helps, in one paragraph (``document_reach``: :func:`reach`'s result;
    ``name``: how a party id reads)."""
    parties = {name(party): p for party, p in document_reach["parties"].items()}
    if zone:
        lowered = [
            s for s in document_reach["single_payments"] if (s["nash_product_ratio"] or 0) < 1
        ]
        text = "A zone of agreement exists without an offer, so none is needed to open one."
        if lowered and len(lowered) == len(document_reach["single_payments"]):
            text += (
                " Every side payment, offered alone, lowers the Nash product: it costs the paying "
                "party more of its margin than it adds to the receiving party's."
            )
        return text
    if all(p["margin"] is None for p in parties.values()):
        return (
            "No combination of the side payments opens a zone of agreement: no package that "
            "crosses no red line is acceptable to all, whatever the values of no deal (with a "
            "commitment: section, also: none is self-enforcing), and a payment at signing changes "
            "neither."
        )
    parts = []
    for party, p in parties.items():
        if p["margin"] is None:
            parts.append(f"{party}: no package gives every other party its value of no deal")
        elif p["margin"] < 0:
            short = -p["margin"]
            most = p["most_an_offer_adds"]
            if not p["reached_by"]:
                parts.append(f"{party} is {short:.1f} points short and no side payment reaches it")
            elif most < short:
                parts.append(f"{party} is {short:.1f} points short; offers add at most {most:.1f}")
            else:
                parts.append(
                    f"{party} is {short:.1f} points short; offers add up to {most:.1f}, but "
                    "not without costing a paying party more than it has to spare"
                )
    return (
        "No combination of the side payments opens a zone of agreement: " + "; ".join(parts) + "."
    )


__all__ = ["free_points", "margins", "reach", "why_none"]
