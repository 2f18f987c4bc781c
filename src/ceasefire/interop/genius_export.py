"""Write a scenario as a Genius domain: one domain file and one profile per veto party.

Genius [Genius2014] divides each evaluation by the issue's largest, so a profile can only say what a
party's best option on an issue is worth through the issue's weight: where that best option is worth
``m < 100`` points, the Genius weight is ``w * m / 100`` and every package keeps its utility exactly
(Genius's 0..1 scale is ceasefire's divided by 100). Such weights sum to less than 1, which Genius
accepts; re-importing them into ceasefire divides them by their sum (see the import's rules).
Scenarios imported from Genius have ``m = 100`` on every weighted issue, so they make the round trip
unchanged.

What Genius has no word for is reported, not silently dropped: red lines, parties without a veto,
the status quo, ``no_deal`` (written as the reservation value it implies), and numeric issues (written
as discrete issues whose values are the grid).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ceasefire.files import write_text
from ceasefire.scenario import utility as su
from ceasefire.scenario.distributions import is_uncertain, point_value
from ceasefire.scenario.model import Issue, Preferences, Scenario

_DISCOUNT_NOTE = re.compile(r"Genius discount factor (\S+?) \(")
"""How an imported party's description records its discount factor (see the importer)."""

_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}


def quoteattr(text: str) -> str:
    """``text`` as a double-quoted XML attribute value (whitespace kept through parsing)."""
    return '"' + "".join(_ENTITIES.get(ch, ch) for ch in text) + '"'


@dataclass(frozen=True)
class GeniusExport:
    """The files of a Genius domain (name -> XML text) and what the export could not carry over."""

    files: Mapping[str, str]
    warnings: tuple[str, ...]


