"""Every route of the web app with FastAPI's TestClient, good inputs and bad."""

from __future__ import annotations

import json
import re
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ceasefire import runs
from ceasefire.analysis import analyze
from ceasefire.jsonable import jsonable
from ceasefire.scenario import ScenarioError, bundled_scenarios, parse_scenario
from ceasefire.scenario.load import MAX_BYTES
from ceasefire.web.app import create_app
from ceasefire.web.store import INTERRUPTED, Store
from tests.web.api import BASE, queued_run, run_to_end, scenario_id
from tests.web.conftest import free_port

BAD_YAML = b"schema_version: 1\nid: broken\ntitle: [unclosed\nparties: []\n"
BAD_FIELD = b"schema_version: 1\nid: x\ntitle: X\nas_of: 2024-01-01\ncolour: red\n"


def wait(client: TestClient) -> None:
    assert client.app.state.runner.wait_idle(120)  # type: ignore[attr-defined]


def problems(text: bytes, name: str) -> list[tuple[int, int, str]]:
    try:
        parse_scenario(text, name)
    except ScenarioError as error:
        return [(p.line, p.col, p.message) for p in error.problems]
    raise AssertionError("expected the text to be invalid")


# ---- scenarios -------------------------------------------------------------------------------


def test_bundled_scenarios_are_listed(client: TestClient) -> None:
    listed = client.get("/api/scenarios")
    assert listed.status_code == 200
    names = {s["name"] for s in listed.json()}
    assert {"toy-border", "russia-ukraine-2023-12"} <= names
    assert all(s["origin"] == "bundled" and "text" not in s for s in listed.json())


def test_upload_as_multipart_file_then_as_raw_yaml(client: TestClient, toy_text: str) -> None:
    text = toy_text.replace("id: toy-border", "id: my-toy")
    first = client.post("/api/scenarios", files={"file": ("mine.yaml", text, "application/yaml")})
    assert first.status_code == 201, first.text
    row = first.json()
    assert (row["name"], row["version"], row["origin"]) == ("my-toy", 1, "uploaded")
    again = client.post(
        "/api/scenarios", content=text.encode(), headers={"content-type": "application/yaml"}
    )
    assert again.status_code == 200 and again.json()["id"] == row["id"]
    edited = text.replace("title: A two-issue border dispute", "title: Edited")
    raw = client.post("/api/scenarios", content=edited, headers={"content-type": "text/plain"})
    assert raw.status_code == 201 and raw.json()["version"] == 2
    stored = client.get(f"/api/scenarios/{raw.json()['id']}").json()
    assert stored["text"] == edited
    assert stored["sha256"] == parse_scenario(edited).sha256


def test_an_upload_with_a_bundled_id_is_a_scenario_of_its_own(
    client: TestClient, toy_text: str
) -> None:
    """Issue 17, defect 8: it silently became "v2" of the bundled scenario."""
    edited = toy_text.replace("title: A two-issue border dispute", "title: My own border")
    assert edited != toy_text
    response = client.post("/api/scenarios", files={"file": ("toy.yaml", edited, "text/yaml")})
    assert response.status_code == 201, response.text
    row = response.json()
    assert (row["name"], row["version"]) == ("toy-border (upload)", 1)
    bundled = [s for s in client.get("/api/scenarios").json() if s["name"] == "toy-border"]
    assert [s["version"] for s in bundled] == [1]
    # The bundled text itself is the bundled scenario, as before.
    same = client.post("/api/scenarios", files={"file": ("toy.yaml", toy_text, "text/yaml")})
    assert same.status_code == 200 and same.json()["id"] == bundled[0]["id"]


@pytest.mark.parametrize("body", [BAD_YAML, BAD_FIELD])
def test_invalid_scenarios_get_422_with_line_and_column(client: TestClient, body: bytes) -> None:
    response = client.post("/api/scenarios", files={"file": ("bad.yaml", body, "text/yaml")})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["line"], e["col"], e["message"]) for e in errors] == problems(body, "bad.yaml")
    assert all(re.match(r"bad\.yaml:\d+:\d+: ", e["where"]) for e in errors)


