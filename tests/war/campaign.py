"""A campaign variant of the border-war fixture, shared by the campaign tests."""

from __future__ import annotations

from pathlib import Path

FIXTURE = Path(__file__).parent / "data" / "border-war.yaml"

CAMPAIGN = """  campaign:
    attacker: east
    attrition_start: 0.03
    tolerable_attrition: {dist: uniform, low: 0.03, high: 0.06}
    adaptation_months: 3
    casualties_per_km2: {dist: lognormal, median: 100, sigma: 0.3}
    defender_attack_share: 0.02
    belt_spacing_km: 5
    belt_cost_factor: 0.5
    aid_lag_months: 2
    basis:
      attrition_start: {assumption: "Invented."}
      tolerable_attrition: {assumption: "Invented."}
      adaptation_months: {assumption: "Invented."}
      casualties_per_km2: {assumption: "Invented."}
      defender_attack_share: {assumption: "Invented."}
      belt_spacing_km: {assumption: "Invented."}
      belt_cost_factor: {assumption: "Invented."}
      aid_lag_months: {assumption: "Invented."}
"""


def campaign_text(block: str = CAMPAIGN) -> str:
    """The border-war fixture with a campaign block (before its costs)."""
    text = FIXTURE.read_text(encoding="utf-8")
    return text.replace("  costs:\n", block + "  costs:\n", 1)
