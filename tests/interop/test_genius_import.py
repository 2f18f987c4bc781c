"""Importing Genius domains: the ten public domains, messy files, broken files, and a property test.

Utilities are checked against :mod:`tests.interop.genius_oracle`, an independent exact reading of the
same XML files, never against numbers written into the test.
"""

from __future__ import annotations

import itertools
import re
from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.interop.genius import (
    genius_scenario_text,
    load_genius_folder,
    read_genius_folder,
)
from ceasefire.scenario import Scenario, ScenarioError, parse_scenario
from ceasefire.scenario import utility as su
from tests.interop import genius_oracle as oracle
from tests.interop.conftest import (
    BUYER,
    DOMAINS,
    EXPECTED,
    GENIUS_DATA,
    MARKET_ISSUES,
    SELLER,
    domain_xml,
    market_files,
    profile_xml,
    write_folder,
)


def scenario_package(scenario: Scenario, genius: dict[str, str]) -> dict[str, su.OptionLabel]:
    """A Genius outcome (issue name -> value) as a scenario package (issue id -> option id)."""
    package: dict[str, su.OptionLabel] = {}
    for issue in scenario.issues:
        by_value = {(o.id if o.label is None else o.label): o.id for o in issue.option_list}
        package[issue.id] = by_value[genius[issue.name]]
    return package


def assert_utilities_match(folder: Path, packages: list[dict[str, str]]) -> None:
    """ceasefire's utility = 100 x Genius's utility / (sum of the weights as written)."""
    scenario = load_genius_folder(folder).scenario
    domain = oracle.read_domain(folder)
    for genius in packages:
        got = su.utilities_of(scenario, scenario_package(scenario, genius))
        for party, profile in zip(scenario.parties, domain.profiles, strict=True):
            total = sum(profile.weights.values(), Fraction(0))
            expected = 100 * domain.utility(profile, genius) / total
            assert got[party.id] == pytest.approx(float(expected), abs=1e-9), (party.id, genius)


def some_packages(domain: oracle.OracleDomain, n: int, seed: int) -> list[dict[str, str]]:
    names = list(domain.issues)
    total = 1
    for values in domain.issues.values():
        total *= len(values)
    if total <= n:
        return [
            dict(zip(names, combo, strict=True))
            for combo in itertools.product(*domain.issues.values())
        ]
    rng = np.random.default_rng(seed)
    return [
        {name: values[int(rng.integers(len(values)))] for name, values in domain.issues.items()}
        for _ in range(n)
    ]


# ---- the ten public domains ---------------------------------------------------------------------


@pytest.mark.parametrize("name", DOMAINS)
def test_public_domain_imports_with_the_published_shape(name: str) -> None:
    n_issues, sizes, packages, reservation = EXPECTED[name]
    loaded = load_genius_folder(GENIUS_DATA / name)
    scenario = loaded.scenario
    assert len(scenario.issues) == n_issues
    assert tuple(len(i.option_ids) for i in scenario.issues) == sizes
    assert int(np.prod(sizes)) == packages
    assert [p.role for p in scenario.parties] == ["belligerent", "belligerent"]
    assert all(p.has_veto for p in scenario.parties)
    assert tuple(su.reservation_values(scenario).values()) == tuple(100 * r for r in reservation)
    # The text is what import-genius writes and what the provenance hash covers.
    assert parse_scenario(loaded.text).scenario == scenario
    assert loaded.text == genius_scenario_text(read_genius_folder(GENIUS_DATA / name))


@pytest.mark.parametrize("name", DOMAINS)
def test_public_domain_utilities_equal_genius_semantics(name: str) -> None:
    folder = GENIUS_DATA / name
    assert_utilities_match(folder, some_packages(oracle.read_domain(folder), 300, seed=7))


def test_ampo_vs_city_traps() -> None:
    """Issue indices start at 2 under a root objective with index 1, and the first value of the
    first issue is listed twice (evaluation 0, then 8): the later one wins, as in Genius."""
    folder = GENIUS_DATA / "AMPOvsCity"
    domain = read_genius_folder(folder)
    assert [i.index for i in domain.issues] == list(range(2, 12))
    ampo = domain.profiles[0]
    salaries = domain.issues[0]
    assert ampo.evaluations[2]["0"] == 8
    assert ampo.value(salaries, "0") == Fraction(8, 100)
    assert any("evaluated twice" in note and ":15:" in note for note in domain.notes)
    scenario = load_genius_folder(folder).scenario
    assert "evaluated twice" in (scenario.description or "")
    assert scenario.preferences[scenario.parties[0].id].values[scenario.issues[0].id]["0"] == 8.0
    assert [p.name for p in scenario.parties] == ["AMPO", "City"]  # agent names in the template
    assert all(p.reservation is None for p in domain.profiles)  # missing: Genius uses 0


