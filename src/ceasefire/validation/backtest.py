"""Backtest: the model run forward from a scenario's ``as_of``, held against its ``record:``.

Month ``t`` is ``as_of`` plus ``t`` months of 365.25/12 days. The model runs for the months up to
the end of the record (the agreement's month, or the month of ``no_agreement_until``) and to the
last dated front or casualty figure. The scores, for each case:

- the monthly probability the forecaster gives (:mod:`ceasefire.validation.forecast`; today
  P(zone of agreement)), and ``first_ripe_month``, the first month where it reaches 0.5;
- ``agreement_month``: the first month ``t`` whose date is on or after the agreement's
  (``ceil`` of the months elapsed), or null when the record has none;
- ``ripe_error_months``: ``first_ripe_month - agreement_month``. When one of the two lies beyond
  the window the error is censored (``ripe_error_censored``): a model never ripe in the window of
  ``T + 1`` months before an agreement in month ``a`` has an error of at least ``T + 1 - a``; a
  model ripe in month ``f`` with no agreement by month ``e`` was at least ``e + 1 - f`` months
  early; a model never ripe with no agreement has error 0 (it agrees with the record);
- ``brier``: the Brier score [Brier1950] of the monthly probability against the record's 0/1
  "an agreement has been reached by month t", over months ``0..T``; ``brier_baseline``: the same
  for two naive forecasts, always 0.5 and the base rate (the share of case-months with an
  agreement reached, pooled over the bundled historical cases and this one, a constant);
- where there is an agreement: the agreed package (issues the record leaves out at their status
  quo) at the agreement month against the model's zone: ``agreed_package_in_zone`` (every veto
  party's utility at least its median value of no deal, no veto party's red line crossed), the
  share of samples in which it is acceptable, and its distance from the Nash package of that month
  (per party, utility points; and the number of issues that differ);
- where there are front or casualty figures: the percentile of each in the model's predictive
  sample (``front_percentiles``, ``casualty_percentiles``) and its CRPS [Gneiting2007]; for the
  front, also the CRPS of the naive persistence forecast (the front stays where it was at
  ``as_of``, the territory issue's status quo). The scenario format holds no casualty series
  from before ``as_of``, so casualties have no naive baseline.

The forecasts use the scenario as it stands at each month: its ``events:`` (dated changes of
preferences, red lines and options; :mod:`ceasefire.scenario.events`) apply from their month, and
the agreement is scored on the scenario of the agreement month. A backtest of a scenario with
events is therefore conditional on those events; ``scenario_events`` lists them.

Nothing else in ceasefire reads ``record:``; the forecasts never see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ceasefire.defaults import BACKTEST_SAMPLES
from ceasefire.provenance import Provenance, ceasefire_version
from ceasefire.scenario import LoadedScenario, Scenario, bundled_scenarios, load_scenario
from ceasefire.scenario import utility as su
from ceasefire.scenario.events import (
    event_summaries,
    month_reached,
    months_after,
    scenario_at_month,
)
from ceasefire.scenario.record import Record
from ceasefire.validation.forecast import DEFAULT_FORECASTER, FORECASTERS, Forecast
from ceasefire.validation.scores import brier, crps, percentile
from ceasefire.war.ripeness import RIPE, TOLERANCE

DEFAULT_SAMPLES = BACKTEST_SAMPLES


def month_nearest(as_of: dt.date, date: dt.date) -> int:
    """The month index nearest to ``date`` (where a dated figure is compared)."""
    return max(0, round(months_after(as_of, date)))


def record_of(scenario: Scenario) -> Record:
    if scenario.record is None:
        raise ValueError(f"scenario '{scenario.id}' has no 'record:' section to score against")
    return scenario.record


def end_month(scenario: Scenario) -> int:
    """``T``: the agreement's month, or the month of ``no_agreement_until``."""
    record = record_of(scenario)
    if record.agreement is not None:
        return month_reached(scenario.as_of, record.agreement.date)
    return month_nearest(scenario.as_of, record.end)


