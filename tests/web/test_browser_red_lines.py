"""In headless Chromium: a closed zone says which red line of which party closes it, and the
utility space draws the packages that cross a red line with a marker and a legend entry of their
own, in the report and in the web app (skipped, like the other browser tests, without Chromium)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ceasefire.cli.common import write_text_atomic
from ceasefire.report.compose import compose
from ceasefire.report.html import render_report
from ceasefire.scenario import parse_scenario

pytestmark = pytest.mark.slow

LEGEND = "crosses a red line (not acceptable)"
WHY = "North's red line on Border line (it excludes north_line and south_line)"


def closed_text(toy_text: str) -> str:
    """The toy with North refusing the southern line too and South asking 45: no zone."""
    return toy_text.replace(
        "red_lines: {border: [north_line]}", "red_lines: {border: [north_line, south_line]}"
    ).replace("reservation: 40 ", "reservation: 45 ")


def test_the_report_says_why_the_zone_is_closed_and_marks_crossing_packages(
    browser: Any,
    toy_text: str,
    tmp_path: Path,
) -> None:
    loaded = parse_scenario(closed_text(toy_text), "closed.yaml")
    document, notes = compose(loaded)
    out = tmp_path / "report.html"
    write_text_atomic(out, render_report(loaded, document, notes=notes))
    page = browser.new_page()
    page.goto(out.as_uri())
    page.wait_for_selector("#fig-utility_space svg.main-svg")
    assert WHY in page.locator("#findings").inner_text()
    assert "Holds under" in page.locator("#findings").inner_text()
    legend = page.locator("#fig-utility_space .legendtext", has_text=LEGEND)
    assert legend.count() == 1 and legend.is_visible()
    assert page.locator("#assumptions").is_visible()
    page.screenshot(path=str(tmp_path / "closed-report.png"), full_page=True)


def test_the_web_app_says_why_the_zone_is_closed_and_marks_crossing_packages(
    browser: Any,
    server: str,
    toy_text: str,
    tmp_path: Path,
) -> None:
    upload = tmp_path / "closed.yaml"
    upload.write_text(closed_text(toy_text).replace("id: toy-border", "id: toy-closed"), "utf-8")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/")
    page.set_input_files("#upload-file", str(upload))
    page.click("#upload-save")
    page.wait_for_url(re.compile(r"/scenarios/\d+$"))
    page.select_option("#run-analysis", "analyze")
    page.click("#run-start")
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    page.wait_for_selector("#fig-utility_space svg.main-svg")
    findings = page.locator("#findings").inner_text()
    assert WHY in findings
    assert "Holds under" in findings
    legend = page.locator("#fig-utility_space .legendtext", has_text=LEGEND)
    assert legend.count() == 1 and legend.is_visible()
    page.screenshot(path=str(tmp_path / "closed-run.png"), full_page=True)
    assert errors == []
