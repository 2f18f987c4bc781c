"""Time the war model, and report the calibration of ``russia-ukraine-2023-12``.

Usage::

    python benchmarks/war.py [--repeat N]      # timings (best of N)
    python benchmarks/war.py --calibration     # the calibration checks and the breakthrough claim
    python benchmarks/war.py --out-of-sample   # 2024 against the forecasts from December 2023

Timings: the Monte Carlo of 10,000 samples x 36 months (the target: well under a second on two
cores), each party's value of no deal for 12 months judged over 12, ripeness, and a whole
``analyze`` of the bundled scenario. The calibration report prints what
``tests/war/test_calibration.py`` checks, and how the probability of a breakthrough depends on the
uncertain inputs in the creep-and-breakthrough model (the campaign off; docs/explanation/war-model.md
quotes it). The out-of-sample report prints what ``tests/war/test_out_of_sample.py`` checks, for the
model with and without its campaign.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ceasefire.scenario import bundled_scenarios, load_scenario, parse_scenario
from ceasefire.scenario.model import Scenario
from ceasefire.war import red_line_free_points, reservation_values, ripeness, simulate
from ceasefire.war.attrition import Kernel, State
from ceasefire.war.calibration import (
    aid_scale_for,
    breakthrough_probability,
    median_monthly_casualties,
    net_change_km2,
    without_campaign,
)

BUNDLED = "russia-ukraine-2023-12"
CONCENTRATION = (
    "concentration: {dist: triangular, low: 1.5, mode: 2, high: 3}",
    "concentration: 1.5",
)


def best_time(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def timings(repeat: int) -> None:
    from ceasefire.analysis import analyze, build_problem

    loaded = load_scenario(bundled_scenarios()[BUNDLED])
    scenario = loaded.scenario
    print(
        f"# war model timings: best of {repeat}; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}"
    )
    rows = [
        (
            "simulate 10,000 samples x 36 months (campaign)",
            lambda: simulate(scenario, samples=10_000, months=36, seed=1),
        ),
        (
            "simulate 10,000 samples x 36 months (campaign off)",
            lambda: simulate(without_campaign(scenario), samples=10_000, months=36, seed=1),
        ),
        (
            "simulate 10,000 samples x 12 months",
            lambda: simulate(scenario, samples=10_000, months=12, seed=1),
        ),
        (
            "simulate 100,000 samples x 36 months",
            lambda: simulate(scenario, samples=100_000, months=36, seed=1),
        ),
        (
            "values of no deal, 10,000 samples, months 0..11, H = 12",
            lambda: reservation_values(scenario, samples=10_000, seed=1, months=12, horizon=12),
        ),
    ]
    reservations = reservation_values(scenario, samples=10_000, seed=1)
    problem = build_problem(scenario, reservations.medians(0))
    points = red_line_free_points(problem)
    veto = [p.id for p in scenario.veto_parties]
    columns = [reservations.parties.index(v) for v in veto]
    rows += [
        (
            f"ripeness: 12 x 10,000 reservation vectors vs {len(points):,} frontier points",
            lambda: ripeness(points, reservations.values[:, columns, :], veto),
        ),
        ("ceasefire analyze (10,000 samples, H = 12), whole", lambda: analyze(loaded)),
    ]
    print(f"{'what':<66} {'seconds':>8}")
    for name, run in rows:
        print(f"{name:<66} {best_time(run, repeat):>8.3f}")


def variant(text: str, *replacements: tuple[str, str]) -> Scenario:
    for old, new in replacements:
        if old not in text:
            raise ValueError(f"not in the scenario: {old!r}")
        text = text.replace(old, new, 1)
    return without_campaign(parse_scenario(text).scenario)


def calibration() -> None:
    path = bundled_scenarios()[BUNDLED]
    text = path.read_text(encoding="utf-8")
    scenario = without_campaign(parse_scenario(text).scenario)
    scale_2023 = aid_scale_for(scenario, 3.85, "ukraine")
    n, seed = 10_000, 2023

    print("# calibration of russia-ukraine-2023-12, campaign off (10,000 samples, seed 2023)")
    for label, scale in (
        (f"2023 aid (x{scale_2023:.2f})", scale_2023),
        ("late-2023 aid", 1.0),
        ("no aid", 0.0),
    ):
        out = simulate(scenario, samples=n, months=12, seed=seed, aid_scale=scale)
        cas = median_monthly_casualties(out)
        net = net_change_km2(out)
        print(
            f"{label:<18} casualties/month RU {cas['russia']:>7,.0f} UA {cas['ukraine']:>6,.0f}; "
            f"12-month net change to Russia: median {np.median(net):>+7,.0f} km2 "
            f"[p5 {np.quantile(net, 0.05):+,.0f}, p95 {np.quantile(net, 0.95):+,.0f}]; "
            f"P(>2% moves within 12 months) {breakthrough_probability(out, 2.0):.3f}"
        )

    # Why: the probability of a breakthrough by the local force ratio each side starts with.
    out = simulate(scenario, samples=n, months=12, seed=seed)
    p = out.parameters
    kernel = Kernel(p, 1.0)
    strength = kernel.effectiveness * State.start(p).forces
    excess = p.concentration * strength / (strength[::-1] * p.defence_advantage)
    lead = excess.max(axis=0)
    moved = breakthrough_probability(out, 2.0)
    print(f"\n# P(>2% moves within 12 months) = {moved:.3f}, by the larger rho/d at month 0")
    edges = np.quantile(lead, np.linspace(0, 1, 6))
    for lo, hi in itertools.pairwise(edges):
        inside = (lead >= lo) & (lead <= hi)
        share = float(
            (np.abs(out.territory[:13, inside] - out.territory[0, inside]).max(axis=0) > 2).mean()
        )
        print(f"rho/d in [{lo:.2f}, {hi:.2f}]: P = {share:.3f}")

    print("\n# sensitivity of P(>2% moves within 12 months), late-2023 aid, one input at a time")
    cases: list[tuple[str, tuple[tuple[str, str], ...]]] = [
        ("as calibrated", ()),
        (
            "Ukraine's forces 500,000 (analysts)",
            (("forces: {dist: lognormal, p5: 500000, p95: 1000000}", "forces: 500000"),),
        ),
        (
            "Ukraine's forces 707,000 (median)",
            (("forces: {dist: lognormal, p5: 500000, p95: 1000000}", "forces: 707000"),),
        ),
        (
            "defence advantage 3 (fixed)",
            (
                (
                    "defence_advantage: {dist: triangular, low: 2.5, mode: 3, high: 5}",
                    "defence_advantage: 3",
                ),
            ),
        ),
        (
            "defence advantage 5 (fixed)",
            (
                (
                    "defence_advantage: {dist: triangular, low: 2.5, mode: 3, high: 5}",
                    "defence_advantage: 5",
                ),
            ),
        ),
        (
            "breakthrough slope 16 (fixed)",
            (("breakthrough_slope: {dist: uniform, low: 6, high: 16}", "breakthrough_slope: 16"),),
        ),
        (
            "breakthrough slope 4 (fixed)",
            (("breakthrough_slope: {dist: uniform, low: 6, high: 16}", "breakthrough_slope: 4"),),
        ),
        ("concentration 1.5 for both", (CONCENTRATION, CONCENTRATION)),
        (
            "breakthroughs of 3,000 km2",
            (
                (
                    "breakthrough_km2: {dist: lognormal, median: 6000, sigma: 0.5}",
                    "breakthrough_km2: {dist: lognormal, median: 3000, sigma: 0.5}",
                ),
            ),
        ),
        (
            "all medians fixed (forces, d, c, k)",
            (
                ("forces: {dist: lognormal, p5: 500000, p95: 1000000}", "forces: 707000"),
                (
                    "defence_advantage: {dist: triangular, low: 2.5, mode: 3, high: 5}",
                    "defence_advantage: 3.42",
                ),
                (
                    "concentration: {dist: triangular, low: 1.5, mode: 2, high: 3}",
                    "concentration: 2.13",
                ),
                (
                    "concentration: {dist: triangular, low: 1.5, mode: 2, high: 3}",
                    "concentration: 2.13",
                ),
                ("breakthrough_slope: {dist: uniform, low: 6, high: 16}", "breakthrough_slope: 11"),
            ),
        ),
    ]
    for label, changes in cases:
        out = simulate(variant(text, *changes), samples=n, months=12, seed=seed)
        print(f"{label:<40} {breakthrough_probability(out, 2.0):.3f}")


def out_of_sample() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.war.test_out_of_sample import scores

    scenario = load_scenario(bundled_scenarios()[BUNDLED]).scenario
    print("# 2024 out of sample: percentiles of the observations, CRPS and skill against naive")
    print(
        f"{'model':<14} {'figure':<28} {'pct':>6} {'CRPS':>10} {'naive pct':>9} {'naive CRPS':>11} {'skill':>7}"
    )
    for label, case in (("campaign off", without_campaign(scenario)), ("campaign", scenario)):
        for name, score in scores(case).items():
            print(
                f"{label:<14} {name + f' ({score.observed:,.0f})':<28} {score.percentile:>6.1f} "
                f"{score.crps:>10,.0f} {score.reference_percentile:>9.1f} "
                f"{score.reference_crps:>11,.0f} {score.skill:>7.3f}"
            )
    for label, case in (("campaign off", without_campaign(scenario)), ("campaign", scenario)):
        out = simulate(case, samples=10_000, months=12, seed=2024)
        net = net_change_km2(out)
        qs = np.quantile(net, [0.05, 0.1, 0.5, 0.9, 0.95])
        print(
            f"{label:<14} 12-month net change to Russia, km2: p5 {qs[0]:+,.0f} p10 {qs[1]:+,.0f} "
            f"p50 {qs[2]:+,.0f} p90 {qs[3]:+,.0f} p95 {qs[4]:+,.0f}; P(Ukraine regains > 1%) "
            f"{float((net < -6036).mean()):.3f}; P(> 2% moves) {breakthrough_probability(out, 2.0):.3f}"
        )
        cas = out.casualties[12, 0]
        per_km2 = cas / np.maximum(net, 1.0)
        print(
            f"{'':<14} Russian casualties: p10 {np.quantile(cas, 0.1):,.0f} p50 {np.median(cas):,.0f} "
            f"p90 {np.quantile(cas, 0.9):,.0f}; median casualties per km2 gained "
            f"{np.median(per_km2[net > 100]):,.0f} (samples gaining > 100 km2)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--calibration", action="store_true")
    parser.add_argument("--out-of-sample", action="store_true")
    args = parser.parse_args()
    if args.calibration:
        calibration()
    elif args.out_of_sample:
        out_of_sample()
    else:
        timings(args.repeat)


if __name__ == "__main__":
    main()
