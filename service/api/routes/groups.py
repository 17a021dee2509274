"""Tonight / group mode: one feed for the caller plus friends who gave them their share code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response, status

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
    request: Request,
    signals: SignalsDep,
    session: SessionDep,
    loaded: LoadedDep,
    filter: FilterDep,
    codes: Annotated[
        list[str] | None, Query(max_length=MAX_MEMBERS, description="Friends' share codes.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[TitlePublic]:
    """A feed for the caller and friends at once: blended tastes, nothing any of them has seen.

    Friends are named only by the share codes they gave out: the code is their consent, and rotating or
    revoking it withdraws that consent. Unknown and revoked codes read the same, so a 404 says nothing
    about who has (or had) a code.
    """
    if "user_ids" in request.query_params:
        raise HTTPException(
            status_code=422, detail="user_ids is not accepted; name group members by their share codes"
        )
    wanted = list(dict.fromkeys(c.strip() for c in codes or [] if c.strip()))
    by_code = crud.users_for_codes(session=session, codes=wanted)
    missing = [c for c in wanted if c not in by_code]
    if missing:
        raise HTTPException(status_code=404, detail=f"unknown share code(s): {', '.join(missing)}")
    others = set(by_code.values()) - {signals.user_id}
    members = [signals] + [crud.load_signals(session=session, user_id=uid) for uid in sorted(others)]
    items = loaded.recommender.group(members, limit=limit, filter=filter)
    return Page[TitlePublic](items=convert.titles(items))
