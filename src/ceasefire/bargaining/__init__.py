"""Exact bargaining analysis of multi-issue negotiations with additive utilities.

Works on arrays only (no scenarios, no wars): build a :class:`BargainingProblem`, then ask for its
Pareto :meth:`~BargainingProblem.frontier`, its :meth:`~BargainingProblem.zopa` and the packages
solution concepts pick (:meth:`~BargainingProblem.solve`, :data:`SOLUTION_CONCEPTS`).
"""

from ceasefire.bargaining.frontier import Frontier, FrontierEntry, pareto_frontier
from ceasefire.bargaining.problem import (
    QUANTUM,
    TOLERANCE,
    BargainingProblem,
    dequantize,
    quantize,
)
from ceasefire.bargaining.solutions import (
    CONCEPTS,
    SOLUTION_CONCEPTS,
    Solution,
    SolutionConcept,
    solve,
    solve_all,
)
from ceasefire.bargaining.zopa import Zopa, zone_of_agreement

__all__ = [
    "CONCEPTS",
    "QUANTUM",
    "SOLUTION_CONCEPTS",
    "TOLERANCE",
    "BargainingProblem",
    "Frontier",
    "FrontierEntry",
    "Solution",
    "SolutionConcept",
    "Zopa",
    "dequantize",
    "pareto_frontier",
    "quantize",
    "solve",
    "solve_all",
    "zone_of_agreement",
]
