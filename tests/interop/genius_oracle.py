"""An independent, slow and obviously right reading of Genius files, and exact bargaining answers.

Shares nothing with ``ceasefire.interop`` or ``ceasefire.bargaining``: files are read with
``xml.etree.ElementTree`` and every number is a :class:`fractions.Fraction`, so utilities, Pareto
dominance and the solution concepts below are exact. Genius semantics [Genius2014]: a value's
utility is its evaluation over the issue's largest evaluation in that profile (the later of two
``<item>`` entries for one value wins), a package's utility is the weighted sum with the weights as
written, the reservation value is on that 0..1 scale and 0 when absent.

The frontier is built issue by issue (a package whose partial sum is strictly dominated cannot be
Pareto-optimal), counting the packages behind each utility vector; every concept is then a plain
arg-max over the frontier points with its own definition written out.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

Point = tuple[Fraction, ...]


@dataclass(frozen=True)
class OracleProfile:
    file: str
    weights: dict[str, Fraction]  # issue name -> weight as written
    evaluations: dict[str, dict[str, Fraction]]  # issue name -> value -> raw evaluation
    reservation: Fraction

    def value(self, issue: str, value: str) -> Fraction:
        table = self.evaluations[issue]
        top = max(table.values())
        return table[value] / top if top else Fraction(0)


@dataclass(frozen=True)
class OracleDomain:
    issues: dict[str, list[str]]  # issue name -> values, in file order
    profiles: list[OracleProfile]  # sorted by file name

    def utility(self, profile: OracleProfile, package: dict[str, str]) -> Fraction:
        return sum(
            (profile.weights[i] * profile.value(i, package[i]) for i in self.issues), Fraction(0)
        )

    def tables(self) -> list[list[Point]]:
        """Per issue, each value's contribution vector ``(w_i * v_i(value))_i``."""
        return [
            [tuple(p.weights[i] * p.value(i, v) for p in self.profiles) for v in values]
            for i, values in self.issues.items()
        ]

    def extreme(
        self, profile: OracleProfile, pick: Callable[[Iterable[Fraction]], Fraction]
    ) -> Fraction:
        """The best (``max``) or worst (``min``) utility of any package for ``profile``."""
        return sum(
            (
                profile.weights[i] * pick(profile.value(i, v) for v in vs)
                for i, vs in self.issues.items()
            ),
            Fraction(0),
        )


def read_domain(folder: Path) -> OracleDomain:
    domain_issues: dict[str, list[str]] = {}
    profiles: list[OracleProfile] = []
    for path in sorted(folder.glob("*.xml")):
        root = ET.parse(path).getroot()
        if root.tag == "negotiation_template":
            for issue in root.iter("issue"):
                values: list[str] = []
                for item in issue.findall("item"):
                    if item.get("value") not in values:
                        values.append(str(item.get("value")))
                domain_issues[str(issue.get("name"))] = values
        else:
            by_index = {
                str(w.get("index")): Fraction(str(w.get("value"))) for w in root.iter("weight")
            }
            weights: dict[str, Fraction] = {}
            evaluations: dict[str, dict[str, Fraction]] = {}
            for issue in root.iter("issue"):
                name = str(issue.get("name"))
                weights[name] = by_index[str(issue.get("index"))]
                table: dict[str, Fraction] = {}
                for item in issue.findall("item"):  # direct children only; later entries win
                    table[str(item.get("value"))] = Fraction(str(item.get("evaluation")))
                evaluations[name] = table
            reservation = root.find("reservation")
            profiles.append(
                OracleProfile(
                    file=path.name,
                    weights=weights,
                    evaluations=evaluations,
                    reservation=Fraction(str(reservation.get("value")))
                    if reservation is not None
                    else Fraction(0),
                )
            )
    return OracleDomain(issues=domain_issues, profiles=profiles)


def dominates(q: Point, p: Point) -> bool:
    return all(a >= b for a, b in zip(q, p, strict=True)) and q != p


