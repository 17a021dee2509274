"""Exception handlers: domain errors and database outages become clear 4xx/503 answers, never a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from wtw.errors import (
    ArtifactError,
    ConfigError,
    ConflictError,
    InputError,
    NotFoundError,
    UnavailableError,
    WtwError,
)

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
STATUS = {
    InputError: 422,
    NotFoundError: 404,
    ConflictError: 409,
    UnavailableError: 503,
    ArtifactError: 503,
    ConfigError: 503,
}


def _status(exc: WtwError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


async def wtw_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WtwError)
    status = _status(exc)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)


async def database_unavailable(_: Request, exc: Exception) -> JSONResponse:
    logger.warning("database unavailable: %s", type(exc).__name__)
    return JSONResponse(
        {"detail": "the database is unavailable; retry shortly"},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def integrity_error(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": "conflicts with existing data"}, status_code=409)


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error"}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(WtwError, wtw_error)
    app.add_exception_handler(sa_exc.IntegrityError, integrity_error)
    for cls in (
        sa_exc.OperationalError,
        sa_exc.InterfaceError,
        sa_exc.DisconnectionError,
        sa_exc.TimeoutError,
    ):
        app.add_exception_handler(cls, database_unavailable)
    app.add_exception_handler(Exception, unexpected)
