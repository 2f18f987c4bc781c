"""The main pages in headless Chromium: screenshots, no text outside its column, what-ifs that act.

Screenshots go to ``$CEASEFIRE_SCREENSHOTS`` when it is set (to look at them), else to the
test's temporary folder.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

FLAGSHIP = "russia-ukraine-2023-12"

# Every element of <main> must end inside it, every scroll box must not need to scroll, and no
# text may be cut by its own box; plotly's figures draw their own text in SVG and are checked
# by their own test.
OVERFLOW = """
() => {
  const main = document.querySelector("main");
  const box = main.getBoundingClientRect();
  const style = getComputedStyle(main);
  const right = box.right - parseFloat(style.paddingRight) + 2;
  const bad = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className : "");
  for (const el of main.querySelectorAll("*")) {
    if (el.closest(".plot") || el.closest("svg") || el.closest("option")) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (rect.right > right) {
      bad.push(name(el) + " ends at " + Math.round(rect.right) + " > " + Math.round(right)
        + ": " + (el.innerText || "").slice(0, 60));
      continue;
    }
    const css = getComputedStyle(el);
    const clips = css.overflowX !== "visible" || css.textOverflow === "ellipsis";
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      bad.push(name(el) + " cuts its text: " + el.scrollWidth + " > " + el.clientWidth);
    }
  }
  return bad;
}
"""


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CEASEFIRE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_run(page: Any, body: dict[str, Any]) -> int:
    """Queue a run from inside the page (a same-origin request, as the app's own script makes)."""
    run: dict[str, Any] = page.evaluate(
        """async (body) => {
            const response = await fetch("/api/runs", {method: "POST",
              headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
            return await response.json();
        }""",
        body,
    )
    assert "id" in run, run
    return int(run["id"])


def flagship_id(page: Any, server: str) -> int:
    rows = page.request.get(f"{server}/api/scenarios").json()
    return int(next(r["id"] for r in rows if r["name"] == FLAGSHIP))


def open_finished(page: Any, server: str, run_id: int, seconds: float = 600) -> None:
    """The run's page once the run is done (the machine may be busy: runs queue one at a time)."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + seconds
    while page.request.get(f"{server}/api/runs/{run_id}").json()["status"] != "done":
        assert time.monotonic() < deadline, f"run {run_id} did not finish"
        time.sleep(0.5)
    # A run page that is open reloads itself when its run finishes; that reload may start while
    # goto is loading the same page, which Chromium reports as an interrupted navigation.
    for attempt in range(3):
        try:
            page.goto(f"{server}/runs/{run_id}")
            break
        except PlaywrightError as error:
            if "interrupted by another navigation" not in str(error) or attempt == 2:
                raise
    page.wait_for_selector("#figures[data-ready='true']")


def check_page(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    assert page.evaluate(OVERFLOW) == [], name
    text = page.locator("main").inner_text()
    assert not re.search(r"\bnan\b", text, re.IGNORECASE), name  # issue 17, defect 6
    assert "`" not in text, name


def test_the_main_pages_keep_their_text_in_their_columns(
    browser: Any, server: str, tmp_path: Path
) -> None:
    folder = shots(tmp_path)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/")
    check_page(page, folder, "index")
    scenario = flagship_id(page, server)
    page.goto(f"{server}/scenarios/{scenario}")
    check_page(page, folder, "scenario")

    analyze = start_run(page, {"scenario_id": scenario, "samples": 400, "seed": 1})
    talks = start_run(
        page,
        {
            "scenario_id": scenario,
            "analysis": "negotiate",
            "seed": 1,
            "options": {"protocol": "alternating", "rounds": 8, "strategy": "boulware"},
        },
    )
    open_finished(page, server, analyze)
    check_page(page, folder, "run-analyze")
    open_finished(page, server, talks)
    table = page.locator("#transcript-table")
    assert table.count() == 1
    # The transcript reads as names and labels, and stays in its column.
    text = table.inner_text()
    assert "Russia" in text and "line_of_control" not in text
    column = page.locator("main").bounding_box()
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= (
        column["x"] + column["width"]
    )
    check_page(page, folder, "run-negotiate")
    page.set_viewport_size({"width": 820, "height": 900})
    check_page(page, folder, "run-negotiate-narrow")
    assert errors == []


def test_a_war_scenario_offers_only_sliders_that_act_and_takes_several_at_once(
    browser: Any, server: str, tmp_path: Path
) -> None:
    """Issue 17, defect 1: with a war model the file's cost of no deal changes nothing, so it
    is not offered; the sliders offered move the answer, several go into one run, and the
    comparison shows what each run used."""
    page = browser.new_page()
    page.goto(server + "/")
    scenario = flagship_id(page, server)
    first = start_run(page, {"scenario_id": scenario, "samples": 400, "seed": 1})
    open_finished(page, server, first)
    assert page.locator("input.knob-input[data-path*='no_deal']").count() == 0
    assert page.locator("input.knob-input[data-path*='reservation']").count() == 0
    russia = page.locator("input.knob-input[data-path='war.costs.russia.per_10k_casualties']")
    ukraine = page.locator("input.knob-input[data-path='war.costs.ukraine.per_10k_casualties']")
    russia.fill("2")
    ukraine.fill("0")
    pending = page.locator("#what-if-pending li")
    assert pending.count() == 2
    assert "Run with these 2 changes" in page.locator("#what-if-run").inner_text()
    page.click("#what-if-run")
    page.wait_for_url(lambda url: not url.endswith(f"/runs/{first}"))
    open_finished(page, server, int(page.url.rsplit("/", 1)[1]))
    rows = page.locator("#comparison-changes tbody tr")
    assert rows.count() == 2
    assert "0.26" in rows.nth(1).inner_text() or "0.26" in rows.nth(0).inner_text()
    second = int(page.url.rsplit("/", 1)[1])
    before = page.request.get(f"{server}/api/runs/{first}/result").json()
    after = page.request.get(f"{server}/api/runs/{second}/result").json()
    assert before["reservation"] != after["reservation"]  # the change acted
    page.screenshot(path=str(shots(tmp_path) / "what-if-war.png"), full_page=True)


def test_the_method_pages_show_tables_and_draw_figures(
    browser: Any, server: str, tmp_path: Path
) -> None:
    folder = shots(tmp_path)
    data = Path(__file__).parents[1] / "data"
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for name, upload in (
        ("forecast", data / "bdm" / "emission_standards_bdm1994.csv"),
        ("stability", data / "stability" / "elmira.yaml"),
        ("divide", data / "fair_division" / "bob_carol.csv"),
    ):
        page.goto(f"{server}/methods/{name}")
        page.set_input_files("#method-file", str(upload))
        page.click("#method-run")
        page.wait_for_selector("#method-figures-box .plot svg.main-svg")
        check_page(page, folder, f"method-{name}")
    assert errors == []


def test_the_tournament_and_sobol_pages_keep_their_text_in_their_columns(
    browser: Any, server: str, tmp_path: Path
) -> None:
    """The run pages of a tournament (rankings with intervals) and of Sobol indices (with the
    warning of unreliable estimates), chosen through the form, in Chromium."""
    folder = shots(tmp_path)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/")
    rows = page.request.get(f"{server}/api/scenarios").json()
    toy = int(next(r["id"] for r in rows if r["name"] == "toy-border"))
    page.goto(f"{server}/scenarios/{toy}")
    page.select_option("#run-analysis", "sensitivity")
    assert page.locator("#sensitivity-options").is_visible()
    page.select_option("#run-method", "sobol")
    page.fill("#run-sobol-samples", "8")
    check_page(page, folder, "scenario-sensitivity-form")
    page.click("#run-start")
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    open_finished(page, server, int(page.url.rsplit("/", 1)[1]))
    assert page.locator("#sobol").count() == 1 and page.locator("#sobol-warning").count() == 1
    check_page(page, folder, "run-sobol")
    tournament = start_run(
        page,
        {
            "scenario_id": toy,
            "analysis": "tournament",
            "seed": 1,
            "options": {"runs": 2, "rounds": 8},
        },
    )
    open_finished(page, server, tournament)
    assert page.locator("#tournament").count() == 1
    check_page(page, folder, "run-tournament")
    assert errors == []
