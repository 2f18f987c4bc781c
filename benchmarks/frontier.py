"""Time the exact Pareto frontier, the ZOPA and the solution concepts on random and bundled problems.

Usage: ``python benchmarks/frontier.py [--repeat N] [--seed S]`` (``make bench``). Prints a table:
problem, package count, mode, points on the frontier, packages behind them, best wall time.

Random problems: each veto party has Dirichlet weights over the issues and values uniform on
0..100, so that utilities are on the 0..100 scale of a scenario; "two opposed blocs" makes
parties 0 and 2 want what 1 and 3 do not, as in a war settlement. "acceptable" sets every veto
party's reservation value at the 60th percentile of its utility over 20,000 random packages (a
ZOPA that is neither empty nor everything) and computes the acceptable frontier with pruning.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from ceasefire.bargaining import BargainingProblem, Frontier, solve_all


def random_problem(
    n_parties: int, n_issues: int, n_options: int, rng: np.random.Generator
) -> BargainingProblem:
    weights = rng.dirichlet(np.ones(n_issues), size=n_parties).T
    tables = [
        weights[k][None, :] * rng.uniform(0, 100, (n_options, n_parties)) for k in range(n_issues)
    ]
    problem = BargainingProblem.from_arrays(tables)
    sample = np.column_stack([rng.integers(0, len(o), 20_000) for o in problem.options])
    reservation = np.percentile(problem.utilities(sample), 60, axis=0)
    return problem.with_reservation(reservation)


def opposed_problem(n_issues: int, n_options: int, rng: np.random.Generator) -> BargainingProblem:
    """Parties 0 and 2 value options alike, 1 and 3 the opposite way (plus noise): the
    near-zero-sum structure of a war settlement, whose frontier is far larger than at random."""
    weights = rng.dirichlet(np.ones(n_issues), size=4).T
    tables = []
    for k in range(n_issues):
        a = rng.uniform(0, 100, n_options)
        values = np.column_stack([a, 100 - a, a, 100 - a]) + rng.normal(0, 5, (n_options, 4))
        tables.append(weights[k][None, :] * np.clip(values, 0, 100))
    return with_p60_reservation(BargainingProblem.from_arrays(tables), rng)


def with_p60_reservation(problem: BargainingProblem, rng: np.random.Generator) -> BargainingProblem:
    sample = np.column_stack([rng.integers(0, len(o), 20_000) for o in problem.options])
    return problem.with_reservation(np.percentile(problem.utilities(sample), 60, axis=0))


def fresh_frontier(problem: BargainingProblem, acceptable_only: bool) -> Frontier:
    # A copy, so that the problem's memoised results are not what is timed.
    return problem.with_reservation(problem.reservation).frontier(acceptable_only=acceptable_only)


def best_time(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def bundled_problem() -> BargainingProblem | None:
    try:
        from ceasefire.analysis import build_problem
        from ceasefire.scenario import bundled_scenarios, load_scenario
    except ImportError:
        return None
    path = bundled_scenarios().get("russia-ukraine-2023-12")
    if path is None:
        return None
    return build_problem(load_scenario(path).scenario)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best is shown")
    parser.add_argument("--seed", type=int, default=20231221)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    rows: list[tuple[str, int, str, int, int, float]] = []

    cases = [
        ("2 parties, 20x6", random_problem(2, 20, 6, rng)),
        ("3 parties, 12x5", random_problem(3, 12, 5, rng)),
        ("4 parties, 12x5", random_problem(4, 12, 5, rng)),
        ("4 parties, 12x5, two opposed blocs", opposed_problem(12, 5, rng)),
    ]
    for name, problem in cases:
        for acceptable_only in (False, True):
            elapsed, frontier = best_time(
                partial(fresh_frontier, problem, acceptable_only), args.repeat
            )
            mode = "acceptable (r = p60)" if acceptable_only else "full frontier"
            rows.append(
                (
                    name,
                    problem.package_count(),
                    mode,
                    frontier.n_points,
                    frontier.package_total,
                    elapsed,
                )
            )

    scenario = bundled_problem()
    if scenario is not None:

        def analysis() -> tuple[Any, Any, Any]:
            fresh = scenario.with_reservation(scenario.reservation)
            zopa = fresh.zopa()
            return zopa, solve_all(fresh, zopa=zopa), fresh.frontier()

        elapsed, (zopa, _, frontier) = best_time(analysis, args.repeat)
        name = "russia-ukraine-2023-12"
        rows.append(
            (
                name,
                scenario.package_count(),
                "ZOPA + 4 solutions + frontier",
                frontier.n_points,
                frontier.package_total,
                elapsed,
            )
        )
        elapsed, zopa = best_time(
            lambda: scenario.with_reservation(scenario.reservation).zopa(), args.repeat
        )
        rows.append(
            (
                name,
                scenario.package_count(),
                "ZOPA only",
                zopa.frontier.n_points,
                zopa.frontier.package_total,
                elapsed,
            )
        )

    print(
        f"# ceasefire frontier benchmark ({platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}, seed {args.seed}, "
        f"best of {args.repeat})"
    )
    header = ("problem", "packages", "mode", "points", "packages on it", "seconds")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for name, count, mode, points, total, seconds in rows:
        print(f"| {name} | {count:.3g} | {mode} | {points} | {total} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
