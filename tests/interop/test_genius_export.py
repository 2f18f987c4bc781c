"""Exporting scenarios to Genius XML, the round trip through import, and the two CLI commands."""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.interop.genius import load_genius_folder
from ceasefire.interop.genius_export import export_genius, genius_files, number_text
from ceasefire.scenario import Scenario, bundled_scenarios, load_scenario, parse_scenario
from ceasefire.scenario import utility as su
from tests.interop import genius_oracle as oracle
from tests.interop.conftest import DOMAINS, GENIUS_DATA

runner = CliRunner()


def comparable(scenario: Scenario) -> dict[str, object]:
    """What a round trip must keep: parties, issues and preferences (not ids of the folder,
    sources, descriptions or the notes about the original files)."""
    data = scenario.model_dump(mode="json")
    for party in data["parties"]:
        party.pop("sources")
        party.pop("description")
    for issue in data["issues"]:
        issue.pop("sources")
    for prefs in data["preferences"].values():
        prefs.pop("sources")
        prefs.pop("basis")
    return {k: data[k] for k in ("parties", "issues", "preferences")}


@pytest.mark.parametrize("name", DOMAINS)
def test_round_trip_of_every_public_domain(tmp_path: Path, name: str) -> None:
    first = load_genius_folder(GENIUS_DATA / name).scenario
    export_genius(first, tmp_path / "out")
    second = load_genius_folder(tmp_path / "out").scenario
    assert comparable(second) == comparable(first)
    # The profiles of a second round are the same files (only the scenario id differs).
    again = export_genius(second, tmp_path / "again").files
    for file_name, text in export_genius(first, tmp_path / "out", force=True).files.items():
        if not file_name.endswith("-domain.xml"):
            assert again[file_name] == text.replace(first.id, second.id)


def test_discount_factors_survive_the_round_trip(tmp_path: Path) -> None:
    first = load_genius_folder(GENIUS_DATA / "anac2013-DefensiveCharms").scenario
    result = export_genius(first, tmp_path / "out")
    profile = result.files["util1.xml"]
    assert '<discount_factor value="1.0"/>' in profile and '<reservation value="0.7"/>' in profile


def genius_utility_of_exported(
    folder: Path, scenario: Scenario, package: dict[str, object]
) -> list[Fraction]:
    """Each exported profile's Genius utility (read by the oracle) of a scenario package."""
    domain = oracle.read_domain(folder)
    genius_package = {}
    for issue in scenario.issues:
        if issue.kind == "categorical":
            option = issue.option_list[issue.option_ids.index(str(package[issue.id]))]
            genius_package[issue.name] = option.label or option.id
        else:
            genius_package[issue.name] = number_text(float(package[issue.id]))
    by_file = {p.file: p for p in domain.profiles}
    return [
        domain.utility(by_file[f"{party.id}.xml"], genius_package)
        for party in scenario.veto_parties
    ]


@pytest.mark.parametrize("scenario_id", sorted(bundled_scenarios()))
def test_export_keeps_every_utility_of_bundled_scenarios(tmp_path: Path, scenario_id: str) -> None:
    scenario = load_scenario(bundled_scenarios()[scenario_id]).scenario
    export_genius(scenario, tmp_path / "out")
    labels = [su.option_labels(i) for i in scenario.issues]
    total = int(np.prod([len(x) for x in labels]))
    rng = np.random.default_rng(3)
    if total <= 500:
        packages = list(itertools.product(*labels))
    else:
        packages = [tuple(x[int(rng.integers(len(x)))] for x in labels) for _ in range(200)]
    for combo in packages:
        package = dict(zip([i.id for i in scenario.issues], combo, strict=True))
        expected = su.utilities_of(scenario, package)
        got = genius_utility_of_exported(tmp_path / "out", scenario, package)
        for party, value in zip(scenario.veto_parties, got, strict=True):
            assert float(100 * value) == pytest.approx(expected[party.id], abs=1e-9)


def test_export_reports_what_genius_cannot_say(toy_path: Path) -> None:
    scenario = load_scenario(toy_path).scenario
    result = genius_files(scenario)
    text = "\n".join(result.warnings)
    assert "numeric issue 'troops'" in text
    assert "red lines of 'north'" in text
    assert "no_deal is written as the reservation value" in text
    assert "status quo is not exported" in text
    assert sorted(result.files) == ["north.xml", "south.xml", "toy-border-domain.xml"]
    # no_deal becomes the reservation value it implies.
    r = su.reservation_values(scenario)["north"]
    assert f'<reservation value="{r / 100!r}"/>' in result.files["north.xml"].replace('.0"', '"')


