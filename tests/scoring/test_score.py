"""``ceasefire score``: the JSON contract, acceptance consistent with the bargaining core, open
issues, dates after as_of, located errors, and every bundled scenario and a Genius domain."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ceasefire as cf
from ceasefire.analysis import analyze
from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.bargaining.minimal_edit import brute_force_minimal_edit, package_indices
from ceasefire.cli import app
from ceasefire.scenario import ScenarioError, bundled_scenarios, parse_scenario
from ceasefire.scenario import utility as su
from ceasefire.scoring import score
from tests.commitment.nesting import without_sections
from tests.strategies import random_scenario

runner = CliRunner()
ROOT = Path(__file__).parents[2]
LAPTOP = ROOT / "tests/data/genius/Laptop"
LAPTOP_PROPOSALS = ROOT / "tests/data/proposals/laptop.yaml"

PROPOSAL_KEYS = {"id", "name", "date", "parties", "blocking", "minimal_edit"}
PARTY_KEYS = {"utility", "margin", "accepts", "p_accepts"}


def score_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["score", "--json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def check_contract(document: dict[str, Any], parties: list[str]) -> None:
    assert set(document) == {"proposals", "provenance"}
    assert document["provenance"]["scenario_sha256"]
    for entry in document["proposals"]:
        assert set(entry) >= PROPOSAL_KEYS
        assert list(entry["parties"]) == parties
        for party in entry["parties"].values():
            assert set(party) == PARTY_KEYS
            if party["p_accepts"] is not None:
                assert 0.0 <= party["p_accepts"] <= 1.0
        assert 0.0 <= entry["p_accepted"] <= 1.0
        for block in entry["blocking"]:
            assert block["reason"] in {"red_line", "cost", "not_self_enforcing"}
        edit = entry["minimal_edit"]
        if edit is not None:
            assert edit["issues_changed"] == len(edit["changes"])
            if entry["accepted"]:
                assert edit["issues_changed"] == 0


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_every_bundled_scenario_scores_its_proposals(name: str) -> None:
    study = cf.load(name)
    assert study.scenario.proposals, "every bundled scenario carries proposals"
    document = score_json(name, "--samples", "64", "--seed", "1")
    check_contract(document, [p.id for p in study.scenario.parties])
    assert [e["id"] for e in document["proposals"]] == [p.id for p in study.scenario.proposals]
    for entry, proposal in zip(document["proposals"], study.scenario.proposals, strict=True):
        assert entry["after_as_of"] == (proposal.date > study.scenario.as_of)
        said = any("after the scenario's as_of" in note for note in entry["notes"])
        assert said == entry["after_as_of"]
        assert all(source["title"] for source in entry["sources"])
        # Every veto party accepts exactly when the proposal is accepted.
        veto = [p.id for p in study.scenario.veto_parties]
        assert entry["accepted"] == all(entry["parties"][p]["accepts"] for p in veto)
        assert entry["p_accepted"] <= min(entry["parties"][p]["p_accepts"] for p in veto) + 1e-12


def test_russia_ukraine_proposals_are_the_five_texts() -> None:
    for name in ("russia-ukraine-2023-12", "russia-ukraine-2022-03"):
        ids = [p.id for p in cf.load(name).scenario.proposals]
        assert ids == [
            "istanbul_communique_2022",
            "zelensky_peace_formula_2022",
            "putin_terms_2024",
            "us_28_point_plan_2025",
            "framework_20_point_2025",
        ]


def test_acceptance_and_utilities_agree_with_the_bargaining_core() -> None:
    """On nominal utilities (the case without its commitment: section, whose effective utilities
    the score would use)."""
    from ceasefire.scenario import bundled_scenarios, parse_scenario
    from tests.commitment.nesting import without_commitment

    path = bundled_scenarios()["russia-ukraine-2022-03"]
    loaded = parse_scenario(without_commitment(path.read_text(encoding="utf-8")), str(path))
    result = score(loaded, samples=64, seed=2)
    analysis = analyze(loaded, samples=64, seed=2)
    problem = analysis.problem
    for entry in result.proposals:
        x = package_indices(problem, entry.package)
        assert entry.accepted == bool(problem.acceptable(x[None, :])[0])
        utilities = problem.utilities(x[None, :])[0]
        for i, party in enumerate(problem.parties):
            assert entry.parties[party].utility == pytest.approx(utilities[i], abs=1e-9)
            margin = entry.parties[party].margin
            assert margin == pytest.approx(utilities[i] - analysis.reservation[party], abs=1e-9)


def test_without_uncertainty_p_accepts_is_acceptance() -> None:
    document = score_json("toy-border", "--samples", "50")
    for entry in document["proposals"]:
        for party in entry["parties"].values():
            assert party["p_accepts"] == (1.0 if party["accepts"] else 0.0)


def test_minimal_edit_of_each_proposal_equals_brute_force() -> None:
    for name in ("toy-border", "russia-ukraine-2022-03"):
        loaded = cf.load(name).loaded
        result = score(loaded, samples=64)
        problem = build_problem(loaded.scenario, _reservation(loaded))
        for entry in result.proposals:
            oracle = brute_force_minimal_edit(
                problem, entry.package, proposer=entry.proposal.proposer
            )
            edit = entry.minimal_edit
            assert (edit is None) == (oracle is None)
            if edit is not None and oracle is not None:
                assert edit.issues_changed == oracle.issues_changed
                assert edit.loss == pytest.approx(oracle.loss, abs=1e-9)
                x = package_indices(problem, edit.package)
                assert problem.acceptable(x[None, :])[0]


def _reservation(loaded: Any) -> dict[str, float]:
    return analyze(loaded, samples=64, seed=0).reservation


def test_open_issues_are_scored_at_their_status_quo() -> None:
    scenario = cf.load("iran-iraq-1982").scenario
    document = score_json("iran-iraq-1982", "--samples", "64")
    entry = document["proposals"][0]
    assert entry["unspecified"] == ["saddam_regime", "shatt_al_arab"]
    status_quo = su.status_quo_package(scenario)
    for issue in entry["unspecified"]:
        assert entry["package"][issue] == status_quo[issue]
    assert any("status quo" in note for note in entry["notes"])
    # Iran's red line (Saddam Hussein stays) blocks it, as the scenario's as_of preferences say.
    assert {"party": "iran", "issue": "saddam_regime", "option": "stays", "reason": "red_line"} in (
        entry["blocking"]
    )


def test_one_proposal_by_id_and_an_unknown_id() -> None:
    document = score_json("russia-ukraine-2022-03", "--proposal", "putin_terms_2024")
    assert [e["id"] for e in document["proposals"]] == ["putin_terms_2024"]
    result = runner.invoke(app, ["score", "russia-ukraine-2022-03", "--proposal", "nope"])
    assert result.exit_code == 1
    assert "no proposal 'nope'" in result.output


def test_genius_domain_with_a_file_of_proposals() -> None:
    document = score_json(str(LAPTOP), "--proposals", str(LAPTOP_PROPOSALS), "--samples", "16")
    check_contract(document, ["prof1", "prof2"])
    assert [e["id"] for e in document["proposals"]] == ["seller_offer", "buyer_offer"]
    result = runner.invoke(app, ["score", str(LAPTOP)])
    assert result.exit_code == 1
    assert "no proposals" in result.output
    study = cf.load(LAPTOP)
    assert study.score(proposals=LAPTOP_PROPOSALS, samples=16).to_dict() == score_json(
        str(LAPTOP), "--proposals", str(LAPTOP_PROPOSALS), "--samples", "16"
    )


def test_study_score_is_the_command_json() -> None:
    document = cf.load("korea-1951").score(samples=64, seed=3).to_dict()
    assert document == score_json("korea-1951", "--samples", "64", "--seed", "3")
    assert document["proposals"][0]["package"]["demarcation_line"] == 4.0


BAD = [
    ("package: {border: middle_line, nowhere: x}", "unknown issue 'nowhere'"),
    ("package: {border: east_line}", "'east_line' is not an option of 'border'"),
    ("package: {troops: 30}", "30.0 is not a grid value of 'troops'"),
    ("package: {border: middle_line}\n    unspecified: [border]", "in the package and unspecified"),
    ("package: {border: middle_line}\n    proposer: west", "unknown party 'west'"),
    ("package: {border: middle_line}\n    colour: red", "unknown field 'colour'"),
]


def _proposal(body: str, sources: str = "[textbook]") -> str:
    return (
        "proposals:\n  - id: p\n    name: P\n    date: 2024-01-01\n"
        f"    {body}\n    sources: {sources}\n"
    )


@pytest.mark.parametrize(("body", "message"), BAD)
def test_bad_proposals_in_a_scenario_are_located(toy_text: str, body: str, message: str) -> None:
    text = without_sections(toy_text, {"proposals"}) + _proposal(body)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "toy.yaml")
    lines = [str(p) for p in caught.value.problems]
    assert any(message in line for line in lines), lines
    line_of = {n + 1 for n, line in enumerate(text.splitlines()) if line.startswith("  - id: p")}
    first = min(line_of)
    assert all(int(line.split(":")[1]) >= first for line in lines), lines


def test_bad_proposals_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "offers.yaml"
    path.write_text(_proposal("package: {laptop: toshiba}", "[nowhere]"))
    result = runner.invoke(app, ["score", str(LAPTOP), "--proposals", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"{path}:5:23: proposals[0].package.laptop: 'toshiba' is not an option" in lines[0]
    assert any(
        f"{path}:6:15: proposals[0].sources[0]: unknown source 'nowhere'" in x for x in lines
    )


def test_the_proposals_section_changes_no_other_analysis() -> None:
    text = bundled_scenarios()["toy-border"].read_text(encoding="utf-8")
    with_section = analyze(parse_scenario(text, "toy.yaml")).to_dict()
    without = analyze(parse_scenario(without_sections(text, {"proposals"}), "toy.yaml")).to_dict()
    with_section.pop("provenance")
    without.pop("provenance")
    assert with_section == without


def test_shares_are_the_same_for_one_seed_and_differ_across_seeds() -> None:
    loaded = cf.load("korea-1951").loaded
    a = score(loaded, samples=256, seed=5).to_dict()
    b = score(loaded, samples=256, seed=5).to_dict()
    c = score(loaded, samples=256, seed=6).to_dict()
    assert a == b
    shares = [
        [p["p_accepts"] for p in e["parties"].values() if p["p_accepts"] is not None]
        for e in a["proposals"]
    ]
    other = [
        [p["p_accepts"] for p in e["parties"].values() if p["p_accepts"] is not None]
        for e in c["proposals"]
    ]
    assert not np.array_equal(shares, other)


@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_scenarios_against_the_robust_count_and_enumeration(seed: int) -> None:
    """On random scenarios with uncertain inputs: the share of samples in which every veto party
    accepts is the robust analysis' own count for these samples, and the minimal edit is the one
    enumeration finds."""
    from ceasefire.scenario import LoadedScenario
    from ceasefire.scenario.proposals import Proposal
    from ceasefire.scenario.sources import Source
    from ceasefire.uncertainty.inputs import input_space
    from ceasefire.uncertainty.sampling import blocks, draw_block, realise
    from ceasefire.uncertainty.solve import count_acceptable

    rng = np.random.default_rng(seed)
    scenario = random_scenario(rng, uncertain_preferences=bool(rng.random() < 0.5))
    package = {
        issue.id: labels[int(rng.integers(len(labels)))]
        for issue in scenario.issues
        for labels in [su.option_labels(issue)]
        if rng.random() < 0.8
    }
    proposer = None if rng.random() < 0.3 else scenario.parties[0].id
    proposal = Proposal(
        id="p",
        name="P",
        date=scenario.as_of,
        proposer=proposer,
        package=package,
        sources=[Source(id="s", title="invented")],
    )
    loaded = LoadedScenario(scenario.model_copy(update={"proposals": [proposal]}), "<random>", "")
    n = 300
    entry = score(loaded, samples=n, seed=seed).proposals[0]

    space = input_space(scenario, seed=seed, war_samples=n)
    x = package_indices(build_problem(scenario), entry.package)[None, :]
    together = 0
    for block in blocks(n, seed):
        theta, war = draw_block(space, block)
        together += int(count_acceptable(realise(space, theta, war), space, x)[0])
    assert entry.p_accepted == together / n

    oracle = brute_force_minimal_edit(build_problem(scenario), entry.package, proposer=proposer)
    assert (entry.minimal_edit is None) == (oracle is None)
    if entry.minimal_edit is not None and oracle is not None:
        assert entry.minimal_edit.issues_changed == oracle.issues_changed
        assert entry.minimal_edit.loss == pytest.approx(oracle.loss, abs=1e-9)


def test_the_terminal_names_parties_issues_and_options_by_their_labels() -> None:
    """A person reads names and labels (the JSON keeps the ids); a proposal dated after as_of
    says it is scored with the as_of preferences."""
    from ceasefire.study import read_scenario

    scenario = read_scenario("russia-ukraine-2023-12").scenario
    result = runner.invoke(
        app,
        ["score", "russia-ukraine-2023-12", "--proposal", "putin_terms_2024", "--samples", "50"],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        "after the scenario's as_of (2023-12-21): scored with the preferences as of 2023-12-21"
        in text
    )
    for party in scenario.veto_parties:
        assert party.name in text
    assert "Legal status of the four oblasts annexed in 2022" in text
    issue_ids = [i.id for i in scenario.issues if "_" in i.id]
    option_ids = [o.id for i in scenario.issues for o in i.option_list if o.label and "_" in o.id]
    shown = [x for x in issue_ids + option_ids if f"{x}:" in text or f"{x} " in text]
    assert not shown, shown
