"""Titles, similar, search: shapes of the contract, filters, 404 and 422."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

ITEM_KEYS = {"tconst", "title", "year", "type", "genres", "score", "reasons"}


def _items(response) -> list[dict]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"items"}
    for item in body["items"]:
        assert set(item) >= ITEM_KEYS
    return body["items"]


def test_title_details(client: TestClient) -> None:
    r = client.get("/api/v1/titles/tt0133093")
    assert r.status_code == 200
    body = r.json()
    assert body["title"] == "The Matrix"
    assert body["year"] == 1999
    assert body["type"] == "movie"
    assert body["genres"] == ["Action", "Sci-Fi"]
    assert body["runtime_minutes"] == 136
    assert body["rating"] == pytest.approx(8.7)
    assert body["votes"] == 2_000_000
    assert body["directors"] == ["Lana Wachowski", "Lilly Wachowski"]
    assert "Keanu Reeves" in body["cast"]
    assert body["overview"]


def test_ratings_read_as_imdb_writes_them(client: TestClient) -> None:
    """The catalog stores float32: 8.7 must not come back as 8.699999809265137."""
    assert client.get("/api/v1/titles/tt0133093").json()["rating"] == 8.7
    items = client.get("/api/v1/titles/tt0068646/similar?limit=20").json()["items"]
    assert {i["tconst"]: i["rating"] for i in items}["tt0133093"] == 8.7


def test_unknown_title_is_404_and_malformed_is_422(client: TestClient) -> None:
    assert client.get("/api/v1/titles/tt9999999").status_code == 404
    assert client.get("/api/v1/titles/tt9999999/similar").status_code == 404
    r = client.get("/api/v1/titles/matrix")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["path", "tconst"]


def test_similar(client: TestClient) -> None:
    items = _items(client.get("/api/v1/titles/tt0068646/similar?limit=5"))
    assert 0 < len(items) <= 5
    assert "tt0068646" not in {i["tconst"] for i in items}
    assert items[0]["tconst"] == "tt0071562"  # The Godfather Part II
    assert all(isinstance(i["score"], float) for i in items)


def test_similar_with_filters(client: TestClient) -> None:
    items = _items(client.get("/api/v1/titles/tt0068646/similar?limit=10&type=tvSeries,tvMiniSeries"))
    assert items
    assert {i["type"] for i in items} <= {"tvSeries", "tvMiniSeries"}
    items = _items(
        client.get("/api/v1/titles/tt0133093/similar?limit=10&year_from=1990&year_to=1999&max_runtime=140")
    )
    assert all(1990 <= i["year"] <= 1999 and i["runtime_minutes"] <= 140 for i in items)


def test_search(client: TestClient) -> None:
    items = _items(client.get("/api/v1/search", params={"q": "godfather part 2", "limit": 3}))
    assert items[0]["tconst"] == "tt0071562"
    items = _items(client.get("/api/v1/search", params={"q": "amelie"}))
    assert items[0]["tconst"] == "tt0211915"


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"genre": "Animation"}, lambda i: "Animation" in i["genres"]),
        ({"genre": ["Horror", "Romance"]}, lambda i: {"Horror", "Romance"} & set(i["genres"])),
        ({"type": "movie"}, lambda i: i["type"] == "movie"),
        ({"min_rating": 8.6}, lambda i: i["rating"] >= 8.6),
        ({"min_votes": 1_000_000}, lambda i: i["votes"] >= 1_000_000),
        ({"year_to": 1985}, lambda i: i["year"] <= 1985),
        ({"max_runtime": 100}, lambda i: i["runtime_minutes"] <= 100),
    ],
)
def test_search_filters(client: TestClient, params: dict, check) -> None:  # type: ignore[no-untyped-def]
    items = _items(client.get("/api/v1/search", params={"q": "movies", "limit": 20, **params}))
    assert items
    assert all(check(i) for i in items)


def test_validation_errors_name_the_field(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "x", "limit": 0})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "limit"]
    r = client.get("/api/v1/search", params={"q": "x", "year_from": 2000, "year_to": 1990})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "year_to"]
    assert client.get("/api/v1/search").status_code == 422
