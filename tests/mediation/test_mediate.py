"""Mediation on scenarios: probabilities per offer are exact per sample, the cheapest offer is the
first to reach the target, and the command prints what it found."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.bargaining.bruteforce import acceptable_mask, all_packages, package_units
from ceasefire.cli import app
from ceasefire.executor import ProcessExecutor
from ceasefire.mediation.mediate import mediate, point_problem
from ceasefire.mediation.offers import offer_space
from ceasefire.mediation.probability import zopa_counts
from ceasefire.mediation.search import by_cost
from ceasefire.uncertainty.inputs import input_space
from ceasefire.uncertainty.sampling import blocks, draw_block, realise
from tests.mediation.scenarios import toy_with_offers


def uncertain_toy():  # type: ignore[no-untyped-def]
    loaded = toy_with_offers()
    text = loaded.text.replace("reservation: 55", "reservation: {dist: uniform, low: 45, high: 65}")
    text = text.replace(
        "no_deal: {cost: 10}", "no_deal: {cost: {dist: choice, alternatives: [5, 10, 20]}}"
    )
    from ceasefire.scenario import parse_scenario

    return parse_scenario(text, "toy-offers.yaml")


def test_probabilities_per_offer_are_counts_of_exact_samples() -> None:
    loaded = uncertain_toy()
    space = input_space(loaded.scenario)
    offers = offer_space(loaded.scenario, space.parties)
    chosen = offers.all_offers()
    n = 300
    counts = zopa_counts(space, offers, chosen, n, seed=4, block_size=64)
    expected = np.zeros(len(chosen), dtype=int)
    for block in blocks(n, 4, 64):
        theta, war = draw_block(space, block)
        draws = realise(space, theta, war)
        for s in range(draws.size):
            problem = draws.problem(space, s)
            packages = all_packages(problem)
            for j, gains in enumerate(offers.gain(chosen)):
                shifted = problem.with_reservation(problem.reservation - gains)
                ok = acceptable_mask(shifted, packages, package_units(shifted, packages))
                expected[j] += ok.any()
    assert counts.tolist() == expected.tolist()
    # More of every side payment (here: gains that only grow) never lowers the probability.
    gains = offers.gain(chosen)
    for a in range(len(chosen)):
        for b in range(len(chosen)):
            if (gains[b] >= gains[a]).all():
                assert counts[b] >= counts[a]


def test_the_cheapest_offer_is_the_first_in_cost_order_to_reach_the_target() -> None:
    loaded = uncertain_toy()
    target = 0.8
    result = mediate(loaded, target_p=target, samples=400, seed=1)
    entry = result.to_dict()["cheapest"]
    space = input_space(loaded.scenario)
    offers = offer_space(loaded.scenario, space.parties)
    ordered = offers.all_offers()[by_cost(offers, offers.all_offers())]
    counts = zopa_counts(space, offers, ordered, 400, seed=1)
    first = int(np.flatnonzero(counts >= target * 400)[0])
    assert entry["offer"] == offers.labels(tuple(int(x) for x in ordered[first]))
    assert entry["p_zopa"] == counts[first] / 400 >= target
    assert entry["cost"] == pytest.approx(float(offers.cost(ordered[first : first + 1])[0]))


def test_point_analysis_without_uncertainty() -> None:
    loaded = toy_with_offers()
    doc = mediate(loaded, budget=4).to_dict()
    assert doc["without_offer"]["zopa"]["exists"] is False
    cheapest = doc["cheapest"]
    # The guarantee (cost 3) lets North accept the middle line; aid alone needs 5.
    assert cheapest["offer"] == {"aid": 0.0, "guarantee": "guarantee"}
    assert cheapest["cost_by_party"] == {"west": 3.0}
    assert cheapest["zopa"]["exists"]
    problem = point_problem(input_space(loaded.scenario, seed=0))
    gains = np.array([cheapest["gains"][p] for p in problem.parties])
    assert problem.with_reservation(problem.reservation - gains).zopa().exists
    assert doc["budget"]["cost"] <= 4


def test_counts_do_not_depend_on_the_executor() -> None:
    loaded = uncertain_toy()
    space = input_space(loaded.scenario)
    offers = offer_space(loaded.scenario, space.parties)
    chosen = offers.all_offers()
    serial = zopa_counts(space, offers, chosen, 3000, seed=2, block_size=256)
    with ProcessExecutor(2) as pool:
        parallel = zopa_counts(space, offers, chosen, 3000, seed=2, executor=pool, block_size=256)
    assert serial.tolist() == parallel.tolist()


runner = CliRunner()


def test_mediate_command_json_and_summary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "toy-offers.yaml"
    path.write_text(toy_with_offers().text)
    result = runner.invoke(app, ["mediate", str(path), "--budget", "4", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["cheapest"]["offer"] == {"aid": 0.0, "guarantee": "guarantee"}
    assert doc["cheapest"]["cost_by_party"] == {"west": 3.0}
    assert doc["budget"]["objective"] == "nash"
    assert "provenance" in doc
    milp = runner.invoke(app, ["mediate", str(path), "--method", "milp", "--json"])
    assert json.loads(milp.stdout)["cheapest"]["cost"] == 3.0
    text = runner.invoke(app, ["mediate", str(path)])
    assert "Cheapest offer" in text.output and "West 3" in text.output  # party names


def test_mediate_without_side_payments_says_so() -> None:
    result = runner.invoke(app, ["mediate", "toy-border", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["cheapest"]["offer"] is None
    assert "no side_payments" in doc["cheapest"]["reason"]
