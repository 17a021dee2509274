"""The FastAPI application: API at /api/v1, health and metrics at the root, the built UI at /."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from wtw import __version__
from wtw.config import Settings, get_settings
from wtw.service import db, errors
from wtw.service.api.main import api_router
from wtw.service.api.routes import health
from wtw.service.limits import BodyLimitMiddleware
from wtw.service.metrics import MetricsMiddleware, make_registry
from wtw.service.runtime import Runtime
from wtw.service.security import AttemptLimiter, LoginLimiter, signing_key
from wtw.service.threads import limit_native_threads

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


def create_app(settings: Settings, *, runtime: Runtime | None = None, migrate: bool | None = None) -> FastAPI:
    """Build the app. ``migrate`` (default: SQLite only) applies migrations at start: the embedded mode.

    A ``runtime`` given by the caller is used as is (tests install their own Recommender); otherwise
    the latest artifacts are loaded at start and polled afterwards.
    """
    engine = db.make_engine(settings.database_url)
    own_runtime = runtime is None
    runtime = runtime or Runtime(settings)
    migrate = db.is_sqlite(settings.database_url) if migrate is None else migrate

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if migrate:
            await run_in_threadpool(db.upgrade, settings.database_url)
        if own_runtime:
            await run_in_threadpool(runtime.refresh)
            runtime.start_polling()
        try:
            yield
        finally:
            if own_runtime:
                runtime.stop()
            engine.dispose()

    app = FastAPI(
        title="What To Watch",
        version=__version__,
        description="Search, similar titles and a personal feed over IMDb's catalog.",
        lifespan=lifespan,
    )
    registry, latency = make_registry(runtime)
    app.state.settings = settings
    app.state.engine = engine
    app.state.runtime = runtime
    app.state.signing_key = signing_key(settings)
    app.state.login_limiter = LoginLimiter(settings.service.login_attempts_per_minute)
    app.state.register_limiter = AttemptLimiter(settings.service.register_attempts_per_hour)
    app.state.metrics_registry = registry

    errors.install(app)
    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(health.router)
    _serve_ui(app, Path(settings.service.ui_dist))
    app.add_middleware(BodyLimitMiddleware, upload_limit=settings.service.max_upload_bytes)
    app.add_middleware(MetricsMiddleware, latency=latency)
    return app


class _UiFiles(StaticFiles):
    """The built UI's files; a path matching none (a client route, or an odd path) gets index.html."""

    def __init__(self, dist: Path) -> None:
        super().__init__(directory=dist)
        self.index = dist / "index.html"

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
        return FileResponse(self.index, headers={"Cache-Control": "no-cache"})


def _serve_ui(app: FastAPI, dist: Path) -> None:
    """Serve the built UI where no route matched: GET and HEAD outside /api only, so that unknown API paths
    (any method) stay JSON 404s and a known path with the wrong method stays a 405."""
    if not (dist / "index.html").is_file():
        logger.info("no built UI at %s; serving the API only", dist)
        return
    files = _UiFiles(dist)

    async def not_found(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        path = request.url.path
        unmatched = "endpoint" not in request.scope
        is_api = path == "/api" or path.startswith("/api/")
        if unmatched and not is_api and request.method in ("GET", "HEAD"):
            return await files.get_response(files.get_path(request.scope), request.scope)
        return await http_exception_handler(request, exc)

    app.add_exception_handler(404, not_found)


def app_factory() -> FastAPI:
    """Used by `wtw serve` (uvicorn --factory): migrations were already applied once by the command.

    Runs in each worker process, which is where the native thread pools are limited (not in `create_app`:
    tests build apps inside processes that do other work too).
    """
    limit_native_threads()
    return create_app(get_settings(), migrate=False)
