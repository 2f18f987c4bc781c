"""The war model: what fighting on yields, each party's value of no deal, and ripeness.

- :mod:`~ceasefire.war.lanchester`: Lanchester's aimed- and area-fire laws (exact, numerical,
  stochastic) and fitting them to daily strengths;
- :mod:`~ceasefire.war.attrition`: the stochastic campaign model, month by month, vectorised over
  Monte Carlo samples (:func:`simulate`, :class:`WarOutcomes`), with the optional attritional
  campaign (``war.campaign``);
- :mod:`~ceasefire.war.batna`: each party's value of no deal ``V_i(t)`` (:func:`reservation_values`),
  with the war's end states when ``war.outcomes`` gives terms;
- :mod:`~ceasefire.war.settlement`: the option to settle at a later month (``war.settle_later``);
- :mod:`~ceasefire.war.ripeness`: the probability, month by month, that a deal beats fighting on for
  every party with a veto (:func:`ripeness`).

This package knows scenarios but not the bargaining core: :mod:`ceasefire.analysis` composes them.
"""

from ceasefire.war.attrition import BLOCK, WarOutcomes, simulate
from ceasefire.war.batna import Reservations, reservation_values
from ceasefire.war.ripeness import Ripeness, best_slack, red_line_free_points, ripeness

__all__ = [
    "BLOCK",
    "Reservations",
    "Ripeness",
    "WarOutcomes",
    "best_slack",
    "red_line_free_points",
    "reservation_values",
    "ripeness",
    "simulate",
]
