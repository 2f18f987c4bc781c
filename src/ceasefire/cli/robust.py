"""``ceasefire robust``: how likely each candidate package is to be acceptable, given uncertainty."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table

from ceasefire.cli.common import (
    EXIT_USAGE,
    console,
    dump_json,
    error_console,
    fail,
    load_or_exit,
    show_progress,
)

if TYPE_CHECKING:
    from ceasefire.executor import Executor
    from ceasefire.scenario import LoadedScenario

SCENARIO_HELP = "A scenario file or a bundled id (see `ceasefire scenarios`)."
WORKERS_HELP = (
    "Worker processes: starts a local Dask cluster (or, without Dask, a process pool). "
    "Results do not depend on it."
)
SCHEDULER_HELP = "Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786."

Workers = Annotated[int, typer.Option(min=1, help=WORKERS_HELP)]
Scheduler = Annotated[str | None, typer.Option(help=SCHEDULER_HELP)]
Seed = Annotated[int, typer.Option(min=0, help="Seed: the same seed gives the same result.")]
JsonOutput = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Out = Annotated[Path | None, typer.Option(help="Write the JSON result to this file.")]
NoProgress = Annotated[bool, typer.Option("--no-progress", help="No progress bar.")]


@contextmanager
def executor_from_options(workers: int, scheduler: str | None) -> Iterator[Executor]:
    """The executor that ``--workers`` and ``--scheduler`` ask for; exits cleanly on failure."""
    from ceasefire.executor import make_executor

    try:
        executor = make_executor(workers, scheduler)
    except RuntimeError as error:  # Dask missing for --scheduler
        fail(str(error), EXIT_USAGE)
    except (OSError, TimeoutError) as error:
        fail(f"cannot reach the Dask scheduler {scheduler}: {error}")
    try:
        yield executor
    finally:
        executor.close()


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[int, int, str], None]]:
    """A transient rich progress bar on stderr; ``update(done, total, stage)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=error_console,
        transient=True,
        disable=not show_progress(enabled),
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(done: int, total: int, stage: str) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"{label}: {stage}", total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def robust(
    scenario: Annotated[str | None, typer.Argument(help=SCENARIO_HELP)] = None,
    samples: Annotated[
        int, typer.Option(min=1, max=10_000_000, help="Monte Carlo samples.")
    ] = 10_000,
    seed: Seed = 0,
    workers: Workers = 1,
    scheduler: Scheduler = None,
    json_output: JsonOutput = False,
    out: Out = None,
    no_progress: NoProgress = False,
) -> None:
    """How likely each candidate package is acceptable to every party that must agree."""
    loaded = load_or_exit(scenario)
    document = robust_document(
        loaded,
        samples=samples,
        seed=seed,
        workers=workers,
        scheduler=scheduler,
        progress=not no_progress,
    )
    if out is not None:
        dump_json(document, out)
    if json_output:
        dump_json(document)
        return
    print_robust(document, loaded)
    if out is not None:
        console.print(f"\nJSON written to {out}", markup=False, soft_wrap=True)


def robust_document(
    loaded: LoadedScenario,
    *,
    samples: int,
    seed: int,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """The JSON document of ``ceasefire robust``."""
    from ceasefire.uncertainty.robustness import robust as run

    with (
        executor_from_options(workers, scheduler) as executor,
        progress_bar(progress, "robust") as update,
    ):
        result = run(loaded, samples, seed, executor=executor, progress=update)
    return result.to_dict()


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def changes(package: dict[str, Any], status_quo: dict[str, Any]) -> str:
    """The issues on which a package differs from the status quo, as ``issue=option``."""
    moved = [f"{issue}={_fmt(v)}" for issue, v in package.items() if v != status_quo.get(issue)]
    return ", ".join(moved) if moved else "(the status quo)"


def _p(p: float, se: float) -> str:
    return f"{p:.3f} ± {se:.3f}" if se else f"{p:.3f}"


SHORT = {"nash": "Nash", "kalai_smorodinsky": "K-S", "egalitarian": "egal.", "utilitarian": "util."}


def print_robust(document: dict[str, Any], loaded: LoadedScenario, top: int = 8) -> None:
    """A readable summary: P(ZOPA), the packages the concepts pick most, the most robust one."""
    from ceasefire.scenario import utility as su

    status_quo = su.status_quo_package(loaded.scenario)
    errors = document["stderr"]
    inputs = document["uncertain_inputs"]
    console.print(
        f"[bold]{document['scenario']}[/bold]: {document['samples']:,} samples, seed "
        f"{document['seed']}; {len(inputs)} uncertain input(s)"
        + (" and the war model's values of no deal" if document["war_model"] else ""),
        soft_wrap=True,
    )
    if not inputs and not document["war_model"]:
        console.print("Nothing in this scenario is uncertain: every probability is 0 or 1.")
    console.print(
        f"P(a zone of possible agreement exists) = {_p(document['p_zopa'], errors['p_zopa'])}",
        soft_wrap=True,
    )
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
                f"{j}: {changes(entry['package'], status_quo)}", markup=False, soft_wrap=True
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
        console.print(changes(most["package"], status_quo), markup=False, soft_wrap=True)
