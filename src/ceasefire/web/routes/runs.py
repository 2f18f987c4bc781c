"""API: queueing runs (with what-if changes), their progress, results, figures and reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from ceasefire.provenance import ceasefire_version
from ceasefire.scenario import ScenarioError
from ceasefire.web.analyses import ANALYSES
from ceasefire.web.context import WebContext
from ceasefire.web.uploads import InvalidScenario, stored
from ceasefire.web.whatif import ChangeError, apply_changes

MAX_SAMPLES = 1_000_000
RETRY_AFTER_SECONDS = 30


class RunRequest(BaseModel):
    """A request to run an analysis on a stored scenario, with optional what-if changes."""

    scenario_id: int
    analysis: str = "analyze"
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    samples: int | None = Field(None, ge=1, le=MAX_SAMPLES)
    changes: dict[str, float] = Field(default_factory=dict)
    options: dict[str, str | int | float | dict[str, str]] = Field(
        default_factory=dict,
        description="Options of the analysis (negotiate: protocol, rounds, strategy, and "
        "strategies: {party: strategy} for a party's own; mediate: budget, objective; "
        "tournament: runs, rounds).",
    )
    parent_run_id: int | None = None


def router(ctx: WebContext) -> APIRouter:
    api = APIRouter(prefix="/api", tags=["api"])
    store = ctx.store

    @api.post(
        "/runs",
        status_code=202,
        summary="Queue a run (optionally with what-if changes)",
        responses={429: {"description": "too many runs queued; try again after Retry-After"}},
    )
    def create_run(body: RunRequest) -> dict[str, Any]:
        row = ctx.scenario(body.scenario_id)
        if body.parent_run_id is not None:
            ctx.run(body.parent_run_id)
        kind = ANALYSES.get(body.analysis)
        base = stored(row.text, f"{row.name}.yaml")
        if kind is None or not kind.installed():
            raise HTTPException(422, f"unknown analysis {body.analysis!r}")
        if not kind.applies(base.scenario):
            raise HTTPException(422, f"{body.analysis} does not apply to this scenario")
        if body.options and kind.check is None:
            raise HTTPException(422, f"{body.analysis} takes no options")
        if kind.check is not None:
            try:
                kind.check(body.options)
            except ValueError as error:
                raise HTTPException(422, str(error)) from None
        try:
            changed = apply_changes(base, body.changes)  # checks the changes first
        except ChangeError as error:
            raise HTTPException(422, str(error)) from None
        except ScenarioError as error:
            raise InvalidScenario(error.problems, "") from None
        if store.active_runs() >= ctx.max_active_runs:
            raise HTTPException(
                429,
                f"{ctx.max_active_runs} runs are queued or running, the most this server takes; "
                "try again when some have finished",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        parameters: dict[str, Any] = {"changes": dict(sorted(body.changes.items()))}
        if body.samples is not None:
            parameters["samples"] = body.samples
        if body.options:
            parameters["options"] = dict(sorted(body.options.items()))
        run = store.add_run(
            scenario_id=row.id,
            analysis=body.analysis,
            scenario_text=changed.text,
            scenario_sha256=changed.sha256,
            parameters=parameters,
            seed=body.seed,
            version=ceasefire_version(),
            parent_run_id=body.parent_run_id,
        )
        ctx.runner.submit(run.id)
        return run.summary()

    @api.get("/runs", summary="List runs, newest first")
    def list_runs(
        scenario_id: Annotated[int | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        return [run.summary() for run in store.runs(scenario_id, limit)]

    @api.get("/runs/{run_id}", summary="A run's state (poll this for progress)")
    def read_run(run_id: int) -> dict[str, Any]:
        return ctx.run(run_id).summary()

    @api.get("/runs/{run_id}/result", summary="A finished run's result document")
    def run_result(run_id: int) -> Response:
        run = ctx.finished(run_id)
        return Response(run.result_text, media_type="application/json")

    @api.get(
        "/runs/{run_id}/scenario", summary="The scenario text a run used (after what-if changes)"
    )
    def run_scenario(run_id: int) -> Response:
        return Response(ctx.run(run_id).scenario_text, media_type="application/yaml")

    @api.get(
        "/runs/{run_id}/figures", summary="A finished run's figures (plotly JSON) and findings"
    )
    def run_figures(run_id: int) -> Response:
        return Response(ctx.figures.get(ctx.finished(run_id)), media_type="application/json")

    @api.get("/runs/{run_id}/report", summary="A finished run as a self-contained HTML report")
    def run_report(run_id: int) -> FileResponse:
        path = ctx.reports.get(ctx.finished(run_id))
        return FileResponse(
            path,
            media_type="text/html; charset=utf-8",
            filename=f"ceasefire-run-{run_id}.html",
            content_disposition_type="attachment",
        )

    @api.delete(
        "/runs/{run_id}",
        status_code=204,
        summary="Delete a finished or failed run (409 while it is queued or running)",
    )
    def api_delete_run(run_id: int) -> Response:
        ctx.delete_run(run_id)
        return Response(status_code=204)

    return api
