"""/me/ratings and /me/feedback as lists: pages with a total, orders, kind and title filters, 422s."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

RATINGS = {  # in the order they are given
    "tt0133093": 9,  # The Matrix, movie 1999, Action Sci-Fi
    "tt0903747": 10,  # Breaking Bad, tvSeries 2008
    "tt0114709": 7,  # Toy Story, movie 1995, Animation
    "tt0211915": 8,  # Amélie, movie 2001
    "tt0078748": 6,  # Alien, movie 1979, Horror Sci-Fi
}


@pytest.fixture
def rated(client: TestClient, login: Any) -> dict[str, str]:
    h = login("ana")
    for tconst, rating in RATINGS.items():
        r = client.put(f"/api/v1/me/ratings/{tconst}", json={"rating": rating}, headers=h)
        assert r.status_code == 200, r.text
    return h


def _tconsts(body: dict[str, Any]) -> list[str]:
    return [i["tconst"] for i in body["items"]]


def test_ratings_pages_carry_the_total(client: TestClient, rated: dict[str, str]) -> None:
    full = client.get("/api/v1/me/ratings", headers=rated).json()
    assert _tconsts(full) == list(reversed(RATINGS))  # newest first, as before
    assert (full["total"], full["limit"], full["offset"]) == (5, 1000, 0)
    pages = [client.get(f"/api/v1/me/ratings?limit=2&offset={o}", headers=rated).json() for o in (0, 2, 4)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert {p["total"] for p in pages} == {5}
    assert [t for p in pages for t in _tconsts(p)] == _tconsts(full)
    past = client.get("/api/v1/me/ratings?offset=10", headers=rated).json()
    assert (past["items"], past["total"]) == ([], 5)


def test_ratings_orders(client: TestClient, rated: dict[str, str]) -> None:
    def order(sort: str, extra: str = "") -> list[str]:
        return _tconsts(client.get(f"/api/v1/me/ratings?sort={sort}{extra}", headers=rated).json())

    assert order("oldest") == list(RATINGS)
    assert order("rating") == sorted(RATINGS, key=lambda t: -RATINGS[t])
    titles = [i["title"] for i in client.get("/api/v1/me/ratings?sort=title", headers=rated).json()["items"]]
    assert titles == ["Alien", "Amélie", "Breaking Bad", "The Matrix", "Toy Story"]
    assert order("title", "&limit=2&offset=1") == ["tt0211915", "tt0903747"]
    assert order("rating", "&limit=2&offset=1") == ["tt0133093", "tt0211915"]


def test_ratings_title_filters(client: TestClient, rated: dict[str, str]) -> None:
    def get(query: str) -> dict[str, Any]:
        r = client.get(f"/api/v1/me/ratings?{query}", headers=rated)
        assert r.status_code == 200, r.text
        return r.json()

    assert _tconsts(get("type=tvseries")) == ["tt0903747"]
    body = get("type=movie&genre=sci-fi&sort=rating")
    assert (_tconsts(body), body["total"]) == (["tt0133093", "tt0078748"], 2)
    body = get("year_from=1990&year_to=2001&limit=1")
    assert (_tconsts(body), body["total"]) == (["tt0211915"], 3)
    assert _tconsts(get("genre=Animation,Horror&sort=title")) == ["tt0078748", "tt0114709"]


@pytest.mark.parametrize(
    "query",
    [
        "sort=best",
        "limit=0",
        "limit=10001",
        "offset=-1",
        f"offset={10**20}",
        "genre=westerns",
        "type=film",
        "year_from=2001&year_to=1990",
        "year_from=abc",
    ],
)
def test_list_validation_is_422(client: TestClient, login: Any, query: str) -> None:
    h = login("ana")
    for path in ("/api/v1/me/ratings", "/api/v1/me/feedback"):
        r = client.get(f"{path}?{query}", headers=h)
        assert r.status_code == 422, (path, query, r.text)
        detail = r.json()["detail"]
        assert detail[0]["msg"]
        assert detail[0]["loc"][0] == "query"


def test_feedback_kind_filter_order_and_pages(client: TestClient, login: Any) -> None:
    h = login("ana")
    given = [
        ("tt0090605", "watchlist"),  # Aliens
        ("tt0110912", "watched"),  # Pulp Fiction
        ("tt0245429", "watchlist"),  # Spirited Away
        ("tt0078748", "like"),  # Alien
        ("tt0113277", "not_interested"),  # Heat
        ("tt0068646", "watchlist"),  # The Godfather
    ]
    for tconst, kind in given:
        r = client.post("/api/v1/me/feedback", json={"tconst": tconst, "kind": kind}, headers=h)
        assert r.status_code == 201

    def get(query: str) -> dict[str, Any]:
        r = client.get(f"/api/v1/me/feedback?{query}", headers=h)
        assert r.status_code == 200, r.text
        return r.json()

    everything = get("")
    assert (_tconsts(everything), everything["total"]) == ([t for t, _ in reversed(given)], 6)
    watchlist = get("kind=watchlist&limit=2")
    assert (_tconsts(watchlist), watchlist["total"]) == (["tt0068646", "tt0245429"], 3)
    assert _tconsts(get("kind=watchlist&sort=oldest")) == ["tt0090605", "tt0245429", "tt0068646"]
    assert _tconsts(get("kind=watchlist&sort=title")) == ["tt0090605", "tt0245429", "tt0068646"]
    both = get("kind=watched&kind=like&sort=title")
    assert (_tconsts(both), both["total"]) == (["tt0078748", "tt0110912"], 2)
    animated = get("kind=watchlist&genre=animation")
    assert (_tconsts(animated), animated["total"]) == (["tt0245429"], 1)
    assert get("kind=dislike") == {"items": [], "total": 0, "limit": 1000, "offset": 0}
    r = client.get("/api/v1/me/feedback?kind=loved", headers=h)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "kind", 0]


def test_lists_are_per_user(client: TestClient, rated: dict[str, str], login: Any) -> None:
    other = login("bob")
    for query in ("", "?sort=title", "?genre=drama"):
        body = client.get(f"/api/v1/me/ratings{query}", headers=other).json()
        assert (body["items"], body["total"]) == ([], 0)
