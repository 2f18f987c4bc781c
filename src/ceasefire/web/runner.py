"""Runs analyses one at a time, writing each state change to the store.

One worker is enough on a small machine and keeps runs in the order they were asked for. A
background thread takes the runs in order; each analysis runs in a worker process (``isolated``,
the default), which writes its progress and result to the database itself. The server's own
process then spends no CPU on analyses, so pages stay quick while a long run goes on, and an
analysis that crashes or runs out of memory fails its run instead of the server. If the server
stops mid-run, the worker is stopped and the run marked failed as interrupted (or, if the server
could not say so, the next server marks it so: :meth:`Store.fail_interrupted`), so a run is never
lost or left half-written.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ceasefire.jsonable import jsonable
from ceasefire.scenario import ScenarioError, parse_scenario
from ceasefire.web.analyses import ANALYSES, Options
from ceasefire.web.parsing import stop_workers, worker_pool
from ceasefire.web.store import INTERRUPTED, Store

log = logging.getLogger("ceasefire.web")
PROGRESS_INTERVAL = 0.25  # seconds between progress writes
CRASHED = "the analysis stopped its worker process (a crash, or out of memory)"


def _execute_in_worker(path: Path, run_id: int) -> None:
    """In the worker process: run one queued run to its end, on the database at ``path``."""
    Runner(Store(path), isolated=False).execute(run_id)


class Runner:
    """A queue of run ids and the thread that works through it."""

    def __init__(self, store: Store, *, isolated: bool = True) -> None:
        self.store = store
        self.isolated = isolated
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._stopping = False

    def start(self) -> None:
        with self._lock:
            self._stopping = False
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="ceasefire-runner", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Let the current run finish (up to ``timeout``) and stop taking new ones."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)
        with self._lock:
            self._stopping = True
            pool, self._pool = self._pool, None
        if pool is not None:  # a run still going is cut short: the next server fails it
            stop_workers(pool)

    def submit(self, run_id: int) -> None:
        self.start()
        self._queue.put(run_id)

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until every submitted run is finished (tests and scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._queue.unfinished_tasks == 0:
                return True
            time.sleep(0.02)
        return False

    def _work(self) -> None:
        while True:
            run_id = self._queue.get()
            try:
                if run_id is None:
                    return
                if self.isolated:
                    self._execute_isolated(run_id)
                else:
                    self.execute(run_id)
            except Exception:  # the worker thread must outlive any one run
                log.exception("run %s could not be executed", run_id)
                if run_id is not None:
                    self.store.fail(run_id, CRASHED)
            finally:
                self._queue.task_done()

    def _execute_isolated(self, run_id: int) -> None:
        with self._lock:
            if self._pool is None:
                self._pool = worker_pool()
            pool = self._pool
        try:
            pool.submit(_execute_in_worker, self.store.path, run_id).result()
        except BrokenProcessPool:
            with self._lock:
                stopping = self._stopping
                if self._pool is pool:
                    self._pool = None
            stop_workers(pool)
            if stopping:  # the server is stopping: the run was cut short, not crashed
                self.store.fail(run_id, INTERRUPTED)
                return
            log.error("run %s: %s", run_id, CRASHED)
            self.store.fail(run_id, CRASHED)

    def execute(self, run_id: int) -> None:
        """Run one queued run to its end, recording done or failed."""
        if not self.store.start(run_id):
            return
        run = self.store.run(run_id)
        if run is None:
            return
        last = [0.0]

        def progress(fraction: float) -> None:
            moment = time.monotonic()
            if moment - last[0] >= PROGRESS_INTERVAL:
                last[0] = moment
                self.store.set_progress(run_id, fraction)

        try:
            kind = ANALYSES[run.analysis]
            loaded = parse_scenario(run.scenario_text, f"run {run_id}")
            options = Options(
                seed=run.seed,
                samples=run.parameters.get("samples"),
                extra=dict(run.parameters.get("options") or {}),
            )
            result: dict[str, Any] = jsonable(kind.run(loaded, options, progress))
            if run.parameters.get("changes"):
                result.setdefault("provenance", {})["what_if"] = run.parameters["changes"]
            self.store.finish(run_id, result)
        except ScenarioError as error:
            self.store.fail(run_id, "\n".join(str(p) for p in error.problems))
        except Exception as error:  # a failed analysis is recorded, never lost
            log.exception("run %s failed", run_id)
            self.store.fail(run_id, f"{type(error).__name__}: {error}")
