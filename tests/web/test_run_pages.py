"""Run pages of mediation, tournament and Sobol sensitivity results, from their documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from ceasefire import runs
from ceasefire.scenario import LoadedScenario, load_scenario
from ceasefire.web.store import Store
from tests.mediation.scenarios import toy_with_offers


def stored_run(
    client: TestClient, loaded: LoadedScenario, kind: str, document: dict[str, Any]
) -> str:
    """The run page of a finished run holding ``document`` (the analysis is not rerun)."""
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    scenario, _ = store.add_scenario(
        name=loaded.scenario.id,
        title=loaded.scenario.title,
        text=loaded.text,
        sha256=loaded.sha256,
        origin="uploaded",
    )
    run = store.add_run(
        scenario_id=scenario.id,
        analysis=kind,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        parameters={"changes": {}},
        seed=0,
        version="test",
    )
    store.start(run.id)
    store.finish(run.id, document)
    page = client.get(f"/runs/{run.id}")
    assert page.status_code == 200
    return page.text


def section(page: str, name: str) -> str:
    found = re.search(rf'<section id="{name}">.*?</section>', page, re.S)
    assert found is not None, name
    return found.group(0)


def test_a_mediation_page_shows_each_offer_in_words(client: TestClient) -> None:
    loaded = toy_with_offers()
    document = runs.run("mediate", loaded, budget=5).document
    page = section(stored_run(client, loaded, "mediate", document), "mediation")
    assert "Without an offer" in page and "none" in page
    assert "Cheapest offer that opens a zone" in page
    assert "Guarantee of the border to North: <strong>guarantee</strong>" in page
    assert "Reconstruction aid to South: <strong>5 bn</strong>" in page
    assert "West 3" in page  # who pays the cheapest offer
    assert "Border line: middle line" in page  # the Nash package, in labels


def test_a_tournament_page_ranks_strategies_with_intervals(
    client: TestClient, toy_path: Path
) -> None:
    loaded = load_scenario(toy_path)
    document = runs.run("tournament", loaded, runs=2, rounds=10).document
    page = section(stored_run(client, loaded, "tournament", document), "tournament")
    for row in document["ranking"]:
        low, high = row["mean_gain_ci"]
        assert f"{low:.1f} to {high:.1f}" in page
    assert "tit for tat" in page and "tit_for_tat" not in page


def test_unreliable_sobol_estimates_carry_a_warning(client: TestClient, toy_path: Path) -> None:
    loaded = load_scenario(toy_path)
    reliable = {
        "input": "preferences.south.weights",
        "S1": 0.6,
        "S1_conf": 0.1,
        "ST": 0.7,
        "ST_conf": 0.1,
    }
    shaky = {
        "input": "preferences.north.no_deal",
        "S1": 0.05,
        "S1_conf": 0.08,
        "ST": 0.1,
        "ST_conf": 0.04,
    }
    document = {"method": "sobol", "sobol": {"zopa_margin": [reliable]}, "outputs": {}}
    page = stored_run(client, loaded, "sensitivity", document)
    assert 'id="sobol-warning"' not in page
    document["sobol"]["zopa_margin"].append(shaky)
    page = section(stored_run(client, loaded, "sensitivity", document), "sobol")
    assert 'id="sobol-warning"' in page and "1 of these indices" in page  # S1 0.05 ± 0.08
    assert "North: value of no deal" in page and "South: weights" in page  # inputs in words
