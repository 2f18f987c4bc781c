"""Negotiation: protocols, strategies and talks while the war goes on.

Static analysis says which deals exist; this package simulates whether parties with given
tactics, deadlines and war costs find one, how long it takes, and who gains from holding out.
"""

from ceasefire.negotiation import concession, rubinstein, tit_for_tat  # noqa: F401  (registration)
from ceasefire.negotiation.protocols import PROTOCOLS, REVISION_RULES, RevisionRule, Turn
from ceasefire.negotiation.session import NegotiationResult, negotiate
from ceasefire.negotiation.strategy import (
    STRATEGIES,
    Offer,
    Strategy,
    View,
    catalogue,
    make_strategy,
    register_strategy,
)
from ceasefire.negotiation.table import Clock, FixedClock, Table, WarClock

__all__ = [
    "PROTOCOLS",
    "REVISION_RULES",
    "STRATEGIES",
    "Clock",
    "FixedClock",
    "NegotiationResult",
    "Offer",
    "RevisionRule",
    "Strategy",
    "Table",
    "Turn",
    "View",
    "WarClock",
    "catalogue",
    "make_strategy",
    "negotiate",
    "register_strategy",
]
