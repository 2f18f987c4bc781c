"""Time the belief model on ``russia-ukraine-2023-12`` (docs/explanation/beliefs.md).

Usage::

    python benchmarks/beliefs.py                         # 2,000 worlds x 500 particles x 24 months
    python benchmarks/beliefs.py --worlds 512 --months 6 # a smaller run
    python benchmarks/beliefs.py --check-executors       # identical results: serial, 2 processes, Dask
    python benchmarks/beliefs.py --breaks                # the parties also observe whether armies break

The target: 2,000 true worlds x 500 particles x 24 months in under 30 s, serial, on two cores. The
script prints wall-clock and CPU time (on a shared machine the CPU time is the fairer number), the
particle-months computed and the time per particle-month, and the result's first months.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any

import numpy as np

from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.scenario.model import Scenario
from ceasefire.war import red_line_free_points
from ceasefire.war.attrition import FloatArray
from ceasefire.war.beliefs import belief_model

BUNDLED = "russia-ukraine-2023-12"
TARGET_SECONDS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=2000)
    parser.add_argument("--particles", type=int, default=500)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check-executors", action="store_true")
    parser.add_argument(
        "--breaks", action="store_true", help="observe whether each army has broken (learning)"
    )
    args = parser.parse_args()

    scenario = load_scenario(bundled_scenarios()[BUNDLED]).scenario
    if args.breaks:
        scenario = observing_breaks(scenario)
    problem = build_problem(scenario, {p.id: 0.0 for p in scenario.parties})
    points = red_line_free_points(problem)
    believers = [p for p, b in (scenario.beliefs or {}).items() if b.war]
    print(
        f"# belief model: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(
        f"# {BUNDLED}: {args.worlds:,} worlds x {args.particles:,} particles x {args.months} "
        f"months, parties with beliefs: {', '.join(believers)}; {len(points):,} frontier points"
        + ("; breaks observed" if args.breaks else "")
    )
    wall, cpu = time.perf_counter(), time.process_time()
    result = belief_model(
        scenario,
        points,
        worlds=args.worlds,
        particles=args.particles,
        months=args.months,
        seed=args.seed,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    particle_months = args.worlds * args.particles * args.months * len(believers)
    print(f"wall clock {wall:.1f} s, CPU {cpu:.1f} s (target {TARGET_SECONDS:g} s)")
    print(
        f"{particle_months:,} particle-months (each a {result.settings.horizon}-month projection): "
        f"{cpu / particle_months * 1e6:.2f} us of CPU each"
    )
    document = result.to_dict()
    for key in ("p_zopa_own_beliefs", "p_agreement_best_offer", "belief_gap"):
        print(f"{key}: {', '.join(f'{x:.3f}' for x in document[key][:6])} ...")
    if args.check_executors:
        check_executors(scenario, points, document, args)


def observing_breaks(scenario: Scenario) -> Scenario:
    """``scenario`` whose parties also observe whether each army has broken."""
    from ceasefire.scenario.beliefs import BreakObservation, Learning

    learning = scenario.learning or Learning()
    observe = learning.observe.model_copy(update={"breaks": BreakObservation()})
    return scenario.model_copy(
        update={"learning": learning.model_copy(update={"observe": observe})}
    )


def check_executors(
    scenario: Scenario, points: FloatArray, serial: dict[str, Any], args: argparse.Namespace
) -> None:
    from ceasefire.executor import DaskExecutor, ProcessExecutor, dask_available

    options = {"worlds": args.worlds, "particles": args.particles, "months": args.months}
    with ProcessExecutor(2) as pool:
        pooled = belief_model(scenario, points, executor=pool, seed=args.seed, **options)
    print(f"2 processes: {'identical' if pooled.to_dict() == serial else 'DIFFERENT'}")
    if dask_available():
        with DaskExecutor(workers=2) as dask:
            on_dask = belief_model(scenario, points, executor=dask, seed=args.seed, **options)
        print(
            f"Dask LocalCluster, 2 workers: {'identical' if on_dask.to_dict() == serial else 'DIFFERENT'}"
        )


if __name__ == "__main__":
    main()
