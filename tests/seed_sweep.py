"""Run the property-based tests (those decorated with Hypothesis ``@given``) for many seeds.

    python -m tests.seed_sweep 0 100          # seeds 0..99, one pytest run per seed
    python -m tests.seed_sweep 0 100 tests/negotiation

Each seed runs in its own process with ``--hypothesis-seed=N`` (the profile in tests/conftest.py,
not derandomised); failures are listed per seed at the end, and the exit code is 1 if any seed
failed. ``make seeds`` runs it at low priority.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest


class OnlyPropertyTests:
    """A pytest plugin that keeps only the tests Hypothesis drives."""

    def pytest_collection_modifyitems(self, config: Any, items: list[Any]) -> None:
        keep = [i for i in items if getattr(getattr(i, "obj", None), "is_hypothesis_test", False)]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


def run_one(seed: int, paths: list[str]) -> int:
    """One pytest run of the property tests with ``seed`` (in this process)."""
    args = [*paths, "-q", "-p", "no:cacheprovider", f"--hypothesis-seed={seed}", "-rf"]
    return int(pytest.main(args, plugins=[OnlyPropertyTests()]))


def property_test_files(paths: list[str]) -> list[str]:
    """The test files under ``paths`` that use ``@given`` (collecting only them is faster)."""
    found: list[str] = []
    for path in map(Path, paths):
        files = sorted(path.rglob("test_*.py")) if path.is_dir() else [path]
        found += [str(f) for f in files if "@given" in f.read_text(encoding="utf-8")]
    return found


def main(argv: list[str]) -> int:
    first, stop = int(argv[0]), int(argv[1])
    paths = property_test_files(argv[2:] or ["tests"])
    failed: dict[int, list[str]] = {}
    for seed in range(first, stop):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "tests.seed_sweep", "--one", str(seed), *paths],
            capture_output=True,
            text=True,
            check=False,
        )
        lines = proc.stdout.splitlines()
        summary = lines[-1] if lines else proc.stderr.strip()[-200:]
        print(f"seed {seed}: {summary} ({time.perf_counter() - start:.0f} s)", flush=True)
        if proc.returncode != 0:
            failed[seed] = [line for line in lines if line.startswith("FAILED")] or [summary]
    for seed, lines in failed.items():
        for line in lines:
            print(f"seed {seed}: {line}")
    print(f"{stop - first} seeds, {len(failed)} with failures")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1] == "--one":
        sys.exit(run_one(int(sys.argv[2]), sys.argv[3:] or ["tests"]))
    sys.exit(main(sys.argv[1:]))
