"""Commands about scenario files: ``validate``, ``scenarios``, ``schema``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Column, Table

from ceasefire.cli.common import SetValues, change_hint, console, fail, parse_changes
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
        original = None
        try:
            loaded = original = read_scenario(path)
            if changes:
                loaded = with_values(loaded, changes)
        except FileNotFoundError as error:
            problems.append(str(error))
        except ChangeError as error:
            hint = change_hint(original, str(error)) if original is not None else ""
            problems.append(f"{path}: --set {error}{hint}")
        except ScenarioError as error:
            problems.extend(str(p) for p in error.problems)
        else:
            what = " with the --set changes" if changes else ""
            console.print(f"{path}: ok ({loaded.scenario.id}){what}", markup=False, soft_wrap=True)
    if problems:
        fail(problems)


OPTIONAL_SECTIONS = ("war", "commitment", "beliefs", "side_payments", "record", "proposals")
"""The optional sections that decide which commands a scenario answers (war, backtest, score...)."""


def scenarios(
    json_output: Annotated[
        bool,
        typer.Option("--json", help="Print the list as JSON (id, title, as_of, path, sections)."),
    ] = False,
) -> None:
    """List the bundled scenarios (their ids can be given wherever a SCENARIO is asked for)."""
    rows: list[dict[str, Any]] = []
    for scenario_id, path in bundled_scenarios().items():
        try:
            scenario = load_scenario(path).scenario
        except ScenarioError:  # a broken bundled file is a bug; still list the others
            rows.append({"id": scenario_id, "title": None, "as_of": None, "path": str(path)})
            continue
        rows.append(
            {
                "id": scenario_id,
                "title": scenario.title,
                "as_of": scenario.as_of.isoformat(),
                "path": str(path),
                "sections": [s for s in OPTIONAL_SECTIONS if getattr(scenario, s, None)],
            }
        )
    if json_output:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    # The id is what a user types: never cut it; the title and sections wrap.
    table = Table(
        Column("id", no_wrap=True),
        Column("title", ratio=3),
        Column("as of", no_wrap=True),
        Column("sections", ratio=2),
    )
    for row in rows:
        if row["title"] is None:
            table.add_row(row["id"], "(invalid file)", "", "")
        else:
            table.add_row(row["id"], row["title"], row["as_of"], ", ".join(row["sections"]))
    console.print(table)
    console.print(
        "Sections: war (war, analyze's ripeness), record (backtest), proposals (score), "
        "side_payments (mediate), commitment and beliefs (analyze's durability and beliefs).",
        markup=False,
        soft_wrap=True,
    )


def schema() -> None:
    """Print the JSON Schema of the scenario format (generated from the models)."""
    from ceasefire.scenario.model import Scenario

    document = Scenario.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    typer.echo(json.dumps(document, indent=2))
