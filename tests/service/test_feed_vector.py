"""The feed reads the stored preference vector while it is fresh, and recomputes it once a signal is newer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from wtw.service import crud
from wtw.service.models import UserVector


class Counter:
    """Wraps `Recommender.preference_vector` and counts the calls."""

    def __init__(self, recommender: Any) -> None:
        self.inner = recommender.preference_vector
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.inner(*args, **kwargs)


@pytest.fixture
def counter(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Counter:
    recommender = client.app.state.runtime.get().recommender  # type: ignore[attr-defined]
    counter = Counter(recommender)
    monkeypatch.setattr(recommender, "preference_vector", counter)
    return counter


def _feed(client: TestClient, h: dict[str, str]) -> list[str]:
    r = client.get("/api/v1/me/feed", params={"limit": 10}, headers=h)
    assert r.status_code == 200, r.text
    return [i["tconst"] for i in r.json()["items"]]


def _row(client: TestClient) -> UserVector:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        rows = session.query(UserVector).all()
    assert len(rows) == 1
    return rows[0]


def _user_id(client: TestClient) -> int:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        user = crud.get_user_by_username(session=session, username="ana")
        assert user is not None and user.id is not None
        return user.id


def _store(client: TestClient, user_id: int, vector: np.ndarray, at: datetime) -> None:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        row = session.get(UserVector, user_id)
        assert row is not None
        row.vector, row.updated_at = vector.astype(np.float32).tobytes(), at
        session.add(row)
        session.commit()


def test_fresh_vector_is_used(client: TestClient, login: Any, counter: Counter) -> None:
    h = login("ana")
    client.put("/api/v1/me/ratings/tt0078748", json={"rating": 10}, headers=h)  # stores the vector
    assert counter.calls == 1
    online = _feed(client, h)
    assert counter.calls == 1  # the stored vector, not a new one
    space = client.app.state.runtime.get().recommender.ctx.space  # type: ignore[attr-defined]
    # a stored vector that points at Toy Story, newer than every signal: the feed follows it
    toy = space.matrix[space.row_of["tt0114709"]]
    _store(client, _user_id(client), toy, datetime.now(UTC) + timedelta(seconds=1))
    steered = _feed(client, h)
    assert counter.calls == 1
    assert "tt0114709" in steered
    assert "tt0114709" not in online


def test_stored_vector_gives_the_online_feed(client: TestClient, login: Any, counter: Counter) -> None:
    h = login("ana")
    client.put("/api/v1/me/ratings/tt0078748", json={"rating": 10}, headers=h)
    client.post("/api/v1/me/feedback", json={"tconst": "tt0114709", "kind": "like"}, headers=h)
    client.put("/api/v1/me/preferences", json={"liked_genres": ["Crime"]}, headers=h)
    first = _feed(client, h)  # preferences are newer than the vector: recomputed and stored
    calls = counter.calls
    assert _feed(client, h) == first
    assert counter.calls == calls


def test_a_newer_rating_invalidates_it(client: TestClient, login: Any, counter: Counter) -> None:
    h = login("ana")
    client.put("/api/v1/me/ratings/tt0078748", json={"rating": 10}, headers=h)
    user_id = _user_id(client)
    space = client.app.state.runtime.get().recommender.ctx.space  # type: ignore[attr-defined]
    toy = space.matrix[space.row_of["tt0114709"]]
    _store(client, user_id, toy, datetime.now(UTC) - timedelta(minutes=1))  # older than the rating
    calls = counter.calls
    assert "tt0114709" not in _feed(client, h)  # the rating's vector, not the stale one
    assert counter.calls == calls + 1
    row = _row(client)
    assert row.vector != toy.astype(np.float32).tobytes()
    assert row.updated_at.replace(tzinfo=UTC) > datetime.now(UTC) - timedelta(seconds=30)
    # a rating stored without the route's refresh (as a bulk writer would) is newer: recomputed again
    _store(client, user_id, toy, datetime.now(UTC))
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        crud.upsert_rating(session=session, user_id=user_id, tconst="tt0133093", rating=9)
    _feed(client, h)
    assert counter.calls == calls + 2
    # through the API a rating refreshes the row at once; the feed then reads it
    client.put("/api/v1/me/ratings/tt0068646", json={"rating": 8}, headers=h)
    calls = counter.calls
    _feed(client, h)
    assert counter.calls == calls


def test_removing_feedback_or_importing_refreshes_it(
    client: TestClient, login: Any, counter: Counter
) -> None:
    h = login("ana")
    client.post("/api/v1/me/feedback", json={"tconst": "tt0114709", "kind": "like"}, headers=h)
    client.post("/api/v1/me/feedback", json={"tconst": "tt0078748", "kind": "like"}, headers=h)
    before = _row(client).vector
    assert client.delete("/api/v1/me/feedback/tt0114709?kind=like", headers=h).status_code == 204
    assert _row(client).vector != before
    before = _row(client).vector
    data = b"Const,Your Rating,Date Rated,Title,Year\ntt0068646,10,2001-01-01,The Godfather,1972\n"
    r = client.post("/api/v1/me/imports", files={"file": ("r.csv", data, "text/csv")}, headers=h)
    assert r.json()["imported"] == 1
    assert _row(client).vector != before  # the import's 2001 date is older than the vector: refreshed anyway
    calls = counter.calls
    _feed(client, h)
    assert counter.calls == calls
