"""The evaluation drives the service's own Recommender and the nightly job's trainer (fake encoder only)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from wtw.config import get_settings
from wtw.evaluation import engine as eng
from wtw.evaluation import evaluate_split, histories, ranker
from wtw.evaluation.protocols import load_ml_latest_small, new_title_cut, temporal_split
from wtw.evaluation.search_eval import JudgedQuery, evaluate_search


def _catalog(movies: pl.DataFrame) -> pl.DataFrame:
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


@pytest.fixture(scope="module")
def setup(ml_root: Path, fake_encoder):  # type: ignore[no-untyped-def]
    ratings, movies = load_ml_latest_small(ml_root)
    catalog = _catalog(movies)
    vectors = fake_encoder.encode(catalog["document"].to_list())
    engine = eng.Engine(catalog, eng.VectorIndex(vectors, catalog["tconst"].to_list()), fake_encoder, "test")
    return temporal_split(ratings), engine


def test_signals_carry_ratings_on_the_service_scale(setup) -> None:  # type: ignore[no-untyped-def]
    split, _ = setup
    hist = histories(split.train)[2]
    signals = eng.signals_from_history(hist)
    assert signals.ratings() == {t: r * 2 for t, r in zip(hist.items, hist.ratings, strict=True)}
    assert eng.history_now(hist).timestamp() == max(hist.timestamps) + 1


def test_content_feed_ranks_with_the_service_preference_vector(setup) -> None:  # type: ignore[no-untyped-def]
    split, engine = setup
    rec = eng.recommender(engine)
    scorer = eng.ContentScorer(rec)
    hist = histories(split.train)[2]  # an even user: likes comedies (items 1-20)
    scores = scorer(hist, split.candidates)
    vec = rec.preference_vector(eng.signals_from_history(hist), eng.history_now(hist))
    row = rec.ctx.table.row_of[split.candidates[0]]
    assert scores[0] == pytest.approx(float(rec.ctx.space.matrix[row] @ vec), rel=1e-5)
    fresh = new_title_cut(split, n_titles=8)
    result = evaluate_split(ranker(scorer), fresh)
    assert result.summary["ndcg@10"] > 0.3


def test_collab_model_and_hybrid_feed_come_from_the_real_code(setup) -> None:  # type: ignore[no-untyped-def]
    split, engine = setup
    collab = eng.train_collab(split.train, get_settings())
    assert len(collab) > 0
    collab_result = evaluate_split(eng.collab_ranker(collab), split)
    hybrid_result = evaluate_split(eng.hybrid_ranker(eng.recommender(engine, collab)), split)
    assert collab_result.summary["users"] == hybrid_result.summary["users"]
    assert hybrid_result.summary["recall@20"] > 0


def test_search_modes_answer_title_queries(setup) -> None:  # type: ignore[no-untyped-def]
    _, engine = setup
    modes = eng.search_modes(eng.recommender(engine))
    assert set(modes) == {"lexical-only", "semantic-only", "hybrid"}
    queries = [JudgedQuery("q", "misspelled title", "Movei 17", frozenset({"tt0010017"}))]
    for mode, fn in modes.items():
        result = evaluate_search(fn, queries, mode=mode)
        assert result.summary["queries"] == 1
    assert evaluate_search(modes["lexical-only"], queries).summary["hit@10"] == 1.0
    assert np.isfinite(evaluate_search(modes["semantic-only"], queries).summary["mrr@10"])
