"""Service fixtures: a small catalog, an app on SQLite or PostgreSQL (parametrised), users with tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

DATA = Path(__file__).with_name("data")

# tconst, title, original_title, akas, type, year, runtime, genres, directors, cast, rating, votes
TITLES = [
    (
        "tt0133093",
        "The Matrix",
        None,
        [],
        "movie",
        1999,
        136,
        ["Action", "Sci-Fi"],
        ["Lana Wachowski", "Lilly Wachowski"],
        ["Keanu Reeves", "Laurence Fishburne"],
        8.7,
        2_000_000,
    ),
    (
        "tt0078748",
        "Alien",
        None,
        [],
        "movie",
        1979,
        117,
        ["Horror", "Sci-Fi"],
        ["Ridley Scott"],
        ["Sigourney Weaver", "Tom Skerritt"],
        8.5,
        950_000,
    ),
    (
        "tt0090605",
        "Aliens",
        None,
        [],
        "movie",
        1986,
        137,
        ["Action", "Adventure", "Sci-Fi"],
        ["James Cameron"],
        ["Sigourney Weaver", "Michael Biehn"],
        8.4,
        750_000,
    ),
    (
        "tt0114709",
        "Toy Story",
        None,
        [],
        "movie",
        1995,
        81,
        ["Adventure", "Animation", "Comedy"],
        ["John Lasseter"],
        ["Tom Hanks", "Tim Allen"],
        8.3,
        1_050_000,
    ),
    (
        "tt0120363",
        "Toy Story 2",
        None,
        [],
        "movie",
        1999,
        92,
        ["Adventure", "Animation", "Comedy"],
        ["John Lasseter"],
        ["Tom Hanks", "Tim Allen"],
        7.9,
        620_000,
    ),
    (
        "tt0068646",
        "The Godfather",
        None,
        ["Il padrino"],
        "movie",
        1972,
        175,
        ["Crime", "Drama"],
        ["Francis Ford Coppola"],
        ["Marlon Brando", "Al Pacino"],
        9.2,
        2_000_000,
    ),
    (
        "tt0071562",
        "The Godfather Part II",
        None,
        [],
        "movie",
        1974,
        202,
        ["Crime", "Drama"],
        ["Francis Ford Coppola"],
        ["Al Pacino", "Robert De Niro"],
        9.0,
        1_350_000,
    ),
    (
        "tt0211915",
        "Amélie",
        "Le fabuleux destin d'Amélie Poulain",
        ["Amelie"],
        "movie",
        2001,
        122,
        ["Comedy", "Romance"],
        ["Jean-Pierre Jeunet"],
        ["Audrey Tautou"],
        8.3,
        790_000,
    ),
    (
        "tt0903747",
        "Breaking Bad",
        None,
        [],
        "tvSeries",
        2008,
        49,
        ["Crime", "Drama", "Thriller"],
        ["Vince Gilligan"],
        ["Bryan Cranston", "Aaron Paul"],
        9.5,
        2_100_000,
    ),
    (
        "tt7366338",
        "Chernobyl",
        None,
        [],
        "tvMiniSeries",
        2019,
        330,
        ["Drama", "History", "Thriller"],
        ["Johan Renck"],
        ["Jared Harris", "Stellan Skarsgård"],
        9.3,
        900_000,
    ),
    (
        "tt0083658",
        "Blade Runner",
        None,
        [],
        "movie",
        1982,
        117,
        ["Action", "Drama", "Sci-Fi"],
        ["Ridley Scott"],
        ["Harrison Ford", "Rutger Hauer"],
        8.1,
        830_000,
    ),
    (
        "tt1049413",
        "Up",
        None,
        [],
        "movie",
        2009,
        96,
        ["Adventure", "Animation", "Comedy"],
        ["Pete Docter"],
        ["Ed Asner"],
        8.3,
        1_150_000,
    ),
    (
        "tt1375666",
        "Inception",
        None,
        [],
        "movie",
        2010,
        148,
        ["Action", "Adventure", "Sci-Fi"],
        ["Christopher Nolan"],
        ["Leonardo DiCaprio"],
        8.8,
        2_600_000,
    ),
    (
        "tt0113277",
        "Heat",
        None,
        [],
        "movie",
        1995,
        170,
        ["Action", "Crime", "Drama"],
        ["Michael Mann"],
        ["Al Pacino", "Robert De Niro"],
        8.3,
        720_000,
    ),
    (
        "tt0110912",
        "Pulp Fiction",
        None,
        [],
        "movie",
        1994,
        154,
        ["Crime", "Drama"],
        ["Quentin Tarantino"],
        ["John Travolta", "Uma Thurman"],
        8.9,
        2_200_000,
    ),
    (
        "tt0245429",
        "Spirited Away",
        "Sen to Chihiro no kamikakushi",
        [],
        "movie",
        2001,
        125,
        ["Adventure", "Animation", "Family"],
        ["Hayao Miyazaki"],
        ["Rumi Hiiragi"],
        8.6,
        850_000,
    ),
]


@pytest.fixture(scope="session")
def catalog() -> pl.DataFrame:
    """A catalog table with the columns of docs/architecture.md that the service reads."""
    cols = list(zip(*TITLES, strict=True))
    df = pl.DataFrame(
        {
            "tconst": cols[0],
            "title": cols[1],
            "original_title": cols[2],
            "akas": cols[3],
            "type": cols[4],
            "start_year": cols[5],
            "end_year": [None] * len(TITLES),
            "runtime_minutes": cols[6],
            "genres": cols[7],
            "directors": cols[8],
            "writers": [[] for _ in TITLES],
            "cast": cols[9],
            "rating": cols[10],
            "votes": cols[11],
            "overview": [f"Overview of {t}" for t in cols[1]],
        },
        schema_overrides={
            "start_year": pl.Int32,
            "end_year": pl.Int32,
            "runtime_minutes": pl.Int32,
            "rating": pl.Float32,
            "votes": pl.Int32,
            "original_title": pl.String,
        },
    )
    return df.sort("tconst")


class FakeIndex:
    """Tests only: what the engine reads from `wtw.index.TitleIndex` (tconsts, vectors, dim, vector())."""

    def __init__(self, tconsts: list[str], vectors: np.ndarray) -> None:
        self.tconsts = tconsts
        self.vectors = vectors
        self.dim = vectors.shape[1]
        self._row = {t: i for i, t in enumerate(tconsts)}

    def vector(self, tconst: str) -> np.ndarray:
        return self.vectors[self._row[tconst]]


def documents(catalog: pl.DataFrame) -> list[str]:
    return [
        f"{r['title']}. {r['type']} {r['start_year']}. {', '.join(r['genres'])}. "
        f"Directed by {', '.join(r['directors'])}. Starring {', '.join(r['cast'])}."
        for r in catalog.iter_rows(named=True)
    ]


@pytest.fixture(scope="session")
def recommender(catalog: pl.DataFrame, fake_encoder: Any) -> Any:
    """The real engine over the small catalog, with vectors from the deterministic test encoder."""
    from wtw.service.recommend.engine import Recommender

    index = FakeIndex(catalog["tconst"].to_list(), fake_encoder.encode(documents(catalog)))
    return Recommender(catalog, index, fake_encoder)


@pytest.fixture
def make_loaded(catalog: pl.DataFrame, recommender: Any, fake_encoder: Any) -> Callable[..., Any]:
    from wtw.service.runtime import Loaded

    default = recommender

    def make(version: str = "20260101T000000Z-test01", recommender: Any = None) -> Loaded:
        return Loaded(
            version=version,
            recommender=recommender or default,
            catalog=catalog,
            encoder=fake_encoder,
            catalog_version="20260101T000000Z-cat001",
        )

    return make


TABLES = ("users", "ratings", "feedback", "preferences", "user_vectors", "share_codes", "imports")


def _truncate(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_migrated(postgres_url: str) -> str:
    from wtw.service.db import upgrade

    upgrade(postgres_url)
    return postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each DB test runs on SQLite (a fresh file) and on PostgreSQL (this run's database, emptied)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'users.db'}"
    url = request.getfixturevalue("pg_migrated")
    _truncate(url)
    return url


@pytest.fixture
def settings(settings_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    from wtw.config import get_settings

    monkeypatch.setenv("WTW_DATABASE_URL", database_url)
    monkeypatch.setenv("WTW_SERVICE__ARTIFACT_POLL_SECONDS", "0")
    monkeypatch.setenv("WTW_SERVICE__UI_DIST", str(settings_env / "no-ui"))
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def runtime(settings: Any, make_loaded: Callable[..., Any]) -> Any:
    from wtw.service.runtime import Runtime

    rt = Runtime(settings, loader=lambda _s, _prev: None)
    rt.install(make_loaded())
    return rt


@pytest.fixture
def client(settings: Any, runtime: Any) -> Iterator[TestClient]:
    from wtw.service.app import create_app

    app = create_app(settings, runtime=runtime, migrate=True)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def login(client: TestClient) -> Callable[[str], dict[str, str]]:
    """Register ``username`` (password 'correct horse') and return its Authorization header."""

    def make(username: str) -> dict[str, str]:
        r = client.post("/api/v1/auth/register", json={"username": username, "password": "correct horse"})
        assert r.status_code == 201, r.text
        r = client.post("/api/v1/auth/token", data={"username": username, "password": "correct horse"})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    return make