def test_uploads_over_5_mb_are_refused(client: TestClient) -> None:
    # declared too large: refused before the body is read
    big = b"#" * (MAX_BYTES + 100 * 1024)
    assert client.post("/api/scenarios", files={"file": ("big.yaml", big)}).status_code == 413
    # a file just over the limit inside a request that fits the body cap
    just_over = b"#" * (MAX_BYTES + 1)
    response = client.post("/api/scenarios", files={"file": ("big.yaml", just_over)})
    assert response.status_code == 413
    # sent in chunks without a length: counted as it arrives
    chunks = (b"#" * 1024 * 1024 for _ in range(7))
    response = client.post(
        "/api/scenarios", content=chunks, headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 413
    # nothing was stored: only the bundled scenarios are listed
    assert len(client.get("/api/scenarios").json()) == len(bundled_scenarios())


def test_other_bad_uploads(client: TestClient, toy_text: str) -> None:
    as_json = client.post("/api/scenarios", json={"text": toy_text})
    assert as_json.status_code == 415
    no_file = client.post("/api/scenarios", files={"other": ("x.yaml", toy_text)})
    assert no_file.status_code == 422
    empty = client.post("/api/scenarios", content=b"", headers={"content-type": "application/yaml"})
    assert empty.status_code == 422
    binary = client.post("/api/scenarios", files={"file": ("x.yaml", b"\xff\xfe\x00bad")})
    assert binary.status_code == 422


def test_an_upload_name_is_only_a_label_never_a_path(client: TestClient, tmp_path: Path) -> None:
    target = tmp_path / "written.yaml"
    response = client.post(
        "/api/scenarios", files={"file": (f"../../..{target}", BAD_YAML, "text/yaml")}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["where"].startswith("written.yaml:")
    assert not target.exists()


def test_unknown_scenarios_are_404_and_bad_ids_422(client: TestClient) -> None:
    assert client.get("/api/scenarios/999").status_code == 404
    assert client.get("/api/scenarios/abc").status_code == 422
    assert client.get("/api/scenarios/999/knobs").status_code == 404
    assert client.get("/api/scenarios/999/analyses").status_code == 404
    assert client.post("/api/scenarios/999/versions", content=b"x").status_code == 404


def test_edit_and_save_a_new_version(client: TestClient, toy_text: str) -> None:
    toy = scenario_id(client, "toy-border")
    edited = toy_text.replace("reservation: 40", "reservation: 45")
    response = client.post(
        f"/api/scenarios/{toy}/versions", files={"file": ("toy-border.yaml", edited)}
    )
    assert response.status_code == 201
    row = response.json()
    assert (row["version"], row["origin"], row["parent_id"]) == (2, "edited", toy)
    invalid = client.post(
        f"/api/scenarios/{toy}/versions",
        content=b"schema_version: 1\nid: [\n",
        headers={"content-type": "application/yaml"},
    )
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["line"] >= 1


def test_knobs_and_analyses(client: TestClient) -> None:
    toy = scenario_id(client, "toy-border")
    knobs = client.get(f"/api/scenarios/{toy}/knobs").json()
    assert {"preferences.south.reservation", "preferences.north.weights.border"} <= {
        k["path"] for k in knobs
    }
    names = [a["name"] for a in client.get("/api/analyses").json()]
    assert "analyze" in names
    offered = [a["name"] for a in client.get(f"/api/scenarios/{toy}/analyses").json()]
    assert offered[0] == "analyze"


# ---- runs ------------------------------------------------------------------------------------


def test_a_run_stores_the_analyze_document(client: TestClient, toy_text: str) -> None:
    toy = scenario_id(client, "toy-border")
    run = run_to_end(client, scenario_id=toy, analysis="analyze", seed=5)
    assert run["status"] == "done", run
    assert run["seed"] == 5 and run["version"] and run["finished_at"] >= run["started_at"]
    result = client.get(f"/api/runs/{run['id']}/result")
    expected = jsonable(analyze(parse_scenario(toy_text)).to_dict())
    assert result.json() == json.loads(json.dumps(expected))
    assert client.get(f"/api/runs/{run['id']}/scenario").text == toy_text
    figures = client.get(f"/api/runs/{run['id']}/figures").json()
    assert [f["name"] for f in figures["figures"]] == ["utility_space", "issue_comparison"]
    assert figures["figures"][0]["figure"]["data"][0]["type"] == "scatter"
    assert figures["findings"][0].startswith("Today 1 Pareto-optimal package")
    report = client.get(f"/api/runs/{run['id']}/report")
    assert report.status_code == 200 and "<!DOCTYPE html>" in report.text
    assert "attachment" in report.headers["content-disposition"]


def test_what_if_changes_make_a_new_run_beside_the_old(client: TestClient) -> None:
    toy = scenario_id(client, "toy-border")
    first = run_to_end(client, scenario_id=toy)
    second = run_to_end(
        client,
        scenario_id=toy,
        changes={"preferences.south.reservation": 60},
        parent_run_id=first["id"],
    )
    assert second["status"] == "done" and second["parent_run_id"] == first["id"]
    assert second["parameters"]["changes"] == {"preferences.south.reservation": 60.0}
    assert second["scenario_sha256"] != first["scenario_sha256"]
    before = client.get(f"/api/runs/{first['id']}/result").json()
    after = client.get(f"/api/runs/{second['id']}/result").json()
    assert before["reservation"]["south"] == 40 and after["reservation"]["south"] == 60
    assert before["zopa"]["exists"] and not after["zopa"]["exists"]
    assert after["provenance"]["what_if"] == {"preferences.south.reservation": 60.0}
    listed = client.get("/api/runs", params={"scenario_id": toy}).json()
    assert [r["id"] for r in listed] == [second["id"], first["id"]]
    page = client.get(f"/runs/{second['id']}")
    assert page.status_code == 200 and 'id="comparison"' in page.text
    assert "preferences.south.reservation" in page.text
    first_page = client.get(f"/runs/{first['id']}").text
    assert "Border line: The southern ridge" in first_page  # each chosen package, in labels


def test_a_negotiation_run(client: TestClient) -> None:
    toy = scenario_id(client, "toy-border")
    run = run_to_end(
        client,
        scenario_id=toy,
        analysis="negotiate",
        seed=3,
        options={"protocol": "alternating", "rounds": 30, "strategy": "linear"},
    )
    assert run["status"] == "done", run
    result = client.get(f"/api/runs/{run['id']}/result").json()
    assert result["strategies"] == {"north": "linear", "south": "linear"}
    assert result["rounds"] == 30 and result["provenance"]["seed"] == 3
    figures = client.get(f"/api/runs/{run['id']}/figures").json()
    assert [f["name"] for f in figures["figures"]] == ["negotiation"]
    page = client.get(f"/runs/{run['id']}")
    assert page.status_code == 200 and "simulated talks" in page.text


def test_a_war_run_and_its_sliders(client: TestClient) -> None:
    war_text = (Path(__file__).parents[1] / "report" / "data" / "border-war.yaml").read_bytes()
    uploaded = client.post("/api/scenarios", files={"file": ("border-war.yaml", war_text)})
    assert uploaded.status_code == 201
    war_id = uploaded.json()["id"]
    offered = [a["name"] for a in client.get(f"/api/scenarios/{war_id}/analyses").json()]
    assert "war" in offered
    run = run_to_end(client, scenario_id=war_id, analysis="war", seed=2, samples=300)
    assert run["status"] == "done", run
    result = client.get(f"/api/runs/{run['id']}/result").json()
    assert result["provenance"]["parameters"] == {"samples": 300, "months": 12, "aid_scale": 1.0}
    assert len(result["territory"]["p50"]) == 13
    figures = client.get(f"/api/runs/{run['id']}/figures").json()
    assert [f["name"] for f in figures["figures"]] == ["war_fans"]
    more_aid = run_to_end(
        client,
        scenario_id=war_id,
        analysis="war",
        seed=2,
        samples=300,
        changes={"war.aid.0.military_usd_bn_per_month": 6.0},
        parent_run_id=run["id"],
    )
    assert more_aid["status"] == "done"
    page = client.get(f"/runs/{more_aid['id']}").text
    assert "war.aid.0.military_usd_bn_per_month" in page and "Aid levels" in page
    # The comparison names the assumption and shows the value the first run used: the file's
    # distribution, not "as in the file".
    changed = re.search(r'<table class="list" id="comparison-changes">.*?</table>', page, re.S)
    assert changed is not None
    assert "Ally of the West → West: military aid, USD bn a month" in changed.group(0)
    assert "uniform(low 1, high 3)" in changed.group(0) and ">6<" in changed.group(0)
    assert "as in the file" not in page
    # The war model gives the values of no deal: the file's fixed one is not a what-if (the
    # repro of issue 17, defect 1, on the flagship).
    flagship = scenario_id(client, "russia-ukraine-2023-12")
    refused = client.post(
        "/api/runs",
        json={"scenario_id": flagship, "changes": {"preferences.russia.no_deal.cost": -30}},
    )
    assert refused.status_code == 422 and "not an assumption" in refused.text
    toy = scenario_id(client, "toy-border")
    assert client.post("/api/runs", json={"scenario_id": toy, "analysis": "war"}).status_code == 422


def test_a_robustness_run(client: TestClient) -> None:
    text = (Path(__file__).parents[1] / "report" / "data" / "toy-uncertain.yaml").read_bytes()
    uploaded = client.post("/api/scenarios", files={"file": ("toy-uncertain.yaml", text)})
    assert uploaded.status_code == 201
    run = run_to_end(
        client, scenario_id=uploaded.json()["id"], analysis="robust", samples=1000, seed=1
    )
    assert run["status"] == "done", run
    result = client.get(f"/api/runs/{run['id']}/result").json()
    assert result["samples"] == 1000 and result["seed"] == 1
    assert 0.55 < result["p_zopa"] < 0.78
    figures = client.get(f"/api/runs/{run['id']}/figures").json()
    assert [f["name"] for f in figures["figures"]] == ["robustness"]
    page = client.get(f"/runs/{run['id']}").text
    assert 'id="robust-table"' in page and "most robust" in page
    assert f"{100 * result['p_zopa']:.1f}%" in page


def test_a_sensitivity_run(client: TestClient) -> None:
    run = run_to_end(client, scenario_id=scenario_id(client, "toy-border"), analysis="sensitivity")
    assert run["status"] == "done", run
    result = client.get(f"/api/runs/{run['id']}/result").json()
    assert result["method"] == "oat" and "zopa_margin" in result["tornado"]
    figures = client.get(f"/api/runs/{run['id']}/figures").json()
    assert [f["name"] for f in figures["figures"]] == ["sensitivity"]


def test_the_form_offers_sobol_and_a_sobol_run_warns_of_shaky_indices(client: TestClient) -> None:
    """Issue 17: the web form chooses Sobol indices for a sensitivity analysis, and the results
    page warns where an index's 95% interval is wider than the index (a small base sample)."""
    toy = scenario_id(client, "toy-border")
    page = client.get(f"/scenarios/{toy}").text
    assert 'data-for="sensitivity"' in page and '<option value="sobol">' in page
    assert 'id="sobol-hint"' in page
    run = run_to_end(
        client,
        scenario_id=toy,
        analysis="sensitivity",
        options={"method": "sobol", "sobol_samples": 8},
    )
    assert run["status"] == "done", run
    result = client.get(f"/api/runs/{run['id']}/result").json()
    assert result["method"] == "sobol" and result["sobol"]
    shaky = sum(
        1
        for rows in result["sobol"].values()
        for row in rows
        for key in ("S1", "ST")
        if isinstance(row.get(key), float) and row.get(f"{key}_conf", 0) > abs(row[key])
    )
    shown = client.get(f"/runs/{run['id']}").text
    assert ('id="sobol-warning"' in shown) == (shaky > 0)
    assert shaky > 0  # eight base samples: some interval is wider than its index


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"analysis": "negotiate", "options": {"protocol": "shouting"}}, 422),
        ({"analysis": "negotiate", "options": {"rounds": 0}}, 422),
        ({"analysis": "negotiate", "options": {"strategy": "bribery"}}, 422),
        ({"analysis": "negotiate", "options": {"colour": "red"}}, 422),
        ({"analysis": "analyze", "options": {"rounds": 3}}, 422),
        ({"analysis": "sensitivity", "options": {"method": "morris"}}, 422),
        ({"analysis": "sensitivity", "options": {"method": "sobol", "sobol_samples": 100}}, 422),
        ({"analysis": "sensitivity", "options": {"sobol_samples": 64}}, 422),
        ({"scenario_id": 999}, 404),
        ({"analysis": "astrology"}, 422),
        ({"seed": -1}, 422),
        ({"samples": 0}, 422),
        ({"changes": {"preferences.south.reservation": 500}}, 422),
        ({"changes": {"title": 1}}, 422),
        ({"parent_run_id": 999}, 404),
    ],
)
def test_bad_run_requests(client: TestClient, body: dict[str, Any], status: int) -> None:
    request = {"scenario_id": scenario_id(client, "toy-border"), **body}
    response = client.post("/api/runs", json=request)
    assert response.status_code == status, response.text
    assert client.get("/api/runs").json() == []


