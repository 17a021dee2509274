"""Tonight / group mode: one feed for the caller plus friends who shared a code with them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status

from wtw.service import crud
from wtw.service.api import convert
from wtw.service.api.deps import CurrentUser, FilterDep, LoadedDep, SessionDep, SignalsDep
from wtw.service.models import Page, ShareCodePublic, TitlePublic

router = APIRouter(tags=["groups"])

MAX_MEMBERS = 12


@router.post("/me/share-code", status_code=status.HTTP_201_CREATED, response_model=ShareCodePublic)
def create_share_code(user: CurrentUser, session: SessionDep) -> ShareCodePublic:
    """A new code (replacing the old one): whoever holds it may include you in a group feed."""
    assert user.id is not None
    row = crud.create_share_code(session=session, user_id=user.id)
    return ShareCodePublic(code=row.code, created_at=row.created_at)


@router.get("/me/share-code", response_model=ShareCodePublic)
def get_share_code(user: CurrentUser, session: SessionDep) -> ShareCodePublic:
    assert user.id is not None
    row = crud.get_share_code(session=session, user_id=user.id)
    if row is None:
        raise HTTPException(
            status_code=404, detail="no share code; create one with POST /api/v1/me/share-code"
        )
    return ShareCodePublic(code=row.code, created_at=row.created_at)


@router.delete("/me/share-code", status_code=status.HTTP_204_NO_CONTENT)
def revoke_share_code(user: CurrentUser, session: SessionDep) -> Response:
    """Withdraw consent: the code stops working at once."""
    assert user.id is not None
    crud.revoke_share_code(session=session, user_id=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/groups/tonight", response_model=Page[TitlePublic])
def tonight(
    *,
    signals: SignalsDep,
    session: SessionDep,
    loaded: LoadedDep,
    filter: FilterDep,
    codes: Annotated[
        list[str] | None, Query(max_length=MAX_MEMBERS, description="Friends' share codes.")
    ] = None,
    user_ids: Annotated[
        list[int] | None, Query(max_length=MAX_MEMBERS, description="Ids of users who hold a share code.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[TitlePublic]:
    """A feed for the caller and friends at once: blended tastes, nothing any of them has seen."""
    codes, user_ids = codes or [], user_ids or []
    by_code = crud.users_for_codes(session=session, codes=codes)
    missing = [c for c in codes if c not in by_code]
    if missing:
        raise HTTPException(status_code=404, detail=f"unknown share code(s): {', '.join(missing)}")
    consenting = crud.consenting_user_ids(session=session, user_ids=user_ids)
    refused = [i for i in user_ids if i not in consenting]
    if refused:
        raise HTTPException(
            status_code=403, detail=f"user(s) {refused} have not shared a code; ask them for their share code"
        )
    others = {*by_code.values(), *user_ids} - {signals.user_id}
    members = [signals] + [crud.load_signals(session=session, user_id=uid) for uid in sorted(others)]
    items = loaded.recommender.group(members, limit=limit, filter=filter)
    return Page[TitlePublic](items=convert.titles(items))
