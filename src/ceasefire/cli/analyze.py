"""``ceasefire analyze``: which packages every party that must agree prefers to no deal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.padding import Padding
from rich.table import Column, Table
from rich.text import Text

from ceasefire.cli.common import (
    SCENARIO_HELP,
    CsvDir,
    Scheduler,
    SetValues,
    WarSamples,
    WarSeed,
    Workers,
    XlsxFile,
    console,
    emit,
    executor_from_options,
    fail,
    load_or_exit,
    scenario_heading,
)
from ceasefire.defaults import MAX_FRONTIER
from ceasefire.scenario.labels import Labels, counted, number, plain

if TYPE_CHECKING:
    from ceasefire.analysis import Analysis


def analyze(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the JSON result to this file.")] = None,
    max_frontier: Annotated[
        int, typer.Option(min=0, help="At most this many entries in each frontier list.")
    ] = MAX_FRONTIER,
    samples: WarSamples = None,
    seed: WarSeed = None,
    horizon: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=240,
            help="War model: months over which fighting on is judged and ripeness is scanned "
            "(default: the scenario's war.horizon_months).",
        ),
    ] = None,
    worlds: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=1_000_000,
            help="Beliefs: true worlds (default: the samples, at most 1,024).",
        ),
    ] = None,
    particles: Annotated[
        int | None,
        typer.Option(
            min=1, max=100_000, help="Beliefs: particles per party and world (default 200)."
        ),
    ] = None,
    workers: Workers = 1,
    scheduler: Scheduler = None,
    set_values: SetValues = None,
    csv: CsvDir = None,
    xlsx: XlsxFile = None,
) -> None:
    """Find the zone of possible agreement and the package each solution concept picks."""
    from ceasefire.runs import run
    from ceasefire.scenario import ScenarioError

    loaded = load_or_exit(scenario, set_values)
    # The terminal summary lists no frontier: skip it unless a file or the tables show it.
    full = json_output or out is not None or csv is not None or xlsx is not None
    with executor_from_options(workers, scheduler) as executor:
        try:
            outcome = run(
                "analyze",
                loaded,
                executor=executor,
                samples=samples,
                seed=seed,
                horizon=horizon,
                worlds=worlds,
                particles=particles,
                max_frontier=max_frontier if full else 0,
                whole_frontier=full,
            )
        except ScenarioError as error:  # what only the analysis finds (values of no deal)
            fail([str(p) for p in error.problems])
    document = outcome.document
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: _show(outcome.result, document),
        kind="analyze",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


def _show(result: Analysis, document: dict[str, Any]) -> None:
    from ceasefire.cli.war import print_ripeness

    labels = Labels(result.scenario)
    print_summary(result, document)
    print_durability(document, labels)
    print_ripeness(document, labels)
    print_events(document)
    print_beliefs(document, labels)
    print_assumptions(document)


def print_events(document: dict[str, Any]) -> None:
    """The scenario's dated changes that the month-by-month results use (when it has some)."""
    for event in document.get("events", []):
        console.print(
            f"From month {event['month']} ({event['date']}), {event['id']}: "
            f"{', '.join(event['changes'])} [{', '.join(event['sources'])}]",
            markup=False,
            highlight=False,
        )


