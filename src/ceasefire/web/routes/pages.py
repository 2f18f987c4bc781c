"""The HTML pages (scenario list, scenario, run) and the htmx form endpoints under ``/ui/``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool as in_thread

from ceasefire.web import run_tables
from ceasefire.web.analyses import ANALYSES, offered
from ceasefire.web.context import WebContext
from ceasefire.web.store import ScenarioRow, Store
from ceasefire.web.uploads import scenario_from_request, stored
from ceasefire.web.whatif import knobs


def negotiation_choices() -> dict[str, Any]:
    """The protocols and strategies the negotiation layer offers, and whether a negotiation run
    takes a strategy of a party's own (``strategies``) besides the one every party plays."""
    from ceasefire.negotiation import PROTOCOLS, STRATEGIES

    kind = ANALYSES.get("negotiate")
    own = False
    if kind is not None and kind.check is not None:
        try:
            kind.check({"strategies": {}})
            own = True
        except ValueError:
            own = False
    return {"protocols": list(PROTOCOLS), "strategies": sorted(STRATEGIES), "own_strategies": own}


def titles(store: Store) -> dict[int, str]:
    return {row.id: f"{row.name} v{row.version}" for row in store.scenarios()}


def router(ctx: WebContext) -> APIRouter:
    pages = APIRouter(include_in_schema=False)
    store = ctx.store
    templates = ctx.templates

    @pages.get("/", response_class=HTMLResponse)
    def index(request: Request) -> Response:
        groups: dict[str, list[ScenarioRow]] = {}
        for row in store.scenarios():
            groups.setdefault(row.name, []).append(row)
        return templates.TemplateResponse(
            request,
            "index.html.j2",
            {"groups": groups, "runs": store.runs(limit=10), "scenarios": titles(store)},
        )

    @pages.post("/ui/check", response_class=HTMLResponse)
    async def check(request: Request) -> Response:
        name, data = await scenario_from_request(request)
        loaded = await ctx.load(name, data)
        return await in_thread(
            templates.TemplateResponse,
            request,
            "_check.html.j2",
            {"rows": [], "problems": [], "loaded": loaded},
        )

    @pages.post("/ui/scenarios")
    async def ui_upload(request: Request) -> Response:
        name, data = await scenario_from_request(request)
        row, _ = await in_thread(ctx.save, await ctx.load(name, data), "uploaded")
        return Response(status_code=204, headers={"HX-Redirect": f"/scenarios/{row.id}"})

    @pages.post("/ui/scenarios/{scenario_id}/versions")
    async def ui_new_version(scenario_id: int, request: Request) -> Response:
        parent = await in_thread(ctx.scenario, scenario_id)
        _, data = await scenario_from_request(request)
        loaded = await ctx.load(f"{parent.name}.yaml", data)
        row, _ = await in_thread(ctx.save, loaded, "edited", parent.id)
        return Response(status_code=204, headers={"HX-Redirect": f"/scenarios/{row.id}"})

    @pages.delete("/ui/runs/{run_id}")
    def ui_delete_run(run_id: int) -> Response:
        run = ctx.delete_run(run_id)
        return Response(status_code=204, headers={"HX-Redirect": f"/scenarios/{run.scenario_id}"})

    @pages.delete("/ui/scenarios/{scenario_id}")
    def ui_delete_scenario(scenario_id: int) -> Response:
        ctx.delete_scenario(scenario_id)
        return Response(status_code=204, headers={"HX-Redirect": "/"})

    @pages.get("/scenarios/{scenario_id}", response_class=HTMLResponse)
    def scenario_page(request: Request, scenario_id: int) -> Response:
        row = ctx.scenario(scenario_id)
        scenario = stored(row.text, row.name).scenario
        versions = [r for r in store.scenarios() if r.name == row.name]
        return templates.TemplateResponse(
            request,
            "scenario.html.j2",
            {
                "row": row,
                "scenario": scenario,
                "versions": versions,
                "analyses": offered(scenario),
                "all_analyses": list(ANALYSES.values()),
                "runs": store.runs(scenario_id, 50),
                **negotiation_choices(),
            },
        )

    @pages.get("/runs/{run_id}", response_class=HTMLResponse)
    def run_page(request: Request, run_id: int) -> Response:
        run = ctx.run(run_id)
        row = ctx.scenario(run.scenario_id)
        scenario = stored(run.scenario_text, f"run {run_id}").scenario
        parent = store.run(run.parent_run_id) if run.parent_run_id is not None else None
        offered = knobs(scenario)
        return templates.TemplateResponse(
            request,
            "run.html.j2",
            {
                "run": run,
                "row": row,
                "scenario": scenario,
                "knobs": offered,
                "labels": {knob.path: knob.label for knob in offered},
                "summary": run_tables.summary(run, scenario),
                "findings": run_tables.run_findings(run, scenario),
                "transcript": run_tables.transcript(run, scenario),
                "robust": run_tables.robust_table(run, scenario),
                "mediation": run_tables.mediation_table(run, scenario),
                "tournament": run_tables.tournament_table(run, scenario),
                "sobol": run_tables.sobol_table(run, scenario),
                "parent": parent,
                "comparison": run_tables.comparison(
                    run, parent, scenario, stored(parent.scenario_text, f"run {parent.id}").scenario
                )
                if parent
                else None,
                "runs": store.runs(run.scenario_id, 20),
            },
        )

    return pages
