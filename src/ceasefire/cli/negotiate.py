"""``ceasefire negotiate`` and ``ceasefire tournament``: simulated talks between strategies."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.padding import Padding
from rich.table import Column as RichColumn
from rich.table import Table as RichTable
from rich.text import Text

from ceasefire.cli.common import (
    SCENARIO_HELP,
    CsvDir,
    SetValues,
    XlsxFile,
    console,
    emit,
    fail,
    load_or_exit,
    located_problem,
    progress_bar,
)
from ceasefire.defaults import ROUNDS, SEED, STRATEGY
from ceasefire.runs import REVISION, TOURNAMENT_RUNS, TOURNAMENT_STRATEGIES
from ceasefire.scenario.labels import Labels, counted, number

if TYPE_CHECKING:
    from ceasefire.scenario import LoadedScenario

DEFAULT_STRATEGIES = ",".join(TOURNAMENT_STRATEGIES)


class ProtocolName(StrEnum):
    alternating = "alternating"
    single_text = "single-text"


def _parse_assignments(values: list[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for value in values:
        party, sep, name = value.partition("=")
        if not sep or not party.strip() or not name.strip():
            raise typer.BadParameter(f"{value!r}: write PARTY=NAME", param_hint="'--strategy'")
        chosen[party.strip()] = name.strip()
    return chosen


def _strategy_or_usage_error(spec: str, hint: str) -> Any:
    from ceasefire.negotiation import make_strategy

    try:
        return make_strategy(spec)
    except (KeyError, ValueError) as error:
        message = error.args[0] if error.args else str(error)
        raise typer.BadParameter(str(message), param_hint=hint) from None


def negotiate(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    strategy: Annotated[
        list[str] | None,
        typer.Option(
            "--strategy",
            "-s",
            help="PARTY=NAME, repeatable: the strategy of one party, e.g. russia=hardliner or "
            "ukraine='boulware(beta=0.1)'. Others play --default.",
        ),
    ] = None,
    default: Annotated[
        str, typer.Option(help="The strategy of every party not named with --strategy.")
    ] = STRATEGY,
    protocol: Annotated[
        ProtocolName, typer.Option(help="Alternating offers, or a mediator's single text.")
    ] = ProtocolName.alternating,
    rounds: Annotated[
        int, typer.Option(min=1, max=10_000, help="Deadline in rounds (months in a war).")
    ] = ROUNDS,
    seed: Annotated[
        int, typer.Option(min=0, help="Seed of the war path and of any random strategy.")
    ] = SEED,
    revision: Annotated[
        str, typer.Option(help="The mediator's revision rule (single text).")
    ] = REVISION,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the JSON result to this file.")] = None,
    set_values: SetValues = None,
    csv: CsvDir = None,
    xlsx: XlsxFile = None,
) -> None:
    """Simulate one negotiation: the transcript, the agreement or breakdown, and who gained."""
    from ceasefire.negotiation import REVISION_RULES
    from ceasefire.negotiation.protocols import StrategyError
    from ceasefire.runs import run

    given = _parse_assignments(strategy or [])
    default = _strategy_or_usage_error(default, "'--default'").spec
    chosen = {
        party: _strategy_or_usage_error(name, "'--strategy'") for party, name in given.items()
    }
    if revision not in REVISION_RULES:
        known = ", ".join(REVISION_RULES)
        raise typer.BadParameter(
            f"unknown rule {revision!r} (known: {known})", param_hint="'--revision'"
        )
    loaded = load_or_exit(scenario, set_values)
    try:
        outcome = run(
            "negotiate",
            loaded,
            strategies=chosen,
            default=default,
            protocol=protocol.value,
            rounds=rounds,
            seed=seed,
            revision=revision,
        )
    except StrategyError as error:  # a strategy's own code failed: not a bad option value
        fail(str(error))
    except ValueError as error:
        lines = located_problem(error)
        if lines is not None:
            fail(lines)
        raise typer.BadParameter(str(error), param_hint="'--strategy'") from None
    document = outcome.document
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_transcript(loaded, document),
        kind="negotiate",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


def _fmt(value: float | None, digits: int = 1) -> str:
    return number(value, digits)


def print_transcript(loaded: LoadedScenario, document: dict[str, Any]) -> None:
    """The transcript, one block per offer that wraps at word boundaries (readable at 80
    columns), then the outcome."""
    from ceasefire.scenario import utility as su

    labels = Labels(loaded.scenario)
    status_quo = su.status_quo_package(loaded.scenario)
    veto = document["veto_parties"]
    war = document["war"]
    console.print(
        Text.assemble(
            (loaded.scenario.title, "bold"),
            f": {document['protocol']} protocol, deadline "
            f"{document['rounds']} rounds{' (one month each, fighting on)' if war else ''}",
        )
    )
    strategies = "; ".join(f"{labels.party(p)}: {s}" for p, s in document["strategies"].items())
    console.print(f"Strategies: {strategies}.")
    console.rule("Transcript", style="dim")
    console.print(
        "Each offer lists what changed from the proposer's previous offer (its first: from the "
        "status quo), then each veto party's utility of the package and, in brackets, its "
        "reservation value that round.",
        style="dim",
    )
    last_offer: dict[str, dict[str, Any]] = {}
    for turn in document["transcript"]:
        before = last_offer.get(turn["proposer"], status_quo)
        changes = [
            (issue, option)
            for issue, option in turn["package"].items()
            if option != before.get(issue)
        ]
        last_offer[turn["proposer"]] = turn["package"]
        when = f"Round {turn['round']}" + (f", month {turn['month']}" if war else "")
        proposer = "the mediator" if turn["proposer"] == "mediator" else turn["proposer"]
        console.print(Text.assemble("\n", (when, "bold"), f": {labels.party(proposer)} proposes"))
        if not changes:
            console.print(Padding("(no change)", (0, 0, 0, 4)))
        for issue, option in changes:
            line = Text.assemble((labels.issue(issue), "cyan"), f": {labels.option(issue, option)}")
            console.print(Padding(line, (0, 0, 0, 4)))
        values = ", ".join(
            f"{labels.party(p)} {_fmt(turn['utilities'][p])} ({_fmt(turn['reservation'][p])})"
            for p in veto
        )
        console.print(Padding(f"Utility (reservation): {values}", (0, 0, 0, 2)))
        verdicts: dict[str, list[str]] = {}
        for party, response in turn["responses"].items():
            if response != "proposer":
                verdicts.setdefault(response, []).append(labels.party(party))
        said = "; ".join(
            f"{r}ed by {', '.join(names)}"
            if r in ("accept", "reject")
            else f"{r}: {', '.join(names)}"
            for r, names in verdicts.items()
        )
        if said:
            console.print(Padding(f"{said[0].upper()}{said[1:]}.", (0, 0, 0, 2)), style="dim")
    agreement = document["agreement"]
    console.print()
    if agreement is None:
        console.print(
            Text.assemble(
                ("Breakdown", "red"),
                f": no package accepted by every veto party within {document['rounds']} rounds.",
            )
        )
        print_assumptions(document)
        return
    console.print(Text.assemble(("Agreement", "green"), f" in round {agreement['round']}."))
    package = RichTable(title="The agreement", title_justify="left", box=box.SIMPLE_HEAD)
    package.add_column("issue", ratio=2)
    package.add_column("status quo", ratio=2)
    package.add_column("agreed", ratio=2)
    for issue, option in agreement["package"].items():
        agreed = labels.option(issue, option)
        package.add_row(
            labels.issue(issue),
            labels.option(issue, status_quo.get(issue)),
            agreed if option == status_quo.get(issue) else Text(agreed, "bold"),
        )
    console.print(package)
    gains = RichTable(
        "party",
        RichColumn("utility", justify="right"),
        RichColumn("reservation", justify="right"),
        RichColumn("gain", justify="right"),
        title="Gains over reservation values",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    last = document["transcript"][-1]
    for party, gain in document["gains"].items():
        gains.add_row(
            labels.party(party) + (" (veto)" if party in veto else ""),
            _fmt(agreement["utilities"][party]),
            _fmt(last["reservation"][party]),
            _fmt(gain),
        )
    console.print(gains)
    if document["distance_to_nash"] is not None:
        console.print(
            f"Distance to the Nash package (veto parties' utilities): "
            f"{document['distance_to_nash']:.2f} points"
        )
    else:
        console.print("No Nash package: no zone of possible agreement at the start.")
    print_assumptions(document)


def print_assumptions(document: dict[str, Any]) -> None:
    """Under which assumptions a simulated negotiation (or a tournament of them) holds."""
    seed = document.get("provenance", {}).get("seed")
    fighting = (
        (
            "reservation values follow simulated paths of the war model, one a run,"
            if "runs" in document
            else "reservation values follow one simulated path of the war model,"
        )
        + " one month a round"
        + (f" (seed {seed})" if seed is not None else "")
        + ", each party seeing only its own"
        if document["war"]
        else "fixed reservation values, as the scenario states them (a party's discount, if "
        "any, makes waiting costly)"
    )
    console.print(
        "Holds under the stated preferences and red lines, uncertain numbers at their means, "
        "on nominal utilities (an agreed package is taken to hold); each party plays the "
        f"strategy it is given; {fighting}. A simulation of tactics, not a forecast of the talks.",
        style="dim",
        markup=False,
    )  # wrapped at the terminal's width, as the transcript is


def tournament(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    strategies: Annotated[
        str, typer.Option(help="Comma-separated strategy names to assign to the veto parties.")
    ] = DEFAULT_STRATEGIES,
    runs: Annotated[
        int, typer.Option(min=1, max=100_000, help="Runs of each assignment (war paths).")
    ] = TOURNAMENT_RUNS,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the war paths and strategies.")] = SEED,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    protocol: Annotated[ProtocolName, typer.Option(help="The negotiation protocol.")] = (
        ProtocolName.alternating
    ),
    rounds: Annotated[
        int, typer.Option(min=1, max=10_000, help="Deadline in rounds (months in a war).")
    ] = ROUNDS,
    others: Annotated[
        str, typer.Option(help="The strategy of the parties without a veto.")
    ] = STRATEGY,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the JSON result to this file.")] = None,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Do not show a progress bar.")
    ] = False,
    set_values: SetValues = None,
    csv: CsvDir = None,
    xlsx: XlsxFile = None,
) -> None:
    """Play every assignment of strategies to the veto parties; rank the strategies."""
    from ceasefire.negotiation.protocols import StrategyError
    from ceasefire.runs import run

    names = [s.strip() for s in strategies.split(",") if s.strip()]
    if not names:
        raise typer.BadParameter("name at least one strategy", param_hint="'--strategies'")
    if len(set(names)) != len(names):
        raise typer.BadParameter("a strategy is named twice", param_hint="'--strategies'")
    # A module:Class strategy keeps its import path (its spec is only its name, which the
    # tournament could not find again); registered ones are written as their spec.
    specs = [
        name if ":" in name else _strategy_or_usage_error(name, "'--strategies'").spec
        for name in names
    ]
    for name in names:
        _strategy_or_usage_error(name, "'--strategies'")
    _strategy_or_usage_error(others, "'--others'")
    loaded = load_or_exit(scenario, set_values)
    with progress_bar(not no_progress, "tournament") as update:
        try:
            outcome = run(
                "tournament",
                loaded,
                strategies=specs,
                runs=runs,
                seed=seed,
                workers=workers,
                protocol=protocol.value,
                rounds=rounds,
                others=others,
                progress=update,
            )
        except StrategyError as error:  # a strategy's own code failed
            fail(str(error))
        except ValueError as error:  # too many assignments
            fail(str(error), code=2)
    document = outcome.document
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_ranking(loaded, document),
        kind="tournament",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


def _interval(ci: list[float] | None, digits: int = 2, percent: bool = False) -> str:
    if ci is None:
        return ""
    low, high = ci
    if percent:
        return f" ({low * 100:.0f}–{high * 100:.0f}%)"
    return f" ({number(low, digits)}–{number(high, digits)})"


def print_ranking(loaded: LoadedScenario, document: dict[str, Any]) -> None:
    """The ranked strategies with 95% confidence intervals, then the best assignments."""
    labels = Labels(loaded.scenario)
    veto = document["veto_parties"]
    n_assignments = len(document["assignments"])
    console.print(
        Text.assemble(
            (loaded.scenario.title, "bold"),
            f": {n_assignments:,} assignments of "
            f"{len(document['strategies'])} strategies to {len(veto)} veto parties "
            f"({', '.join(labels.party(p) for p in veto)}), {counted(document['runs'], 'run')} each, "
            f"{document['protocol']} protocol, deadline {document['rounds']} rounds"
            f"{', fighting on' if document['war'] else ''}; "
            f"parties without a veto play {document['others']}.",
        )
    )
    ranking = RichTable(
        RichColumn("rank", justify="right"),
        RichColumn("strategy", no_wrap=True),
        RichColumn("mean gain (95% CI)", justify="right", no_wrap=True),
        RichColumn("agreed (95% CI)", justify="right", no_wrap=True),
        RichColumn("rounds", justify="right"),
        RichColumn("to Nash", justify="right"),
        title="Strategies ranked by the mean gain of the veto parties that played them",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for row in document["ranking"]:
        ranking.add_row(
            str(row["rank"]),
            row["strategy"],
            _fmt(row["mean_gain"], 2) + _interval(row.get("mean_gain_ci")),
            f"{row['agreement_rate']:.0%}" + _interval(row.get("agreement_rate_ci"), percent=True),
            _fmt(row["mean_rounds"]),
            _fmt(row["mean_distance_to_nash"], 2),
        )
    console.print(ranking)
    console.print(
        "Gain: utility over the reservation value (0 on breakdown). Intervals: 95%, from a "
        "bootstrap that resamples whole runs (the negotiations of a run share its war path), "
        "so overlapping intervals mean the ranking may be noise; none with one run. Rounds: mean rounds to an agreement. To Nash: mean distance of the agreed package "
        "from the Nash package.",
        style="dim",
    )
    rows = document["assignments"]
    shown = sorted(
        rows, key=lambda r: (-r["agreement_rate"], -sum(v or 0 for v in r["mean_gains"].values()))
    )
    limit = 10
    table = RichTable(
        title=f"Assignments, most agreements first (top {min(limit, len(rows))} of {len(rows)})",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("strategies", overflow="fold")
    table.add_column("agreed", justify="right")
    table.add_column("mean rounds", justify="right")
    table.add_column("mean gains", overflow="fold")
    table.add_column("to Nash", justify="right")
    for row in shown[:limit]:
        table.add_row(
            "\n".join(f"{labels.party(p)}: {row['assignment'][p]}" for p in veto),
            f"{row['agreement_rate']:.0%}",
            _fmt(row["mean_rounds"]),
            "\n".join(f"{labels.party(p)}: {_fmt(row['mean_gains'][p], 2)}" for p in veto),
            _fmt(row["mean_distance_to_nash"], 2),
        )
    console.print(table)
    print_assumptions(document)
