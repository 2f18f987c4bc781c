"""One interface for running independent chunks of work: serially, in local processes, or on Dask.

Everything that samples splits its work into tasks whose results do not depend on where or in what
order they run (each task derives its random numbers from its own seed), so the three executors
return identical results. :meth:`Executor.map` always returns results in task order.

- :class:`SerialExecutor`: in this process, one task after another.
- :class:`ProcessExecutor`: a pool of local worker processes (``concurrent.futures``).
- :class:`DaskExecutor`: a ``dask.distributed`` cluster, local (``LocalCluster``) or remote (a
  scheduler address such as ``tcp://10.0.0.5:8786``). Dask is the optional extra
  ``ceasefire[parallel]``.

:func:`make_executor` picks one from command-line style arguments.
"""

from __future__ import annotations

import multiprocessing
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import TracebackType
from typing import Any, Literal, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int], None]
"""Called with the number of tasks just finished (1 each time)."""

ExecutorKind = Literal["auto", "serial", "processes", "dask"]


class Executor(ABC):
    """Runs ``fn`` over tasks and returns the results in task order."""

    name: str = "executor"
    workers: int = 1

    @abstractmethod
    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        """``[fn(task) for task in tasks]``, possibly in parallel; ``progress(1)`` after each."""

    def close(self) -> None:  # noqa: B027 - a no-op unless the executor owns workers
        """Release workers (a no-op for executors that own none)."""

    def describe(self) -> dict[str, Any]:
        """What ran the work, for provenance (never part of a result's identity)."""
        return {"executor": self.name, "workers": self.workers}

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class SerialExecutor(Executor):
    """Runs every task in this process, in order."""

    name = "serial"

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        results = []
        for task in tasks:
            results.append(fn(task))
            if progress is not None:
                progress(1)
        return results


def _single_threaded_worker() -> None:
    """Worker processes use one BLAS thread each: the parallelism is across processes."""
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl comes with scipy's usual installs
        pass


class ProcessExecutor(Executor):
    """A pool of local worker processes (started with ``forkserver``, safe with threads)."""

    name = "processes"

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_single_threaded_worker
        )

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        futures = [self._pool.submit(fn, task) for task in tasks]
        return _collect(futures, progress)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _collect(futures: Sequence[Future[R]], progress: Progress | None) -> list[R]:
    pending = set(futures)
    try:
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()  # raise a worker's error at once
                if progress is not None:
                    progress(1)
    finally:
        for future in pending:
            future.cancel()
    return [future.result() for future in futures]


class DaskExecutor(Executor):
    """Tasks on a ``dask.distributed`` cluster: a new local one, or an existing scheduler."""

    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        try:
            import distributed
        except ImportError as error:
            raise RuntimeError(
                "Dask is not installed: install the extra with `pip install 'ceasefire[parallel]'`"
            ) from error
        self._cluster: Any = None
        client_of: Any = distributed.Client
        if scheduler is not None:
            self.client: Any = client_of(scheduler, timeout="10s")
            self.address = scheduler
        else:
            import dask

            count = workers or 1
            # Dask asks glibc to return freed memory at once (MALLOC_TRIM_THRESHOLD_=64 KiB), which
            # makes numpy's large temporary arrays several times slower; keep glibc's default.
            environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
            environ.pop("MALLOC_TRIM_THRESHOLD_", None)
            with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
                self._cluster = self._local_cluster(distributed.LocalCluster, count)
            self.client = client_of(self._cluster)
            self.address = "local"
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers or 1)

    @staticmethod
    def _local_cluster(factory: Any, count: int) -> Any:
        return factory(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,  # logging.ERROR
        )

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        from distributed import as_completed as completed

        as_completed: Any = completed
        futures = self.client.map(fn, list(tasks), pure=False)
        try:
            for future in as_completed(futures):
                if future.status == "error":
                    future.result()  # raise the worker's error here
                if progress is not None:
                    progress(1)
            results: list[R] = self.client.gather(futures)
        finally:
            for future in futures:
                future.cancel()
        return results

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name, "workers": self.workers, "scheduler": self.address}

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def dask_available() -> bool:
    """Is ``dask.distributed`` importable?"""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def make_executor(
    workers: int | None = None, scheduler: str | None = None, kind: ExecutorKind = "auto"
) -> Executor:
    """The executor that command-line options ask for.

    ``scheduler`` (a Dask address) uses that cluster. Otherwise ``workers`` > 1 starts a local Dask
    cluster of that many single-threaded worker processes when Dask is installed, and a local process
    pool when it is not; no workers (or 1) runs serially. ``kind`` forces one executor.
    """
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    if kind == "serial" or (kind == "auto" and scheduler is None and (workers or 1) == 1):
        return SerialExecutor()
    if kind == "processes":
        return ProcessExecutor(workers or os.cpu_count() or 1)
    if kind == "dask" or scheduler is not None or dask_available():
        return DaskExecutor(workers=workers, scheduler=scheduler)
    return ProcessExecutor(workers or 1)
