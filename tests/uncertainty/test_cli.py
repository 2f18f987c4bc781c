"""The commands ``robust``, ``sensitivity`` and ``mediate``: JSON, exit codes, workers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli import app
from tests.strategies import toy_text

runner = CliRunner()

UNCERTAIN_TOY = {
    "reservation: 40": "reservation: {dist: uniform, low: 30, high: 70}",
    "no_deal: {cost: 10}": "no_deal: {cost: {dist: normal, mean: 10, sd: 5}}",
    "red_lines: {border: [north_line]}": "red_lines: {border: {options: [north_line], p: 0.8}}",
}


def uncertain_toy(tmp_path: Path) -> Path:
    text = toy_text()
    for old, new in UNCERTAIN_TOY.items():
        text = text.replace(old, new)
    path = tmp_path / "toy.yaml"
    path.write_text(text)
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "ceasefire", *args], capture_output=True, text=True, check=False
    )


def test_robust_json_has_the_documented_fields(tmp_path: Path) -> None:
    path = uncertain_toy(tmp_path)
    result = runner.invoke(app, ["robust", str(path), "--samples", "2000", "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in ("p_zopa", "packages", "most_robust", "samples", "seed", "stderr", "provenance"):
        assert key in doc
    assert doc["samples"] == 2000 and doc["seed"] == 3
    assert doc["provenance"]["seed"] == 3
    assert 0 < doc["p_zopa"] < 1
    entry = doc["packages"][0]
    assert set(entry) == {"package", "p_acceptable", "p_chosen"}
    assert set(entry["package"]) == {"border", "troops"}
    assert {i["path"] for i in doc["uncertain_inputs"]} == {
        "preferences.south.reservation",
        "preferences.north.no_deal.cost",
        "preferences.north.red_lines.border",
    }


def test_robust_with_two_workers_prints_the_same_json(tmp_path: Path) -> None:
    path = uncertain_toy(tmp_path)
    one = run("robust", str(path), "--samples", "9000", "--json")
    two = run("robust", str(path), "--samples", "9000", "--json", "--workers", "2")
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert one.stdout == two.stdout


def test_robust_summary_and_out_file(tmp_path: Path) -> None:
    path = uncertain_toy(tmp_path)
    out = tmp_path / "robust.json"
    result = runner.invoke(app, ["robust", str(path), "--samples", "500", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "P(a zone of possible agreement exists)" in result.output
    assert "Most robust package" in result.output
    assert json.loads(out.read_text())["samples"] == 500


def test_robust_bad_input_and_usage_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = uncertain_toy(tmp_path).read_text()
    bad.write_text(
        text.replace("p: 0.8", "p: 2").replace("low: 30, high: 70", "low: 130, high: 170")
    )
    result = run("robust", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{bad}:") for line in lines), lines
    assert run("robust", "--samples", "0").returncode == 2
    assert run("robust", "--workers", "0").returncode == 2


def test_sensitivity_json_tornado_and_sobol(tmp_path: Path) -> None:
    path = uncertain_toy(tmp_path)
    result = runner.invoke(app, ["sensitivity", str(path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "oat"
    assert set(doc["outputs"]) == {"zopa_margin", "zopa", "nash.north", "nash.south"}
    paths = {i["path"] for i in doc["inputs"]}
    assert "preferences.north.weights.border" in paths
    assert all(row["input"] in paths for row in doc["tornado"]["zopa_margin"])
    result = runner.invoke(
        app, ["sensitivity", str(path), "--method", "sobol", "--samples", "32", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {row["input"] for row in doc["sobol"]["zopa"]} >= {"preferences.south.no_deal"}
    assert doc["provenance"]["parameters"]["samples"] == 32


def test_sobol_with_seed_0_is_reproducible_across_runs_and_workers(tmp_path: Path) -> None:
    """SALib seeds its bootstrap only for a non-zero seed: the seeds it gets are derived from the
    run's, so seed 0 gives the same indices and confidence intervals in every process."""
    path = uncertain_toy(tmp_path)
    args = ("sensitivity", str(path), "--method", "sobol", "--samples", "32", "--seed", "0")
    first = run(*args, "--json")
    second = run(*args, "--json")
    two = run(*args, "--json", "--workers", "2")
    assert first.returncode == 0 and second.returncode == 0 and two.returncode == 0, two.stderr
    assert first.stdout == second.stdout == two.stdout
    doc = json.loads(first.stdout)
    confs = [
        row[k] for rows in doc["sobol"].values() for row in rows for k in ("S1_conf", "ST_conf")
    ]
    assert any(c > 0 for c in confs)  # the bootstrap ran: there are intervals to compare


def test_salib_seeds_are_never_0() -> None:
    from ceasefire.uncertainty.sensitivity import salib_seed

    seeds = {salib_seed(seed, stream) for seed in range(200) for stream in (0, 1)}
    assert 0 not in seeds and all(0 < s < 2**31 for s in seeds)
    assert len(seeds) == 400  # distinct per run seed and per use
    assert salib_seed(0, 1) == salib_seed(0, 1)


def test_sensitivity_summary_and_usage_errors(tmp_path: Path) -> None:
    path = uncertain_toy(tmp_path)
    result = runner.invoke(app, ["sensitivity", str(path), "--inputs", "declared", "--top", "2"])
    assert result.exit_code == 0, result.output
    assert "preferences.south.reservation" in result.output
    assert run("sensitivity", str(path), "--method", "sobol", "--samples", "30").returncode == 2
    assert run("sensitivity", str(path), "--method", "morris").returncode == 2
