"""The /api/v1 router: one sub-router per resource."""

from __future__ import annotations

from fastapi import APIRouter

from wtw.service.api.routes import admin, auth, feed, groups, me, search, titles

api_router = APIRouter()
for module in (auth, titles, search, me, feed, groups, admin):
    api_router.include_router(module.router)
