"""What a cross-reference check reports, and the checks that every section shares.

A :class:`Problem` carries the path of the offending entry in the file (the same kind of path
pydantic reports), so that the loader can turn it into ``file:line:col``. The checks of the whole
scenario are in :mod:`ceasefire.scenario.checks`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ceasefire.scenario.sources import Source, SourceEntry

if TYPE_CHECKING:
    from ceasefire.scenario.model import Scenario

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, at a path inside the file."""

    loc: Loc
    message: str
    key: bool = False  # point at the mapping key rather than its value


def duplicates(ids: Sequence[str], where: Loc, what: str) -> Iterator[Problem]:
    counts = Counter(ids)
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if counts[item] > 1 and item in seen:
            yield Problem((*where, index, "id"), f"duplicate {what} id '{item}'")
        seen.add(item)


def scenario_source_ids(scenario: Scenario, *, record: bool = False) -> set[str]:
    """Source ids a section may cite: the scenario's and the war section's records (with
    ``record``, the ``record:`` section's too: what happened after ``as_of`` is often sourced only
    there)."""
    known = {s.id for s in scenario.sources}
    if scenario.war is not None:
        known |= {s.id for s in scenario.war.source_records}
    if record and scenario.record is not None:
        known |= {s.id for s in scenario.record.source_records}
    return known


def unknown_sources(ids: Sequence[str], known: set[str], where: Loc) -> Iterator[Problem]:
    for index, source in enumerate(ids):
        if source not in known:
            yield Problem((*where, index), f"unknown source '{source}'")


def section_source_problems(
    sources: Sequence[SourceEntry], known: set[str], where: Loc
) -> Iterator[Problem]:
    """A section's ``sources`` list: ids must be ``known``; its own records must not repeat one."""
    seen: set[str] = set()
    for index, source in enumerate(sources):
        if isinstance(source, Source):
            if source.id in known or source.id in seen:
                yield Problem((*where, index, "id"), f"duplicate source id '{source.id}'")
            seen.add(source.id)
        elif source not in known | {s.id for s in sources if isinstance(s, Source)}:
            yield Problem((*where, index), f"unknown source '{source}'")
