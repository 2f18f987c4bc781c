"""Bueno de Mesquita's expected-utility group decision model, as specified by [Scholz2011].

Equation numbers and pages are those of the paper's conference version [ScholzICAART2011] (the
journal version [Scholz2011] was not seen).

Actors ``i`` have a capability ``c_i``, a position ``x_i`` on one numeric issue and a salience
``s_i`` in [0, 1]. Distances are scaled by the range of the initial positions,
``d_ij = |x_i - x_j| / (max x - min x)``. Each round (the algorithm of the paper's appendix,
pp. 29-30, which follows [BuenoDeMesquita1994]):

1. every risk exponent is set to ``r_i = 1``;
2. the expected utility of every challenge is computed (eq. EU below) and each actor's *danger*,
   the sum of the others' expected utilities of challenging it, gives its risk acceptance
   ``R_i = (2 danger_i - max danger - min danger) / (max danger - min danger)`` (eq. 34, p. 24,
   after [BuenoDeMesquita1985]) and its risk exponent ``r_i = (1 - R_i / 3) / (1 + R_i / 3)``
   (eq. 33, p. 24);
3. with these exponents the expected utilities are computed again (sec. 5, p. 25), each actor
   receives offers from the others and accepts one (sec. 6, pp. 25-26): a *confrontation* it
   expects to lose (move to the challenger's position), a *compromise* (move the fraction
   ``|EU_ij / EU_ji|`` of the way, eqs. 35-36, p. 25), or a *capitulation* (move to the
   challenger's position);
4. all actors move at once.

Utilities (sec. 3, pp. 21-23, [BuenoDeMesquita1994]), with ``r`` the risk exponent of the actor
whose perspective is taken:

- success ``U_s = 2 - 4 (0.5 - 0.5 d_ij)^r`` (eq. 15), failure ``U_f = 2 - 4 (0.5 + 0.5 d_ij)^r``
  (eq. 16), status quo ``U_sq = 2 - 4 (0.5)^r`` (eq. 24);
- things get better / worse without a challenge: ``U_b, U_w = 2 - 4 (0.5 -/+ 0.25 (|x_i - mu| +
  |x_i - x_j|) / range)^r`` (eqs. 22-23) with ``mu`` the round's median position.

Probability that ``i`` wins a contest with ``j`` (sec. 4, eqs. 30-31, p. 24): each actor ``k``
supports the position it prefers with ``v_k(i, j) = c_k s_k (d_kj^r_k - d_ki^r_k)``;
``P_ij = sum_k max(0, v_k(i, j)) / D`` (see :class:`Options` for the normaliser ``D``).

Expected utility of ``i`` challenging ``j`` (eqs. 5-7 and 25a, pp. 20 and 23; eq. EU):
``EU_ij = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w)``.

Median and mean (sec. 3.2, eqs. 26-29, p. 23, and appendix step 3): the median is the Condorcet
winner among the actors' positions when each actor votes with weight ``c_k s_k`` in proportion to
its distance gain (eq. 28, linear in distance); in one dimension with these votes it is the
weighted median (the position minimising ``sum_k c_k s_k |x_k - x|``; ties go to the lowest such
position). The mean is ``sum c s x / sum c s``.

The defaults agree to 1e-6 over ten rounds with the replication [McKibbenSanders2014], whose
author reports that it reproduces the published rounds and whose comments say where it follows
the authors' original code rather than the text. Where the text and that code differ,
:class:`Options` offers both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

OfferKind = Literal["confrontation", "compromise", "capitulation"]


@dataclass(frozen=True)
class Options:
    """The model's open choices; the defaults are those with which [McKibbenSanders2014] reports
    matching [Scholz2011]'s published rounds.

    - ``q``: probability that the target does not change position absent a challenge (eq. EU).
      ``Q = 1`` is the paper's choice for the EC emission standards case: "No value for Q was
      given. We chose Q=1.0." ([ScholzICAART2011] p. 26; again p. 27, where ``Q = 0.5`` is shown
      to change the results); it makes ``t`` irrelevant.
    - ``t``: probability that, absent a challenge, things get better for the challenger; only used
      when ``q < 1``. One constant for all pairs; the paper instead sets ``T`` per pair from the
      geometry (``T = 1`` when ``j``'s expected move to the median brings it closer to ``i``,
      cases 1 and 3A, p. 22; ``T = 0`` otherwise), which matters only when ``q < 1`` and is not
      implemented.
    - ``probability``: the normaliser ``D`` of ``P_ij``: ``"all_pairs"`` sums ``|v_k(a, b)|`` over
      every voter and every pair of actors (what [McKibbenSanders2014] reports the authors' code
      does, and with which it matches their published rounds); ``"pair"`` sums it over the voters
      for the pair ``(i, j)`` only (eq. 31 of the text, the form of [BuenoDeMesquita1994]).
    - ``perspective``: whose risk exponent the receiver of an offer uses for both sides'
      expected utilities: ``"receiver"`` (its own, [McKibbenSanders2014]'s reading of
      [Scholz2011]) or ``"own"`` (each side's own, another reading of the text).
    - ``choice``: which of several offers an actor accepts: ``"by_kind"`` (a lost confrontation
      before a compromise before a capitulation, the order of sec. 6.2, p. 26; the nearest
      confrontation, as that section says, the nearest capitulation, and the compromise with the
      lowest weighted position, as [McKibbenSanders2014] reports the authors' code does) or
      ``"least_move"`` (the offer that moves it least, whatever its kind, the rule the paper
      quotes from Bueno de Mesquita, p. 26).
    """

    q: float = 1.0
    t: float = 1.0
    probability: Literal["all_pairs", "pair"] = "all_pairs"
    perspective: Literal["receiver", "own"] = "receiver"
    choice: Literal["by_kind", "least_move"] = "by_kind"

    def __post_init__(self) -> None:
        if not 0.0 <= self.q <= 1.0 or not 0.0 <= self.t <= 1.0:
            raise ValueError("q and t are probabilities in [0, 1]")
        if self.probability not in ("all_pairs", "pair"):
            raise ValueError(f"unknown probability normaliser {self.probability!r}")
        if self.perspective not in ("receiver", "own"):
            raise ValueError(f"unknown perspective {self.perspective!r}")
        if self.choice not in ("by_kind", "least_move"):
            raise ValueError(f"unknown offer choice {self.choice!r}")


@dataclass(frozen=True)
class Move:
    """An accepted offer: ``actor`` moves towards ``towards``'s position."""

    actor: str
    towards: str
    kind: OfferKind
    position: float


@dataclass(frozen=True)
class Forecast:
    """Positions per round (round 0 = the inputs), with the median and mean of each round."""

    actors: tuple[str, ...]
    capability: FloatArray
    salience: FloatArray
    positions: FloatArray  # (rounds + 1, n_actors)
    median: FloatArray
    mean: FloatArray
    risk: FloatArray  # (rounds, n_actors): the risk exponents used in each round
    moves: tuple[tuple[Move, ...], ...]
    options: Options = field(default_factory=Options)

    @property
    def rounds(self) -> int:
        return len(self.positions) - 1

    def to_dict(self) -> dict[str, Any]:
        """Per round the positions of every actor, the median and the mean (lists by round)."""
        return {
            "model": "expected_utility",
            "actors": [
                {"actor": a, "capability": float(c), "salience": float(s)}
                for a, c, s in zip(self.actors, self.capability, self.salience, strict=True)
            ],
            "rounds": self.rounds,
            "positions": [
                dict(zip(self.actors, map(float, row), strict=True)) for row in self.positions
            ],
            "median": [float(v) for v in self.median],
            "mean": [float(v) for v in self.mean],
            "risk_exponents": [
                dict(zip(self.actors, map(float, row), strict=True)) for row in self.risk
            ],
            "moves": [[asdict(m) for m in ms] for ms in self.moves],
            "options": asdict(self.options),
        }


def weighted_mean(positions: FloatArray, weight: FloatArray) -> float:
    """``sum w x / sum w`` with ``w = c s`` ([Scholz2011] sec. 3.2)."""
    return float(positions @ weight / weight.sum())


def weighted_median(positions: FloatArray, weight: FloatArray) -> float:
    """The Condorcet winner among the positions with votes ``w_k (|x_k - b| - |x_k - a|)``.

    In one dimension it minimises ``sum_k w_k |x_k - x|`` over the actors' positions; ties go to
    the lowest position.
    """
    candidates = np.unique(positions)
    loss = np.abs(positions[None, :] - candidates[:, None]) @ weight
    best = np.flatnonzero(loss <= loss.min() + 1e-12 * max(1.0, abs(loss.min())))
    return float(candidates[best[0]])


def _scaled_distance(x: FloatArray, span: float) -> FloatArray:
    return np.abs(x[:, None] - x[None, :]) / span


def win_probability(
    x: FloatArray, weight: FloatArray, risk: FloatArray, span: float, normaliser: str
) -> FloatArray:
    """``P[i, j]``: probability that ``i`` wins a contest with ``j`` ([Scholz2011] sec. 4)."""
    dpow = _scaled_distance(x, span) ** risk[:, None]  # dpow[k, a] = d_ka ** r_k
    votes = weight[:, None, None] * (dpow[:, None, :] - dpow[:, :, None])  # v_k(a, b)
    numerator = np.clip(votes, 0.0, None).sum(axis=0)
    if normaliser == "all_pairs":
        denominator = np.full_like(numerator, np.abs(votes).sum())
    else:
        denominator = np.abs(votes).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), 0.0)
    np.fill_diagonal(p, 0.0)
    return p


