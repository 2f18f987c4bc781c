"""Regenerate the scorecard in docs/explanation/validation.md, and time ``backtest --all``.

Usage::

    python benchmarks/scorecard.py            # rewrite the scorecard block of the page (make scorecard)
    python benchmarks/scorecard.py --check    # exit 1 if the committed page is out of date
    python benchmarks/scorecard.py --time     # seconds for backtest --all at the default samples

The block is written by :mod:`ceasefire.validation.scorecard`; tests/validation/test_scorecard.py
compares it with the committed page.
"""

from __future__ import annotations

import sys
import time


def timing() -> int:
    from ceasefire.validation.backtest import DEFAULT_SAMPLES, backtest, bundled_cases

    start = time.perf_counter()
    document = backtest(bundled_cases(), samples=DEFAULT_SAMPLES, seed=0)
    elapsed = time.perf_counter() - start
    print(
        f"backtest --all: {len(document['cases'])} cases, {DEFAULT_SAMPLES:,} samples: {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    if "--time" in sys.argv[1:]:
        raise SystemExit(timing())
    from ceasefire.validation.scorecard import main

    raise SystemExit(main(sys.argv[1:]))
