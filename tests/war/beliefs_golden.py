"""Digests of the belief model's results, to check that a change of speed changes no number.

``tests/war/data/beliefs-golden.json`` holds the digests the belief model gave before its events
and speed changes (``python -m tests.war.beliefs_golden`` prints them); ``test_beliefs_golden``
compares today's with them. The scenarios are the invented ones of ``tests/war/data`` with beliefs
about a combat parameter, about aid and about a breaking point, learning from the front and
casualties, and a private type. Every digest was made by the code before
``learning.observe.breaks`` existed: none of these cases observes breaks.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.scenario import parse_scenario
from ceasefire.scenario.model import Scenario
from ceasefire.war import red_line_free_points
from ceasefire.war.beliefs import belief_model

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "beliefs-golden.json"

BORDER_BELIEFS = """beliefs:
  west:
    war:
      aid.scale: {dist: uniform, low: 1.0, high: 1.6}
      combat.breakthrough_slope: {dist: uniform, low: 4, high: 8}
    prior_strength: 6
    basis:
      aid.scale: {assumption: "Invented."}
      combat.breakthrough_slope: {assumption: "Invented."}
  east:
    war:
      aid.scale: {dist: uniform, low: 0.2, high: 0.8}
    prior_strength: 12
    basis:
      aid.scale: {assumption: "Invented."}
learning:
  observe:
    territory: {noise_sd_pct: 0.02}
    casualties: {noise_rel: 0.4}
private:
  east:
    cost_multiplier: {dist: lognormal, median: 1.0, sigma: 0.4}
    basis: {cost_multiplier: {assumption: "Invented."}}
"""

DUEL_BELIEFS = """beliefs:
  east:
    war:
      combat.defence_advantage: {dist: uniform, low: 1.5, high: 3.5}
    prior_strength: 6
    basis:
      combat.defence_advantage: {assumption: "Invented."}
  west:
    war:
      combat.defence_advantage: {dist: uniform, low: 2.5, high: 6}
    prior_strength: 6
    basis:
      combat.defence_advantage: {assumption: "Invented."}
learning:
  observe:
    territory: {noise_sd_pct: 0.5}
    casualties: {noise_rel: 1.0}
"""

# A belief about a breaking point, learnt from the front and casualties only (whether an army has
# broken is not observed): the digest was made by the code before ``learning.observe.breaks``
# existed, so it checks that the channel switched off changes nothing.
BREAK_POINT_BELIEFS = """beliefs:
  east:
    war:
      sides[west].break_casualties: {dist: uniform, low: 2000, high: 40000}
      combat.defence_advantage: {dist: uniform, low: 1.5, high: 3.5}
    prior_strength: 3
    basis:
      sides[west].break_casualties: {assumption: "Invented."}
      combat.defence_advantage: {assumption: "Invented."}
learning:
  observe:
    territory: {noise_sd_pct: 0.5}
    casualties: {noise_rel: 1.0}
"""

CASES: dict[str, tuple[str, str, dict[str, int]]] = {
    "border": ("border-war.yaml", BORDER_BELIEFS, {"worlds": 300, "particles": 40, "months": 9}),
    "duel": ("duel.yaml", DUEL_BELIEFS, {"worlds": 260, "particles": 64, "months": 8}),
    "break-point": (
        "duel.yaml",
        BREAK_POINT_BELIEFS,
        {"worlds": 270, "particles": 48, "months": 6},
    ),
}


def scenario(name: str) -> Scenario:
    file, extra, _ = CASES[name]
    return parse_scenario((DATA / file).read_text() + extra, file).scenario


def digests() -> dict[str, str]:
    """sha256 of every array of each case's result, and of its ``analyze --json`` entry."""
    out = {}
    for name, (_, _, settings) in CASES.items():
        current = scenario(name)
        problem = build_problem(current, {p.id: 0.0 for p in current.parties})
        result = belief_model(current, red_line_free_points(problem), seed=7, **settings)
        h = hashlib.sha256()
        for key in (
            "reservations",
            "line",
            "hurting",
            "p_zopa",
            "p_agreement",
            "belief_gap",
            "ess",
        ):
            h.update(np.ascontiguousarray(getattr(result, key)).tobytes())
        h.update(json.dumps(result.to_dict(), sort_keys=True).encode())
        out[name] = h.hexdigest()
    return out


if __name__ == "__main__":
    print(json.dumps(digests(), indent=2))
