"""The caller's ratings, feedback and preferences: contract, validation, the stored preference vector."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from wtw.service.models import UserVector


def test_ratings_roundtrip(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    r = client.put("/api/v1/me/ratings/tt0133093", json={"rating": 9}, headers=h)
    assert r.status_code == 200
    body = r.json()
    assert body["tconst"] == "tt0133093"
    assert body["rating"] == 9
    assert body["title"] == "The Matrix"
    r = client.put("/api/v1/me/ratings/tt0133093", json={"rating": 4}, headers=h)
    assert r.json()["rating"] == 4
    client.put("/api/v1/me/ratings/tt0078748", json={"rating": 10}, headers=h)
    items = client.get("/api/v1/me/ratings", headers=h).json()["items"]
    assert [(i["tconst"], i["rating"], i["score"]) for i in items] == [
        ("tt0078748", 10, 10),
        ("tt0133093", 4, 4),
    ]
    assert {"tconst", "title", "year", "type", "genres", "score"} <= set(items[0])
    assert client.delete("/api/v1/me/ratings/tt0133093", headers=h).status_code == 204
    assert client.delete("/api/v1/me/ratings/tt0133093", headers=h).status_code == 404
    assert [i["tconst"] for i in client.get("/api/v1/me/ratings", headers=h).json()["items"]] == ["tt0078748"]


def test_rating_validation(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    for bad in (0, 11, "nine", None):
        r = client.put("/api/v1/me/ratings/tt0133093", json={"rating": bad}, headers=h)
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["body", "rating"]
    assert client.put("/api/v1/me/ratings/tt0000001", json={"rating": 5}, headers=h).status_code == 404


def test_rating_updates_the_stored_vector(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    client.put("/api/v1/me/ratings/tt0133093", json={"rating": 9}, headers=h)
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        rows = session.query(UserVector).all()
    assert len(rows) == 1
    assert rows[0].source == "online"
    assert rows[0].dim == 64
    assert len(rows[0].vector) == 64 * 4


def test_feedback(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    r = client.post("/api/v1/me/feedback", json={"tconst": "tt0078748", "kind": "like"}, headers=h)
    assert r.status_code == 201
    assert r.json()["kind"] == "like"
    # dislike replaces like
    client.post("/api/v1/me/feedback", json={"tconst": "tt0078748", "kind": "dislike"}, headers=h)
    client.post("/api/v1/me/feedback", json={"tconst": "tt0090605", "kind": "watchlist"}, headers=h)
    r = client.post(
        "/api/v1/me/feedback",
        json={"tconst": "tt0110912", "kind": "not_interested", "snooze_days": 30},
        headers=h,
    )
    assert r.json()["expires_at"] is not None
    r = client.post("/api/v1/me/feedback", json={"tconst": "tt0113277", "kind": "not_interested"}, headers=h)
    assert r.json()["expires_at"] is None  # "never"
    kinds = {(i["tconst"], i["kind"]) for i in client.get("/api/v1/me/feedback", headers=h).json()["items"]}
    assert kinds == {
        ("tt0078748", "dislike"),
        ("tt0090605", "watchlist"),
        ("tt0110912", "not_interested"),
        ("tt0113277", "not_interested"),
    }
    watchlist = client.get("/api/v1/me/feedback?kind=watchlist", headers=h).json()["items"]
    assert [(i["tconst"], i["title"]) for i in watchlist] == [("tt0090605", "Aliens")]
    assert client.delete("/api/v1/me/feedback/tt0090605?kind=watchlist", headers=h).status_code == 204
    body = client.get("/api/v1/me/feedback?kind=watchlist", headers=h).json()
    assert (body["items"], body["total"]) == ([], 0)


def test_feedback_validation(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    r = client.post("/api/v1/me/feedback", json={"tconst": "tt0078748", "kind": "love"}, headers=h)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "kind"]
    r = client.post(
        "/api/v1/me/feedback", json={"tconst": "tt0078748", "kind": "like", "snooze_days": 3}, headers=h
    )
    assert r.status_code == 422
    r = client.post("/api/v1/me/feedback", json={"tconst": "tt0000001", "kind": "like"}, headers=h)
    assert r.status_code == 404
    r = client.post("/api/v1/me/feedback", json={"tconst": "matrix", "kind": "like"}, headers=h)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "tconst"]


def test_preferences(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    assert client.get("/api/v1/me/preferences", headers=h).json()["liked_genres"] == []
    prefs = {
        "liked_genres": ["Animation", "Comedy"],
        "disliked_genres": ["Horror"],
        "liked_people": ["Tom Hanks"],
        "liked_titles": ["tt0114709"],
        "title_types": ["movie"],
        "year_from": 1990,
        "year_to": 2010,
        "max_runtime": 120,
        "boosted_genres": {"Family": 0.5},
        "muted_titles": [],
    }
    r = client.put("/api/v1/me/preferences", json=prefs, headers=h)
    assert r.status_code == 200
    got = client.get("/api/v1/me/preferences", headers=h).json()
    assert {k: got[k] for k in prefs} == prefs
    assert got["updated_at"]
    r = client.put("/api/v1/me/preferences", json={"liked_titles": ["matrix"]}, headers=h)
    assert r.status_code == 422
    r = client.put("/api/v1/me/preferences", json={"boosted_genres": {"Drama": 5}}, headers=h)
    assert r.status_code == 422
    r = client.put("/api/v1/me/preferences", json={"year_from": 2010, "year_to": 1990}, headers=h)
    assert r.status_code == 422
    assert "year_to" in r.json()["detail"][0]["msg"]
    assert client.get("/api/v1/me/preferences", headers=h).json()["year_from"] == 1990
