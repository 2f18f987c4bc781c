"""The hindsight variant russia-ukraine-2023-12-events is the flagship plus dated events: it is
what its generator writes from the current flagship, it is never a backtest case (no record), and
as of 21 December 2023 it is the flagship; the events change it only from their dates."""

from __future__ import annotations

import datetime as dt

from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.scenario.events import scenario_at
from ceasefire.validation.backtest import bundled_cases
from tests.scenario.make_events_variant import FLAGSHIP, OUT, variant_text


def test_the_bundled_variant_is_what_the_generator_writes() -> None:
    expected = variant_text(FLAGSHIP.read_text(encoding="utf-8"))
    assert OUT.read_text(encoding="utf-8") == expected, (
        "regenerate: .venv/bin/python -m tests.scenario.make_events_variant"
    )


def test_no_backtest_reads_the_future() -> None:
    variant = load_scenario(bundled_scenarios()["russia-ukraine-2023-12-events"]).scenario
    flagship = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario
    assert variant.record is None
    assert "russia-ukraine-2023-12-events" not in bundled_cases()
    assert not flagship.events  # the backtested flagship has no event after its as_of
    assert all(event.date > variant.as_of for event in variant.events)


def test_as_of_the_variant_is_the_flagship_and_the_events_apply_from_their_dates() -> None:
    variant = load_scenario(bundled_scenarios()["russia-ukraine-2023-12-events"]).scenario
    flagship = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"]).scenario
    assert scenario_at(variant, variant.as_of).preferences == flagship.preferences
    before = scenario_at(variant, dt.date(2024, 6, 13))
    assert before.preferences == flagship.preferences
    after_june = scenario_at(variant, dt.date(2024, 6, 14))
    lines = after_june.preferences["russia"].red_lines
    assert "no_membership_informal" in lines["alliance_status"]
    assert after_june.preferences["united_states"] == flagship.preferences["united_states"]
    in_2025 = scenario_at(variant, dt.date(2025, 2, 1)).preferences["united_states"]
    assert in_2025 != flagship.preferences["united_states"]
    assert in_2025.weights == flagship.preferences["united_states"].weights
    assert in_2025.values["alliance_status"]["nato_path_open"] == 40
