"""What a negotiating party sees, what it does, and the registry of strategies.

A strategy is one class: it says how much it asks for now (:meth:`Strategy.target`), and may
override how it picks a package (:meth:`Strategy.propose`) and when it says yes
(:meth:`Strategy.accepts`). The default acceptance rule is the one of time-dependent negotiators
[Faratin1998]: accept an offer worth at least what the party would itself propose at its next
turn; when it has no turn left before the deadline, accept anything worth at least its
reservation value. Whatever a strategy says, :meth:`Strategy.respond` never lets a party accept a
package that crosses its own red line or is worth less to it than its reservation value in that
round, so every agreement is individually rational.

A party sees the whole history of offers and every party's preferences (the scenario is
public), but only its *own* reservation value: what the others would get from no deal is a
strategy's belief (the table's starting values are the public prior).

Add a strategy by subclassing :class:`Strategy` and decorating it with :func:`register_strategy`
(see ``docs/how-to/add-a-strategy.md``). Strategies are looked up by name in :data:`STRATEGIES`,
in the ``ceasefire.strategies`` entry-point group, or as ``package.module:ClassName``.
"""

from __future__ import annotations

import copy
import importlib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib.metadata import entry_points
from typing import Any, ClassVar, TypeVar

import numpy as np

from ceasefire.bargaining.problem import TOLERANCE, FloatArray
from ceasefire.defaults import STRATEGY
from ceasefire.negotiation.offers import IndexArray
from ceasefire.negotiation.table import Clock, Table, acceptable_to

MEDIATOR = -1
"""The proposer index of a mediator's text (single negotiating text)."""

DEFAULT_STRATEGY = STRATEGY
"""What a party plays when no strategy is named for it."""


@dataclass(frozen=True, eq=False)
class Offer:
    """A package put on the table in one round, with every party's utility of it."""

    round: int
    proposer: int
    """Index of the proposing party, or :data:`MEDIATOR`."""
    package: IndexArray
    utilities: FloatArray
    """Every party's utility ``U_i`` of the package (undiscounted)."""
    kind: str = "proposal"
    """``proposal`` (alternating offers), ``text`` (a mediator's draft) or ``demand`` (the
    package a party asks the mediator for)."""


@dataclass(frozen=True, eq=False)
class View:
    """What one party knows when it acts in one round."""

    table: Table
    party: int
    round: int
    rounds: int
    """The deadline: the last round in which an agreement can be made."""
    reservation: float
    """The party's own reservation value in this round (NaN if it has none)."""
    floor: float
    """The least utility of a package the party can accept in this round."""
    factor: float
    """What one point of utility agreed in this round is worth (its discount; 1 in a war)."""
    history: tuple[Offer, ...]
    next_turn: int | None
    """The next round in which this party proposes (None if none before the deadline)."""
    rng: np.random.Generator
    protocol: str
    now: int
    """The round in which the party is acting (``round`` is later in a view made for planning)."""
    _clock: Clock

    @property
    def party_id(self) -> str:
        return self.table.parties[self.party]

    @property
    def time(self) -> float:
        """Relative time in [0, 1]: 0 in the first round, 1 at the party's own deadline."""
        deadline = self.deadline
        return 1.0 if deadline <= 1 else min(1.0, (self.round - 1) / (deadline - 1))

    @property
    def deadline(self) -> int:
        """The party's own deadline: the protocol's, or earlier if discounting makes even its best
        package worth less than its reservation value after some round (``d**(t-1) * ideal >=
        r`` fails), as time-dependent tactics take each agent's own deadline [Faratin1998]."""
        d = float(self.table.discount[self.party])
        r, best = self.reservation, self.ideal
        if self._clock.war or d >= 1.0 or not (np.isfinite(r) and r > 0 and best > r):
            return self.rounds
        last = 1 + int(np.floor(np.log(r / best) / np.log(d)))
        return max(1, min(self.rounds, last))

    @property
    def rounds_left(self) -> int:
        """Rounds after this one before the deadline."""
        return self.rounds - self.round

    @property
    def ideal(self) -> float:
        """The party's best utility over the packages that cross no veto party's red line."""
        return float(self.table.space.ideal[self.party])

    @property
    def worst(self) -> float:
        return float(self.table.space.worst[self.party])

    @property
    def war(self) -> bool:
        return self._clock.war

    def utility(self, package: IndexArray) -> float:
        """The party's utility of a package."""
        return float(self.table.utilities(package)[self.party])

    def value(self, utility: float) -> float:
        """What an agreement of this utility, reached in this round, is worth to the party."""
        return utility * self.factor

    def offers_by(self, party: int) -> list[Offer]:
        """The offers (or demands) a party or the mediator has made so far, oldest first."""
        return [o for o in self.history if o.proposer == party]

    def at(self, round_: int, next_turn: int | None = None) -> View:
        """A view of a later round with the same history, for planning. In a war the party does
        not know its future reservation value and assumes today's."""
        if self._clock.war:
            return replace(self, round=round_, next_turn=next_turn)
        return replace(
            self,
            round=round_,
            next_turn=next_turn,
            reservation=float(self._clock.reservation(round_)[self.party]),
            floor=_floor(self._clock, self.table, self.party, round_),
            factor=float(self._clock.value(np.ones(self.table.n_parties), round_)[self.party]),
        )