def test_unfinished_and_unknown_runs(client: TestClient) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    toy = scenario_id(client, "toy-border")
    queued = queued_run(store, toy)
    assert client.get(f"/api/runs/{queued.id}").json()["status"] == "queued"
    for part in ("result", "figures", "report"):
        assert client.get(f"/api/runs/{queued.id}/{part}").status_code == 409
        assert client.get(f"/api/runs/999/{part}").status_code == 404
    assert client.get("/api/runs/999").status_code == 404
    assert client.get("/runs/999").status_code == 404
    assert client.get("/api/runs", params={"limit": 0}).status_code == 422


def test_a_failing_analysis_is_recorded_as_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: Any, **__: Any) -> dict[str, Any]:
        raise RuntimeError("the model broke")

    monkeypatch.setitem(runs.RUNS, "analyze", replace(runs.RUNS["analyze"], runner=explode))
    # On a thread of this process, where the patched analysis is the one that runs.
    app = create_app(tmp_path / "ceasefire.db", isolated_runs=False)
    with TestClient(app, base_url=BASE) as client:
        run = run_to_end(client, scenario_id=scenario_id(client, "toy-border"))
        assert run["status"] == "failed" and run["error"] == "RuntimeError: the model broke"
        page = client.get(f"/runs/{run['id']}")
        assert "the model broke" in page.text


