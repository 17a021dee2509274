"""Operational routes (admin role)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from wtw.service.api.deps import AdminUser
from wtw.service.runtime import Runtime

router = APIRouter(prefix="/admin", tags=["admin"])


class ServedPublic(BaseModel):
    version: str | None
    catalog_version: str | None = None
    usermodel_version: str | None = None
    titles: int = 0
    swapped: bool = False
    last_error: str | None = None


def _served(runtime: Runtime, swapped: bool = False) -> ServedPublic:
    current = runtime.current
    if current is None:
        return ServedPublic(version=None, swapped=swapped, last_error=runtime.last_error)
    return ServedPublic(
        version=current.version,
        catalog_version=current.catalog_version,
        usermodel_version=current.usermodel_version,
        titles=current.titles,
        swapped=swapped,
        last_error=runtime.last_error,
    )


@router.get("/status", response_model=ServedPublic)
def served(request: Request, _: AdminUser) -> ServedPublic:
    """The artifact versions this process serves."""
    return _served(request.app.state.runtime)


@router.post("/reload", response_model=ServedPublic)
async def reload(request: Request, _: AdminUser) -> ServedPublic:
    """Load the latest published artifacts now (instead of waiting for the poll) and swap them in."""
    runtime: Runtime = request.app.state.runtime
    swapped = await run_in_threadpool(runtime.refresh)
    if runtime.last_error and runtime.current is None:
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            detail=runtime.last_error,
            headers={"Retry-After": "30"},
        )
    return _served(runtime, swapped)
