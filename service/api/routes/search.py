"""Free-text search: titles, "like X", "like X but funny", "by/with person", constraints in words.

A cache hit is answered on the event loop; a miss (parsing, fuzzy title matching, the sentence encoder,
ranking: tens of milliseconds of CPU) runs in a worker thread so it does not stall other requests.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from wtw.service.api import convert
from wtw.service.api.deps import FilterDep, LoadedDep
from wtw.service.models import Page, TitlePublic

router = APIRouter(tags=["search"])

MAX_QUERY = 300
"""Characters; longer text is no search a person types, and parsing grows with it."""


@router.get("/search", response_model=Page[TitlePublic])
async def search(
    loaded: LoadedDep,
    filter: FilterDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=MAX_QUERY, description="Free text, e.g. 'like Alien but funny'"),
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Page[TitlePublic]:
    recommender = loaded.recommender
    items = recommender.cached_search(q, limit=limit, filter=filter)
    if items is None:
        items = await run_in_threadpool(recommender.search, q, limit=limit, filter=filter)
    return Page[TitlePublic](items=convert.titles(items))
