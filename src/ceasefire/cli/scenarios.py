"""Commands about scenario files: ``validate``, ``scenarios``, ``schema``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from ceasefire.cli.common import SetValues, console, fail, parse_changes
from ceasefire.scenario import ScenarioError, bundled_scenarios, load_scenario


def validate(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Scenarios to check: files, Genius domain folders or bundled ids.",
            metavar="SCENARIO...",
        ),
    ],
    set_values: SetValues = None,
) -> None:
    """Check scenarios; print each problem as FILE:LINE:COL: message (with --set: as changed)."""
    from ceasefire.scenario.edit import ChangeError, with_values
    from ceasefire.study import read_scenario

    changes = parse_changes(set_values or [])
    problems: list[str] = []
    for path in paths:
        try:
            loaded = read_scenario(path)
            if changes:
                loaded = with_values(loaded, changes)
        except FileNotFoundError as error:
            problems.append(str(error))
        except ChangeError as error:
            problems.append(f"{path}: --set {error}")
        except ScenarioError as error:
            problems.extend(str(p) for p in error.problems)
        else:
            what = " with the --set changes" if changes else ""
            console.print(f"{path}: ok ({loaded.scenario.id}){what}", markup=False, soft_wrap=True)
    if problems:
        fail(problems)


def scenarios() -> None:
    """List the bundled scenarios (their ids can be given wherever a SCENARIO is asked for)."""
    table = Table("id", "title", "as of")
    for scenario_id, path in bundled_scenarios().items():
        try:
            scenario = load_scenario(path).scenario
        except ScenarioError:  # a broken bundled file is a bug; still list the others
            table.add_row(scenario_id, "(invalid file)", "")
            continue
        table.add_row(scenario_id, scenario.title, scenario.as_of.isoformat())
    console.print(table)


def schema() -> None:
    """Print the JSON Schema of the scenario format (generated from the models)."""
    from ceasefire.scenario.model import Scenario

    document = Scenario.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    typer.echo(json.dumps(document, indent=2))
