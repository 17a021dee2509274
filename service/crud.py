"""Reads and writes of user data. Keyword-only arguments, no HTTP: errors are `wtw.errors` exceptions."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from wtw.errors import ConflictError, NotFoundError
from wtw.service.models import (
    Feedback,
    FeedbackKind,
    FeedbackSort,
    ImportRecord,
    PreferencesBase,
    Rating,
    RatingSort,
    Role,
    ShareCode,
    User,
    UserCreate,
    UserPreferences,
    UserVector,
    utcnow,
)
from wtw.service.recommend.signals import Interaction, Preferences, UserSignals
from wtw.service.security import hash_password

EXCLUSIVE = {
    FeedbackKind.like.value: FeedbackKind.dislike.value,
    FeedbackKind.dislike.value: FeedbackKind.like.value,
}
"""Feedback kinds that replace each other."""

# --- users ---


def create_user(*, session: Session, user_in: UserCreate, role: Role = Role.user) -> User:
    user = User(username=user_in.username, password_hash=hash_password(user_in.password), role=role.value)
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ConflictError(f"username {user_in.username!r} is taken") from exc
    session.refresh(user)
    return user


def get_user_by_username(*, session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def set_role(*, session: Session, username: str, role: Role) -> User:
    user = get_user_by_username(session=session, username=username)
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    user.role = role.value
    session.add(user)
    session.commit()
    return user


# --- ratings ---


def upsert_rating(
    *,
    session: Session,
    user_id: int,
    tconst: str,
    rating: int,
    rated_at: datetime | None = None,
    source: str = "api",
    commit: bool = True,
) -> tuple[Rating, bool]:
    """Set the user's rating of a title; returns the row and whether anything changed."""
    row = session.exec(select(Rating).where(Rating.user_id == user_id, Rating.tconst == tconst)).first()
    if row is not None and row.rating == rating:
        return row, False
    if row is None:
        row = Rating(
            user_id=user_id, tconst=tconst, rating=rating, source=source, rated_at=rated_at or utcnow()
        )
    else:
        row.rating, row.source, row.rated_at = rating, source, rated_at or utcnow()
    session.add(row)
    if commit:
        session.commit()
    return row, True


def delete_rating(*, session: Session, user_id: int, tconst: str) -> None:
    row = session.exec(select(Rating).where(Rating.user_id == user_id, Rating.tconst == tconst)).first()
    if row is None:
        raise NotFoundError(f"you have not rated {tconst}")
    session.delete(row)
    session.commit()


RATING_ORDER = {
    RatingSort.recent: (col(Rating.rated_at).desc(), col(Rating.id).desc()),
    RatingSort.oldest: (col(Rating.rated_at).asc(), col(Rating.id).asc()),
    RatingSort.rating: (col(Rating.rating).desc(), col(Rating.rated_at).desc(), col(Rating.id).desc()),
}
"""SQL orders (the id breaks ties, so pages never overlap); `RatingSort.by_title` needs the catalog."""


def list_ratings(
    *,
    session: Session,
    user_id: int,
    sort: RatingSort = RatingSort.recent,
    limit: int | None = None,
    offset: int = 0,
) -> Sequence[Rating]:
    """The user's ratings in ``sort`` order (newest first for `RatingSort.by_title`), or one window."""
    order = RATING_ORDER.get(sort, RATING_ORDER[RatingSort.recent])
    query = select(Rating).where(Rating.user_id == user_id).order_by(*order).offset(offset).limit(limit)
    return session.exec(query).all()


def count_ratings(*, session: Session, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(Rating).where(Rating.user_id == user_id)).one()


def ratings_by_tconst(*, session: Session, user_id: int, tconsts: Sequence[str]) -> dict[str, Rating]:
    rows = session.exec(
        select(Rating).where(Rating.user_id == user_id, col(Rating.tconst).in_(tconsts))
    ).all()
    return {r.tconst: r for r in rows}


# --- feedback ---


def add_feedback(
    *,
    session: Session,
    user_id: int,
    tconst: str,
    kind: FeedbackKind,
    snooze_days: int | None = None,
    at: datetime | None = None,
    commit: bool = True,
) -> Feedback:
    """Record the latest event of ``kind`` (like and dislike replace each other)."""
    now = at or utcnow()
    if kind.value in EXCLUSIVE:
        session.exec(
            delete(Feedback).where(
                col(Feedback.user_id) == user_id,
                col(Feedback.tconst) == tconst,
                col(Feedback.kind) == EXCLUSIVE[kind.value],
            )
        )
    row = session.exec(
        select(Feedback).where(
            Feedback.user_id == user_id, Feedback.tconst == tconst, Feedback.kind == kind.value
        )
    ).first()
    expires = (
        now + timedelta(days=snooze_days) if kind is FeedbackKind.not_interested and snooze_days else None
    )
    if row is None:
        row = Feedback(user_id=user_id, tconst=tconst, kind=kind.value, created_at=now, expires_at=expires)
    else:
        row.created_at, row.expires_at = now, expires
    session.add(row)
    if commit:
        session.commit()
    return row


def remove_feedback(*, session: Session, user_id: int, tconst: str, kind: FeedbackKind) -> None:
    result = session.exec(
        delete(Feedback).where(
            col(Feedback.user_id) == user_id, col(Feedback.tconst) == tconst, col(Feedback.kind) == kind.value
        )
    )
    if not result.rowcount:
        session.rollback()
        raise NotFoundError(f"no {kind.value} feedback on {tconst}")
    session.commit()