def outcomes_by_month(scenario: Scenario) -> list[int]:
    """``y_t`` for ``t = 0..T``: 1 once an agreement has been reached."""
    record = record_of(scenario)
    last = end_month(scenario)
    if record.agreement is None:
        return [0] * (last + 1)
    agreed = month_reached(scenario.as_of, record.agreement.date)
    return [int(t >= agreed) for t in range(last + 1)]


def base_rate(scenarios: Sequence[Scenario]) -> float:
    """The share of case-months with an agreement reached, pooled over ``scenarios`` (by id)."""
    by_id = {s.id: s for s in scenarios if s.record is not None}
    outcomes = [y for s in by_id.values() for y in outcomes_by_month(s)]
    return float(np.mean(outcomes)) if outcomes else 0.0


def bundled_cases() -> dict[str, LoadedScenario]:
    """The bundled scenarios that have a record, by id."""
    loaded = {key: load_scenario(path) for key, path in bundled_scenarios().items()}
    return {key: value for key, value in loaded.items() if value.scenario.record is not None}


def agreed_package(scenario: Scenario) -> dict[str, su.OptionLabel]:
    """The record's agreement as a full package: issues it leaves out at their status quo."""
    record = record_of(scenario)
    assert record.agreement is not None
    package = su.status_quo_package(scenario)
    for issue_id, option in record.agreement.package.items():
        package[issue_id] = option if isinstance(option, str) else float(option)
    return package


@dataclass(frozen=True)
class AgreedValues:
    """What the agreed package is worth to each party, as the forecast values packages.

    ``utilities``: nominal, or effective with a ``commitment:`` section (``p_hold`` over its
    horizon, ``renewed``: each party's value of the war that follows a breakdown, both of the
    package's group, a number off a numeric issue's grid at the nearest grid value)."""

    utilities: dict[str, float]
    nominal: dict[str, float]
    p_hold: float | None = None
    renewed: dict[str, float] | None = None


def agreed_values(forecast: Forecast, scenario: Scenario, package: dict[str, Any]) -> AgreedValues:
    """The agreed package's utilities: ``E_i = p U_i + (1 - p) V_i`` with a commitment section
    (``U_i`` with the clauses whose compliance is doubtful at their expected value)."""
    nominal = su.utilities_of(scenario, package)
    durable = forecast.durability
    if durable is None:
        return AgreedValues(utilities=nominal, nominal=nominal)
    from ceasefire.commitment.durability import package_indices

    idx = package_indices(scenario, package)
    effective = durable.effective
    parties = effective.problem.parties
    # Compliance changes categorical clauses only: the difference on the grid package is exact.
    adjust = effective.problem.utilities(idx)[0] - durable.nominal.utilities(idx)[0]
    g = int(effective.group_of(idx)[0])
    hold = float(effective.hold[g])
    renewed = effective.renewed[g]
    value = {
        party: hold * (nominal[party] + float(adjust[i])) + (1 - hold) * float(renewed[i])
        for i, party in enumerate(parties)
    }
    return AgreedValues(
        utilities=value,
        nominal=nominal,
        p_hold=hold,
        renewed={party: float(renewed[i]) for i, party in enumerate(parties)},
    )


