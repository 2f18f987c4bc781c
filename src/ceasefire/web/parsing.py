"""Uploaded scenarios are parsed in a worker process, with a time limit.

Parsing and validating a large scenario takes seconds of CPU, much of it in the C YAML loader,
which holds the interpreter lock: done in the server's own process it would freeze every other
request. A worker process leaves the server's event loop free, can be stopped when a file takes
longer than :data:`PARSE_SECONDS`, and keeps the server alive if the parser crashes on a file.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ceasefire.scenario import LoadedScenario, Located, ScenarioError, parse_scenario

log = logging.getLogger("ceasefire.web")
PARSE_SECONDS = 30.0


def worker_pool() -> ProcessPoolExecutor:
    """One worker process, started by a fork server (never a fork of the server itself, whose
    threads may hold locks), that ends when the server's process ends, however it ends."""
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(1, mp_context=context, initializer=_end_with_parent)


def _end_with_parent() -> None:
    """In a worker: exit as soon as the process that started it is gone (``kill -9`` included),
    instead of waiting forever for work that will not come."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(0)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's worker processes now, whatever they are doing, and close the pool."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _parse(data: bytes, name: str) -> LoadedScenario | list[Located]:
    """In the worker: the scenario, or its problems (a ScenarioError does not survive pickling)."""
    try:
        return parse_scenario(data, name)
    except ScenarioError as error:
        return error.problems


class Parser:
    """A worker process that parses scenario texts; started on first use."""

    def __init__(self, seconds: float = PARSE_SECONDS) -> None:
        self.seconds = seconds
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = worker_pool()
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Stop a pool's workers at once (one is stuck on a file, or died) and start afresh."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        stop_workers(pool)

    async def parse(self, data: bytes, name: str) -> LoadedScenario:
        """The scenario in ``data``; raises :class:`ScenarioError` when it is invalid, takes too
        long, or stops the parser."""
        for attempt in (1, 2):
            pool = self._executor()
            try:
                future = asyncio.wrap_future(pool.submit(_parse, data, name))
                result = await asyncio.wait_for(future, self.seconds)
            except TimeoutError:
                self._discard(pool)
                raise ScenarioError(
                    [Located(name, 1, 1, f"took longer than {self.seconds:g} s to read; refused")]
                ) from None
            except BrokenProcessPool:
                self._discard(pool)
                if attempt == 2:  # twice: the file itself stops the parser
                    log.warning("the scenario parser stopped on %s", name)
                    raise ScenarioError(
                        [Located(name, 1, 1, "the file stopped the scenario parser; refused")]
                    ) from None
                continue
            except Exception as error:  # a parser bug is the file's problem, not a server error
                log.exception("the scenario parser failed on %s", name)
                raise ScenarioError(
                    [Located(name, 1, 1, f"cannot be read ({type(error).__name__})")]
                ) from None
            if isinstance(result, LoadedScenario):
                return result
            raise ScenarioError(result)
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