FEEDBACK_ORDER = {
    FeedbackSort.recent: (col(Feedback.created_at).desc(), col(Feedback.id).desc()),
    FeedbackSort.oldest: (col(Feedback.created_at).asc(), col(Feedback.id).asc()),
}


def _feedback_where(user_id: int, kind: FeedbackKind | Collection[FeedbackKind] | None) -> list[Any]:
    kinds = [kind] if isinstance(kind, FeedbackKind) else kind
    where = [col(Feedback.user_id) == user_id]
    if kinds:
        where.append(col(Feedback.kind).in_(sorted(k.value for k in kinds)))
    return where


def list_feedback(
    *,
    session: Session,
    user_id: int,
    kind: FeedbackKind | Collection[FeedbackKind] | None = None,
    sort: FeedbackSort = FeedbackSort.recent,
    limit: int | None = None,
    offset: int = 0,
) -> Sequence[Feedback]:
    """The user's feedback of the given kind(s) (all when None) in ``sort`` order, optionally one window."""
    order = FEEDBACK_ORDER.get(sort, FEEDBACK_ORDER[FeedbackSort.recent])
    query = select(Feedback).where(*_feedback_where(user_id, kind)).order_by(*order)
    return session.exec(query.offset(offset).limit(limit)).all()


def count_feedback(
    *, session: Session, user_id: int, kind: FeedbackKind | Collection[FeedbackKind] | None = None
) -> int:
    query = select(func.count()).select_from(Feedback).where(*_feedback_where(user_id, kind))
    return session.exec(query).one()


# --- preferences ---


def get_preferences(*, session: Session, user_id: int) -> UserPreferences | None:
    return session.get(UserPreferences, user_id)


def put_preferences(*, session: Session, user_id: int, prefs: PreferencesBase) -> UserPreferences:
    row = session.get(UserPreferences, user_id) or UserPreferences(user_id=user_id)
    row.data = prefs.model_dump(mode="json")
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    return row


# --- signals ---


def load_signals(*, session: Session, user_id: int) -> UserSignals:
    """Everything the engine needs about one user, read in three queries.

    Columns, not ORM objects: a user with an imported history of thousands of ratings is read on every feed
    request, and building an instance per row cost ten times the query.
    """
    ratings = select(Rating.tconst, Rating.rated_at, Rating.rating).where(Rating.user_id == user_id)
    interactions = [
        Interaction(tconst=tconst, kind="rating", at=at, value=float(value))
        for tconst, at, value in session.exec(ratings).all()
    ]
    feedback = select(Feedback.tconst, Feedback.kind, Feedback.created_at, Feedback.expires_at).where(
        Feedback.user_id == user_id
    )
    interactions += [
        Interaction(tconst=tconst, kind=kind, at=at, expires_at=expires)
        for tconst, kind, at, expires in session.exec(feedback).all()
    ]
    row = session.get(UserPreferences, user_id)
    prefs = Preferences(**PreferencesBase.model_validate(row.data).model_dump()) if row else Preferences()
    return UserSignals(user_id=user_id, interactions=interactions, preferences=prefs)


def save_vector(*, session: Session, user_id: int, model_id: str, vector: bytes, dim: int) -> None:
    """Store the online-updated preference vector (the nightly job overwrites it with source='nightly')."""
    row = session.get(UserVector, user_id) or UserVector(
        user_id=user_id, model_id=model_id, dim=dim, vector=b""
    )
    row.model_id, row.dim, row.vector, row.source, row.updated_at = model_id, dim, vector, "online", utcnow()
    session.add(row)
    session.commit()


def delete_vector(*, session: Session, user_id: int) -> None:
    session.exec(delete(UserVector).where(col(UserVector.user_id) == user_id))
    session.commit()


# --- share codes ---


def create_share_code(*, session: Session, user_id: int) -> ShareCode:
    """A fresh code replacing the user's previous one (so a leaked code can be revoked)."""
    session.exec(delete(ShareCode).where(col(ShareCode.user_id) == user_id))
    row = ShareCode(code=secrets.token_urlsafe(9), user_id=user_id)
    session.add(row)
    session.commit()
    return row


def get_share_code(*, session: Session, user_id: int) -> ShareCode | None:
    return session.exec(select(ShareCode).where(ShareCode.user_id == user_id)).first()


def revoke_share_code(*, session: Session, user_id: int) -> None:
    session.exec(delete(ShareCode).where(col(ShareCode.user_id) == user_id))
    session.commit()


def users_for_codes(*, session: Session, codes: Sequence[str]) -> dict[str, int]:
    """code → user id for the codes that exist."""
    rows = session.exec(select(ShareCode).where(col(ShareCode.code).in_(codes))).all()
    return {r.code: r.user_id for r in rows}


# --- imports ---


def find_import(*, session: Session, user_id: int, sha256: str) -> ImportRecord | None:
    return session.exec(
        select(ImportRecord).where(ImportRecord.user_id == user_id, ImportRecord.sha256 == sha256)
    ).first()


def list_imports(*, session: Session, user_id: int) -> Sequence[ImportRecord]:
    return session.exec(
        select(ImportRecord)
        .where(ImportRecord.user_id == user_id)
        .order_by(col(ImportRecord.created_at).desc())
    ).all()
