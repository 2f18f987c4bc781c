"""Every source the historical cases and the validation code cite is in the bibliography."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.validation.backtest import bundled_cases

ROOT = Path(__file__).resolve().parents[2]
BIBLIOGRAPHY = ROOT / "docs" / "reference" / "bibliography.md"
KEY = re.compile(r"\[([A-Z][A-Za-z]+\d{4})\]")


def bibliography_keys() -> set[str]:
    return set(re.findall(r"^- \*\*([^*]+)\*\*", BIBLIOGRAPHY.read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("scenario_id", sorted(bundled_cases()))
def test_every_source_of_a_historical_case_is_listed(scenario_id: str) -> None:
    scenario = load_scenario(bundled_scenarios()[scenario_id]).scenario
    ids = [s.id for s in scenario.sources]
    if scenario.war is not None:
        ids += [s.id for s in scenario.war.source_records]
    if scenario.record is not None:
        ids += [s.id for s in scenario.record.source_records]
    assert sorted(set(ids) - bibliography_keys()) == []


def test_validation_code_and_docs_cite_known_keys() -> None:
    files = [
        *sorted((ROOT / "src" / "ceasefire" / "validation").glob("*.py")),
        ROOT / "docs" / "explanation" / "validation.md",
        ROOT / "docs" / "how-to" / "backtest.md",
    ]
    cited = {(p.name, k) for p in files for k in KEY.findall(p.read_text(encoding="utf-8"))}
    assert cited and {(f, k) for f, k in cited if k not in bibliography_keys()} == set()