def test_an_interrupted_run_is_failed_by_the_next_server(tmp_path: Path) -> None:
    path = tmp_path / "ceasefire.db"
    with TestClient(create_app(path), base_url=BASE) as first:
        toy = scenario_id(first, "toy-border")
        done = run_to_end(first, scenario_id=toy)
        store: Store = first.app.state.store  # type: ignore[attr-defined]
        cut = queued_run(store, toy)
        store.start(cut.id)  # as if the server died in the middle of this run
    with TestClient(create_app(path), base_url=BASE) as second:
        assert second.get(f"/api/runs/{done['id']}").json()["status"] == "done"
        failed = second.get(f"/api/runs/{cut.id}").json()
        assert failed["status"] == "failed" and failed["error"] == INTERRUPTED
        assert second.get(f"/api/runs/{done['id']}/result").status_code == 200


# ---- pages, forms and static files -------------------------------------------------------------


def test_pages_render(client: TestClient) -> None:
    toy = scenario_id(client, "toy-border")
    index = client.get("/")
    assert index.status_code == 200 and "toy-border" in index.text
    page = client.get(f"/scenarios/{toy}")
    assert page.status_code == 200 and "A two-issue border dispute" in page.text
    assert client.get("/scenarios/999").status_code == 404
    run = run_to_end(client, scenario_id=toy)
    run_page = client.get(f"/runs/{run['id']}")
    assert run_page.status_code == 200
    assert 'class="knob-input"' in run_page.text and 'id="solutions-table"' in run_page.text
    assert '<script src="/static/plotly.min.js">' in run_page.text