def test_laptop_weights_are_renormalised_and_recorded() -> None:
    folder = GENIUS_DATA / "Laptop"
    domain = read_genius_folder(folder)
    total = domain.profiles[0].weight_sum
    assert abs(total - 1) > Fraction(1, 10**6)
    scenario = load_genius_folder(folder).scenario
    for party in scenario.parties:
        assert sum(scenario.preferences[party.id].weights.values()) == pytest.approx(1, abs=1e-12)
    assert f"sum to {float(total):.10g}" in (scenario.description or "")
    # Dividing by the sum changes each utility by at most 1e-4 of itself.
    assert abs(1 - 1 / total) < Fraction(1, 10**4)
    assert "Genius discount factor 1.0" in (scenario.parties[0].description or "")


def test_import_is_deterministic_and_independent_of_the_folder_location(tmp_path: Path) -> None:
    folder = GENIUS_DATA / "anac2011-Car"
    copy = write_folder(
        tmp_path / "anac2011-Car", {p.name: p.read_text() for p in folder.iterdir()}
    )
    assert load_genius_folder(folder).text == load_genius_folder(copy).text
    assert load_genius_folder(folder).sha256 == load_genius_folder(copy).sha256


# ---- messy but valid files ------------------------------------------------------------------------


def test_market_domain(market: Path) -> None:
    loaded = load_genius_folder(market)
    scenario = loaded.scenario
    assert [p.id for p in scenario.parties] == ["buyer", "seller"]
    assert [i.id for i in scenario.issues] == ["fruit", "price"]
    assert scenario.issue("price").option_ids == ["1", "2"]
    assert scenario.issue("price").option_list[0].label == "$1"
    buyer = scenario.preferences["buyer"]
    assert buyer.values["fruit"] == {"apple": 50.0, "pear": 100.0, "plum": 25.0}
    assert buyer.reservation == 30.0 and buyer.basis["reservation"].sources == ["genius-buyer"]
    seller = scenario.preferences["seller"]
    assert seller.reservation == 0.0 and seller.basis["reservation"].assumption
    assert "Genius discount factor 0.9" in (scenario.party("buyer").description or "")
    assert "buyer 0.9; seller none" in (scenario.description or "").replace("\n", " ")
    # The status quo convention: the first value of every issue.
    assert su.status_quo_package(scenario) == {"fruit": "apple", "price": "1"}
    assert_utilities_match(market, some_packages(oracle.read_domain(market), 100, seed=1))


def test_files_are_found_by_content_not_by_name(tmp_path: Path) -> None:
    files = market_files()
    folder = write_folder(
        tmp_path / "x",
        {
            "z_domain_last.xml": files["market.xml"],
            "a.xml": files["buyer.xml"],
            "b.xml": files["seller.xml"],
            "README.txt": "not XML",
            "pareto.xml": "<pareto><point/></pareto>",
        },
    )
    domain = read_genius_folder(folder)
    assert domain.domain_file == "z_domain_last.xml"
    assert [p.file for p in domain.profiles] == ["a.xml", "b.xml"]
    assert any("pareto.xml: ignored" in note for note in domain.notes)


def test_indices_from_2_under_a_root_objective_and_weights_not_summing_to_one(
    tmp_path: Path,
) -> None:
    files = {
        "d.xml": domain_xml(MARKET_ISSUES, first_index=2).replace(
            'objective index="0"', 'objective index="1"'
        ),
        "buyer.xml": profile_xml(BUYER, ["0.6", "0.4001"], first_index=2).replace(
            "  </objective>", '    <weight index="1" value="1"/>\n  </objective>'
        ),
        "seller.xml": profile_xml(SELLER, ["0.5", "0.5"], first_index=2),
    }
    folder = write_folder(tmp_path / "m", files)
    domain = read_genius_folder(folder)
    assert domain.profiles[0].weight_sum == Fraction("1.0001")
    assert any("weight of objective 1 ignored" in n for n in domain.notes)
    scenario = load_genius_folder(folder).scenario
    assert scenario.preferences["buyer"].weights == pytest.approx(
        {"fruit": 0.6 / 1.0001, "price": 0.4001 / 1.0001}
    )
    assert "sum to 1.0001" in (scenario.description or "")
    assert_utilities_match(folder, some_packages(oracle.read_domain(folder), 100, seed=2))


