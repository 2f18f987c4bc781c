"""ceasefire: which settlement packages could every party to a war accept, and when?

The public API, imported lazily so that ``import ceasefire`` stays fast:

- :func:`load` (a bundled id, a scenario file or a Genius folder) → :class:`Study`, whose methods
  ``analyze``, ``war``, ``robust``, ``sensitivity``, ``mediate``, ``negotiate``, ``tournament``,
  ``report`` and ``with_values`` run everything the command line does; :func:`scenarios` lists the
  bundled ids and titles;
- :data:`RUNS`, :func:`run`: the registry of runs behind the command line, the report and ``Study``;
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
    "load": "ceasefire.study",
    "scenarios": "ceasefire.study",
    "Study": "ceasefire.study",
    "RUNS": "ceasefire.runs",
    "run": "ceasefire.runs",
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
    "RUNS",
    "Analysis",
    "BargainingProblem",
    "Scenario",
    "ScenarioError",
    "Study",
    "__version__",
    "analyze",
    "bundled_scenarios",
    "load",
    "load_scenario",
    "parse_scenario",
    "run",
    "scenarios",
]

if TYPE_CHECKING:
    from ceasefire.analysis import Analysis, analyze
    from ceasefire.bargaining import BargainingProblem
    from ceasefire.runs import RUNS, run
    from ceasefire.scenario import (
        Scenario,
        ScenarioError,
        bundled_scenarios,
        load_scenario,
        parse_scenario,
    )
    from ceasefire.study import Study, load, scenarios


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ceasefire' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
