"""Lanchester's laws of attrition: exact, numerical and stochastic, and fitting them to data.

Two forces ``A`` and ``B`` with effectiveness ``alpha`` (casualties one soldier of ``A`` inflicts on
``B`` per unit of time) and ``beta`` (the same for ``B``) [Lanchester1916]:

- **aimed fire** (the "square law"): each side's losses are proportional to the number of enemy
  shooters, ``dA/dt = -beta B``, ``dB/dt = -alpha A``. ``alpha A^2 - beta B^2`` is conserved, and
  ``A`` wins if ``alpha A0^2 > beta B0^2``: fighting strength grows with the square of numbers.
- **area fire** (the "linear law"): losses are proportional to the enemy's shooters *and* one's own
  density, ``dA/dt = -beta A B``, ``dB/dt = -alpha A B``. ``alpha A - beta B`` is conserved.

Names follow the mechanism, not the exponent, because the literature and code swap "linear" and
"square" [Antonov2023]. Reinforcements arrive at given days, at once or spread over an interval.

Exact solutions: aimed fire with constant reinforcement rates is linear with constant coefficients
(``cosh``/``sinh`` after shifting the equilibrium); area fire without reinforcements reduces to a
logistic equation through its invariant. Everything else (area fire with reinforcements) is solved
numerically. The stochastic version is the continuous-time Markov death process in which the next
casualty falls on ``A`` with rate ``beta B`` (aimed) or ``beta A B`` (area) [Amacher1986]; its win
probabilities are computed exactly by recursion for small forces and by simulation otherwise.

:func:`fit_aimed_fire` estimates ``alpha`` and ``beta`` from daily strengths by least squares, as
Engel did for Iwo Jima [Engel1954].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy import integrate, optimize

FloatArray = npt.NDArray[np.float64]


class Law(StrEnum):
    """How casualties depend on the forces."""

    AIMED = "aimed"
    AREA = "area"


@dataclass(frozen=True)
class Reinforcement:
    """Troops arriving: ``a`` for side A and ``b`` for side B, at ``day`` (all at once) or spread
    evenly over ``[day, until)``."""

    day: float
    a: float = 0.0
    b: float = 0.0
    until: float | None = None

    def __post_init__(self) -> None:
        if self.until is not None and self.until <= self.day:
            raise ValueError("a reinforcement's 'until' must be after its 'day'")


def invariant(
    law: Law, a: npt.ArrayLike, b: npt.ArrayLike, alpha: float, beta: float
) -> FloatArray:
    """The conserved quantity: ``alpha A^2 - beta B^2`` (aimed) or ``alpha A - beta B`` (area)."""
    av = np.asarray(a, dtype=float)
    bv = np.asarray(b, dtype=float)
    if Law(law) is Law.AIMED:
        return np.asarray(alpha * av**2 - beta * bv**2, dtype=float)
    return np.asarray(alpha * av - beta * bv, dtype=float)


def winner(law: Law, a0: float, b0: float, alpha: float, beta: float) -> str:
    """``"A"``, ``"B"`` or ``"draw"`` (mutual annihilation) without reinforcements."""
    k = float(invariant(law, a0, b0, alpha, beta))
    scale = max(
        abs(float(invariant(law, a0, 0, alpha, beta))),
        abs(float(invariant(law, 0, b0, alpha, beta))),
        1e-300,
    )
    if abs(k) <= 1e-12 * scale:
        return "draw"
    return "A" if k > 0 else "B"


# ---- exact solutions ------------------------------------------------------------------------------


def _aimed_segment(
    a0: float, b0: float, alpha: float, beta: float, pa: float, pb: float, t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Aimed fire with constant reinforcement rates ``pa``, ``pb`` from ``(a0, b0)``, exact.

    Shifting by the equilibrium ``A* = pb / alpha``, ``B* = pa / beta`` leaves ``u' = -beta v``,
    ``v' = -alpha u``, solved by ``cosh``/``sinh``. (No clipping at zero here.)
    """
    if alpha == 0 or beta == 0:
        # One side does not shoot: the other's losses are linear in the shooter's strength.
        if alpha == 0 and beta == 0:
            return a0 + pa * t, b0 + pb * t
        if alpha == 0:  # B shoots, A does not: B grows linearly, A loses the integral of B
            b = b0 + pb * t
            return a0 + pa * t - beta * (b0 * t + 0.5 * pb * t**2), b
        a = a0 + pa * t
        return a, b0 + pb * t - alpha * (a0 * t + 0.5 * pa * t**2)
    a_star = pb / alpha
    b_star = pa / beta
    u0 = a0 - a_star
    v0 = b0 - b_star
    g = math.sqrt(alpha * beta)
    s_a = math.sqrt(beta / alpha)
    s_b = math.sqrt(alpha / beta)
    # cosh/sinh written as exponentials: a vanishing growing term stays exactly zero.
    with np.errstate(over="ignore", invalid="ignore"):
        grow = np.exp(g * t)
        decay = np.exp(-g * t)
        u = _term(0.5 * (u0 - s_a * v0), grow) + 0.5 * (u0 + s_a * v0) * decay
        v = _term(0.5 * (v0 - s_b * u0), grow) + 0.5 * (v0 + s_b * u0) * decay
    return u + a_star, v + b_star


