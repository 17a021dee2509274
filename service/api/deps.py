"""Request dependencies: settings, database session, current user, the served Recommender, title filters.

FastAPI runs each plain `def` dependency in a worker thread; on the read paths (titles, similar, search, feed)
those hand-offs cost more than the work itself under load, so what needs no I/O is `async def`, and the feed's
user and signals are read in a single worker-thread call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

import numpy as np
from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from wtw.config import Settings
from wtw.errors import InputError
from wtw.service import crud, uservector
from wtw.service.models import Role, User
from wtw.service.recommend.filters import Vocabulary
from wtw.service.recommend.signals import UserSignals
from wtw.service.recommend.titles import Constraints
from wtw.service.runtime import Loaded, Runtime
from wtw.service.security import AttemptLimiter, LoginLimiter, decode_token

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    engine: Engine = request.app.state.engine
    with Session(engine, expire_on_commit=False) as session:
        yield session


async def get_loaded(request: Request) -> Loaded:
    runtime: Runtime = request.app.state.runtime
    return runtime.get()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[Session, Depends(get_session)]
LoadedDep = Annotated[Loaded, Depends(get_loaded)]
TokenDep = Annotated[str | None, Depends(oauth2)]


async def get_limiter(request: Request) -> LoginLimiter:
    return request.app.state.login_limiter


LimiterDep = Annotated[LoginLimiter, Depends(get_limiter)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


async def register_throttle(request: Request) -> None:
    """Counts a registration attempt from the caller's address; 429 with Retry-After over the limit.

    A dependency, so it runs (and counts) before the body is validated: malformed attempts count too.
    """
    limiter: AttemptLimiter = request.app.state.register_limiter
    wait = limiter.attempt(f"ip:{client_address(request)}")
    if wait > 0:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail="too many accounts registered from this address; try again later",
            headers={"Retry-After": str(int(wait) + 1)},
        )


_UNAUTHORISED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="not authenticated: send 'Authorization: Bearer <token>' from POST /api/v1/auth/token",
    headers={"WWW-Authenticate": "Bearer"},
)


def _user_from_token(request: Request, session: Session, token: str | None) -> User | None:
    if not token:
        return None
    user_id = decode_token(token, request.app.state.signing_key)
    return session.get(User, user_id) if user_id is not None else None


def get_current_user(request: Request, session: SessionDep, token: TokenDep) -> User:
    user = _user_from_token(request, session, token)
    if user is None:
        raise _UNAUTHORISED
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_admin(user: CurrentUser) -> User:
    if user.role != Role.admin.value:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="admin role required")
    return user


AdminUser = Annotated[User, Depends(get_admin)]


def _signals_for_token(engine: Engine, key: str, token: str) -> UserSignals | None:
    """The token's user's signals, read in one session; None when the token or the user is not valid."""
    user_id = decode_token(token, key)
    if user_id is None:
        return None
    with Session(engine) as session:
        if session.get(User, user_id) is None:
            return None
        return crud.load_signals(session=session, user_id=user_id)


async def get_signals(request: Request, token: TokenDep) -> UserSignals:
    """The caller's ratings, feedback and preferences (401 without a valid token)."""
    state = request.app.state
    signals = await run_in_threadpool(_signals_for_token, state.engine, state.signing_key, token or "")
    if signals is None:
        raise _UNAUTHORISED
    return signals


async def get_optional_signals(request: Request, token: TokenDep) -> UserSignals | None:
    """The caller's signals when a token is sent; None when anonymous (an invalid token is still refused)."""
    return await get_signals(request, token) if token else None


def _feed_state_for_token(engine: Engine, key: str, token: str, loaded: Loaded) -> FeedState | None:
    """The token's user's signals and preference vector (stored while fresh, else computed and stored)."""
    user_id = decode_token(token, key)
    if user_id is None:
        return None
    with Session(engine, expire_on_commit=False) as session:
        if session.get(User, user_id) is None:
            return None
        signals = crud.load_signals(session=session, user_id=user_id)
        return FeedState(signals, uservector.for_feed(session=session, signals=signals, loaded=loaded))


class FeedState(NamedTuple):
    signals: UserSignals
    vector: np.ndarray | None


async def get_feed_state(request: Request, token: TokenDep, loaded: LoadedDep) -> FeedState:
    """`get_signals` plus the caller's preference vector, in the same worker-thread call."""
    state = request.app.state
    found = await run_in_threadpool(
        _feed_state_for_token, state.engine, state.signing_key, token or "", loaded
    )
    if found is None:
        raise _UNAUTHORISED
    return found


SignalsDep = Annotated[UserSignals, Depends(get_signals)]
FeedStateDep = Annotated[FeedState, Depends(get_feed_state)]
OptionalSignalsDep = Annotated[UserSignals | None, Depends(get_optional_signals)]


def _split(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated query values: ?genre=Drama&genre=Comedy or ?genre=Drama,Comedy."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _invalid(name: str, msg: str) -> HTTPException:
    return HTTPException(
        status_code=422, detail=[{"loc": ["query", name], "msg": msg, "type": "value_error"}]
    )


def _names(vocabulary: Vocabulary, name: str, values: list[str] | None) -> frozenset[str] | None:
    try:
        return frozenset(vocabulary.canonical(_split(values))) or None
    except InputError as exc:
        raise _invalid(name, str(exc)) from None


async def get_filter(
    *,
    loaded: LoadedDep,
    type: Annotated[
        list[str] | None,
        Query(description="IMDb title type(s), any case: movie, tvSeries, tvMiniSeries, ..."),
    ] = None,
    genre: Annotated[
        list[str] | None,
        Query(description="Genre(s), any case (sci-fi → Sci-Fi); a title matches any of them."),
    ] = None,
    year_from: Annotated[int | None, Query(ge=1870, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1870, le=2100)] = None,
    max_runtime: Annotated[int | None, Query(ge=1, le=10_000, description="Minutes.")] = None,
    min_rating: Annotated[float | None, Query(ge=0, le=10, description="IMDb rating.")] = None,
    min_votes: Annotated[int | None, Query(ge=0, le=1_000_000_000, description="IMDb votes.")] = None,
) -> Constraints | None:
    """The filters every list route accepts, as the engine's constraints (None when no filter is set).

    Genres and types are mapped to the served catalog's spelling; an unknown one is a 422 naming the
    valid ones.
    """
    if year_from is not None and year_to is not None and year_from > year_to:
        raise _invalid("year_to", "year_to must not be before year_from")
    table = loaded.recommender.ctx.table
    constraints = Constraints(
        types=_names(table.type_vocab, "type", type),
        genres=_names(table.genre_vocab, "genre", genre),
        year_from=year_from,
        year_to=year_to,
        runtime_max=max_runtime,
        min_rating=min_rating,
        min_votes=min_votes,
    )
    return None if constraints.is_empty() else constraints


FilterDep = Annotated[Constraints | None, Depends(get_filter)]
