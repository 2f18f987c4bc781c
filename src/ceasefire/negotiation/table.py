"""The negotiating table: what stays fixed while the parties talk, and what moves with time.

:class:`Table` holds the bargaining problem (issues, options, utilities, red lines), each party's
own red lines, its per-round discount factor and the offer space. A :class:`Clock` says what each
party's reservation value is in each round: fixed values with discounting when the scenario has no
war model, or one simulated war path (one round = one month) when it has one.

Values of an agreement. Without a war model an agreement reached in round ``t`` is worth
``discount_i**(t-1) * U_i(x)`` to party ``i`` against a fixed reservation value ``r_i``; with a war
model it is worth ``U_i(x)`` against that month's reservation value ``r_i(t)``, since the cost of
waiting is then the war itself [Rubinstein1982; Powell2004].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.bargaining.problem import (
    TOLERANCE,
    BargainingProblem,
    BoolArray,
    FloatArray,
    dequantize,
)
from ceasefire.negotiation.offers import IndexArray, OfferSpace
from ceasefire.scenario import utility as su
from ceasefire.scenario.model import Scenario


@dataclass(frozen=True, eq=False)
class Table:
    """A negotiation domain: the problem, each party's red lines and discount factor."""

    problem: BargainingProblem
    """Reservation values here are the public starting values (what others may assume)."""
    red_lines: tuple[tuple[BoolArray, ...], ...]
    """Per party, per issue: the options that party never accepts."""
    discount: FloatArray
    """Per party, the per-round factor on the value of a later agreement (1: no discounting)."""
    names: tuple[str, ...] = field(default=())
    """Display names of the parties (ids if empty)."""

    def __post_init__(self) -> None:
        n = self.problem.n_parties
        if len(self.red_lines) != n:
            raise ValueError("red_lines needs one entry per party")
        d = np.asarray(self.discount, dtype=np.float64)
        if d.shape != (n,) or not ((d > 0) & (d <= 1)).all():
            raise ValueError("discount needs one factor in (0, 1] per party")
        object.__setattr__(self, "discount", d)

    @classmethod
    def from_problem(
        cls, problem: BargainingProblem, discount: Sequence[float] | None = None
    ) -> Table:
        """A table where every veto party's red lines are the problem's forbidden options."""
        n = problem.n_parties
        none = tuple(np.zeros_like(f) for f in problem.forbidden)
        red = tuple(problem.forbidden if problem.veto[i] else none for i in range(n))
        return cls(
            problem=problem,
            red_lines=red,
            discount=np.ones(n) if discount is None else np.asarray(discount, dtype=float),
        )

    @classmethod
    def from_scenario(
        cls, scenario: Scenario, reservation: Mapping[str, float] | None = None
    ) -> Table:
        """The table of a scenario: its problem, red lines and ``preferences.discount``."""
        red = tuple(
            tuple(su.crosses_red_line(scenario.preferences[p.id], i) for i in scenario.issues)
            for p in scenario.parties
        )
        discount = [scenario.preferences[p.id].discount or 1.0 for p in scenario.parties]
        return cls(
            problem=build_problem(scenario, reservation),
            red_lines=red,
            discount=np.array(discount, dtype=float),
            names=tuple(p.name for p in scenario.parties),
        )

    @property
    def parties(self) -> tuple[str, ...]:
        return self.problem.parties

    @property
    def n_parties(self) -> int:
        return self.problem.n_parties

    @cached_property
    def space(self) -> OfferSpace:
        return OfferSpace(self.problem)

    def index(self, party: str) -> int:
        try:
            return self.problem.parties.index(party)
        except ValueError:
            known = ", ".join(self.problem.parties)
            raise KeyError(f"unknown party {party!r} (parties: {known})") from None

    @cached_property
    def _offsets(self) -> IndexArray:
        sizes = [len(o) for o in self.problem.options]
        return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)

    @cached_property
    def _stacked_units(self) -> npt.NDArray[np.int64]:
        return np.vstack(self.problem.quantized)

    @cached_property
    def _stacked_red_lines(self) -> BoolArray:
        return np.array([np.concatenate(banned) for banned in self.red_lines], dtype=bool)

    def utilities(self, package: IndexArray) -> FloatArray:
        """Every party's utility of one package (exact, as :meth:`BargainingProblem.utilities`)."""
        rows = self._offsets + np.asarray(package, dtype=np.intp)
        return dequantize(self._stacked_units[rows].sum(axis=0))

    def crosses_red_line(self, party: int, package: IndexArray) -> bool:
        """Does ``package`` use an option that ``party`` never accepts?"""
        rows = self._offsets + np.asarray(package, dtype=np.intp)
        return bool(self._stacked_red_lines[party, rows].any())


