"""Finished runs' figures and HTML reports, made once and kept: a finished run never changes."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from pathlib import Path

from ceasefire.files import write_text
from ceasefire.web.store import RunRow
from ceasefire.web.uploads import stored


def figures_document(run: RunRow) -> str:
    """The figures (plotly JSON) and findings of a finished run, as a JSON text."""
    import plotly.io as pio

    from ceasefire.report.figures import figures_for
    from ceasefire.report.findings import findings

    document = run.result or {}
    scenario = stored(run.scenario_text, f"run {run.id}").scenario
    figures = [
        {
            "name": name,
            "title": figure.layout.title.text or name,
            "caption": spec.caption,
            "figure": json.loads(pio.to_json(figure, validate=False)),
        }
        for name, (spec, figure) in figures_for(document, scenario).items()
    ]
    return json.dumps({"figures": figures, "findings": findings(document, scenario)})


class ReportCache:
    """Each finished run's HTML report, rendered once into a file and then served from disk.

    A report is several megabytes (plotly.js is inside it): kept in memory per request, twenty
    downloads at once would take a gigabyte. A finished run never changes, so its file is kept;
    the directory is per ceasefire version, as the report's layout may change with it.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def path(self, run_id: int) -> Path:
        return self.directory / f"run-{run_id}.html"

    def get(self, run: RunRow) -> Path:
        """The report file of a finished run, written first if it is not there yet."""
        path = self.path(run.id)
        with self._guard:
            lock = self._locks.setdefault(run.id, threading.Lock())
        with lock:  # twenty requests at once render it once
            if not path.exists():
                from ceasefire.report.html import render_report

                loaded = stored(run.scenario_text, f"run {run.id}")
                html = render_report(loaded, run.result or {})
                self.directory.mkdir(parents=True, exist_ok=True)
                write_text(path, html)
        return path

    def drop(self, run_id: int) -> None:
        self.path(run_id).unlink(missing_ok=True)
        with self._guard:
            self._locks.pop(run_id, None)


class FigureCache:
    """The last few runs' figures: a finished run never changes, so its figures are kept."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[int, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, run: RunRow) -> str:
        with self._lock:
            if run.id in self._items:
                self._items.move_to_end(run.id)
                return self._items[run.id]
        text = figures_document(run)
        with self._lock:
            self._items[run.id] = text
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return text

    def drop(self, run_id: int) -> None:
        with self._lock:
            self._items.pop(run_id, None)