def _agreement_scores(loaded: LoadedScenario, forecast: Forecast, month: int) -> dict[str, Any]:
    scenario = scenario_at_month(loaded.scenario, month)  # as it stands at the agreement
    package = agreed_package(scenario)
    values = agreed_values(forecast, scenario, package)
    utilities = values.utilities
    veto = [p.id for p in scenario.veto_parties]
    crossed = {
        party: [
            i
            for i, option in package.items()
            if su.option_crosses_red_line(scenario.preferences[party], i, option)
        ]
        for party in veto
    }
    crossed = {party: issues for party, issues in crossed.items() if issues}
    # A deal a veto party would renege on once it has rebuilt is not self-enforcing [Powell2006].
    reneges = sorted(
        party
        for party in veto
        if values.renewed is not None
        and forecast.durability is not None
        and forecast.durability.effective.self_enforcing
        and values.nominal[party] < values.renewed[party] - TOLERANCE
    )
    reservations = forecast.reservations
    rows = [reservations.parties.index(v) for v in veto]
    sampled = reservations.values[month][rows]  # (veto, n)
    medians = reservations.medians(month)

    def judged(values: Mapping[str, float], allowed: bool) -> tuple[bool, float]:
        """In the zone at the median values of no deal, and the share of samples in which
        every veto party prefers the package to no deal (neither when not ``allowed``)."""
        if not allowed:
            return False, 0.0
        above = np.array([values[v] for v in veto])[:, None] >= sampled - TOLERANCE
        in_zone = all(values[v] >= medians[v] - TOLERANCE for v in veto)
        return in_zone, float(above.all(axis=0).mean())

    in_zone, p_acceptable = judged(utilities, not crossed and not reneges)
    problem, nash = forecast.nash_at(loaded, month)
    distance: dict[str, Any] | None = None
    if nash.package is not None and nash.utilities is not None:
        nash_package = problem.package_dict(nash.package)
        distance = {
            "nash_package": nash_package,
            "utility_points": {
                party: round(utilities[party] - float(u), 6)
                for party, u in zip(problem.parties, nash.utilities, strict=True)
            },
            "issues_changed": sorted(i for i in package if package[i] != nash_package[i]),
        }
    scores: dict[str, Any] = {
        "month": month,
        "package": package,
        "utilities": {party: round(u, 6) for party, u in utilities.items()},
        "median_reservation": {v: round(medians[v], 6) for v in veto},
        "red_lines_crossed": crossed,
        "in_zone": in_zone,
        "p_acceptable": p_acceptable,
        "from_nash": distance,
        "nash_reason": nash.reason,
    }
    if values.p_hold is not None:
        nominal_in_zone, nominal_p_acceptable = judged(values.nominal, not crossed)
        scores |= {
            "nominal_utilities": {party: round(u, 6) for party, u in values.nominal.items()},
            "p_hold": round(values.p_hold, 6),
            "renewed_war_values": {
                party: round(v, 6) for party, v in (values.renewed or {}).items()
            },
            "reneged_by": reneges,
            "nominal_in_zone": nominal_in_zone,
            "nominal_p_acceptable": nominal_p_acceptable,
        }
    return scores


def _commitment_scores(
    scenario: Scenario,
    forecast: Forecast,
    outcomes: list[int],
    agreement: dict[str, Any] | None,
    agreement_month: int | None,
) -> dict[str, Any] | None:
    """With a ``commitment:`` section: the agreed package's chance of holding, and the scores the
    nominal utilities (every deal enforced forever) gave, to set against the effective ones."""
    durable = forecast.durability
    if durable is None or forecast.p_zopa_nominal is None:
        return None
    last = len(outcomes) - 1
    nominal = forecast.p_zopa_nominal[: last + 1]
    hits = np.flatnonzero(nominal >= RIPE)
    first = int(hits[0]) if hits.size else None
    error, censored = ripe_error(first, agreement_month, last)
    document: dict[str, Any] = {
        "horizon_months": durable.horizon,
        "agreed_p_hold": None,
        "nominal": {
            "p_zopa": [round(float(x), 6) for x in nominal],
            "first_ripe_month": first,
            "ripe_error_months": error,
            "ripe_error_censored": censored,
            "brier": round(brier(nominal, outcomes), 6),
            "agreed_package_in_zone": None if agreement is None else agreement["nominal_in_zone"],
            "p_acceptable": None if agreement is None else agreement["nominal_p_acceptable"],
        },
    }
    if agreement is not None:
        from ceasefire.commitment.durability import REPORT_MONTHS, package_indices

        idx = package_indices(scenario, agreement["package"])
        document["agreed_p_hold"] = {
            str(m): round(durable.p_hold(idx, m), 6) for m in REPORT_MONTHS
        }
    return document