def test_ui_check_shows_errors_next_to_their_line(client: TestClient, toy_text: str) -> None:
    valid = client.post("/ui/check", data={"text": toy_text}, headers={"HX-Request": "true"})
    assert valid.status_code == 200 and "✓ Valid" in valid.text
    invalid = client.post(
        "/ui/check", data={"text": BAD_FIELD.decode()}, headers={"HX-Request": "true"}
    )
    assert invalid.status_code == 422
    (line, col, message), *_ = problems(BAD_FIELD, "pasted.yaml")
    listing = re.search(
        rf'<li class="line bad" value="{line}">(.*?)</li>', invalid.text, flags=re.DOTALL
    )
    assert listing is not None
    assert f"line {line}, column {col}: {message}" in listing.group(1).replace("&#39;", "'")


def test_ui_save_redirects_to_the_new_scenario(client: TestClient, toy_text: str) -> None:
    text = toy_text.replace("id: toy-border", "id: pasted-toy")
    saved = client.post("/ui/scenarios", data={"text": text}, headers={"HX-Request": "true"})
    assert saved.status_code == 204
    new_id = scenario_id(client, "pasted-toy")
    assert saved.headers["HX-Redirect"] == f"/scenarios/{new_id}"
    version = client.post(
        f"/ui/scenarios/{new_id}/versions",
        data={"text": text.replace("reservation: 40", "reservation: 41")},
        headers={"HX-Request": "true"},
    )
    assert version.status_code == 204
    assert version.headers["HX-Redirect"] == f"/scenarios/{scenario_id(client, 'pasted-toy')}"