def challenge_utility(
    x: FloatArray,
    salience: FloatArray,
    p: FloatArray,
    exponent: FloatArray,
    span: float,
    median: float,
    options: Options,
) -> FloatArray:
    """``EU[a, b]``: expected utility of ``a`` challenging ``b`` (eq. EU, sec. 2.2 and 3).

    ``exponent[a, b]`` is the risk exponent with which the pair ``(a, b)`` is evaluated.
    """
    d = _scaled_distance(x, span)
    u_success = 2 - 4 * (0.5 - 0.5 * d) ** exponent
    u_failure = 2 - 4 * (0.5 + 0.5 * d) ** exponent
    u_status_quo = 2 - 4 * 0.5**exponent
    s = salience[None, :]
    eu = s * (p * u_success + (1 - p) * u_failure) + (1 - s) * u_success - options.q * u_status_quo
    if options.q < 1.0:
        reach = np.clip(
            0.25 * (np.abs(x - median)[:, None] + np.abs(x[:, None] - x[None, :])) / span, 0, 0.5
        )
        u_better = 2 - 4 * (0.5 - reach) ** exponent
        u_worse = 2 - 4 * (0.5 + reach) ** exponent
        eu = eu - (1 - options.q) * (options.t * u_better + (1 - options.t) * u_worse)
    np.fill_diagonal(eu, 0.0)
    return eu


