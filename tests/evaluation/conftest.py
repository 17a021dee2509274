"""A small synthetic MovieLens (ml-latest-small and ml-100k layouts) with two taste groups."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import polars as pl
import pytest

N_USERS = 40
N_ITEMS = 40


def _ratings(seed: int = 7) -> list[tuple[int, int, float, int]]:
    """Even users love items 1-20 (comedies) and dislike 21-40 (dramas); odd users the opposite."""
    rng = np.random.default_rng(seed)
    rows = []
    for user in range(1, N_USERS + 1):
        items = rng.choice(np.arange(1, N_ITEMS + 1), size=20, replace=False)
        for t, item in enumerate(items):
            liked = (item <= 20) == (user % 2 == 0)
            rating = float(rng.choice([4.0, 4.5, 5.0]) if liked else rng.choice([1.0, 2.0, 2.5]))
            rows.append((user, int(item), rating, 1_000_000 + user * 1000 + t))
    return rows


@pytest.fixture(scope="session")
def ml_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data root with movielens/ml-latest-small and ml-100k (fold u1), built from the same ratings."""
    root = tmp_path_factory.mktemp("data")
    small = root / "movielens" / "ml-latest-small"
    small.mkdir(parents=True)
    rows = _ratings()
    lines = ["userId,movieId,rating,timestamp", *(f"{u},{i},{r},{t}" for u, i, r, t in rows)]
    (small / "ratings.csv").write_text("\r\n".join(lines) + "\r\n")
    (small / "links.csv").write_text(
        "movieId,imdbId,tmdbId\n" + "".join(f"{i},{10000 + i:07d},{i}\n" for i in range(1, N_ITEMS + 1))
    )
    genre = {i: "Comedy" if i <= 20 else "Drama|Romance" for i in range(1, N_ITEMS + 1)}
    (small / "movies.csv").write_text(
        "movieId,title,genres\n"
        + "".join(f"{i},Movie {i} (2000),{genre[i]}\n" for i in range(1, N_ITEMS + 1))
    )
    ml100k = root / "movielens" / "ml-100k"
    (ml100k / "splits").mkdir(parents=True)
    tsv = [f"{u}\t{i}\t{int(r)}\t{t}" for u, i, r, t in rows]
    (ml100k / "u.data").write_text("\n".join(tsv) + "\n")
    rng = np.random.default_rng(3)
    test_mask = rng.random(len(tsv)) < 0.2
    base = [line for line, m in zip(tsv, test_mask, strict=True) if not m]
    test = [line for line, m in zip(tsv, test_mask, strict=True) if m]
    with gzip.open(ml100k / "splits" / "u1.base.gz", "wt") as fh:
        fh.write("\n".join(base) + "\n")
    with gzip.open(ml100k / "splits" / "u1.test.gz", "wt") as fh:
        fh.write("\n".join(test) + "\n")
    return root


@pytest.fixture(scope="session")
def ml_catalog(ml_root: Path) -> pl.DataFrame:
    """A catalog table of the synthetic MovieLens titles (comedies and dramas tell apart in their text)."""
    from wtw.evaluation.protocols import load_ml_latest_small

    _, movies = load_ml_latest_small(ml_root)
    rows = []
    for item, title, genres in movies.select("item", "title", "genres").iter_rows():
        document = f"{title}. Movie. Genres: {', '.join(genres)}. " + (
            "laughs jokes" if "Comedy" in genres else "tears"
        )
        rows.append(
            {
                "tconst": item,
                "title": title.removesuffix(" (2000)"),
                "original_title": None,
                "akas": [],
                "type": "movie",
                "start_year": 2000,
                "end_year": None,
                "runtime_minutes": 100,
                "genres": genres,
                "directors": ["Ann Funny"] if "Comedy" in genres else ["Bob Sad"],
                "writers": [],
                "cast": [],
                "characters": [],
                "rating": 7.0,
                "votes": 1000,
                "seasons": None,
                "episodes": None,
                "overview": None,
                "keywords": [],
                "tags": [],
                "movielens_id": None,
                "sources": ["movielens"],
                "document": document,
                "doc_hash": hashlib.sha256(document.encode()).hexdigest(),
            }
        )
    overrides = {
        c: pl.Int32 for c in ("start_year", "end_year", "runtime_minutes", "votes", "seasons", "episodes")
    }
    return pl.DataFrame(rows, schema_overrides=overrides | {"rating": pl.Float32, "movielens_id": pl.Int32})
