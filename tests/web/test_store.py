"""Runs in SQLite: versions, states, and runs that outlive (or are cut short by) their server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ceasefire.web.store import INTERRUPTED, Store, default_db_path


def add_toy(store: Store, text: str = "text", sha: str = "a" * 64) -> int:
    row, _ = store.add_scenario(name="toy", title="Toy", text=text, sha256=sha, origin="uploaded")
    return row.id


def add_run(store: Store, scenario_id: int) -> int:
    return store.add_run(
        scenario_id=scenario_id,
        analysis="analyze",
        scenario_text="text",
        scenario_sha256="a" * 64,
        parameters={"changes": {}},
        seed=7,
        version="0.1.0",
    ).id


def test_versions_count_up_and_identical_text_is_stored_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    first, created = store.add_scenario(
        name="toy", title="Toy", text="one", sha256="1" * 64, origin="uploaded"
    )
    assert created and first.version == 1
    second, created = store.add_scenario(
        name="toy", title="Toy", text="two", sha256="2" * 64, origin="edited", parent_id=first.id
    )
    assert created and second.version == 2 and second.parent_id == first.id
    again, created = store.add_scenario(
        name="toy", title="Toy", text="one", sha256="1" * 64, origin="uploaded"
    )
    assert not created and again.id == first.id
    assert [r.version for r in store.scenarios()] == [1, 2]


def test_a_run_goes_queued_running_done_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = Store(path)
    run_id = add_run(store, add_toy(store))
    assert store.run(run_id).status == "queued"  # type: ignore[union-attr]
    assert store.start(run_id)
    assert not store.start(run_id)  # only a queued run starts
    store.finish(run_id, {"answer": 42})
    reopened = Store(path)
    assert reopened.fail_interrupted() == 0
    run = reopened.run(run_id)
    assert run is not None
    assert (run.status, run.result, run.seed, run.progress) == ("done", {"answer": 42}, 7, 1.0)
    assert run.started_at and run.finished_at and run.created_at <= run.started_at


def test_runs_left_running_by_a_dead_server_are_marked_failed(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = Store(path)
    scenario = add_toy(store)
    running, queued, done = (add_run(store, scenario) for _ in range(3))
    store.start(running)
    store.start(done)
    store.finish(done, {})
    assert Store(path).fail_interrupted() == 2
    for run_id in (running, queued):
        run = store.run(run_id)
        assert run is not None and run.status == "failed" and run.error == INTERRUPTED
        assert run.result is None
    assert store.run(done).status == "done"  # type: ignore[union-attr]


def test_a_result_that_is_not_json_leaves_the_run_running_not_half_written(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    run_id = add_run(store, add_toy(store))
    store.start(run_id)
    with pytest.raises(ValueError):
        store.finish(run_id, {"bad": float("nan")})
    run = store.run(run_id)
    assert run is not None and run.status == "running" and run.result is None


def test_status_is_constrained_by_the_schema(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    run_id = add_run(store, add_toy(store))
    with sqlite3.connect(store.path) as db, pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE runs SET status = 'half-done' WHERE id = ?", (run_id,))


def test_default_path_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CEASEFIRE_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("CEASEFIRE_DB")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_path() == tmp_path / ".local" / "share" / "ceasefire" / "ceasefire.db"
