"""Which inputs move the answer: one-at-a-time swings and variance-based (Sobol) indices.

Outputs, each a number per evaluation of the scenario with some inputs changed:

- ``zopa_margin``: the largest ``m`` such that some package crossing no red line gives every veto
  party at least its reservation value plus ``m`` (utility points); a zone of possible agreement
  exists when ``m >= 0``. Clipped below at ``-MARGIN_FLOOR``. It says how far the answer is from
  flipping, which the yes/no ``zopa`` alone does not;
- ``zopa``: 1 if a zone of possible agreement exists, else 0;
- ``nash.<party>``: each veto party's utility of the package the Nash bargaining solution picks
  [Nash1950], or its reservation value when there is no zone of agreement (what it gets);
- ``first_ripe_month`` (with a ``war:`` section): the first month in which the probability of a
  zone of agreement reaches 0.5 under the war model, or the horizon when it never does.

Inputs are those of :mod:`ceasefire.uncertainty.inputs` (named by their path in the scenario
file) and, with a ``war:`` section, the war model's parameters (``war.sides[0].forces``). An input
given as a distribution swings over its 5th to 95th percentile, a red line between holding and not,
and (unless ``spread`` is None) a plain number over a default range around it (``DEFAULT_SPREAD``).

One-at-a-time (OAT): every input alone at the low and the high end of its range, the others at
their point values; the *swing* of an output is the absolute difference between the two, and the
tornado lists inputs by swing. Sobol: first-order and total indices [Sobol2001] estimated with
Saltelli's scheme [Saltelli2010] through SALib [Herman2017], on groups of inputs (one per party's
weights, values, red lines and value of no deal, and one per block of the war model) to keep the
number of evaluations ``N (groups + 2)`` manageable; inputs given as distributions are drawn from
them, plain numbers uniformly over their default range, and red lines without ``p`` are kept.

With a war model, a veto party's reservation value is the median of the war model's month-0 value
of no deal, as in ``ceasefire analyze``; that value is computed with the scenario's stated
preferences (the war model does not see the varied weights and values).

With a ``commitment:`` section every evaluation judges packages on effective utilities, as
``analyze`` does (:mod:`ceasefire.uncertainty.commitment`): the margin, the zone, the Nash
utilities (effective) and the ripe month come from the exact effective frontier of the
evaluation's utilities (doubtful clauses at their expected values), with the chance a deal holds
and the renewed war's values at ``analyze``'s point values: a varied war parameter moves the
values of no deal, not the renewed war's values.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from ceasefire.bargaining import BargainingProblem, dequantize, quantize
from ceasefire.bargaining.slack import best_slack
from ceasefire.defaults import SENSITIVITY_SAMPLES, SENSITIVITY_WAR_SAMPLES
from ceasefire.executor import Executor, SerialExecutor
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario, Scenario
from ceasefire.scenario.distributions import Distribution
from ceasefire.scenario.paths import with_war_numbers
from ceasefire.uncertainty.commitment import assumption, sample_commitment
from ceasefire.uncertainty.inputs import DEFAULT_SPREAD, Input, InputSpace, input_space
from ceasefire.uncertainty.picks import PointSet, pick
from ceasefire.uncertainty.sampling import point_reservation, realise
from ceasefire.uncertainty.solve import FLOOR_MARGIN, frontier_cache, sample_frontier

FloatArray = npt.NDArray[np.float64]

MARGIN_FLOOR = 5.0
"""``zopa_margin`` is clipped below at minus this many utility points."""

WAR_SPREAD = 0.25
"""Default relative half-width of the range of a war parameter stated as a plain number."""

WAR_SAMPLES = SENSITIVITY_WAR_SAMPLES

Method = Literal["oat", "sobol"]


# ---- factors: the inputs varied ------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    """An input the analysis varies, with its range and how a uniform number maps onto it."""

    path: str
    kind: str
    base: float
    low: float
    high: float
    origin: str
    """``distribution`` (5th-95th percentile), ``red line`` or ``default spread``."""
    column: int | None = None
    """Column in the input space (preference inputs), None for a war parameter."""
    distribution: Any = None
    p: float | None = None

    def value(self, u: FloatArray) -> FloatArray:
        """Input values for uniform numbers ``u`` (Sobol sampling)."""
        u = np.asarray(u, dtype=np.float64)
        if self.kind == "red_line":
            p = 1.0 if self.p is None else self.p
            return np.asarray(u < p, dtype=np.float64)
        if self.distribution is not None:
            return np.asarray(self.distribution.ppf(u), dtype=np.float64)
        return self.low + u * (self.high - self.low)

    @property
    def group(self) -> str:
        """The Sobol group: a party's weights, values, red lines or value of no deal, or a block
        of the war model."""
        parts = self.path.split(".")
        if parts[0] == "preferences":
            field_name = parts[2]
            if field_name in ("reservation", "no_deal"):
                field_name = "no_deal"
            return f"preferences.{parts[1]}.{field_name}"
        head = parts[1].split("[")[0]
        if head == "costs":
            return f"war.costs.{parts[2]}"
        if head == "sides":
            return f"war.{parts[1]}"
        return f"war.{head}"


def factors(
    space: InputSpace, scenario: Scenario, spread: Mapping[str, float] | None = DEFAULT_SPREAD
) -> list[Factor]:
    """Every input with a range to swing over, preferences first, then the war model."""
    out = []
    for column, inp in enumerate(space.inputs):
        factor = _preference_factor(column, inp, spread)
        if factor is not None:
            out.append(factor)
    if scenario.war is not None:
        for path, number in war_parameters(scenario):
            factor = _war_factor(scenario, path, number, spread is not None)
            if factor is not None:
                out.append(factor)
    return out


def _preference_factor(
    column: int, inp: Input, spread: Mapping[str, float] | None
) -> Factor | None:
    low, high = inp.interval(spread)
    if low == high:
        return None
    if inp.kind == "red_line":
        origin = "red line"
        base = inp.point
    elif inp.distribution is not None:
        origin = "distribution"
        base = inp.point
    else:
        origin = "default spread"
        base = inp.point
    return Factor(
        path=inp.path,
        kind=inp.kind,
        base=base,
        low=low,
        high=high,
        origin=origin,
        column=column,
        distribution=inp.distribution,
        p=inp.p if inp.uncertain else None,
    )


def _war_factor(
    scenario: Scenario, path: str, number: Distribution, with_spread: bool
) -> Factor | None:
    if not number.is_fixed:
        low, high = (float(x) for x in number.ppf(np.array([0.05, 0.95])))
        return Factor(path, "war", number.mean, low, high, "distribution", distribution=number)
    if not with_spread:
        return None
    value = number.mean
    ends = []
    for end in (value * (1 - WAR_SPREAD), value * (1 + WAR_SPREAD)):
        # Stay within what the parameter may take (a share stays below 1, say).
        for _ in range(6):
            try:
                with_war_values(scenario, {path: end})
                break
            except ValueError:
                end = (end + value) / 2
        else:
            end = value
        ends.append(end)
    low, high = sorted(ends)
    if low == high:
        return None
    return Factor(path, "war", value, low, high, "default spread")


def war_parameters(scenario: Scenario) -> list[tuple[str, Distribution]]:
    """Every number of the ``war:`` section, by path (``war.sides[0].forces``)."""
    war = scenario.war
    if war is None:
        return []
    found: list[tuple[str, Distribution]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Distribution):
            found.append((path, node))
        elif isinstance(node, list):
            for j, item in enumerate(node):
                walk(item, f"{path}[{j}]")
        elif isinstance(node, dict):
            for key, item in node.items():
                walk(item, f"{path}.{key}")
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                if name not in ("basis", "sources", "description"):
                    walk(getattr(node, name), f"{path}.{name}")

    walk(war, "war")
    return found


def with_war_values(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """``scenario`` with war parameters (by path, :mod:`ceasefire.scenario.paths`) set to plain
    numbers."""
    if not values:
        return scenario
    assert scenario.war is not None
    return scenario.model_copy(update={"war": with_war_numbers(scenario.war, values)})


# ---- evaluation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """One run of the scenario: preference input values and war parameter values."""

    theta: FloatArray
    war: tuple[tuple[str, float], ...] = ()


_war_cache: dict[tuple[Any, ...], FloatArray] = {}


@dataclass(frozen=True, eq=False)
class Model:
    """What an evaluation needs: the input space, the scenario and the war model's settings."""

    space: InputSpace
    scenario: Scenario
    seed: int = 0
    war_samples: int = WAR_SAMPLES

    @property
    def war(self) -> bool:
        return self.scenario.war is not None

    @cached_property
    def fingerprint(self) -> str:
        """The scenario's content, for caching across evaluations in a worker."""
        digest = hashlib.blake2b(self.scenario.model_dump_json().encode(), digest_size=16)
        return digest.hexdigest()

    def outputs(self) -> list[str]:
        names = ["zopa_margin", "zopa", *[f"nash.{p}" for p in self.space.parties]]
        return [*names, "first_ripe_month"] if self.war else names

    def war_values(
        self, war: tuple[tuple[str, float], ...], months: int | None = None
    ) -> FloatArray:
        """``(months, d, samples)`` the veto parties' values of no deal at the first ``months``
        months (default: the horizon), cached per process. The values at a month do not depend on
        how many months are asked for: month 0 alone costs a fraction of the horizon."""
        from ceasefire.war import reservation_values

        key = (self.fingerprint, self.seed, self.war_samples, war, months)
        if key not in _war_cache:
            scenario = with_war_values(self.scenario, dict(war))
            result = reservation_values(
                scenario, samples=self.war_samples, seed=self.seed, months=months
            )
            columns = [result.parties.index(p) for p in self.space.parties]
            if len(_war_cache) > 256:
                _war_cache.clear()
            _war_cache[key] = result.values[:, columns, :]
        return _war_cache[key]

    def evaluate(self, evaluation: Evaluation) -> FloatArray:
        """The outputs (in :meth:`outputs` order) of one evaluation."""
        theta = evaluation.theta[None, :]
        # Month 0 first: it gives the reservation values and, when a zone is already likely
        # then, the first ripe month; the other months are computed only when needed.
        first = self.war_values(evaluation.war, months=1) if self.war else None
        reservation = None if first is None else np.median(first[0], axis=1)[None, :]
        draws = realise(self.space, theta, reservation)
        problem = draws.problem(self.space, 0)
        r = draws.reservation[0]
        points = sample_frontier(self.space, problem, (), self._floor(r - MARGIN_FLOOR))
        out = [*_margin_and_nash(points, r)]
        if first is not None:
            deeper = partial(self._deeper, problem)
            ripe = first_ripe_month(problem, points, first, self._floor, deeper)
            if ripe >= first.shape[0]:  # not ripe at month 0: look at the later months
                ripe = first_ripe_month(
                    problem, points, self.war_values(evaluation.war), self._floor, deeper
                )
            out.append(ripe)
        return np.array(out, dtype=np.float64)

    def _deeper(self, problem: BargainingProblem, floor: FloatArray) -> PointSet:
        return sample_frontier(self.space, problem, (), floor)

    def _floor(self, below: FloatArray) -> FloatArray:
        """A floor under ``below`` on tiers MARGIN_FLOOR points apart, down from the point
        reservation values, so that evaluations that share a utility table share a frontier."""
        reference = point_reservation(self.space)
        tier = np.maximum(np.ceil(((reference - below) / MARGIN_FLOOR).max() - 1e-9), 0.0)
        return np.asarray(reference - MARGIN_FLOOR * tier - FLOOR_MARGIN)


