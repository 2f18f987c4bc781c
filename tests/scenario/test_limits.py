"""What the models cannot compute is refused by the schema, at its place in the file.

Each case here used to pass ``validate`` and then crash ``analyze`` (an overflow, an int64
overflow in the exact arithmetic, the argmax of an empty sequence), or print numpy warnings.
"""

from __future__ import annotations

import re
import warnings

import pytest

from ceasefire.analysis import analyze
from ceasefire.scenario import ScenarioError, bundled_scenarios, parse_scenario
from ceasefire.scenario.model import MAX_NO_DEAL_COST, MAX_PARTIES

LOCATED = re.compile(r"^x\.yaml:(\d+):(\d+): (.+)$")


def flagship() -> str:
    return bundled_scenarios()["russia-ukraine-2023-12"].read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def analyze_or_refuse(text: str) -> list[str]:
    """Validate and analyse ``text``: [] if it gives a result, else the located problems. Any
    other exception, and any warning, fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            analyze(parse_scenario(text, "x.yaml"), samples=40).to_dict(max_frontier=5)
        except ScenarioError as error:
            lines = str(error).splitlines()
            assert all(LOCATED.match(line) for line in lines), lines
            return lines
    return []


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("cost: 5}", "cost: 2e6}", "no_deal.cost: Input should be less than or equal to 1000"),
        ("cost: 5}", "cost: -1e300}", "no_deal.cost: Input should be greater than or equal to"),
        (
            "forces: {dist: lognormal, median: 617000, sigma: 0.1}",
            "forces: 1e300",
            "war.sides[0].forces: Input should be less than or equal to 1000000000000000",
        ),
        (
            "forces: {dist: lognormal, median: 617000, sigma: 0.1}",
            "forces: 2e8",
            "war.sides[0].forces: 2e+08 is outside (0, 1e+08]",
        ),
        ("km2_per_unit: 6036", "km2_per_unit: 1e-300", "is outside [1e-06, 1e+09]"),
        (
            "spending_usd_bn_per_month: {dist: triangular, low: 8.5, mode: 9.2, high: 10}",
            "spending_usd_bn_per_month: 1e308",
            "spending_usd_bn_per_month: Input should be less than or equal to",
        ),
        (
            "forces: {dist: lognormal, median: 617000, sigma: 0.1}",
            "forces: {dist: lognormal, median: 617000, sigma: 1e6}",
            "less than or equal to 10",
        ),
    ],
)
def test_numbers_the_models_cannot_use_are_refused_where_they_are(
    old: str, new: str, fragment: str
) -> None:
    text = edit(flagship(), old, new)
    problems = analyze_or_refuse(text)
    assert any(fragment in line for line in problems), problems
    line = next(line for line in problems if fragment in line)
    number = int(LOCATED.match(line)[1])  # type: ignore[index]
    assert new.split(":")[0].strip() in text.splitlines()[number - 1]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("cost: 5}", f"cost: {MAX_NO_DEAL_COST:g}}}"),
        ("km2_per_unit: 6036", "km2_per_unit: 1e-6"),
        (
            "spending_usd_bn_per_month: {dist: triangular, low: 8.5, mode: 9.2, high: 10}",
            "spending_usd_bn_per_month: 1e4",
        ),
        ("forces: {dist: lognormal, median: 617000, sigma: 0.1}", "forces: 1e8"),
        ("breakthrough_slope: {dist: uniform, low: 6, high: 16}", "breakthrough_slope: 50"),
        ("casualty_sigma: 0.4", "casualty_sigma: 5"),
    ],
)
def test_extreme_but_valid_numbers_give_a_result_without_warnings(old: str, new: str) -> None:
    assert analyze_or_refuse(edit(flagship(), old, new)) == []


def out_of_scale_flagship() -> str:
    """The flagship with valid but extreme war parameters: Ukraine's value of no deal is beyond
    what the exact arithmetic holds."""
    text = flagship()
    for old, new in [
        ("forces: {dist: lognormal, median: 617000, sigma: 0.1}", "forces: 1e8"),
        ("lethality: {dist: lognormal, median: 0.00546, sigma: 0.37}", "lethality: 10"),
        ("per_10k_casualties: 0.7", "per_10k_casualties: 1e4"),
    ]:
        text = edit(text, old, new)
    return text


def test_values_of_no_deal_beyond_the_exact_arithmetic_are_refused_at_the_costs() -> None:
    text = out_of_scale_flagship()
    problems = analyze_or_refuse(text)
    assert len(problems) == 1
    line, _, message = LOCATED.match(problems[0]).groups()  # type: ignore[union-attr]
    assert text.splitlines()[int(line) - 1].strip() == "ukraine:"
    assert message.startswith("war.costs.ukraine: the war model puts ukraine's value of no deal")


def _many_parties(n: int) -> str:
    parties = "".join(f"  - {{id: p{i}, name: P{i}, role: belligerent}}\n" for i in range(n))
    preferences = "".join(
        f"  p{i}:\n    weights: {{x: 1}}\n    values: {{x: {{a: {i % 7 * 10}, b: {90 - i % 5 * 10}}}}}\n"
        f"    reservation: 20\n"
        for i in range(n)
    )
    return (
        "schema_version: 1\nid: many\ntitle: Many parties\nas_of: 2024-01-01\n"
        f"parties:\n{parties}"
        "issues:\n  - {id: x, name: X, options: [a, b], status_quo: a}\n"
        f"preferences:\n{preferences}"
    )


def test_party_count_is_bounded_and_the_bound_is_computable() -> None:
    # 1000 parties with a veto made the Nash product overflow, then argmax of an empty sequence.
    assert analyze_or_refuse(_many_parties(MAX_PARTIES)) == []
    problems = analyze_or_refuse(_many_parties(1000))
    assert problems == [
        f"x.yaml:6:3: parties: List should have at most {MAX_PARTIES} items after validation, "
        "not 1000"
    ]