def _floor(clock: Clock, table: Table, party: int, round_: int) -> float:
    value = float(clock.floor(round_)[party])
    if not np.isfinite(value):
        # No reservation value (a party without a veto): any package will do; an infinite floor
        # (discounting to nothing) means nothing will.
        return float(table.space.worst[party]) if np.isnan(value) else value
    return value


def view_of(
    table: Table,
    clock: Clock,
    party: int,
    round_: int,
    rounds: int,
    history: tuple[Offer, ...],
    next_turn: int | None,
    rng: np.random.Generator,
    protocol: str,
) -> View:
    """The view of ``party`` in ``round_`` (used by the protocols)."""
    return View(
        table=table,
        party=party,
        round=round_,
        rounds=rounds,
        reservation=float(clock.reservation(round_)[party]),
        floor=_floor(clock, table, party, round_),
        factor=float(clock.value(np.ones(table.n_parties), round_)[party]),
        history=history,
        next_turn=next_turn,
        rng=rng,
        protocol=protocol,
        now=round_,
        _clock=clock,
    )


class Strategy:
    """Base class of negotiation strategies. Subclasses set the metadata and :meth:`target`."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    bibkey: ClassVar[str] = ""
    cooperative: ClassVar[bool] = True
    """Offers on the Pareto frontier (True) or by the party's own utility alone (False)."""
    deterministic: ClassVar[bool] = True
    """Same view, same moves (no use of ``view.rng``): repeated runs without a war can be shared."""
    defaults: ClassVar[Mapping[str, float]] = {}
    """Parameters and their default values."""

    def __init__(self, **params: float) -> None:
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            known = ", ".join(self.defaults) or "none"
            raise ValueError(
                f"strategy {self.name!r} has no parameter {', '.join(unknown)} (known: {known})"
            )
        self.params: dict[str, float] = {
            **self.defaults,
            **{k: float(v) for k, v in params.items()},
        }

    @property
    def spec(self) -> str:
        """The name with any non-default parameters, as given on the command line."""
        changed = {k: v for k, v in self.params.items() if v != self.defaults.get(k)}
        if not changed:
            return self.name
        return f"{self.name}({','.join(f'{k}={v:g}' for k, v in changed.items())})"

    def target(self, view: View) -> float:
        """The utility the party asks for in this round (its aspiration)."""
        raise NotImplementedError

    def propose(self, view: View) -> IndexArray:
        """The package to offer: at the target, on the frontier if cooperative."""
        return view.table.space.offer(view.party, self.target(view), cooperative=self.cooperative)

    def accepts(self, view: View, offer: Offer) -> bool:
        """Accept if the offer is worth at least the party's own next proposal; with no turn
        left, anything worth the reservation value (checked by :meth:`respond`)."""
        if view.next_turn is None:
            return True
        later = view.at(view.next_turn)
        mine = later.utility(self.propose(later))
        return view.value(float(offer.utilities[view.party])) >= later.value(mine) - TOLERANCE

    def respond(self, view: View, offer: Offer) -> bool:
        """The party's answer: never below its reservation value or across its red lines."""
        if not acceptable_to(
            view.table, view._clock, view.party, offer.package, view.round, offer.utilities
        ):
            return False
        return bool(self.accepts(view, offer))

    def __repr__(self) -> str:
        return f"<Strategy {self.spec}>"


