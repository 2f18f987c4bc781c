"""The bundled historical cases' commitment sections, on the verified table ``lhr2008``
[LoHashimotoReiter2008]: Minsk-like terms (no monitoring, no guarantor) should come out fragile,
the Korean armistice's terms (a demilitarised zone, a commission, US forces staying behind the
South) durable [Fortna2003, WernerYuen2005]; and a guarantee never lowers ``p_hold``.

The thresholds were stated before any result. Where the verified figures no longer give a verdict,
the test stays as a strict expected failure with the numbers: the table is not tuned (the article's
own finding is that agreement strength has almost no effect on the duration of peace)."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.commitment import hazard_model
from ceasefire.commitment.durability import package_indices
from ceasefire.scenario import Scenario, bundled_scenarios, load_scenario
from ceasefire.scenario import utility as su
from ceasefire.scenario.commitment import default_table, split_key

FRAGILE = 0.5  # more likely to break than to hold within five years
DURABLE = 0.9  # fewer than one in ten break within five years
WITH_COMMITMENT = [
    "korea-1951",
    "iran-iraq-1982",
    "russia-ukraine-2022-03",
    "russia-ukraine-2023-12",
    "russia-ukraine-2023-12-events",
]


def scenario(name: str) -> Scenario:
    return load_scenario(bundled_scenarios()[name]).scenario


def p_hold(scenario: Scenario, months: int = 60, **options: str | float) -> float:
    package = su.status_quo_package(scenario) | options
    idx = package_indices(scenario, package)
    return float(hazard_model(scenario).p_hold(idx[None, :], months)[0])


@pytest.mark.parametrize("name", WITH_COMMITMENT)
def test_the_bundled_scenarios_use_the_verified_table(name: str) -> None:
    """The rule, stated before any result: a bundled scenario uses the table whose figures were
    checked against their source."""
    section = scenario(name).commitment
    assert section is not None and section.hazard.defaults == "lhr2008"
    table = default_table("lhr2008")
    assert section.hazard.base is None  # the table's base rate
    effects = [*section.hazard.effects.values(), *section.hazard.context.values()]
    for effect in effects:
        if effect.mechanism is not None:
            assert table.mechanisms[effect.mechanism].verified
            assert "LHR08" in effect.basis.sources


def test_korea_neutral_inspection_is_the_product_of_the_two_table_ratios() -> None:
    """The one ratio a bundled scenario states itself: the Military Armistice Commission with the
    neutral nations' inspection, the product of the table's joint commission and peacekeeping."""
    section = scenario("korea-1951").commitment
    assert section is not None
    ratio = section.hazard.effects["supervision.neutral_nations_commission"].ratio
    assert ratio is not None
    mechanisms = default_table("lhr2008").mechanisms
    product = mechanisms["joint_commission"].ratio * mechanisms["peacekeeping"].ratio
    assert ratio.mean == pytest.approx(product, abs=5e-4)


@pytest.mark.xfail(
    strict=True,
    reason="On lhr2008 a neutrality deal without a guarantor (or with one Russia can block), "
    "signed while the battle record still pointed both ways, holds five years with P = 0.57, "
    "above the 0.5 of 'fragile' (0.38 on the unverified fortna2003): the verified table's base "
    "rate is a quarter of fortna2003's (0.00295 against 0.012 a month) and only the battle "
    "record (ratio 3.16) raises it. Not tuned: LHR 2008 find that agreement strength has almost "
    "no effect (docs/explanation/commitment.md, 'Defaults').",
)
def test_minsk_like_terms_at_istanbul_are_fragile() -> None:
    """A neutrality deal without guarantees (or with a guarantee Russia can block), signed while
    the battle record still pointed both ways, with no observers: Minsk II's shape."""
    istanbul = scenario("russia-ukraine-2022-03")
    for guarantees in ("neutrality_no_guarantees", "neutrality_guarantees_russian_veto"):
        assert p_hold(istanbul, alliance_guarantees=guarantees, line_of_control=13.3) < FRAGILE


def test_the_istanbul_guarantees_make_a_deal_last_longer_not_durable() -> None:
    istanbul = scenario("russia-ukraine-2022-03")
    guaranteed = p_hold(istanbul, alliance_guarantees="neutrality_guarantees")
    bare = p_hold(istanbul, alliance_guarantees="neutrality_no_guarantees")
    vetoed = p_hold(istanbul, alliance_guarantees="neutrality_guarantees_russian_veto")
    assert FRAGILE < guaranteed < DURABLE
    assert guaranteed > bare == vetoed


def test_the_korean_armistice_terms_are_durable() -> None:
    korea = scenario("korea-1951")
    record = korea.record
    assert record is not None and record.agreement is not None
    armistice = {
        k: v if isinstance(v, str) else float(v) for k, v in record.agreement.package.items()
    }
    assert p_hold(korea, **armistice) > DURABLE
    # Without the commission and with the foreign troops gone, less so.
    bare = armistice | {"supervision": "none", "foreign_troops": "withdrawal_all_foreign"}
    assert p_hold(korea, **bare) < p_hold(korea, **armistice)
    # The guarantee is what counts most: US forces gone, the armistice falls below durable.
    assert p_hold(korea, **armistice | {"foreign_troops": "withdrawal_all_foreign"}) < DURABLE


def test_a_cease_fire_under_resolution_514_has_its_observers() -> None:
    """Every package of the Iran-Iraq case has the UN observers resolution 514 decided to send."""
    iran_iraq = scenario("iran-iraq-1982")
    model = hazard_model(iran_iraq)
    assert model.relevant == ()
    assert p_hold(iran_iraq) > p_hold(scenario("russia-ukraine-2022-03"))


@pytest.mark.parametrize("name", WITH_COMMITMENT)
def test_a_guarantee_never_lowers_p_hold_in_the_bundled_scenarios(name: str) -> None:
    """Every option mapped to a third-party guarantee, put in place of any other option of its
    issue, raises (or keeps) the p_hold of every package, at every horizon."""
    current = scenario(name)
    section = current.commitment
    assert section is not None
    model = hazard_model(current)
    rng = np.random.default_rng(0)
    shape = [len(su.option_labels(i)) for i in current.issues]
    packages = np.stack([rng.integers(0, n, 2_000) for n in shape], axis=1)
    guarantees = [
        key for key, e in section.hazard.effects.items() if e.mechanism == "third_party_guarantee"
    ]
    assert guarantees or name == "iran-iraq-1982"
    for key in guarantees:
        found = split_key(key, current.issues)
        assert found is not None
        issue, option = found
        assert option is not None
        k = [i.id for i in current.issues].index(issue.id)
        guaranteed = packages.copy()
        guaranteed[:, k] = issue.option_ids.index(option)
        for months in (12, 36, 60):
            assert (model.p_hold(guaranteed, months) >= model.p_hold(packages, months)).all()
            assert (model.p_hold(guaranteed, months) > model.p_hold(packages, months)).any()
