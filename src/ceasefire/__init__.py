"""ceasefire: which settlement packages could every party to a war accept, and when?

The public API, imported lazily so that ``import ceasefire`` stays fast:

- :func:`load_scenario`, :func:`parse_scenario`, :class:`Scenario`, :class:`ScenarioError`: scenario files;
- :func:`bundled_scenarios`: the scenarios shipped with ceasefire;
- :func:`analyze`, :class:`Analysis`: the static analysis (frontier, ZOPA, solution concepts);
- :class:`BargainingProblem`: the bargaining core, for problems built from arrays.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ceasefire.provenance import ceasefire_version

__version__ = ceasefire_version()

_EXPORTS = {
    "load_scenario": "ceasefire.scenario",
    "parse_scenario": "ceasefire.scenario",
    "Scenario": "ceasefire.scenario",
    "ScenarioError": "ceasefire.scenario",
    "bundled_scenarios": "ceasefire.scenario",
    "analyze": "ceasefire.analysis",
    "Analysis": "ceasefire.analysis",
    "BargainingProblem": "ceasefire.bargaining",
}

__all__ = [
    "Analysis",
    "BargainingProblem",
    "Scenario",
    "ScenarioError",
    "__version__",
    "analyze",
    "bundled_scenarios",
    "load_scenario",
    "parse_scenario",
]

if TYPE_CHECKING:
    from ceasefire.analysis import Analysis, analyze
    from ceasefire.bargaining import BargainingProblem
    from ceasefire.scenario import (
        Scenario,
        ScenarioError,
        bundled_scenarios,
        load_scenario,
        parse_scenario,
    )


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ceasefire' has no attribute {name!r}")
