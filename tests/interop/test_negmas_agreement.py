"""ceasefire and NegMAS on the ten public Genius domains: where they agree, and who is right where not.

Both tools load each domain. On the NegMAS side Genius's normalisation is applied by hand (NegMAS
reads raw evaluations and adds a one-value ``DUMMY_ISSUE`` of weight 1 to AMPOvsCity; both are
undone below). The referee is :mod:`tests.interop.genius_oracle`, an exact reading of the XML files
with fractions: its frontier is exact, so "right" means "equal to the exact answer".

Findings, each asserted below:

* **Frontier, reservation values.** NegMAS's ``pareto_frontier`` drops outcomes below a reserved value
  before the dominance test, so it returns the frontier of the *acceptable* outcomes: ceasefire's
  ``frontier(acceptable_only=True)``. (For the eight domains with reservation 0 this is the whole
  frontier.)
* **Frontier, floating-point noise.** NegMAS keeps a point unless another is better in no coordinate
  and worse in none, on floats. When two packages tie exactly in one party's utility but their float
  sums differ in the last bit, the dominated one survives. On anac2011-Energy this adds six
  Pareto-dominated points (each is exactly dominated by a frontier point with which it ties exactly
  in one coordinate). ceasefire's frontier equals the exact one.
* **Frontier, ties.** NegMAS lists one package per utility vector; ceasefire counts every package
  (e.g. AMPOvsCity: 192 points, 283 packages; the counts equal the exact ones).
* **Disagreement point.** NegMAS's ``nash_points``, ``kalai_points`` and ``ks_points`` measure gains
  from ``max(reserved value, worst utility in the outcome space)``, not from the reserved value. In
  Genius the disagreement utility is the reservation value (0 when none is given), and Nash's
  disagreement point is what each side gets without agreement [Nash1950], so ceasefire's answers are
  the right ones. This changes NegMAS's Nash point on anac2011-Energy, and its egalitarian and
  Kalai–Smorodinsky points on anac2011-Energy and AMPOvsCity.
* **What NegMAS calls ``kalai``.** ``kalai_points`` maximises the smallest gain: Kalai's egalitarian
  solution [Kalai1977], not Kalai–Smorodinsky (which NegMAS calls ``ks``). It is compared with
  ceasefire's ``egalitarian``.
* **Kalai–Smorodinsky on a discrete set.** NegMAS (like Genius's ``BidSpace``) picks the frontier point
  whose normalised gains differ least, with the ideal point taken over all outcomes. ceasefire
  maximises the smallest normalised gain, with the ideal point over the acceptable outcomes
  [KalaiSmorodinsky1975]: the packages it picks are exactly those that reach the Kalai–Smorodinsky
  point of the comprehensive hull (free disposal), and the ideal point of a bargaining problem is
  the best each party can get among individually rational outcomes. The public domains do not
  separate the two rules; two small domains below do.
* **Utilitarian.** Same answers everywhere.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ceasefire.bargaining import Frontier
from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.interop.genius import load_genius_folder
from tests.interop import genius_oracle as oracle
from tests.interop.conftest import DOMAINS, GENIUS_DATA, domain_xml, profile_xml, write_folder
from tests.interop.negmas_side import genius_normalised_ufuns

pytest.importorskip("negmas")
pytestmark = pytest.mark.negmas

TOL = 1e-9
CONCEPTS = ("nash", "egalitarian", "kalai_smorodinsky", "utilitarian")

NOISE_POINTS = {"anac2011-Energy": 6}
"""Pareto-dominated points NegMAS keeps because of floating-point noise, per domain."""

DIFFERENCES = {
    ("anac2011-Energy", "nash"): "NegMAS's disagreement point max(r, worst utility) = (0.095, 0)",
    ("anac2011-Energy", "egalitarian"): "NegMAS's disagreement point (0.095, 0)",
    ("anac2011-Energy", "kalai_smorodinsky"): "NegMAS's disagreement point (0.095, 0)",
    ("AMPOvsCity", "egalitarian"): "NegMAS's disagreement point (0.03656, 0.00549)",
    ("AMPOvsCity", "kalai_smorodinsky"): "NegMAS's disagreement point (0.03656, 0.00549)",
}
"""Where the two tools pick different points on the public domains, and why (ceasefire is right)."""

Point = tuple[float, ...]


# ---- running both tools ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NegmasRun:
    points: list[Point]  # the frontier, one entry per listed outcome
    packages: list[dict[str, str]]  # issue name -> value of each listed outcome
    solutions: dict[str, list[Point]]  # concept (ceasefire's name) -> NegMAS's points


def decode(issues: list[Any], index: int) -> dict[str, str]:
    """Outcome ``index`` of NegMAS's enumeration (itertools.product order) as name -> value."""
    outcome: dict[str, str] = {}
    for issue in reversed(issues):
        values = list(issue.all)
        index, position = divmod(index, len(values))
        if issue.name != "DUMMY_ISSUE":
            outcome[issue.name] = str(values[position])
    return outcome


