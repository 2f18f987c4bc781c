"""A toy scenario with a mediator and side payments (an invented example)."""

from __future__ import annotations

from ceasefire.scenario import LoadedScenario, bundled_scenarios, parse_scenario

MEDIATOR = """  - id: west
    name: West
    role: mediator
issues:"""

OFFERS = """
side_payments:
  - id: aid
    name: Reconstruction aid to South
    offered_by: west
    unit: bn
    levels: [0, 1, 2, 5]
    cost: [0, 1, 2, 5]
    value: {south: [0, 2, 4, 8], west: [0, -1, -2, -5]}
  - id: guarantee
    name: Guarantee of the border to North
    offered_by: west
    levels: [none, guarantee]
    cost: [0, 3]
    value: {north: [0, 6], south: [0, 1]}
"""


def toy_with_offers(south_reservation: float = 55, extra: str = "") -> LoadedScenario:
    """The toy border dispute with South's reservation raised (no zone of agreement at 55), a
    mediator West, and two side payments West controls."""
    text = bundled_scenarios()["toy-border"].read_text()
    text = text.split("\nproposals:", 1)[0] + "\n"  # West's preferences follow South's
    text = text.replace("issues:", MEDIATOR, 1)
    text = text.replace("reservation: 40", f"reservation: {south_reservation}")
    text += (
        """  west:
    weights: {border: 0.5, troops: 0.5}
    values:
      border: {north_line: 50, middle_line: 100, south_line: 50}
      troops: [[0, 100], [100, 0]]
    sources: [textbook]
"""
        + OFFERS
        + extra
    )
    return parse_scenario(text, "toy-offers.yaml")
