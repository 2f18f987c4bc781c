"""The inputs of a scenario that can move its answer, each named by its path in the file.

Every number that enters a veto party's utilities or reservation value is an *input*: a weight
(``preferences.russia.weights.crimea_sevastopol``), a value (``preferences.russia.values.znpp.
no_attacks_only``, or ``preferences.russia.values.line_of_control[1]`` for the second point of a
numeric issue's value function), a reservation value (``preferences.ukraine.reservation``), a cost
of no deal (``preferences.ukraine.no_deal.cost``) and each red line
(``preferences.russia.red_lines.alliance_status``: 1 if it holds, 0 if not). An input is either a
point (a plain number in the file) or uncertain (a distribution, or a red line with ``p``).

Parties without a veto never change which packages are acceptable or chosen, so their inputs are
left out. With a ``war:`` section the war model gives every reservation value (one draw of the
month-0 value of no deal per sample), so reservation values and costs of no deal are not inputs;
the war model's parameters are handled by :mod:`ceasefire.war`.

:func:`input_space` lists the inputs of a scenario; :class:`InputSpace` turns a matrix of input
values (one row per sample, one column per input) into the arrays the bargaining analysis needs
(:mod:`ceasefire.uncertainty.sampling`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ceasefire.defaults import MONTE_CARLO_SAMPLES, SEED
from ceasefire.scenario import Scenario
from ceasefire.scenario import utility as su
from ceasefire.scenario.distributions import is_uncertain, point_value

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

InputKind = Literal["weight", "value", "reservation", "no_deal_cost", "red_line"]


def mean_of(number: Any) -> float:
    """The point value of a scenario number: itself, or its distribution's mean."""
    return point_value(number)


def is_discrete(number: Any) -> bool:
    """Does a distribution take only a few values (``choice``)?"""
    root = getattr(number, "root", number)
    return getattr(root, "dist", None) == "choice"


# Default half-widths of the ranges that sensitivity analysis gives inputs stated as plain numbers.
DEFAULT_SPREAD: dict[str, float] = {
    "weight": 0.25,  # relative: w * (1 -/+ 0.25), then the party's weights are renormalised
    "value": 10.0,  # utility points, clipped to 0..100
    "reservation": 5.0,  # utility points
    "no_deal_cost": 5.0,  # utility points
}


@dataclass(frozen=True)
class Input:
    """One number of the scenario that can move the answer."""

    path: str
    kind: InputKind
    party: str
    point: float
    """The value the static analysis uses: the number, a distribution's mean, or for a red line 1
    if it holds there (``p >= 0.5``) and 0 if not."""
    distribution: Any = None
    """The distribution of an uncertain number (anything with ``ppf``), else None."""
    p: float | None = None
    """For a red line: the probability that it holds (None: it always holds)."""

    @property
    def uncertain(self) -> bool:
        if self.kind == "red_line":
            return self.p is not None and self.p < 1
        return self.distribution is not None

    @property
    def discrete(self) -> bool:
        """Takes one of a few values (a red line, or ``choice``)."""
        return self.kind == "red_line" or is_discrete(self.distribution)

    def ppf(self, u: npt.ArrayLike) -> FloatArray:
        """Input values for uniform numbers ``u`` (inversion; a red line holds when ``u < p``)."""
        q = np.asarray(u, dtype=np.float64)
        if self.kind == "red_line":
            p = 1.0 if self.p is None else self.p
            return np.asarray(q < p, dtype=np.float64)
        if self.distribution is None:
            return np.full(q.shape, self.point)
        return np.asarray(self.distribution.ppf(q), dtype=np.float64)

    def interval(self, spread: Mapping[str, float] | None = DEFAULT_SPREAD) -> tuple[float, float]:
        """The range a sensitivity analysis swings this input over.

        A distribution: its 5th and 95th percentiles. A red line: 0 (does not hold) to 1. A point:
        ``spread`` around it (``DEFAULT_SPREAD``), or no range at all when ``spread`` is None.
        """
        if self.kind == "red_line":
            return (0.0, 1.0) if (self.uncertain or spread is not None) else (1.0, 1.0)
        if self.distribution is not None:
            low, high = self.distribution.ppf(np.array([0.05, 0.95]))
            return float(low), float(high)
        if spread is None:
            return self.point, self.point
        half = spread.get(self.kind, 0.0)
        if self.kind == "weight":
            return self.point * (1 - half), self.point * (1 + half)
        low, high = self.point - half, self.point + half
        if self.kind in ("value", "reservation"):
            low, high = max(0.0, low), min(100.0, high)
        return low, high

    def describe(self) -> str:
        if self.kind == "red_line":
            return "always holds" if not self.uncertain else f"holds with p={self.p:g}"
        if self.distribution is None:
            return f"{self.point:g}"
        describe = getattr(self.distribution, "describe", None)
        return str(describe()) if callable(describe) else repr(self.distribution)


