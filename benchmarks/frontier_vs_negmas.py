"""ceasefire's exact Pareto frontier against NegMAS's ``pareto_frontier``, timed side by side.

Run with ``make bench`` (or ``python benchmarks/frontier_vs_negmas.py``). Every measurement runs in a
fresh worker process (``--worker``), one after the other, so that the tools do not share memory or
caches and the peak-memory figure belongs to one computation. In the worker, inputs are built first
(not timed); then the computation is timed with ``time.perf_counter`` at least three times (more while
the total stays under 15 s, at most seven) and the median is reported. Peak memory is the growth of
the process's resident-set high-water mark (``ru_maxrss``) during the timed runs.

What is timed:

* ceasefire: the acceptable Pareto frontier, the zone of possible agreement built from it, and the
  Nash solution (``pareto_frontier(acceptable_only=True)``, ``zone_of_agreement``, ``solve``);
* NegMAS: ``negmas.preferences.ops.pareto_frontier(ufuns, issues=...)`` only.

Cases: random two-party additive domains of 10^3..10^6 packages (10 options per issue, weights and
values drawn from a seeded generator, as in a scenario), the public Genius domains in
``tests/data/genius`` (with Genius's normalisation on the NegMAS side, as in the agreement tests), and
a zero-sum domain of 5 issues x 20 values in which every package is Pareto-optimal. The parent checks
that both tools found the same frontier (points within 1e-9; NegMAS may add points that a frontier
point dominates within 1e-9, the floating-point noise explained in
``tests/interop/test_negmas_agreement.py``). Then ceasefire continues alone on problems no
enumeration can touch, and the whole ``ceasefire analyze`` process is timed on AMPOvsCity.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GENIUS = ROOT / "tests" / "data" / "genius"
MIN_REPEATS, MAX_REPEATS, BUDGET_S = 3, 7, 15.0
TOL = 1e-9


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # random | zerosum | genius
    issues: int = 0
    options: int = 0
    parties: int = 2
    genius: str = ""
    negmas: bool = True
    target_s: float | None = None


SIDE_BY_SIDE = [
    Case("random 3 x 10", "random", 3, 10),
    Case("random 4 x 10", "random", 4, 10),
    Case("random 5 x 10", "random", 5, 10),
    Case("random 6 x 10", "random", 6, 10),
    *[
        Case(f"genius {p.name}", "genius", genius=p.name)
        for p in sorted(GENIUS.iterdir())
        if p.is_dir()
    ],
    Case("zero-sum 5 x 20", "zerosum", 5, 20),
]
ALONE = [
    Case("zero-sum 10 x 20", "zerosum", 10, 20, negmas=False, target_s=0.1),
    Case("random 30 x 10", "random", 30, 10, negmas=False, target_s=0.1),
    Case("zero-sum 50 x 10", "zerosum", 50, 10, negmas=False, target_s=2.0),
    Case("3 parties, random 12 x 5", "random", 12, 5, parties=3, negmas=False),
    Case("4 parties, random 12 x 5", "random", 12, 5, parties=4, negmas=False, target_s=5.0),
]
CASES = {c.name: c for c in SIDE_BY_SIDE + ALONE}


# ---- problem construction (identical for both tools) ---------------------------------------------


def random_tables(case: Case, seed: int = 20240101) -> list[np.ndarray]:
    """Per issue, an (options, parties) table of w_ik * v_ik(o) on ceasefire's 0..100 scale."""
    rng = np.random.default_rng([seed, case.issues, case.options, case.parties])
    weights = rng.dirichlet(np.ones(case.issues), size=case.parties).T  # (issues, parties)
    return [
        weights[k][None, :] * rng.uniform(0, 100, size=(case.options, case.parties))
        for k in range(case.issues)
    ]


def zerosum_tables(case: Case) -> list[np.ndarray]:
    """Option j of every issue gives j to one party and (options - 1 - j) to the other."""
    j = np.arange(case.options, dtype=float)
    return [np.column_stack([j, case.options - 1 - j]) for _ in range(case.issues)]


def tables(case: Case) -> list[np.ndarray]:
    return random_tables(case) if case.kind == "random" else zerosum_tables(case)


def scale_to_negmas(case: Case) -> np.ndarray:
    """Multiply ceasefire's utilities by this to get NegMAS's (per party)."""
    if case.kind == "random":
        return np.full(case.parties, 0.01)
    if case.kind == "zerosum":
        return np.ones(case.parties)
    from ceasefire.interop.genius import read_genius_folder

    domain = read_genius_folder(GENIUS / case.genius)
    return np.array([float(p.weight_sum) / 100 for p in domain.profiles])