def print_beliefs(document: dict[str, Any], labels: Labels | None = None) -> None:
    """Month by month, what the parties' own beliefs give (when the scenario states them): the
    chances first, then what each side expects of the front, in two tables that fit 80 columns."""
    beliefs = document.get("beliefs")
    if beliefs is None:
        return
    labels = labels or Labels(None)
    sides = list(beliefs["hurting_stalemate"])
    chances = Table(
        "month",
        Column("P(zone of agreement), own beliefs", justify="right"),
        Column("P(agreement), best offer", justify="right"),
        Column("belief gap", justify="right"),
        title=f"Under the parties' own beliefs ({beliefs['worlds']:,} worlds, "
        f"{beliefs['particles']:,} particles)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    expectations = Table(
        "month",
        *[
            Column(f"{labels.party(p)}: expected line", justify="right")
            for p in beliefs["expected_line"]
        ],
        *[Column(f"{labels.party(p)}: hurting stalemate", justify="right") for p in sides],
        title="What each side expects of the front, and whether it feels a hurting stalemate",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for t in beliefs["month_index"]:
        chances.add_row(
            str(t),
            f"{beliefs['p_zopa_own_beliefs'][t]:.0%}",
            f"{beliefs['p_agreement_best_offer'][t]:.0%}",
            number(beliefs["belief_gap"][t], 2),
        )
        expectations.add_row(
            str(t),
            *[number(line[t], 2) for line in beliefs["expected_line"].values()],
            *[f"{beliefs['hurting_stalemate'][p][t]:.0%}" for p in sides],
        )
    console.print(chances)
    console.print(expectations)
    console.print(
        f"Expected line: the side's expectation, that month, of {_front(labels)} "
        f"{beliefs['line_months']} months ahead; belief gap: how far apart the two sides' "
        "expectations are; hurting stalemate: the share of worlds in which the side perceives one.",
        style="dim",
    )
    month = beliefs["first_converged_month"]
    console.print(
        "The sides' expected lines "
        + (
            f"come within {beliefs['converged_gap']:g} of each other in month {month}."
            if month is not None
            else f"stay more than {beliefs['converged_gap']:g} apart throughout."
        )
    )


def _front(labels: Labels) -> str:
    """The issue the war model's front moves, by name and unit ('the front line' without one)."""
    scenario = labels.scenario
    if scenario is None or scenario.war is None:
        return "the front line"
    issue = scenario.war.front.issue
    unit = labels.unit(issue)
    return f"{labels.issue(issue)}" + (f" (in {unit})" if unit else "")


def print_summary(result: Analysis, document: dict[str, Any]) -> None:
    """A readable terminal summary of an analysis (drawn from its JSON document)."""
    labels = Labels(result.scenario)
    scenario = document["scenario"]
    genius = _from_genius(result)
    console.print(
        Text.assemble(
            scenario_heading(
                labels,
                scenario["id"],
                "a Genius domain: no date" if genius else f"as of {scenario['as_of']}",
            ),
            f": {scenario['packages_total']:,} possible packages",
        )
    )
    if genius:
        console.print(
            "The status quo of a Genius domain is each issue's first value (Genius has none): "
            "read the changes below as changes from that package.",
            style="dim",
        )
    veto = [p["id"] for p in document["parties"] if p["veto"]]
    status_quo = document["status_quo"]
    reservation = document["reservation"]

    parties = Table(
        Column("party", overflow="fold"),
        "role",
        "must agree",
        Column("utility of the status quo", justify="right"),
        Column("value of no deal", justify="right"),
        title="Parties (utilities on each party's 0–100 scale)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for party in document["parties"]:
        pid = party["id"]
        parties.add_row(
            labels.party(pid),
            party["role"],
            "yes" if party["veto"] else "no",
            number(status_quo["utilities"][pid]),
            number(reservation.get(pid)),
        )
    console.print(parties)

    zopa = document["zopa"]
    if zopa["exists"]:
        count = result.zopa.frontier.package_total
        console.print(
            Text.assemble(
                ("A zone of possible agreement exists", "green"),
                f": {counted(count, 'Pareto-optimal package')} that every party with a veto prefers "
                "to no deal.",
            )
        )
    else:
        console.print(
            Text.assemble(
                ("No zone of possible agreement", "red"),
                ": no package gives every party with a veto at least its reservation value "
                "without crossing a red line.",
            )
        )
        print_closed_by(document, labels)
        return

    solutions = document["solutions"]
    kind = "Effective utility" if "commitment" in document else "Utility"
    # At 80 columns a long party name wraps onto a second line rather than a concept's name
    # ("Kalai–Smorodin/sky") or a number being broken.
    table = Table(
        Column("party", overflow="fold", ratio=1),
        *[
            Column(CONCEPTS.get(c, c), justify="right", no_wrap=True, min_width=12)
            for c in solutions
        ],
        title=f"{kind} of each chosen package (gain over the value of no deal)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for pid in veto:
        cells = []
        for solution in solutions.values():
            utility = solution["utilities"][pid]
            cells.append(f"{number(utility)} ({utility - reservation[pid]:+.1f})")
        table.add_row(labels.party(pid), *cells)
    tied = any(s["ties"] for s in solutions.values())
    if tied:
        table.add_row(
            *[Text(str(cell), "dim") for cell in ["ties", *(s["ties"] for s in solutions.values())]]
        )
        table.caption = (
            "ties: other acceptable Pareto-optimal packages that the concept rates as highly"
        )
        table.caption_justify = "left"
    console.print(table)
    _print_changes(result, document, veto, labels)


def _from_genius(result: Analysis) -> bool:
    """Whether the scenario is a Genius domain as read or imported (its date is a placeholder and
    its status quo each issue's first value, see :mod:`ceasefire.interop.genius`)."""
    from ceasefire.interop.genius.conversion import AS_OF

    scenario = result.scenario
    return scenario.as_of == AS_OF and scenario.title.endswith("(Genius domain)")


def print_assumptions(document: dict[str, Any]) -> None:
    """Under which assumptions the headline holds (``ceasefire explain`` says more)."""
    assumptions = document.get("assumptions")
    if assumptions:
        console.print(Text(assumptions["holds_under"], style="dim"), soft_wrap=True)


def print_closed_by(document: dict[str, Any], labels: Labels | None = None) -> None:
    """Why there is no zone: which red line or value of no deal of which party closes it (with
    ``labels``: by the scenario's names)."""
    closed = document.get("closed_by")
    if not closed:
        return
    labels = labels or Labels(None)
    console.print(f"Why: {with_names(closed['reason'], labels)}.", soft_wrap=True, markup=False)
    rows = closed["constraints"]
    if not rows:
        console.print(
            "No single red line or value of no deal, lifted alone, opens a zone "
            "(`ceasefire explain` ranks what binds).",
            soft_wrap=True,
        )
        return
    items = [closing_text(c, labels) for c in rows]
    console.print(
        "Lifting any one of these alone opens a zone: " + "; ".join(items) + ".",
        soft_wrap=True,
        markup=False,
    )


def with_names(text: str, labels: Labels) -> str:
    """``text`` with each quoted issue or party id (``'saddam_regime'``, as the bargaining core
    writes them) replaced by the scenario's name for it; other quoted words stay as they are."""
    import re

    def name(match: re.Match[str]) -> str:
        key = match.group(1)
        issue = labels.issue(key)
        if issue != key:
            return issue
        party = labels.party(key)
        return party if party != key else match.group(0)

    return re.sub(r"'([A-Za-z0-9_.-]+)'", name, text)


def closing_text(c: dict[str, Any], labels: Labels | None = None) -> str:
    """One constraint that closes the zone, in words (with ``labels``: the scenario's names)."""
    labels = labels or Labels(None)
    party = labels.party(c["party"])
    if c["kind"] == "red_line":
        values = c["excluded"]
        if all(isinstance(x, int | float) for x in values):  # numbers: the unit once
            unit = labels.unit(c["issue"])
            excluded = ", ".join(plain(x) for x in values) + (f" {unit}" if unit else "")
        else:
            sep = "; " if labels.scenario is not None else ", "  # labels may hold commas
            excluded = sep.join(labels.option(c["issue"], x) for x in values)
        return f"{party}'s red line on {labels.issue(c['issue'])} (excludes {excluded})"
    return f"{party}'s value of no deal ({c['value']:.1f})"


CONCEPTS = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}
"""How the solution concepts read."""


def _print_changes(
    result: Analysis, document: dict[str, Any], veto: list[str], labels: Labels
) -> None:
    """For each chosen package: the issues it changes, and what each veto party gains or gives up."""
    status_quo = document["status_quo"]["package"]
    shown: list[dict[str, Any]] = []
    for solution in document["solutions"].values():
        if solution["package"] not in shown:
            shown.append(solution["package"])
    for package in shown:
        names = [
            CONCEPTS.get(n, n) for n, s in document["solutions"].items() if s["package"] == package
        ]
        console.print(
            Text.assemble("\n", (", ".join(names), "bold"), ": changes from the status quo")
        )
        deltas = result.issue_deltas(package)
        if not deltas:
            console.print(Padding("none: the status quo itself", (0, 0, 0, 2)))
        for issue, by_party in deltas.items():
            effects = ", ".join(f"{labels.party(p)} {by_party[p]:+.1f}" for p in veto)
            line = Text.assemble(
                (labels.issue(issue), "cyan"),
                f": {labels.option(issue, status_quo[issue], unit=False)} → "
                f"{labels.option(issue, package[issue])}  ",
                (f"({effects})", "dim"),
            )
            console.print(Padding(line, (0, 0, 0, 2)))


def print_durability(document: dict[str, Any], labels: Labels | None = None) -> None:
    """With a commitment: section, how likely each chosen package is to hold, and what would
    make the first one last."""
    commitment = document.get("commitment")
    if not commitment:
        return
    labels = labels or Labels(None)
    gaps = ", ".join(
        f"{labels.party(party)} {gap:+.2f}"
        for party, gap in commitment["commitment_gap"].items()
        if gap is not None
    )
    if gaps:
        console.print(
            f"Commitment gap (expected shift in war value over the truce / width of the bargaining "
            f"range): {gaps}"
        )
    if not commitment.get("p_hold"):
        if not document["zopa"]["exists"]:
            return  # the summary has said why there is no zone
        reason = next(
            (s.get("reason") for s in document["solutions"].values() if s.get("reason")), None
        )
        if reason:
            console.print(f"Why: {reason}.")
        return
    table = Table(
        "package",
        Column("12 months", justify="right"),
        Column("36 months", justify="right"),
        Column("60 months", justify="right"),
        title="Chance the deal holds",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for name, by_month in commitment["p_hold"].items():
        table.add_row(CONCEPTS.get(name, name), *(f"{by_month[m]:.0%}" for m in ("12", "36", "60")))
    console.print(table)
    strengtheners = commitment.get("strengtheners") or []
    if strengtheners:
        concept = commitment["strengtheners_for"]
        console.print(
            Text.assemble(
                (f"What would make the {CONCEPTS.get(concept, concept)} package last", "bold"),
                " (single option changes; cost in nominal utility, negative = gain):",
            )
        )
        veto = [p["id"] for p in document["parties"] if p["veto"]]
        for item in strengtheners:
            costs = ", ".join(f"{labels.party(p)} {item['cost'][p]:+.1f}" for p in veto)
            line = Text.assemble(
                (labels.issue(item["issue"]), "cyan"),
                f" → {labels.option(item['issue'], item['option'])}: "
                f"{item['p_hold_60']:.0%} over five years  ",
                (f"({costs})", "dim"),
            )
            if item.get("crosses_red_line"):
                line.append(" (crosses a red line)", "red")
            console.print(Padding(line, (0, 0, 0, 2)))
