"""Uncertain numbers in a scenario: a fixed value or a named probability distribution.

A scenario may give any parameter as a plain number or as a mapping ``{dist: NAME, ...}``:

- ``normal``: ``mean``, ``sd``, optionally truncated to ``[low, high]``;
- ``lognormal``: ``median`` and ``sigma`` (the standard deviation of the log), or the 5th and 95th
  percentiles ``p5`` and ``p95``;
- ``uniform``: ``low``, ``high``;
- ``triangular``: ``low``, ``mode``, ``high``;
- ``beta``: shape parameters ``a`` and ``b`` on ``[low, high]`` (default ``[0, 1]``);
- ``choice``: one of a few ``alternatives``, with probabilities ``p`` (default: equal).

Every distribution has a ``mean``: the point value that analyses without sampling use.

Every distribution is sampled by inversion, ``x = F^-1(u)`` with ``u`` uniform on (0, 1), so one
uniform number gives one draw whatever the distribution: Monte Carlo runs stay reproducible from a
seed, and later work can feed Latin-hypercube or Sobol points to :meth:`Distribution.ppf` instead of
pseudo-random ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
from pydantic import (
    AfterValidator,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    Tag,
    model_validator,
)

from ceasefire.scenario.types import MAX_MAGNITUDE, Finite, Strict

FloatArray = npt.NDArray[np.float64]

Positive = Annotated[float, Field(gt=0, le=MAX_MAGNITUDE, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, le=MAX_MAGNITUDE, allow_inf_nan=False)]

_Z95 = 1.6448536269514722  # Phi^-1(0.95)


def _special() -> Any:
    """scipy.special, imported on first use: it costs a quarter second that most commands never need."""
    from scipy import special

    return special


U_MIN = 1e-16
"""Uniform numbers are kept in ``[U_MIN, 1 - U_MIN]``, so that unbounded distributions give finite
draws (a lognormal never gives 0) and :attr:`Distribution.bounds` is the true range of draws."""
_Z_MAX = 8.222082216130435  # -Phi^-1(U_MIN)


def _as_array(u: npt.ArrayLike) -> FloatArray:
    return np.clip(np.asarray(u, dtype=np.float64), U_MIN, 1 - U_MIN)


class Normal(Strict):
    """A normal distribution, optionally truncated to ``[low, high]``."""

    dist: Literal["normal"]
    mean: Finite
    sd: NonNegative
    low: Finite | None = None
    high: Finite | None = None

    @model_validator(mode="after")
    def _valid(self) -> Normal:
        low = -math.inf if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        if low >= high:
            raise ValueError("a truncated normal needs low < high")
        if self.sd == 0 and not low <= self.mean <= high:
            raise ValueError("with sd 0 the mean must lie within [low, high]")
        if self.sd > 0 and (
            _special().ndtr((high - self.mean) / self.sd)
            - _special().ndtr((low - self.mean) / self.sd)
            < 1e-12
        ):
            raise ValueError("[low, high] holds almost none of this normal's probability")
        return self

    def ppf(self, u: npt.ArrayLike) -> FloatArray:
        u = _as_array(u)
        if self.sd == 0:
            return np.full(u.shape, self.mean)
        lo = 0.0 if self.low is None else float(_special().ndtr((self.low - self.mean) / self.sd))
        hi = 1.0 if self.high is None else float(_special().ndtr((self.high - self.mean) / self.sd))
        x = self.mean + self.sd * _special().ndtri(np.clip(lo + (hi - lo) * u, U_MIN, 1 - U_MIN))
        result: FloatArray = np.clip(x, *self.bounds)
        return result

    @property
    def expected(self) -> float:
        """The mean of the (truncated) normal."""
        if self.sd == 0 or (self.low is None and self.high is None):
            return self.mean
        alpha = -math.inf if self.low is None else (self.low - self.mean) / self.sd
        beta = math.inf if self.high is None else (self.high - self.mean) / self.sd
        mass = float(_special().ndtr(beta) - _special().ndtr(alpha))
        density = _phi(alpha) - _phi(beta)
        return self.mean + self.sd * density / mass

    @property
    def bounds(self) -> tuple[float, float]:
        if self.sd == 0:
            return (self.mean, self.mean)
        return (
            self.mean - _Z_MAX * self.sd if self.low is None else self.low,
            self.mean + _Z_MAX * self.sd if self.high is None else self.high,
        )


class Lognormal(Strict):
    """``exp(N(mu, sigma^2))``, given by ``median`` and ``sigma`` or by ``p5`` and ``p95``."""

    dist: Literal["lognormal"]
    median: Positive | None = None
    sigma: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)] | None = None
    p5: Positive | None = None
    p95: Positive | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Lognormal:
        by_median = self.median is not None and self.sigma is not None
        by_range = self.p5 is not None and self.p95 is not None
        given = sum(x is not None for x in (self.median, self.sigma, self.p5, self.p95))
        if not (by_median or by_range) or given != 2:
            raise ValueError("give either 'median' and 'sigma', or 'p5' and 'p95'")
        if by_range:
            assert self.p5 is not None and self.p95 is not None
            if self.p5 > self.p95:
                raise ValueError("p5 must not exceed p95")
            if self.log_sd > 10:
                raise ValueError("p95 / p5 is too large (a log sd above 10)")
        return self

    @property
    def mu(self) -> float:
        if self.median is not None:
            return math.log(self.median)
        assert self.p5 is not None and self.p95 is not None
        return 0.5 * (math.log(self.p5) + math.log(self.p95))

    @property
    def log_sd(self) -> float:
        if self.sigma is not None:
            return self.sigma
        assert self.p5 is not None and self.p95 is not None
        return (math.log(self.p95) - math.log(self.p5)) / (2 * _Z95)

    def ppf(self, u: npt.ArrayLike) -> FloatArray:
        result: FloatArray = np.exp(self.mu + self.log_sd * _special().ndtri(_as_array(u)))
        return result

    @property
    def expected(self) -> float:
        return math.exp(self.mu + self.log_sd**2 / 2)

    @property
    def bounds(self) -> tuple[float, float]:
        return (
            math.exp(self.mu - _Z_MAX * self.log_sd),
            math.exp(self.mu + _Z_MAX * self.log_sd),
        )


class Uniform(Strict):
    """Uniform on ``[low, high]``."""

    dist: Literal["uniform"]
    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self

    def ppf(self, u: npt.ArrayLike) -> FloatArray:
        result: FloatArray = self.low + (self.high - self.low) * _as_array(u)
        return result

    @property
    def expected(self) -> float:
        return (self.low + self.high) / 2

    @property
    def bounds(self) -> tuple[float, float]:
        return (self.low, self.high)


class Triangular(Strict):
    """Triangular on ``[low, high]`` with its peak at ``mode``."""

    dist: Literal["triangular"]
    low: Finite
    mode: Finite
    high: Finite

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("need low <= mode <= high")
        return self

    def ppf(self, u: npt.ArrayLike) -> FloatArray:
        u = _as_array(u)
        low, mode, high = self.low, self.mode, self.high
        width = high - low
        if width == 0:
            return np.full(u.shape, low)
        cut = (mode - low) / width
        left = low + np.sqrt(u * width * (mode - low))
        right = high - np.sqrt((1 - u) * width * (high - mode))
        result: FloatArray = np.where(u < cut, left, right)
        return result

    @property
    def expected(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def bounds(self) -> tuple[float, float]:
        return (self.low, self.high)


class Beta(Strict):
    """A beta distribution with shapes ``a``, ``b``, scaled to ``[low, high]``."""

    dist: Literal["beta"]
    a: Annotated[float, Field(ge=1e-3, le=1e6, allow_inf_nan=False)]
    b: Annotated[float, Field(ge=1e-3, le=1e6, allow_inf_nan=False)]
    low: Finite = 0.0
    high: Finite = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> Beta:
        if self.low >= self.high:
            raise ValueError("need low < high")
        return self

    def ppf(self, u: npt.ArrayLike) -> FloatArray:
        x = _special().betaincinv(self.a, self.b, _as_array(u))
        result: FloatArray = self.low + (self.high - self.low) * x
        return result

    @property
    def expected(self) -> float:
        return self.low + (self.high - self.low) * self.a / (self.a + self.b)

    @property
    def bounds(self) -> tuple[float, float]:
        return (self.low, self.high)


class Choice(Strict):
    """One of a few ``alternatives``, drawn with probabilities ``p`` (default: all equal)."""

    dist: Literal["choice"]
    alternatives: list[Finite] = Field(min_length=1)
    p: list[Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]] | None = None

    @model_validator(mode="after")
    def _probabilities(self) -> Choice:
        if self.p is not None:
            if len(self.p) != len(self.alternatives):
                raise ValueError("give one probability in 'p' for each of the 'alternatives'")
            if abs(sum(self.p) - 1.0) > 1e-6:
                raise ValueError(
                    f"the probabilities 'p' must sum to 1; they sum to {sum(self.p):.6g}"
                )
        return self

    @property
    def probabilities(self) -> FloatArray:
        if self.p is None:
            return np.full(len(self.alternatives), 1.0 / len(self.alternatives))
        return np.array(self.p, dtype=np.float64)

    def ppf(self, u: npt.ArrayLike) -> FloatArray:
        cumulative = np.cumsum(self.probabilities)
        index = np.searchsorted(cumulative, _as_array(u), side="right")
        index = np.minimum(index, len(self.alternatives) - 1)
        result: FloatArray = np.array(self.alternatives, dtype=np.float64)[index]
        return result

    @property
    def expected(self) -> float:
        return float(np.dot(self.probabilities, np.array(self.alternatives, dtype=np.float64)))

    @property
    def bounds(self) -> tuple[float, float]:
        return (min(self.alternatives), max(self.alternatives))


Named = Normal | Lognormal | Uniform | Triangular | Beta | Choice


def _tag(value: Any) -> str | None:
    if isinstance(value, dict):
        name = value.get("dist")
        return name if isinstance(name, str) else None
    if isinstance(value, Named):
        return value.dist
    return "fixed"


def _number_or_distribution(fixed: Any) -> Any:
    """The union of ``fixed`` (a plain number's type) and the distribution models, told apart by
    ``dist`` (:func:`_tag`); anything else is one clear error."""
    return Annotated[
        Annotated[fixed, Tag("fixed")]
        | Annotated[Normal, Tag("normal")]
        | Annotated[Lognormal, Tag("lognormal")]
        | Annotated[Uniform, Tag("uniform")]
        | Annotated[Triangular, Tag("triangular")]
        | Annotated[Beta, Tag("beta")]
        | Annotated[Choice, Tag("choice")],
        Discriminator(
            _tag,
            custom_error_type="distribution",
            custom_error_message=(
                "give a number or a mapping with 'dist': normal, lognormal, uniform, triangular, "
                "beta or choice"
            ),
        ),
    ]


if TYPE_CHECKING:
    _Spec: TypeAlias = Finite | Normal | Lognormal | Uniform | Triangular | Beta | Choice
else:
    _Spec = _number_or_distribution(Finite)


def uncertain(fixed: Any, low: float = -math.inf, high: float = math.inf) -> Any:
    """A field type for a number that may be uncertain: a plain number validates as ``fixed`` (an
    annotated float with its own bounds), a mapping as one of the distribution models, whose mean
    must lie in ``[low, high]`` (see :func:`point_value`)."""

    def mean_within(number: Any) -> Any:
        if isinstance(number, Named) and not low <= number.expected <= high:
            raise ValueError(
                f"{describe(number)} has mean {number.expected:.6g}, outside [{low:g}, {high:g}]"
            )
        return number

    return Annotated[_number_or_distribution(fixed), AfterValidator(mean_within)]


def point_value(number: float | Named) -> float:
    """The value analyses without sampling use: the number itself, or its distribution's mean."""
    if isinstance(number, Named):
        return number.expected
    return float(number)


def is_uncertain(number: object) -> bool:
    """Is ``number`` a distribution (rather than a plain number)?"""
    if isinstance(number, Distribution):
        return not number.is_fixed
    return isinstance(number, Named)


class Distribution(RootModel[_Spec]):
    """A scenario number that may be uncertain: a plain number or ``{dist: ..., ...}``.

    >>> import numpy as np
    >>> Distribution(12.5).sample(np.random.default_rng(0), 3)
    array([12.5, 12.5, 12.5])
    >>> d = Distribution.model_validate({"dist": "uniform", "low": 1, "high": 3})
    >>> float(d.ppf(0.5))
    2.0
    """

    model_config = ConfigDict(frozen=True)

    @property
    def is_fixed(self) -> bool:
        return not isinstance(self.root, Named)

    def ppf(self, u: npt.ArrayLike) -> FloatArray:
        """The quantile function: the value below which a share ``u`` of the draws falls."""
        if isinstance(self.root, Named):
            return self.root.ppf(u)
        return np.full(np.shape(u), float(self.root))

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> FloatArray:
        """``size`` independent draws, by inversion of one uniform number each."""
        return self.ppf(rng.random(size))

    @property
    def bounds(self) -> tuple[float, float]:
        """The smallest and largest value a draw can take (may be infinite)."""
        if isinstance(self.root, Named):
            return self.root.bounds
        value = float(self.root)
        return (value, value)

    def median(self) -> float:
        return float(self.ppf(0.5))

    @property
    def mean(self) -> float:
        """The expected value (the number itself when fixed)."""
        return point_value(self.root)

    def describe(self) -> str:
        """A short human-readable form, e.g. ``lognormal(median=617000, sigma=0.1)``."""
        return describe(self.root)


def describe(number: float | Named) -> str:
    """A short human-readable form of a number or distribution, e.g. ``uniform(low=1, high=3)``."""
    if not isinstance(number, Named):
        return f"{float(number):g}"
    fields = number.model_dump(exclude={"dist"}, exclude_none=True)
    inner = ", ".join(f"{k}={_fmt(v)}" for k, v in fields.items())
    return f"{number.dist}({inner})"


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(f"{x:g}" for x in value) + "]"
    return f"{value:g}"


def _phi(x: float) -> float:
    """The standard normal density (0 at infinity)."""
    if math.isinf(x):
        return 0.0
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def support(
    low: float, high: float, *, open_low: bool = False, open_high: bool = False
) -> Callable[[Distribution], Distribution]:
    """A validator: every draw of the distribution must lie in the given interval."""
    left = "(" if open_low else "["
    right = ")" if open_high else "]"
    interval = f"{left}{low:g}, {high:g}{right}"

    def check(value: Distribution) -> Distribution:
        lo, hi = value.bounds
        below = lo < low or (open_low and lo <= low)
        above = hi > high or (open_high and hi >= high)
        if below or above:
            where = "can take values" if not value.is_fixed else "is"
            raise ValueError(
                f"{value.describe()} {where} outside {interval}"
                + ("; truncate it with 'low'/'high' or use lognormal" if not value.is_fixed else "")
            )
        return value

    return check
