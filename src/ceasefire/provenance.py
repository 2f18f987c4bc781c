"""Where a result comes from: the ceasefire version, the scenario's hash, the seed, the parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ceasefire._version import __version__


def ceasefire_version() -> str:
    """The version of ceasefire (one place: ``_version.py``, which the build reads too)."""
    return __version__


@dataclass(frozen=True)
class Provenance:
    """What a reader needs to reproduce a result."""

    scenario_sha256: str
    seed: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    ceasefire_version: str = field(default_factory=ceasefire_version)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ceasefire_version": self.ceasefire_version,
            "scenario_sha256": self.scenario_sha256,
            "seed": self.seed,
        }
        if self.parameters:
            result["parameters"] = self.parameters
        return result
