"""Digests of the war model's documents, to check that a mechanism switched off changes nothing.

``tests/war/data/golden-digests.json`` holds the digests the model gave before the war outcomes,
the option to settle later and the campaign model were added (``python -m tests.war.golden`` prints
them); the tests compare today's digests with them. The keys whose meaning changed since
(``CHANGED_SINCE`` of :mod:`tests.commitment.nesting`: the binding party, now scale-free) are left
out; the analyze digests were recomputed that way with the reference checkout's code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ceasefire.analysis import analyze
from ceasefire.jsonable import jsonable
from ceasefire.runs import run
from ceasefire.scenario import LoadedScenario, bundled_scenarios, load_scenario, parse_scenario
from tests.commitment.nesting import (
    ADDED_SINCE,
    CHANGED_SINCE,
    LATER_SECTIONS,
    without_commitment,
    without_sections,
)

DATA = Path(__file__).parent / "data"
SAMPLES = 600
SEED = 3
MONTHS = 18


def digest(document: dict[str, Any]) -> str:
    """sha256 of a document without its provenance (which names the scenario file's hash)."""
    body = {k: v for k, v in document.items() if k not in {"provenance", "scenario"} | ADDED_SINCE}
    for key, inner in CHANGED_SINCE.items():
        if isinstance(body.get(key), dict):
            body[key] = {k: v for k, v in body[key].items() if k not in inner}
    text = json.dumps(jsonable(body), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def without_new_sections(text: str) -> str:
    """The bundled scenario as it was: the war section without the blocks added since.

    (Sections added at the top level since, such as ``commitment:``, are removed by their own
    layer's helper in :func:`cases`.)
    """
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    skipping = False
    for line in lines:
        if (
            line.startswith("  ")
            and not line.startswith("   ")
            and line.strip().split(":")[0]
            in {
                "campaign",
                "outcomes",
                "settle_later",
            }
        ):
            skipping = True
            continue
        if skipping and (line.startswith("    ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def without_beliefs(text: str) -> str:
    """The scenario without the sections added after the reference (``beliefs:``, ``learning:``,
    ``private:`` and later; docs/explanation/beliefs.md)."""
    return without_sections(text, LATER_SECTIONS)


def cases() -> dict[str, LoadedScenario]:
    bundled = bundled_scenarios()["russia-ukraine-2023-12"]
    return {
        "border-war": load_scenario(DATA / "border-war.yaml"),
        "russia-ukraine-2023-12": parse_scenario(
            without_beliefs(
                without_commitment(without_new_sections(bundled.read_text(encoding="utf-8")))
            ),
            name=str(bundled),
        ),
    }


def digests() -> dict[str, str]:
    out = {}
    for name, loaded in cases().items():
        out[f"war/{name}"] = digest(
            run("war", loaded, samples=SAMPLES, months=MONTHS, seed=SEED).document
        )
        result = analyze(loaded, samples=SAMPLES, seed=SEED, horizon=6)
        out[f"analyze/{name}"] = digest(result.to_dict(max_frontier=50))
    return out


if __name__ == "__main__":
    print(json.dumps(digests(), indent=2))
