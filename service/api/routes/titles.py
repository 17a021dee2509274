"""Titles: details and similar titles.

The read routes are `async def`: the engine's work is short CPU work (cached for similar titles), cheaper on
the event loop than handed to a worker thread; scale with uvicorn workers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from wtw.service.api import convert
from wtw.service.api.deps import FilterDep, LoadedDep, OptionalSignalsDep
from wtw.service.models import TCONST_PATTERN, Page, TitleDetailPublic, TitlePublic

router = APIRouter(prefix="/titles", tags=["titles"])

TconstPath = Annotated[str, Path(pattern=TCONST_PATTERN, description="IMDb title id, e.g. tt0133093")]


@router.get("/{tconst}", response_model=TitleDetailPublic)
async def get_title(tconst: TconstPath, loaded: LoadedDep) -> TitleDetailPublic:
    """One title with its details (404 when it is not in the catalog)."""
    return convert.detail(loaded.recommender.title(tconst))


@router.get("/{tconst}/similar", response_model=Page[TitlePublic])
async def similar(
    *,
    tconst: TconstPath,
    loaded: LoadedDep,
    filter: FilterDep,
    signals: OptionalSignalsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Page[TitlePublic]:
    """Titles like this one, diversified; with a token, the caller's dislikes push results away."""
    items = loaded.recommender.similar(tconst, limit=limit, filter=filter, signals=signals)
    return Page[TitlePublic](items=convert.titles(items))
