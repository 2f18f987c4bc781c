"""Scenario texts from requests: reading an upload, parsing it off the event loop, and showing
its problems line by line.

Nothing a request sends is ever used as a file path: an upload's file name only becomes a
display label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from fastapi import HTTPException, Request

from ceasefire.scenario import LoadedScenario, Located, ScenarioError, parse_scenario
from ceasefire.scenario.load import MAX_BYTES
from ceasefire.web.parsing import Parser

# Room for multipart headers around a file of the largest size a scenario may have.
BODY_LIMIT = MAX_BYTES + 64 * 1024
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")


class InvalidScenario(Exception):
    """A scenario text that does not load; carries its problems for a 422."""

    def __init__(self, problems: list[Located], text: str) -> None:
        super().__init__("invalid scenario")
        self.problems = problems
        self.text = text


class TooLarge(Exception):
    pass


def label(filename: str | None) -> str:
    """A display name for an upload: the base name, in safe characters (never used as a path)."""
    base = re.split(r"[\\/]", filename or "")[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")[:100]
    return cleaned or "upload.yaml"


def problems_json(problems: Sequence[Located]) -> list[dict[str, Any]]:
    return [{"line": p.line, "col": p.col, "message": p.message, "where": str(p)} for p in problems]


def annotate(text: str, problems: list[Located], context: int = 3) -> list[dict[str, Any]]:
    """The lines to show with their problems: all of a short text, else each problem in context."""
    lines = text.splitlines() or [""]
    by_line: dict[int, list[Located]] = {}
    for problem in problems:
        by_line.setdefault(min(max(problem.line, 1), len(lines)), []).append(problem)
    if len(lines) <= 20:
        shown = set(range(1, len(lines) + 1))
    else:
        shown = {
            n
            for line in by_line
            for n in range(line - context, line + context + 1)
            if 1 <= n <= len(lines)
        }
    rows: list[dict[str, Any]] = []
    previous = 0
    for number in sorted(shown):
        if number > previous + 1:
            rows.append({"gap": True})
        rows.append(
            {
                "gap": False,
                "number": number,
                "text": lines[number - 1],
                "problems": [{"col": p.col, "message": p.message} for p in by_line.get(number, [])],
            }
        )
        previous = number
    return rows


def stored(text: str, name: str) -> LoadedScenario:
    """A stored scenario text, loaded; one that no longer validates (say, after an upgrade of
    ceasefire) is a 422 with its problems, not a server error."""
    try:
        return _stored(text, name)
    except ScenarioError as error:
        raise InvalidScenario(error.problems, text) from None


@lru_cache(maxsize=8)
def _stored(text: str, name: str) -> LoadedScenario:
    """Stored texts never change, so each is parsed once (a page view parses no YAML)."""
    return parse_scenario(text, name)


async def scenario_from_request(request: Request, field: str = "file") -> tuple[str, bytes]:
    """(display name, bytes) of a scenario sent as a multipart file, a form field or a body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_part_size=BODY_LIMIT)
        upload = form.get(field)
        if upload is not None and not isinstance(upload, str):
            data = await upload.read(MAX_BYTES + 1)
            if data:
                return label(upload.filename), data
        pasted = form.get("text")
        if isinstance(pasted, str) and pasted.strip():
            return "pasted.yaml", pasted.encode("utf-8")
        raise HTTPException(422, f"send the scenario in the form field '{field}' or 'text'")
    if content_type in YAML_TYPES or content_type == "":
        return "request.yaml", await request.body()
    raise HTTPException(
        415, "send YAML as a multipart upload (field 'file') or a raw application/yaml body"
    )


async def parse_upload(parser: Parser, name: str, data: bytes) -> LoadedScenario:
    """Parse an upload in the worker process (never on the event loop), with a time limit."""
    if len(data) > MAX_BYTES:
        raise TooLarge(f"the scenario is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    try:
        return await parser.parse(data, name)
    except ScenarioError as error:
        text = data.decode("utf-8", errors="replace")
        raise InvalidScenario(error.problems, text) from None
