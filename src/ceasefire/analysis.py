"""One object holding an analysis of a scenario: the bargaining problem and every result, with provenance.

:func:`analyze` composes the layers: the scenario gives utilities, red lines and reservation values;
the bargaining core gives the frontier, the zone of possible agreement and the solution concepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ceasefire.bargaining import SOLUTION_CONCEPTS, BargainingProblem, Frontier, Solution, Zopa
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario, Scenario
from ceasefire.scenario import utility as su

DEFAULT_MAX_FRONTIER = 10_000


def build_problem(scenario: Scenario, reservation: dict[str, float] | None = None) -> BargainingProblem:
    """The bargaining problem of a scenario (reservation values from the scenario unless given)."""
    values = reservation if reservation is not None else su.reservation_values(scenario)
    return BargainingProblem(
        parties=tuple(p.id for p in scenario.parties),
        veto=tuple(p.has_veto for p in scenario.parties),
        issues=tuple(i.id for i in scenario.issues),
        options=tuple(su.option_labels(i) for i in scenario.issues),
        contributions=tuple(su.contributions(scenario)),
        forbidden=tuple(su.forbidden(scenario)),
        reservation=np.array([values[p.id] for p in scenario.parties], dtype=float),
    )


@dataclass(frozen=True)
class Analysis:
    """The static analysis of one scenario: who must agree, what no deal is worth, what all can accept."""

    loaded: LoadedScenario
    problem: BargainingProblem
    reservation: dict[str, float]
    status_quo: dict[str, su.OptionLabel]
    status_quo_utilities: dict[str, float]
    frontier: Frontier
    zopa: Zopa
    solutions: dict[str, Solution]
    provenance: Provenance

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    def to_dict(self, max_frontier: int = DEFAULT_MAX_FRONTIER) -> dict[str, Any]:
        """The JSON document of ``ceasefire analyze --json``."""
        scenario = self.scenario
        zopa = self.zopa.to_dict(self.problem, max_entries=max_frontier)
        frontier = self.frontier.to_dict(self.problem, max_entries=max_frontier)
        document: dict[str, Any] = {
            "provenance": self.provenance.to_dict(),
            "scenario": {
                "id": scenario.id,
                "as_of": scenario.as_of.isoformat(),
                "packages_total": self.problem.package_count(),
            },
            "parties": [
                {"id": p.id, "role": p.role, "veto": p.has_veto} for p in scenario.parties
            ],
            "reservation": self.reservation,
            "status_quo": {"package": self.status_quo, "utilities": self.status_quo_utilities},
            "zopa": zopa,
        }
        document.update(frontier)
        document["solutions"] = {
            name: solution.to_dict(self.problem) for name, solution in self.solutions.items()
        }
        return document


def analyze(loaded: LoadedScenario) -> Analysis:
    """Analyse a loaded scenario with its fixed reservation values."""
    scenario = loaded.scenario
    reservation = su.reservation_values(scenario)
    problem = build_problem(scenario, reservation)
    status_quo = su.status_quo_package(scenario)
    return Analysis(
        loaded=loaded,
        problem=problem,
        reservation=reservation,
        status_quo=status_quo,
        status_quo_utilities=su.utilities_of(scenario, status_quo),
        frontier=problem.frontier(),
        zopa=problem.zopa(),
        solutions={name: problem.solve(name) for name in SOLUTION_CONCEPTS},
        provenance=Provenance(scenario_sha256=loaded.sha256),
    )
