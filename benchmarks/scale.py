"""Uncertain preferences at scale: every target, met or by how much it misses and why.

Usage (from the repository root)::

    python benchmarks/scale.py                 # every target, measured on small runs
    python benchmarks/scale.py --only analyze  # one of: robust, sobol, analyze, dask
    python benchmarks/scale.py --full          # robust at 10^5 samples and Sobol at N = 1024

Scenario: ``benchmarks/scenarios/russia-ukraine-2023-12-uncertain.yaml``, the bundled
``russia-ukraine-2023-12`` with eight uncertain weights and four uncertain values across its four
veto parties (a benchmark variant; ``benchmarks/scenarios/make_variant.py`` writes it).

Targets (issue "uncertain preferences at scale"):

- ``robust``, 10^5 samples, serial: under 60 s;
- Sobol indices, 20 uncertain inputs, N = 1024: under 5 minutes on 2 cores;
- ``ceasefire analyze`` of the bundled scenario, as a whole process: under 1 s;
- a Dask cluster of k workers: near-linear speed-up (LocalCluster, 1 and 2 workers), the same
  result whatever the layout.

Without ``--full`` the long runs are measured on fewer samples and scaled linearly (both costs are
a fixed amount of work per sample or per evaluation); the report says which figures are
extrapolated. Wall time depends on what else runs on the machine, so CPU time (user + system) of
this process and its children is reported next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VARIANT = ROOT / "benchmarks" / "scenarios" / "russia-ukraine-2023-12-uncertain.yaml"

ROBUST_TARGET_SAMPLES = 100_000
ROBUST_TARGET_SECONDS = 60.0
SOBOL_INPUTS = 20
SOBOL_N = 1024
SOBOL_TARGET_SECONDS = 300.0
ANALYZE_TARGET_SECONDS = 1.0


@dataclass
class Timing:
    wall: float
    cpu: float  # user + system, this process and its children


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn: Callable[[], Any]) -> tuple[Any, Timing]:
    wall, cpu = time.perf_counter(), _cpu()
    result = fn()
    return result, Timing(time.perf_counter() - wall, _cpu() - cpu)


def verdict(seconds: float, target: float) -> str:
    if seconds <= target:
        return f"MET ({seconds:,.1f} s <= {target:,.0f} s)"
    return f"MISSED by {seconds / target:,.1f}x ({seconds:,.0f} s > {target:,.0f} s)"


def load_variant() -> Any:
    from ceasefire.scenario import load_scenario

    return load_scenario(VARIANT)


# ---- robust ---------------------------------------------------------------------------------------


def bench_robust(samples: int) -> list[str]:
    import ceasefire.uncertainty.solve as solve
    from ceasefire.uncertainty.inputs import input_space
    from ceasefire.uncertainty.robustness import robust

    loaded = load_variant()
    uncertain = [i.path for i in input_space(loaded.scenario).inputs if i.uncertain]
    # Count the samples solved on their whole frontier (no acceptable package picked before, or
    # near-ties the regions cannot settle).
    pools = []
    inner = solve.solve_sample

    def counted(problem: Any, concepts: Any, pool: Any) -> Any:
        if not pools or pools[-1] is not pool:
            pools.append(pool)
        return inner(problem, concepts, pool)

    solve.solve_sample = counted  # type: ignore[assignment]
    try:
        result, t = timed(lambda: robust(loaded, samples, seed=0))
    finally:
        solve.solve_sample = inner  # type: ignore[assignment]
    whole = sum(p.whole for p in pools)
    regional = sum(p.regional for p in pools)
    per_sample = t.cpu / samples
    scaled = per_sample * ROBUST_TARGET_SAMPLES
    wall_scaled = t.wall / samples * ROBUST_TARGET_SAMPLES
    exact = samples >= ROBUST_TARGET_SAMPLES
    lines = [
        f"robust: {len(uncertain)} uncertain preference inputs, strategy {result.strategy!r}, "
        f"P(ZOPA) {result.p_zopa:.4f}",
        f"  {samples:,} samples serial: {t.wall:.1f} s wall, {t.cpu:.1f} s CPU "
        f"({per_sample * 1e3:.1f} ms CPU a sample); load average {os.getloadavg()[0]:.1f}",
        f"  samples solved on their whole frontier: {whole:,} of {whole + regional:,} with a "
        f"possible zone ({whole / max(1, whole + regional):.2%}); the others inside the regions "
        "of their picks",
        f"  10^5 samples: {scaled:,.0f} s CPU, {wall_scaled:,.0f} s wall"
        + ("" if exact else " (scaled from the run above)"),
        f"  target 10^5 samples < 60 s serial: {verdict(scaled, ROBUST_TARGET_SECONDS)}",
    ]
    return lines


# ---- Sobol ----------------------------------------------------------------------------------------


def bench_sobol(n: int) -> list[str]:
    from ceasefire.executor import SerialExecutor
    from ceasefire.uncertainty.inputs import input_space
    from ceasefire.uncertainty.sampling import point_reservation
    from ceasefire.uncertainty.sensitivity import WAR_SAMPLES, Model, factors, sobol_indices

    loaded = load_variant()
    space = input_space(loaded.scenario, seed=0, war_samples=WAR_SAMPLES)
    point_reservation(space)
    # The variant's twelve preference distributions and the first eight war-model parameters
    # declared as distributions: twenty uncertain inputs.
    chosen = factors(space, loaded.scenario, None)[:SOBOL_INPUTS]
    groups = len({f.group for f in chosen})
    model = Model(space, loaded.scenario, seed=0, war_samples=WAR_SAMPLES)
    import SALib.analyze.sobol
    import SALib.sample.sobol  # noqa: F401 - imported once, not counted per evaluation

    (_, count), t = timed(lambda: sobol_indices(model, chosen, SerialExecutor(), n, seed=0))
    full_count = SOBOL_N * (groups + 2)
    scaled_cpu = t.cpu / count * full_count
    # Evaluations are independent: two workers share them evenly (see the Dask figures).
    two_cores = scaled_cpu / 2
    return [
        f"Sobol: {len(chosen)} uncertain inputs in {groups} groups "
        f"({sum(f.column is None for f in chosen)} of the war model), N {n}: "
        f"{count:,} evaluations, {t.wall:.1f} s wall, {t.cpu:.1f} s CPU "
        f"({t.cpu / count * 1e3:.0f} ms CPU an evaluation)",
        f"  N = {SOBOL_N}: {full_count:,} evaluations, {scaled_cpu:,.0f} s CPU serial, "
        f"about {two_cores:,.0f} s on 2 workers"
        + ("" if n >= SOBOL_N else " (scaled from the run above)"),
        f"  target N = 1024 < 5 min on 2 cores: {verdict(two_cores, SOBOL_TARGET_SECONDS)}",
    ]


# ---- analyze --------------------------------------------------------------------------------------


def _run_process(args: list[str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


STAGES = """
import json, sys, time, resource
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
spent = {}
start = cpu()
import ceasefire.cli, ceasefire.cli.analyze
spent["imports"] = cpu() - start
import ceasefire.war as war, ceasefire.war.beliefs as beliefs, ceasefire.analysis as analysis
ripe = sys.modules["ceasefire.war.ripeness"]  # (``ceasefire.war.ripeness`` names the function)
def wrap(module, name, label):
    inner = getattr(module, name)
    def timed(*a, **k):
        t = cpu()
        try:
            return inner(*a, **k)
        finally:
            spent[label] = spent.get(label, 0.0) + cpu() - t
    setattr(module, name, timed)
