"""Pages and API of the methods analysts already use: forecast, stability, divide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool as in_thread

from ceasefire.scenario import ScenarioError
from ceasefire.scenario.load import MAX_BYTES
from ceasefire.web import methods
from ceasefire.web.context import WebContext
from ceasefire.web.uploads import BODY_LIMIT, InvalidScenario, TooLarge, stored


def router(ctx: WebContext) -> APIRouter:
    routes = APIRouter()

    def method_of(name: str) -> methods.Method:
        method = methods.METHODS.get(name)
        if method is None:
            raise HTTPException(404, f"no method {name!r}")
        return method

    async def compute(name: str, request: Request) -> dict[str, Any]:
        """The document of a method from a multipart form: a ``file``, or a ``scenario_id``."""
        method = method_of(name)
        form = await request.form(max_part_size=BODY_LIMIT)
        rounds_text = str(form.get("rounds") or "10")
        if not rounds_text.isdigit() or int(rounds_text) > methods.MAX_FORECAST_ROUNDS:
            raise HTTPException(
                422, f"rounds must be a whole number up to {methods.MAX_FORECAST_ROUNDS}"
            )
        rounds = int(rounds_text)
        upload = form.get("file")
        scenario_id = str(form.get("scenario_id") or "")
        try:
            if upload is not None and not isinstance(upload, str):
                data = await upload.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise TooLarge(f"the file is over {MAX_BYTES:,} bytes")
                if data:
                    suffix = methods.extension(method, upload.filename)
                    return await in_thread(methods.from_upload, name, data, suffix, rounds)
            if scenario_id.isdigit() and method.from_scenario:
                row = ctx.scenario(int(scenario_id))
                loaded = stored(row.text, f"{row.name}.yaml")
                return await in_thread(methods.from_scenario, name, loaded, rounds)
        except ScenarioError as error:
            text = (
                data.decode("utf-8", errors="replace")
                if upload is not None and not isinstance(upload, str)
                else ""
            )
            raise InvalidScenario(error.problems, text) from None
        raise HTTPException(
            422,
            f"send {method.accepts} in the form field 'file'"
            + (", or a stored scenario's id in 'scenario_id'" if method.from_scenario else ""),
        )

    @routes.get("/methods/{name}", response_class=HTMLResponse, include_in_schema=False)
    def method_page(request: Request, name: str) -> Response:
        method = method_of(name)
        return ctx.templates.TemplateResponse(
            request,
            "method.html.j2",
            {
                "method": method,
                "methods": list(methods.METHODS.values()),
                "scenarios": ctx.store.scenarios() if method.from_scenario else [],
            },
        )

    @routes.post("/ui/methods/{name}", response_class=HTMLResponse, include_in_schema=False)
    async def method_result(request: Request, name: str) -> Response:
        document = await compute(name, request)
        return ctx.templates.TemplateResponse(
            request,
            "_method_result.html.j2",
            {
                "name": name,
                "document": document,
                "tables": methods.tables(name, document),
                "figures": await in_thread(methods.figures, name, document),
            },
        )

    @routes.post(
        "/api/methods/{name}",
        tags=["api"],
        summary="Run forecast, stability or divide on an uploaded file (multipart field 'file') "
        "or a stored scenario ('scenario_id'); the document of the command's --json",
    )
    async def method_api(request: Request, name: str) -> JSONResponse:
        return JSONResponse(await compute(name, request))

    return routes
