"""Which addresses from a scenario file may become links in a page or a report."""

from __future__ import annotations


def source_href(url: str | None) -> str | None:
    """Only web addresses become links; anything else (``javascript:``, ``data:``, a file path)
    stays text, so a scenario file cannot put script behind a link."""
    if url and url.strip().lower().startswith(("https://", "http://")) and url == url.strip():
        return url
    return None