def number_text(value: float) -> str:
    """A float as text that Java's ``Double.valueOf`` and Python read back exactly."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _value_names(issue: Issue) -> list[str]:
    """Genius value strings: option labels (ids where there is none), or the numeric grid."""
    labels = su.option_labels(issue)
    if issue.kind == "categorical":
        names = [o.id if o.label is None else o.label for o in issue.option_list]
    else:
        names = [number_text(float(x)) for x in labels]
    return names if len(set(names)) == len(names) else [str(x) for x in labels]


def _issue_xml(
    index: int, issue: Issue, names: Sequence[str], evaluations: Sequence[float] | None, pad: str
) -> str:
    items = []
    for j, name in enumerate(names, start=1):
        evaluation = (
            "" if evaluations is None else f' evaluation="{number_text(evaluations[j - 1])}"'
        )
        items.append(f'{pad}  <item index="{j}" value={quoteattr(name)}{evaluation}/>\n')
    return (
        f'{pad}<issue index="{index}" etype="discrete" type="discrete" vtype="discrete" '
        f"name={quoteattr(issue.name)}>\n" + "".join(items) + f"{pad}</issue>\n"
    )


def _objective(name: str, body: str, pad: str) -> str:
    return (
        f'{pad}<objective index="0" etype="objective" type="objective" description="" '
        f"name={quoteattr(name)}>\n{body}{pad}</objective>\n"
    )


def genius_files(scenario: Scenario) -> GeniusExport:
    """The Genius files of ``scenario``: a domain file and one profile per veto party.

    Profiles are named after the party ids (``<party>.xml``) and the domain file names each party's
    profile in an ``<agent>`` element, so that importing the files gives back the same party ids and
    names. Raises ``ValueError`` if no party has a veto.
    """
    warnings: list[str] = []
    names = {issue.id: _value_names(issue) for issue in scenario.issues}
    for issue in scenario.issues:
        if issue.kind == "numeric":
            warnings.append(
                f"numeric issue '{issue.id}' is written as a discrete issue of its grid"
            )
    domain_file = f"{scenario.id}-domain.xml"
    veto = [p for p in scenario.parties if p.has_veto]
    if not veto:
        raise ValueError("the scenario has no party with a veto to export")
    for party in scenario.parties:
        if not party.has_veto:
            warnings.append(f"party '{party.id}' has no veto and is not exported")
    profile_files = {
        p.id: f"{p.id}.xml" if f"{p.id}.xml" != domain_file else f"{p.id}-profile.xml" for p in veto
    }

    reservation = su.reservation_values(scenario)
    files: dict[str, str] = {}
    for party in veto:
        files[profile_files[party.id]] = _profile(scenario, party.id, names, reservation, warnings)

    agents = "".join(
        f"  <agent name={quoteattr(p.name)} utility_space={quoteattr(profile_files[p.id])}/>\n"
        for p in veto
    )
    issues = "".join(
        _issue_xml(k, issue, names[issue.id], None, " " * 6)
        for k, issue in enumerate(scenario.issues, start=1)
    )
    domain = (
        _HEADER
        + "<negotiation_template>\n"
        + agents
        + f'  <utility_space number_of_issues="{len(scenario.issues)}">\n'
        + _objective(scenario.id, issues, " " * 4)
        + "  </utility_space>\n</negotiation_template>\n"
    )
    warnings.append(
        "the status quo is not exported: Genius's disagreement outcome is the reservation value"
    )
    warnings.extend(dropped_sections(scenario))
    return GeniusExport(files={domain_file: domain, **files}, warnings=tuple(warnings))


DROPPED = {
    "war": "the war model (war:) is not exported: Genius has no war, so each profile's "
    "reservation value is the scenario's own reservation or no_deal value, not the war's "
    "value of fighting on, and nothing changes month by month",
    "side_payments": "side payments are not exported: Genius has no mediator's offers",
    "beliefs": "the parties' own beliefs (beliefs:) are not exported",
    "learning": "learning while fighting (learning:) is not exported",
    "private": "private information (private:) is not exported",
    "commitment": "whether deals hold (commitment:) is not exported: Genius deals are enforced",
}
"""What a Genius domain cannot hold, by scenario section."""


def dropped_sections(scenario: Scenario) -> list[str]:
    """A warning for each section of ``scenario`` that a Genius domain leaves out."""
    return [message for name, message in DROPPED.items() if getattr(scenario, name, None)]


def _profile(
    scenario: Scenario,
    party_id: str,
    names: Mapping[str, Sequence[str]],
    reservation: Mapping[str, float],
    warnings: list[str],
) -> str:
    party = scenario.party(party_id)
    prefs = scenario.preferences[party_id]
    if prefs.red_lines:
        warnings.append(
            f"red lines of '{party_id}' ({', '.join(prefs.red_lines)}) are not exported: "
            "Genius has no red lines"
        )
    if prefs.no_deal is not None:
        warnings.append(
            f"'{party_id}': no_deal is written as the reservation value it implies, "
            f"{reservation[party_id]:.6g} (U(status quo) - cost)"
        )
    uncertain = _uncertain_inputs(prefs)
    if uncertain:
        warnings.append(
            f"'{party_id}': uncertain inputs ({', '.join(uncertain)}) are written at their point "
            "values (means): Genius has no distributions"
        )
    issues = []
    weights = []
    for k, issue in enumerate(scenario.issues, start=1):
        values = [float(v) for v in su.issue_values(prefs, issue, su.option_labels(issue))]
        weight = Fraction(point_value(prefs.weights.get(issue.id, 0.0)))
        top = max(values)
        if top > 0:
            if top < 100 and weight > 0:
                warnings.append(
                    f"'{party_id}': the best option of '{issue.id}' is worth {top:.6g} points, so "
                    "its Genius weight is scaled by that / 100"
                )
            weight = weight * Fraction(top) / 100
        else:
            weight = Fraction(0)  # nothing to weigh; Genius would divide 0 by 0
        issues.append(_issue_xml(k, issue, names[issue.id], values, " " * 4))
        weights.append(f'    <weight index="{k}" value="{number_text(float(weight))}"/>\n')
    r = reservation[party_id]
    if math.isnan(r):
        warnings.append(
            f"'{party_id}': no fixed reservation value (a war model gives it month by month); "
            "written as 0"
        )
        r = 0.0
    elif not 0 <= r <= 100:
        warnings.append(f"'{party_id}': reservation value {r:.6g} is outside 0..100")
    tail = ""
    match = _DISCOUNT_NOTE.search(party.description or "")
    if match:
        tail += f'  <discount_factor value="{match.group(1)}"/>\n'
    tail += f'  <reservation value="{number_text(float(Fraction(r) / 100))}"/>\n'
    objective = _objective(scenario.id, "".join(issues) + "".join(weights), " " * 2)
    return _HEADER + "<utility_space>\n" + objective + tail + "</utility_space>\n"


def _uncertain_inputs(prefs: Preferences) -> list[str]:
    """Which of a party's numbers are distributions (weights, values, reservation, no-deal cost)."""
    found = [f"weight of {k}" for k, w in prefs.weights.items() if is_uncertain(w)]
    for issue_id, spec in prefs.values.items():
        numbers = spec.values() if isinstance(spec, Mapping) else [y for _, y in spec]
        if any(is_uncertain(v) for v in numbers):
            found.append(f"values of {issue_id}")
    if is_uncertain(prefs.reservation):
        found.append("reservation")
    if prefs.no_deal is not None and is_uncertain(prefs.no_deal.cost):
        found.append("no_deal cost")
    return found


def existing_files(result: GeniusExport, outdir: str | Path) -> list[Path]:
    """The files of ``result`` that are already in ``outdir`` (an export would replace them)."""
    directory = Path(outdir)
    return [directory / name for name in result.files if (directory / name).exists()]


def export_genius(scenario: Scenario, outdir: str | Path, *, force: bool = False) -> GeniusExport:
    """Write :func:`genius_files` into ``outdir`` (created if needed), each file atomically
    (:func:`ceasefire.files.write_text`).

    Raises ``FileExistsError`` (naming every such file) if a file of the export is already in
    ``outdir``, unless ``force`` is true; then nothing is written.
    """
    result = genius_files(scenario)
    clashes = existing_files(result, outdir)
    if clashes and not force:
        raise FileExistsError("already holds " + ", ".join(path.name for path in clashes))
    directory = Path(outdir)
    directory.mkdir(parents=True, exist_ok=True)
    for file_name, text in result.files.items():
        write_text(directory / file_name, text)
    return result
