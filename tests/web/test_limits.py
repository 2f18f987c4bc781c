"""Limits and isolation of the web app: host names, the worker that parses uploads, one server per
database, a bounded run queue, deletion, compressed results, cached reports and huge ids."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ceasefire.scenario import ScenarioError
from ceasefire.web.app import create_app
from ceasefire.web.limits import allowed_hosts, host_name
from ceasefire.web.parsing import Parser
from ceasefire.web.store import Store, StoreError
from tests.web.api import BASE, queued_run, run_to_end


def toy_id(client: TestClient) -> int:
    return int(
        next(s["id"] for s in client.get("/api/scenarios").json() if s["name"] == "toy-border")
    )


def finished_run(client: TestClient, **body: Any) -> dict[str, Any]:
    return run_to_end(client, scenario_id=toy_id(client), **body)


def upload(client: TestClient, text: str) -> Any:
    return client.post(
        "/api/scenarios", content=text.encode(), headers={"content-type": "application/yaml"}
    )


# ---- host names (DNS rebinding) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("LocalHost", "localhost"),
        ("::1", "::1"),
        ("evil.example:80", "evil.example"),
    ],
)
def test_host_names_are_read_without_their_port(header: str, name: str) -> None:
    assert host_name(header) == name


def test_only_the_bound_host_names_are_answered(client: TestClient, toy_text: str) -> None:
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"):
        assert client.get("/api/analyses", headers={"host": host}).status_code == 200, host
    # DNS rebinding: a hostile site's name now points at this machine; its page sends its own
    # name as Host and as Origin, which the cross-site guard alone would let through.
    for host in ("evil.example:8000", "127.0.0.1.evil.example", ""):
        response = client.post(
            "/api/scenarios",
            content=toy_text.replace("id: toy-border", "id: rebound"),
            headers={
                "host": host,
                "origin": f"http://{host}",
                "content-type": "application/yaml",
            },
        )
        assert response.status_code == 400, host
        assert client.get("/", headers={"host": host}).status_code == 400
    assert "rebound" not in {s["name"] for s in client.get("/api/scenarios").json()}


def test_a_server_told_its_name_answers_to_it(tmp_path: Path) -> None:
    assert "lab.example" in allowed_hosts("lab.example")
    app = create_app(tmp_path / "a.db", host="lab.example")
    with TestClient(app, base_url="http://lab.example:8000") as named:
        assert named.get("/api/analyses").status_code == 200
        assert named.get("/", headers={"host": "other.example"}).status_code == 400
    wildcard = create_app(tmp_path / "b.db", host="0.0.0.0")
    with TestClient(wildcard, base_url="http://192.0.2.7:8000") as anywhere:
        assert anywhere.get("/api/analyses").status_code == 200  # an address, not a name
        assert anywhere.get("/", headers={"host": "evil.example"}).status_code == 400


# ---- uploads are parsed off the event loop, with a time limit -----------------------------------


def big_scenario(toy_text: str, sources: int) -> str:
    extra = "".join(
        f"  - id: s{i}\n    title: Source number {i} with a longer title to read\n"
        f"    note: a note that makes the file larger, number {i}\n"
        for i in range(sources)
    )
    return toy_text.replace("sources:\n", "sources:\n" + extra, 1).replace(
        "id: toy-border", "id: big-toy", 1
    )


def test_an_upload_does_not_block_other_requests(tmp_path: Path, toy_text: str) -> None:
    """While a large file is parsed, the event loop keeps ticking (it used to stop for seconds).

    Measured in CPU time of the loop's thread, which waiting for a core of a busy machine does
    not add to."""
    app = create_app(tmp_path / "ceasefire.db")
    text = big_scenario(toy_text, 12_000)

    async def scenario() -> tuple[float, float, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            # Warm the worker process so that the timing below is of parsing alone.
            warm = await http.post(
                "/api/scenarios", content=b"x: 1", headers={"content-type": "application/yaml"}
            )
            assert warm.status_code == 422
            lag = 0.0  # the most CPU the loop's thread used between two ticks: time not yielding
            done = asyncio.Event()

            async def ticker() -> None:
                nonlocal lag
                while not done.is_set():
                    before = time.thread_time()
                    await asyncio.sleep(0.01)
                    lag = max(lag, time.thread_time() - before)

            task = asyncio.create_task(ticker())
            await asyncio.sleep(0.05)  # the ticker is running before the upload starts
            started = time.perf_counter()
            response = await http.post(
                "/api/scenarios",
                content=text.encode(),
                headers={"content-type": "application/yaml"},
            )
            took = time.perf_counter() - started
            done.set()
            await task
            return took, lag, response.status_code

    took, lag, status = asyncio.run(scenario())
    app.state.parser.close()
    app.state.lock.release()
    assert status == 201
    assert took > 0.3, f"the file parsed in {took:.2f} s: too fast to show anything"
    assert lag < 0.1, f"the event loop ran {lag:.3f} s without yielding, in {took:.2f} s"


def test_a_file_that_takes_too_long_to_parse_is_refused(toy_text: str) -> None:
    parser = Parser(seconds=0.2)
    try:
        with pytest.raises(ScenarioError) as error:
            asyncio.run(parser.parse(big_scenario(toy_text, 20_000).encode(), "slow.yaml"))
        (problem,) = error.value.problems
        assert (problem.line, problem.col) == (1, 1)
        assert "took longer than 0.2 s" in problem.message
        parser.seconds = 60  # a fresh worker takes the next file
        loaded = asyncio.run(parser.parse(toy_text.encode(), "toy.yaml"))
        assert loaded.scenario.id == "toy-border"
    finally:
        parser.close()


def test_the_parser_reports_problems_with_their_positions(toy_text: str) -> None:
    parser = Parser()
    try:
        with pytest.raises(ScenarioError) as error:
            asyncio.run(parser.parse(b"schema_version: 1\nid: [\n", "bad.yaml"))
        assert all(p.path == "bad.yaml" and p.line >= 1 for p in error.value.problems)
    finally:
        parser.close()


# ---- one server per database ---------------------------------------------------------------------


def test_a_second_server_on_the_same_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ceasefire.db"
    with TestClient(create_app(path), base_url=BASE) as first:
        with pytest.raises(StoreError, match="another ceasefire server is using this database"):
            create_app(path)
        assert first.get("/api/scenarios").status_code == 200
        from ceasefire.cli import app as cli

        result = CliRunner().invoke(cli, ["serve", "--db", str(path)])
        assert result.exit_code == 1
        assert "another ceasefire server is using this database" in result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    with TestClient(create_app(path), base_url=BASE) as again:  # free once the first stops
        assert again.get("/api/scenarios").status_code == 200


def test_serve_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    from ceasefire.cli import app as cli

    path = tmp_path / "notes.txt"
    content = b"these are my notes, not a database\n" * 200
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["serve", "--db", str(path)])
    assert result.exit_code == 1
    assert "not a ceasefire database" in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == content


def test_a_finished_result_is_never_dropped(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    scenario, _ = store.add_scenario(
        name="t", title="T", text="x", sha256="a" * 64, origin="uploaded"
    )
    run = queued_run(store, scenario.id)
    store.start(run.id)
    Store(store.path).fail_interrupted()  # as another server once did on start-up
    assert store.run(run.id).status == "failed"  # type: ignore[union-attr]
    store.finish(run.id, {"answer": 42})
    after = store.run(run.id)
    assert after is not None
    assert (after.status, after.result, after.error) == ("done", {"answer": 42}, None)


def test_concurrent_uploads_of_one_name_get_distinct_versions(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    Store(path)
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def add(worker: int) -> None:
        store = Store(path)  # a connection of its own, as two servers or threads would have
        barrier.wait()
        try:
            for i in range(5):
                sha = f"{worker:02d}{i:02d}".ljust(64, "0")
                store.add_scenario(name="same", title="S", text=sha, sha256=sha, origin="uploaded")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    versions = [row.version for row in Store(path).scenarios()]
    assert sorted(versions) == list(range(1, 41))


# ---- the run queue, deletion, storage ------------------------------------------------------------


def test_a_full_queue_answers_429_with_retry_after(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "db", max_active_runs=2), base_url=BASE) as client:
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        toy = toy_id(client)
        for _ in range(2):  # queued, never submitted to the runner: they stay queued
            queued_run(store, toy)
        response = client.post("/api/runs", json={"scenario_id": toy})
        assert response.status_code == 429
        assert int(response.headers["retry-after"]) > 0
        assert "2 runs are queued or running" in response.json()["detail"]
        assert len(client.get("/api/runs").json()) == 2


def test_delete_runs_and_scenarios(client: TestClient, toy_text: str) -> None:
    first = finished_run(client)
    second = finished_run(
        client, changes={"preferences.south.reservation": 45}, parent_run_id=first["id"]
    )
    assert client.delete(f"/api/runs/{first['id']}").status_code == 204
    assert client.get(f"/api/runs/{first['id']}").status_code == 404
    assert client.delete(f"/api/runs/{first['id']}").status_code == 404
    assert client.get(f"/api/runs/{second['id']}").json()["parent_run_id"] is None
    assert client.get(f"/runs/{second['id']}").status_code == 200

    assert client.delete(f"/api/scenarios/{toy_id(client)}").status_code == 409  # bundled
    mine = upload(client, toy_text.replace("id: toy-border", "id: mine")).json()
    run = client.post("/api/runs", json={"scenario_id": mine["id"]}).json()
    assert client.app.state.runner.wait_idle(120)  # type: ignore[attr-defined]
    page = client.get(f"/scenarios/{mine['id']}")
    assert 'id="delete-scenario"' in page.text
    assert 'id="delete-run"' in client.get(f"/runs/{run['id']}").text
    gone = client.delete(f"/ui/scenarios/{mine['id']}", headers={"HX-Request": "true"})
    assert gone.status_code == 204 and gone.headers["HX-Redirect"] == "/"
    assert client.get(f"/api/scenarios/{mine['id']}").status_code == 404
    assert client.get(f"/api/runs/{run['id']}").status_code == 404
    # Deleting is a write: another site cannot do it.
    other = client.delete(f"/api/runs/{second['id']}", headers={"origin": "http://evil.example"})
    assert other.status_code == 403
    ui = client.delete(f"/ui/runs/{second['id']}")
    assert (
        ui.status_code == 204 and ui.headers["HX-Redirect"] == f"/scenarios/{second['scenario_id']}"
    )


def test_a_run_in_progress_cannot_be_deleted(client: TestClient) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    queued = queued_run(store, toy_id(client))
    assert client.delete(f"/api/runs/{queued.id}").status_code == 409
    assert client.get(f"/api/runs/{queued.id}").status_code == 200


def test_results_are_stored_compressed_and_old_rows_still_read(client: TestClient) -> None:
    run = finished_run(client)
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    with sqlite3.connect(store.path) as db:
        kind, size = db.execute(
            "SELECT typeof(result), length(result) FROM runs WHERE id = ?", (run["id"],)
        ).fetchone()
        assert kind == "blob"
        text = client.get(f"/api/runs/{run['id']}/result").text
        assert size < len(text.encode()) / 3
        # A row written before compression: plain text in both columns.
        db.execute(
            "UPDATE runs SET result = ?, scenario_text = ? WHERE id = ?",
            (text, "plain: text", run["id"]),
        )
    assert client.get(f"/api/runs/{run['id']}/result").text == text
    assert client.get(f"/api/runs/{run['id']}/scenario").text == "plain: text"


def test_reports_are_rendered_once_and_served_from_disk(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = finished_run(client)
    from ceasefire.report import html as report_html

    calls: list[int] = []
    real = report_html.render_report

    def counting(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        time.sleep(0.2)  # long enough for every request below to arrive while it renders
        return real(*args, **kwargs)

    monkeypatch.setattr(report_html, "render_report", counting)
    results: list[tuple[int, int]] = []

    def download() -> None:
        response = client.get(f"/api/runs/{run['id']}/report")
        results.append((response.status_code, len(response.content)))

    threads = [threading.Thread(target=download) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert {status for status, _ in results} == {200}
    assert len({size for _, size in results}) == 1 and results[0][1] > 1_000_000
    response = client.get(f"/api/runs/{run['id']}/report")
    assert response.headers["content-disposition"].startswith("attachment")
    assert f"ceasefire-run-{run['id']}.html" in response.headers["content-disposition"]
    files = list((client.app.state.store.path.parent).glob("*.reports/*/run-*.html"))  # type: ignore[attr-defined]
    assert len(files) == 1
    client.delete(f"/api/runs/{run['id']}")
    assert not files[0].exists()


# ---- ids too large for SQLite -----------------------------------------------------------------------


HUGE = 10**30


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", f"/api/scenarios/{HUGE}"),
        ("GET", f"/api/scenarios/{HUGE}/knobs"),
        ("GET", f"/api/scenarios/{HUGE}/analyses"),
        ("POST", f"/api/scenarios/{HUGE}/versions"),
        ("GET", f"/api/runs/{HUGE}"),
        ("GET", f"/api/runs/{HUGE}/result"),
        ("GET", f"/api/runs/{HUGE}/scenario"),
        ("GET", f"/api/runs/{HUGE}/figures"),
        ("GET", f"/api/runs/{HUGE}/report"),
        ("GET", f"/scenarios/{HUGE}"),
        ("GET", f"/runs/{HUGE}"),
        ("POST", f"/ui/scenarios/{HUGE}/versions"),
        ("DELETE", f"/api/runs/{HUGE}"),
        ("DELETE", f"/api/scenarios/{HUGE}"),
        ("GET", f"/api/runs?scenario_id={HUGE}"),
    ],
)
def test_huge_ids_are_not_found(client: TestClient, method: str, url: str, toy_text: str) -> None:
    response = client.request(
        method, url, content=toy_text.encode(), headers={"content-type": "application/yaml"}
    )
    if url.startswith("/api/runs?"):
        assert response.status_code == 200 and response.json() == []
    else:
        assert response.status_code == 404, response.text


def test_huge_ids_in_a_run_request_are_not_found(client: TestClient) -> None:
    assert client.post("/api/runs", json={"scenario_id": HUGE}).status_code == 404
    body = {"scenario_id": toy_id(client), "parent_run_id": HUGE}
    assert client.post("/api/runs", json=body).status_code == 404


def test_what_if_on_dotted_ids_is_a_run_and_a_bad_path_is_422(
    client: TestClient, toy_text: str
) -> None:
    dotted = (
        toy_text.replace("id: toy-border", "id: dotted")
        .replace("- id: south\n", "- id: south.v2\n")
        .replace("  south:\n", "  south.v2:\n")
    )
    scenario = upload(client, dotted).json()
    knobs = {k["path"] for k in client.get(f"/api/scenarios/{scenario['id']}/knobs").json()}
    assert "preferences.south.v2.reservation" in knobs
    response = client.post(
        "/api/runs",
        json={"scenario_id": scenario["id"], "changes": {"preferences.south.v2.reservation": 50}},
    )
    assert response.status_code == 202, response.text
    for path in ("preferences.south.reservation", "preferences.south.v2", "preferences"):
        bad = client.post("/api/runs", json={"scenario_id": scenario["id"], "changes": {path: 50}})
        assert bad.status_code == 422, path


def crash(path: Path, run_id: int) -> None:
    """Stands for an analysis that kills its process (a segfault, the OOM killer)."""
    import os

    os._exit(3)


def test_a_run_that_kills_its_worker_fails_and_the_server_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceasefire.web import runner as runner_module

    with TestClient(create_app(tmp_path / "ceasefire.db"), base_url=BASE) as client:
        monkeypatch.setattr(runner_module, "_execute_in_worker", crash)
        response = client.post("/api/runs", json={"scenario_id": toy_id(client)})
        assert client.app.state.runner.wait_idle(120)  # type: ignore[attr-defined]
        failed = client.get(f"/api/runs/{response.json()['id']}").json()
        assert failed["status"] == "failed" and failed["error"] == runner_module.CRASHED
        monkeypatch.undo()
        assert finished_run(client)["status"] == "done"  # a fresh worker takes the next run


def test_serve_twice_on_one_database_then_kill_the_first(tmp_path: Path) -> None:
    """The real command: the second server exits 1 with one clear line; a killed server leaves
    no lock behind, and none of its worker processes (upload parser, analysis) outlives it."""
    import os
    import signal
    import socket
    import subprocess
    import sys

    from ceasefire.web.store import DatabaseLock

    def free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
            return port

    command = [sys.executable, "-m", "ceasefire", "serve", "--db", str(tmp_path / "x.db")]
    port = free_port()
    first = subprocess.Popen([*command, "--port", str(port)], stderr=subprocess.PIPE)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while True:  # until the first server holds the lock
            try:
                DatabaseLock(tmp_path / "x.db").release()
            except StoreError:
                break
            assert time.monotonic() < deadline and first.poll() is None, "no server"
            time.sleep(0.1)
        second = subprocess.run(
            [*command, "--port", str(free_port())], capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 1
        assert "another ceasefire server is using this database" in second.stderr
        assert "Traceback" not in second.stderr + second.stdout
        # Start both workers: an upload and a run.
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                toy = next(
                    s
                    for s in httpx.get(base + "/api/scenarios").json()
                    if s["name"] == "toy-border"
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        text = bundled_toy_text().replace("id: toy-border", "id: killed")
        assert httpx.post(base + "/api/scenarios", content=text, timeout=60).status_code == 201
        run = httpx.post(base + "/api/runs", json={"scenario_id": toy["id"]}).json()
        while httpx.get(f"{base}/api/runs/{run['id']}").json()["status"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        workers = descendants(first.pid)
        assert len(workers) >= 2  # the fork server and at least one worker
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(30)
        assert first.stderr is not None
        first.stderr.close()
    DatabaseLock(tmp_path / "x.db").release()  # kill -9 released it
    deadline = time.monotonic() + 30
    while alive := {pid for pid in workers if Path(f"/proc/{pid}").exists() and not zombie(pid)}:
        assert time.monotonic() < deadline, f"processes outlived the server: {sorted(alive)}"
        time.sleep(0.2)


def bundled_toy_text() -> str:
    from ceasefire.scenario import bundled_scenarios

    return bundled_scenarios()["toy-border"].read_text(encoding="utf-8")


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def descendants(root: int) -> set[int]:
    """The processes below ``root`` (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def test_twenty_uploads_at_once_all_succeed(client: TestClient, toy_text: str) -> None:
    """Uploads are saved from the thread pool, so versions of one name are claimed concurrently."""
    statuses: list[int] = []

    def send(number: int) -> None:
        text = toy_text.replace("id: toy-border", "id: crowd").replace(
            "title: A two-issue border dispute", f"title: Upload {number}"
        )
        statuses.append(upload(client, text).status_code)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] * 20
    versions = [s["version"] for s in client.get("/api/scenarios").json() if s["name"] == "crowd"]
    assert sorted(versions) == list(range(1, 21))


def test_stopping_the_server_mid_run_marks_the_run_interrupted(tmp_path: Path) -> None:
    from ceasefire.web.store import INTERRUPTED

    with TestClient(create_app(tmp_path / "ceasefire.db"), base_url=BASE) as client:
        flagship = next(
            s["id"]
            for s in client.get("/api/scenarios").json()
            if s["name"] == "russia-ukraine-2023-12"
        )
        run = client.post(
            "/api/runs", json={"scenario_id": flagship, "analysis": "sensitivity"}
        ).json()
        deadline = time.monotonic() + 120
        while client.get(f"/api/runs/{run['id']}").json()["status"] == "queued":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        client.app.state.runner.stop(timeout=0.2)  # type: ignore[attr-defined]
        deadline = time.monotonic() + 30
        while (stopped := client.get(f"/api/runs/{run['id']}").json())["status"] == "running":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert (stopped["status"], stopped["error"]) == ("failed", INTERRUPTED)