def test_duplicated_values_later_evaluation_wins(tmp_path: Path) -> None:
    buyer = dict(BUYER, Fruit=[("Apple", "4"), ("Pear", "8"), ("Plum", "2"), ("Apple", "16")])
    files = dict(market_files(), **{"buyer.xml": profile_xml(buyer, ["0.6", "0.4"])})
    folder = write_folder(tmp_path / "m", files)
    scenario = load_genius_folder(folder).scenario
    assert scenario.preferences["buyer"].values["fruit"] == {
        "apple": 100.0,
        "pear": 50.0,
        "plum": 12.5,
    }
    assert "evaluated twice" in (scenario.description or "")


NUMERIC_DOMAIN = """<negotiation_template>
  <utility_space>
    <objective index="0" name="deal">
      <issue index="1" name="Quantity" type="integer" lowerbound="0" upperbound="10"/>
      <issue index="2" name="Price" type="real"><range lowerbound="1.0" upperbound="3.0"/></issue>
      <issue index="3" name="Colour" type="discrete"><item index="1" value="red"/><item index="2" value="blue"/></issue>
    </objective>
  </utility_space>
</negotiation_template>
"""

NUMERIC_BUYER = """<utility_space>
  <objective index="0" name="deal">
    <issue index="1" name="Quantity" type="integer" lowerbound="0" upperbound="10">
      <evaluator ftype="linear" slope="0.2" offset="-0.5"/>
    </issue>
    <issue index="2" name="Price" type="real">
      <range lowerbound="1.0" upperbound="3.0"/>
      <evaluator ftype="linear" parameter0="1.5" parameter1="-0.5"/>
    </issue>
    <issue index="3" name="Colour" type="discrete"><item value="red" evaluation="1"/><item value="blue" evaluation="3"/></issue>
    <weight index="1" value="0.5"/><weight index="2" value="0.3"/><weight index="3" value="0.2"/>
  </objective>
  <reservation value="0.25"/>
</utility_space>
"""

NUMERIC_SELLER = """<utility_space>
  <objective index="0" name="deal">
    <issue index="1" name="Quantity" type="integer" lowerbound="2" upperbound="10">
      <evaluator ftype="linear" slope="0.1" offset="0.2"/>
    </issue>
    <issue index="2" name="Price" type="real">
      <range lowerbound="1.0" upperbound="3.0"/>
      <evaluator ftype="linear" parameter0="0" parameter1="0.3"/>
    </issue>
    <issue index="3" name="Colour" type="discrete"><item value="red" evaluation="2"/><item value="blue" evaluation="2"/></issue>
    <weight index="1" value="0.2"/><weight index="2" value="0.7"/><weight index="3" value="0.1"/>
  </objective>
</utility_space>
"""


def genius_linear(x: float, slope: float, offset: float, origin: float) -> float:
    """Genius's evaluator, written out: clamp(offset + slope * (x - origin), 0, 1)."""
    return min(1.0, max(0.0, offset + slope * (x - origin)))


