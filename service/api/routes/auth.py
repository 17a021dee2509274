"""Accounts: register and the OAuth2 password flow (bearer tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from wtw.service import crud
from wtw.service.api.deps import LimiterDep, SessionDep, SettingsDep, client_address, register_throttle
from wtw.service.models import Token, UserCreate, UserPublic
from wtw.service.security import create_token, verify_password

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    dependencies=[Depends(register_throttle)],
)
def register(user_in: UserCreate, session: SessionDep) -> UserPublic:
    """Create an account (409 when the username is taken; 429 after too many attempts from one address)."""
    user = crud.create_user(session=session, user_in=user_in)
    return UserPublic.model_validate(user, from_attributes=True)


@router.post("/token", response_model=Token)
def token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    limiter: LimiterDep,
) -> Token:
    """Exchange username and password for a bearer token (rate-limited per username and address)."""
    keys = (f"user:{form.username.lower()}", f"ip:{client_address(request)}")
    wait = limiter.retry_after(*keys)
    if wait > 0:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail="too many failed logins; try again later",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    user = crud.get_user_by_username(session=session, username=form.username)
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        limiter.failed(*keys)
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    limiter.succeeded(keys[0])
    assert user.id is not None
    key = request.app.state.signing_key
    return Token(access_token=create_token(user_id=user.id, key=key, minutes=settings.service.token_minutes))