def _front_scores(scenario: Scenario, forecast: Forecast) -> list[dict[str, Any]]:
    war = scenario.war
    record = record_of(scenario)
    if war is None or not record.front:
        return []
    status_quo = float(scenario.issue(war.front.issue).status_quo)
    territory = forecast.reservations.outcomes.territory
    result = []
    for observation in record.front:
        month = month_nearest(scenario.as_of, observation.date)
        samples = territory[month]
        q5, q50, q95 = np.quantile(samples, (0.05, 0.5, 0.95))
        result.append(
            {
                "date": observation.date.isoformat(),
                "month": month,
                "observed": observation.value,
                "percentile": round(percentile(samples, observation.value), 6),
                "crps": round(float(crps(samples, observation.value)), 6),
                "crps_persistence": round(abs(status_quo - observation.value), 6),
                "model": {"p5": float(q5), "p50": float(q50), "p95": float(q95)},
            }
        )
    return result


def _casualty_scores(scenario: Scenario, forecast: Forecast) -> list[dict[str, Any]]:
    war = scenario.war
    record = record_of(scenario)
    if war is None:
        return []
    sides = list(war.side_ids())
    cumulative = forecast.reservations.outcomes.casualties  # (months, 2, n)
    result = []
    for observation in record.casualties:
        month = month_nearest(scenario.as_of, observation.date)
        start = 0 if observation.since is None else month_nearest(scenario.as_of, observation.since)
        for side, observed in observation.values.items():
            j = sides.index(side)
            samples = cumulative[month, j] - cumulative[start, j]
            q5, q50, q95 = np.quantile(samples, (0.05, 0.5, 0.95))
            result.append(
                {
                    "date": observation.date.isoformat(),
                    "since": (observation.since or scenario.as_of).isoformat(),
                    "months": [start, month],
                    "side": side,
                    "observed": observed,
                    "percentile": round(percentile(samples, observed), 6),
                    "crps": round(float(crps(samples, observed)), 6),
                    "crps_baseline": None,
                    "model": {"p5": float(q5), "p50": float(q50), "p95": float(q95)},
                }
            )
    return result


def _collapsed(scenario: Scenario, forecast: Forecast, last: int) -> dict[str, list[float]]:
    """Per side of the war model, the share of samples in which its army has broken by each month
    ``0..last`` (``break_force_fraction`` / ``break_casualties``), in the stochastic run."""
    if scenario.war is None:
        return {}
    broken = forecast.reservations.outcomes.collapsed[: last + 1].mean(axis=-1)  # (months, 2)
    return {
        side: [round(float(x), 6) for x in broken[:, j]]
        for j, side in enumerate(scenario.war.side_ids())
    }


def _months_needed(scenario: Scenario) -> int:
    record = record_of(scenario)
    dates = [o.date for o in record.front] + [o.date for o in record.casualties]
    last = max([end_month(scenario), *(month_nearest(scenario.as_of, d) for d in dates)])
    return last + 1


def ripe_error(first_ripe: int | None, agreement_month: int | None, last: int) -> tuple[int, bool]:
    """``(error in months, censored)``; see the module's docstring."""
    if agreement_month is not None:
        if first_ripe is not None and first_ripe <= last:
            return first_ripe - agreement_month, False
        return last + 1 - agreement_month, True
    if first_ripe is not None and first_ripe <= last:
        return first_ripe - (last + 1), True
    return 0, True


@dataclass(frozen=True)
class Case:
    """One scenario's backtest: the forecast and its scores as a JSON-ready document."""

    loaded: LoadedScenario
    forecast: Forecast
    document: dict[str, Any]