def nondominated(points: dict[Point, int]) -> dict[Point, int]:
    if points and len(next(iter(points))) == 2:
        # Sort by first coordinate descending, then second descending: a point survives iff its
        # second coordinate beats every earlier one.
        kept: dict[Point, int] = {}
        best: Fraction | None = None
        for p in sorted(points, key=lambda q: (-q[0], -q[1])):
            if best is None or p[1] > best:
                kept[p] = points[p]
                best = p[1]
        return kept
    return {p: c for p, c in points.items() if not any(dominates(q, p) for q in points)}


def frontier(tables: Sequence[Sequence[Point]]) -> dict[Point, int]:
    """Pareto-optimal utility vectors of all packages, with how many packages have each."""
    n = len(tables[0][0])
    front: dict[Point, int] = {tuple(Fraction(0) for _ in range(n)): 1}
    for table in tables:
        merged: dict[Point, int] = defaultdict(int)
        for point, count in front.items():
            for vector in table:
                merged[tuple(a + b for a, b in zip(point, vector, strict=True))] += count
        front = nondominated(merged)
    return front


def brute_force_frontier(tables: Sequence[Sequence[Point]]) -> dict[Point, int]:
    """The same by enumerating every package (small domains only)."""
    counts: dict[Point, int] = defaultdict(int)
    for combo in itertools.product(*tables):
        counts[tuple(sum(c, Fraction(0)) for c in zip(*combo, strict=True))] += 1
    return nondominated(counts)


def argmax(points: Iterable[Point], score: Callable[[Point], Fraction]) -> set[Point]:
    scored = [(score(p), p) for p in points]
    if not scored:
        return set()
    best = max(s for s, _ in scored)
    return {p for s, p in scored if s == best}


def rational(points: Iterable[Point], d: Point) -> list[Point]:
    return [p for p in points if all(a >= b for a, b in zip(p, d, strict=True))]


def nash(points: Iterable[Point], d: Point) -> set[Point]:
    """Maximise the product of gains over ``d`` among points at least ``d`` [Nash1950]."""

    def product(p: Point) -> Fraction:
        result = Fraction(1)
        for a, b in zip(p, d, strict=True):
            result *= a - b
        return result

    return argmax(rational(points, d), product)


def egalitarian(points: Iterable[Point], d: Point) -> set[Point]:
    """Maximise the smallest gain over ``d`` [Kalai1977]."""
    return argmax(rational(points, d), lambda p: min(a - b for a, b in zip(p, d, strict=True)))


def utilitarian(points: Iterable[Point], d: Point) -> set[Point]:
    """Maximise the sum of gains [Harsanyi1955]."""
    return argmax(
        rational(points, d), lambda p: sum((a - b for a, b in zip(p, d, strict=True)), Fraction(0))
    )


def kalai_smorodinsky(points: Iterable[Point], d: Point, ideal: Point) -> set[Point]:
    """Maximise the smallest gain as a share of the ideal gain [KalaiSmorodinsky1975].

    The Kalai–Smorodinsky point of the comprehensive hull of the points (free disposal) is the
    largest ``d + t (ideal - d)`` that some point weakly dominates; the points that do are exactly
    those maximising ``min_i (p_i - d_i) / (ideal_i - d_i)``.
    """
    pts = rational(points, d)
    return argmax(
        pts,
        lambda p: min((a - b) / (i - b) for a, b, i in zip(p, d, ideal, strict=True) if i != b),
    )


def smallest_spread(points: Iterable[Point], d: Point, ideal: Point, floor: Point) -> set[Point]:
    """Genius's and NegMAS's reading of Kalai–Smorodinsky: the point whose normalised gains
    ``(p_i - d_i) / (ideal_i - d_i)`` differ least (points below ``floor`` are skipped)."""
    pts = rational(points, floor)

    def spread(p: Point) -> Fraction:
        shares = [(a - b) / (i - b) for a, b, i in zip(p, d, ideal, strict=True)]
        return -(max(shares) - min(shares))

    return argmax(pts, spread)
