"""A Genius domain as a scenario: ids from names, 0..100 value functions, the scenario's text."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from ceasefire.interop.genius.domain import (
    DEFAULT_REAL_STEPS,
    GeniusDomain,
    LinearEvaluator,
    issue_grid,
)
from ceasefire.interop.genius.ids import slug_of, unique_ids
from ceasefire.interop.genius.reading import read_genius_folder
from ceasefire.scenario.checks import check_scenario
from ceasefire.scenario.load import LoadedScenario, Located, ScenarioError, parse_scenario
from ceasefire.scenario.model import Scenario

WEIGHT_TOLERANCE = 1e-6
"""Weights whose sum is further than this from 1 are divided by their sum (the schema's rule)."""

AS_OF = dt.date(1970, 1, 1)
"""Genius files carry no date; imported scenarios use this placeholder."""


# ---- ids ---------------------------------------------------------------------------------------


def _value_points(
    evaluator: LinearEvaluator | None, low: Fraction, high: Fraction
) -> list[list[float]]:
    """Exact piecewise-linear ``[x, 0..100]`` points of a clamped linear evaluator on [low, high]."""
    if evaluator is None:
        return [[float(low), 0.0]]
    xs = [low, *evaluator.kinks(low, high), high]
    points: list[list[float]] = []
    for x in xs:
        fx = float(x)
        if points and fx <= points[-1][0]:
            continue
        points.append([fx, float(100 * evaluator(x))])
    return points


def _fmt(value: Fraction) -> str:
    """A short decimal for notes (exact values stay in the data)."""
    return f"{float(value):.10g}"


def _description(domain: GeniusDomain, parties: Sequence[str], sums: Sequence[Fraction]) -> str:
    lines = [
        f"Imported from the Genius domain folder '{domain.name}' (domain file {domain.domain_file}; "
        f"profiles {', '.join(p.file for p in domain.profiles)}). Utilities are Genius's "
        "normalised utilities times 100: a value's utility is its evaluation divided by the "
        "issue's largest evaluation in that profile.",
        "The status quo of every issue is its first value: Genius's disagreement outcome is not a "
        "package, so the status quo is not meaningful for Genius domains; each party's value of "
        "no deal is its reservation value (0 where the profile gives none). as_of is a "
        "placeholder: Genius files carry no date.",
    ]
    discounts = [
        f"{party} {float(p.discount)!r}" if p.discount is not None else f"{party} none"
        for party, p in zip(parties, domain.profiles, strict=True)
    ]
    lines.append(
        f"Genius discount factors: {'; '.join(discounts)} (read and kept; the static analysis "
        "ignores them)."
    )
    for party, total in zip(parties, sums, strict=True):
        if abs(total - 1) > WEIGHT_TOLERANCE:
            lines.append(
                f"The weights of {party} sum to {_fmt(total)} and were divided by that sum "
                f"(every utility of {party} changes by a factor {_fmt(1 / total)})."
            )
    lines.extend(f"Note: {note}" for note in domain.notes)
    return (
        "\n\n".join(textwrap.fill(line, width=96, break_on_hyphens=False) for line in lines) + "\n"
    )


def scenario_document(
    domain: GeniusDomain, *, real_steps: int = DEFAULT_REAL_STEPS
) -> dict[str, Any]:
    """The scenario (format version 1) of a Genius domain, as plain data."""
    issue_ids = unique_ids([i.name for i in domain.issues], "issue")
    option_ids = {
        issue.index: unique_ids(issue.values, "value")
        for issue in domain.issues
        if issue.kind == "discrete"
    }
    parties = [p.party for p in domain.profiles]
    sums = [p.weight_sum for p in domain.profiles]

    sources = [
        {
            "id": "genius-domain",
            "title": f"Genius domain file {domain.domain_file}",
            "note": f"sha256 {domain.domain_sha256}",
        }
    ]
    for profile in domain.profiles:
        sources.append(
            {
                "id": f"genius-{profile.party}",
                "title": f"Genius profile {profile.file}",
                "note": f"sha256 {profile.sha256}",
            }
        )

    party_entries = []
    for profile in domain.profiles:
        about = f"Genius profile {profile.file}."
        if profile.discount is not None:
            about += (
                f" Genius discount factor {float(profile.discount)!r}"
                " (kept; the static analysis ignores it)."
            )
        entry: dict[str, Any] = {"id": profile.party, "name": profile.name, "role": "belligerent"}
        entry["veto"] = True
        entry["description"] = about
        entry["sources"] = [f"genius-{profile.party}"]
        party_entries.append(entry)

    issue_entries = []
    for issue, issue_id in zip(domain.issues, issue_ids, strict=True):
        entry = {"id": issue_id, "name": issue.name}
        if issue.kind == "discrete":
            options: list[Any] = []
            for value, option_id in zip(issue.values, option_ids[issue.index], strict=True):
                options.append(
                    option_id if value == option_id else {"id": option_id, "label": value}
                )
            entry["options"] = options
            entry["status_quo"] = option_ids[issue.index][0]
        else:
            assert issue.lower is not None and issue.upper is not None
            grid = issue_grid(issue, real_steps)
            entry["kind"] = "numeric"
            entry["description"] = (
                f"Genius {issue.kind} issue on [{_fmt(issue.lower)}, {_fmt(issue.upper)}]; "
                + (
                    "the grid is every integer."
                    if issue.kind == "integer" and len(grid) == issue.upper - issue.lower + 1
                    else f"the grid is {len(grid)} evenly spaced values."
                )
            )
            entry["range"] = [float(issue.lower), float(issue.upper)]
            entry["grid"] = [float(x) for x in grid]
            entry["status_quo"] = float(issue.lower)
        entry["sources"] = ["genius-domain"]
        issue_entries.append(entry)

    preferences: dict[str, Any] = {}
    for profile, total in zip(domain.profiles, sums, strict=True):
        scale = Fraction(1) if abs(total - 1) <= WEIGHT_TOLERANCE else 1 / total
        weights = {
            issue_id: float(profile.weights.get(issue.index, Fraction(0)) * scale)
            for issue, issue_id in zip(domain.issues, issue_ids, strict=True)
        }
        values: dict[str, Any] = {}
        for issue, issue_id in zip(domain.issues, issue_ids, strict=True):
            if issue.kind == "discrete":
                values[issue_id] = {
                    option_id: float(100 * profile.value(issue, value))
                    for value, option_id in zip(issue.values, option_ids[issue.index], strict=True)
                }
            else:
                assert issue.lower is not None and issue.upper is not None
                points = _value_points(
                    profile.evaluators.get(issue.index), issue.lower, issue.upper
                )
                values[issue_id] = points
        source = [f"genius-{profile.party}"]
        basis: dict[str, Any] = {
            "weights": {
                "sources": source,
                "note": "Genius weights as given."
                if scale == 1
                else f"Genius weights divided by their sum {_fmt(total)}.",
            }
        }
        if profile.reservation is None:
            reservation = 0.0
            basis["reservation"] = {
                "assumption": "The profile gives no reservation value; Genius then uses 0."
            }
        else:
            reservation = float(100 * profile.reservation)
            basis["reservation"] = {
                "sources": source,
                "note": f"100 x Genius reservation value {_fmt(profile.reservation)}.",
            }
        preferences[profile.party] = {
            "weights": weights,
            "values": values,
            "reservation": reservation,
            "sources": source,
            "basis": basis,
        }

    document = {
        "schema_version": 1,
        "id": slug_of(domain.name) or "genius-domain",
        "title": f"{domain.name} (Genius domain)",
        "as_of": AS_OF,
        "description": _description(domain, parties, sums),
        "sources": sources,
        "parties": party_entries,
        "issues": issue_entries,
        "preferences": preferences,
    }
    return document


def genius_scenario_text(domain: GeniusDomain, *, real_steps: int = DEFAULT_REAL_STEPS) -> str:
    """The scenario (YAML text, format version 1) that ``ceasefire import-genius`` writes."""
    return _text(domain, scenario_document(domain, real_steps=real_steps))


def _text(domain: GeniusDomain, document: dict[str, Any]) -> str:
    from ceasefire.interop import yaml_emit

    comment = f"Imported by ceasefire import-genius from the Genius domain {domain.name!r}."
    return yaml_emit.dump(document, comment=comment)


def load_genius_folder(path: str | Path, *, real_steps: int = DEFAULT_REAL_STEPS) -> LoadedScenario:
    """A scenario built from a Genius domain folder; its ``text`` is what ``import-genius`` writes.

    Raises :class:`ScenarioError` (``file:line:col`` items at XML positions) for broken input.
    """
    domain = read_genius_folder(path)
    document = scenario_document(domain, real_steps=real_steps)
    text = _text(domain, document)
    try:
        # Validating the data directly is what parsing ``text`` would give (the tests check that),
        # without the YAML parser's cost on the analysis path.
        scenario = Scenario.model_validate(document)
        if not check_scenario(scenario):
            return LoadedScenario(scenario=scenario, path=str(path), text=text)
    except ValueError:
        pass
    try:  # a bug: the importer built something the schema refuses; say what, from the text
        parse_scenario(text, str(path))
    except ScenarioError as error:
        raise ScenarioError(
            [
                Located(
                    str(path), 1, 1, f"the scenario built from this folder is invalid: {p.message}"
                )
                for p in error.problems
            ]
        ) from None
    raise ScenarioError(
        [Located(str(path), 1, 1, "the scenario built from this folder is invalid")]
    )
