"""Genre and title-type names in filters and preferences: any case maps to the catalog's; unknown → 422."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from wtw.errors import InputError
from wtw.service.recommend.filters import GENRES, TITLE_TYPES, catalog_vocabularies, fold

LIST_ROUTES = (
    ("/api/v1/titles/tt0068646/similar", {}),
    ("/api/v1/search", {"q": "space"}),
    ("/api/v1/me/feed", {}),
    ("/api/v1/me/feed/rows", {}),
    ("/api/v1/groups/tonight", {}),
)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the vocabulary does not depend on the database (test_me covers both)."""
    return f"sqlite:///{tmp_path / 'vocab.db'}"


def test_vocabulary() -> None:
    assert fold("Sci-Fi") == fold("sci fi") == fold("SCIFI") == "scifi"
    assert GENRES.canonical(["sci-fi", "drama", "Drama", "film noir"]) == ["Sci-Fi", "Drama", "Film-Noir"]
    assert TITLE_TYPES.canonical(["Movie", "tvseries", "TV Mini Series"]) == [
        "movie",
        "tvSeries",
        "tvMiniSeries",
    ]
    with pytest.raises(InputError, match=r"unknown genre 'Dramaa'; valid values: Action, .*Western"):
        GENRES.canonical(["Drama", "Dramaa"])
    assert GENRES.lenient(["comedy", "Kids"]) == ["Comedy", "Kids"]


def test_catalog_vocabulary_adds_its_own_names() -> None:
    genres, types = catalog_vocabularies(("Drama", "Sci-fi", "Children"), ("movie", "podcast"))
    assert genres.canonical(["children", "SCI-FI", "western"]) == ["Children", "Sci-fi", "Western"]
    assert types.canonical(["Podcast", "tvSeries"]) == ["podcast", "tvSeries"]


def _tconsts(r: Response) -> list[str]:
    assert r.status_code == 200, r.text
    return [i["tconst"] for i in r.json()["items"]]


def test_filters_any_case(client: TestClient, login: Callable[[str], dict[str, str]]) -> None:
    h = login("vocab")
    for path, params in LIST_ROUTES:
        exact = client.get(path, params={**params, "genre": "Drama", "type": "movie"}, headers=h)
        lower = client.get(path, params={**params, "genre": "drama", "type": "Movie"}, headers=h)
        assert exact.status_code == lower.status_code == 200, (path, lower.text)
        assert lower.json() == exact.json(), path
    items = client.get("/api/v1/titles/tt0133093/similar", params={"genre": "sci-fi", "limit": 50}).json()
    assert items["items"] and all("Sci-Fi" in i["genres"] for i in items["items"])
    series = client.get("/api/v1/titles/tt0068646/similar", params={"type": "TVSERIES,tv-mini-series"})
    assert {i["type"] for i in series.json()["items"]} == {"tvSeries", "tvMiniSeries"}
    # A genre IMDb knows but this small catalog lacks is valid: nothing matches it.
    assert _tconsts(client.get("/api/v1/titles/tt0068646/similar", params={"genre": "western"})) == []


@pytest.mark.parametrize(("name", "value"), [("genre", "Dramaa"), ("type", "film"), ("genre", "x" * 500)])
def test_unknown_filter_values_are_422(
    client: TestClient, login: Callable[[str], dict[str, str]], name: str, value: str
) -> None:
    h = login("vocab")
    for path, params in LIST_ROUTES:
        r = client.get(path, params={**params, name: value}, headers=h)
        assert r.status_code == 422, (path, r.text)
        [error] = r.json()["detail"]
        assert error["loc"] == ["query", name]
        assert "valid values:" in error["msg"]
        assert ("Drama" if name == "genre" else "tvSeries") in error["msg"]


def test_preferences_any_case(client: TestClient, login: Callable[[str], dict[str, str]]) -> None:
    h = login("prefs")
    body = {
        "liked_genres": ["animation", "sci-fi", "Animation"],
        "disliked_genres": ["HORROR"],
        "title_types": ["Movie"],
        "boosted_genres": {"family": 0.5},
    }
    r = client.put("/api/v1/me/preferences", json=body, headers=h)
    assert r.status_code == 200, r.text
    prefs = r.json()
    assert prefs["liked_genres"] == ["Animation", "Sci-Fi"]
    assert prefs["disliked_genres"] == ["Horror"]
    assert prefs["title_types"] == ["movie"]
    assert prefs["boosted_genres"] == {"Family": 0.5}
    feed = client.get("/api/v1/me/feed", headers=h).json()["items"]
    assert feed and {i["type"] for i in feed} == {"movie"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("liked_genres", ["Drama", "Dramaa"]),
        ("disliked_genres", ["nope"]),
        ("title_types", ["films"]),
        ("boosted_genres", {"Nonsense": 0.5}),
    ],
)
def test_unknown_preference_values_are_422(
    client: TestClient, login: Callable[[str], dict[str, str]], field: str, value: object
) -> None:
    h = login("prefs")
    r = client.put("/api/v1/me/preferences", json={field: value}, headers=h)
    assert r.status_code == 422, r.text
    [error] = r.json()["detail"]
    assert error["loc"] == ["body", field]
    assert "valid values:" in error["msg"]


def test_stored_preferences_are_read_leniently() -> None:
    """Rows written before validation still load: known names are respelled, unknown ones kept."""
    from wtw.service.models import PreferencesBase

    prefs = PreferencesBase.model_validate({"liked_genres": ["drama", "Kids"], "title_types": ["Movie"]})
    assert prefs.liked_genres == ["Drama", "Kids"]
    assert prefs.title_types == ["movie"]


def test_vocabulary_is_built_once_per_catalog(
    client: TestClient, login: Callable[[str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wtw.service.recommend import filters

    table = client.app.state.runtime.get().recommender.ctx.table  # type: ignore[attr-defined]
    assert table.genre_vocab.lookup("sci fi") == "Sci-Fi"
    assert table.type_vocab.lookup("TVMINISERIES") == "tvMiniSeries"

    def rebuilt(*_: object) -> None:
        raise AssertionError("vocabularies rebuilt on a request")

    monkeypatch.setattr(filters, "catalog_vocabularies", rebuilt)
    monkeypatch.setattr(filters, "Vocabulary", rebuilt)
    r = client.get("/api/v1/search", params={"q": "space", "genre": "sci-fi", "type": "movie"})
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/search", params={"q": "space", "genre": "nope"}).status_code == 422