class Clock:
    """Each party's reservation value in each round, and what an agreement is worth then."""

    war: bool = False

    def reservation(self, round_: int) -> FloatArray:
        raise NotImplementedError

    def value(self, utilities: FloatArray, round_: int) -> FloatArray:
        """What an agreement reached in ``round_`` with these utilities is worth to each party."""
        raise NotImplementedError

    def floor(self, round_: int) -> FloatArray:
        """The least utility of a package that each party can accept in ``round_``."""
        raise NotImplementedError

    def month(self, round_: int) -> int | None:
        """The month of the war model a round falls in (None without a war model)."""
        return None


class FixedClock(Clock):
    """Fixed reservation values; a later agreement is discounted by ``discount**(t-1)``."""

    def __init__(self, reservation: FloatArray, discount: FloatArray) -> None:
        self._reservation = np.asarray(reservation, dtype=np.float64)
        self._discount = np.asarray(discount, dtype=np.float64)
        self._factors: dict[int, FloatArray] = {}
        self._floors: dict[int, FloatArray] = {}

    def reservation(self, round_: int) -> FloatArray:
        return self._reservation.copy()

    def factor(self, round_: int) -> FloatArray:
        """``discount**(round - 1)`` for every party."""
        found = self._factors.get(round_)
        if found is None:
            found = np.asarray(self._discount ** (round_ - 1), dtype=np.float64)
            self._factors[round_] = found
        return found

    def value(self, utilities: FloatArray, round_: int) -> FloatArray:
        return np.asarray(utilities * self.factor(round_), dtype=np.float64)

    def floor(self, round_: int) -> FloatArray:
        found = self._floors.get(round_)
        if found is None:
            with np.errstate(over="ignore", divide="ignore"):
                found = np.asarray(self._reservation / self.factor(round_), dtype=np.float64)
            self._floors[round_] = found
        return found.copy()


class WarClock(Clock):
    """Reservation values along one simulated war path: round ``t`` is month ``t - 1``."""

    war = True

    def __init__(self, path: FloatArray) -> None:
        values = np.asarray(path, dtype=np.float64)
        if values.ndim != 2 or values.shape[0] == 0:
            raise ValueError("a war path is an array (months, parties)")
        self._path = values

    @property
    def months(self) -> int:
        return int(self._path.shape[0])

    def month(self, round_: int) -> int | None:
        return min(round_ - 1, self.months - 1)

    def reservation(self, round_: int) -> FloatArray:
        month = self.month(round_)
        assert month is not None
        row: FloatArray = self._path[month].copy()
        return row

    def value(self, utilities: FloatArray, round_: int) -> FloatArray:
        return np.asarray(utilities, dtype=np.float64).copy()

    def floor(self, round_: int) -> FloatArray:
        return self.reservation(round_)


def acceptable_to(
    table: Table,
    clock: Clock,
    party: int,
    package: IndexArray,
    round_: int,
    utilities: FloatArray | None = None,
) -> bool:
    """Individually rational for ``party`` in ``round_``: no own red line crossed, and worth at
    least the reservation value (to within 1e-9). A party without a reservation value (NaN) only
    checks its red lines. ``utilities``: every party's utility of the package, if known."""
    if table.crosses_red_line(party, package):
        return False
    reservation = float(clock.reservation(round_)[party])
    if not np.isfinite(reservation):
        return True
    if utilities is None:
        utilities = table.utilities(package)
    value = float(clock.value(utilities, round_)[party])
    return value >= reservation - TOLERANCE