@functools.cache
def negmas_run(name: str) -> NegmasRun:
    from negmas.preferences.ops import (
        kalai_points,
        ks_points,
        max_welfare_points,
        nash_points,
        pareto_frontier,
    )

    scenario, ufuns = genius_normalised_ufuns(GENIUS_DATA / name)
    issues = list(scenario.outcome_space.issues)
    points, indices = pareto_frontier(ufuns, issues=issues)
    frontier = [tuple(float(u) for u in p) for p in points]
    space = scenario.outcome_space

    def chosen(result: Any) -> list[Point]:
        return [tuple(float(u) for u in point) for point, _ in result]

    return NegmasRun(
        points=frontier,
        packages=[decode(issues, int(i)) for i in indices],
        solutions={
            "nash": chosen(nash_points(ufuns, frontier, outcome_space=space)),
            "egalitarian": chosen(kalai_points(ufuns, frontier, outcome_space=space)),
            "kalai_smorodinsky": chosen(ks_points(ufuns, frontier, outcome_space=space)),
            "utilitarian": chosen(max_welfare_points(ufuns, frontier, outcome_space=space)),
        },
    )


@dataclass(frozen=True)
class Exact:
    domain: oracle.OracleDomain
    frontier: dict[oracle.Point, int]  # acceptable Pareto-optimal vectors -> package counts
    reservation: oracle.Point
    negmas_disagreement: oracle.Point  # max(reservation, worst utility), per party
    best: oracle.Point  # best utility over all outcomes (NegMAS's ideal point)
    ideal: oracle.Point  # best utility over acceptable outcomes (the ideal point)

    def correct(self, concept: str) -> set[oracle.Point]:
        r = self.reservation
        if concept == "kalai_smorodinsky":
            return oracle.kalai_smorodinsky(self.frontier, r, self.ideal)
        rule = {
            "nash": oracle.nash,
            "egalitarian": oracle.egalitarian,
            "utilitarian": oracle.utilitarian,
        }
        return rule[concept](self.frontier, r)

    def negmas_convention(self, concept: str) -> set[oracle.Point]:
        d = self.negmas_disagreement
        if concept == "kalai_smorodinsky":
            return oracle.smallest_spread(self.frontier, d, self.best, self.reservation)
        if concept == "utilitarian":
            return oracle.utilitarian(self.frontier, self.reservation)
        return {"nash": oracle.nash, "egalitarian": oracle.egalitarian}[concept](self.frontier, d)


@functools.cache
def exact(name: str) -> Exact:
    domain = oracle.read_domain(GENIUS_DATA / name)
    r = tuple(p.reservation for p in domain.profiles)
    front = oracle.frontier(domain.tables())
    acceptable = {p: c for p, c in front.items() if all(a >= b for a, b in zip(p, r, strict=True))}
    worst = tuple(domain.extreme(p, min) for p in domain.profiles)
    return Exact(
        domain=domain,
        frontier=acceptable,
        reservation=r,
        negmas_disagreement=tuple(max(a, b) for a, b in zip(r, worst, strict=True)),
        best=tuple(domain.extreme(p, max) for p in domain.profiles),
        ideal=tuple(max(p[i] for p in acceptable) for i in range(len(r))),
    )


@dataclass(frozen=True)
class CeasefireRun:
    frontier: Frontier
    scale: np.ndarray  # ceasefire points * scale = Genius utilities (weights as written)
    solutions: dict[str, Point]
    ties: dict[str, int]