def test_integer_and_real_issues_with_linear_evaluators(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "numeric",
        {"domain.xml": NUMERIC_DOMAIN, "buyer.xml": NUMERIC_BUYER, "seller.xml": NUMERIC_SELLER},
    )
    scenario = load_genius_folder(folder, real_steps=5).scenario
    quantity, price, _ = scenario.issues
    assert quantity.kind == price.kind == "numeric"
    assert quantity.grid == [float(x) for x in range(11)]
    assert price.grid == [1.0, 1.5, 2.0, 2.5, 3.0]
    assert quantity.status_quo == 0.0 and price.status_quo == 1.0
    buyer, seller = scenario.preferences["buyer"], scenario.preferences["seller"]
    for q, p, colour in itertools.product(quantity.grid, price.grid, ["red", "blue"]):
        package = {"quantity": q, "price": p, "colour": colour}
        got = su.utilities_of(scenario, package)
        # Integer issues count from the profile's lower bound; real issues from 0.
        b = 0.5 * genius_linear(q, 0.2, -0.5, 0) + 0.3 * genius_linear(p, -0.5, 1.5, 0)
        b += 0.2 * (1 if colour == "blue" else 1 / 3)
        s = 0.2 * genius_linear(q, 0.1, 0.2, 2) + 0.7 * genius_linear(p, 0.3, 0, 0) + 0.1
        assert got["buyer"] == pytest.approx(100 * b, abs=1e-9)
        assert got["seller"] == pytest.approx(100 * s, abs=1e-9)
    # The clamped line's kinks are points of the value function (0 at x = 2.5, 1 at x = 7.5).
    assert [x for x, _ in buyer.values["quantity"]] == [0.0, 2.5, 7.5, 10.0]
    assert [x for x, _ in seller.values["quantity"]] == [0.0, 10.0]
    assert buyer.reservation == 25.0
    assert "grid is every integer" in (quantity.description or "")


# ---- broken files --------------------------------------------------------------------------------


def _line_of(text: str, snippet: str) -> int:
    return text.count("\n", 0, text.index(snippet)) + 1


BROKEN = [
    # (file to change, old, new, snippet whose line is reported, message fragment)
    (
        "buyer.xml",
        'value="Plum" evaluation="2"/>',
        'value="Plum" evaluation="2"//>',
        'value="Plum"',
        "not well-formed XML",
    ),
    (
        "buyer.xml",
        'value="Plum" evaluation="2"',
        'value="Kiwi" evaluation="2"',
        'value="Kiwi"',
        "'Kiwi' is not a value of issue 'Fruit'",
    ),
    (
        "buyer.xml",
        'value="Plum" evaluation="2"',
        'value="Plum" evaluation="two"',
        'value="Plum"',
        "evaluation='two' is not a number",
    ),
    (
        "buyer.xml",
        'value="Plum" evaluation="2"',
        'value="Plum" evaluation="-2"',
        'value="Plum"',
        "is negative",
    ),
    (
        "buyer.xml",
        '      <item index="3" value="Plum" evaluation="2"/>\n',
        "",
        '<issue index="1"',
        "no evaluation for 'Plum'",
    ),
    (
        "buyer.xml",
        '<weight index="2" value="0.4"/>',
        '<weight index="2" value="-0.4"/>',
        '<weight index="2"',
        "weight: value=-0.4 is negative",
    ),
    (
        "buyer.xml",
        '<weight index="2" value="0.4"/>',
        '<weight index="7" value="0.4"/>',
        '<weight index="7"',
        "weight for index 7, which is no issue",
    ),
    (
        "buyer.xml",
        '<weight index="2" value="0.4"/>',
        "",
        '<issue index="2"',
        "no <weight> for issue 'Price'",
    ),
    (
        "buyer.xml",
        'name="Price"',
        'name="Cost"',
        'name="Cost"',
        "is 'Cost' here but 'Price' in the domain file",
    ),
    (
        "buyer.xml",
        '<reservation value="0.3"/>',
        '<reservation value="30"/>',
        "<reservation",
        "outside 0..1",
    ),
    (
        "buyer.xml",
        "<utility_space>",
        '<!DOCTYPE x [<!ENTITY a "b">]>\n<utility_space>',
        "<!DOCTYPE",
        "DTDs and entity declarations",
    ),
    (
        "seller.xml",
        '<weight index="1" value="0.5"/>\n    <weight index="2" value="0.5"/>',
        '<weight index="1" value="0"/>\n    <weight index="2" value="0"/>',
        '<weight index="1"',
        "every weight is 0",
    ),
    (
        "market.xml",
        'type="discrete" vtype="discrete" name="Price"',
        'type="objective" vtype="discrete" name="Price"',
        'name="Price"',
        "type 'objective'",
    ),
    (
        "market.xml",
        '<issue index="2"',
        '<issue index="1"',
        '<issue index="1" etype="discrete" type="discrete" vtype="discrete" name="Price"',
        "issue index 1 is used twice",
    ),
    # Converting 1e999999999 to an exact fraction took over a minute; it is refused unconverted.
    (
        "buyer.xml",
        'value="Plum" evaluation="2"',
        'value="Plum" evaluation="1e999999999"',
        'value="Plum"',
        "is out of range",
    ),
    (
        "seller.xml",
        '<weight index="1" value="0.5"/>',
        '<weight index="1" value="1' + "0" * 5000 + '"/>',
        '<weight index="1"',
        "is out of range",
    ),
    (
        "buyer.xml",
        'value="Plum" evaluation="2"',
        'value="Plum" evaluation="inf"',
        'value="Plum"',
        "is not a number",
    ),
    # Deep nesting raised RecursionError; it is refused while parsing, where it starts.
    (
        "buyer.xml",
        "<utility_space>",
        "<utility_space>" + "<x>" * 10_000 + "</x>" * 10_000,
        "<utility_space>",
        "elements nested deeper than 50",
    ),
    (
        "buyer.xml",
        "<utility_space>",
        '<!DOCTYPE x SYSTEM "http://example.org/x.dtd">\n<utility_space>',
        "<!DOCTYPE",
        "DTDs and entity declarations",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "snippet", "fragment"), BROKEN)