def test_weights_scale_where_the_best_option_is_below_100(tmp_path: Path, toy_text: str) -> None:
    text = toy_text.replace("south_line: 100}", "south_line: 80}", 1)
    scenario = parse_scenario(text).scenario
    result = genius_files(scenario)
    scaled = float(Fraction(0.7) * 80 / 100)  # the exact product, rounded once
    assert f'<weight index="1" value="{scaled!r}"/>' in result.files["north.xml"]
    assert any("worth 80 points" in w for w in result.warnings)
    export_genius(scenario, tmp_path / "out")
    back = load_genius_folder(tmp_path / "out").scenario
    # Re-import divides those weights by their sum (0.86): every utility scales by 1 / 0.86.
    assert sum(back.preferences["north"].weights.values()) == pytest.approx(1)
    assert "sum to 0.86" in (back.description or "")


# ---- command line --------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ceasefire", *args], capture_output=True, text=True, check=False
    )


def test_import_genius_prints_the_scenario_and_reports_on_stderr() -> None:
    result = run("import-genius", str(GENIUS_DATA / "anac2013-DefensiveCharms"))
    assert result.returncode == 0, result.stderr
    scenario = parse_scenario(result.stdout).scenario
    assert scenario.id == "anac2013-defensivecharms"
    assert "36 packages" in result.stderr
    assert "discount factor 1" in result.stderr and "reservation 0.7" in result.stderr


def test_import_genius_out_file_and_validate(tmp_path: Path) -> None:
    out = tmp_path / "ampo.yaml"
    result = runner.invoke(
        app, ["import-genius", str(GENIUS_DATA / "AMPOvsCity"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "1,944,000 packages" in result.output and "evaluated twice" in result.output
    assert out.read_text() == load_genius_folder(GENIUS_DATA / "AMPOvsCity").text
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


def test_import_genius_reports_broken_files_with_positions(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for path in (GENIUS_DATA / "Laptop").iterdir():
        (folder / path.name).write_text(
            path.read_text().replace('evaluation="30"', 'evaluation="x"', 1)
        )
    result = run("import-genius", str(folder))
    assert result.returncode == 1
    assert result.stdout == ""
    line = result.stderr.strip().splitlines()[0]
    assert line.startswith(str(folder / "Laptop-C-prof1.xml") + ":")
    assert "is not a number" in line


def test_export_genius_command(tmp_path: Path) -> None:
    result = run("export-genius", "toy-border", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "warning: red lines of 'north'" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "north.xml",
        "south.xml",
        "toy-border-domain.xml",
    ]
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    assert run("export-genius", "toy-border", str(not_a_dir)).returncode == 1


def test_export_genius_refuses_to_replace_files_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "north.xml").write_text("my own notes")
    (out / "keep.txt").write_text("unrelated")
    result = runner.invoke(app, ["export-genius", "toy-border", str(out)])
    assert result.exit_code == 1
    assert f"{out}: already holds north.xml; nothing written (--force replaces them)" in (
        result.output
    )
    assert (out / "north.xml").read_text() == "my own notes"
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "north.xml"]
    forced = runner.invoke(app, ["export-genius", "toy-border", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (out / "north.xml").read_text().startswith("<?xml")
    assert (out / "keep.txt").read_text() == "unrelated"
    with pytest.raises(FileExistsError, match=r"^already holds .*north\.xml"):
        export_genius(load_scenario(bundled_scenarios()["toy-border"]).scenario, out)


def test_export_genius_accepts_a_genius_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export-genius", str(GENIUS_DATA / "Laptop"), str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "prof1.xml").exists()


def test_analyze_a_genius_folder_directly() -> None:
    folder = GENIUS_DATA / "anac2013-DefensiveCharms"
    result = run("analyze", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    text = load_genius_folder(folder).text
    assert document["provenance"]["scenario_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert document["reservation"] == {"util1": 70.0, "util2": 70.0}
    assert document["zopa"]["exists"]


def test_analyze_a_broken_genius_folder_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "domain.xml").write_text("<negotiation_template><utility_space>")
    result = run("analyze", str(folder))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{folder / 'domain.xml'}:1:")


def test_uncertain_inputs_are_exported_at_their_means(tmp_path: Path, toy_text: str) -> None:
    text = toy_text.replace(
        "weights: {border: 0.7, troops: 0.3}",
        "weights: {border: {dist: uniform, low: 0.6, high: 0.8}, troops: 0.3}",
        1,
    )
    assert text != toy_text
    scenario = parse_scenario(text).scenario
    result = export_genius(scenario, tmp_path / "out")
    assert any("uncertain inputs (weight of border)" in w for w in result.warnings)
    package = {"border": "middle_line", "troops": 25.0}
    expected = su.utilities_of(scenario, package)["north"]
    got = genius_utility_of_exported(tmp_path / "out", scenario, package)[0]
    assert float(100 * got) == pytest.approx(expected, abs=1e-9)


def test_a_reservation_only_the_war_model_gives_is_written_as_zero() -> None:
    scenario = load_scenario(bundled_scenarios()["korea-1951"]).scenario
    result = genius_files(scenario)
    assert any("'unc': no fixed reservation value" in w for w in result.warnings)
    assert '<reservation value="0"/>' in next(
        text for name, text in result.files.items() if name.startswith("unc")
    ).replace('.0"', '"')
