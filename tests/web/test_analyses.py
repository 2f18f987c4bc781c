"""The web app's analyses are kinds of the registry of runs: the same documents for the same seed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ceasefire import runs
from ceasefire.scenario import LoadedScenario, load_scenario
from ceasefire.scenario.catalog import bundled_scenarios
from ceasefire.scenario.utility import status_quo_package
from ceasefire.web.analyses import ANALYSES, Options, negotiation_options

SRC = Path(runs.__file__).parent


@pytest.fixture(scope="module")
def toy() -> LoadedScenario:
    return load_scenario(bundled_scenarios()["toy-border"])


@pytest.mark.parametrize("name", ["analyze", "robust", "sensitivity", "negotiate"])
def test_a_web_run_gives_its_commands_document(name: str, toy: LoadedScenario) -> None:
    fractions: list[float] = []
    samples = None if name == "negotiate" else 150
    document = ANALYSES[name].run(toy, Options(seed=3, samples=samples), fractions.append)
    option = {"sensitivity": "war_samples", "negotiate": None}.get(name, "samples")
    expected = runs.run(name, toy, seed=3, **({option: samples} if option else {})).document
    if name == "robust":  # labelled with the status quo, otherwise the command's document
        assert document.pop("status_quo") == {"package": status_quo_package(toy.scenario)}
    assert document == expected
    assert all(0.0 <= f <= 1.0 for f in fractions)


def test_a_web_run_without_options_takes_the_registrys_defaults(toy: LoadedScenario) -> None:
    assert (
        ANALYSES["negotiate"].run(toy, Options(), lambda _: None)
        == runs.run("negotiate", toy).document
    )


def test_negotiation_options_map_onto_the_runs() -> None:
    assert negotiation_options({}) == {
        "protocol": runs.RUNS["negotiate"].options["protocol"],
        "rounds": runs.RUNS["negotiate"].options["rounds"],
        "default": runs.RUNS["negotiate"].options["default"],
    }
    assert negotiation_options({"strategy": "linear", "rounds": 5})["default"] == "linear"
    for bad in ({"rounds": 0}, {"protocol": "shouting"}, {"strategy": "nope"}, {"colour": 1}):
        with pytest.raises(ValueError):
            negotiation_options(bad)
    with pytest.raises(ValueError, match="takes no options"):
        ANALYSES["war"].options(Options(extra={"rounds": 3}))


def test_every_web_analysis_is_a_kind_of_the_registry() -> None:
    for name, kind in ANALYSES.items():
        assert kind.kind is runs.RUNS[name]
        assert kind.to_dict()["title"] == runs.RUNS[name].title


def test_each_kind_of_run_has_one_document_builder() -> None:
    """A kind's document is built in one place: the registry's runner, or the one
    ``<kind>_document`` of its own layer that the runner calls; never in the command line, the
    report or the web app."""
    builders = {f"{kind}_document" for kind in runs.RUNS}
    found = [
        (str(path.relative_to(SRC)), node.name)
        for path in sorted(SRC.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name in builders
    ]
    names = [name for _, name in found]
    assert len(names) == len(set(names)), found
    assert not [where for where, _ in found if where.startswith(("cli", "report", "web"))]
    assert {name for _, name in found} <= {"divide_document", "forecast_document",
                                           "stability_document"}  # fmt: skip