@dataclass(frozen=True, eq=False)
class _ValueFunction:
    """One party's value function on one issue, as input columns and evaluation points."""

    columns: IndexArray  # (n_points,) input columns (the constant-zero column if absent)
    xs: FloatArray | None  # numeric issues: the x of each point; categorical: None
    at: FloatArray  # numeric: the grid; categorical: option positions 0..n-1
    status_quo: float  # numeric: the status quo x; categorical: the status quo's position


@dataclass(frozen=True, eq=False)
class InputSpace:
    """The inputs of a scenario and how they combine into utilities, red lines and reservations.

    Columns of an input matrix follow :attr:`inputs`. Only the veto parties appear (in scenario
    order), because only they decide which packages are acceptable and chosen.
    """

    scenario_id: str
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[su.OptionLabel, ...], ...]
    inputs: tuple[Input, ...]
    weight_columns: IntArray  # (d, K); the constant-zero column where a weight is absent
    values: tuple[tuple[_ValueFunction, ...], ...]  # [issue][party]
    reservation_column: IntArray  # (d,)
    reservation_is_cost: BoolArray  # (d,): r = U(status quo) - cost
    red_lines: tuple[tuple[int, int, BoolArray], ...]  # (input column, issue, options crossed)
    party_weight_columns: tuple[IndexArray, ...] = field(default=())
    scenario: Scenario | None = None
    """The scenario, when its ``war:`` section gives the reservation values or its
    ``commitment:`` section makes utilities effective (:mod:`ceasefire.uncertainty.commitment`)."""
    seed: int = SEED
    """The run's seed: with a war model, the point reservation values are drawn from it."""
    war_samples: int = MONTE_CARLO_SAMPLES
    """With a war model: the war samples whose medians are the point reservation values."""
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Values computed from the space once (they travel with it to worker processes)."""

    @property
    def war(self) -> bool:
        """Do the reservation values come from the war model (one draw per sample)?"""
        return self.scenario is not None and self.scenario.war is not None

    @property
    def n_inputs(self) -> int:
        return len(self.inputs)

    @property
    def zero_column(self) -> int:
        """Index of an extra column that is always 0 (absent weights and value functions)."""
        return len(self.inputs)

    @property
    def point(self) -> FloatArray:
        """The point value of every input (the static analysis)."""
        return np.array([i.point for i in self.inputs], dtype=np.float64)

    @property
    def paths(self) -> list[str]:
        return [i.path for i in self.inputs]

    def index(self, path: str) -> int:
        """The column of the input at ``path``."""
        for j, inp in enumerate(self.inputs):
            if inp.path == path:
                return j
        raise KeyError(f"no input at {path!r}")

    @property
    def uncertain_columns(self) -> IndexArray:
        return np.array([j for j, i in enumerate(self.inputs) if i.uncertain], dtype=np.intp)

    @property
    def preference_columns(self) -> IndexArray:
        """Columns that change utilities or red lines (not reservation values)."""
        kinds = ("weight", "value", "red_line")
        return np.array([j for j, i in enumerate(self.inputs) if i.kind in kinds], dtype=np.intp)

    @property
    def discrete_preferences(self) -> bool:
        """Do the uncertain utilities and red lines take only a few distinct configurations?"""
        return all(
            self.inputs[j].discrete for j in self.preference_columns if self.inputs[j].uncertain
        )

    @property
    def n_options(self) -> int:
        return sum(len(o) for o in self.options)

    @property
    def offsets(self) -> IndexArray:
        """Start of each issue's options in the concatenated option axis."""
        return np.concatenate([[0], np.cumsum([len(o) for o in self.options])]).astype(np.intp)


