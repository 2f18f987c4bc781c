"""Scenarios and runs kept in one SQLite file, so that a run outlives the server that started it.

Each change of state is one transaction, so a row is never half-written: a run is ``queued``, then
``running``, then ``done`` with its result or ``failed`` with its error. A server that stops while a
run is queued or running cannot finish it; the next server to open the file marks it failed. One
server at a time owns a database: it holds an exclusive lock on ``<database>.lock``
(:class:`DatabaseLock`), and a second server on the same file stops with a clear error.

Results and the scenario text of each run are stored zlib-compressed (a BLOB); rows written
before, as plain text, are read as they are.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

Status = Literal["queued", "running", "done", "failed"]
Origin = Literal["bundled", "uploaded", "edited"]
INTERRUPTED = "interrupted: the server stopped before this run finished"
MAX_ID = 2**63 - 1  # SQLite's largest integer: a larger id names no row
ACTIVE = ("queued", "running")

SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('bundled', 'uploaded', 'edited')),
    parent_id INTEGER REFERENCES scenarios(id),
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (name, version)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    parent_run_id INTEGER REFERENCES runs(id),
    analysis TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL,
    parameters TEXT NOT NULL,
    seed INTEGER,
    version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress REAL,
    result TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_scenario ON runs (scenario_id, id);
"""


def default_db_path() -> Path:
    """``$CEASEFIRE_DB``, else ``~/.local/share/ceasefire/ceasefire.db``."""
    configured = os.environ.get("CEASEFIRE_DB")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".local" / "share" / "ceasefire" / "ceasefire.db"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class StoreError(Exception):
    """The database cannot be used: not an SQLite file, or another server holds it."""


class DatabaseLock:
    """An exclusive lock on ``<database>.lock``, held while one server uses the database.

    ``flock`` locks belong to the open file, so the lock goes when the server's process ends,
    however it ends: a server killed with ``kill -9`` leaves no stale lock behind.
    """

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        database.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("a+b")
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise StoreError(
                f"{database}: another ceasefire server is using this database "
                f"(it holds {self.path}); stop it, or give this one another --db"
            ) from None

    def release(self) -> None:
        if not self._file.closed:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()


