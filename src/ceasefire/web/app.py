"""The web app: scenarios, runs and what-if sliders in a browser, on one machine.

Pages are server-rendered (jinja2) with htmx for the scenario forms; the run pages call the JSON
API under ``/api/`` for runs, progress and figures. htmx comes with the package and plotly.js from
the installed plotly package, so nothing is fetched from the network. Nothing a request sends is
ever used as a file path: scenarios and runs live in SQLite, addressed by integer ids.

Every template is autoescaped, every page carries a Content-Security-Policy that runs only the
app's own script files, and uploads are parsed in a worker process (:mod:`ceasefire.web.parsing`),
so one large file never stalls the other requests. One server owns a database at a time.

The routes live in :mod:`ceasefire.web.routes` (scenarios and runs under ``/api/``, and the
pages); this module builds the app and wires them to one store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool as in_thread

from ceasefire.provenance import ceasefire_version
from ceasefire.web.bundled import seed_bundled
from ceasefire.web.caches import FigureCache, ReportCache
from ceasefire.web.context import WebContext
from ceasefire.web.limits import (
    WILDCARDS,
    BodyLimit,
    HostCheck,
    SameOrigin,
    SecurityHeaders,
    allowed_hosts,
)
from ceasefire.web.parsing import PARSE_SECONDS, Parser
from ceasefire.web.routes import methods, pages, runs, scenarios
from ceasefire.web.runner import Runner
from ceasefire.web.store import DatabaseLock, Store, default_db_path
from ceasefire.web.templating import page_templates
from ceasefire.web.uploads import BODY_LIMIT, InvalidScenario, TooLarge, annotate, problems_json

HERE = Path(__file__).parent
MAX_ACTIVE_RUNS = 20  # queued or running; more is refused with 429


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
    seed_bundled(store)
    ctx = WebContext(
        store=store,
        runner=Runner(store, isolated=isolated_runs),
        parser=Parser(parse_seconds),
        figures=FigureCache(),
        reports=ReportCache(path.with_name(path.name + ".reports") / ceasefire_version()),
        templates=page_templates(),
        max_active_runs=max_active_runs,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        ctx.runner.start()
        yield
        ctx.runner.stop()
        ctx.parser.close()
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
    app.state.runner = ctx.runner
    app.state.parser = ctx.parser
    app.state.lock = lock
    app.add_middleware(BodyLimit, limit=BODY_LIMIT)
    app.add_middleware(SameOrigin)
    app.add_middleware(HostCheck, hosts=allowed_hosts(host), any_address=host in WILDCARDS)
    app.add_middleware(SecurityHeaders)  # outermost: refusals carry the headers too

    @app.exception_handler(InvalidScenario)
    async def _invalid(request: Request, error: InvalidScenario) -> Response:
        if request.headers.get("hx-request"):
            rows = await in_thread(annotate, error.text, error.problems)  # a text of megabytes
            return ctx.templates.TemplateResponse(
                request,
                "_check.html.j2",
                {"rows": rows, "problems": error.problems},
                status_code=422,
            )
        return JSONResponse(
            status_code=422,
            content={
                "detail": "the scenario is not valid",
                "errors": problems_json(error.problems),
            },
        )

    @app.exception_handler(TooLarge)
    async def _too_large(request: Request, error: TooLarge) -> Response:
        return JSONResponse(status_code=413, content={"detail": str(error)})

    @app.api_route("/static/plotly.min.js", methods=["GET", "HEAD"], include_in_schema=False)
    def plotly_js() -> FileResponse:
        from ceasefire.report.html import plotly_js_path

        return FileResponse(plotly_js_path(), media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(scenarios.router(ctx))
    app.include_router(runs.router(ctx))
    app.include_router(pages.router(ctx))
    app.include_router(methods.router(ctx))
    return app
