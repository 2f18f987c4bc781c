"""The bundled historical cases' commitment sections: Minsk-like terms (no monitoring, no
guarantor) come out fragile, the Korean armistice's terms (a demilitarised zone, a commission, US
forces staying behind the South) durable [Fortna2003, WernerYuen2005]."""

from __future__ import annotations

from ceasefire.commitment import hazard_model
from ceasefire.commitment.durability import package_indices
from ceasefire.scenario import Scenario, bundled_scenarios, load_scenario
from ceasefire.scenario import utility as su

FRAGILE = 0.5  # more likely to break than to hold within five years
DURABLE = 0.9  # fewer than one in ten break within five years


def scenario(name: str) -> Scenario:
    return load_scenario(bundled_scenarios()[name]).scenario


def p_hold(scenario: Scenario, months: int = 60, **options: str | float) -> float:
    package = su.status_quo_package(scenario) | options
    idx = package_indices(scenario, package)
    return float(hazard_model(scenario).p_hold(idx[None, :], months)[0])


def test_minsk_like_terms_at_istanbul_are_fragile() -> None:
    """A neutrality deal without guarantees (or with a guarantee Russia can block), signed while
    the battle record still pointed both ways, with no observers: Minsk II's shape."""
    istanbul = scenario("russia-ukraine-2022-03")
    for guarantees in ("neutrality_no_guarantees", "neutrality_guarantees_russian_veto"):
        assert p_hold(istanbul, alliance_guarantees=guarantees, line_of_control=13.3) < FRAGILE
    # The communique's guarantees by outside powers make it last longer, not durable.
    guaranteed = p_hold(istanbul, alliance_guarantees="neutrality_guarantees")
    assert FRAGILE < guaranteed < DURABLE
    assert guaranteed > p_hold(istanbul, alliance_guarantees="neutrality_no_guarantees")


def test_the_korean_armistice_terms_are_durable() -> None:
    korea = scenario("korea-1951")
    record = korea.record
    assert record is not None and record.agreement is not None
    armistice = {
        k: v if isinstance(v, str) else float(v) for k, v in record.agreement.package.items()
    }
    assert p_hold(korea, **armistice) > DURABLE
    # Without the commission and with the foreign troops gone, less so: each mechanism counts.
    bare = armistice | {"supervision": "none", "foreign_troops": "withdrawal_all_foreign"}
    assert p_hold(korea, **bare) < p_hold(korea, **armistice)


def test_a_cease_fire_under_resolution_514_has_its_observers() -> None:
    """Every package of the Iran-Iraq case has the UN observers resolution 514 decided to send."""
    iran_iraq = scenario("iran-iraq-1982")
    model = hazard_model(iran_iraq)
    assert model.relevant == ()
    assert p_hold(iran_iraq) > p_hold(scenario("russia-ukraine-2022-03"))
