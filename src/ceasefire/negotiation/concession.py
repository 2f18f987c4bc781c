"""Concession by the clock: the time-dependent tactics of [Faratin1998], and a hardliner.

A time-dependent negotiator asks, at relative time ``t`` in [0, 1] (first to last round), for

    target(t) = floor + (1 - alpha(t)) * (ideal - floor),   alpha(t) = kappa + (1 - kappa) * t**(1/beta)

where ``ideal`` is its best utility over the packages no veto party rules out and ``floor`` the
least it can accept in this round (its reservation value, raised to undo discounting; in a war,
this month's reservation value). ``beta < 1`` concedes late (Boulware), ``beta = 1`` linearly,
``beta > 1`` early (Conceder) [Faratin1998]. The defaults follow the polynomial curves of NegMAS
(exponent ``1/beta`` = 4, 1, 1/4) [Mohammad2021].
"""

from __future__ import annotations

from typing import ClassVar

from ceasefire.negotiation.strategy import Offer, Strategy, View, register_strategy


def concession_target(view: View, alpha: float) -> float:
    """``floor + (1 - alpha) * (ideal - floor)``, never above the ideal."""
    floor = min(view.floor, view.ideal)
    return float(floor + (1.0 - alpha) * (view.ideal - floor))


class TimeDependent(Strategy):
    """Base of the time-dependent family: concession ``alpha(t)`` with parameters beta, kappa."""

    bibkey = "Faratin1998"
    cooperative = True
    defaults: ClassVar[dict[str, float]] = {"beta": 1.0, "kappa": 0.0}

    def __init__(self, **params: float) -> None:
        super().__init__(**params)
        if self.params["beta"] <= 0:
            raise ValueError("beta must be positive")
        if not 0 <= self.params["kappa"] <= 1:
            raise ValueError("kappa must be in [0, 1]")

    def alpha(self, time: float) -> float:
        kappa = self.params["kappa"]
        return float(kappa + (1.0 - kappa) * time ** (1.0 / self.params["beta"]))

    def target(self, view: View) -> float:
        return concession_target(view, self.alpha(view.time))


@register_strategy
class Boulware(TimeDependent):
    name = "boulware"
    title = "Boulware (time-dependent, concedes late)"
    description = "Holds near its ideal and concedes towards its reservation value only as the deadline nears (beta = 0.25)."
    defaults: ClassVar[dict[str, float]] = {"beta": 0.25, "kappa": 0.0}


@register_strategy
class Linear(TimeDependent):
    name = "linear"
    title = "Linear (time-dependent)"
    description = "Concedes from its ideal to its reservation value at a constant rate (beta = 1)."
    defaults: ClassVar[dict[str, float]] = {"beta": 1.0, "kappa": 0.0}


@register_strategy
class Conceder(TimeDependent):
    name = "conceder"
    title = "Conceder (time-dependent, concedes early)"
    description = "Concedes most of the way to its reservation value early on (beta = 4)."
    defaults: ClassVar[dict[str, float]] = {"beta": 4.0, "kappa": 0.0}


@register_strategy
class Hardliner(Strategy):
    name = "hardliner"
    title = "Hardliner"
    description = (
        "Asks for a fixed high share of the way from its reservation value to its ideal and "
        "never accepts less, even at the deadline; offers by its own utility alone."
    )
    bibkey = "Faratin1998"
    cooperative = False
    defaults: ClassVar[dict[str, float]] = {"aspiration": 0.9}

    def target(self, view: View) -> float:
        return concession_target(view, 1.0 - self.params["aspiration"])

    def accepts(self, view: View, offer: Offer) -> bool:
        return float(offer.utilities[view.party]) >= self.target(view) - 1e-9
