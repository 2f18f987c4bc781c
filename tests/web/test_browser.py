"""End to end in headless Chromium: upload, run, see the figure, move a slider, see a second run.

Playwright drives the Debian Chromium at /usr/bin/chromium (``.ci/run`` installs it); it never
downloads a browser. Where Chromium or Playwright is missing, the tests skip and say why.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ceasefire.cli.common import write_text_atomic
from ceasefire.report.compose import compose
from ceasefire.report.html import render_report, shared_template
from ceasefire.scenario import load_scenario

pytestmark = pytest.mark.slow


def test_upload_run_see_the_figure_move_a_slider(
    browser: Any, server: str, toy_text: str, tmp_path: Path
) -> None:
    upload = tmp_path / "toy-border.yaml"
    upload.write_text("# uploaded through the browser\n" + toy_text, encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(server) else outside.append(request.url),
    )

    page.goto(server + "/")
    assert page.locator("#scenario-list").get_by_text("toy-border").count() == 1
    page.set_input_files("#upload-file", str(upload))
    page.click("#upload-save")
    page.wait_for_url(re.compile(r"/scenarios/\d+$"))
    # An upload that keeps the bundled id is a scenario of its own (issue 17, defect 8), not a
    # silent second version of the bundled one.
    assert "toy-border (upload) version 1 (uploaded)" in page.locator(".subtitle").inner_text()

    page.select_option("#run-analysis", "analyze")
    page.click("#run-start")
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    first_run = page.url
    page.wait_for_selector("#fig-utility_space svg.main-svg")
    assert page.locator("#fig-utility_space svg.main-svg").count() >= 1
    assert page.locator("#fig-utility_space .scatterlayer .point").count() >= 10
    assert page.locator("#figures figure#figure-utility_space > #fig-utility_space").count() == 1
    page.screenshot(path=str(tmp_path / "run.png"), full_page=True)

    slider = page.locator("input.knob-input[data-path='preferences.south.reservation']")
    slider.fill("50")  # fires input and change, as a user's drag does
    assert "South: value of no deal: 40 → 50" in page.locator("#what-if-pending").inner_text()
    page.click("#what-if-run")
    page.wait_for_url(lambda url: url != first_run and re.search(r"/runs/\d+$", url) is not None)
    page.wait_for_selector("#fig-utility_space svg.main-svg")
    page.wait_for_selector("#figures[data-ready='true']")
    assert "Compared with run" in page.locator("#comparison").inner_text()
    assert page.locator("#runs-list tbody tr").count() == 2
    assert page.locator("#comparison-changes td", has_text="South: value of no deal").count() == 1
    previous = page.locator("#fig-utility_space .legendtext", has_text="zone of agreement in run")
    assert previous.count() == 1  # the first run's zone, drawn over the new figure
    page.screenshot(path=str(tmp_path / "what-if.png"), full_page=True)

    # A weight: the party's other weights are rescaled and sent with it, and they sum to 1.
    second_run = page.url
    page.select_option("#weight-choice", "preferences.south.weights.border")
    page.locator("#weight-slider").fill("0.8")
    page.click("#what-if-run")
    page.wait_for_url(lambda url: url != second_run and re.search(r"/runs/\d+$", url) is not None)
    page.wait_for_selector("#figures[data-ready='true']")
    run_id = int(page.url.rsplit("/", 1)[1])
    third = page.request.get(f"{server}/api/runs/{run_id}").json()
    assert third["status"] == "done"
    changes = third["parameters"]["changes"]
    assert changes["preferences.south.reservation"] == 50
    assert changes["preferences.south.weights.border"] == 0.8
    assert abs(changes["preferences.south.weights.troops"] - 0.2) < 1e-9

    assert (tmp_path / "run.png").stat().st_size > 10_000
    assert errors == []
    assert outside == []


def test_the_report_loads_nothing_from_outside_the_file(
    browser: Any, toy_path: Path, tmp_path: Path
) -> None:
    loaded = load_scenario(toy_path)
    document, notes = compose(loaded)
    out = tmp_path / "report.html"
    write_text_atomic(out, render_report(loaded, document, notes=notes))
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(out.as_uri())
    page.wait_for_selector("#fig-utility_space svg.main-svg")
    page.wait_for_load_state("networkidle")
    assert requests == [out.as_uri()]
    assert page.locator("svg.main-svg").count() >= 2
    # Every figure is drawn with the layout template written once in the page.
    plots = page.locator(".plotly-graph-div")
    assert plots.count() >= 2
    assert page.locator(".plotly-graph-div svg.main-svg").first.is_visible()
    templates = page.evaluate(
        "[...document.querySelectorAll('.plotly-graph-div')].map((div) => div.layout.template)"
    )
    assert templates == [shared_template()] * plots.count()
    assert all(plot.locator("svg.main-svg").count() >= 1 for plot in plots.all())
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)


HOSTILE = Path(__file__).parent / "data" / "hostile.yaml"


def test_a_hostile_scenario_runs_no_script_on_any_page(
    browser: Any, server: str, tmp_path: Path
) -> None:
    """Script in every text field of a scenario (and in its comments) never runs: no dialog opens
    on any page, every page carries the Content-Security-Policy, and the app's own pages break
    none of its rules."""
    page = browser.new_page()
    dialogs: list[str] = []
    expected: list[str] = []  # the delete button's own confirmation, at the end

    def on_dialog(dialog: Any) -> None:
        if dialog.type == "confirm" and "cannot be undone" in dialog.message:
            expected.append(dialog.message)
            dialog.accept()
        else:
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

    page.on("dialog", on_dialog)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def visit(url: str) -> None:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        headers = response.headers
        assert "script-src 'self'" in headers["content-security-policy"], url
        assert "frame-ancestors 'none'" in headers["content-security-policy"], url
        assert headers["x-frame-options"] == "DENY", url

    visit(server + "/")
    page.set_input_files("#upload-file", str(HOSTILE))
    page.click("#upload-save")
    page.wait_for_url(re.compile(r"/scenarios/\d+$"))
    scenario_url = page.url
    visit(scenario_url)
    assert "<img src=x" in page.locator("h1").inner_text()  # shown as text
    assert page.locator("#sources a[href^='javascript']").count() == 0

    # Check, valid and invalid: an invalid file is shown line by line, its comments included.
    edit = page.locator("#edit-form")
    edit.get_by_role("button", name="Check").click()
    page.wait_for_selector("#edit-check .check.valid")
    text = HOSTILE.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 9")
    page.fill("#edit-text", text)
    edit.get_by_role("button", name="Check").click()
    page.wait_for_selector("#edit-check .check.invalid")
    assert "alert('comment2')" in page.locator("#edit-check").inner_text()

    visit(scenario_url)
    page.select_option("#run-analysis", "analyze")
    page.click("#run-start")
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    page.wait_for_selector("#figures[data-ready='true']")
    run_url = page.url
    visit(run_url)
    page.wait_for_selector("#figures[data-ready='true']")
    # Hover over the figures, where party names and packages show.
    for point in page.locator("#fig-utility_space .scatterlayer .point").all()[:5]:
        point.hover(force=True)
    legend = page.locator("#fig-utility_space .legendtext").all_inner_texts()
    assert legend  # drawn

    visit(server + "/")
    report = tmp_path / "hostile-report.html"
    download = page.request.get(run_url.replace("/runs/", "/api/runs/") + "/report")
    assert download.status == 200
    report.write_bytes(download.body())
    page.goto(report.as_uri())
    page.wait_for_selector("#fig-utility_space svg.main-svg")

    # Delete the run with its button: the app asks first, then goes back to the scenario.
    page.goto(run_url)
    page.click("#delete-run")
    page.wait_for_url(scenario_url)
    assert len(expected) == 1
    assert page.request.get(run_url.replace("/runs/", "/api/runs/")).status == 404

    assert dialogs == []
    assert violations == []
    assert errors == []


def test_a_method_page_draws_its_figures(browser: Any, server: str) -> None:
    """A forecast from an uploaded file: its figures are drawn under the result, each a <figure>
    with its plot and caption, as on a run page (where the <figure> also has an id)."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/methods/forecast")
    data = Path(__file__).parents[1] / "data" / "bdm" / "emission_standards_bdm1994.csv"
    page.set_input_files("#method-file", str(data))
    page.fill("#method-rounds", "4")
    page.click("#method-run")
    page.wait_for_selector("#method-figures-box figure .plot svg.main-svg")
    page.wait_for_selector("#method-figures-box[data-ready='true']")
    figures = page.locator("#method-figures-box figure")
    expected = page.locator("#method-figures").get_attribute("data-figures")
    assert expected is not None
    items = json.loads(expected)
    assert figures.count() == len(items) >= 1
    for index, item in enumerate(items):
        figure = figures.nth(index)
        assert figure.get_attribute("id") is None
        assert figure.locator(".plot").get_attribute("id") == "fig-" + item["name"]
        assert figure.locator("figcaption").inner_text() == item["caption"]
    assert errors == []
