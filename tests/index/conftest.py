"""Fixtures of the index tests: clustered unit vectors, a matching catalog, a published vectors artifact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pytest

DIM = 32
COUNT = 1200
TYPES = ("movie", "tvSeries", "short")
GENRES = ("Drama", "Comedy", "Sci-Fi", "Horror", "Animation")


def clustered(n: int, dim: int = DIM, clusters: int = 24, spread: float = 0.35, seed: int = 0) -> np.ndarray:
    """Unit vectors around random centres: neighbourhoods like real embeddings, unlike uniform noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    points = centres[rng.integers(0, clusters, n)] + rng.normal(0, spread / np.sqrt(dim), (n, dim))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def tconsts(n: int) -> list[str]:
    return [f"tt{i:07d}" for i in range(1, n + 1)]


def make_catalog(ids: list[str], seed: int = 1) -> pl.DataFrame:
    """Catalog columns the filters read, with some missing values (which never pass a bound)."""
    rng = np.random.default_rng(seed)
    n = len(ids)

    def some_missing(values: np.ndarray) -> list[float | None]:
        return [
            None if missing else v for v, missing in zip(values.tolist(), rng.random(n) < 0.05, strict=True)
        ]

    return pl.DataFrame(
        {
            "tconst": ids,
            "type": [TYPES[i] for i in rng.integers(0, len(TYPES), n)],
            "genres": [list(rng.choice(GENRES, size=rng.integers(0, 3), replace=False)) for _ in range(n)],
            "start_year": some_missing(rng.integers(1920, 2026, n)),
            "runtime_minutes": some_missing(rng.integers(5, 240, n)),
            "rating": some_missing(np.round(rng.uniform(1, 10, n), 1)),
            "votes": some_missing(rng.integers(0, 100_000, n)),
        },
        schema_overrides={
            "start_year": pl.Int32,
            "runtime_minutes": pl.Int32,
            "rating": pl.Float32,
            "votes": pl.Int32,
        },
    )


def brute_force(
    vectors: np.ndarray, queries: np.ndarray, k: int, mask: np.ndarray | None = None
) -> np.ndarray:
    """Rows of the exact top-k by inner product among ``mask`` (numpy only), best first."""
    scores = np.atleast_2d(queries) @ vectors.T
    if mask is not None:
        scores[:, ~mask] = -np.inf
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    allowed = len(vectors) if mask is None else int(mask.sum())
    return order[:, : min(k, allowed)]


@pytest.fixture(scope="session")
def vectors() -> np.ndarray:
    return clustered(COUNT)


@pytest.fixture(scope="session")
def ids() -> list[str]:
    return tconsts(COUNT)


@pytest.fixture(scope="session")
def catalog(ids: list[str]) -> pl.DataFrame:
    return make_catalog(ids)


@pytest.fixture
def publish_vectors(tmp_path: Path) -> Callable[..., str]:
    """Publish a `vectors` artifact to the settings' store; returns its version."""

    def publish(
        array: np.ndarray, names: list[str], *, model_id: str = "test-model", catalog_version: str = "c1"
    ) -> str:
        from wtw.config import get_settings
        from wtw.store import open_store

        src = tmp_path / "vectors-src"
        src.mkdir(exist_ok=True)
        np.save(src / "vectors.npy", array)
        (src / "tconsts.txt").write_text("\n".join(names) + "\n")
        return open_store(get_settings()).publish(
            "vectors",
            {"vectors.npy": src / "vectors.npy", "tconsts.txt": src / "tconsts.txt"},
            {
                "model_id": model_id,
                "dim": int(array.shape[1]),
                "count": len(array),
                "catalog_version": catalog_version,
            },
        )

    return publish
