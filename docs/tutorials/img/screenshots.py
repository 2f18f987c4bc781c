"""Take the screenshots of docs/tutorials/web-app.md: the walk-through, done by a browser.

Run from the repository root: ``.venv/bin/python docs/tutorials/img/screenshots.py``. It serves
the app from a temporary database on a free local port and drives Debian's Chromium
(/usr/bin/chromium) with Playwright, writing PNG files beside this script.
"""

from __future__ import annotations

import re
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from ceasefire.scenario import bundled_scenarios
from ceasefire.web.app import create_app

HERE = Path(__file__).parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def shoot(page: Page, name: str, selector: str | None = None) -> None:
    path = HERE / f"{name}.png"
    if selector is None:
        page.screenshot(path=str(path))
    else:
        page.locator(selector).first.screenshot(path=str(path))
    print(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(folder / "db.sqlite"), port=port, log_level="warning")
        )
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        toy = bundled_scenarios()["toy-border"].read_text(encoding="utf-8")
        with sync_playwright() as driver:
            context = driver.chromium.launch_persistent_context(
                str(folder / "profile"),
                executable_path="/usr/bin/chromium",
                headless=True,
                args=ARGS,
                viewport={"width": 1200, "height": 820},
            )
            context.set_default_timeout(60_000)
            page = context.new_page()

            page.goto(base + "/")
            shoot(page, "web-01-scenarios")

            mine = toy.replace("id: toy-border", "id: my-border").replace(
                "reservation: 40", "reservation: forty"
            )
            page.fill("#upload-text", mine)
            page.click("text=Check")
            page.wait_for_selector(".check.invalid")
            shoot(page, "web-02-errors", "#check")

            page.fill("#upload-text", mine.replace("reservation: forty", "reservation: 40"))
            page.click("#upload-save")
            page.wait_for_url(re.compile(r"/scenarios/\d+$"))
            shoot(page, "web-03-scenario")

            page.click("#run-start")
            page.wait_for_url(re.compile(r"/runs/\d+$"))
            page.wait_for_selector("#figures[data-ready='true']")
            page.locator("#findings").scroll_into_view_if_needed()
            shoot(page, "web-04-run", "main")

            slider = page.locator("input.knob-input[data-path='preferences.south.reservation']")
            slider.scroll_into_view_if_needed()
            shoot(page, "web-05-what-if", "#what-if")
            first = page.url
            slider.fill("47")
            page.click("#what-if-run")
            page.wait_for_url(lambda url: url != first)
            page.wait_for_selector("#figures[data-ready='true']")
            shoot(page, "web-06-comparison", "#comparison")
            shoot(page, "web-07-moved", "#figure-utility_space")

            page.goto(base + "/")
            page.click('text="russia-ukraine-2023-12"')
            page.wait_for_url(re.compile(r"/scenarios/\d+$"))
            page.select_option("#run-analysis", "negotiate")
            page.select_option("#run-strategy", "tit_for_tat")
            page.click("#run-start")
            page.wait_for_url(re.compile(r"/runs/\d+$"))
            page.wait_for_selector("#figures[data-ready='true']")
            shoot(page, "web-08-negotiation", "#figure-negotiation")

            for analysis, figure, name in (
                ("war", "#figure-war_fans", "web-09-war"),
                ("analyze", "#figure-ripeness", "web-10-ripeness"),
            ):
                page.goto(base + "/")
                page.click('text="russia-ukraine-2023-12"')
                page.wait_for_url(re.compile(r"/scenarios/\d+$"))
                page.select_option("#run-analysis", analysis)
                page.click("#run-start")
                page.wait_for_url(re.compile(r"/runs/\d+$"))
                page.wait_for_selector("#figures[data-ready='true']")
                shoot(page, name, figure)
            context.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
