"""The engine on the real demo catalog with the real model (slow).

Uses the published `catalog` + `vectors` artifacts of the configured store when `wtw build --demo` has run;
otherwise builds the demo catalog from the bundled sources and encodes its 3,000 most-voted titles (plus the
asserted on) with the default model.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from wtw.service.recommend import Interaction, Recommender, UserSignals

pytestmark = pytest.mark.slow

MUST = [
    "tt0071562",
    "tt0068646",
    "tt0211915",
    "tt0133093",
    "tt0078748",
    "tt0114709",
    "tt1375666",
    "tt0816692",
]


class Vectors:
    def __init__(self, tconsts: list[str], vectors: np.ndarray) -> None:
        self.tconsts, self.vectors, self.dim = tconsts, vectors, vectors.shape[1]
        self._row = {t: i for i, t in enumerate(tconsts)}

    def vector(self, tconst: str) -> np.ndarray:
        return self.vectors[self._row[tconst]]


def _published():  # type: ignore[no-untyped-def]
    from wtw.catalog import read_catalog
    from wtw.config import get_settings
    from wtw.store import open_store

    store = open_store(get_settings())
    if store.latest("vectors") is None:
        return None
    vec = store.fetch("vectors")
    cat = store.fetch("catalog", version=vec.manifest.get("catalog_version"))
    tconsts = (vec.path / "tconsts.txt").read_text().split()
    vectors = np.load(vec.path / "vectors.npy", mmap_mode="r")
    return read_catalog(cat.path / "catalog.parquet"), Vectors(tconsts, np.asarray(vectors, dtype=np.float32))


@pytest.fixture(scope="module")
def real() -> Recommender:
    import polars as pl

    from wtw.catalog import build_catalog
    from wtw.catalog.demo import demo_sources
    from wtw.config import get_settings
    from wtw.embeddings.encoders import load_encoder

    settings = get_settings()
    encoder = load_encoder(settings.embedding)
    published = _published()
    if published is not None:
        catalog, index = published
    else:
        full, _ = build_catalog(demo_sources(), settings.catalog)
        top = full.sort("votes", descending=True, nulls_last=True).head(3000)["tconst"].to_list()
        catalog = full.filter(pl.col("tconst").is_in([*top, *MUST])).sort("tconst")
        vectors = encoder.encode(catalog["document"].to_list())
        index = Vectors(catalog["tconst"].to_list(), vectors)
    return Recommender(catalog, index, encoder)


def titles(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.title for r in results]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("godfather part 2", "The Godfather: Part II"),
        ("amelie", "Amélie"),
        ("the matrx", "The Matrix"),
        ("interstelar", "Interstellar"),
    ],
)
def test_title_queries(real: Recommender, query: str, expected: str) -> None:
    assert titles(real.search(query, limit=5))[0] == expected


def test_by_christopher_nolan(real: Recommender) -> None:
    results = real.search("by christopher nolan", limit=5)
    assert len(results) >= 3
    assert all("Christopher Nolan" in r.directors for r in results)


def test_like_alien_but_funny_is_funnier(real: Recommender) -> None:
    plain = real.search("like alien", limit=20)
    funny = real.search("like alien but funny", limit=20)
    comedies = lambda rs: sum("Comedy" in r.genres for r in rs)  # noqa: E731
    assert comedies(funny) > comedies(plain)
    assert sum("Sci-Fi" in r.genres for r in funny[:10]) >= 3


def test_like_toy_story_but_for_adults_leaves_family_films(real: Recommender) -> None:
    plain = real.search("like toy story", limit=20)
    adult = real.search("like toy story but for adults", limit=20)
    family = lambda rs: sum("Family" in r.genres for r in rs)  # noqa: E731
    assert family(adult) < family(plain)


def test_constraints_on_real_data(real: Recommender) -> None:
    results = real.search("horror movies from the 80s", limit=10)
    assert results and all(1980 <= (r.year or 0) <= 1989 for r in results)
    assert sum("Horror" in r.genres for r in results) >= 7


def test_feed_for_a_godfather_fan(real: Recommender) -> None:
    now = datetime.now(UTC)
    u = UserSignals(1, [Interaction("tt0068646", "rating", now, value=10.0)])
    feed = real.feed(u, limit=10, now=now)
    assert "tt0068646" not in [r.tconst for r in feed]
    assert "tt0071562" in [r.tconst for r in feed]
    assert all(r.reasons for r in feed)
