"""Negotiation protocols: alternating offers and the single negotiating text.

**Alternating offers** [Rubinstein1982], for any number of parties: in round ``t`` the party at
position ``(t - 1) mod n`` of the scenario's ``parties`` list proposes a package and every other
party accepts or rejects it; the package is agreed when every party with a veto accepts (the
proposer accepts its own offer if it is individually rational for it). Parties without a veto
propose and answer too, but cannot block. Talks break down at the deadline.

**Single negotiating text** [Raiffa1982, ch. 14; Fisher1981]: a mediator drafts one package,
each party states its objection (the package it would want instead, by its strategy), the
mediator revises the draft by a pluggable :class:`RevisionRule`, and the parties answer the new
draft; this is how the United States ran Camp David in 1978, through 23 drafts. Agreement when
every veto party accepts a draft.

One round is one month of war when the clock follows a war path (see
:mod:`ceasefire.negotiation.table`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ceasefire.bargaining.problem import TOLERANCE, BoolArray, FloatArray
from ceasefire.negotiation.offers import IndexArray
from ceasefire.negotiation.strategy import MEDIATOR, Offer, Strategy, View, view_of
from ceasefire.negotiation.table import Clock, Table, acceptable_to

PROTOCOLS = ("alternating", "single-text")

ACCEPT = "accept"
REJECT = "reject"
PROPOSER = "proposer"


class StrategyError(Exception):
    """A strategy's own code failed (raised, or answered something that is not a package): the
    message names the party, the strategy, the round and what it was asked."""


def _propose(table: Table, strategy: Strategy, party: int, view: View) -> IndexArray:
    """The package ``strategy`` proposes for ``party`` (:class:`StrategyError` if it fails)."""
    try:
        package = np.asarray(strategy.propose(view), dtype=np.intp)
        if package.shape != (len(table.problem.issues),):
            raise ValueError(
                f"a package has one option index per issue ({len(table.problem.issues)}); "
                f"got shape {package.shape}"
            )
    except Exception as error:
        raise _failed(table, strategy, party, view.round, "propose", error) from error
    return package


def _respond(table: Table, strategy: Strategy, party: int, view: View, offer: Offer) -> bool:
    """Whether ``strategy`` accepts ``offer`` for ``party`` (:class:`StrategyError` if it
    fails)."""
    try:
        return bool(strategy.respond(view, offer))
    except Exception as error:
        raise _failed(table, strategy, party, view.round, "respond", error) from error


def _failed(
    table: Table, strategy: Strategy, party: int, round_: int, asked: str, error: Exception
) -> StrategyError:
    message = " ".join(str(error).split()) or "no message"
    return StrategyError(
        f"strategy {strategy.spec!r} of party {table.parties[party]!r} failed in round {round_} "
        f"({asked}): {type(error).__name__}: {message}"
    )


@dataclass(frozen=True, eq=False)
class Turn:
    """One round of talks: the package on the table and what every party said."""

    offer: Offer
    month: int | None
    """The month of the war path (None without a war model)."""
    reservation: FloatArray
    """Every party's reservation value in this round."""
    values: FloatArray
    """What the package would be worth to each party if agreed in this round."""
    responses: tuple[str, ...]
    """Per party: ``accept``, ``reject`` or ``proposer``."""
    agreed: bool
    demands: FloatArray | None = None
    """Single text: the utility each party asked the mediator for."""

    @property
    def round(self) -> int:
        return self.offer.round


def next_turn(party: int, round_: int, rounds: int, n_parties: int) -> int | None:
    """The next round after ``round_`` in which ``party`` proposes under alternating offers."""
    current = (round_ - 1) % n_parties
    ahead = (party - current) % n_parties or n_parties
    later = round_ + ahead
    return later if later <= rounds else None


def alternating_offers(
    table: Table,
    strategies: Sequence[Strategy],
    clock: Clock,
    rounds: int,
    rngs: Sequence[np.random.Generator],
) -> tuple[Turn, ...]:
    """Run alternating offers to agreement or the deadline; return the transcript."""
    n = table.n_parties
    veto = table.problem.veto
    history: list[Offer] = []
    transcript: list[Turn] = []
    for round_ in range(1, rounds + 1):
        proposer = (round_ - 1) % n
        frozen = tuple(history)

        def view(party: int, at: int = round_, frozen: tuple[Offer, ...] = frozen) -> View:
            turn = next_turn(party, at, rounds, n)
            return view_of(table, clock, party, at, rounds, frozen, turn, rngs[party], PROTOCOLS[0])

        package = _propose(table, strategies[proposer], proposer, view(proposer))
        offer = Offer(round_, proposer, package, table.utilities(package))
        responses = []
        for party in range(n):
            if party == proposer:
                ok = acceptable_to(table, clock, party, package, round_, offer.utilities)
                responses.append(PROPOSER if ok else REJECT)
            else:
                ok = _respond(table, strategies[party], party, view(party), offer)
                responses.append(ACCEPT if ok else REJECT)
        agreed = all(r != REJECT for r, v in zip(responses, veto, strict=True) if v)
        transcript.append(_turn(table, clock, offer, tuple(responses), agreed))
        history.append(offer)
        if agreed:
            break
    return tuple(transcript)