def test_static_files_come_from_the_package(client: TestClient) -> None:
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and htmx.text.startswith("var htmx=")
    plotly = client.get("/static/plotly.min.js")
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_openapi_schema_and_no_cdn_docs(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/scenarios",
        "/api/runs",
        "/api/runs/{run_id}",
        "/api/runs/{run_id}/figures",
    } <= paths
    assert not any(p.startswith("/ui") or p == "/" for p in paths)
    assert client.get("/api/docs").status_code == 404


def test_writes_from_another_site_are_refused(client: TestClient, toy_text: str) -> None:
    response = client.post(
        "/api/scenarios",
        content=toy_text,
        headers={"content-type": "application/yaml", "origin": "http://elsewhere.example"},
    )
    assert response.status_code == 403
    same = client.post(
        "/api/scenarios",
        content=toy_text,
        headers={"content-type": "application/yaml", "origin": BASE},
    )
    assert same.status_code in (200, 201)


def test_serve_binds_to_this_machine_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    from ceasefire.cli import app

    calls: list[dict[str, Any]] = []

    def run(server: uvicorn.Server, sockets: list[socket.socket]) -> None:
        (listening,) = sockets
        config = server.config
        calls.append(
            {"host": config.host, "port": config.port, "log_level": config.log_level}
            | {"bound": listening.getsockname()}
        )

    monkeypatch.setattr(uvicorn.Server, "run", run)
    port = free_port()
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert f"ceasefire web app on http://127.0.0.1:{port}/" in result.output
    expected = {"host": "127.0.0.1", "port": port, "log_level": "warning"}
    assert calls == [expected | {"bound": ("127.0.0.1", port)}]
    assert (tmp_path / "x.db").exists()
    monkeypatch.setenv("CEASEFIRE_DB", str(tmp_path / "env.db"))
    other = free_port()
    CliRunner().invoke(app, ["serve", "--port", str(other)])
    assert (tmp_path / "env.db").exists() and calls[-1]["port"] == other


def test_a_stored_text_that_no_longer_validates_is_a_422(client: TestClient) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    row, _ = store.add_scenario(
        name="old", title="Old", text="schema_version: 0\n", sha256="f" * 64, origin="uploaded"
    )
    for url in (f"/api/scenarios/{row.id}/knobs", f"/api/scenarios/{row.id}/analyses"):
        response = client.get(url)
        assert response.status_code == 422 and response.json()["errors"][0]["line"] == 1
    assert client.get(f"/scenarios/{row.id}").status_code == 422
    assert client.post("/api/runs", json={"scenario_id": row.id}).status_code == 422