@functools.cache
def ceasefire_run(name: str) -> CeasefireRun:
    folder = GENIUS_DATA / name
    problem = build_problem(load_genius_folder(folder).scenario)
    # ceasefire divides weights that do not sum to 1 by their sum (Laptop: 1.0000518); undo it.
    sums = [sum(p.weights.values(), Fraction(0)) for p in exact(name).domain.profiles]
    scale = np.array([float(s) / 100 for s in sums])
    solutions = {c: problem.solve(c) for c in CONCEPTS}
    return CeasefireRun(
        frontier=problem.frontier(acceptable_only=True),
        scale=scale,
        solutions={c: tuple(float(u) for u in s.utilities * scale) for c, s in solutions.items()},  # type: ignore[operator]
        ties={c: s.ties for c, s in solutions.items()},
    )


def near(p: Point, q: Any) -> bool:
    return all(abs(a - float(b)) <= TOL for a, b in zip(p, q, strict=True))


def same_points(floats: list[Point], exact_points: set[oracle.Point] | list[oracle.Point]) -> bool:
    """Do the float points and the exact points match one to one (to 1e-9)?"""
    exact_list = list(exact_points)
    if len(floats) != len(exact_list):
        return False
    return all(any(near(p, q) for q in exact_list) for p in floats) and all(
        any(near(p, q) for p in floats) for q in exact_list
    )


# ---- the frontier ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOMAINS)
def test_ceasefire_frontier_is_the_exact_frontier(name: str) -> None:
    run = ceasefire_run(name)
    truth = exact(name)
    points = [tuple(float(u) for u in p * run.scale) for p in run.frontier.points]
    assert same_points(points, list(truth.frontier))
    counts = {}
    for point, count in zip(points, run.frontier.counts, strict=True):
        match = next(q for q in truth.frontier if near(point, q))
        counts[match] = count
    assert counts == truth.frontier  # every tied package counted, exactly


@pytest.mark.parametrize("name", DOMAINS)
def test_negmas_frontier_is_exact_up_to_noise_and_ties(name: str) -> None:
    run = negmas_run(name)
    truth = exact(name)
    domain = truth.domain
    utilities = [tuple(domain.utility(p, pkg) for p in domain.profiles) for pkg in run.packages]
    # NegMAS evaluates each listed package right (to float precision) ...
    for point, value in zip(run.points, utilities, strict=True):
        assert near(point, value)
    on_frontier = [u for u in utilities if u in truth.frontier]
    noise = [u for u in utilities if u not in truth.frontier]
    # ... finds every exact frontier point, one package each (ties collapse to one) ...
    assert sorted(on_frontier) == sorted(truth.frontier)
    # ... and keeps a few packages that are dominated, but only by a point they tie exactly with in
    # one party's utility: float sums in a different order hid the tie.
    assert len(noise) == NOISE_POINTS.get(name, 0)
    for u in noise:
        dominators = [q for q in truth.frontier if oracle.dominates(q, u)]
        assert any(any(a == b for a, b in zip(q, u, strict=True)) for q in dominators), u


def test_ties_are_counted_by_ceasefire_and_collapsed_by_negmas() -> None:
    truth = exact("AMPOvsCity")
    assert len(truth.frontier) == 192 and sum(truth.frontier.values()) == 283
    assert ceasefire_run("AMPOvsCity").frontier.package_total == 283
    assert len(negmas_run("AMPOvsCity").points) == 192


def package_count(name: str) -> int:
    return math.prod(len(v) for v in oracle.read_domain(GENIUS_DATA / name).issues.values())


@pytest.mark.parametrize("name", [d for d in DOMAINS if package_count(d) <= 4000])
def test_exact_frontier_equals_brute_force(name: str) -> None:
    """The referee's issue-by-issue frontier, checked against full enumeration where that is cheap."""
    domain = oracle.read_domain(GENIUS_DATA / name)
    assert oracle.frontier(domain.tables()) == oracle.brute_force_frontier(domain.tables())


# ---- solution concepts ----------------------------------------------------------------------------


@pytest.mark.parametrize("concept", CONCEPTS)
@pytest.mark.parametrize("name", DOMAINS)
def test_solution_concepts(name: str, concept: str) -> None:
    truth = exact(name)
    ours = ceasefire_run(name)
    theirs = negmas_run(name).solutions[concept]
    right = truth.correct(concept)
    # ceasefire picks a right point, and counts every other package that is as good.
    assert any(near(ours.solutions[concept], q) for q in right)
    assert ours.ties[concept] + 1 == sum(truth.frontier[q] for q in right)
    # NegMAS's answer is what its own conventions give (so the reason for any difference is known).
    assert same_points(theirs, truth.negmas_convention(concept))
    differ = not any(near(ours.solutions[concept], p) for p in theirs)
    assert differ == ((name, concept) in DIFFERENCES), DIFFERENCES.get((name, concept))