def _term(coefficient: float, growth: FloatArray) -> FloatArray:
    if coefficient == 0:
        return np.zeros_like(growth)
    result: FloatArray = coefficient * growth
    return result


def _area_segment(
    a0: float, b0: float, alpha: float, beta: float, t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Area fire without reinforcements, exact: with ``K = alpha A - beta B`` constant,
    ``A' = K A - alpha A^2`` is logistic."""
    k = alpha * a0 - beta * b0
    if a0 == 0 or b0 == 0:
        return np.full_like(t, a0), np.full_like(t, b0)
    if alpha == 0 and beta == 0:
        return np.full_like(t, a0), np.full_like(t, b0)
    if abs(k) < 1e-12 * max(alpha * a0, beta * b0):
        a = a0 / (1 + alpha * a0 * t)
    elif k > 0:
        a = k * a0 / (alpha * a0 + (k - alpha * a0) * np.exp(-k * t))
    else:  # the same, multiplied through by exp(k t) so that nothing overflows
        e = np.exp(k * t)
        a = k * a0 * e / (alpha * a0 * e + (k - alpha * a0))
    if beta != 0:
        b = (alpha * a - k) / beta
    else:
        b = b0 * np.exp(-alpha * np.asarray(a0 * t, dtype=float)) if alpha else np.full_like(t, b0)
    return np.asarray(a, dtype=float), np.asarray(b, dtype=float)


def _first_root_above(c2: float, c1: float, c0: float, above: float) -> float | None:
    """Smallest root ``y > above`` of ``c2 y^2 + c1 y + c0``, or None."""
    scale = max(abs(c2), abs(c1), abs(c0), 1e-300)
    c2, c1, c0 = c2 / scale, c1 / scale, c0 / scale
    if abs(c2) < 1e-14:
        if abs(c1) < 1e-300:
            return None
        roots = [-c0 / c1]
    else:
        disc = c1 * c1 - 4 * c2 * c0
        if disc < 0:
            return None
        sq = math.sqrt(disc)
        # Numerically stable pair of roots.
        q = -0.5 * (c1 + math.copysign(sq, c1))
        roots = [q / c2] + ([c0 / q] if q != 0 else [])
    later = [y for y in roots if y > above]
    return min(later) if later else None


def _zero_time_aimed(
    a0: float, b0: float, alpha: float, beta: float, pa: float, pb: float
) -> float | None:
    """The first time ``t > 0`` at which a side reaches zero, exactly, or None.

    With ``x = exp(g t)``, ``c + P cosh(g t) + Q sinh(g t) = 0`` is the quadratic
    ``(P + Q) x^2 + 2 c x + (P - Q) = 0`` (roots with ``x > 1``). One side not shooting leaves a
    quadratic in ``t``.
    """
    times: list[float] = []
    if alpha == 0 or beta == 0:
        if beta > 0:  # A loses the integral of B(t) = b0 + pb t
            root = _first_root_above(-0.5 * beta * pb, pa - beta * b0, a0, 0.0)
            if root is not None:
                times.append(root)
        if alpha > 0:
            root = _first_root_above(-0.5 * alpha * pa, pb - alpha * a0, b0, 0.0)
            if root is not None:
                times.append(root)
        return min(times) if times else None
    g = math.sqrt(alpha * beta)
    a_star, b_star = pb / alpha, pa / beta
    u0, v0 = a0 - a_star, b0 - b_star
    for c, p, q in (
        (a_star, u0, -math.sqrt(beta / alpha) * v0),
        (b_star, v0, -math.sqrt(alpha / beta) * u0),
    ):
        root = _first_root_above(p + q, 2 * c, p - q, 1.0)
        if root is not None:
            times.append(math.log(root) / g)
    return min(times) if times else None


@dataclass(frozen=True)
class Battle:
    """Strengths of both sides at the requested days, and the day the battle ended (if it did)."""

    days: FloatArray
    a: FloatArray
    b: FloatArray
    ended_at: float | None


def _rates(reinforcements: Sequence[Reinforcement], t: float) -> tuple[float, float]:
    """Reinforcement rates (troops a day) in force from ``t`` to the next event."""
    pa = pb = 0.0
    for r in reinforcements:
        if r.until is not None and r.day <= t < r.until:
            width = r.until - r.day
            pa += r.a / width
            pb += r.b / width
    return pa, pb


def _impulses(reinforcements: Sequence[Reinforcement], t: float) -> tuple[float, float]:
    da = db = 0.0
    for r in reinforcements:
        if r.until is None and r.day == t:
            da += r.a
            db += r.b
    return da, db


def solve(
    law: Law,
    a0: float,
    b0: float,
    alpha: float,
    beta: float,
    days: npt.ArrayLike,
    reinforcements: Sequence[Reinforcement] = (),
    *,
    method: str = "auto",
) -> Battle:
    """Strengths of A and B at ``days`` (non-decreasing, from 0 or later).

    ``method``: ``"exact"`` (closed form: aimed fire, or area fire without reinforcement rates),
    ``"numerical"`` (adaptive Runge-Kutta, any case), or ``"auto"`` (exact where it exists).
    Troops arriving at once on day ``d`` count in the strengths reported for day ``d``. The battle
    ends when a side reaches zero: no more fighting; later arrivals are only added.
    """
    law = Law(law)
    t = np.asarray(days, dtype=float)
    if t.ndim != 1 or t.size == 0 or t[0] < 0 or np.any(np.diff(t) < 0):
        raise ValueError("days must be a non-empty, non-decreasing 1-D array of days >= 0")
    if min(a0, b0, alpha, beta) < 0:
        raise ValueError("strengths and coefficients must be >= 0")
    has_rates = any(r.until is not None for r in reinforcements)
    exact_possible = law is Law.AIMED or not has_rates
    if method == "auto":
        method = "exact" if exact_possible else "numerical"
    if method == "exact" and not exact_possible:
        raise ValueError("no closed form for area fire with reinforcement rates; use 'numerical'")
    if method not in ("exact", "numerical"):
        raise ValueError("method is 'auto', 'exact' or 'numerical'")

    t_end = float(t[-1])
    events = {float(x) for r in reinforcements for x in (r.day, r.until) if x is not None}
    cuts = sorted({0.0, t_end} | {x for x in events if 0 < x <= t_end})
    out_a = np.empty_like(t)
    out_b = np.empty_like(t)
    a, b = float(a0), float(b0)
    ended: float | None = None
    for index, left in enumerate(cuts):
        da, db = _impulses(reinforcements, left)
        a, b = a + da, b + db
        right = cuts[index + 1] if index + 1 < len(cuts) else math.inf
        mask = (t >= left) & (t < right)
        if ended is not None or right == math.inf:
            out_a[mask], out_b[mask] = a, b
            continue
        pa, pb = _rates(reinforcements, left)
        seg_a, seg_b, end, a, b = _segment(
            law, a, b, alpha, beta, pa, pb, right - left, t[mask] - left, method
        )
        out_a[mask], out_b[mask] = seg_a, seg_b
        if end is not None:
            ended = left + end
    return Battle(days=t, a=out_a, b=out_b, ended_at=ended)


def _segment(
    law: Law,
    a: float,
    b: float,
    alpha: float,
    beta: float,
    pa: float,
    pb: float,
    span: float,
    at: FloatArray,
    method: str,
) -> tuple[FloatArray, FloatArray, float | None, float, float]:
    """One interval without events: strengths at ``at``, the end time (if a side reaches zero),
    and the strengths at the end of the interval."""
    if a <= 0 or b <= 0:
        # A side with no troops fights no more; reinforcements still arrive.
        return a + pa * at, b + pb * at, None, a + pa * span, b + pb * span
    if method == "numerical":
        return _numerical_segment(law, a, b, alpha, beta, pa, pb, span, at)
    if law is Law.AIMED:
        end = _zero_time_aimed(a, b, alpha, beta, pa, pb)
        if end is not None and end > span:
            end = None
        stop = end if end is not None else span
        seg_a, seg_b = _aimed_segment(a, b, alpha, beta, pa, pb, np.minimum(at, stop))
        fin_a, fin_b = _aimed_segment(a, b, alpha, beta, pa, pb, np.array([stop]))
        if end is not None:  # the side that reached zero is exactly zero from then on
            loser_a = fin_a[0] <= fin_b[0]
            done = at >= stop
            if loser_a:
                seg_a[done], fin_a[0] = 0.0, 0.0
            else:
                seg_b[done], fin_b[0] = 0.0, 0.0
    else:
        end = None  # area fire never reaches zero in finite time
        seg_a, seg_b = _area_segment(a, b, alpha, beta, at)
        fin_a, fin_b = _area_segment(a, b, alpha, beta, np.array([span]))
    seg_a = np.maximum(seg_a, 0.0)
    seg_b = np.maximum(seg_b, 0.0)
    return seg_a, seg_b, end, max(float(fin_a[0]), 0.0), max(float(fin_b[0]), 0.0)


def _numerical_segment(
    law: Law,
    a: float,
    b: float,
    alpha: float,
    beta: float,
    pa: float,
    pb: float,
    span: float,
    at: FloatArray,
) -> tuple[FloatArray, FloatArray, float | None, float, float]:
    def rhs(_: float, y: FloatArray) -> list[float]:
        ya, yb = max(float(y[0]), 0.0), max(float(y[1]), 0.0)
        if law is Law.AIMED:
            return [-beta * yb + pa, -alpha * ya + pb]
        return [-beta * ya * yb + pa, -alpha * ya * yb + pb]

    def empty_a(_: float, y: FloatArray) -> float:
        return float(y[0])

    def empty_b(_: float, y: FloatArray) -> float:
        return float(y[1])

    empty_a.terminal = True  # type: ignore[attr-defined]
    empty_b.terminal = True  # type: ignore[attr-defined]
    empty_a.direction = -1  # type: ignore[attr-defined]
    empty_b.direction = -1  # type: ignore[attr-defined]
    sol = integrate.solve_ivp(
        rhs,
        (0.0, span),
        [a, b],
        method="DOP853",
        events=[empty_a, empty_b],
        dense_output=True,
        rtol=1e-11,
        atol=1e-9,
    )
    stop = float(sol.t[-1])
    end = stop if sol.status == 1 else None
    values = sol.sol(np.minimum(at, stop)) if at.size else np.zeros((2, 0))
    final = sol.y[:, -1]
    return (
        np.maximum(values[0], 0.0),
        np.maximum(values[1], 0.0),
        end,
        max(float(final[0]), 0.0),
        max(float(final[1]), 0.0),
    )


# ---- the stochastic version ------------------------------------------------------------------------


def _hazards(
    law: Law, a: FloatArray, b: FloatArray, alpha: float, beta: float
) -> tuple[FloatArray, FloatArray]:
    """Rates at which the next casualty falls on A and on B."""
    if law is Law.AIMED:
        return beta * b, alpha * a
    return beta * a * b, alpha * a * b


def win_probability(law: Law, a0: int, b0: int, alpha: float, beta: float) -> float:
    """Exact probability that A wins (B reaches 0 first) in the Markov death process.

    Recursion over the embedded jump chain on the grid of states: ``P(a, b) = q P(a, b - 1) +
    (1 - q) P(a - 1, b)`` with ``q = rate(B loses) / total rate``. ``O(a0 b0)``.
    """
    law = Law(law)
    if a0 < 0 or b0 < 0:
        raise ValueError("forces must be >= 0")
    p = np.zeros((a0 + 1, b0 + 1))
    p[1:, 0] = 1.0
    for a in range(1, a0 + 1):
        bs = np.arange(1, b0 + 1)
        hit_a, hit_b = _hazards(law, np.full(b0, float(a)), bs.astype(float), alpha, beta)
        total = hit_a + hit_b
        q = np.divide(hit_b, total, out=np.full(b0, 0.5), where=total > 0)
        # P(a, b) depends on P(a, b-1) (same row) and P(a-1, b): a running recursion along b.
        for b in range(1, b0 + 1):
            p[a, b] = q[b - 1] * p[a, b - 1] + (1 - q[b - 1]) * p[a - 1, b]
    return float(p[a0, b0])


@dataclass(frozen=True)
class MarkovBattles:
    """Results of simulated stochastic battles, one entry per run."""

    a: npt.NDArray[np.int64]
    b: npt.NDArray[np.int64]
    duration: FloatArray
    a_wins: npt.NDArray[np.bool_]


def simulate_markov(
    law: Law,
    a0: int,
    b0: int,
    alpha: float,
    beta: float,
    rng: np.random.Generator,
    runs: int,
    *,
    t_max: float = math.inf,
) -> MarkovBattles:
    """Gillespie simulation of ``runs`` battles at once, each until a side is wiped out or
    ``t_max`` passes. Vectorised over runs: every event step advances all unfinished runs."""
    law = Law(law)
    a = np.full(runs, a0, dtype=np.int64)
    b = np.full(runs, b0, dtype=np.int64)
    t = np.zeros(runs)
    active = (a > 0) & (b > 0)
    for _ in range(a0 + b0 + 1):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        hit_a, hit_b = _hazards(law, a[idx].astype(float), b[idx].astype(float), alpha, beta)
        total = hit_a + hit_b
        stuck = total <= 0
        wait = rng.exponential(1.0, idx.size) / np.where(stuck, 1.0, total)
        on_b = rng.random(idx.size) * np.where(stuck, 1.0, total) < hit_b
        new_t = t[idx] + np.where(stuck, math.inf, wait)
        late = new_t > t_max
        t[idx] = np.where(late, t_max, new_t)
        go = ~late & ~stuck
        b[idx[go & on_b]] -= 1
        a[idx[go & ~on_b]] -= 1
        active[idx[late | stuck]] = False
        active &= (a > 0) & (b > 0)
    return MarkovBattles(a=a, b=b, duration=t, a_wins=(b == 0) & (a > 0))


# ---- fitting -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AimedFireFit:
    """Least-squares estimates of the aimed-fire coefficients."""

    alpha: float
    beta: float
    rmse: float
    initial: tuple[float, float]


def fit_aimed_fire(
    days: npt.ArrayLike,
    strength_a: npt.ArrayLike,
    strength_b: npt.ArrayLike,
    reinforcements: Sequence[Reinforcement] = (),
) -> AimedFireFit:
    """Estimate ``alpha`` and ``beta`` from daily strengths by least squares [Engel1954].

    ``days`` start at 0; troops arriving at once on day 0 are in the day-0 strengths. A linear
    regression through the origin on the daily losses (``losses of A = beta * integral of B``,
    trapezoid rule, net of arrivals) gives a start; then the exact solution from the day-0
    strengths is fitted to both series at once (each scaled by its largest value, so that the
    smaller side counts as much).
    """
    t = np.asarray(days, dtype=float)
    obs_a = np.asarray(strength_a, dtype=float)
    obs_b = np.asarray(strength_b, dtype=float)
    if not (t.shape == obs_a.shape == obs_b.shape) or t.ndim != 1 or t.size < 3:
        raise ValueError("days, strength_a and strength_b need the same length (at least 3)")
    if t[0] != 0 or np.any(np.diff(t) <= 0):
        raise ValueError("days must start at 0 and increase")
    # Arrivals in each interval (t_k, t_k+1], by the solver's rules.
    arrived = np.zeros((2, t.size - 1))
    for r in reinforcements:
        for k in range(t.size - 1):
            lo, hi = t[k], t[k + 1]
            if r.until is None:
                share = 1.0 if lo < r.day <= hi else 0.0
            else:
                share = max(0.0, min(hi, r.until) - max(lo, r.day)) / (r.until - r.day)
            arrived[:, k] += share * np.array([r.a, r.b])
    dt = np.diff(t)
    fire_a = 0.5 * (obs_a[1:] + obs_a[:-1]) * dt  # integral of A over each interval
    fire_b = 0.5 * (obs_b[1:] + obs_b[:-1]) * dt
    loss_a = arrived[0] - np.diff(obs_a)
    loss_b = arrived[1] - np.diff(obs_b)
    beta0 = float(np.dot(fire_b, loss_a) / max(float(np.dot(fire_b, fire_b)), 1e-300))
    alpha0 = float(np.dot(fire_a, loss_b) / max(float(np.dot(fire_a, fire_a)), 1e-300))
    start = np.log(np.maximum([alpha0, beta0], 1e-9))

    at_zero = _impulses(reinforcements, 0.0)
    a_start = float(obs_a[0]) - at_zero[0]
    b_start = float(obs_b[0]) - at_zero[1]
    scale_a = max(float(np.abs(obs_a).max()), 1.0)
    scale_b = max(float(np.abs(obs_b).max()), 1.0)

    def residuals(log_coef: FloatArray) -> FloatArray:
        alpha, beta = np.exp(log_coef)
        battle = solve(Law.AIMED, a_start, b_start, alpha, beta, t, reinforcements)
        return np.concatenate([(battle.a - obs_a) / scale_a, (battle.b - obs_b) / scale_b])

    result = optimize.least_squares(
        residuals, start, method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-15
    )
    alpha, beta = (float(x) for x in np.exp(result.x))
    rmse = float(np.sqrt(np.mean(residuals(result.x) ** 2)))
    return AimedFireFit(alpha=alpha, beta=beta, rmse=rmse, initial=(alpha0, beta0))
