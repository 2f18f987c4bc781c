"""Load on the web app: GET latency while uploads and runs are in flight, and event-loop stalls.

Usage::

    python benchmarks/web_load.py [--seconds 20] [--readers 4] [--max-requests 3000]

Starts the app (``ceasefire.web.app.create_app``) with uvicorn in a child process, on a free port
of 127.0.0.1 only, with a fresh database in a temporary folder. Inside that process a ticker task
sleeps 10 ms at a time on the server's event loop and records, for each tick, two things:

- how late it woke (wall clock): everything that delayed the loop, including other processes of a
  busy machine and the server's other threads holding the interpreter lock;
- how much CPU the loop's own thread used between two ticks (``time.thread_time``): the time the
  loop spent running code without yielding, which is what *blocking the event loop* means. A
  thread waiting for the CPU or the interpreter lock uses none.

This process then sends, for a bounded time and number of requests:

- ``--readers`` clients that GET the pages and the JSON API in a loop (index, a scenario page, the
  list of runs, a run page, a run's state);
- one client that uploads scenarios (the bundled flagship, 80 KB, and the toy, each with a new
  title so that each is a new version, and now and then a file 60 times the flagship's size);
- one client that queues analyses of the toy and of the flagship.

Before the load, it downloads one run's HTML report 20 times at once and samples the server's
resident memory meanwhile (Linux).

It prints p50/p95/max latency of the GETs and of the uploads, the requests' status codes, and both
measures of the event loop, and exits 1 if the loop ever ran more than ``--max-stall-ms`` (100 ms)
of CPU between two ticks. ``--no-writes`` sends the GETs alone, for a baseline on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
TICK = 0.010


# ---- the server (child process) ---------------------------------------------------------------


def serve(port: int, db: Path, stats: Path) -> None:
    """Run the app on 127.0.0.1:``port`` with a ticker on its event loop; write the stalls to
    ``stats`` when it stops (SIGINT or SIGTERM)."""
    import asyncio

    import uvicorn

    from ceasefire.web.app import create_app

    lags: list[float] = []
    busy: list[float] = []

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            self._ticker = asyncio.create_task(ticker())

        async def shutdown(self, sockets: Any = None) -> None:
            self._ticker.cancel()
            # Written here: uvicorn re-raises the stopping signal once it has shut down.
            stats.write_text(json.dumps({"lags": lags, "busy": busy}), encoding="utf-8")
            await super().shutdown(sockets)

    async def ticker() -> None:
        while True:
            before, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(TICK)
            lags.append(time.perf_counter() - before - TICK)
            busy.append(time.thread_time() - cpu)

    app = create_app(db)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    Server(config).run()


# ---- the load (this process) ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Load:
    def __init__(self, base: str, seconds: float, max_requests: int) -> None:
        self.base = base
        self.deadline = time.monotonic() + seconds
        self.max_requests = max_requests
        self.lock = threading.Lock()
        self.requests = 0
        self.gets: list[float] = []
        self.uploads: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.scenario_ids: list[int] = []
        self.run_ids: list[int] = []

    def more(self) -> bool:
        with self.lock:
            if time.monotonic() >= self.deadline or self.requests >= self.max_requests:
                return False
            self.requests += 1
            return True

    def timed(self, client: httpx.Client, method: str, url: str, **kwargs: Any) -> Any:
        started = time.perf_counter()
        response = client.request(method, url, **kwargs)
        took = time.perf_counter() - started
        with self.lock:
            self.statuses[f"{method} {response.status_code}"] += 1
        return response, took

    def reader(self, number: int) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            step = number
            while self.more():
                step += 1
                runs = self.run_ids or [0]
                scenarios = self.scenario_ids or [1]
                url = [
                    "/",
                    f"/scenarios/{scenarios[step % len(scenarios)]}",
                    "/api/runs?limit=20",
                    f"/runs/{runs[step % len(runs)]}",
                    f"/api/runs/{runs[-1]}",
                ][step % 5]
                _, took = self.timed(client, "GET", url)
                with self.lock:
                    self.gets.append(took)

    def uploader(self, flagship: str, toy: str) -> None:
        with httpx.Client(base_url=self.base, timeout=120) as client:
            number = 0
            while self.more():
                number += 1
                text = flagship if number % 2 else toy
                if number % 5 == 0:  # now and then a large file: many more sources
                    text = flagship + "".join(
                        f"# padding line {i} to make the file larger\n" for i in range(100_000)
                    )
                text = text.replace("\ntitle: ", f"\ntitle: Load test {number} — ", 1)
                response, took = self.timed(
                    client,
                    "POST",
                    "/api/scenarios",
                    content=text.encode(),
                    headers={"content-type": "application/yaml"},
                )
                with self.lock:
                    self.uploads.append(took)
                    if response.status_code in (200, 201):
                        self.scenario_ids.append(response.json()["id"])

    def runner(self, toy_id: int, flagship_id: int) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            number = 0
            while self.more():
                number += 1
                body = {
                    "scenario_id": flagship_id if number % 3 == 0 else toy_id,
                    "analysis": "analyze",
                    "seed": number,
                }
                response, _ = self.timed(client, "POST", "/api/runs", json=body)
                if response.status_code == 202:
                    with self.lock:
                        self.run_ids.append(response.json()["id"])
                time.sleep(0.5)


def resident_mb(pid: int) -> float:
    """The resident memory of a process, in MB (Linux; NaN elsewhere)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def report_downloads(base: str, pid: int, run_id: int, count: int = 20) -> dict[str, float]:
    """Download a run's report ``count`` times at once; the server's memory before and at most."""
    with httpx.Client(base_url=base, timeout=300) as client:  # wait until the run is done
        deadline = time.monotonic() + 300
        while client.get(f"/api/runs/{run_id}").json()["status"] not in ("done", "failed"):
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
    before = resident_mb(pid)
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], resident_mb(pid))
            time.sleep(0.02)

    sizes: list[int] = []

    def download() -> None:
        with httpx.Client(base_url=base, timeout=300) as client:
            response = client.get(f"/api/runs/{run_id}/report")
            sizes.append(len(response.content) if response.status_code == 200 else -1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=download) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    done.set()
    sampler.join()
    ok = sum(1 for size in sizes if size > 0)
    return {
        "before": before,
        "peak": peak[0],
        "seconds": took,
        "ok": ok,
        "count": count,
        "mb": max(sizes, default=0) / 1e6,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to send load")
    parser.add_argument("--readers", type=int, default=4, help="clients sending GETs")
    parser.add_argument("--max-requests", type=int, default=3000, help="stop after this many")
    parser.add_argument("--max-stall-ms", type=float, default=100.0)
    parser.add_argument(
        "--no-writes", action="store_true", help="GETs only: the baseline on this machine"
    )
    parser.add_argument("--serve", nargs=3, metavar=("PORT", "DB", "STATS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), Path(args.serve[1]), Path(args.serve[2]))
        return 0

    from ceasefire.scenario import bundled_scenarios

    bundled = bundled_scenarios()
    flagship = bundled["russia-ukraine-2023-12"].read_text(encoding="utf-8")
    toy = bundled["toy-border"].read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        stats = Path(folder) / "stats.json"
        child = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--serve",
                str(port),
                str(Path(folder) / "web.db"),
                str(stats),
            ]
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    listed = httpx.get(base + "/api/scenarios", timeout=2).json()
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or child.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            ids = {row["name"]: row["id"] for row in listed}
            # First, on a quiet server: one finished run's report, downloaded 20 times at once.
            first = httpx.post(
                base + "/api/runs", json={"scenario_id": ids["toy-border"]}, timeout=60
            ).json()
            reports = report_downloads(base, child.pid, first["id"])
            load = Load(base, args.seconds, args.max_requests)
            load.scenario_ids = list(ids.values())
            threads = [threading.Thread(target=load.reader, args=(n,)) for n in range(args.readers)]
            if not args.no_writes:
                threads.append(threading.Thread(target=load.uploader, args=(flagship, toy)))
                threads.append(
                    threading.Thread(
                        target=load.runner,
                        args=(ids["toy-border"], ids["russia-ukraine-2023-12"]),
                    )
                )
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            reports = report_downloads(base, child.pid, load.run_ids[0]) if load.run_ids else None
        finally:
            child.terminate()
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
        measured = json.loads(stats.read_text(encoding="utf-8")) if stats.exists() else {}
    lags, busy = measured.get("lags", []), measured.get("busy", [])
    stall_ms = 1000 * max(busy, default=float("nan"))
    print(
        f"web load: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {elapsed:.1f} s, {load.requests} requests"
    )
    print(f"{'':24}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, values in (("GET (pages and API)", load.gets), ("upload", load.uploads)):
        print(
            f"{name:24}{len(values):>7}{1000 * percentile(values, 0.5):>10.1f}"
            f"{1000 * percentile(values, 0.95):>10.1f}{1000 * max(values, default=0):>10.1f}"
        )
    print(f"runs queued: {len(load.run_ids)}; responses: {dict(sorted(load.statuses.items()))}")
    print(f"event loop: {len(lags)} ticks of {1000 * TICK:.0f} ms")
    for name, values in (("woke late by (wall)", lags), ("ran without yielding (CPU)", busy)):
        print(
            f"  {name:28} p50 {1000 * percentile(values, 0.5):6.1f} ms   "
            f"p99 {1000 * percentile(values, 0.99):6.1f} ms   "
            f"max {1000 * max(values, default=float('nan')):6.1f} ms"
        )
    if reports["ok"]:
        print(
            f"{reports['count']} report downloads at once ({reports['mb']:.1f} MB each): "
            f"{reports['ok']} ok in {reports['seconds']:.1f} s; server memory "
            f"{reports['before']:.0f} MB before, {reports['peak']:.0f} MB at most"
        )
    load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  (load average of the machine at the end: {load_average:.1f})")
    if not busy or not stall_ms <= args.max_stall_ms:
        print(
            f"FAIL: the event loop ran {stall_ms:.1f} ms without yielding (limit "
            f"{args.max_stall_ms:.0f} ms)"
        )
        return 1
    print(f"ok: the event loop never ran more than {args.max_stall_ms:.0f} ms without yielding")
    return 0


if __name__ == "__main__":
    sys.exit(main())