def input_space(
    scenario: Scenario, *, seed: int = SEED, war_samples: int = MONTE_CARLO_SAMPLES
) -> InputSpace:
    """Every input of ``scenario`` that affects a veto party, in scenario order.

    With a war model, the point reservation values (:func:`~ceasefire.uncertainty.sampling.
    point_reservation`) are the medians of ``war_samples`` month-0 values of no deal from ``seed``:
    for the run's seed and the static analysis's sample count, those of ``ceasefire analyze``.
    """
    inputs: list[Input] = []
    zero = -1  # patched to the zero column at the end

    def add(inp: Input) -> int:
        inputs.append(inp)
        return len(inputs) - 1

    veto = [p.id for p in scenario.veto_parties]
    n_issues = len(scenario.issues)
    weight_columns = np.full((len(veto), n_issues), zero, dtype=np.int64)
    party_weights: list[list[int]] = []
    values: list[list[_ValueFunction]] = [[] for _ in scenario.issues]
    reservation_column = np.full(len(veto), zero, dtype=np.int64)
    is_cost = np.zeros(len(veto), dtype=bool)
    red_lines: list[tuple[int, int, BoolArray]] = []

    for i, party in enumerate(veto):
        prefs = scenario.preferences[party]
        base = f"preferences.{party}"
        columns = []
        for k, issue in enumerate(scenario.issues):
            if issue.id in prefs.weights:
                number = prefs.weights[issue.id]
                column = add(_number(f"{base}.weights.{issue.id}", "weight", party, number))
                weight_columns[i, k] = column
                columns.append(column)
        party_weights.append(columns)
        for k, issue in enumerate(scenario.issues):
            values[k].append(_value_function(add, base, party, prefs.values.get(issue.id), issue))
        if scenario.war is not None:
            pass  # the war model gives every party's value of no deal
        elif prefs.reservation is not None:
            reservation_column[i] = add(
                _number(f"{base}.reservation", "reservation", party, prefs.reservation)
            )
        elif prefs.no_deal is not None:
            reservation_column[i] = add(
                _number(f"{base}.no_deal.cost", "no_deal_cost", party, prefs.no_deal.cost)
            )
            is_cost[i] = True
        for k, issue in enumerate(scenario.issues):
            red = prefs.red_lines.get(issue.id)
            if red is None:
                continue
            p = getattr(red, "p", None)
            p = None if p is None else float(p)
            inp = Input(
                path=f"{base}.red_lines.{issue.id}",
                kind="red_line",
                party=party,
                point=1.0 if p is None or p >= 0.5 else 0.0,
                p=p,
            )
            crossed = _crossed(red, issue)
            red_lines.append((add(inp), k, crossed))

    zero_column = len(inputs)
    weight_columns[weight_columns == zero] = zero_column
    reservation_column[reservation_column == zero] = zero_column
    fixed_values = tuple(
        tuple(
            _ValueFunction(
                columns=np.where(vf.columns == zero, zero_column, vf.columns).astype(np.intp),
                xs=vf.xs,
                at=vf.at,
                status_quo=vf.status_quo,
            )
            for vf in per_issue
        )
        for per_issue in values
    )
    return InputSpace(
        scenario_id=scenario.id,
        parties=tuple(veto),
        issues=tuple(i.id for i in scenario.issues),
        options=tuple(su.option_labels(i) for i in scenario.issues),
        inputs=tuple(inputs),
        weight_columns=weight_columns,
        values=fixed_values,
        reservation_column=reservation_column,
        reservation_is_cost=is_cost,
        red_lines=tuple(red_lines),
        party_weight_columns=tuple(np.array(c, dtype=np.intp) for c in party_weights),
        scenario=scenario if scenario.war is not None or scenario.commitment is not None else None,
        seed=seed,
        war_samples=war_samples,
    )


