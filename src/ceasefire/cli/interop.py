"""``ceasefire import-genius`` and ``ceasefire export-genius``: Genius XML domains in and out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import (
    SetValues,
    console,
    error_console,
    fail,
    load_or_exit,
    write_text_atomic,
)
from ceasefire.scenario import ScenarioError

REAL_STEPS_HELP = "Grid points of each real-valued issue (evenly spaced, bounds included)."


def import_genius(
    folder: Annotated[
        Path,
        typer.Argument(
            help="A Genius domain folder: one domain XML and two or more profile XMLs, "
            "recognised by their content."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option(help="Write the scenario to this file instead of stdout.")
    ] = None,
    real_steps: Annotated[int, typer.Option(min=2, max=1001, help=REAL_STEPS_HELP)] = 11,
) -> None:
    """Turn a Genius domain folder into a scenario file (format version 1)."""
    from ceasefire.interop.genius import genius_scenario_text, read_genius_folder

    try:
        domain = read_genius_folder(folder)
        text = genius_scenario_text(domain, real_steps=real_steps)
    except ScenarioError as error:
        fail([str(p) for p in error.problems])
    lines = [
        f"{domain.name}: {len(domain.issues)} issues, {len(domain.profiles)} parties, "
        f"{domain.package_count(real_steps):,} packages",
    ]
    for profile in domain.profiles:
        reservation = (
            "none (0)"
            if profile.reservation is None
            else f"{float(profile.reservation):g} (= {100 * float(profile.reservation):g} on the "
            "scenario's 0-100 scale)"
        )
        discount = "none" if profile.discount is None else f"{float(profile.discount):g}"
        lines.append(
            f"  {profile.party} ({profile.file}): reservation {reservation}, discount factor "
            f"{discount} (ignored by the static analysis)"
        )
    for profile in domain.profiles:
        total = float(profile.weight_sum)
        if abs(total - 1) > 1e-6:
            lines.append(f"  {profile.party}: weights sum to {total:.10g}; divided by that sum")
    lines.extend(f"  note: {note}" for note in domain.notes)
    if out is None:
        sys.stdout.write(text)
        for line in lines:
            error_console.print(line, markup=False, soft_wrap=True)
        return
    write_text_atomic(out, text)
    for line in lines:
        console.print(line, markup=False, soft_wrap=True)
    console.print(f"scenario written to {out}", markup=False, soft_wrap=True)


def export_genius(
    scenario: Annotated[
        str, typer.Argument(help="A scenario file, a Genius domain folder, or a bundled id.")
    ],
    outdir: Annotated[Path, typer.Argument(help="Folder to write the Genius XML files into.")],
    set_values: SetValues = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace files of the same names already in the folder."),
    ] = False,
) -> None:
    """Write a scenario as a Genius domain: one domain file and one profile per veto party.

    Refuses to replace a file already in the folder unless given --force."""
    from ceasefire.interop.genius_export import export_genius as write_genius

    loaded = load_or_exit(scenario, set_values)
    if outdir.exists() and not outdir.is_dir():
        fail(f"{outdir}: exists and is not a directory")
    try:
        result = write_genius(loaded.scenario, outdir, force=force)
    except FileExistsError as error:
        fail(f"{outdir}: {error}; nothing written (--force replaces them)")
    except ValueError as error:
        fail(f"{loaded.path}: {error}")
    except OSError as error:
        fail(f"{outdir}: cannot write: {error.strerror or error}")
    for name in result.files:
        console.print(f"wrote {outdir / name}", markup=False, soft_wrap=True)
    for warning in result.warnings:
        error_console.print(f"warning: {warning}", markup=False, soft_wrap=True)
