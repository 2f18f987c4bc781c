"""``ceasefire robust``: how likely each candidate package is to be acceptable, given uncertainty."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ceasefire.cli.common import (
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
    load_or_exit,
    progress_bar,
)
from ceasefire.defaults import MONTE_CARLO_SAMPLES
from ceasefire.diagnostics.assumptions import sampling_note
from ceasefire.scenario.labels import Labels, counted

if TYPE_CHECKING:
    from ceasefire.scenario import LoadedScenario


def robust(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    samples: Annotated[
        int, typer.Option(min=1, max=10_000_000, help="Monte Carlo samples.")
    ] = MONTE_CARLO_SAMPLES,
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
    """How likely each candidate package is acceptable to every party that must agree."""
    from ceasefire.runs import run

    loaded = load_or_exit(scenario, set_values)
    with (
        executor_from_options(workers, scheduler) as executor,
        progress_bar(not no_progress, "robust") as update,
    ):
        outcome = run(
            "robust", loaded, samples=samples, seed=seed, executor=executor, progress=update
        )
    document = outcome.document
    emit(
        document,
        json_output=json_output,
        out=out,
        show=lambda: print_robust(document, loaded),
        kind="robust",
        loaded=loaded,
        csv=csv,
        xlsx=xlsx,
    )


def changes(
    package: dict[str, Any], status_quo: dict[str, Any], labels: Labels | None = None
) -> str:
    """The issues on which a package differs from the status quo, as ``issue: option``."""
    labels = labels or Labels(None)
    moved = [
        f"{labels.issue(issue)}: {labels.option(issue, v)}"
        for issue, v in package.items()
        if v != status_quo.get(issue)
    ]
    return "; ".join(moved) if moved else "(the status quo)"


def _p(p: float, se: float) -> str:
    return f"{p:.3f} ± {se:.3f}" if se else f"{p:.3f}"


SHORT = {"nash": "Nash", "kalai_smorodinsky": "K-S", "egalitarian": "egal.", "utilitarian": "util."}


def print_robust(document: dict[str, Any], loaded: LoadedScenario, top: int = 8) -> None:
    """A readable summary: P(ZOPA), the packages the concepts pick most, the most robust one."""
    from ceasefire.scenario import utility as su

    status_quo = su.status_quo_package(loaded.scenario)
    labels = Labels(loaded.scenario)
    errors = document["stderr"]
    inputs = document["uncertain_inputs"]
    console.print(
        Text.assemble(
            (loaded.scenario.title, "bold"),
            f": {document['samples']:,} samples, seed {document['seed']}; "
            f"{counted(len(inputs), 'uncertain input')}"
            + (" and the war model's values of no deal" if document["war_model"] else ""),
        ),
        soft_wrap=True,
    )
    if not inputs and not document["war_model"]:
        console.print("Nothing in this scenario is uncertain: every probability is 0 or 1.")
    console.print(
        f"P(a zone of possible agreement exists) = {_p(document['p_zopa'], errors['p_zopa'])}",
        soft_wrap=True,
    )
    note = sampling_note(loaded.scenario, document["p_zopa"])
    if note:
        console.print(Text(note, style="dim"), soft_wrap=True)
    concepts = document["concepts"]
    shown = list(zip(document["packages"], errors["packages"], strict=True))[:top]
    if shown:
        table = Table(
            "#",
            "P(acceptable)",
            *[f"P({SHORT.get(c, c)})" for c in concepts],
            title=f"Packages the solution concepts pick ({len(shown)} of "
            f"{len(document['packages'])}, most often picked first)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        for j, (entry, error) in enumerate(shown, start=1):
            table.add_row(
                str(j),
                _p(entry["p_acceptable"], error["p_acceptable"]),
                *[f"{entry['p_chosen'][c]:.3f}" for c in concepts],
            )
        console.print(table)
        for j, (entry, _) in enumerate(shown, start=1):
            console.print(
                Padding(f"{j}: {changes(entry['package'], status_quo, labels)}", (0, 0, 0, 2))
            )
    most = document["most_robust"]
    if most is not None:
        proof = (
            "no package can do better: it is acceptable whenever any package is"
            if most["proven_best"]
            else f"the best of {most['candidates']:,} candidates searched; none can beat P(ZOPA)"
        )
        se = errors["most_robust"]
        console.print(
            f"\nMost robust package, acceptable with P = {_p(most['p_acceptable'], se)} ({proof}):",
            soft_wrap=True,
        )
        console.print(Padding(changes(most["package"], status_quo, labels), (0, 0, 0, 2)))
