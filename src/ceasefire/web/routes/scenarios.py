"""API: stored scenarios, their versions, what-if controls and the analyses that apply."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool as in_thread

from ceasefire.web.analyses import ANALYSES, offered
from ceasefire.web.context import WebContext
from ceasefire.web.store import ScenarioRow
from ceasefire.web.uploads import scenario_from_request, stored
from ceasefire.web.whatif import knobs


def scenario_json(row: ScenarioRow, *, text: bool = False) -> dict[str, Any]:
    data = row.summary()
    if text:
        data["text"] = row.text
    return data


def router(ctx: WebContext) -> APIRouter:
    api = APIRouter(prefix="/api", tags=["api"])

    @api.get("/scenarios", summary="List stored scenarios (bundled and uploaded, every version)")
    def list_scenarios() -> list[dict[str, Any]]:
        return [row.summary() for row in ctx.store.scenarios()]

    @api.post(
        "/scenarios",
        status_code=201,
        summary="Upload a scenario (multipart field 'file', or a raw YAML body)",
        responses={
            200: {"description": "the same text was already stored"},
            413: {"description": "larger than 5 MB"},
            415: {"description": "neither multipart nor YAML"},
            422: {"description": "not a valid scenario; errors with line and column"},
        },
    )
    async def upload_scenario(request: Request) -> JSONResponse:
        name, data = await scenario_from_request(request)
        row, created = await in_thread(ctx.save, await ctx.load(name, data), "uploaded")
        return JSONResponse(scenario_json(row), status_code=201 if created else 200)

    @api.get("/scenarios/{scenario_id}", summary="One scenario, with its YAML text")
    def read_scenario(scenario_id: int) -> dict[str, Any]:
        return scenario_json(ctx.scenario(scenario_id), text=True)

    @api.post(
        "/scenarios/{scenario_id}/versions",
        status_code=201,
        summary="Save an edited text as a new version of a scenario",
    )
    async def new_version(scenario_id: int, request: Request) -> JSONResponse:
        parent = await in_thread(ctx.scenario, scenario_id)
        _, data = await scenario_from_request(request)
        loaded = await ctx.load(f"{parent.name}.yaml", data)
        row, created = await in_thread(ctx.save, loaded, "edited", parent.id)
        return JSONResponse(scenario_json(row), status_code=201 if created else 200)

    @api.get("/scenarios/{scenario_id}/knobs", summary="The what-if controls a scenario offers")
    def scenario_knobs(scenario_id: int) -> list[dict[str, Any]]:
        row = ctx.scenario(scenario_id)
        return [k.to_dict() for k in knobs(stored(row.text, row.name).scenario)]

    @api.get("/scenarios/{scenario_id}/analyses", summary="The analyses that apply to a scenario")
    def scenario_analyses(scenario_id: int) -> list[dict[str, Any]]:
        row = ctx.scenario(scenario_id)
        return [k.to_dict() for k in offered(stored(row.text, row.name).scenario)]

    @api.get("/analyses", summary="Every analysis this installation knows")
    def list_analyses() -> list[dict[str, Any]]:
        return [kind.to_dict() for kind in ANALYSES.values()]

    @api.delete(
        "/scenarios/{scenario_id}",
        status_code=204,
        summary="Delete an uploaded scenario version and its runs (409 for a bundled one, or "
        "while one of its runs is in progress)",
    )
    def api_delete_scenario(scenario_id: int) -> Response:
        ctx.delete_scenario(scenario_id)
        return Response(status_code=204)

    return api