def test_broken_files_are_rejected_with_their_position(
    tmp_path: Path, file: str, old: str, new: str, snippet: str, fragment: str
) -> None:
    files = market_files()
    assert old in files[file]
    files[file] = files[file].replace(old, new, 1)
    folder = write_folder(tmp_path / "m", files)
    with pytest.raises(ScenarioError) as caught:
        load_genius_folder(folder)
    problems = caught.value.problems
    assert any(fragment in p.message for p in problems), problems
    hit = next(p for p in problems if fragment in p.message)
    assert hit.path == str(folder / file)
    assert hit.line == _line_of(files[file], snippet), hit
    assert re.fullmatch(rf".*{re.escape(file)}:\d+:\d+: .+", str(hit))


def test_all_zero_evaluations_of_a_weighted_issue_are_rejected(tmp_path: Path) -> None:
    seller = dict(SELLER, Price=[("$1", "0"), ("$2", "0")])
    files = dict(market_files(), **{"seller.xml": profile_xml(seller, ["0.5", "0.5"])})
    with pytest.raises(ScenarioError, match="every evaluation is 0"):
        load_genius_folder(write_folder(tmp_path / "m", files))
    # With weight 0 the issue simply contributes nothing.
    files["seller.xml"] = profile_xml(seller, ["1", "0"])
    scenario = load_genius_folder(write_folder(tmp_path / "n", files)).scenario
    assert scenario.preferences["seller"].values["price"] == {"1": 0.0, "2": 0.0}


def test_unsupported_evaluator(tmp_path: Path) -> None:
    buyer = NUMERIC_BUYER.replace('ftype="linear" slope', 'ftype="triangular" slope')
    folder = write_folder(
        tmp_path / "n",
        {"domain.xml": NUMERIC_DOMAIN, "buyer.xml": buyer, "seller.xml": NUMERIC_SELLER},
    )
    with pytest.raises(ScenarioError, match="ftype 'triangular' is not supported"):
        load_genius_folder(folder)


@pytest.mark.parametrize(
    ("keep", "fragment"),
    [
        (["buyer.xml", "seller.xml"], "no Genius domain file"),
        (["market.xml", "buyer.xml"], "two or more profile files"),
        (["market.xml", "buyer.xml", "seller.xml", "copy.xml"], "a second domain file"),
    ],
)
def test_folder_level_problems(tmp_path: Path, keep: list[str], fragment: str) -> None:
    files = dict(market_files(), **{"copy.xml": market_files()["market.xml"]})
    folder = write_folder(tmp_path / "m", {k: v for k, v in files.items() if k in keep})
    with pytest.raises(ScenarioError, match=re.escape(fragment)):
        read_genius_folder(folder)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    files = market_files()
    files["buyer.xml"] = files["buyer.xml"].replace('value="Plum"', 'value="Kiwi"')
    files["seller.xml"] = files["seller.xml"].replace('value="$2"', 'value="$3"')
    with pytest.raises(ScenarioError) as caught:
        load_genius_folder(write_folder(tmp_path / "m", files))
    files_named = {Path(p.path).name for p in caught.value.problems}
    assert files_named == {"buyer.xml", "seller.xml"}


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="not a directory"):
        load_genius_folder(tmp_path / "missing")


# ---- property: random Genius domains ------------------------------------------------------------


