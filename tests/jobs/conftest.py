"""A fixture world for the nightly job: catalog + index artifacts and a user database with taste clusters."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

GENRES = ["Comedy", "Horror", "Drama", "Sci-Fi"]
N_TITLES = 80
N_USERS = 60


def make_catalog(n_titles: int = N_TITLES, changed: frozenset[int] = frozenset()) -> pl.DataFrame:
    """``n_titles`` titles in GENRES order; the documents of the ``changed`` ones are rewritten."""
    from wtw.catalog.documents import doc_hash
    from wtw.catalog.schema import CATALOG_SCHEMA

    rows = []
    for i in range(n_titles):
        genre = GENRES[i % len(GENRES)]
        document = f"Title {i}. {genre}. film {i} {genre}" + (" remastered" if i in changed else "")
        rows.append(
            {
                "tconst": f"tt{1000000 + i:07d}",
                "title": f"Title {i}",
                "original_title": None,
                "akas": [],
                "type": "movie",
                "start_year": 1980 + i % 40,
                "end_year": None,
                "runtime_minutes": 100,
                "genres": [genre],
                "directors": [f"Director {i % 7}"],
                "writers": [],
                "cast": [f"Actor {i % 11}"],
                "characters": [""],
                "rating": 6.0 + (i % 4) / 2,
                "votes": 1000 + 10 * i,
                "seasons": None,
                "episodes": None,
                "overview": f"a {genre.lower()} film number {i}",
                "keywords": [],
                "tags": [],
                "movielens_id": None,
                "sources": ["imdb"],
                "document": document,
                "doc_hash": doc_hash(document),
            }
        )
    return pl.DataFrame(rows, schema=CATALOG_SCHEMA).sort("tconst")


def publish_catalog(settings: object, catalog: pl.DataFrame, tmp: Path) -> str:
    from wtw.catalog.schema import write_catalog
    from wtw.store import open_store

    path = write_catalog(catalog, tmp / "catalog.parquet")
    return open_store(settings).publish("catalog", {"catalog.parquet": path}, {"rows": catalog.height})  # type: ignore[arg-type]


@dataclass
class World:
    settings: object
    url: str
    catalog: pl.DataFrame
    index: object  # tconsts + vectors


def publish_catalog_and_index(settings: object, encoder: object, tmp: Path) -> tuple[pl.DataFrame, object]:
    """A catalog, embedded and indexed as `wtw build` does it (with the test encoder)."""
    from wtw.embeddings.build import embed_catalog
    from wtw.index.build import build_index
    from wtw.jobs.vectors import TitleVectors

    catalog = make_catalog()
    publish_catalog(settings, catalog, tmp)
    embed_catalog(settings, encoder=encoder, progress=False)  # type: ignore[arg-type]
    build_index(settings)  # type: ignore[arg-type]
    vectors = encoder.encode(catalog["document"].to_list())  # type: ignore[attr-defined]
    return catalog, TitleVectors(vectors, catalog["tconst"].to_list())


def fill_database(url: str, tconsts: list[str], seed: int = 0) -> None:
    """Users who like one genre cluster: they rate its titles high, a few others low, over time."""
    from sqlmodel import Session

    from wtw.service import crud
    from wtw.service.db import make_engine, upgrade
    from wtw.service.models import FeedbackKind, PreferencesBase, User

    upgrade(url)
    rng = random.Random(seed)
    engine = make_engine(url)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        for u in range(N_USERS):
            user = User(username=f"user{u}", password_hash="!")
            session.add(user)
            session.commit()
            session.refresh(user)
            genre = u % len(GENRES)
            liked = [t for i, t in enumerate(tconsts) if i % len(GENRES) == genre]
            others = [t for i, t in enumerate(tconsts) if i % len(GENRES) != genre]
            picks = rng.sample(liked, 12) + rng.sample(others, 3)
            rng.shuffle(picks)
            for j, tconst in enumerate(picks):
                value = rng.randint(8, 10) if tconst in liked else rng.randint(1, 4)
                crud.upsert_rating(
                    session=session, user_id=user.id, tconst=tconst, rating=value,
                    rated_at=start + timedelta(days=u, hours=j), commit=False,
                )  # fmt: skip
            extra = rng.choice([t for t in liked if t not in picks])
            crud.add_feedback(session=session, user_id=user.id, tconst=extra, kind=FeedbackKind.like,
                              at=start + timedelta(days=u, hours=20), commit=False)  # fmt: skip
            if u % 5 == 0:
                crud.put_preferences(
                    session=session, user_id=user.id, prefs=PreferencesBase(liked_genres=[GENRES[genre]])
                )
            session.commit()
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, settings_env: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty database of the test's own on SQLite or PostgreSQL, named by WTW_DATABASE_URL."""
    import uuid

    import sqlalchemy as sa

    from wtw.config import get_settings

    if request.param == "postgres":
        base = request.getfixturevalue("postgres_url")
        name = f"jobs_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = base.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{settings_env / 'jobs.db'}"
    monkeypatch.setenv("WTW_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    if request.param == "postgres":
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def world(database_url: str, settings_env: Path, monkeypatch: pytest.MonkeyPatch, fake_encoder) -> World:  # type: ignore[no-untyped-def]
    """Settings, published catalog + index, and a filled database on SQLite or PostgreSQL."""
    from wtw.config import get_settings

    monkeypatch.setenv("WTW_JOBS__COLLAB_MIN_INTERACTIONS", "3")
    get_settings.cache_clear()
    settings = get_settings()
    catalog, index = publish_catalog_and_index(settings, fake_encoder, settings_env)
    fill_database(database_url, catalog["tconst"].to_list())
    return World(settings, database_url, catalog, index)


@pytest.fixture
def refresh_catalog(world: World, settings_env: Path) -> Callable[..., str]:
    """Publish a new catalog version (``make_catalog`` arguments) over the world's; returns its version."""

    def publish(n_titles: int = N_TITLES, changed: frozenset[int] = frozenset()) -> str:
        folder = settings_env / f"catalog-{n_titles}-{sorted(changed)}"
        return publish_catalog(world.settings, make_catalog(n_titles, changed), folder)

    return publish


def broken_trainer(data: Any, params: Any) -> Any:
    """EASE's titles with random weights: a challenger every gate must refuse."""
    import numpy as np

    from wtw.jobs.train import fit_ease
    from wtw.service.recommend.collab import CollabModel

    model = fit_ease(data, params)
    rng = np.random.default_rng(0)
    return CollabModel(model.items, rng.standard_normal(model.weights.shape).astype(np.float32))