def ceasefire_job(case: Case) -> tuple[Callable[[], Any], Callable[[Any], dict[str, Any]]]:
    from ceasefire.bargaining import BargainingProblem, pareto_frontier, solve, zone_of_agreement

    if case.kind == "genius":
        from ceasefire.bargaining.from_scenario import build_problem
        from ceasefire.interop.genius import load_genius_folder

        problem = build_problem(load_genius_folder(GENIUS / case.genius).scenario)
    else:
        problem = BargainingProblem.from_arrays(tables(case))

    def run() -> Any:
        frontier = pareto_frontier(problem, acceptable_only=True)
        zopa = zone_of_agreement(problem, frontier=frontier)
        return frontier, solve(problem, "nash", zopa=zopa)

    def describe(result: Any) -> dict[str, Any]:
        frontier, nash = result
        scale = scale_to_negmas(case)
        return {
            "points": (frontier.points * scale).tolist() if frontier.n_points <= 20000 else None,
            "n_points": frontier.n_points,
            "packages": str(frontier.package_total),
            "nash": None if nash.utilities is None else (nash.utilities * scale).tolist(),
        }

    return run, describe


def negmas_job(case: Case) -> tuple[Callable[[], Any], Callable[[Any], dict[str, Any]]]:
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import pareto_frontier
    from negmas.preferences.value_fun import TableFun

    if case.kind == "genius":
        sys.path.insert(0, str(ROOT))
        from tests.interop.negmas_side import genius_normalised_ufuns

        scenario, ufuns = genius_normalised_ufuns(GENIUS / case.genius)
        issues = list(scenario.outcome_space.issues)
    else:
        data = tables(case)
        scale = scale_to_negmas(case)
        issues = [
            make_issue(values=[f"o{j}" for j in range(case.options)], name=f"i{k}")
            for k in range(case.issues)
        ]
        space = make_os(issues)
        ufuns = [
            LinearAdditiveUtilityFunction(
                values=[
                    TableFun({f"o{j}": float(t[j, i] * scale[i]) for j in range(case.options)})
                    for t in data
                ],
                weights=[1.0] * case.issues,
                outcome_space=space,
                reserved_value=0.0,
            )
            for i in range(case.parties)
        ]

    def run() -> Any:
        return pareto_frontier(ufuns, issues=issues)

    def describe(result: Any) -> dict[str, Any]:
        points, _ = result
        return {"points": [[float(u) for u in p] for p in points], "n_points": len(points)}

    return run, describe


# ---- the worker ------------------------------------------------------------------------------------


def worker(tool: str, name: str) -> dict[str, Any]:
    case = CASES[name]
    run, describe = (ceasefire_job if tool == "ceasefire" else negmas_job)(case)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times: list[float] = []
    result = None
    while len(times) < MAX_REPEATS and (len(times) < MIN_REPEATS or sum(times) < BUDGET_S):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        if sum(times) > 4 * BUDGET_S:
            break
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "times": times,
        "median": statistics.median(times),
        "peak_mb": (peak - before) / 1024,
        **describe(result),
    }


def in_worker(tool: str, name: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", tool, name],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{tool} on {name} failed:\n{done.stderr}")
    data: dict[str, Any] = json.loads(done.stdout)
    return data


# ---- comparing and reporting ------------------------------------------------------------------------