@st.composite
def genius_folders(draw: st.DrawFn) -> dict[str, str]:
    """Random discrete Genius domains with the traps of real files: raw evaluations on any
    scale, duplicated items, weights that do not sum to 1, missing reservation values."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_issues = int(rng.integers(1, 4))
    issues = {
        f"Issue {k}": [f"v{j}" for j in range(int(rng.integers(1, 5)))] for k in range(n_issues)
    }
    first_index = int(rng.integers(1, 3))
    files = {"domain.xml": domain_xml(issues, first_index=first_index)}
    for p in range(int(rng.integers(2, 4))):
        evaluations = {}
        for name, values in issues.items():
            items = [
                (
                    v,
                    str(
                        int(rng.integers(0, 20))
                        if rng.random() < 0.7
                        else round(float(rng.uniform(0, 1)), 3)
                    ),
                )
                for v in values
            ]
            items[0] = (items[0][0], str(int(rng.integers(1, 20))))  # a positive evaluation
            if rng.random() < 0.2:
                items.append((values[0], str(int(rng.integers(1, 30)))))  # a later duplicate
            evaluations[name] = items
        raw = rng.integers(1, 100, size=n_issues).astype(float)
        weights = raw / raw.sum() * (1 + float(rng.choice([0, 0, 1e-4, -3e-5, 0.01])))
        reservation = None if rng.random() < 0.4 else f"{rng.uniform(0, 1):.3f}"
        files[f"party{p}.xml"] = profile_xml(
            evaluations,
            [repr(float(w)) for w in weights],
            reservation=reservation,
            first_index=first_index,
        )
    return files


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=genius_folders())
def test_random_domains_match_genius_semantics(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]
) -> None:
    folder = write_folder(tmp_path_factory.mktemp("genius"), files)
    domain = oracle.read_domain(folder)
    assert_utilities_match(folder, some_packages(domain, 64, seed=0))
    scenario = load_genius_folder(folder).scenario
    for party, profile in zip(scenario.parties, domain.profiles, strict=True):
        assert scenario.preferences[party.id].reservation == pytest.approx(
            float(100 * profile.reservation)
        )


XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
    max_size=12,
)
TRICKY = st.sampled_from(
    [
        "yes",
        "No",
        "null",
        "~",
        "1e3",
        "0x1F",
        "4.37",
        "2020-01-01",
        "- a",
        "#x",
        "a: b",
        "'q'",
        '"',
        " lead",
        "trail ",
        "%",
        "é",
        "𝄞",
        "[x]",
        "{y}",
        "&",
        "*a",
        "!t",
        "|",
        ">",
    ]
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(st.one_of(TRICKY, XML_TEXT).filter(lambda s: s.strip()), min_size=2, max_size=2),
    values=st.lists(st.one_of(TRICKY, XML_TEXT), min_size=2, max_size=4, unique=True),
    party=st.one_of(
        TRICKY, XML_TEXT.filter(lambda s: s.strip() and "/" not in s and "\x00" not in s)
    ),
)
def test_any_names_make_a_scenario_that_reads_back(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], values: list[str], party: str
) -> None:
    """Issue names, values and agent names are free text in Genius: ids are made from them and the
    written YAML must read back as the same scenario, whatever they contain."""
    issues = {f"{names[0]}": values, f"{names[1]} 2": ["only"]}
    evaluations = {
        names[0]: [(v, str(k + 1)) for k, v in enumerate(values)],
        f"{names[1]} 2": [("only", "1")],
    }
    domain = domain_xml(issues).replace(
        "<negotiation_template>\n",
        f'<negotiation_template>\n  <agent name={quoteattr(party)} utility_space="a.xml"/>\n',
    )
    files = {
        "domain.xml": domain,
        "a.xml": profile_xml(evaluations, ["0.5", "0.5"]),
        "b.xml": profile_xml(evaluations, ["0.25", "0.75"]),
    }
    folder = write_folder(tmp_path_factory.mktemp("names"), files)
    loaded = load_genius_folder(folder)
    assert parse_scenario(loaded.text).scenario == loaded.scenario
    assert loaded.scenario.issues[0].name == names[0].strip()
    assert [
        o.id if o.label is None else o.label for o in loaded.scenario.issues[0].option_list
    ] == values
    assert loaded.scenario.parties[0].name == (party.strip() or "a")
