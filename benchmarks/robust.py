"""Time ``ceasefire robust`` (and the other sampling analyses) on the bundled scenario.

Usage: ``python benchmarks/robust.py [--samples N] [--workers W]``. Prints a table: case,
executor, samples, wall time (executor start-up separately), samples per second, P(ZOPA).

Cases:

- ``bundled``: ``russia-ukraine-2023-12`` as shipped: the war model's month-0 values of no deal,
  one draw per sample, are the uncertain inputs;
- ``bundled + red lines + choice``: the same with three red lines that hold with a probability
  (Russia on accountability 0.7 and on the line of 23 Feb 2022 0.8, Ukraine on the 85,000 cap 0.9)
  and Russia's weight on the line of control a choice between 0.22 and 0.34 (mean 0.28): several
  distinct utility tables and red-line sets, each with its own frontier;
- ``sensitivity``/``mediate``: one run each, serial, for scale.

Every executor gives the same result (checked here too); only the time differs.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any

from ceasefire.executor import DaskExecutor, Executor, ProcessExecutor, SerialExecutor
from ceasefire.scenario import LoadedScenario, load_scenario, parse_scenario, resolve_scenario
from ceasefire.uncertainty.robustness import robust

STRESS = {
    "      line_of_control: 0.28\n      crimea_sevastopol: 0.07": (
        "      line_of_control: {dist: choice, alternatives: [0.22, 0.34]}\n"
        "      crimea_sevastopol: 0.07"
    ),
    "      accountability: [special_tribunal]": (
        "      accountability: {options: [special_tribunal], p: 0.7}"
    ),
    "      line_of_control: {below: 7}": "      line_of_control: {below: 7, p: 0.8}",
    "      ua_force_ceiling: [cap_85k_ru_2022]": (
        "      ua_force_ceiling: {options: [cap_85k_ru_2022], p: 0.9}"
    ),
}


def stressed(loaded: LoadedScenario) -> LoadedScenario:
    text = loaded.text
    for old, new in STRESS.items():
        if text.count(old) != 1:
            raise SystemExit(f"the bundled scenario changed: cannot find {old!r}")
        text = text.replace(old, new)
    return parse_scenario(text, "russia-ukraine-2023-12+uncertainty")


def executors(workers: int) -> list[tuple[str, Any]]:
    return [
        ("serial", SerialExecutor),
        (f"processes x{workers}", lambda: ProcessExecutor(workers)),
        (f"dask x{workers}", lambda: DaskExecutor(workers=workers)),
    ]


def time_robust(loaded: LoadedScenario, samples: int, make: Any) -> tuple[float, float, Any]:
    start = time.perf_counter()
    executor: Executor = make()
    ready = time.perf_counter()
    try:
        result = robust(loaded, samples, seed=0, executor=executor)
    finally:
        executor.close()
    return ready - start, time.perf_counter() - ready, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    bundled = load_scenario(resolve_scenario("russia-ukraine-2023-12"))
    cases = [("bundled", bundled), ("bundled + red lines + choice", stressed(bundled))]
    print(f"{'case':32} {'executor':14} {'samples':>8} {'start s':>8} {'run s':>7} "
          f"{'samples/s':>10} {'P(ZOPA)':>8} {'frontier':>18}")  # fmt: skip
    for name, loaded in cases:
        reference = None
        for label, make in executors(args.workers):
            startup, run, result = time_robust(loaded, args.samples, make)
            document = result.to_dict()
            document.pop("provenance")
            if reference is None:
                reference = document
            same = "" if document == reference else "  DIFFERENT RESULT"
            print(
                f"{name:32} {label:14} {args.samples:>8,} {startup:>8.2f} {run:>7.2f} "
                f"{args.samples / run:>10,.0f} {result.p_zopa:>8.4f} {result.strategy:>18}{same}"
            )

    from ceasefire.uncertainty.sensitivity import sensitivity

    start = time.perf_counter()
    result = sensitivity(bundled, "oat", spread=None, war_samples=1000)
    print(f"sensitivity oat, declared inputs ({len(result.factors)}): "
          f"{result.evaluations} evaluations in {time.perf_counter() - start:.1f} s (serial)")  # fmt: skip
    start = time.perf_counter()
    result = sensitivity(bundled, "oat", war_samples=1000)
    print(f"sensitivity oat, all inputs ({len(result.factors)}): "
          f"{result.evaluations} evaluations in {time.perf_counter() - start:.1f} s (serial)")  # fmt: skip


if __name__ == "__main__":
    main()