def risk_exponents(
    x: FloatArray,
    salience: FloatArray,
    weight: FloatArray,
    span: float,
    median: float,
    options: Options,
) -> FloatArray:
    """``r_i`` from each actor's danger, computed with every ``r = 1`` ([Scholz2011] sec. 5)."""
    n = len(x)
    ones = np.ones(n)
    p = win_probability(x, weight, ones, span, options.probability)
    eu = challenge_utility(x, salience, p, np.ones((n, n)), span, median, options)
    danger = eu.sum(axis=0)  # sum over challengers j of EU[j, i]
    low, high = danger.min(), danger.max()
    if high - low <= 1e-15:
        return ones
    acceptance = (2 * danger - high - low) / (high - low)
    result: FloatArray = (1 - acceptance / 3) / (1 + acceptance / 3)
    return result


def _classify(eu_ij: float, eu_ji: float) -> OfferKind | None:
    """What ``j``'s challenge means to ``i`` (sec. 6)."""
    if eu_ji > eu_ij > 0:
        return "confrontation"
    if eu_ji > 0 > eu_ij:
        return (
            "compromise" if eu_ji > abs(eu_ij) else "capitulation" if eu_ji < abs(eu_ij) else None
        )
    return None


def play_round(
    x: FloatArray,
    salience: FloatArray,
    weight: FloatArray,
    span: float,
    actors: Sequence[str],
    options: Options,
) -> tuple[FloatArray, FloatArray, tuple[Move, ...]]:
    """One round: risk exponents, offers, the offers accepted and the new positions."""
    median = weighted_median(x, weight)
    r = risk_exponents(x, salience, weight, span, median, options)
    p = win_probability(x, weight, r, span, options.probability)
    n = len(x)
    # EU[a, b] with a's own exponent; with the receiver's exponent, EU[j, i] uses r_i.
    own = challenge_utility(x, salience, p, np.repeat(r[:, None], n, axis=1), span, median, options)
    if options.perspective == "receiver":
        incoming = challenge_utility(
            x, salience, p, np.repeat(r[None, :], n, axis=0), span, median, options
        )
    else:
        incoming = own
    new = x.copy()
    moves: list[Move] = []
    for i in range(n):
        offers: list[tuple[OfferKind, int, float, float]] = []
        for j in range(n):
            if j == i or x[j] == x[i]:
                continue
            eu_ij, eu_ji = float(own[i, j]), float(incoming[j, i])
            kind = _classify(eu_ij, eu_ji)
            if kind is None:
                continue
            if kind == "compromise":
                target = x[i] + (x[j] - x[i]) * abs(eu_ij / eu_ji)
                key = (abs(eu_ij) * x[i] + abs(eu_ji) * x[j]) / (abs(eu_ij) + abs(eu_ji))
            else:
                target = float(x[j])
                key = abs(x[i] - target)
            offers.append((kind, j, float(target), float(key)))
        if not offers:
            continue
        if options.choice == "by_kind":
            for kind in ("confrontation", "compromise", "capitulation"):
                same = [o for o in offers if o[0] == kind]
                if same:
                    chosen = min(same, key=lambda o: o[3])
                    break
        else:
            chosen = min(offers, key=lambda o: abs(o[2] - x[i]))
        new[i] = chosen[2]
        moves.append(Move(actors[i], actors[chosen[1]], chosen[0], chosen[2]))
    return new, r, tuple(moves)


