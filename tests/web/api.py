"""What the web app's tests share: the address the test client calls, and runs made through the API
or put straight into the store."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from ceasefire.web.store import RunRow, Store

BASE = "http://127.0.0.1"  # the app answers only to the names of the address it is bound to


def scenario_id(client: TestClient, name: str) -> int:
    """The id of the newest stored scenario called ``name``."""
    rows = [s for s in client.get("/api/scenarios").json() if s["name"] == name]
    return int(rows[-1]["id"])


def run_to_end(client: TestClient, **body: Any) -> dict[str, Any]:
    """Start a run (``body`` as ``POST /api/runs`` takes it), wait for it, return its state."""
    response = client.post("/api/runs", json=body)
    assert response.status_code == 202, response.text
    assert client.app.state.runner.wait_idle(120)  # type: ignore[attr-defined]
    run: dict[str, Any] = client.get(f"/api/runs/{response.json()['id']}").json()
    return run


def queued_run(store: Store, scenario_id: int) -> RunRow:
    """A run in the store, queued and never handed to a runner: it stays queued."""
    return store.add_run(
        scenario_id=scenario_id,
        analysis="analyze",
        scenario_text="",
        scenario_sha256="0" * 64,
        parameters={},
        seed=None,
        version="0",
    )