def _turn(
    table: Table,
    clock: Clock,
    offer: Offer,
    responses: tuple[str, ...],
    agreed: bool,
    demands: FloatArray | None = None,
) -> Turn:
    return Turn(
        offer=offer,
        month=clock.month(offer.round),
        reservation=clock.reservation(offer.round),
        values=clock.value(offer.utilities, offer.round),
        responses=responses,
        agreed=agreed,
        demands=demands,
    )


class RevisionRule:
    """How a mediator drafts the next text from the parties' demands."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    bibkey: ClassVar[str] = ""

    def revise(
        self, table: Table, text: IndexArray | None, demands: FloatArray, objecting: BoolArray
    ) -> IndexArray:
        """The next draft. ``demands``: the utility each party asks for (NaN: none);
        ``objecting``: who rejected the last draft (everyone before the first)."""
        raise NotImplementedError


def _shortfall_score(table: Table, utilities: FloatArray, demands: FloatArray) -> FloatArray:
    """Smallest ``(U_j - demand_j) / range_j`` over the veto parties (larger is better)."""
    space = table.space
    veto = table.problem.veto_indices
    low = space.utilities[:, veto].min(axis=0)
    high = space.utilities[:, veto].max(axis=0)
    span = np.where(high - low > TOLERANCE, high - low, 1.0)
    need = np.where(np.isfinite(demands[veto]), demands[veto], -np.inf)
    return np.asarray(((utilities[:, veto] - need) / span).min(axis=1))


class MaxMinShortfall(RevisionRule):
    name = "max_min_shortfall"
    title = "Closest to every demand"
    description = (
        "Drafts the Pareto-optimal package that best meets the parties' demands: the largest "
        "smallest surplus over each veto party's demand, as a share of its range on the frontier."
    )
    bibkey = "Raiffa1982"

    def revise(
        self, table: Table, text: IndexArray | None, demands: FloatArray, objecting: BoolArray
    ) -> IndexArray:
        space = table.space
        score = _shortfall_score(table, space.utilities, demands)
        best = float(score.max())
        tied = np.flatnonzero(score >= best - 1e-12)
        veto = table.problem.veto_indices
        total = space.utilities[tied][:, veto].sum(axis=1)
        chosen: IndexArray = space.packages[int(tied[np.argmax(total)])].copy()
        return chosen


class OneIssueStep(RevisionRule):
    name = "one_issue_step"
    title = "One issue at a time"
    description = (
        "Revises the draft on one issue per round: the single change of option that best meets "
        "the parties' demands (as max_min_shortfall scores it); the first draft is "
        "max_min_shortfall's."
    )
    bibkey = "Fisher1981"

    def revise(
        self, table: Table, text: IndexArray | None, demands: FloatArray, objecting: BoolArray
    ) -> IndexArray:
        if text is None:
            return MaxMinShortfall().revise(table, text, demands, objecting)
        problem = table.problem
        current = table.utilities(text)
        best_score = float(_shortfall_score(table, current[None, :], demands)[0])
        best: IndexArray = np.asarray(text, dtype=np.intp).copy()
        for k, (table_k, allowed) in enumerate(
            zip(problem.contributions, table.space.allowed, strict=True)
        ):
            options = np.flatnonzero(allowed)
            changed = current[None, :] + table_k[options] - table_k[int(text[k])][None, :]
            score = _shortfall_score(table, changed, demands)
            j = int(np.argmax(score))
            if float(score[j]) > best_score + 1e-12:
                best_score = float(score[j])
                best = np.asarray(text, dtype=np.intp).copy()
                best[k] = options[j]
        return best


REVISION_RULES: dict[str, RevisionRule] = {
    rule.name: rule for rule in (MaxMinShortfall(), OneIssueStep())
}


def single_text(
    table: Table,
    strategies: Sequence[Strategy],
    clock: Clock,
    rounds: int,
    rngs: Sequence[np.random.Generator],
    rule: RevisionRule,
) -> tuple[Turn, ...]:
    """Run the single negotiating text to agreement or the deadline; return the transcript."""
    n = table.n_parties
    veto = table.problem.veto
    history: list[Offer] = []
    transcript: list[Turn] = []
    text: IndexArray | None = None
    objecting = np.ones(n, dtype=bool)
    for round_ in range(1, rounds + 1):
        frozen = tuple(history)
        following = round_ + 1 if round_ < rounds else None

        def view(
            party: int,
            frozen: tuple[Offer, ...] = frozen,
            at: int = round_,
            following: int | None = following,
        ) -> View:
            return view_of(
                table, clock, party, at, rounds, frozen, following, rngs[party], PROTOCOLS[1]
            )

        demands = np.full(n, np.nan)
        for party in range(n):
            wanted = _propose(table, strategies[party], party, view(party))
            utilities = table.utilities(wanted)
            demands[party] = utilities[party]
            history.append(Offer(round_, party, wanted, utilities, kind="demand"))
        text = rule.revise(table, text, demands, objecting)
        offer = Offer(round_, MEDIATOR, text, table.utilities(text), kind="text")
        frozen = tuple(history)
        responses = tuple(
            ACCEPT
            if _respond(table, strategies[party], party, view(party, frozen), offer)
            else REJECT
            for party in range(n)
        )
        objecting = np.array([r == REJECT for r in responses])
        agreed = all(r == ACCEPT for r, v in zip(responses, veto, strict=True) if v)
        transcript.append(_turn(table, clock, offer, responses, agreed, demands))
        history.append(offer)
        if agreed:
            break
    return tuple(transcript)
