"""Imports of real-format IMDb and Letterboxd exports: matching, per-row errors, idempotency, size limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

DATA = Path(__file__).with_name("data")


def _upload(client: TestClient, h: dict[str, str], name: str, content: bytes | None = None):  # type: ignore[no-untyped-def]
    data = content if content is not None else (DATA / name).read_bytes()
    return client.post("/api/v1/me/imports", files={"file": (name, data, "text/csv")}, headers=h)


def _ratings(client: TestClient, h: dict[str, str]) -> dict[str, int]:
    return {i["tconst"]: i["rating"] for i in client.get("/api/v1/me/ratings", headers=h).json()["items"]}


def test_imdb_ratings_export(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    r = _upload(client, h, "imdb_ratings.csv")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"] == "imdb"
    assert body["imported"] == 3
    assert body["skipped"] == 0
    assert [u["tconst"] for u in body["unknown"]] == ["tt0000001"]
    assert [e["row"] for e in body["errors"]] == [6, 7, 8]
    assert "Your Rating" in body["errors"][2]["message"]
    assert _ratings(client, h) == {"tt0133093": 9, "tt0068646": 10, "tt0903747": 8}


def test_letterboxd_ratings_export(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    body = _upload(client, h, "letterboxd_ratings.csv").json()
    assert body["source"] == "letterboxd"
    assert body["imported"] == 6
    assert [(u["title"], u["year"]) for u in body["unknown"]] == [("A Film Nobody Catalogued", 2017)]
    assert [e["row"] for e in body["errors"]] == [9, 10]
    assert _ratings(client, h) == {
        "tt0211915": 9,  # Amélie 4.5 stars
        "tt0245429": 10,  # Spirited Away
        "tt0113277": 7,  # Heat 3.5
        "tt0120363": 1,  # Toy Story 2, half a star
        "tt1049413": 8,  # Up, listed under 2008: matched within a year
        "tt0071562": 10,
    }


def test_letterboxd_watched_marks_titles_watched(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    body = _upload(client, h, "letterboxd_watched.csv").json()
    assert body["imported"] == 2
    watched = client.get("/api/v1/me/feedback?kind=watched", headers=h).json()["items"]
    assert {i["tconst"] for i in watched} == {"tt1375666", "tt0110912"}
    shown = {i["tconst"] for i in client.get("/api/v1/me/feed?limit=100", headers=h).json()["items"]}
    assert not shown & {"tt1375666", "tt0110912"}


def test_same_file_twice_changes_nothing(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    first = _upload(client, h, "imdb_ratings.csv").json()
    client.put("/api/v1/me/ratings/tt0133093", json={"rating": 3}, headers=h)  # changed in the app since
    second = _upload(client, h, "imdb_ratings.csv").json()
    assert second["imported"] == 0
    assert second["duplicate_file"] is True
    assert second["unknown"] == first["unknown"]
    assert _ratings(client, h)["tt0133093"] == 3
    records = client.get("/api/v1/me/imports", headers=h).json()["items"]
    assert len(records) == 1
    assert records[0]["imported"] == 3


def test_older_export_never_overwrites_a_newer_rating(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    client.put(
        "/api/v1/me/ratings/tt0133093", json={"rating": 2}, headers=h
    )  # today, after the export's date
    body = _upload(client, h, "imdb_ratings.csv").json()
    assert body["imported"] == 2
    assert body["skipped"] == 1
    assert _ratings(client, h)["tt0133093"] == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("not_an_export.csv", None),
        ("empty.csv", b""),
        ("binary.csv", bytes(range(256)) * 4),
        ("huge_field.csv", b'Const,Your Rating\n"' + b"x" * 200_000 + b'",9\n'),
        ("huge_header.csv", b'"' + b"x" * 200_000 + b'"\n'),
    ],
)
def test_unrecognised_files_are_422(client: TestClient, login, name: str, content: bytes | None) -> None:  # type: ignore[no-untyped-def]
    r = _upload(client, login("ana"), name, content)
    assert r.status_code == 422
    assert r.json()["detail"]


def test_upload_size_limit(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    limit = client.app.state.settings.service.max_upload_bytes  # type: ignore[attr-defined]
    header = (DATA / "imdb_ratings.csv").read_bytes()
    r = _upload(client, h, "big.csv", header + b"x" * (limit + 1))
    assert r.status_code == 413


def test_imports_are_per_user(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    a, b = login("alice"), login("bob")
    _upload(client, a, "imdb_ratings.csv")
    assert _ratings(client, b) == {}
    # B importing the same file is B's first import, not a duplicate of A's.
    assert _upload(client, b, "imdb_ratings.csv").json()["imported"] == 3


def test_utf16_export_is_read(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    data = (DATA / "imdb_ratings.csv").read_text(encoding="utf-8").encode("utf-16")
    r = _upload(client, login("ana"), "ratings.csv", data)
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 3


def test_lenient_dates_and_any_script_titles(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    h = login("ana")
    data = (
        "Date,Name,Year,Letterboxd URI,Rating\n"
        "2023-1-5,AMÉLIE,2001,https://boxd.it/a,4.5\n"  # case and accent folded, one-digit month and day
        "2023/01/06,Heat,1995,https://boxd.it/b,3.5\n"
        ",Up,2009,https://boxd.it/c,4\n"  # no date: imported, not a warning
        "5th January,Alien,1979,https://boxd.it/d,3\n"  # unreadable: imported undated, reported
        "2023-02-30,Inception,2010,https://boxd.it/e,5\n"  # no such day
        "2023-13-01,Nope,2010,https://boxd.it/f,9\n"  # a bad rating is still an error, not also a warning
    ).encode()
    r = _upload(client, h, "ratings.csv", data)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["imported"] == 5
    assert [e["row"] for e in body["errors"]] == [7]
    assert (body["undated"], [w["row"] for w in body["warnings"]]) == (2, [5, 6])
    assert "Date" in body["warnings"][0]["message"]
    assert _ratings(client, h) == {
        "tt0211915": 9,
        "tt0113277": 7,
        "tt1049413": 8,
        "tt0078748": 6,
        "tt1375666": 10,
    }
    dates = {
        i["tconst"]: i["rated_at"][:10] for i in client.get("/api/v1/me/ratings", headers=h).json()["items"]
    }
    assert (dates["tt0211915"], dates["tt0113277"]) == ("2023-01-05", "2023-01-06")
