"""The web app: scenarios, runs and what-if sliders in a browser, on one machine.

Pages are server-rendered (jinja2) with htmx for the scenario forms; the run pages call the JSON
API under ``/api/`` for runs, progress and figures. htmx comes with the package and plotly.js from
the installed plotly package, so nothing is fetched from the network. Nothing a request sends is
ever used as a file path: scenarios and runs live in SQLite, addressed by integer ids.

Every template is autoescaped, every page carries a Content-Security-Policy that runs only the
app's own script files, and uploads are parsed in a worker process (:mod:`ceasefire.web.parsing`),
so one large file never stalls the other requests. One server owns a database at a time.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool as in_thread

from ceasefire.provenance import ceasefire_version
from ceasefire.report.links import source_href
from ceasefire.scenario import (
    LoadedScenario,
    Located,
    ScenarioError,
    bundled_scenarios,
    parse_scenario,
)
from ceasefire.scenario.load import MAX_BYTES
from ceasefire.web.analyses import ANALYSES, offered
from ceasefire.web.limits import (
    WILDCARDS,
    BodyLimit,
    HostCheck,
    SameOrigin,
    SecurityHeaders,
    allowed_hosts,
)
from ceasefire.web.parsing import PARSE_SECONDS, Parser
from ceasefire.web.runner import Runner
from ceasefire.web.store import DatabaseLock, RunRow, ScenarioRow, Store, default_db_path
from ceasefire.web.whatif import ChangeError, apply_changes, knobs

HERE = Path(__file__).parent
# Room for multipart headers around a file of the largest size a scenario may have.
BODY_LIMIT = MAX_BYTES + 64 * 1024
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
MAX_SAMPLES = 1_000_000
MAX_ACTIVE_RUNS = 20  # queued or running; more is refused with 429
RETRY_AFTER_SECONDS = 30


class InvalidScenario(Exception):
    """A scenario text that does not load; carries its problems for a 422."""

    def __init__(self, problems: list[Located], text: str) -> None:
        super().__init__("invalid scenario")
        self.problems = problems
        self.text = text


class TooLarge(Exception):
    pass


class RunRequest(BaseModel):
    """A request to run an analysis on a stored scenario, with optional what-if changes."""

    scenario_id: int
    analysis: str = "analyze"
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    samples: int | None = Field(None, ge=1, le=MAX_SAMPLES)
    changes: dict[str, float] = Field(default_factory=dict)
    options: dict[str, str | int | float] = Field(
        default_factory=dict,
        description="Options of the analysis (negotiate: protocol, rounds, strategy).",
    )
    parent_run_id: int | None = None


def _label(filename: str | None) -> str:
    """A display name for an upload: the base name, in safe characters (never used as a path)."""
    base = re.split(r"[\\/]", filename or "")[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")[:100]
    return cleaned or "upload.yaml"


def _problems(problems: Sequence[Located]) -> list[dict[str, Any]]:
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


def _templates() -> Jinja2Templates:
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


def create_app(
    db_path: Path | None = None,
    *,
    host: str = "127.0.0.1",
    parse_seconds: float = PARSE_SECONDS,
    max_active_runs: int = MAX_ACTIVE_RUNS,
    isolated_runs: bool = True,
) -> FastAPI:
    """The app, with its store at ``db_path`` (default: ``$CEASEFIRE_DB`` or the user data dir),
    answering to the host names of a server bound to ``host``. Analyses run in a worker process
    unless ``isolated_runs`` is false (then on a thread of this process).

    Raises :class:`~ceasefire.web.store.StoreError` when another server holds the database or the
    file is not an SQLite database.
    """
    path = db_path or default_db_path()
    lock = DatabaseLock(path)
    try:
        store = Store(path)
    except BaseException:
        lock.release()
        raise
    store.fail_interrupted()
    _seed_bundled(store)
    runner = Runner(store, isolated=isolated_runs)
    parser = Parser(parse_seconds)
    figure_cache = FigureCache()
    reports = ReportCache(path.with_name(path.name + ".reports") / ceasefire_version())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        runner.start()
        yield
        runner.stop()
        parser.close()
        lock.release()

    app = FastAPI(
        title="ceasefire",
        version=ceasefire_version(),
        summary="Zones of agreement, war paths and robustness of settlement packages.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the stock docs pages load their scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.runner = runner
    app.state.parser = parser
    app.state.lock = lock
    app.add_middleware(BodyLimit, limit=BODY_LIMIT)
    app.add_middleware(SameOrigin)
    app.add_middleware(HostCheck, hosts=allowed_hosts(host), any_address=host in WILDCARDS)
    app.add_middleware(SecurityHeaders)  # outermost: refusals carry the headers too

    templates = _templates()

    @app.exception_handler(InvalidScenario)
    async def _invalid(request: Request, error: InvalidScenario) -> Response:
        if request.headers.get("hx-request"):
            rows = await in_thread(annotate, error.text, error.problems)  # a text of megabytes
            return templates.TemplateResponse(
                request,
                "_check.html.j2",
                {"rows": rows, "problems": error.problems},
                status_code=422,
            )
        return JSONResponse(
            status_code=422,
            content={
                "detail": "the scenario is not valid",
                "errors": _problems(error.problems),
            },
        )

    @app.exception_handler(TooLarge)
    async def _too_large(request: Request, error: TooLarge) -> Response:
        return JSONResponse(status_code=413, content={"detail": str(error)})

    # -- static files ------------------------------------------------------------------------------

    @app.api_route("/static/plotly.min.js", methods=["GET", "HEAD"], include_in_schema=False)
    def plotly_js() -> FileResponse:
        from ceasefire.report.html import plotly_js_path

        return FileResponse(plotly_js_path(), media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    api = APIRouter(prefix="/api", tags=["api"])

    # -- reading scenarios from requests ----------------------------------------------------------

    async def scenario_from_request(request: Request, field: str = "file") -> tuple[str, bytes]:
        """(display name, bytes) of a scenario sent as a multipart file, a form field or a body."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.form(max_part_size=BODY_LIMIT)
            upload = form.get(field)
            if upload is not None and not isinstance(upload, str):
                data = await upload.read(MAX_BYTES + 1)
                if data:
                    return _label(upload.filename), data
            pasted = form.get("text")
            if isinstance(pasted, str) and pasted.strip():
                return "pasted.yaml", pasted.encode("utf-8")
            raise HTTPException(422, f"send the scenario in the form field '{field}' or 'text'")
        if content_type in YAML_TYPES or content_type == "":
            return "request.yaml", await request.body()
        raise HTTPException(
            415, "send YAML as a multipart upload (field 'file') or a raw application/yaml body"
        )

    async def load(name: str, data: bytes) -> LoadedScenario:
        """Parse an upload in the worker process (never on the event loop), with a time limit."""
        if len(data) > MAX_BYTES:
            raise TooLarge(f"the scenario is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
        try:
            return await parser.parse(data, name)
        except ScenarioError as error:
            text = data.decode("utf-8", errors="replace")
            raise InvalidScenario(error.problems, text) from None

    def get_scenario(scenario_id: int) -> ScenarioRow:
        row = store.scenario(scenario_id)
        if row is None:
            raise HTTPException(404, f"no scenario {scenario_id}")
        return row

    def get_run(run_id: int) -> RunRow:
        row = store.run(run_id)
        if row is None:
            raise HTTPException(404, f"no run {run_id}")
        return row

    def save(
        loaded: LoadedScenario, origin: str, parent_id: int | None = None
    ) -> tuple[ScenarioRow, bool]:
        scenario = loaded.scenario
        return store.add_scenario(
            name=scenario.id,
            title=scenario.title,
            text=loaded.text,
            sha256=loaded.sha256,
            origin="edited" if origin == "edited" else "uploaded",
            parent_id=parent_id,
        )

    def scenario_json(row: ScenarioRow, *, text: bool = False) -> dict[str, Any]:
        data = row.summary()
        if text:
            data["text"] = row.text
        return data

    # -- API: scenarios ----------------------------------------------------------------------------

    @api.get("/scenarios", summary="List stored scenarios (bundled and uploaded, every version)")
    def list_scenarios() -> list[dict[str, Any]]:
        return [row.summary() for row in store.scenarios()]

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
        row, created = await in_thread(save, await load(name, data), "uploaded")
        return JSONResponse(scenario_json(row), status_code=201 if created else 200)

    @api.get("/scenarios/{scenario_id}", summary="One scenario, with its YAML text")
    def read_scenario(scenario_id: int) -> dict[str, Any]:
        return scenario_json(get_scenario(scenario_id), text=True)

    @api.post(
        "/scenarios/{scenario_id}/versions",
        status_code=201,
        summary="Save an edited text as a new version of a scenario",
    )
    async def new_version(scenario_id: int, request: Request) -> JSONResponse:
        parent = await in_thread(get_scenario, scenario_id)
        _, data = await scenario_from_request(request)
        loaded = await load(f"{parent.name}.yaml", data)
        row, created = await in_thread(save, loaded, "edited", parent.id)
        return JSONResponse(scenario_json(row), status_code=201 if created else 200)

    @api.get("/scenarios/{scenario_id}/knobs", summary="The what-if controls a scenario offers")
    def scenario_knobs(scenario_id: int) -> list[dict[str, Any]]:
        row = get_scenario(scenario_id)
        return [k.to_dict() for k in knobs(stored(row.text, row.name).scenario)]

    @api.get("/scenarios/{scenario_id}/analyses", summary="The analyses that apply to a scenario")
    def scenario_analyses(scenario_id: int) -> list[dict[str, Any]]:
        row = get_scenario(scenario_id)
        return [k.to_dict() for k in offered(stored(row.text, row.name).scenario)]

    @api.get("/analyses", summary="Every analysis this installation knows")
    def list_analyses() -> list[dict[str, Any]]:
        return [kind.to_dict() for kind in ANALYSES.values()]

    # -- API: runs ---------------------------------------------------------------------------------

    @api.post(
        "/runs",
        status_code=202,
        summary="Queue a run (optionally with what-if changes)",
        responses={429: {"description": "too many runs queued; try again after Retry-After"}},
    )
    def create_run(body: RunRequest) -> dict[str, Any]:
        row = get_scenario(body.scenario_id)
        if body.parent_run_id is not None:
            get_run(body.parent_run_id)
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
        if store.active_runs() >= max_active_runs:
            raise HTTPException(
                429,
                f"{max_active_runs} runs are queued or running, the most this server takes; "
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
        runner.submit(run.id)
        return run.summary()

    @api.get("/runs", summary="List runs, newest first")
    def list_runs(
        scenario_id: Annotated[int | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        return [run.summary() for run in store.runs(scenario_id, limit)]

    @api.get("/runs/{run_id}", summary="A run's state (poll this for progress)")
    def read_run(run_id: int) -> dict[str, Any]:
        return get_run(run_id).summary()

    def finished(run_id: int) -> RunRow:
        run = get_run(run_id)
        if run.status != "done":
            raise HTTPException(409, f"run {run_id} is {run.status}")
        return run

    @api.get("/runs/{run_id}/result", summary="A finished run's result document")
    def run_result(run_id: int) -> Response:
        run = finished(run_id)
        return Response(run.result_text, media_type="application/json")

    @api.get(
        "/runs/{run_id}/scenario", summary="The scenario text a run used (after what-if changes)"
    )
    def run_scenario(run_id: int) -> Response:
        return Response(get_run(run_id).scenario_text, media_type="application/yaml")

    @api.get(
        "/runs/{run_id}/figures", summary="A finished run's figures (plotly JSON) and findings"
    )
    def run_figures(run_id: int) -> Response:
        return Response(figure_cache.get(finished(run_id)), media_type="application/json")

    @api.get("/runs/{run_id}/report", summary="A finished run as a self-contained HTML report")
    def run_report(run_id: int) -> FileResponse:
        path = reports.get(finished(run_id))
        return FileResponse(
            path,
            media_type="text/html; charset=utf-8",
            filename=f"ceasefire-run-{run_id}.html",
            content_disposition_type="attachment",
        )

    # -- API: deleting -----------------------------------------------------------------------------

    def delete_run(run_id: int) -> RunRow:
        run = get_run(run_id)
        try:
            store.delete_run(run_id)
        except ValueError as error:
            raise HTTPException(409, str(error)) from None
        figure_cache.drop(run_id)
        reports.drop(run_id)
        return run

    def delete_scenario(scenario_id: int) -> None:
        row = get_scenario(scenario_id)
        if row.origin == "bundled":
            raise HTTPException(409, "a bundled scenario comes with ceasefire and stays")
        try:
            run_ids = store.delete_scenario(scenario_id) or []
        except ValueError as error:
            raise HTTPException(409, str(error)) from None
        for run_id in run_ids:
            figure_cache.drop(run_id)
            reports.drop(run_id)

    @api.delete(
        "/runs/{run_id}",
        status_code=204,
        summary="Delete a finished or failed run (409 while it is queued or running)",
    )
    def api_delete_run(run_id: int) -> Response:
        delete_run(run_id)
        return Response(status_code=204)

    @api.delete(
        "/scenarios/{scenario_id}",
        status_code=204,
        summary="Delete an uploaded scenario version and its runs (409 for a bundled one, or "
        "while one of its runs is in progress)",
    )
    def api_delete_scenario(scenario_id: int) -> Response:
        delete_scenario(scenario_id)
        return Response(status_code=204)

    app.include_router(api)

    # -- pages -------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        groups: dict[str, list[ScenarioRow]] = {}
        for row in store.scenarios():
            groups.setdefault(row.name, []).append(row)
        return templates.TemplateResponse(
            request,
            "index.html.j2",
            {"groups": groups, "runs": store.runs(limit=10), "scenarios": _titles(store)},
        )

    @app.post("/ui/check", response_class=HTMLResponse, include_in_schema=False)
    async def check(request: Request) -> Response:
        name, data = await scenario_from_request(request)
        loaded = await load(name, data)
        return await in_thread(
            templates.TemplateResponse,
            request,
            "_check.html.j2",
            {"rows": [], "problems": [], "loaded": loaded},
        )

    @app.post("/ui/scenarios", include_in_schema=False)
    async def ui_upload(request: Request) -> Response:
        name, data = await scenario_from_request(request)
        row, _ = await in_thread(save, await load(name, data), "uploaded")
        return Response(status_code=204, headers={"HX-Redirect": f"/scenarios/{row.id}"})

    @app.post("/ui/scenarios/{scenario_id}/versions", include_in_schema=False)
    async def ui_new_version(scenario_id: int, request: Request) -> Response:
        parent = await in_thread(get_scenario, scenario_id)
        _, data = await scenario_from_request(request)
        loaded = await load(f"{parent.name}.yaml", data)
        row, _ = await in_thread(save, loaded, "edited", parent.id)
        return Response(status_code=204, headers={"HX-Redirect": f"/scenarios/{row.id}"})

    @app.delete("/ui/runs/{run_id}", include_in_schema=False)
    def ui_delete_run(run_id: int) -> Response:
        run = delete_run(run_id)
        return Response(status_code=204, headers={"HX-Redirect": f"/scenarios/{run.scenario_id}"})

    @app.delete("/ui/scenarios/{scenario_id}", include_in_schema=False)
    def ui_delete_scenario(scenario_id: int) -> Response:
        delete_scenario(scenario_id)
        return Response(status_code=204, headers={"HX-Redirect": "/"})

    @app.get("/scenarios/{scenario_id}", response_class=HTMLResponse, include_in_schema=False)
    def scenario_page(request: Request, scenario_id: int) -> Response:
        row = get_scenario(scenario_id)
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
                **_negotiation_choices(),
            },
        )

    @app.get("/runs/{run_id}", response_class=HTMLResponse, include_in_schema=False)
    def run_page(request: Request, run_id: int) -> Response:
        run = get_run(run_id)
        row = get_scenario(run.scenario_id)
        scenario = stored(run.scenario_text, f"run {run_id}").scenario
        parent = store.run(run.parent_run_id) if run.parent_run_id is not None else None
        return templates.TemplateResponse(
            request,
            "run.html.j2",
            {
                "run": run,
                "row": row,
                "scenario": scenario,
                "knobs": knobs(scenario),
                "summary": _summary(run, scenario),
                "findings": _findings(run, scenario),
                "transcript": _transcript(run),
                "robust": _robust_table(run),
                "parent": parent,
                "comparison": _comparison(run, parent, scenario) if parent else None,
                "runs": store.runs(run.scenario_id, 20),
            },
        )

    return app


# -- helpers that read stored runs ------------------------------------------------------------------


def _seed_bundled(store: Store) -> None:
    """Store each bundled scenario (a new version when its file changed)."""
    for path in bundled_scenarios().values():
        text = path.read_text(encoding="utf-8")
        identity = _bundled_identity(text, path.name)
        if identity is None:
            continue  # a broken bundled file is reported by `ceasefire validate`, not here
        name, title, sha256 = identity
        store.add_scenario(name=name, title=title, text=text, sha256=sha256, origin="bundled")


@lru_cache(maxsize=32)
def _bundled_identity(text: str, filename: str) -> tuple[str, str, str] | None:
    """(id, title, sha256) of a bundled scenario text; parsed once per process."""
    try:
        loaded = parse_scenario(text, filename)
    except ScenarioError:
        return None
    return loaded.scenario.id, loaded.scenario.title, loaded.sha256


def _negotiation_choices() -> dict[str, list[str]]:
    """The protocols and strategies the negotiation layer offers (none if it is not installed)."""
    try:
        from ceasefire.negotiation import PROTOCOLS, STRATEGIES
    except ImportError:
        return {"protocols": [], "strategies": []}
    return {"protocols": list(PROTOCOLS), "strategies": sorted(STRATEGIES)}


def _titles(store: Store) -> dict[int, str]:
    return {row.id: f"{row.name} v{row.version}" for row in store.scenarios()}


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
                handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
                try:
                    with os.fdopen(handle, "w", encoding="utf-8") as out:
                        out.write(html)
                    os.replace(temporary, path)
                except BaseException:
                    Path(temporary).unlink(missing_ok=True)
                    raise
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


def _summary(run: RunRow, scenario: Any) -> dict[str, Any] | None:
    """Key numbers of a finished analyze run, for tables on the run page."""
    document = run.result if run.status == "done" else None
    if not document or "zopa" not in document:
        return None
    from ceasefire.report.figures import chosen_packages, concept_title, veto_parties

    veto = veto_parties(document)
    names = {p.id: p.name for p in scenario.parties}
    reservation = document.get("reservation") or {}
    status_quo = document.get("status_quo") or {}
    zopa = document.get("zopa") or {}
    rows = []
    for concept, solution in chosen_packages(document).items():
        rows.append(
            {
                "concept": concept_title(concept, short=True),
                "utilities": [solution["utilities"].get(p) for p in veto],
                "gains": [
                    (solution["utilities"].get(p) or 0) - (reservation.get(p) or 0)
                    if reservation.get(p) is not None
                    else None
                    for p in veto
                ],
                "ties": solution.get("ties", 0),
            }
        )
    return {
        "veto": [names.get(p, p) for p in veto],
        "veto_ids": veto,
        "reservation": [reservation.get(p) for p in veto],
        "status_quo": [(status_quo.get("utilities") or {}).get(p) for p in veto],
        "zopa_exists": bool(zopa.get("exists")),
        "zopa_size": zopa.get("frontier_size", len(zopa.get("frontier") or [])),
        "solutions": rows,
    }


def _findings(run: RunRow, scenario: Any) -> list[str]:
    if run.status != "done":
        return []
    from ceasefire.report.findings import findings

    return findings(run.result or {}, scenario)


def _transcript(run: RunRow) -> dict[str, Any] | None:
    """A negotiation's transcript as table rows: what each offer changes, and who accepted."""
    document = run.result if run.status == "done" else None
    if not document or not isinstance(document.get("transcript"), list):
        return None
    veto = list(document.get("veto_parties") or [])
    rows = []
    previous: dict[str, Any] = {}
    for turn in document["transcript"]:
        before = previous.get(turn["proposer"], {})
        changes = [
            f"{issue}={value:g}" if isinstance(value, float) else f"{issue}={value}"
            for issue, value in turn["package"].items()
            if before.get(issue) != value
        ]
        previous[turn["proposer"]] = turn["package"]
        rows.append(
            {
                "round": turn["round"],
                "month": turn.get("month"),
                "proposer": turn["proposer"],
                "changes": ", ".join(changes) if before else "first offer: " + ", ".join(changes),
                "utilities": [turn["utilities"].get(p) for p in veto],
                "reservation": [turn["reservation"].get(p) for p in veto],
                "accepted": [p for p, r in (turn.get("responses") or {}).items() if r == "accept"],
                "agreed": turn.get("agreed", False),
            }
        )
    return {"veto": veto, "rows": rows, "war": bool(document.get("war"))}


def _robust_table(run: RunRow) -> dict[str, Any] | None:
    """A robustness run's candidates, most robust first, with how often each concept picks them."""
    document = run.result if run.status == "done" else None
    if not document:
        return None
    from ceasefire.report.figures import concept_title, has_robustness, robustness_rows

    if not has_robustness(document):
        return None
    concepts = list(document.get("concepts") or [])
    chosen = {repr(e["package"]): e.get("p_chosen", {}) for e in document.get("packages", [])}
    status_quo = (document.get("status_quo") or {}).get("package") or {}
    rows = []
    for row in reversed(robustness_rows(document)):
        changes = [
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in row["package"].items()
            if status_quo.get(k) != v
        ]
        picks = chosen.get(repr(row["package"]), {})
        rows.append(
            {
                "changes": ", ".join(changes) or "(the status quo)",
                "p": row["p_acceptable"],
                "stderr": row["stderr"],
                "most": row["most_robust"],
                "chosen": [picks.get(c) for c in concepts],
            }
        )
    return {
        "concepts": [concept_title(c, short=True) for c in concepts],
        "rows": rows,
        "samples": document.get("samples"),
        "p_zopa": document.get("p_zopa"),
    }


def _comparison(run: RunRow, parent: RunRow, scenario: Any) -> dict[str, Any]:
    """What changed between a run and the run it was derived from."""
    changes = {
        path: (parent.changes.get(path), value)
        for path, value in run.changes.items()
        if parent.changes.get(path) != value
    }
    return {
        "changes": changes,
        "before": _summary(parent, scenario) if parent.status == "done" else None,
        "after": _summary(run, scenario) if run.status == "done" else None,
    }