def forecast(
    actors: Sequence[str],
    capability: npt.ArrayLike,
    position: npt.ArrayLike,
    salience: npt.ArrayLike,
    *,
    rounds: int = 10,
    options: Options | None = None,
) -> Forecast:
    """Run the model for ``rounds`` rounds. Salience in [0, 1]; capability >= 0."""
    options = options or Options()
    c = np.asarray(capability, dtype=float)
    x0 = np.asarray(position, dtype=float)
    s = np.asarray(salience, dtype=float)
    n = len(actors)
    if not (c.shape == x0.shape == s.shape == (n,)) or n < 2:
        raise ValueError("need at least two actors, each with a capability, position and salience")
    if not (np.isfinite(c).all() and np.isfinite(x0).all() and np.isfinite(s).all()):
        raise ValueError("capability, position and salience must be finite")
    if (c < 0).any() or (s < 0).any() or (s > 1).any():
        raise ValueError("capability must be >= 0 and salience in [0, 1]")
    weight = c * s
    if weight.sum() <= 0:
        raise ValueError("at least one actor needs a positive capability and salience")
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    span = float(x0.max() - x0.min()) or 1.0
    positions = [x0]
    risks: list[FloatArray] = []
    moves: list[tuple[Move, ...]] = []
    x = x0
    for _ in range(rounds):
        x, r, accepted = play_round(x, s, weight, span, actors, options)
        positions.append(x)
        risks.append(r)
        moves.append(accepted)
    table = np.vstack(positions)
    return Forecast(
        actors=tuple(actors),
        capability=c,
        salience=s,
        positions=table,
        median=np.array([weighted_median(row, weight) for row in table]),
        mean=np.array([weighted_mean(row, weight) for row in table]),
        risk=np.vstack(risks) if risks else np.empty((0, n)),
        moves=tuple(moves),
        options=options,
    )