def first_ripe_month(
    problem: BargainingProblem,
    points: PointSet,
    values: FloatArray,
    floor_under: Callable[[FloatArray], FloatArray],
    frontier: Callable[[FloatArray], PointSet] | None = None,
) -> float:
    """First month with P(ZOPA) >= 0.5 over the war samples ``values`` ``(months, d, n)``, or
    ``months`` if there is none. ``points``: a frontier of ``problem`` cut at some floor;
    ``floor_under(v)``: a floor below ``v`` for a deeper one; ``frontier(floor)``: the frontier
    cut there (default: the nominal one; effective with a ``commitment:`` section).

    Queries below the frontier's floor are first raised to it, which can only lower the share of
    samples with a ZOPA: a month ripe by that bound is ripe. Otherwise the month is decided
    exactly with a frontier deep enough for every query of that month.
    """
    from ceasefire.war.ripeness import RIPE

    months = values.shape[0]
    floor = quantize(points.floor)
    for t in range(months):
        queries = quantize(values[t].T)
        bounded = pick(points, np.maximum(queries, floor[None, :]), []).exists
        if bounded.mean() >= RIPE:
            return float(t)
        if (queries >= floor[None, :]).all():
            continue
        deeper = floor_under(values[t].min(axis=1))
        deep = frontier_cache.get(problem, (), deeper) if frontier is None else frontier(deeper)
        if pick(deep, queries, []).exists.mean() >= RIPE:
            return float(t)
    return float(months)


