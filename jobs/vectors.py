"""Rebuilding every user's preference vector from scratch with the service's own formula.

Users are read ``chunk_users`` at a time (three queries per chunk) and their vectors spilled to a temporary
file with no write lock held; then every write happens in one short transaction of bulk upserts: a killed run
leaves the previous vectors untouched, and the service is never blocked for the length of the rebuild. A
vector the service updated online after the run started is newer than ours and is kept.
"""

from __future__ import annotations

import logging
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
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
    """Recompute every user's vector, then store them all in one short transaction; returns counts.

    The computing phase only reads (vectors are spilled to a temporary file a chunk at a time), so no lock is
    held while it runs: on SQLite the service keeps accepting ratings, on PostgreSQL no row it may update
    online is locked. The write phase is bulk upserts that leave alone any vector updated after ``started``.
    """
    now = now or started
    with tempfile.TemporaryDirectory(prefix="wtw-vectors-") as tmp:
        chunks = []
        with Session(engine) as session:
            for n, user_ids in enumerate(user_id_chunks(session, chunk_users)):
                computed = [
                    (s.user_id, preference_vector(s, space, now, seeds=seeds))
                    for s in load_signals_bulk(session, user_ids)
                ]
                chunks.append(_spill(Path(tmp) / f"{n}.npz", computed))
                session.rollback()  # end the read transaction between chunks
        result = _store(engine, chunks, model_id=model_id, started=started, before_commit=before_commit)
    logger.info(
        "preference vectors: %d written, %d removed, %d newer kept",
        result.written,
        result.removed,
        result.kept_newer,
    )
    return result


def _spill(path: Path, computed: list[tuple[int, np.ndarray | None]]) -> Path:
    """One chunk's vectors on disk: ids with a vector, their vectors, ids without one."""
    with_vector = [(u, v) for u, v in computed if v is not None]
    dim = with_vector[0][1].size if with_vector else 0
    np.savez(
        path,
        ids=np.array([u for u, _ in with_vector], dtype=np.int64),
        vectors=np.array([v for _, v in with_vector], dtype=np.float32).reshape(len(with_vector), dim),
        empty=np.array([u for u, v in computed if v is None], dtype=np.int64),
    )
    return path


def _store(
    engine: Engine,
    chunks: list[Path],
    *,
    model_id: str,
    started: datetime,
    before_commit: Callable[[], None] | None,
) -> VectorRebuild:
    """Upsert or delete the spilled chunks in one transaction; rows updated online since ``started`` stay."""
    table = UserVector.__table__  # type: ignore[attr-defined]
    users = User.__table__  # type: ignore[attr-defined]
    not_newer = table.c.updated_at <= started
    upsert = _upsert(engine.dialect.name, table, not_newer)
    result = VectorRebuild()
    with engine.begin() as conn:
        for path in chunks:
            with np.load(path) as chunk:
                ids, vectors, empty = chunk["ids"], chunk["vectors"], chunk["empty"]
            everyone = [int(u) for u in np.concatenate([ids, empty])]
            newer = set(
                conn.scalars(sa.select(table.c.user_id).where(table.c.user_id.in_(everyone), ~not_newer))
            )
            alive = set(conn.scalars(sa.select(users.c.id).where(users.c.id.in_(everyone))))
            result.kept_newer += len(newer)
            written_at = datetime.now(UTC)
            rows = [
                {"user_id": int(u), "model_id": model_id, "dim": int(v.size), "vector": v.tobytes(),
                 "source": SOURCE, "updated_at": written_at}
                for u, v in zip(ids, vectors, strict=True)
                if int(u) in alive and int(u) not in newer
            ]  # fmt: skip
            if rows:
                conn.execute(upsert, rows)
            result.written += len(rows)
            gone = [int(u) for u in empty if int(u) not in newer]
            if gone:
                deleted = conn.execute(sa.delete(table).where(table.c.user_id.in_(gone), not_newer))
                result.removed += deleted.rowcount
        if before_commit is not None:
            before_commit()
    return result


def _upsert(dialect: str, table: Any, where: Any) -> Any:
    """INSERT ... ON CONFLICT (user_id) DO UPDATE ... WHERE ``where``, for SQLite or PostgreSQL."""
    from sqlalchemy.dialects import postgresql, sqlite

    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    columns = ("model_id", "dim", "vector", "source", "updated_at")
    return stmt.on_conflict_do_update(
        index_elements=[table.c.user_id], set_={c: stmt.excluded[c] for c in columns}, where=where
    )