# ---- the two readings of Kalai–Smorodinsky ------------------------------------------------------


def one_issue_domain(tmp_path: Path, options: dict[str, tuple[str, str]], reservation: str) -> Path:
    """One issue; ``options[name] = (evaluation for party a, evaluation for party b)``."""
    issues = {"Deal": list(options)}
    return write_folder(
        tmp_path / "deal",
        {
            "domain.xml": domain_xml(issues),
            "a.xml": profile_xml(
                {"Deal": [(k, v[0]) for k, v in options.items()]}, ["1"], reservation=reservation
            ),
            "b.xml": profile_xml(
                {"Deal": [(k, v[1]) for k, v in options.items()]}, ["1"], reservation=reservation
            ),
        },
    )


def both_tools(folder: Path) -> tuple[dict[str, Point], dict[str, list[Point]]]:
    from negmas.preferences.ops import kalai_points, ks_points, pareto_frontier

    problem = build_problem(load_genius_folder(folder).scenario)
    ours = {c: tuple(float(u) / 100 for u in problem.solve(c).utilities) for c in CONCEPTS}  # type: ignore[union-attr]
    scenario, ufuns = genius_normalised_ufuns(folder)
    points, _ = pareto_frontier(ufuns, issues=scenario.outcome_space.issues)
    frontier = [tuple(float(u) for u in p) for p in points]
    space = scenario.outcome_space
    theirs = {
        "kalai": [
            tuple(map(float, p)) for p, _ in kalai_points(ufuns, frontier, outcome_space=space)
        ],
        "ks": [tuple(map(float, p)) for p, _ in ks_points(ufuns, frontier, outcome_space=space)],
    }
    return ours, theirs


def test_kalai_smorodinsky_is_not_the_smallest_spread(tmp_path: Path) -> None:
    """Frontier X (1, 0), Y (0, 1), P (0.60, 0.70), Q (0.75, 0.62); no reservation, ideal (1, 1).

    The Kalai–Smorodinsky point of the hull is (0.62, 0.62), which Q reaches and P does not
    (0.60 < 0.62): Q is the answer, and it is also the egalitarian point. NegMAS picks P, whose two
    utilities differ least (0.10 against 0.13)."""
    folder = one_issue_domain(
        tmp_path, {"X": ("100", "0"), "Y": ("0", "100"), "P": ("60", "70"), "Q": ("75", "62")}, "0"
    )
    ours, theirs = both_tools(folder)
    assert near(ours["kalai_smorodinsky"], (0.75, 0.62))
    assert near(ours["egalitarian"], (0.75, 0.62))
    assert len(theirs["ks"]) == 1 and near(theirs["ks"][0], (0.60, 0.70))


def test_negmas_kalai_is_the_egalitarian_solution_and_the_ideal_point_is_over_acceptable_outcomes(
    tmp_path: Path,
) -> None:
    """Reservation 0.5 each; X (1, 0) and Y (0, 1) are unacceptable, P (0.95, 0.56), Q (0.70, 0.60).

    Egalitarian (largest smallest gain over 0.5): Q, gains (0.20, 0.10) against (0.45, 0.06). NegMAS's
    ``kalai`` gives the same Q: it is the egalitarian solution. Kalai–Smorodinsky measures gains as
    shares of the ideal gains over the acceptable outcomes, (0.45, 0.10): P gets (1, 0.6), Q gets
    (0.44, 1), so P. NegMAS's ``ks`` takes the ideal over all outcomes, (1, 1) (including X and Y,
    which no one would accept), and picks Q."""
    folder = one_issue_domain(
        tmp_path,
        {"X": ("100", "0"), "Y": ("0", "100"), "P": ("95", "56"), "Q": ("70", "60")},
        "0.5",
    )
    ours, theirs = both_tools(folder)
    assert near(ours["egalitarian"], (0.70, 0.60))
    assert len(theirs["kalai"]) == 1 and near(theirs["kalai"][0], (0.70, 0.60))
    assert near(ours["kalai_smorodinsky"], (0.95, 0.56))
    assert len(theirs["ks"]) == 1 and near(theirs["ks"][0], (0.70, 0.60))
