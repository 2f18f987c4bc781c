"""``ceasefire explain`` on every bundled scenario and a Genius domain; what it says is checked
against the model itself (margins add up, lifting a constraint is the zone of the lifted problem)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.bargaining.bruteforce import all_packages
from ceasefire.cli import app
from ceasefire.diagnostics.constraints import (
    binding_constraints,
    without_red_line,
    without_reservation,
)
from ceasefire.diagnostics.explanation import explain
from ceasefire.diagnostics.margins import baseline, red_line_masks
from ceasefire.scenario import parse_scenario
from ceasefire.scenario.catalog import bundled_scenarios
from ceasefire.study import read_scenario

GENIUS = Path(__file__).parents[1] / "data" / "genius" / "Laptop"
runner = CliRunner()


def _explain_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["explain", *args, "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def _margins_add_up(document: dict[str, Any]) -> None:
    for entry in document["packages"]:
        for party in document["veto_parties"]:
            p = entry["parties"][party]
            parts = p["status_quo"]["points"] + sum(x["points"] for x in p["issues"].values())
            parts += (p.get("durability") or {}).get("points", 0.0)
            assert parts == pytest.approx(p["margin"], abs=1e-6), (entry["labels"], party)
            if p["share"] is not None:
                span = p["ideal"] - p["reservation"]
                assert p["share"] == pytest.approx(p["margin"] / span, abs=1e-6)


@pytest.mark.parametrize("scenario", sorted(bundled_scenarios()))
def test_explain_runs_on_every_bundled_scenario(scenario: str) -> None:
    document = _explain_json(scenario, "--samples", "64", "--no-break-even")
    assert document["scenario"]["id"] == scenario
    assert document["binding_party"]["measure"] == "scale-free"
    assert document["assumptions"]["holds_under"].startswith("Holds under")
    assert document["packages"]
    _margins_add_up(document)
    ranks = [c["rank"] for c in document["constraints"]]
    assert ranks == list(range(1, len(ranks) + 1))
    if not document["zone"]["exists"]:
        assert document["zone"]["reason"]


def test_explain_runs_on_a_genius_domain() -> None:
    document = _explain_json(str(GENIUS))
    _margins_add_up(document)
    assert "break_even" in document
    assert document["binding_party"]["party"] in document["veto_parties"]


def test_the_terminal_summary_names_what_binds() -> None:
    result = runner.invoke(app, ["explain", "toy-border", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "Binding party: South (measure: scale-free" in result.output
    assert "What binds" in result.output
    assert "Holds under" in result.output


@pytest.mark.parametrize("scenario", ["iran-iraq-1982", "russia-ukraine-2022-03"])
def test_the_terminal_summary_names_parties_issues_and_options_by_their_labels(
    scenario: str,
) -> None:
    """A person reads names and labels; the JSON keeps the ids."""
    loaded = read_scenario(scenario)
    result = runner.invoke(
        app, ["explain", scenario, "--samples", "64", "--no-break-even", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    ids = [p.id for p in loaded.scenario.parties if p.name != p.id]
    ids += [i.id for i in loaded.scenario.issues if i.name and "_" in i.id]
    ids += [
        o.id
        for i in loaded.scenario.issues
        for o in i.option_list
        if o.label and "_" in o.id and len(o.id) > 4
    ]
    shown = [
        x for x in ids if any(f in f" {text} " for f in (f" {x} ", f"{x}:", f"{x}'s", f"'{x}'"))
    ]
    assert not shown, shown
    names = {p.name for p in loaded.scenario.parties if p.has_veto}
    assert any(name in text for name in names)
    document = _explain_json(scenario, "--samples", "64", "--no-break-even")
    assert set(document["veto_parties"]) <= {p.id for p in loaded.scenario.parties}


def test_a_given_package_is_explained_and_a_bad_one_refused() -> None:
    document = _explain_json("toy-border", "--package", "border=north_line", "--no-break-even")
    given = next(e for e in document["packages"] if "given" in e["labels"])
    assert given["package"] == {"border": "north_line", "troops": 100.0}
    assert not given["acceptable"]  # North's red line
    result = runner.invoke(app, ["explain", "toy-border", "--package", "border=nowhere"])
    assert result.exit_code == 1
    assert "'nowhere' is not an option of 'border'" in result.output
    result = runner.invoke(app, ["explain", "toy-border", "--package", "border"])
    assert result.exit_code == 2


def test_a_closed_zone_names_the_red_lines_that_close_it() -> None:
    document = explain(read_scenario("iran-iraq-1982"), samples=64, break_even=False)
    assert not document["zone"]["exists"]
    closed = {(c["party"], c.get("issue")) for c in document["zone"]["closed_by"]}
    assert closed == {("iran", "saddam_regime"), ("iraq", "saddam_regime")}


def _brute_zone(problem: Any) -> tuple[bool, int]:
    """Exists, and how many Pareto-optimal acceptable packages (every package enumerated)."""
    from ceasefire.bargaining.bruteforce import brute_force_frontier

    if not problem.acceptable(all_packages(problem)).any():
        return False, 0
    front = brute_force_frontier(problem, acceptable_only=True)
    return True, sum(len(packages) for packages in front.values())


@pytest.mark.parametrize("scenario", ["toy-border", "iran-iraq-1982", "korea-1951"])
def test_lifting_a_constraint_equals_brute_force_on_the_lifted_problem(scenario: str) -> None:
    from ceasefire.analysis import analyze

    loaded = read_scenario(scenario)
    analysis = analyze(loaded, samples=64)
    base = baseline(loaded.scenario, analysis.problem)
    masks = red_line_masks(loaded.scenario)
    rows = binding_constraints(base, masks)["constraints"]
    from ceasefire.diagnostics.constraints import red_lines_of

    lifted = {
        (r.party, r.issue): without_red_line(base, masks, r)
        for r in red_lines_of(base.problem, masks)
    }
    for row in rows:
        if row["kind"] == "red_line":
            problem = lifted[(row["party"], row["issue"])]
        else:
            problem = without_reservation(base, base.problem.parties.index(row["party"]))
        exists, count = _brute_zone(problem)
        assert row["zone_without"] == exists, row
        assert row["packages_without"] == count, row


def test_rescaling_a_party_leaves_the_binding_party(toy_text: str) -> None:
    """Doubling North's utilities and value of no deal (the same preferences) moves no share."""
    before = explain(parse_scenario(toy_text, "a.yaml"), break_even=False)
    # a file's utilities are on 0..100: rescale the bargaining arrays themselves
    loaded = parse_scenario(toy_text, "a.yaml")
    from dataclasses import replace

    from ceasefire.analysis import analyze
    from ceasefire.diagnostics.explanation import _balanced

    analysis = analyze(loaded)
    problem = analysis.problem
    j = problem.parties.index("north")
    scale = np.ones(problem.n_parties)
    scale[j] = 2.0
    scaled = replace(
        problem,
        contributions=tuple(c * scale for c in problem.contributions),
        reservation=problem.reservation * scale,
    )
    for p in (problem, scaled):
        base = baseline(loaded.scenario, p)
        pk, m = _balanced(base, p.zopa().frontier)
        assert pk is not None
        who = p.parties[int(p.veto_indices[int(np.argmin(m))])]
        assert who == before["binding_party"]["party"]


def test_a_given_package_gets_its_smallest_acceptable_edit() -> None:
    from ceasefire.analysis import analyze
    from ceasefire.bargaining.minimal_edit import brute_force_minimal_edit

    document = _explain_json("toy-border", "--package", "border=north_line", "--no-break-even")
    given = next(e for e in document["packages"] if "given" in e["labels"])
    oracle = brute_force_minimal_edit(
        analyze(read_scenario("toy-border")).problem, given["package"]
    )
    assert oracle is not None
    assert given["minimal_edit"] == json.loads(json.dumps(oracle.to_dict()))
    nash = next(e for e in document["packages"] if "nash" in e["labels"])
    assert nash["minimal_edit"]["issues_changed"] == 0  # the Nash package is acceptable as it is


def test_the_study_explains_too() -> None:
    import ceasefire as cf

    result = cf.load("toy-border").explain(break_even=False)
    rows = dict(result.summary())
    assert rows["binding party"] == "South (scale-free)"  # the party as the scenario names it
    assert result.to_dict() == _explain_json("toy-border", "--no-break-even")
