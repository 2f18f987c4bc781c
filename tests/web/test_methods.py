"""The forecast, stability and fair-division pages: from an uploaded file or a stored scenario."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from ceasefire.fair_division.document import divide_document, load_points
from ceasefire.forecast.document import forecast_document, load_actors
from ceasefire.stability.document import stability_file

DATA = Path(__file__).parents[1] / "data"


def upload(client: TestClient, url: str, path: Path, **fields: str) -> object:
    with path.open("rb") as handle:
        return client.post(url, files={"file": (path.name, handle)}, data=fields)


def test_a_forecast_from_an_uploaded_csv_is_the_command_s_document(client: TestClient) -> None:
    path = DATA / "bdm" / "emission_standards_bdm1994.csv"
    response = upload(client, "/api/methods/forecast", path, rounds="4")
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    document = response.json()  # type: ignore[attr-defined]
    expected = forecast_document(load_actors(path), rounds=4)
    assert document["median"] == expected["median"] and document["mean"] == expected["mean"]
    assert document["source"] == "uploaded file"
    page = upload(client, "/ui/methods/forecast", path, rounds="4")
    text = page.text  # type: ignore[attr-defined]
    assert 'id="forecast-table"' in text and "Netherlands" in text
    assert 'id="method-figures"' in text and "Expected-utility forecast (Bueno" in text


def test_stability_and_divide_pages(client: TestClient) -> None:
    chicken = DATA / "stability" / "chicken.yaml"
    page = upload(client, "/ui/methods/stability", chicken).text  # type: ignore[attr-defined]
    expected = stability_file(chicken)["equilibria"]["nash"]
    assert "<strong>NASH</strong> " + ", ".join(map(str, expected)) in page
    assert "A drives straight on" in page  # options by their labels
    points = DATA / "fair_division" / "bob_carol.csv"
    page = upload(client, "/ui/methods/divide", points).text  # type: ignore[attr-defined]
    totals = divide_document(load_points(points))["totals"]
    assert f"{totals['Carol']:.2f}" in page and "Retirement Account (split)" in page
    for name in ("forecast", "stability", "divide"):
        assert client.get(f"/methods/{name}").status_code == 200
    assert client.get("/methods/astrology").status_code == 404


def test_a_division_of_a_stored_scenario_and_bad_input(client: TestClient) -> None:
    rows = client.get("/api/scenarios").json()
    toy = next(r["id"] for r in rows if r["name"] == "toy-border")
    response = client.post("/api/methods/divide", data={"scenario_id": str(toy)})
    assert response.status_code == 200, response.text
    assert (
        set(response.json()["parties"]) == {"North", "South"}
        or len(response.json()["parties"]) == 2
    )
    bad = client.post(
        "/api/methods/stability",
        files={"file": ("model.yaml", b"decision_makers: 3\n")},
    )
    assert bad.status_code == 422 and bad.json()["errors"]
    nothing = client.post("/api/methods/stability", data={"scenario_id": str(toy)})
    assert nothing.status_code == 422


def test_the_state_transition_graph_names_decision_makers() -> None:
    from ceasefire.report.stability_figures import state_transition_graph

    figure = state_transition_graph(stability_file(DATA / "stability" / "elmira.yaml"))
    names = {trace.name for trace in figure.data if trace.name}
    assert "Local Government: improvement" in names
    assert not any(name.startswith("local_government") for name in names)
