"""The scenario format reference stays true: its example loads, and it names every field."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from ceasefire.scenario import bundled_scenarios, load_scenario, parse_scenario
from ceasefire.scenario import model as m
from ceasefire.scenario import proposals as pr
from ceasefire.scenario import record as r

DOC = Path(__file__).parents[2] / "docs" / "reference" / "scenario-format.md"


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)


def test_the_complete_example_is_the_bundled_toy() -> None:
    example = next(b for b in yaml_blocks(DOC.read_text()) if b.startswith("schema_version"))
    documented = parse_scenario(example, str(DOC)).scenario
    assert documented == load_scenario(bundled_scenarios()["toy-border"]).scenario


def test_every_field_of_the_format_is_documented() -> None:
    text = DOC.read_text()
    models: list[type[BaseModel]] = [
        m.Scenario, m.Source, m.Party, m.Issue, m.Option, m.Preferences, m.NoDeal,
        m.NumericBound, m.Basis, r.Record, r.Agreement, r.Talks, r.Event, r.FrontObservation,
        r.CasualtyObservation, pr.Proposal,
    ]  # fmt: skip
    missing = [
        f"{model.__name__}.{name}"
        for model in models
        for name in model.model_fields
        if f"`{name}`" not in text
    ]
    assert not missing, f"fields missing from {DOC.name}: {missing}"
