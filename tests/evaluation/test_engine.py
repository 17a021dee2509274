"""The evaluation drives the service's own Recommender and the nightly job's trainer (fake encoder only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from wtw.config import get_settings
from wtw.errors import ArtifactError
from wtw.evaluation import engine as eng
from wtw.evaluation import evaluate_split, histories, ranker
from wtw.evaluation.protocols import load_ml_latest_small, new_title_cut, temporal_split
from wtw.evaluation.search_eval import JudgedQuery, evaluate_search


@pytest.fixture(scope="module")
def setup(ml_root: Path, ml_catalog: pl.DataFrame, fake_encoder):  # type: ignore[no-untyped-def]
    ratings, _ = load_ml_latest_small(ml_root)
    catalog = ml_catalog
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
    base = eng.recommender(engine)
    swapped = eng.with_collab(base, collab)
    assert (swapped.ctx.collab, base.ctx.collab) == (collab, None)
    same = evaluate_split(eng.hybrid_ranker(swapped), split)
    assert same.summary["ndcg@20"] == pytest.approx(hybrid_result.summary["ndcg@20"])


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


def test_restricted_engine_feeds_rank_only_the_candidates(setup) -> None:  # type: ignore[no-untyped-def]
    split, engine = setup
    keep = set(split.candidates[:15])
    small = eng.restricted(engine, keep)
    assert set(small.catalog["tconst"].to_list()) == keep
    hist = histories(split.train)[2]
    ranked = eng.hybrid_ranker(eng.recommender(small))(hist, sorted(keep), 10)
    assert ranked and set(ranked) <= keep - set(hist.items)
    with pytest.raises(ArtifactError):
        eng.restricted(engine, {"tt9999999"})


def test_engine_from_store_loads_the_published_index_like_the_service(
    setup, settings_env: Path, fake_encoder, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from wtw.catalog.schema import write_catalog
    from wtw.embeddings import encoders
    from wtw.index import TitleIndex, build_index
    from wtw.store import open_store

    _, engine = setup
    settings = get_settings()
    store = open_store(settings)
    with pytest.raises(ArtifactError, match="no published index"):
        eng.engine_from_store(settings)
    path = write_catalog(engine.catalog, settings_env / "src" / "catalog.parquet")
    catalog_version = store.publish("catalog", {"catalog.parquet": path}, {"rows": engine.catalog.height})
    np.save(settings_env / "src" / "vectors.npy", engine.index.vectors)
    (settings_env / "src" / "tconsts.txt").write_text("\n".join(engine.index.tconsts) + "\n")
    store.publish(
        "vectors",
        {
            "vectors.npy": settings_env / "src" / "vectors.npy",
            "tconsts.txt": settings_env / "src" / "tconsts.txt",
        },
        {"model_id": fake_encoder.model_id, "dim": fake_encoder.dim, "catalog_version": catalog_version},
    )
    build_index(settings)
    monkeypatch.setattr(encoders, "load_encoder", lambda _settings: fake_encoder)

    loaded = eng.engine_from_store(settings)
    assert isinstance(loaded.index, TitleIndex)
    assert loaded.catalog.height == engine.catalog.height and catalog_version in loaded.source
    rec = eng.recommender(loaded)
    np.testing.assert_allclose(rec.ctx.space.matrix, engine.index.vectors, rtol=1e-6)