S = TypeVar("S", bound=type[Strategy])

STRATEGIES: dict[str, type[Strategy]] = {}
"""The registered strategies by name."""


def register_strategy(cls: S) -> S:
    """Class decorator: add a strategy to :data:`STRATEGIES` (its metadata must be filled in)."""
    for attribute in ("name", "title", "description", "bibkey"):
        if not getattr(cls, attribute):
            raise ValueError(f"{cls.__name__} needs a non-empty {attribute!r}")
    if cls.name in STRATEGIES and STRATEGIES[cls.name] is not cls:
        raise ValueError(f"a strategy named {cls.name!r} is already registered")
    STRATEGIES[cls.name] = cls
    return cls


def strategy_class(name: str) -> type[Strategy]:
    """A strategy class by registered name, entry point (group ``ceasefire.strategies``) or
    ``package.module:ClassName``."""
    if name in STRATEGIES:
        return STRATEGIES[name]
    for point in entry_points(group="ceasefire.strategies"):
        if point.name == name:
            return _checked(point.load(), name)
    if ":" in name:
        module, _, attribute = name.partition(":")
        try:
            found = getattr(_import_here(module), attribute)
        except (ImportError, AttributeError) as error:
            raise KeyError(f"cannot import strategy {name!r}: {error}") from None
        return _checked(found, name)
    known = ", ".join(sorted(STRATEGIES))
    raise KeyError(f"unknown strategy {name!r} (known: {known})")


def _import_here(module: str) -> Any:
    """Import ``module`` as ``python`` run in the current folder would: a module there (or below
    it) is found even when the folder is not on the path, as with the ``ceasefire`` command."""
    here = os.getcwd()
    added = here not in sys.path and "" not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        return importlib.import_module(module)
    finally:
        if added:
            sys.path.remove(here)


def _checked(found: Any, name: str) -> type[Strategy]:
    if not (isinstance(found, type) and issubclass(found, Strategy)):
        raise KeyError(f"{name!r} is not a Strategy subclass")
    return found


def make_strategy(spec: str) -> Strategy:
    """A strategy from ``NAME`` or ``NAME(param=value,...)``, e.g. ``boulware(beta=0.1)``."""
    text = spec.strip()
    params: dict[str, float] = {}
    if text.endswith(")") and "(" in text:
        text, _, inside = text[:-1].partition("(")
        for item in filter(None, (p.strip() for p in inside.split(","))):
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"{spec!r}: parameters are written name=value")
            try:
                params[key.strip()] = float(value)
            except ValueError:
                raise ValueError(f"{spec!r}: {value.strip()!r} is not a number") from None
    return strategy_class(text.strip())(**params)


def catalogue() -> list[dict[str, Any]]:
    """The registered strategies with their metadata (for listings and reports)."""
    return [
        {
            "name": cls.name,
            "title": cls.title,
            "description": cls.description,
            "bibkey": cls.bibkey,
            "cooperative": cls.cooperative,
            "parameters": dict(cls.defaults),
        }
        for cls in STRATEGIES.values()
    ]


def assign(
    table: Table,
    given: Mapping[str, Strategy | str],
    default: Strategy | str = DEFAULT_STRATEGY,
) -> tuple[Strategy, ...]:
    """One strategy per party: the given ones by party id, the default for the rest (each party
    gets its own instance)."""
    for party in given:
        table.index(party)  # raises KeyError naming the parties
    result = []
    for party in table.parties:
        chosen = given.get(party, default)
        if isinstance(chosen, str):
            chosen = make_strategy(chosen)
        elif isinstance(chosen, Strategy):
            chosen = copy.deepcopy(chosen) if party not in given else chosen
        else:
            raise TypeError("a strategy is a Strategy instance or a name")
        result.append(chosen)
    return tuple(result)