def _number(path: str, kind: InputKind, party: str, number: Any) -> Input:
    if is_uncertain(number):
        return Input(path=path, kind=kind, party=party, point=mean_of(number), distribution=number)
    return Input(path=path, kind=kind, party=party, point=float(number))


def _value_function(add: Any, base: str, party: str, spec: Any, issue: Any) -> _ValueFunction:
    labels = su.option_labels(issue)
    if issue.kind == "categorical":
        at = np.arange(len(labels), dtype=np.float64)
        status_quo = float(labels.index(issue.status_quo))
        if spec is None:
            return _ValueFunction(np.full(len(labels), -1, dtype=np.intp), None, at, status_quo)
        columns = [
            add(_number(f"{base}.values.{issue.id}.{option}", "value", party, spec[str(option)]))
            for option in labels
        ]
        return _ValueFunction(np.array(columns, dtype=np.intp), None, at, status_quo)
    grid = np.array(labels, dtype=np.float64)
    status_quo = float(issue.status_quo)
    if spec is None:
        return _ValueFunction(np.full(1, -1, dtype=np.intp), np.zeros(1), grid, status_quo)
    xs = np.array([float(x) for x, _ in spec], dtype=np.float64)
    columns = [
        add(_number(f"{base}.values.{issue.id}[{j}]", "value", party, y))
        for j, (_, y) in enumerate(spec)
    ]
    return _ValueFunction(np.array(columns, dtype=np.intp), xs, grid, status_quo)


def _crossed(red: Any, issue: Any) -> BoolArray:
    """Which options of ``issue`` a red line excludes when it holds (whatever its ``p``)."""
    labels = su.option_labels(issue)
    if hasattr(red, "above") or hasattr(red, "below"):
        values = np.array(labels, dtype=float)
        mask = np.zeros(len(labels), dtype=bool)
        if getattr(red, "above", None) is not None:
            mask |= values > red.above
        if getattr(red, "below", None) is not None:
            mask |= values < red.below
        return mask
    options = getattr(red, "options", red)
    return np.array([label in options for label in labels], dtype=bool)


def interp_rows(x: FloatArray, xs: FloatArray, ys: FloatArray) -> FloatArray:
    """``np.interp(x, xs, row)`` for every row of ``ys`` ``(S, n)``, with numpy's arithmetic.

    The same operations in the same order as numpy's own implementation, so that a sample whose
    numbers equal the scenario's gives bit for bit the values of the static analysis.
    """
    x = np.asarray(x, dtype=np.float64)
    s = ys.shape[0]
    n = xs.shape[0]
    out = np.empty((s, x.shape[0]), dtype=np.float64)
    if n == 1:
        out[:] = ys[:, :1]
        return out
    for col, value in enumerate(x):
        if value > xs[-1] or value == xs[-1]:
            out[:, col] = ys[:, -1]
            continue
        if value < xs[0] or math.isnan(value):
            out[:, col] = ys[:, 0]
            continue
        j = int(np.searchsorted(xs, value, side="right")) - 1
        if xs[j] == value:
            out[:, col] = ys[:, j]
            continue
        slope = (ys[:, j + 1] - ys[:, j]) / (xs[j + 1] - xs[j])
        out[:, col] = slope * (value - xs[j]) + ys[:, j]
    return out
