"""The stored preference vector (`UserVector`): the feed uses it while it is newer than every signal.

Every write path that changes a user's evidence either refreshes the row (ratings, feedback, imports: their
rows may carry dates older than the vector) or leaves a newer timestamp behind (preferences' ``updated_at``);
the nightly job rewrites rows it finds unchanged. A row from another encoder, of another size, or older than
the newest signal is stale: the feed computes the vector online, as before, and stores it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from wtw.service import crud
from wtw.service.models import UserPreferences, UserVector
from wtw.service.recommend.signals import UserSignals
from wtw.service.runtime import Loaded

logger = logging.getLogger(__name__)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def model_id(loaded: Loaded) -> str:
    return getattr(loaded.encoder, "model_id", None) or "unknown"


def latest_signal(signals: UserSignals, preferences_at: datetime | None, now: datetime) -> datetime | None:
    """When the user's evidence last changed: the newest interaction or preferences edit, or a "not now"
    dismissal that has run out since."""
    times = [it.at for it in signals.interactions]
    times += [
        it.expires_at for it in signals.interactions if it.expires_at is not None and it.expires_at <= now
    ]
    if preferences_at is not None:
        times.append(preferences_at)
    return max((_utc(t) for t in times), default=None)


def fresh(row: UserVector | None, *, model: str, dim: int, since: datetime | None) -> np.ndarray | None:
    """The row's vector when it fits the served space and is newer than ``since``; else None."""
    if row is None or row.model_id != model or row.dim != dim or len(row.vector) != 4 * dim:
        return None
    if since is not None and _utc(row.updated_at) <= since:
        return None
    return np.frombuffer(row.vector, dtype=np.float32)


def save(*, session: Session, user_id: int, loaded: Loaded, vector: np.ndarray | None) -> None:
    """Store (or, without a vector, delete) the online vector; a concurrent writer winning is fine."""
    try:
        if vector is None:
            crud.delete_vector(session=session, user_id=user_id)
            return
        data = np.asarray(vector, dtype=np.float32)
        crud.save_vector(
            session=session, user_id=user_id, model_id=model_id(loaded), vector=data.tobytes(), dim=data.size
        )
    except IntegrityError:  # two first requests of one user at once: the other one stored the same vector
        session.rollback()
        logger.debug("user %s: vector stored concurrently", user_id)


def refresh(*, session: Session, user_id: int, loaded: Loaded) -> np.ndarray | None:
    """Recompute and store the vector after a signal changed (the next feed then reads it)."""
    signals = crud.load_signals(session=session, user_id=user_id)
    vector = loaded.recommender.preference_vector(signals)
    save(session=session, user_id=user_id, loaded=loaded, vector=vector)
    return vector


def for_feed(
    *, session: Session, signals: UserSignals, loaded: Loaded, now: datetime | None = None
) -> np.ndarray | None:
    """The stored vector while fresh; else computed online and stored. None: no positive evidence."""
    now = now or datetime.now(UTC)
    prefs = session.get(UserPreferences, signals.user_id)
    since = latest_signal(signals, prefs.updated_at if prefs else None, now)
    space = loaded.recommender.ctx.space
    row = session.get(UserVector, signals.user_id)
    vector = fresh(row, model=model_id(loaded), dim=space.dim, since=since)
    if vector is not None:
        return vector
    vector = loaded.recommender.preference_vector(signals, now)
    if vector is not None or row is not None:
        save(session=session, user_id=signals.user_id, loaded=loaded, vector=vector)
    return vector
