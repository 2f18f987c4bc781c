"""Tit for tat: concede when, and as much as, the other side has just conceded.

The absolute tit-for-tat of the imitative tactics of [Faratin1998], the negotiation form of
[Axelrod1984]'s rule. The party opens with its ideal and, as its first reply, makes the smallest
concession that changes its offer (one step down its frontier: TIT FOR TAT opens by cooperating).
From then on it gives up the same share of its range (ideal minus floor) as the other veto parties
gave up of theirs in their latest offers (what their latest offer is worth to them less than their
previous one, over their range on the frontier), averaged over those who have made two offers;
with more than two parties a concession helps someone, not necessarily this party, so it is
measured by what the conceding party sacrificed. A concession too small to change its offer is
returned as one frontier step, so that two tit-for-tat players keep moving; no concession is met
with none, and a retreat with a retreat. The demand never leaves ``[floor, ideal]``.
"""

from __future__ import annotations

import numpy as np

from ceasefire.bargaining.problem import TOLERANCE
from ceasefire.negotiation.strategy import Strategy, View, register_strategy


@register_strategy
class TitForTat(Strategy):
    name = "tit_for_tat"
    title = "Tit for tat (mirrors concessions)"
    description = (
        "Opens with its ideal, concedes one step, then concedes in its own utility what the other "
        "veto parties conceded in their latest offers (at least one step), and retreats if they do."
    )
    bibkey = "Faratin1998"
    cooperative = True

    def target(self, view: View) -> float:
        floor = min(view.floor, view.ideal)
        mine = view.offers_by(view.party)
        if not mine:
            return view.ideal
        previous = float(mine[-1].utilities[view.party])
        step = self.concession(view)
        if step is None:
            first_reply = len(mine) == 1
            step = (
                previous - view.table.space.step_below(view.party, previous) if first_reply else 0.0
            )
        if step > TOLERANCE:
            demand = min(previous - step, view.table.space.step_below(view.party, previous))
        else:
            demand = previous - step
        return float(np.clip(demand, floor, view.ideal))

    def concession(self, view: View) -> float | None:
        """The other veto parties' mean latest sacrifice, as a share of their range on the
        frontier, in this party's utility points (None if no one has made two offers yet)."""
        space = view.table.space
        veto = view.table.problem.veto
        shares = []
        for other in range(view.table.n_parties):
            if other == view.party or not veto[other]:
                continue
            theirs = view.offers_by(other)
            if len(theirs) >= 2:
                span = float(space.ideal[other] - space.utilities[:, other].min())
                given = float(theirs[-2].utilities[other] - theirs[-1].utilities[other])
                shares.append(given / span if span > TOLERANCE else 0.0)
        if not shares:
            return None
        return float(np.mean(shares)) * max(view.ideal - min(view.floor, view.ideal), 0.0)
