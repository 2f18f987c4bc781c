"""A Genius domain, exact: its issues, each profile's weights and evaluators, and their utilities."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

DEFAULT_REAL_STEPS = 11
"""Grid points of a real issue (evenly spaced, both bounds included)."""

MAX_INTEGER_VALUES = 1001
"""An integer issue with at most this many values gets all of them as its grid."""

IssueKind = Literal["discrete", "integer", "real"]
Outcome = Mapping[int, "str | Fraction | int | float"]


@dataclass(frozen=True)
class GeniusIssue:
    """An issue of the domain file: discrete values, or an integer or real range."""

    index: int
    name: str
    kind: IssueKind
    values: tuple[str, ...] = ()
    lower: Fraction | None = None
    upper: Fraction | None = None


@dataclass(frozen=True)
class LinearEvaluator:
    """Genius's linear evaluator: ``clamp(offset + slope * (x - origin), 0, 1)``.

    ``origin`` is the issue's lower bound for integer issues and 0 for real issues, as in Genius's
    ``EvaluatorInteger`` and ``EvaluatorReal``.
    """

    slope: Fraction
    offset: Fraction
    origin: Fraction = Fraction(0)

    def __call__(self, x: Fraction) -> Fraction:
        return min(Fraction(1), max(Fraction(0), self.offset + self.slope * (x - self.origin)))

    def kinks(self, low: Fraction, high: Fraction) -> list[Fraction]:
        """Where the clamped line bends, strictly between ``low`` and ``high``."""
        if self.slope == 0:
            return []
        points = (self.origin + (level - self.offset) / self.slope for level in (0, 1))
        return sorted(x for x in points if low < x < high)


@dataclass(frozen=True)
class GeniusProfile:
    """One party's utility space, as written in its file (weights not renormalised)."""

    file: str
    party: str
    name: str
    weights: Mapping[int, Fraction]
    evaluations: Mapping[int, Mapping[str, Fraction]]
    evaluators: Mapping[int, LinearEvaluator]
    reservation: Fraction | None
    discount: Fraction | None
    sha256: str

    @property
    def weight_sum(self) -> Fraction:
        return sum(self.weights.values(), Fraction(0))

    def value(self, issue: GeniusIssue, x: str | Fraction | int | float) -> Fraction:
        """The Genius utility (0..1) of value ``x`` of ``issue`` for this party."""
        if issue.kind == "discrete":
            table = self.evaluations.get(issue.index, {})
            top = max(table.values(), default=Fraction(0))
            return table[str(x)] / top if top else Fraction(0)
        evaluator = self.evaluators.get(issue.index)
        return evaluator(Fraction(x)) if evaluator is not None else Fraction(0)


@dataclass(frozen=True)
class GeniusDomain:
    """A Genius domain folder: the issues, one profile per party, and what the import noticed."""

    name: str
    domain_file: str
    domain_sha256: str
    issues: tuple[GeniusIssue, ...]
    profiles: tuple[GeniusProfile, ...]
    agent_names: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def utility(self, profile: int | GeniusProfile, outcome: Outcome) -> Fraction:
        """Genius's utility (weights as given, 0..1 scale) of ``outcome`` (issue index -> value)."""
        prof = self.profiles[profile] if isinstance(profile, int) else profile
        return sum(
            (
                prof.weights.get(issue.index, Fraction(0)) * prof.value(issue, outcome[issue.index])
                for issue in self.issues
            ),
            Fraction(0),
        )

    def package_count(self, real_steps: int = DEFAULT_REAL_STEPS) -> int:
        return math.prod(
            len(issue.values) if issue.kind == "discrete" else len(issue_grid(issue, real_steps))
            for issue in self.issues
        )


def issue_grid(issue: GeniusIssue, real_steps: int) -> list[Fraction]:
    """The values a package may take on a numeric issue (exact)."""
    if issue.lower is None or issue.upper is None:
        raise ValueError(f"issue '{issue.name}' is discrete and has no grid")
    low, high = issue.lower, issue.upper
    if issue.kind == "integer" and high - low + 1 <= MAX_INTEGER_VALUES:
        return [Fraction(x) for x in range(int(low), int(high) + 1)]
    steps = max(2, real_steps)
    points = [low + (high - low) * i / (steps - 1) for i in range(steps)]
    if issue.kind == "integer":
        points = sorted({Fraction(round(x)) for x in points})
    return points
