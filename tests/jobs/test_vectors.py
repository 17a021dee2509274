"""The vector rebuild holds no lock while it computes, and keeps what the service wrote meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from wtw.jobs import vectors
from wtw.service.models import UserVector


def _impatient_engine(url: str) -> sa.Engine:
    """A second client that gives up on a lock after half a second (a service write, made to fail fast)."""
    if url.startswith("sqlite"):
        return sa.create_engine(url, connect_args={"timeout": 0.5})
    return sa.create_engine(url, connect_args={"options": "-c lock_timeout=500"})


def test_service_writes_during_the_rebuild_and_its_vector_is_kept(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from wtw.service import crud
    from wtw.service.db import make_engine

    engine = make_engine(world.url)
    space, seeds = vectors.vector_space(world.catalog, world.index)
    first = vectors.rebuild_vectors(engine, space=space, seeds=seeds, model_id="m", started=datetime.now(UTC))
    assert first.written == 60

    online = np.full(space.matrix.shape[1], 0.5, dtype=np.float32).tobytes()
    compute = vectors.preference_vector
    other = _impatient_engine(world.url)

    def compute_then_write_online(signals, *args, **kwargs):  # type: ignore[no-untyped-def]
        if signals.user_id == 55:  # a late chunk: user 1's vector was computed long ago
            with Session(other) as session:
                crud.save_vector(
                    session=session, user_id=1, model_id="m", vector=online, dim=len(online) // 4
                )
        return compute(signals, *args, **kwargs)

    monkeypatch.setattr(vectors, "preference_vector", compute_then_write_online)
    second = vectors.rebuild_vectors(
        engine, space=space, seeds=seeds, model_id="m", started=datetime.now(UTC), chunk_users=10
    )
    other.dispose()
    assert (second.written, second.kept_newer) == (59, 1)
    with Session(engine) as session:
        row = session.get(UserVector, 1)
        assert row is not None and (row.vector, row.source) == (online, "online")
    engine.dispose()
