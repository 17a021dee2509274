"""The caller's own data: profile, ratings, feedback, preferences, imports. Only ever the caller's rows."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, Response, UploadFile, status
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from wtw.service import crud, imports, uservector
from wtw.service.api import listing
from wtw.service.api.deps import CurrentUser, FilterDep, LoadedDep, SessionDep, SettingsDep
from wtw.service.api.routes.titles import TconstPath
from wtw.service.models import (
    CountedPage,
    FeedbackCreate,
    FeedbackKind,
    FeedbackPublic,
    FeedbackSort,
    ImportRecordPublic,
    ImportResult,
    MePublic,
    Page,
    PreferencesPublic,
    PreferencesUpdate,
    Rating,
    RatingPublic,
    RatingSort,
    RatingUpdate,
)
from wtw.service.runtime import Loaded

router = APIRouter(prefix="/me", tags=["me"])

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
MAX_OFFSET = 1_000_000
"""Far past any user's list (imports stop at 50,000 rows); bounded so no database sees an int64 overflow."""


def _title_fields(loaded: Loaded, tconst: str, score: float) -> dict:
    brief = loaded.brief(tconst)
    if brief is None:  # rated before the catalog dropped it: still listed, so it can be deleted
        return {
            "tconst": tconst,
            "title": tconst,
            "year": None,
            "type": "unknown",
            "genres": [],
            "score": score,
        }
    return {
        "tconst": tconst,
        "title": brief.title,
        "year": brief.year,
        "type": brief.type,
        "genres": brief.genres,
        "score": score,
    }


def refresh_vector(*, session: Session, user_id: int, loaded: Loaded) -> None:
    """Online update of the stored preference vector after a signal changed (the feed reads it)."""
    uservector.refresh(session=session, user_id=user_id, loaded=loaded)


def _known(loaded: Loaded, tconst: str) -> None:
    if loaded.brief(tconst) is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"unknown title {tconst}")


@router.get("", response_model=MePublic)
def me(user: CurrentUser) -> MePublic:
    return MePublic.model_validate(user, from_attributes=True)


# --- ratings ---


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (see ``total``).")]


def _rating_public(loaded: Loaded, r: Rating) -> RatingPublic:
    return RatingPublic(
        **_title_fields(loaded, r.tconst, r.rating), rating=r.rating, rated_at=r.rated_at, source=r.source
    )


