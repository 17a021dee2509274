"""Reading interactions in bulk agrees with the ORM's reading of the same rows (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlmodel import Session, select

from wtw.jobs.interactions import read_interactions
from wtw.service.recommend.collab import interaction_weight


def test_bulk_read_matches_the_orm_rows(world) -> None:  # type: ignore[no-untyped-def]
    from wtw.service.db import make_engine
    from wtw.service.models import Feedback, Rating

    engine = make_engine(world.url)
    data = read_interactions(engine, chunk_rows=97)  # several chunks
    expected: dict[tuple[int, str], tuple[float, int]] = {}
    with Session(engine) as session:
        rows = [(r.user_id, r.tconst, interaction_weight("rating", r.rating), r.rated_at)
                for r in session.exec(select(Rating))]  # fmt: skip
        rows += [(f.user_id, f.tconst, interaction_weight(f.kind, None), f.created_at)
                 for f in session.exec(select(Feedback))]  # fmt: skip
    engine.dispose()
    for user_id, tconst, weight, at in rows:
        if weight > 0:
            old = expected.get((user_id, tconst), (0.0, 0))
            expected[(user_id, tconst)] = (max(old[0], weight), max(old[1], int(at.timestamp())))
    got = {
        (int(u), data.titles[i]): (float(w), int(t))
        for u, i, w, t in zip(data.users, data.items, data.weights, data.times, strict=True)
    }
    assert got == expected
    assert data.rows_read == len(rows)
    assert data.rows_rejected == sum(weight <= 0 for _, _, weight, _ in rows) > 0
