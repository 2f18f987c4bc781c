"""Small constructed scenarios with a ``commitment:`` section (invented examples)."""

from __future__ import annotations

from ceasefire.scenario import LoadedScenario, parse_scenario


def powell_pie(shift: float, cost_a: float, cost_b: float, base: float = 1e-6) -> LoadedScenario:
    """Powell's (2006) setting: two sides divide a pie of 100; fighting now gives A 60 and B 40
    less each side's cost of war; over the truce the power shifts by ``shift`` points from A to B
    (A's renewed-war value falls by ``shift``, B's rises by as much); deals almost never break
    for other reasons (hazard ``base`` a month)."""
    text = f"""
schema_version: 1
id: powell-pie
title: A pie and a shift in power
as_of: 2024-01-01
sources:
  - {{id: POWELL06, title: "Powell (2006), War as a commitment problem"}}
parties:
  - {{id: a, name: A (declining), role: belligerent}}
  - {{id: b, name: B (rising), role: belligerent}}
issues:
  - id: share
    name: A's share of the pie
    kind: numeric
    range: [0, 100]
    grid: [{", ".join(str(x) for x in range(101))}]
    status_quo: 60
preferences:
  a:
    weights: {{share: 1}}
    values: {{share: [[0, 0], [100, 100]]}}
    reservation: {60 - cost_a}
  b:
    weights: {{share: 1}}
    values: {{share: [[0, 100], [100, 0]]}}
    reservation: {40 - cost_b}
commitment:
  horizon_months: 60
  hazard:
    base: {{value: {base}, basis: {{assumption: "deals break only through the shift in power"}}}}
  renewed_war:
    shift:
      a: {{value: {-shift}, basis: {{sources: [POWELL06]}}}}
      b: {{value: {shift}, basis: {{sources: [POWELL06]}}}}
"""
    return parse_scenario(text, "powell-pie.yaml")


def truce(context: str, table: str = "fortna2003") -> LoadedScenario:
    """A cease-fire whose terms may include the mechanisms of [Fortna2003]; ``context`` lists the
    circumstances of the talks (YAML of the hazard's ``context`` mapping); ``table``: the shipped
    table of defaults whose ratios apply."""
    text = f"""
schema_version: 1
id: truce
title: A cease-fire and what could make it last
as_of: 2024-01-01
sources:
  - {{id: FORTNA03, title: "Fortna (2003), Scraps of paper?"}}
  - {{id: WY05, title: "Werner and Yuen (2005), Making and keeping peace"}}
parties:
  - {{id: north, name: North, role: belligerent}}
  - {{id: south, name: South, role: belligerent}}
issues:
  - {{id: line, name: Line, options: [current_line, north_withdraws], status_quo: current_line}}
  - {{id: buffer, name: Buffer zone, options: [none, dmz], status_quo: none}}
  - {{id: monitoring, name: Monitoring, options: [none, observers], status_quo: none}}
  - {{id: guarantee, name: Guarantor, options: [none, treaty], status_quo: none}}
  - {{id: commission, name: Commission, options: [none, joint], status_quo: none}}
preferences:
  north:
    weights: {{line: 0.6, buffer: 0.1, monitoring: 0.1, guarantee: 0.1, commission: 0.1}}
    values:
      line: {{current_line: 100, north_withdraws: 0}}
      buffer: {{none: 60, dmz: 40}}
      monitoring: {{none: 60, observers: 50}}
      guarantee: {{none: 100, treaty: 0}}
      commission: {{none: 50, joint: 50}}
    reservation: 40
  south:
    weights: {{line: 0.6, buffer: 0.1, monitoring: 0.1, guarantee: 0.1, commission: 0.1}}
    values:
      line: {{current_line: 30, north_withdraws: 100}}
      buffer: {{none: 40, dmz: 60}}
      monitoring: {{none: 40, observers: 60}}
      guarantee: {{none: 0, treaty: 100}}
      commission: {{none: 50, joint: 50}}
    reservation: 25
commitment:
  horizon_months: 60
  hazard:
    defaults: {table}
    effects:
      buffer.dmz: {{mechanism: dmz, basis: {{sources: [FORTNA03]}}}}
      monitoring.observers: {{mechanism: peacekeeping, basis: {{sources: [FORTNA03]}}}}
      guarantee.treaty: {{mechanism: third_party_guarantee, basis: {{sources: [FORTNA03]}}}}
      commission.joint: {{mechanism: joint_commission, basis: {{sources: [FORTNA03]}}}}
    context:
{context}
"""
    return parse_scenario(text, "truce.yaml")


FORMAL = "      formal: {mechanism: formal_agreement, basis: {sources: [FORTNA03]}}"
DURING_BATTLE = "      battle: {mechanism: inconsistent_battle_record, basis: {sources: [WY05]}}"