@router.get("/ratings", response_model=CountedPage[RatingPublic])
def list_ratings(
    *,
    user: CurrentUser,
    session: SessionDep,
    loaded: LoadedDep,
    filter: FilterDep,
    sort: Annotated[
        RatingSort, Query(description="recent (newest first), oldest, rating (highest first), title.")
    ] = RatingSort.recent,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> CountedPage[RatingPublic]:
    """The caller's ratings, newest first by default; ``total`` counts those matching the title filters."""
    assert user.id is not None
    rows, total = listing.page(
        partial(crud.list_ratings, session=session, user_id=user.id, sort=sort),
        partial(crud.count_ratings, session=session, user_id=user.id),
        loaded=loaded,
        filter=filter,
        by_title=sort is RatingSort.by_title,
        limit=limit,
        offset=offset,
    )
    return CountedPage[RatingPublic](
        items=[_rating_public(loaded, r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.put("/ratings/{tconst}", response_model=RatingPublic)
def put_rating(
    tconst: TconstPath, body: RatingUpdate, user: CurrentUser, session: SessionDep, loaded: LoadedDep
) -> RatingPublic:
    """Rate a title 1-10 (replaces an earlier rating); the next feed reflects it at once."""
    assert user.id is not None
    _known(loaded, tconst)
    row, changed = crud.upsert_rating(session=session, user_id=user.id, tconst=tconst, rating=body.rating)
    if changed:
        refresh_vector(session=session, user_id=user.id, loaded=loaded)
    return _rating_public(loaded, row)


@router.delete("/ratings/{tconst}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rating(tconst: TconstPath, user: CurrentUser, session: SessionDep, loaded: LoadedDep) -> Response:
    assert user.id is not None
    crud.delete_rating(session=session, user_id=user.id, tconst=tconst)
    refresh_vector(session=session, user_id=user.id, loaded=loaded)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- feedback ---


@router.post("/feedback", status_code=status.HTTP_201_CREATED, response_model=FeedbackPublic)
def post_feedback(
    body: FeedbackCreate, user: CurrentUser, session: SessionDep, loaded: LoadedDep
) -> FeedbackPublic:
    """like, dislike, not_interested (``snooze_days``: "not now"; omitted: never), watchlist, watched."""
    assert user.id is not None
    if body.snooze_days is not None and body.kind is not FeedbackKind.not_interested:
        raise HTTPException(
            status_code=422,
            detail=[
                {"loc": ["body", "snooze_days"], "msg": "only for kind=not_interested", "type": "value_error"}
            ],
        )
    _known(loaded, body.tconst)
    row = crud.add_feedback(
        session=session, user_id=user.id, tconst=body.tconst, kind=body.kind, snooze_days=body.snooze_days
    )
    refresh_vector(session=session, user_id=user.id, loaded=loaded)
    return FeedbackPublic(
        **_title_fields(loaded, row.tconst, 0.0),
        kind=body.kind,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


@router.get("/feedback", response_model=CountedPage[FeedbackPublic])
def list_feedback(
    *,
    user: CurrentUser,
    session: SessionDep,
    loaded: LoadedDep,
    filter: FilterDep,
    kind: Annotated[
        list[FeedbackKind] | None,
        Query(description="Kind(s), repeated for several (kind=like&kind=watched); all when omitted."),
    ] = None,
    sort: Annotated[
        FeedbackSort, Query(description="recent (newest first), oldest, title.")
    ] = FeedbackSort.recent,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> CountedPage[FeedbackPublic]:
    """The caller's feedback, newest first by default (``kind=watchlist`` gives the watchlist)."""
    assert user.id is not None
    kinds = list(dict.fromkeys(kind or []))
    rows, total = listing.page(
        partial(crud.list_feedback, session=session, user_id=user.id, kind=kinds, sort=sort),
        partial(crud.count_feedback, session=session, user_id=user.id, kind=kinds),
        loaded=loaded,
        filter=filter,
        by_title=sort is FeedbackSort.by_title,
        limit=limit,
        offset=offset,
    )
    return CountedPage[FeedbackPublic](
        items=[
            FeedbackPublic(
                **_title_fields(loaded, f.tconst, 0.0),
                kind=FeedbackKind(f.kind),
                created_at=f.created_at,
                expires_at=f.expires_at,
            )
            for f in rows
        ],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.delete("/feedback/{tconst}", status_code=status.HTTP_204_NO_CONTENT)
def delete_feedback(
    tconst: TconstPath, kind: FeedbackKind, user: CurrentUser, session: SessionDep, loaded: LoadedDep
) -> Response:
    """Undo one feedback (e.g. remove from the watchlist)."""
    assert user.id is not None
    crud.remove_feedback(session=session, user_id=user.id, tconst=tconst, kind=kind)
    refresh_vector(session=session, user_id=user.id, loaded=loaded)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- preferences ---


@router.get("/preferences", response_model=PreferencesPublic)
def get_preferences(user: CurrentUser, session: SessionDep) -> PreferencesPublic:
    assert user.id is not None
    row = crud.get_preferences(session=session, user_id=user.id)
    if row is None:
        return PreferencesPublic()
    return PreferencesPublic(**row.data, updated_at=row.updated_at)


@router.put("/preferences", response_model=PreferencesPublic)
def put_preferences(body: PreferencesUpdate, user: CurrentUser, session: SessionDep) -> PreferencesPublic:
    """Replace the onboarding preferences (liked/disliked genres, people, types, years, runtime)."""
    assert user.id is not None
    row = crud.put_preferences(session=session, user_id=user.id, prefs=body)
    return PreferencesPublic(**row.data, updated_at=row.updated_at)


# --- imports ---


@router.post("/imports", response_model=ImportResult)
async def post_import(
    file: Annotated[UploadFile, File(description="IMDb ratings/list export or Letterboxd ratings.csv etc.")],
    user: CurrentUser,
    session: SessionDep,
    loaded: LoadedDep,
    settings: SettingsDep,
) -> ImportResult:
    """Import an IMDb or Letterboxd export; bad rows are reported; the same file twice changes nothing."""
    assert user.id is not None
    limit = settings.service.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE, detail=f"file larger than {limit:,} bytes"
        )
    user_id, filename = user.id, file.filename or ""

    def apply() -> ImportResult:  # parsing and matching are CPU work: off the event loop
        result = imports.apply(
            session=session, user_id=user_id, data=data, filename=filename, matcher=loaded.matcher
        )
        if result.imported:  # imported rows carry the export's dates, older than the stored vector
            refresh_vector(session=session, user_id=user_id, loaded=loaded)
        return result

    return await run_in_threadpool(apply)


@router.get("/imports", response_model=Page[ImportRecordPublic])
def list_imports(user: CurrentUser, session: SessionDep) -> Page[ImportRecordPublic]:
    assert user.id is not None
    rows = crud.list_imports(session=session, user_id=user.id)
    return Page[ImportRecordPublic](
        items=[ImportRecordPublic.model_validate(r, from_attributes=True) for r in rows]
    )
