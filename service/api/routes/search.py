"""Free-text search: titles, "like X", "like X but funny", "by/with person", constraints in words."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from wtw.service.api import convert
from wtw.service.api.deps import FilterDep, LoadedDep
from wtw.service.models import Page, TitlePublic

router = APIRouter(tags=["search"])


@router.get("/search", response_model=Page[TitlePublic])
async def search(
    loaded: LoadedDep,
    filter: FilterDep,
    q: Annotated[
        str, Query(min_length=1, max_length=500, description="Free text, e.g. 'like Alien but funny'")
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Page[TitlePublic]:
    items = loaded.recommender.search(q, limit=limit, filter=filter)
    return Page[TitlePublic](items=convert.titles(items))