def _margin_and_nash(points: PointSet, reservation: FloatArray) -> list[float]:
    """``zopa_margin``, ``zopa`` and the Nash utilities for one reservation vector."""
    units = quantize(reservation)
    if points.size == 0:
        margin = -MARGIN_FLOOR
    else:
        # integer units below 2**53 are exact as floats: the slack is exact too
        slack, _ = best_slack(points.points, units[None, :])
        margin = float(dequantize(slack.astype(np.int64))[0])
        margin = max(margin, -MARGIN_FLOOR)
    picks = pick(points, units[None, :], ["nash"])
    exists = bool(picks.exists[0])
    nash = dequantize(points.points[picks.chosen["nash"][0]]) if exists else reservation
    return [margin, float(exists), *(float(x) for x in nash)]


PROGRESS_CHUNKS = 64
"""The fewest chunks the evaluations are split into (a progress step is at most 1/64 of the run)."""


def _evaluate_chunk(model: Model, chunk: list[Evaluation]) -> FloatArray:
    return np.stack([model.evaluate(e) for e in chunk])


def run_evaluations(
    model: Model,
    evaluations: Sequence[Evaluation],
    executor: Executor,
    progress: Callable[[int, int, str], None] | None = None,
    stage: str = "evaluations",
) -> FloatArray:
    """``(len(evaluations), n_outputs)``, in order, through the executor.

    The work goes out in at least :data:`PROGRESS_CHUNKS` chunks, so that a progress bar moves
    from the start (each evaluation is independent: the chunks never change the result).
    """
    chunks = max(PROGRESS_CHUNKS, max(1, executor.workers) * 4)
    bounds = np.linspace(0, len(evaluations), chunks + 1).round().astype(int)
    parts = [list(evaluations[a:b]) for a, b in itertools.pairwise(bounds) if b > a]
    done = [0]
    total = len(evaluations)

    def tick(_: int) -> None:
        done[0] += 1
        if progress is not None:
            progress(min(total, done[0] * max(1, total // len(parts))), total, stage)

    if progress is not None:
        progress(0, total, stage)
    results = executor.map(partial(_evaluate_chunk, model), parts, tick)
    if progress is not None:
        progress(total, total, stage)
    return np.concatenate(results, axis=0)


# ---- the analyses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sensitivity:
    """A sensitivity analysis of a scenario: its inputs, the base outputs and the indices."""

    method: Method
    outputs: list[str]
    base: FloatArray
    factors: list[Factor]
    oat: FloatArray | None = None
    """``(n_factors, 2, n_outputs)``: outputs with each factor at its low and its high end."""
    sobol: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sobol_samples: int = 0
    evaluations: int = 0
    provenance: Provenance | None = None
    war: bool = False
    assumptions: str | None = None
    """With a ``commitment:`` section: how packages are valued (effective utilities)."""

    def tornado(self, output: str) -> list[dict[str, Any]]:
        """The OAT rows of one output, largest swing first (ties by path)."""
        assert self.oat is not None
        j = self.outputs.index(output)
        rows = []
        for f, (low, high) in zip(self.factors, self.oat[:, :, j], strict=True):
            rows.append(
                {
                    "input": f.path,
                    "low": float(low),
                    "high": float(high),
                    "swing": float(abs(high - low)),
                }
            )
        return sorted(rows, key=lambda r: (-r["swing"], r["input"]))

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        if self.provenance is not None:
            doc["provenance"] = self.provenance.to_dict()
        doc.update(
            {
                "method": self.method,
                "outputs": {name: OUTPUT_HELP.get(name.split(".")[0], "") for name in self.outputs},
                "base": {name: float(v) for name, v in zip(self.outputs, self.base, strict=True)},
                "inputs": [
                    {
                        "path": f.path,
                        "low": f.low,
                        "high": f.high,
                        "base": f.base,
                        "range": f.origin,
                        "group": f.group,
                    }
                    for f in self.factors
                ],
                "evaluations": self.evaluations,
                "war_model": self.war,
            }
        )
        if self.oat is not None:
            doc["tornado"] = {name: self.tornado(name) for name in self.outputs}
        if self.sobol:
            doc["sobol"] = self.sobol
            doc["sobol_samples"] = self.sobol_samples
        if self.assumptions is not None:  # only with a commitment: section
            doc["utilities"] = "effective"
            doc["assumptions"] = self.assumptions
        return doc


OUTPUT_HELP = {
    "zopa_margin": "largest m: some package gives every veto party its reservation value + m",
    "zopa": "1 if a zone of possible agreement exists, else 0",
    "nash": "the party's utility of the Nash package, or its reservation value without a ZOPA",
    "first_ripe_month": "first month with P(ZOPA) >= 0.5 under the war model (horizon: never)",
}


def one_at_a_time(
    model: Model,
    factor_list: Sequence[Factor],
    executor: Executor,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """The base outputs and ``(n_factors, 2, n_outputs)`` outputs at each factor's two ends."""
    point = model.space.point
    evaluations = [Evaluation(point)]
    for f in factor_list:
        for value in (f.low, f.high):
            if f.column is not None:
                theta = point.copy()
                theta[f.column] = value
                evaluations.append(Evaluation(theta))
            else:
                evaluations.append(Evaluation(point, ((f.path, value),)))
    results = run_evaluations(model, evaluations, executor, progress, "one at a time")
    return results[0], results[1:].reshape(len(factor_list), 2, results.shape[1])


def salib_seed(seed: int, stream: int) -> int:
    """A seed for SALib derived from the run's ``seed``: never 0 nor ``None``.

    SALib's analysis seeds its bootstrap only ``if seed:``, so a run's seed of 0 left the
    confidence intervals unseeded (different at every run). Each use (``stream`` 0 for the Sobol
    sample, 1 for the bootstrap of the analysis) gets its own positive 31-bit integer from
    ``numpy.random.SeedSequence([seed, stream])``, the same for the same run seed on every machine
    and whatever the number of workers."""
    state = int(np.random.SeedSequence([seed, stream]).generate_state(1)[0]) & 0x7FFFFFFF
    return state or 1


def sobol_indices(
    model: Model,
    factor_list: Sequence[Factor],
    executor: Executor,
    samples: int = SENSITIVITY_SAMPLES,
    seed: int = 0,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """First-order and total Sobol indices of every output for each group of factors."""
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError as error:
        raise RuntimeError(
            "Sobol indices need SALib: install the extra with `pip install 'ceasefire[sensitivity]'`"
        ) from error

    sampled = [f for f in factor_list if not (f.kind == "red_line" and f.p is None)]
    if not sampled:
        return {output: [] for output in model.outputs()}, 0
    groups = [f.group for f in sampled]
    problem = {
        "num_vars": len(sampled),
        "names": [f.path for f in sampled],
        "bounds": [[0.0, 1.0]] * len(sampled),
        "groups": groups if len(set(groups)) < len(sampled) else None,
    }
    u = sample.sample(problem, samples, calc_second_order=False, seed=salib_seed(seed, 0))
    point = model.space.point
    evaluations = []
    for row in u:
        theta = point.copy()
        war = []
        for f, x in zip(sampled, row, strict=True):
            value = float(f.value(np.array([x]))[0])
            if f.column is not None:
                theta[f.column] = value
            else:
                war.append((f.path, value))
        evaluations.append(Evaluation(theta, tuple(war)))
    y = run_evaluations(model, evaluations, executor, progress, "Sobol")
    names = list(dict.fromkeys(groups))
    result: dict[str, list[dict[str, Any]]] = {}
    for j, output in enumerate(model.outputs()):
        column = y[:, j]
        if np.ptp(column) == 0:
            result[output] = [
                {"input": name, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
                for name in names
            ]
            continue
        indices = analyze.analyze(
            problem,
            column,
            calc_second_order=False,
            print_to_console=False,
            seed=salib_seed(seed, 1),
        )
        rows = [
            {
                "input": name,
                "S1": float(indices["S1"][k]),
                "S1_conf": float(indices["S1_conf"][k]),
                "ST": float(indices["ST"][k]),
                "ST_conf": float(indices["ST_conf"][k]),
            }
            for k, name in enumerate(names)
        ]
        result[output] = sorted(rows, key=lambda r: (-r["ST"], r["input"]))
    return result, len(evaluations)


def sensitivity(
    loaded: LoadedScenario,
    method: Method = "oat",
    *,
    spread: Mapping[str, float] | None = DEFAULT_SPREAD,
    samples: int = SENSITIVITY_SAMPLES,
    seed: int = 0,
    war_samples: int = WAR_SAMPLES,
    executor: Executor | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Sensitivity:
    """Sensitivity of ``loaded``'s answer to its inputs, by ``method`` (``oat`` or ``sobol``).

    ``samples`` is Sobol's base sample size ``N`` (a power of 2); ``seed`` seeds the Sobol
    sequence's scrambling and the war model.
    """
    executor = executor or SerialExecutor()
    scenario = loaded.scenario
    space = input_space(scenario, seed=seed, war_samples=war_samples)
    point_reservation(space)  # once, here: it travels with the space to the workers
    sample_commitment(space)  # likewise
    model = Model(space, scenario, seed=seed, war_samples=war_samples)
    factor_list = factors(space, scenario, spread)
    base: FloatArray
    oat = None
    sobol: dict[str, list[dict[str, Any]]] = {}
    if method == "oat":
        base, oat = one_at_a_time(model, factor_list, executor, progress)
        count = 1 + 2 * len(factor_list)
    else:
        base = run_evaluations(model, [Evaluation(space.point)], SerialExecutor())[0]
        sobol, count = sobol_indices(model, factor_list, executor, samples, seed, progress)
        count += 1
    provenance = Provenance(
        scenario_sha256=loaded.sha256,
        seed=seed,
        parameters={
            "method": method,
            "spread": None if spread is None else dict(spread),
            "war_spread": WAR_SPREAD if spread is not None else None,
            "samples": samples if method == "sobol" else None,
            "war_samples": war_samples if model.war else None,
            "margin_floor": MARGIN_FLOOR,
        },
    )
    return Sensitivity(
        method=method,
        outputs=model.outputs(),
        base=base,
        factors=factor_list,
        oat=oat,
        sobol=sobol,
        sobol_samples=samples if method == "sobol" else 0,
        evaluations=count,
        provenance=provenance,
        war=model.war,
        assumptions=assumption(scenario),
    )


__all__ = [
    "Factor",
    "Model",
    "Sensitivity",
    "factors",
    "one_at_a_time",
    "sensitivity",
    "sobol_indices",
    "war_parameters",
    "with_war_values",
]
