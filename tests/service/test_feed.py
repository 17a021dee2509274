"""The feed through HTTP: never re-show, immediate update, reasons, filters, rows, taste, group mode."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _feed(client: TestClient, h: dict[str, str], **params) -> list[dict]:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/me/feed", params={"limit": 50, **params}, headers=h)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_new_user_gets_a_feed(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    items = _feed(client, login("ana"), limit=5)
    assert len(items) == 5
    assert {"tconst", "title", "year", "type", "genres", "score", "reasons"} <= set(items[0])


def test_never_reshows_rated_watched_or_dismissed(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    client.put("/api/v1/me/ratings/tt0133093", json={"rating": 9}, headers=h)
    client.put("/api/v1/me/ratings/tt0078748", json={"rating": 2}, headers=h)
    client.post("/api/v1/me/feedback", json={"tconst": "tt0090605", "kind": "watched"}, headers=h)
    client.post("/api/v1/me/feedback", json={"tconst": "tt0083658", "kind": "dislike"}, headers=h)
    client.post("/api/v1/me/feedback", json={"tconst": "tt1375666", "kind": "not_interested"}, headers=h)
    client.post(
        "/api/v1/me/feedback",
        json={"tconst": "tt0114709", "kind": "not_interested", "snooze_days": 7},
        headers=h,
    )
    shown = {i["tconst"] for i in _feed(client, h, limit=100)}
    assert shown
    assert not shown & {"tt0133093", "tt0078748", "tt0090605", "tt0083658", "tt1375666", "tt0114709"}
    for offset in (0, 3, 6):
        page = {i["tconst"] for i in _feed(client, h, limit=3, offset=offset)}
        assert not page & {"tt0133093", "tt0078748"}


def test_a_rating_changes_the_next_feed(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    before = [i["tconst"] for i in _feed(client, h, limit=5)]
    client.put("/api/v1/me/ratings/tt0068646", json={"rating": 10}, headers=h)  # The Godfather
    after = _feed(client, h, limit=5)
    assert [i["tconst"] for i in after] != before
    assert "tt0068646" not in {i["tconst"] for i in after}
    assert "tt0071562" in [i["tconst"] for i in after[:3]]  # its sequel is near the top
    assert all(r["text"] for i in after for r in i["reasons"])
    assert any(i["reasons"] for i in after)


def test_feed_filters(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    items = _feed(client, h, type="tvSeries,tvMiniSeries")
    assert items
    assert {i["type"] for i in items} <= {"tvSeries", "tvMiniSeries"}
    items = _feed(client, h, genre="Animation", max_runtime=100)
    assert items
    assert all("Animation" in i["genres"] and i["runtime_minutes"] <= 100 for i in items)


def test_onboarding_preferences_seed_a_new_feed(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    client.put(
        "/api/v1/me/preferences",
        json={"liked_genres": ["Animation"], "liked_titles": ["tt0114709"]},
        headers=h,
    )
    top = [i for i in _feed(client, h, limit=3)]
    assert any("Animation" in i["genres"] for i in top)


def test_rows_and_taste(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    client.put("/api/v1/me/ratings/tt0068646", json={"rating": 10}, headers=h)
    client.put("/api/v1/me/ratings/tt0114709", json={"rating": 9}, headers=h)
    r = client.get("/api/v1/me/feed/rows?per_row=4", headers=h)
    assert r.status_code == 200
    rows = r.json()["items"]
    assert rows
    for row in rows:
        assert row["title"] and row["kind"] and len(row["items"]) <= 4
        assert not {i["tconst"] for i in row["items"]} & {"tt0068646", "tt0114709"}
    taste = client.get("/api/v1/me/taste", headers=h).json()
    assert {g["name"] for g in taste["genres"]} & {"Crime", "Drama", "Animation"}
    assert taste["counts"]["interactions"] == 2


def test_group_mode_with_share_codes(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    a, b = login("alice"), login("bob")
    client.put("/api/v1/me/ratings/tt0068646", json={"rating": 10}, headers=a)
    client.put("/api/v1/me/ratings/tt0114709", json={"rating": 10}, headers=b)
    client.post("/api/v1/me/feedback", json={"tconst": "tt0110912", "kind": "watched"}, headers=b)
    code = client.post("/api/v1/me/share-code", headers=b).json()["code"]
    assert client.get("/api/v1/me/share-code", headers=b).json()["code"] == code

    r = client.get("/api/v1/groups/tonight", params={"codes": code, "limit": 50}, headers=a)
    assert r.status_code == 200
    shown = {i["tconst"] for i in r.json()["items"]}
    assert shown
    assert not shown & {"tt0068646", "tt0114709", "tt0110912"}  # nothing either of them has seen

    # members only by share code (see test_groups.py); unknown codes are 404; revoking withdraws consent.
    assert client.get("/api/v1/groups/tonight", params={"codes": "nope"}, headers=a).status_code == 404
    assert client.delete("/api/v1/me/share-code", headers=b).status_code == 204
    assert client.get("/api/v1/groups/tonight", params={"codes": code}, headers=a).status_code == 404