def compare(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    """'same', 'same + k dominated' (NegMAS's float noise) or what differs."""
    a = np.array(ours["points"], dtype=float).reshape(
        -1, len(ours["points"][0]) if ours["points"] else 2
    )
    b = np.array(theirs["points"], dtype=float).reshape(-1, a.shape[1])
    missing = sum(1 for p in a if not (np.abs(b - p).max(axis=1) <= TOL).any())
    extra = [q for q in b if not (np.abs(a - q).max(axis=1) <= TOL).any()]
    noise = [q for q in extra if ((a >= q - TOL).all(axis=1) & (a > q + TOL).any(axis=1)).any()]
    if missing or len(noise) != len(extra):
        return f"DIFFERENT: {missing} missing in NegMAS, {len(extra) - len(noise)} extra"
    return "same" if not noise else f"same + {len(noise)} dominated"


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def packages(case: Case) -> str:
    if case.kind == "genius":
        from ceasefire.interop.genius import read_genius_folder

        count = read_genius_folder(GENIUS / case.genius).package_count()
    else:
        count = case.options**case.issues
    if count < 10**10:
        return f"{count:,}"
    exponent = math.log10(count)
    return f"10^{exponent:.0f}" if abs(exponent - round(exponent)) < 1e-9 else f"{count:.2e}"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def analyze_process() -> tuple[float, float, list[str]]:
    """Median wall and CPU time of ``ceasefire analyze`` on AMPOvsCity, and heavy modules it
    imported. CPU time (user + system) hardly depends on what else the machine is doing."""
    cli = [sys.executable, "-m", "ceasefire", "analyze", str(GENIUS / "AMPOvsCity")]
    times, cpu = [], []
    for _ in range(7):
        start, start_cpu = time.perf_counter(), _children_cpu()
        subprocess.run(cli, capture_output=True, check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - start_cpu)
    probe = (
        "import sys\nfrom ceasefire.cli import app\n"
        f"try:\n    app(['analyze', {str(GENIUS / 'AMPOvsCity')!r}])\nexcept SystemExit:\n    pass\n"
        "heavy = ('plotly', 'fastapi', 'starlette', 'uvicorn', 'dask', 'distributed', 'jinja2', 'matplotlib')\n"
        "print('HEAVY:', *sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    marker = [line for line in done.stdout.splitlines() if line.startswith("HEAVY:")]
    heavy = marker[-1].split()[1:] if marker else ["(probe failed)"]
    return statistics.median(times), statistics.median(cpu), heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "CASE"), help=argparse.SUPPRESS)
    parser.add_argument("--only", help="run only cases whose name contains this text")
    parser.add_argument("--out", type=Path, help="also write the Markdown tables to this file")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return

    try:
        import negmas

        negmas_version = negmas.__version__
    except ImportError:
        negmas_version = None
    lines = [
        f"Python {sys.version.split()[0]}, numpy {np.__version__}, NegMAS {negmas_version or 'not installed'}; "
        f"medians of {MIN_REPEATS}-{MAX_REPEATS} runs, one worker process per measurement.",
        "",
        "| case | packages | NegMAS pareto_frontier | ceasefire frontier + Nash | ratio | NegMAS peak | ceasefire peak | frontier points | same frontier? |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    misses: list[str] = []
    for case in SIDE_BY_SIDE:
        if args.only and args.only not in case.name:
            continue
        ours = in_worker("ceasefire", case.name)
        theirs = None if negmas_version is None else in_worker("negmas", case.name)
        row = [case.name, packages(case)]
        if theirs is None:
            row += [
                "—",
                fmt_time(ours["median"]),
                "—",
                "—",
                f"{ours['peak_mb']:.1f} MB",
                str(ours["n_points"]),
                "—",
            ]
        else:
            ratio = theirs["median"] / ours["median"]
            verdict = compare(ours, theirs)
            row += [
                fmt_time(theirs["median"]),
                fmt_time(ours["median"]),
                f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2g}x",
                f"{theirs['peak_mb']:.1f} MB",
                f"{ours['peak_mb']:.1f} MB",
                str(ours["n_points"]),
                verdict,
            ]
            if verdict.startswith("DIFFERENT"):
                misses.append(f"{case.name}: {verdict}")
            if case.name == "random 6 x 10":
                if ratio < 1000:
                    misses.append(f"{case.name}: {ratio:.0f}x faster, target 1000x")
                if ours["peak_mb"] >= 100:
                    misses.append(f"{case.name}: {ours['peak_mb']:.0f} MB, target < 100 MB")
        lines.append("| " + " | ".join(row) + " |")
        print(lines[-1], flush=True)

    lines += [
        "",
        "| ceasefire alone | packages | frontier + Nash | target | peak | frontier points | packages on the frontier |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for case in ALONE:
        if args.only and args.only not in case.name:
            continue
        ours = in_worker("ceasefire", case.name)
        total = int(ours["packages"])
        target = "—" if case.target_s is None else f"< {fmt_time(case.target_s)}"
        if case.target_s is not None and ours["median"] >= case.target_s:
            misses.append(f"{case.name}: {fmt_time(ours['median'])}, target {target}")
        lines.append(
            f"| {case.name} | {packages(case)} | {fmt_time(ours['median'])} | {target} | {ours['peak_mb']:.1f} MB | "
            f"{ours['n_points']} | {total:,} |"
            if total < 10**15
            else f"| {case.name} | {packages(case)} | {fmt_time(ours['median'])} | {target} | {ours['peak_mb']:.1f} MB | "
            f"{ours['n_points']} | {total:.3e} |"
        )
        print(lines[-1], flush=True)

    if not args.only or args.only in "ceasefire analyze":
        wall, cpu, heavy = analyze_process()
        lines += [
            "",
            f"Whole process, `ceasefire analyze tests/data/genius/AMPOvsCity`: {fmt_time(wall)} wall, {fmt_time(cpu)} CPU "
            f"(medians of 7; target < 1 s; load average {os.getloadavg()[0]:.1f}); "
            f"heavy modules imported: {', '.join(heavy) or 'none'}.",
        ]
        if wall >= 1:
            misses.append(f"analyze AMPOvsCity: {fmt_time(wall)}, target < 1 s")
        print(lines[-1], flush=True)
    lines += ["", "Targets: " + ("all met." if not misses else "missed: " + "; ".join(misses))]
    print(lines[-1])
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
