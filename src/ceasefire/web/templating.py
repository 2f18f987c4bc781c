"""The page templates, every one autoescaped."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ceasefire.provenance import ceasefire_version
from ceasefire.report.links import source_href

HERE = Path(__file__).parent


def page_templates() -> Jinja2Templates:
    """The page templates, every one autoescaped (``*.html.j2`` is not a name Starlette's
    default environment escapes)."""
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        auto_reload=False,
    )
    env.globals["version"] = ceasefire_version()
    env.globals["source_href"] = source_href
    return Jinja2Templates(env=env)
