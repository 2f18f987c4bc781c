"""What the tutorials say about the program matches what it does (beyond the examples they run)."""

from __future__ import annotations

import re
from pathlib import Path

from ceasefire.scenario import bundled_scenarios

ROOT = Path(__file__).parents[2]
WEB_APP = ROOT / "docs" / "tutorials" / "web-app.md"
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def test_the_web_tutorial_counts_the_bundled_scenarios_right() -> None:
    """The first screenshot's caption said "the two bundled scenarios" when there were six."""
    text = WEB_APP.read_text(encoding="utf-8")
    for word in re.findall(r"\b(\w+) bundled scenarios\b", text):
        if word in NUMBERS:
            assert NUMBERS[word] == len(bundled_scenarios()), word


def test_the_web_tutorial_gives_the_port_in_use_message_as_printed() -> None:
    text = " ".join(WEB_APP.read_text(encoding="utf-8").split())
    code = (ROOT / "src" / "ceasefire" / "cli" / "serve.py").read_text(encoding="utf-8")
    assert "`127.0.0.1:8000: the web app could not start` and exits with status 1" in text
    assert ": the web app could not start (above: why)" in code


def test_the_command_reference_lists_every_command() -> None:
    """`explain` was missing from the table of commands."""
    import typer

    from ceasefire.cli import app

    text = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    table = text[text.index("## Commands") : text.index("## Options several commands share")]
    listed = set(re.findall(r"^\| `([a-z-]+)", table, re.M)) | set(
        re.findall(r"`([a-z-]+)`", table.splitlines()[-2])
    )
    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert commands <= listed, commands - listed


def test_the_api_example_names_the_toy_scenario_by_its_id(tmp_path: Path) -> None:
    """The example posted a what-if on South's value of no deal to scenario 2, which is now
    korea-1951 (the app refused it); the id must be toy-border's in a new database."""
    import json

    from fastapi.testclient import TestClient

    from ceasefire.web.app import create_app

    text = WEB_APP.read_text(encoding="utf-8")
    body = json.loads(re.search(r"-d '(\{\"scenario_id\".*?\})' ", text)[1])  # type: ignore[index]
    assert "preferences.south.reservation" in body["changes"]
    with TestClient(create_app(tmp_path / "db.sqlite"), base_url="http://127.0.0.1") as client:
        ids = {row["name"]: row["id"] for row in client.get("/api/scenarios").json()}
    assert ids["toy-border"] == body["scenario_id"]
    assert f"`toy-border` is {ids['toy-border']}" in " ".join(text.split())
