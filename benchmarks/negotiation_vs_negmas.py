"""Time and peak memory of a 100-round bilateral negotiation: ceasefire against NegMAS.

Random additive domains (two parties, ``K`` issues of 10 options each, so 10**K packages; weights
from a flat Dirichlet, option values uniform): NegMAS's SAO mechanism with two
``AspirationNegotiator`` (its default: Boulware time-based concession, exponent 4, outcomes presorted
by utility) against ceasefire's alternating offers with two ``boulware`` strategies (the same
concession curve, beta = 1/4), once with offers on the Pareto frontier (``boulware``, cooperative)
and once by own utility alone like NegMAS (``boulware_own``). Reservation values are 0, the
deadline 100 rounds.

Each measurement runs in a fresh Python process: wall time from building the domain to the end of
the negotiation (imports excluded), and the process's peak resident memory (also after imports, to
show what the libraries alone take). Run from the repository root:

    .venv/bin/python benchmarks/negotiation_vs_negmas.py            # 10**4 and 10**6 packages
    .venv/bin/python benchmarks/negotiation_vs_negmas.py --issues 4  # 10**4 only

and the Markdown table goes to stdout (and, with ``--out``, the raw numbers to a JSON file).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

OPTIONS = 10
ROUNDS = 100
ENGINES = ("negmas", "ceasefire_frontier", "ceasefire_own_utility")


def domain(issues: int, seed: int) -> tuple[Any, Any]:
    """Weights ``(2, issues)`` and values ``(2, issues, OPTIONS)`` in [0, 1]."""
    import numpy as np

    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(issues), size=2)
    values = rng.uniform(0.0, 1.0, size=(2, issues, OPTIONS))
    return weights, values


def rss_mb() -> float:
    """Current resident memory of this process (MB)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_negmas(issues: int, seed: int) -> dict[str, Any]:
    from negmas import AspirationNegotiator, SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    baseline = rss_mb()
    start = time.perf_counter()
    weights, values = domain(issues, seed)
    names = [f"i{k}" for k in range(issues)]
    labels = [f"o{j}" for j in range(OPTIONS)]
    space = [make_issue(values=labels, name=n) for n in names]
    mechanism = SAOMechanism(issues=space, n_steps=ROUNDS)
    ufuns = []
    for a in range(2):
        ufun = LinearAdditiveUtilityFunction(
            values={
                n: TableFun({o: float(values[a, k, j]) for j, o in enumerate(labels)})
                for k, n in enumerate(names)
            },
            weights={n: float(weights[a, k]) for k, n in enumerate(names)},
            outcome_space=mechanism.outcome_space,
            reserved_value=0.0,
        )
        ufuns.append(ufun)
        mechanism.add(AspirationNegotiator(name=f"party{a}"), ufun=ufun)
    mechanism.run()
    seconds = time.perf_counter() - start
    agreement = mechanism.state.agreement
    return {
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline,
        "agreement": agreement is not None,
        "rounds": int(mechanism.state.step),
        "utilities": None if agreement is None else [100 * float(u(agreement)) for u in ufuns],
    }


def run_ceasefire(issues: int, seed: int, cooperative: bool) -> dict[str, Any]:
    import numpy as np

    from ceasefire.bargaining import BargainingProblem
    from ceasefire.negotiation import Table, negotiate
    from ceasefire.negotiation.concession import Boulware

    class OwnUtilityBoulware(Boulware):
        """Boulware offering by its own utility alone, like NegMAS's AspirationNegotiator."""

        cooperative = False

    strategy = Boulware if cooperative else OwnUtilityBoulware
    baseline = rss_mb()
    start = time.perf_counter()
    weights, values = domain(issues, seed)
    # Contribution of option j of issue k to party a: 100 * w_ak * v_akj.
    tables = [100 * (weights[:, k, None] * values[:, k, :]).T for k in range(issues)]
    problem = BargainingProblem.from_arrays(tables, reservation=np.zeros(2))
    table = Table.from_problem(problem)
    result = negotiate(table, [strategy(), strategy()], rounds=ROUNDS, nash=False)
    seconds = time.perf_counter() - start
    turn = result.agreement
    return {
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline,
        "agreement": turn is not None,
        "rounds": result.round_reached,
        "utilities": None if turn is None else [float(u) for u in turn.offer.utilities],
        "frontier_size": table.space.frontier_size,
    }


def child(engine: str, issues: int, seed: int) -> None:
    if engine == "negmas":
        result = run_negmas(issues, seed)
    else:
        result = run_ceasefire(issues, seed, cooperative=engine == "ceasefire_frontier")
    print(json.dumps(result))


def measure(engine: str, issues: int, seed: int) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", engine, "--issues", str(issues), "--seed", str(seed)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, nargs="*", default=[4, 6])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", choices=ENGINES)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.issues[0], args.seed)
        return
    rows = []
    for issues in args.issues:
        for engine in ENGINES:
            result = measure(engine, issues, args.seed)
            rows.append({"packages": OPTIONS**issues, "engine": engine, **result})
            print(f"measured {engine} on 10^{issues}", file=sys.stderr)
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; seed {args.seed}, {ROUNDS} rounds.\n")  # fmt: skip
    print(
        "| packages | engine | time (s) | peak RSS (MB) | RSS after imports (MB) | agreement | rounds | speed-up vs NegMAS |"
    )
    print("|---:|---|---:|---:|---:|---|---:|---:|")
    for row in rows:
        reference = next(
            r for r in rows if r["packages"] == row["packages"] and r["engine"] == "negmas"
        )
        speedup = reference["seconds"] / row["seconds"]
        agreed = "yes" if row["agreement"] else "no"
        print(
            f"| 10^{len(str(row['packages'])) - 1} | {row['engine']} | {row['seconds']:.3f} "
            f"| {row['peak_rss_mb']:.0f} | {row['baseline_rss_mb']:.0f} | {agreed} "
            f"| {row['rounds']} | {speedup:.0f}x |"
        )
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