def pack(text: str) -> bytes:
    """A text as stored: UTF-8, zlib-compressed."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack(value: str | bytes | None) -> str | None:
    """A stored text: compressed (bytes) or, in rows written before compression, plain."""
    if isinstance(value, bytes):
        return zlib.decompress(value).decode("utf-8")
    return value


def valid_id(row_id: int) -> bool:
    """Whether ``row_id`` can name a row (SQLite integers are 64-bit)."""
    return 0 <= row_id <= MAX_ID


@dataclass(frozen=True)
class ScenarioRow:
    id: int
    name: str
    version: int
    title: str
    origin: str
    parent_id: int | None
    text: str
    sha256: str
    created_at: str

    def summary(self) -> dict[str, Any]:
        """The row without its text (for lists)."""
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "title": self.title,
            "origin": self.origin,
            "parent_id": self.parent_id,
            "sha256": self.sha256,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class RunRow:
    id: int
    scenario_id: int
    parent_run_id: int | None
    analysis: str
    scenario_text: str
    scenario_sha256: str
    parameters: dict[str, Any]
    seed: int | None
    version: str
    status: str
    progress: float | None
    result_text: str | None
    error: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None

    @cached_property
    def result(self) -> dict[str, Any] | None:
        """The result document (parsed once per row object)."""
        if self.result_text is None:
            return None
        value: dict[str, Any] = json.loads(self.result_text)
        return value

    @property
    def changes(self) -> dict[str, float]:
        return dict(self.parameters.get("changes") or {})

    def summary(self) -> dict[str, Any]:
        """The row without the scenario text and result (for lists and polling)."""
        return {
            "id": self.id,
            "scenario_id": self.scenario_id,
            "parent_run_id": self.parent_run_id,
            "analysis": self.analysis,
            "scenario_sha256": self.scenario_sha256,
            "parameters": self.parameters,
            "seed": self.seed,
            "version": self.version,
            "status": self.status,
            "progress": self.progress,
            "error": self.error,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }


def _scenario(row: sqlite3.Row) -> ScenarioRow:
    return ScenarioRow(**{key: row[key] for key in row.keys()})  # noqa: SIM118 (sqlite3.Row)


def _run(row: sqlite3.Row) -> RunRow:
    data = {key: row[key] for key in row.keys()}  # noqa: SIM118 (sqlite3.Row)
    data["parameters"] = json.loads(data["parameters"])
    data["result_text"] = unpack(data.pop("result"))
    data["scenario_text"] = unpack(data["scenario_text"])
    return RunRow(**data)


class Store:
    """The SQLite file of one server: one short-lived connection per operation (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
        except sqlite3.DatabaseError as error:  # a file that is not SQLite is left as it is
            raise StoreError(f"{path}: not a ceasefire database ({error})") from None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys=ON")
        try:
            with connection:  # one transaction: committed on success, rolled back on error
                yield connection
        finally:
            connection.close()

    # -- scenarios --------------------------------------------------------------------------------

    def add_scenario(
        self,
        *,
        name: str,
        title: str,
        text: str,
        sha256: str,
        origin: Origin,
        parent_id: int | None = None,
    ) -> tuple[ScenarioRow, bool]:
        """Store a scenario as the next version of ``name``; (row, created).

        Text identical to a stored version of the same name is not stored twice.
        """
        for attempt in range(5):
            try:
                with self._connect() as db:
                    # Take the write lock before reading the latest version, so that two
                    # uploads at once cannot both claim the same version number.
                    db.execute("BEGIN IMMEDIATE")
                    same = db.execute(
                        "SELECT * FROM scenarios WHERE name = ? AND sha256 = ?"
                        " ORDER BY version LIMIT 1",
                        (name, sha256),
                    ).fetchone()
                    if same is not None:
                        return _scenario(same), False
                    (latest,) = db.execute(
                        "SELECT COALESCE(MAX(version), 0) FROM scenarios WHERE name = ?", (name,)
                    ).fetchone()
                    cursor = db.execute(
                        "INSERT INTO scenarios (name, version, title, origin, parent_id, text,"
                        " sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (name, latest + 1, title, origin, parent_id, text, sha256, now()),
                    )
                    row = db.execute(
                        "SELECT * FROM scenarios WHERE id = ?", (cursor.lastrowid,)
                    ).fetchone()
                    return _scenario(row), True
            except sqlite3.IntegrityError:
                if attempt == 4 or (parent_id is not None and self.scenario(parent_id) is None):
                    raise
        raise AssertionError("unreachable")

    def scenario(self, scenario_id: int) -> ScenarioRow | None:
        if not valid_id(scenario_id):
            return None
        with self._connect() as db:
            row = db.execute("SELECT * FROM scenarios WHERE id = ?", (scenario_id,)).fetchone()
            return _scenario(row) if row is not None else None

    def scenarios(self) -> list[ScenarioRow]:
        """Every version of every scenario, without its text (:meth:`scenario` loads one whole):
        lists stay small however many large files are stored."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, name, version, title, origin, parent_id, '' AS text, sha256, created_at"
                " FROM scenarios ORDER BY name, version"
            ).fetchall()
            return [_scenario(r) for r in rows]

    # -- runs -------------------------------------------------------------------------------------

    def add_run(
        self,
        *,
        scenario_id: int,
        analysis: str,
        scenario_text: str,
        scenario_sha256: str,
        parameters: Mapping[str, Any],
        seed: int | None,
        version: str,
        parent_run_id: int | None = None,
    ) -> RunRow:
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO runs (scenario_id, parent_run_id, analysis, scenario_text,"
                " scenario_sha256, parameters, seed, version, status, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
                (
                    scenario_id,
                    parent_run_id,
                    analysis,
                    pack(scenario_text),
                    scenario_sha256,
                    json.dumps(dict(parameters), sort_keys=True),
                    seed,
                    version,
                    now(),
                ),
            )
            row = db.execute("SELECT * FROM runs WHERE id = ?", (cursor.lastrowid,)).fetchone()
            return _run(row)

    def run(self, run_id: int) -> RunRow | None:
        if not valid_id(run_id):
            return None
        with self._connect() as db:
            row = db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
            return _run(row) if row is not None else None

    def runs(self, scenario_id: int | None = None, limit: int = 200) -> list[RunRow]:
        """Runs, newest first, without their results or scenario texts (``get()`` loads one whole)."""
        query = (
            "SELECT id, scenario_id, parent_run_id, analysis, '' AS scenario_text,"
            " scenario_sha256, parameters, seed, version, status, progress, NULL AS result, error,"
            " created_at, started_at, finished_at FROM runs"
        )
        arguments: tuple[Any, ...] = ()
        if scenario_id is not None:
            if not valid_id(scenario_id):
                return []
            query += " WHERE scenario_id = ?"
            arguments = (scenario_id,)
        query += " ORDER BY id DESC LIMIT ?"
        with self._connect() as db:
            return [_run(r) for r in db.execute(query, (*arguments, limit)).fetchall()]

    def start(self, run_id: int) -> bool:
        """Mark a queued run running; False if it is no longer queued."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE runs SET status = 'running', started_at = ?, progress = 0"
                " WHERE id = ? AND status = 'queued'",
                (now(), run_id),
            )
            return cursor.rowcount == 1

    def set_progress(self, run_id: int, progress: float) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'",
                (max(0.0, min(1.0, progress)), run_id),
            )

    def finish(self, run_id: int, result: Mapping[str, Any]) -> None:
        """Store the result and mark the run done, in one transaction.

        A finished result is never dropped: a run that was marked failed meanwhile (say, as
        interrupted) is done after all, with its error cleared.
        """
        text = json.dumps(result, allow_nan=False, ensure_ascii=False)
        with self._connect() as db:
            db.execute(
                "UPDATE runs SET status = 'done', result = ?, error = NULL, progress = 1,"
                " finished_at = ? WHERE id = ? AND status != 'done'",
                (pack(text), now(), run_id),
            )

    def fail(self, run_id: int, error: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE runs SET status = 'failed', error = ?, finished_at = ?"
                " WHERE id = ? AND status IN ('queued', 'running')",
                (error, now(), run_id),
            )

    def active_runs(self) -> int:
        """How many runs are queued or running."""
        with self._connect() as db:
            (count,) = db.execute(
                "SELECT COUNT(*) FROM runs WHERE status IN ('queued', 'running')"
            ).fetchone()
            return int(count)

    # -- deleting ---------------------------------------------------------------------------------

    def delete_run(self, run_id: int) -> bool:
        """Delete a finished or failed run; False if there is none. Runs derived from it keep
        their results and lose only the link. A queued or running run is refused (ValueError)."""
        if not valid_id(run_id):
            return False
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                return False
            if row["status"] in ACTIVE:
                raise ValueError(f"run {run_id} is {row['status']}; wait until it ends")
            db.execute("UPDATE runs SET parent_run_id = NULL WHERE parent_run_id = ?", (run_id,))
            db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
            return True

    def delete_scenario(self, scenario_id: int) -> list[int] | None:
        """Delete a scenario version and its runs; the ids of the runs deleted, or None if there
        is no such scenario. Refused (ValueError) while one of its runs is queued or running.
        Versions edited from it stay, without the link."""
        if not valid_id(scenario_id):
            return None
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT id FROM scenarios WHERE id = ?", (scenario_id,)).fetchone()
            if row is None:
                return None
            runs = db.execute(
                "SELECT id, status FROM runs WHERE scenario_id = ?", (scenario_id,)
            ).fetchall()
            if any(r["status"] in ACTIVE for r in runs):
                raise ValueError(
                    f"scenario {scenario_id} has a run in progress; wait until it ends"
                )
            ids = [int(r["id"]) for r in runs]
            db.execute(
                "UPDATE runs SET parent_run_id = NULL WHERE parent_run_id IN"
                " (SELECT id FROM runs WHERE scenario_id = ?)",
                (scenario_id,),
            )
            db.execute("DELETE FROM runs WHERE scenario_id = ?", (scenario_id,))
            db.execute("UPDATE scenarios SET parent_id = NULL WHERE parent_id = ?", (scenario_id,))
            db.execute("DELETE FROM scenarios WHERE id = ?", (scenario_id,))
            return ids

    def fail_interrupted(self) -> int:
        """Mark every run that a stopped server left queued or running as failed; how many."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE runs SET status = 'failed', error = ?, finished_at = ?"
                " WHERE status IN ('queued', 'running')",
                (INTERRUPTED, now()),
            )
            return cursor.rowcount
