"""Big catalogs: served through the HNSW index (a shortlist per query), they rank as the exact scan does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl
import pytest

from wtw.config import IndexSettings
from wtw.index import TitleIndex
from wtw.service.recommend import Interaction, Recommender, UserSignals
from wtw.service.recommend import space as space_module

N, DIM = 3_000, 32
GENRES = ("Drama", "Comedy", "Sci-Fi", "Horror", "Animation", "Crime")
NOW = datetime(2026, 11, 25, tzinfo=UTC)


def _vectors() -> np.ndarray:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(40, DIM))
    points = centres[rng.integers(0, 40, N)] + rng.normal(0, 0.35, (N, DIM))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def _catalog() -> pl.DataFrame:
    rng = np.random.default_rng(1)
    ids = [f"tt{i:07d}" for i in range(1, N + 1)]
    return pl.DataFrame(
        {
            "tconst": ids,
            "title": [f"Title {i}" for i in range(N)],
            "original_title": [None] * N,
            "akas": [[] for _ in range(N)],
            "type": [("movie", "tvSeries")[i % 2] for i in range(N)],
            "start_year": rng.integers(1950, 2026, N),
            "end_year": [None] * N,
            "runtime_minutes": rng.integers(60, 180, N),
            "genres": [list(rng.choice(GENRES, size=2, replace=False)) for _ in range(N)],
            "directors": [[f"Director {i % 300}"] for i in range(N)],
            "writers": [[] for _ in range(N)],
            "cast": [[f"Actor {i % 700}", f"Actor {(i * 7) % 700}"] for i in range(N)],
            "rating": np.round(rng.uniform(4, 9, N), 1),
            "votes": rng.lognormal(7, 2, N).astype(np.int64),
            "overview": [""] * N,
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


@pytest.fixture(scope="module")
def engines(fake_encoder: Any) -> dict[str, Recommender]:
    catalog, vectors = _catalog(), _vectors()
    ids = catalog["tconst"].to_list()
    settings = {
        "flat": IndexSettings(kind="flat"),
        "hnsw": IndexSettings(kind="hnsw", hnsw_m=16, hnsw_ef_construction=80, hnsw_ef_search=64),
    }
    return {
        kind: Recommender(catalog, TitleIndex.from_vectors(vectors, ids, catalog, s), fake_encoder)
        for kind, s in settings.items()
    }


@pytest.fixture(autouse=True)
def small_shortlist(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shortlist of 200 of 3,000 titles, so that it leaves most of the catalog out, as 500 of 1M does."""
    monkeypatch.setattr(space_module, "SHORTLIST", 200)


def _overlap(a: list[Any], b: list[Any]) -> float:
    return len({x.tconst for x in a} & {x.tconst for x in b}) / max(len(b), 1)


def test_only_an_approximate_index_shortlists(engines: dict[str, Recommender]) -> None:
    assert engines["flat"].ctx.space.ann is None
    space = engines["hnsw"].ctx.space
    assert space.ann is not None
    query = space.matrix[5]
    scores = space.scores(query)
    assert np.isfinite(scores).sum() == 200
    exact = space.matrix @ query
    assert set(np.argsort(-exact)[:10]) <= set(np.flatnonzero(np.isfinite(scores)))
    mean, std = space.moments(query, scores)
    assert mean == pytest.approx(float(exact.mean()), abs=0.02)
    assert std == pytest.approx(float(exact.std()), rel=0.1)


def test_a_shortlist_respects_the_allowed_rows_and_the_named_ones(engines: dict[str, Recommender]) -> None:
    space = engines["hnsw"].ctx.space
    allowed = np.zeros(N, dtype=bool)
    allowed[::3] = True
    scores = space.scores(space.matrix[7], allowed, also=np.array([1, 2]))
    scored = np.flatnonzero(np.isfinite(scores))
    assert set(scored) - {1, 2} <= set(np.flatnonzero(allowed))
    assert {1, 2} <= set(scored)


def test_similar_titles_match_the_exact_scan(engines: dict[str, Recommender]) -> None:
    anchors = [f"tt{i:07d}" for i in range(1, N, 150)]
    overlaps = [
        _overlap(engines["hnsw"].similar(t, limit=10), engines["flat"].similar(t, limit=10)) for t in anchors
    ]
    assert float(np.mean(overlaps)) >= 0.9


def test_the_feed_matches_the_exact_scan(engines: dict[str, Recommender]) -> None:
    rng = np.random.default_rng(4)
    overlaps = []
    for user in range(8):
        rated = rng.choice(N, 12, replace=False) + 1
        signals = UserSignals(
            user,
            [
                Interaction(f"tt{r:07d}", "rating", NOW - timedelta(days=int(d)), value=float(v))
                for r, d, v in zip(rated, rng.integers(1, 300, 12), rng.integers(5, 11, 12), strict=True)
            ],
        )
        exact = engines["flat"].feed(signals, limit=20, now=NOW)
        approximate = engines["hnsw"].feed(signals, limit=20, now=NOW)
        assert len(approximate) == 20
        assert not {x.tconst for x in approximate} & {f"tt{r:07d}" for r in rated}
        overlaps.append(_overlap(approximate, exact))
    assert float(np.mean(overlaps)) >= 0.8
