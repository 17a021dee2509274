"""Rebuilding every user's preference vector from scratch with the service's own formula.

Users are processed ``chunk_users`` at a time (three queries per chunk), and every write happens inside one
transaction committed at the end: a killed run leaves the previous vectors untouched. A vector the service
updated online after the run started is newer than ours and is kept.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from wtw.service.models import Feedback, PreferencesBase, Rating, User, UserPreferences, UserVector
from wtw.service.recommend.profile import SeedVectors, preference_vector
from wtw.service.recommend.signals import Interaction, Preferences, UserSignals
from wtw.service.recommend.space import VectorSpace
from wtw.service.recommend.titles import TitleTable

logger = logging.getLogger(__name__)

SOURCE = "nightly"


@dataclass
class TitleVectors:
    """The index's vectors and their tconsts, as `VectorSpace.from_index` reads them."""

    vectors: np.ndarray
    tconsts: list[str]


@dataclass
class VectorRebuild:
    written: int = 0
    removed: int = 0
    kept_newer: int = 0


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def user_id_chunks(session: Session, size: int) -> Iterator[list[int]]:
    """User ids in ascending chunks (keyset pagination: no offset scans, no full id list in memory)."""
    last = 0
    while True:
        ids = list(
            session.exec(select(User.id).where(col(User.id) > last).order_by(col(User.id)).limit(size))
        )
        if not ids:
            return
        yield [int(i) for i in ids if i is not None]
        last = int(ids[-1])  # type: ignore[arg-type]


def load_signals_bulk(session: Session, user_ids: Sequence[int]) -> list[UserSignals]:
    """The same UserSignals `crud.load_signals` builds, for many users in three queries.

    Interactions are read as plain columns, not ORM objects: building an ORM instance per rating cost
    three quarters of the whole job on ml-latest-small (benchmarks/jobs).
    """
    interactions: dict[int, list[Interaction]] = defaultdict(list)
    ratings = sa.select(col(Rating.user_id), col(Rating.tconst), col(Rating.rating), col(Rating.rated_at))
    for user_id, tconst, rating, at in session.execute(ratings.where(col(Rating.user_id).in_(user_ids))):
        interactions[user_id].append(
            Interaction(tconst=tconst, kind="rating", at=_aware(at), value=float(rating))
        )
    feedback = sa.select(
        col(Feedback.user_id),
        col(Feedback.tconst),
        col(Feedback.kind),
        col(Feedback.created_at),
        col(Feedback.expires_at),
    )
    for user_id, tconst, kind, at, expires in session.execute(
        feedback.where(col(Feedback.user_id).in_(user_ids))
    ):
        interactions[user_id].append(
            Interaction(tconst=tconst, kind=kind, at=_aware(at), expires_at=_utc(expires))
        )
    prefs = {
        p.user_id: Preferences(**PreferencesBase.model_validate(p.data).model_dump())
        for p in session.exec(select(UserPreferences).where(col(UserPreferences.user_id).in_(user_ids)))
    }
    return [
        UserSignals(user_id=u, interactions=interactions.get(u, []), preferences=prefs.get(u, Preferences()))
        for u in user_ids
    ]


def vector_space(catalog: Any, index: Any) -> tuple[VectorSpace, SeedVectors]:
    """The engine's vector space and onboarding seeds for one catalog + index (as `Context` builds them)."""
    table = TitleTable(catalog)
    space = VectorSpace.from_index(table, index)
    return space, SeedVectors(table, space)


def rebuild_vectors(
    engine: Engine,
    *,
    space: VectorSpace,
    seeds: SeedVectors,
    model_id: str,
    started: datetime,
    now: datetime | None = None,
    chunk_users: int = 2000,
    before_commit: Callable[[], None] | None = None,
) -> VectorRebuild:
    """Recompute and store every user's vector (one transaction); returns counts."""
    now = now or started
    result = VectorRebuild()
    with Session(engine, expire_on_commit=False) as session:
        for user_ids in user_id_chunks(session, chunk_users):
            existing = {
                v.user_id: v
                for v in session.exec(select(UserVector).where(col(UserVector.user_id).in_(user_ids)))
            }
            for signals in load_signals_bulk(session, user_ids):
                row = existing.get(signals.user_id)
                if row is not None and _utc(row.updated_at) > started:  # type: ignore[operator]
                    result.kept_newer += 1
                    continue
                vector = preference_vector(signals, space, now, seeds=seeds)
                if vector is None:
                    if row is not None:
                        session.delete(row)
                        result.removed += 1
                    continue
                data = np.asarray(vector, dtype=np.float32).tobytes()
                if row is None:
                    row = UserVector(user_id=signals.user_id, model_id=model_id, dim=vector.size, vector=data)
                row.model_id, row.dim, row.vector, row.source, row.updated_at = (
                    model_id,
                    int(vector.size),
                    data,
                    SOURCE,
                    datetime.now(UTC),
                )
                session.add(row)
                result.written += 1
            session.flush()
            session.expunge_all()
        if before_commit is not None:
            before_commit()
        session.commit()
    logger.info(
        "preference vectors: %d written, %d removed, %d newer kept",
        result.written,
        result.removed,
        result.kept_newer,
    )
    return result
