"""Deals that may not hold: the hazard that a deal breaks, the war that follows, and what makes a
deal last (the ``commitment:`` section; equations in ``docs/explanation/commitment.md``).

- :mod:`~ceasefire.commitment.hazard`: the monthly hazard of breakdown and ``p_hold`` of a package;
- :mod:`~ceasefire.commitment.renewed_war`: each party's value of the war after a breakdown;
- :mod:`~ceasefire.commitment.durability`: the effective bargaining problem, Powell's commitment
  gap, and per package the chance it holds, its doubtful clauses and what would make it last.
"""

from ceasefire.commitment.durability import Durability, durability
from ceasefire.commitment.hazard import HazardModel, hazard_model

__all__ = ["Durability", "HazardModel", "durability", "hazard_model"]
