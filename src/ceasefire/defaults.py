"""Defaults that several layers share, each written once.

The registry of runs (:mod:`ceasefire.runs`) gathers every option of every analysis with its
default; the numbers that lower layers also need live here, so that the two never disagree.
"""

from __future__ import annotations

MONTE_CARLO_SAMPLES = 10_000
"""Monte Carlo samples of the war model and of the robustness analysis, unless asked otherwise."""

MAX_FRONTIER = 10_000
"""At most this many entries in each frontier list of a result document."""

SEED = 0
"""The seed of every random draw, unless asked otherwise."""

SENSITIVITY_SAMPLES = 64
"""Sobol base sample size ``N`` (a power of 2)."""

SENSITIVITY_WAR_SAMPLES = 1000
"""War model samples per sensitivity evaluation (the same seed in every evaluation: common
random numbers)."""

MEDIATION_SAMPLES = 2000
"""Samples for the probability of a zone of agreement with and without an offer."""

ROUNDS = 24
"""Deadline of a simulated negotiation in rounds (months in a war)."""

STRATEGY = "boulware"
"""The negotiation strategy of a party given none."""

FORECAST_ROUNDS = 10
"""Rounds of bargaining in an expected-utility forecast."""

BACKTEST_SAMPLES = 2000
"""Monte Carlo samples per historical case of a backtest."""

FORECASTER = "zopa"
"""The monthly forecaster a backtest scores (see :mod:`ceasefire.validation.forecast`)."""
