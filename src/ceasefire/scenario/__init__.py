"""Scenario files: the models, loading with positioned errors, and the bundled scenarios."""

from ceasefire.scenario.catalog import DEFAULT_SCENARIO, bundled_scenarios, resolve_scenario
from ceasefire.scenario.events import scenario_at, scenario_at_month
from ceasefire.scenario.load import (
    LoadedScenario,
    Located,
    ScenarioError,
    load_scenario,
    parse_scenario,
)
from ceasefire.scenario.model import SCHEMA_VERSION, Issue, Party, Preferences, Scenario, Source

__all__ = [
    "DEFAULT_SCENARIO",
    "SCHEMA_VERSION",
    "Issue",
    "LoadedScenario",
    "Located",
    "Party",
    "Preferences",
    "Scenario",
    "ScenarioError",
    "Source",
    "bundled_scenarios",
    "load_scenario",
    "parse_scenario",
    "resolve_scenario",
    "scenario_at",
    "scenario_at_month",
]
