"""The table "How to vary it" of docs/explanation/russia-ukraine-scenario.md, computed.

Each variant edits the scenario file as its row says, for the previous version of the file
(tests/data/scenarios/russia-ukraine-2023-12-v1.yaml) and the current one, and is analysed with
the fixed ``no_deal`` costs and deals enforced: the ``war:``, ``commitment:`` and belief sections
are left out, so every row takes well under a second. Printed by
``.venv/bin/python -m tests.docs.flagship_variants``; tests/docs/test_flagship_variants.py checks
that the page shows exactly this table.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.scenario import LoadedScenario, bundled_scenarios, parse_scenario
from ceasefire.scenario import utility as su
from ceasefire.scenario.labels import plain

PREVIOUS = Path(__file__).parents[1] / "data" / "scenarios" / "russia-ukraine-2023-12-v1.yaml"
LATER = ("war", "commitment", "beliefs", "learning", "private", "record", "events")

Edit = Callable[[Any], None]


def _costs(value: float, parties: tuple[str, ...] | None = None) -> Edit:
    """Set the ``no_deal.cost`` of ``parties`` (default: every party) to ``value``."""

    def edit(data: Any) -> None:
        for party, prefs in data["preferences"].items():
            no_deal = prefs.get("no_deal")
            if no_deal is not None and "cost" in no_deal and (parties is None or party in parties):
                no_deal["cost"] = value

    return edit


def _red_line(party: str, issue: str, value: Any) -> Edit:
    def edit(data: Any) -> None:
        data["preferences"][party].setdefault("red_lines", {})[issue] = value

    return edit


def _add_to_red_line(party: str, issue: str, options: list[str]) -> Edit:
    def edit(data: Any) -> None:
        lines = data["preferences"][party].setdefault("red_lines", {})
        lines[issue] = sorted(set(lines.get(issue, [])) | set(options))

    return edit


def _both(*edits: Edit) -> Edit:
    def edit(data: Any) -> None:
        for e in edits:
            e(data)

    return edit


def _no_veto(*parties: str) -> Edit:
    def edit(data: Any) -> None:
        for party in data["parties"]:
            if party["id"] in parties:
                party["veto"] = False

    return edit


SANCTIONS = _add_to_red_line(
    "russia", "sanctions_on_russia", ["maintained_until_withdrawal_and_compensation"]
)
REPARATIONS = _add_to_red_line(
    "russia", "assets_reparations_reconstruction", ["russia_compensates"]
)
NO_WITHDRAWAL = _red_line("russia", "line_of_control", {"below": 18})

VARIANTS: list[tuple[str, str, Edit]] = [
    ("baseline", "none", lambda data: None),
    ("no cost of war", "every `no_deal.cost` set to 0", _costs(0)),
    (
        "mutual optimism",
        "`ukraine` and `russia` costs set to −10",
        _costs(-10, ("ukraine", "russia")),
    ),
    ("Russia: no withdrawal", "Russia's `line_of_control` red line `{below: 18}`", NO_WITHDRAWAL),
    (
        "Russia: no peace under sanctions or reparations",
        "Russia's red lines add `maintained_until_withdrawal_and_compensation` and "
        "`russia_compensates`",
        _both(SANCTIONS, REPARATIONS),
    ),
    (
        "both Russian variants above",
        "both",
        _both(NO_WITHDRAWAL, SANCTIONS, REPARATIONS),
    ),
    (
        "Ukraine: not short of the 2022 line",
        "Ukraine's `line_of_control` red line `{above: 7}`",
        _red_line("ukraine", "line_of_control", {"above": 7}),
    ),
    (
        "Ukraine: no withdrawal from land it holds",
        "Ukraine's `line_of_control` red line `{above: 18}`",
        _red_line("ukraine", "line_of_control", {"above": 18}),
    ),
    (
        "belligerents only",
        "`veto: false` for both patrons",
        _no_veto("united_states", "european_union"),
    ),
]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def variant(text: str, edit: Edit) -> LoadedScenario:
    """The scenario ``text`` without its later sections, edited by ``edit``."""
    yaml = YAML(typ="safe")
    data = yaml.load(text)
    for key in LATER:
        data.pop(key, None)
    edit(data)
    out = io.StringIO()
    YAML(typ="safe").dump(data, out)
    return parse_scenario(out.getvalue(), "variant.yaml")


def answer(text: str, edit: Edit) -> tuple[int | None, Any]:
    """Pareto-optimal acceptable packages (None: no zone) and the line of the Nash package."""
    scenario = variant(text, edit).scenario
    problem = build_problem(scenario, su.reservation_values(scenario))
    zopa = problem.zopa()
    if not zopa.exists:
        return None, None
    nash = problem.solve("nash")
    assert nash.package is not None
    return int(zopa.frontier.package_total), problem.package_dict(nash.package)["line_of_control"]


def table() -> str:
    """The markdown table, one row per variant: previous version and this one side by side."""
    previous = _text(PREVIOUS)
    current = bundled_scenarios()["russia-ukraine-2023-12"].read_text(encoding="utf-8")
    lines = [
        "| variant | change in the file | previous version: packages | previous: Nash line "
        "| this version: packages | this version: Nash line |",
        "|---|---|---|---|---|---|",
    ]
    for name, change, edit in VARIANTS:
        cells = []
        for text in (previous, current):
            packages, line = answer(text, edit)
            cells += ["no zone", "—"] if packages is None else [f"{packages:,}", plain(line)]
        lines.append(f"| {name} | {change} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def closing_costs() -> str:
    """Per veto party: the cost of no deal below which the zone closes, the others as stated:
    ``c_i - M_i``, with ``M_i`` the party's margin when every other veto party gets exactly its
    value of no deal (:func:`ceasefire.mediation.reach.margins`; the exact break-even value of
    ``ceasefire explain``), in both versions."""
    from ceasefire.mediation.bargain import veto_only
    from ceasefire.mediation.reach import margins

    versions = [_text(PREVIOUS), bundled_scenarios()["russia-ukraine-2023-12"].read_text("utf-8")]
    found = []
    for text in versions:
        scenario = variant(text, lambda data: None).scenario
        problem = veto_only(build_problem(scenario, su.reservation_values(scenario)))
        by_party = dict(zip(problem.parties, margins(problem), strict=True))
        found.append(
            {
                p.id: None if by_party[p.id] is None else cost_of(scenario, p.id) - by_party[p.id]
                for p in scenario.veto_parties
            }
        )
    lines = [
        "| party | cost of no deal | the zone closes below: previous version | this version |",
        "|---|---|---|---|",
    ]
    for party in scenario.veto_parties:
        cells = ["none" if f[party.id] is None else f"{f[party.id]:.1f}" for f in found]
        stated = plain(cost_of(scenario, party.id))
        lines.append(f"| {party.name} | {stated} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cost_of(scenario: Any, party: str) -> float:
    no_deal = scenario.preferences[party].no_deal
    return float(no_deal.cost)


if __name__ == "__main__":
    print(table())
    print()
    print(closing_costs())
