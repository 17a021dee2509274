"""The personal feed, its grouped rows and the taste profile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from wtw.service.api import convert
from wtw.service.api.deps import FeedStateDep, FilterDep, LoadedDep, SignalsDep
from wtw.service.models import FeedRowPublic, Page, TastePublic, TitlePublic

router = APIRouter(prefix="/me", tags=["feed"])


@router.get("/feed", response_model=Page[TitlePublic])
async def feed(
    state: FeedStateDep,
    loaded: LoadedDep,
    filter: FilterDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> Page[TitlePublic]:
    """Recommendations with ``reasons``; never a title the caller rated, watched, disliked or dismissed."""
    items = loaded.recommender.feed(
        state.signals, limit=limit, offset=offset, filter=filter, vector=state.vector
    )
    return Page[TitlePublic](items=convert.titles(items))


@router.get("/feed/rows", response_model=Page[FeedRowPublic])
async def rows(
    signals: SignalsDep,
    loaded: LoadedDep,
    filter: FilterDep,
    per_row: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Page[FeedRowPublic]:
    """Grouped rows: "Because you liked X", "More like X", "Popular now in <genre>"."""
    return Page[FeedRowPublic](
        items=[convert.row(r) for r in loaded.recommender.rows(signals, per_row=per_row, filter=filter)]
    )


@router.get("/taste", response_model=TastePublic)
async def taste(signals: SignalsDep, loaded: LoadedDep) -> TastePublic:
    """What the feed believes about the caller: top genres, people and anchor titles."""
    return convert.taste(loaded.recommender.taste(signals))
