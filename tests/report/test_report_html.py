"""The HTML report is one self-contained file: plotly embedded once, nothing loaded from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.report.html import plotly_js, render_report
from ceasefire.scenario import LoadedScenario

runner = CliRunner()


def loads_from_elsewhere(html: str) -> list[str]:
    """Every attribute that would make a browser fetch something: src=, <link href=, url(...)."""
    pattern = re.compile(
        r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=|<link\b[^>]*\bhref\s*=|"
        r"@import|url\(\s*['\"]?(?:https?:)?//",
        re.IGNORECASE,
    )
    outside_scripts = re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL)
    return pattern.findall(outside_scripts)


def test_report_embeds_plotly_once_and_loads_nothing(
    toy: LoadedScenario, toy_doc: dict[str, Any]
) -> None:
    html = render_report(toy, toy_doc)
    assert html.count(plotly_js()) == 1
    assert html.count("<script>") == 1 + 1 + 2  # plotly, the shared template, one per figure
    assert loads_from_elsewhere(html) == []
    assert 'id="fig-utility_space"' in html and 'id="fig-issue_comparison"' in html


def test_report_names_parties_issues_sources_and_provenance(
    toy: LoadedScenario, toy_doc: dict[str, Any]
) -> None:
    html = render_report(toy, toy_doc)
    for text in (
        "North",
        "South",
        "Border line",
        "Troop ceiling (thousands)",
        "An invented example",
    ):
        assert text in html
    assert toy.sha256 in html
    assert toy_doc["provenance"]["ceasefire_version"] in html
    assert "Today 1 Pareto-optimal package is acceptable to both" in html


def test_report_is_deterministic(toy: LoadedScenario, toy_doc: dict[str, Any]) -> None:
    assert render_report(toy, toy_doc) == render_report(toy, toy_doc)


def test_scenario_text_is_escaped_and_odd_links_stay_text(
    three: LoadedScenario, three_doc: dict[str, Any]
) -> None:
    html = render_report(three, three_doc)
    assert "Gamma &lt;patron&gt;" in html
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html  # shown as text
    assert 'id="fig-utility_parallel"' in html


def test_report_command_writes_the_file_and_prints_its_path(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "toy.html"
    result = runner.invoke(app, ["report", "toy-border", "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.output.replace("\n", "")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert loads_from_elsewhere(html) == []


def test_report_command_rejects_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nid: x\n  oops: [\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(bad), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(bad))}:\d+:\d+: ", result.output)
    assert not (tmp_path / "r.html").exists()
    missing = runner.invoke(app, ["report", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1
    usage = runner.invoke(app, ["report", "toy-border", "--samples", "0"])
    assert usage.exit_code == 2


def test_results_of_other_commands_can_be_added(tmp_path: Path) -> None:
    talks = tmp_path / "talks.json"
    made = runner.invoke(app, ["negotiate", "toy-border", "--json", "--out", str(talks)])
    assert made.exit_code == 0, made.output
    out = tmp_path / "r.html"
    result = runner.invoke(
        app, ["report", "toy-border", "--add", str(talks), "--out", str(out), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'id="fig-negotiation"' in html and 'id="fig-utility_space"' in html
    assert "The simulated talks" in html


def test_added_results_must_belong_to_the_scenario(tmp_path: Path) -> None:
    from .conftest import DATA

    other = tmp_path / "other.json"
    runner.invoke(app, ["negotiate", str(DATA / "three-party.yaml"), "--json", "--out", str(other)])
    wrong = runner.invoke(
        app, ["report", "toy-border", "--add", str(other), "--out", str(tmp_path / "a.html")]
    )
    assert wrong.exit_code == 1 and "computed on another scenario" in wrong.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"transcript": [', encoding="utf-8")
    bad = runner.invoke(app, ["report", "toy-border", "--add", str(broken)])
    assert bad.exit_code == 1 and f"{broken}:1:" in bad.output.replace("\n", "")
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"hello": 1}', encoding="utf-8")
    strange = runner.invoke(app, ["report", "toy-border", "--add", str(unknown)])
    assert strange.exit_code == 1 and "not a result of" in strange.output
    assert not (tmp_path / "a.html").exists()


def test_the_sensitivity_tornado_on_request(tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    result = runner.invoke(
        app, ["report", "toy-border", "--sensitivity", "--out", str(out), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'id="fig-sensitivity"' in html
    assert "The inputs that move the margin of the zone of agreement most" in html