def backtest_case(
    loaded: LoadedScenario,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    forecaster: str = DEFAULT_FORECASTER,
    pool: Sequence[Scenario] = (),
) -> Case:
    """Run the model forward from ``as_of`` and score it against the scenario's record.

    ``pool``: the other scenarios whose records make the base rate (with this one).
    """
    scenario = loaded.scenario
    record = record_of(scenario)
    if forecaster not in FORECASTERS:
        raise ValueError(f"unknown forecaster '{forecaster}' ({', '.join(FORECASTERS)})")
    months = _months_needed(scenario)
    forecast = FORECASTERS[forecaster](loaded, months, samples, seed)
    last = end_month(scenario)
    outcomes = outcomes_by_month(scenario)
    probability = forecast.scored[: last + 1]
    hits = np.flatnonzero(probability >= RIPE)
    first_ripe = int(hits[0]) if hits.size else None
    agreement_month = (
        month_reached(scenario.as_of, record.agreement.date) if record.agreement else None
    )
    error, censored = ripe_error(first_ripe, agreement_month, last)
    rate = base_rate([*pool, scenario])
    agreement = (
        _agreement_scores(loaded, forecast, min(agreement_month, forecast.months - 1))
        if agreement_month is not None
        else None
    )
    front = _front_scores(scenario, forecast)
    casualties = _casualty_scores(scenario, forecast)
    commitment = _commitment_scores(scenario, forecast, outcomes, agreement, agreement_month)
    document: dict[str, Any] = {
        "id": scenario.id,
        "title": scenario.title,
        "as_of": scenario.as_of.isoformat(),
        "record_end": record.end.isoformat(),
        "agreement_date": record.agreement.date.isoformat() if record.agreement else None,
        "agreement_month": agreement_month,
        "months_scored": last + 1,
        "scored_probability": forecast.scored_name,
        "forecaster": forecast.source,
        "p_zopa": [round(float(x), 6) for x in forecast.p_zopa[: last + 1]],
        "p_agreement": None
        if forecast.p_agreement is None
        else [round(float(x), 6) for x in forecast.p_agreement[: last + 1]],
        "agreement_reached": outcomes,
        "first_ripe_month": first_ripe,
        "ripe_error_months": error,
        "ripe_error_censored": censored,
        "brier": round(brier(probability, outcomes), 6),
        "brier_baseline": {
            "always_half": round(brier(np.full(len(outcomes), 0.5), outcomes), 6),
            "base_rate": round(brier(np.full(len(outcomes), rate), outcomes), 6),
            "base_rate_value": round(rate, 6),
        },
        "agreed_package_in_zone": None if agreement is None else agreement["in_zone"],
        "agreement": agreement,
        "front_percentiles": [entry["percentile"] for entry in front],
        "front": front,
        "casualty_percentiles": [entry["percentile"] for entry in casualties],
        "casualties": casualties,
        "collapsed": _collapsed(scenario, forecast, last),
        "commitment": commitment,
        "talks": [
            {
                "date": t.date.isoformat(),
                "month": month_nearest(scenario.as_of, t.date),
                "status": t.status,
                "note": t.note,
            }
            for t in record.talks
        ],
        "events": [
            {
                "date": e.date.isoformat(),
                "month": month_nearest(scenario.as_of, e.date),
                "what": e.what,
            }
            for e in record.events
        ],
        "provenance": Provenance(
            scenario_sha256=loaded.sha256,
            seed=seed,
            parameters={"samples": samples, "forecaster": forecaster, "months": months},
        ).to_dict(),
    }
    if scenario.events:  # the scenario's own dated changes, which the forecast used
        document["scenario_events"] = event_summaries(scenario, months)
    return Case(loaded=loaded, forecast=forecast, document=document)


def backtest(
    cases: Mapping[str, LoadedScenario] | Sequence[LoadedScenario],
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    forecaster: str = DEFAULT_FORECASTER,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, Any]:
    """The backtest document of every case: ``{"cases": [...], "provenance": {...}}``.

    The base rate pools the records of the bundled historical cases and of the cases given.
    """
    loaded = list(cases.values()) if isinstance(cases, Mapping) else list(cases)
    pool = [c.scenario for c in bundled_cases().values()] + [c.scenario for c in loaded]
    documents = []
    for index, case in enumerate(loaded):
        if progress is not None:
            progress(index, len(loaded), case.scenario.id)
        result = backtest_case(case, samples=samples, seed=seed, forecaster=forecaster, pool=pool)
        documents.append(result.document)
    if progress is not None:
        progress(len(loaded), len(loaded), "done")
    return {
        "cases": documents,
        "provenance": {
            "ceasefire_version": ceasefire_version(),
            "seed": seed,
            "parameters": {"samples": samples, "forecaster": forecaster},
            "scenarios": {c.scenario.id: c.sha256 for c in loaded},
        },
    }
