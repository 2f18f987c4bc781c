"""Mediation, tournament and a party's own strategy, run from the web app."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mediation.scenarios import toy_with_offers
from tests.web.api import run_to_end


def toy(client: TestClient) -> int:
    rows = client.get("/api/scenarios").json()
    return int(next(r["id"] for r in rows if r["name"] == "toy-border"))


def test_a_party_plays_its_own_strategy(client: TestClient) -> None:
    run = run_to_end(
        client,
        scenario_id=toy(client),
        analysis="negotiate",
        options={"rounds": 12, "strategy": "linear", "strategies": {"south": "hardliner"}},
    )
    assert run["status"] == "done", run
    result = client.get(f"/api/runs/{run['id']}/result").json()
    assert result["strategies"] == {"north": "linear", "south": "hardliner"}
    assert 'id="party-strategies"' in client.get(f"/scenarios/{toy(client)}").text
    bad = client.post(
        "/api/runs",
        json={
            "scenario_id": toy(client),
            "analysis": "negotiate",
            "options": {"strategies": {"south": "bribery"}},
        },
    )
    assert bad.status_code == 422 and "strategies.south" in bad.text


def test_a_tournament_and_a_mediation_from_the_web(client: TestClient) -> None:
    run = run_to_end(
        client, scenario_id=toy(client), analysis="tournament", options={"runs": 2, "rounds": 8}
    )
    assert run["status"] == "done", run
    assert 'id="tournament-table"' in client.get(f"/runs/{run['id']}").text
    offers = toy_with_offers()
    uploaded = client.post("/api/scenarios", files={"file": ("offers.yaml", offers.text.encode())})
    assert uploaded.status_code == 201, uploaded.text
    run = run_to_end(
        client,
        scenario_id=uploaded.json()["id"],
        analysis="mediate",
        options={"budget": 5, "objective": "nash"},
    )
    assert run["status"] == "done", run
    page = client.get(f"/runs/{run['id']}").text
    assert "Cheapest offer that opens a zone" in page and "Best offer within the budget" in page
