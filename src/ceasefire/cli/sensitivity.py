"""``ceasefire sensitivity``: which inputs move the answer most (tornado, Sobol indices)."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ceasefire.cli.common import (
    EXIT_USAGE,
    SCENARIO_HELP,
    CsvDir,
    JsonOutput,
    NoProgress,
    Out,
    Scheduler,
    Seed,
    SetValues,
    Workers,
    XlsxFile,
    console,
    emit,
    executor_from_options,
    fail,
    load_or_exit,
    progress_bar,
)
from ceasefire.defaults import SENSITIVITY_SAMPLES, SENSITIVITY_WAR_SAMPLES
from ceasefire.diagnostics.assumptions import enforced_note
from ceasefire.scenario.labels import Labels

if TYPE_CHECKING:
    pass


class MethodName(StrEnum):
    oat = "oat"
    sobol = "sobol"


class Ranges(StrEnum):
    all = "all"
    declared = "declared"


def sensitivity(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    method: Annotated[
        MethodName,
        typer.Option(help="oat: one input at a time (tornado); sobol: variance-based indices."),
    ] = MethodName.oat,
    inputs: Annotated[
        Ranges,
        typer.Option(
            help="all: every input, plain numbers over a default range; declared: only inputs "
            "given as distributions and red lines with p."
        ),
    ] = Ranges.all,
    samples: Annotated[
        int, typer.Option(min=2, max=65_536, help="Sobol base sample size N (a power of 2).")
    ] = SENSITIVITY_SAMPLES,
    war_samples: Annotated[
        int, typer.Option(min=100, max=100_000, help="War model samples per evaluation.")
    ] = SENSITIVITY_WAR_SAMPLES,
    top: Annotated[int, typer.Option(min=1, help="Inputs shown per output.")] = 10,
    seed: Seed = 0,
    workers: Workers = 1,
    scheduler: Scheduler = None,
    json_output: JsonOutput = False,
    out: Out = None,
    no_progress: NoProgress = False,
    set_values: SetValues = None,
    csv: CsvDir = None,
    xlsx: XlsxFile = None,
) -> None:
    """Which inputs move whether a ZOPA exists, the Nash package's utilities and ripeness."""
    if method == MethodName.sobol and samples & (samples - 1):
        raise typer.BadParameter("must be a power of 2", param_hint="'--samples'")
    from ceasefire.runs import run

    loaded = load_or_exit(scenario, set_values)
    with (
        executor_from_options(workers, scheduler) as executor,
        progress_bar(not no_progress, "sensitivity") as update,
    ):
        try:
            outcome = run(
                "sensitivity",
                loaded,
                method=method.value,
                declared_only=inputs == Ranges.declared,
                samples=samples,
                war_samples=war_samples,
                seed=seed,
                executor=executor,
                progress=update,
            )
        except RuntimeError as error:  # SALib missing for Sobol indices
            fail(str(error), EXIT_USAGE)
    document = outcome.document
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_sensitivity(document, top, Labels(loaded.scenario)),
        kind="sensitivity",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


def _output(name: str, labels: Labels) -> str:
    """``nash.russia`` → ``Nash package, Russian Federation``; other outputs as they are."""
    kind, _, party = name.partition(".")
    return f"Nash package, {labels.party(party)}" if kind == "nash" and party else name


def wrap_path(path: str, width: int) -> str:
    """``path`` broken into lines of at most ``width`` characters after its dots and underscores
    and before its brackets, so that no name is cut mid-word (a single name longer than ``width``
    is left for the table to fold)."""
    lines = [""]
    for piece in re.split(r"(?<=[._])|(?=\[)", path):
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(lines)


def _path_table(title: str, head: str, headers: tuple[str, ...], rows: list[list[str]]) -> Table:
    """A table of input paths (first column) and right-aligned numbers: the numbers keep their
    width, and each path gets what is left of the terminal, broken at its dots and underscores."""
    widths = [max([len(h), *(len(r[k + 1]) for r in rows)]) for k, h in enumerate(headers)]
    # SIMPLE_HEAD: one space of padding either side of each cell, one between columns and edges
    room = console.width - sum(widths) - 3 * (len(headers) + 1) - 1
    longest = max([len(head), *(len(r[0]) for r in rows)])
    width = max(min(longest, room), 12)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column(head, overflow="fold", min_width=min(width, longest))
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(wrap_path(row[0], width), *row[1:])
    return table


def print_sensitivity(
    document: dict[str, Any], top: int = 10, labels: Labels | None = None
) -> None:
    """One table per output: the inputs that move it most (war sides by party, as ``--set``
    takes them)."""
    labels = labels or Labels(None)
    base = document["base"]
    console.print(
        Text.assemble(
            (document["scenario"], "bold"),
            f": {document['method']} over {len(document['inputs'])} inputs, "
            f"{document['evaluations']:,} evaluations",
        ),
        soft_wrap=True,
    )
    note = enforced_note(labels.scenario) if labels.scenario is not None else None
    if note:
        console.print(Text(note, style="dim"), soft_wrap=True)
    if not document["inputs"]:
        console.print("No input has a range: nothing to vary (try --inputs all).")
        return
    ranges = {i["path"]: i for i in document["inputs"]}
    for output, meaning in document["outputs"].items():
        title = f"{_output(output, labels)} = {base[output]:.4g} ({meaning})"
        if document["method"] == "oat":
            rows = [r for r in document["tornado"][output] if r["swing"] > 0][:top]
            cells = []
            for row in rows:
                spec = ranges[row["input"]]
                cells.append(
                    [
                        labels.path(row["input"]),
                        f"{spec['low']:.4g}..{spec['high']:.4g}",
                        f"{row['low']:.4g}",
                        f"{row['high']:.4g}",
                        f"{row['swing']:.4g}",
                    ]
                )
            table = _path_table(title, "input", ("range", "low →", "high →", "swing"), cells)
            if not rows:
                console.print(f"{title}: no input moves it", soft_wrap=True)
                continue
        else:
            rows = document["sobol"][output]
            if all(r["S1"] == 0 and r["ST"] == 0 for r in rows):
                console.print(f"{title}: no input moves it", soft_wrap=True)
                continue
            table = _path_table(
                title,
                "inputs",
                ("first order S1", "total ST"),
                [
                    [
                        labels.path(row["input"]),
                        f"{row['S1']:.3f} ± {row['S1_conf']:.3f}",
                        f"{row['ST']:.3f} ± {row['ST_conf']:.3f}",
                    ]
                    for row in rows[:top]
                ],
            )
        console.print(table)