wrap(war, "reservation_values", "war samples (values of no deal)")
wrap(ripe, "ripeness", "ripeness")
wrap(analysis, "durability", "commitment (durability, renewed war)")
wrap(beliefs, "belief_model", "beliefs (particles)")
from ceasefire.scenario import load_scenario, resolve_scenario
t = cpu()
loaded = load_scenario(resolve_scenario("russia-ukraine-2023-12"))
spent["load the scenario"] = cpu() - t
t = cpu()
result = analysis.analyze(loaded)
spent["analysis"] = cpu() - t
from ceasefire.defaults import MAX_FRONTIER
from ceasefire.jsonable import jsonable
t = cpu()
document = result.to_dict(MAX_FRONTIER)
spent["the document (frontier of every package)"] = cpu() - t
t = cpu()
text = json.dumps(jsonable(document), indent=2, ensure_ascii=False, allow_nan=False)
spent["JSON (%.1f MB)" % (len(text) / 1e6)] = cpu() - t
print(json.dumps(spent))
"""


def bench_analyze(repeats: int) -> list[str]:
    command = [sys.executable, "-m", "ceasefire", "analyze", "--json", "--out", os.devnull]
    runs = [_run_process(command) for _ in range(repeats)]
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    bare = [_run_process([sys.executable, "-c", "import numpy"]) for _ in range(repeats)]
    out = subprocess.run(
        [sys.executable, "-c", STAGES], check=True, capture_output=True, text=True, cwd=ROOT
    )
    spent = json.loads(out.stdout.strip().splitlines()[-1])
    # Stages timed inside the analysis; what else it spends is the frontier, ZOPA, concepts...
    inside = [k for k in spent if k not in ("imports", "load the scenario", "analysis")]
    inside = inside[: inside.index("the document (frontier of every package)")]
    after = [k for k in spent if k not in inside and k not in ("imports", "load the scenario")]
    after.remove("analysis")
    rest = spent["analysis"] - sum(spent[k] for k in inside)
    lines = [
        f"analyze (bundled russia-ukraine-2023-12, whole process, median of {repeats}): "
        f"{wall:.2f} s wall, {cpu:.2f} s CPU; Python + numpy alone "
        f"{statistics.median(b.cpu for b in bare):.2f} s CPU",
        "  CPU by stage (one run):",
    ]
    for key in ["imports", "load the scenario", *inside]:
        lines.append(f"    {key:40} {spent[key]:6.2f} s")
    lines.append(f"    {'frontier, ZOPA, concepts and the rest':40} {rest:6.2f} s")
    for key in after:
        lines.append(f"    {key:40} {spent[key]:6.2f} s")
    lines.append(
        f"  target < 1 s: {verdict(wall, ANALYZE_TARGET_SECONDS)} in wall time, "
        f"{verdict(cpu, ANALYZE_TARGET_SECONDS)} in CPU time"
    )
    others = sum(v for k, v in spent.items() if k not in ("analysis", "beliefs (particles)"))
    others += rest
    lines.append(
        f"  every stage but the belief model, in-process: {others:.2f} s CPU "
        f"({verdict(others, ANALYZE_TARGET_SECONDS)})"
    )
    return lines


# ---- Dask -----------------------------------------------------------------------------------------


def bench_dask(samples: int) -> list[str]:
    from distributed import LocalCluster

    from ceasefire.executor import DaskExecutor
    from ceasefire.uncertainty.inputs import input_space
    from ceasefire.uncertainty.robustness import robustness

    loaded = load_variant()
    block = 256  # several blocks, so that there is work to share
    documents = {}
    times = {}
    busy: dict[str, list[float]] = {}
    space = input_space(loaded.scenario, seed=0)
    serial, t = timed(lambda: robustness(space, samples, 0, block_size=block).to_dict())
    documents["serial"], times["serial"] = serial, t.wall
    for workers in (1, 2):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        )
        try:
            # As `--scheduler tcp://...` does: connect to a running scheduler by its address.
            with DaskExecutor(scheduler=cluster.scheduler_address) as executor:
                executor.map(len, [[0]] * workers)  # workers started and warm
                before = executor.client.run(_cpu)
                doc, t = timed(
                    lambda ex=executor: robustness(
                        space, samples, 0, block_size=block, executor=ex
                    ).to_dict()
                )
                after = executor.client.run(_cpu)
        finally:
            cluster.close()
        label = f"dask x{workers}"
        documents[label], times[label] = doc, t.wall
        busy[label] = [after[w] - before[w] for w in sorted(after)]
    same = all(d == documents["serial"] for d in documents.values())
    speedup = times["dask x1"] / times["dask x2"]
    # On cores of their own the run would take as long as its busiest worker's CPU time.
    dedicated = max(busy["dask x1"]) / max(busy["dask x2"])
    return [
        f"Dask (robust, {samples:,} samples in blocks of {block}, scheduler by tcp:// address), "
        "wall: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()),
        "  CPU of each worker during the run: "
        + "; ".join(f"{k}: " + ", ".join(f"{c:.1f} s" for c in v) for k, v in busy.items()),
        f"  speed-up 1 -> 2 workers: {speedup:.2f}x wall on this machine, {dedicated:.2f}x on "
        f"dedicated cores (the busiest worker's CPU; linear: 2x); same result in every layout: "
        f"{'yes' if same else 'NO'}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["robust", "sobol", "analyze", "dask"])
    parser.add_argument("--full", action="store_true", help="10^5 samples and N = 1024")
    parser.add_argument("--robust-samples", type=int, default=512)
    parser.add_argument("--sobol-n", type=int, default=16)
    parser.add_argument("--dask-samples", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    robust_samples = ROBUST_TARGET_SAMPLES if args.full else args.robust_samples
    sobol_n = SOBOL_N if args.full else args.sobol_n

    load = os.getloadavg()[0]
    print(
        f"# {platform.machine()}, {os.cpu_count()} cores (load average {load:.1f} at the start), "
        f"Python {platform.python_version()}"
    )
    benches = {
        "analyze": lambda: bench_analyze(args.repeats),
        "robust": lambda: bench_robust(robust_samples),
        "sobol": lambda: bench_sobol(sobol_n),
        "dask": lambda: bench_dask(args.dask_samples),
    }
    for name, bench in benches.items():
        if args.only in (None, name):
            for line in bench():
                print(line, flush=True)
    print(f"# load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
