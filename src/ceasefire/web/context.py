"""What the routes of one app share: its store, runner, parser, caches and templates, and the
lookups that turn a missing id into a 404."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException
from fastapi.templating import Jinja2Templates

from ceasefire.scenario import LoadedScenario, bundled_scenarios
from ceasefire.web.caches import FigureCache, ReportCache
from ceasefire.web.parsing import Parser
from ceasefire.web.runner import Runner
from ceasefire.web.store import RunRow, ScenarioRow, Store
from ceasefire.web.uploads import parse_upload

UPLOADED = "(upload)"
"""What the name of an upload that keeps a bundled scenario's id ends with."""


@dataclass(frozen=True)
class WebContext:
    store: Store
    runner: Runner
    parser: Parser
    figures: FigureCache
    reports: ReportCache
    templates: Jinja2Templates
    max_active_runs: int

    async def load(self, name: str, data: bytes) -> LoadedScenario:
        """An upload, parsed in the worker process with a time limit."""
        return await parse_upload(self.parser, name, data)

    def scenario(self, scenario_id: int) -> ScenarioRow:
        row = self.store.scenario(scenario_id)
        if row is None:
            raise HTTPException(404, f"no scenario {scenario_id}")
        return row

    def run(self, run_id: int) -> RunRow:
        row = self.store.run(run_id)
        if row is None:
            raise HTTPException(404, f"no run {run_id}")
        return row

    def finished(self, run_id: int) -> RunRow:
        run = self.run(run_id)
        if run.status != "done":
            raise HTTPException(409, f"run {run_id} is {run.status}")
        return run

    def save(
        self, loaded: LoadedScenario, origin: str, parent_id: int | None = None
    ) -> tuple[ScenarioRow, bool]:
        """Store a scenario as the next version of its id. An upload (not an edit made in the
        app) that keeps the id of a bundled scenario but changes its text is a scenario of its
        own, ``ID (upload)``, never a silent new version of the bundled one."""
        scenario = loaded.scenario
        name = scenario.id
        if origin != "edited" and name in bundled_scenarios():
            rows = self.store.scenarios()
            if not any(r.name == name and r.sha256 == loaded.sha256 for r in rows):
                name = f"{name} {UPLOADED}"
        return self.store.add_scenario(
            name=name,
            title=scenario.title,
            text=loaded.text,
            sha256=loaded.sha256,
            origin="edited" if origin == "edited" else "uploaded",
            parent_id=parent_id,
        )

    def delete_run(self, run_id: int) -> RunRow:
        run = self.run(run_id)
        try:
            self.store.delete_run(run_id)
        except ValueError as error:
            raise HTTPException(409, str(error)) from None
        self.figures.drop(run_id)
        self.reports.drop(run_id)
        return run

    def delete_scenario(self, scenario_id: int) -> None:
        row = self.scenario(scenario_id)
        if row.origin == "bundled":
            raise HTTPException(409, "a bundled scenario comes with ceasefire and stays")
        try:
            run_ids = self.store.delete_scenario(scenario_id) or []
        except ValueError as error:
            raise HTTPException(409, str(error)) from None
        for run_id in run_ids:
            self.figures.drop(run_id)
            self.reports.drop(run_id)
