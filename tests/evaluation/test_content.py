"""The evaluation's content-only rows call the service's content scorer; its tuning stays on validation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from wtw.evaluation import engine as eng
from wtw.evaluation import evaluate_split, histories, ranker
from wtw.evaluation.content_variants import HubCorrectedScorer, KNNContentScorer, hub_scores
from wtw.evaluation.protocols import load_ml_latest_small, new_title_cut, temporal_split
from wtw.evaluation.suite import SuiteConfig, SuiteResult, _tune_content, content_grid


@pytest.fixture(scope="module")
def setup(ml_root: Path, ml_catalog: pl.DataFrame, fake_encoder):  # type: ignore[no-untyped-def]
    ratings, _ = load_ml_latest_small(ml_root)
    vectors = fake_encoder.encode(ml_catalog["document"].to_list())
    engine = eng.Engine(
        ml_catalog, eng.VectorIndex(vectors, ml_catalog["tconst"].to_list()), fake_encoder, "test"
    )
    return temporal_split(ratings), eng.recommender(engine)


def test_content_only_scores_are_the_service_content_scores(setup) -> None:  # type: ignore[no-untyped-def]
    from wtw.service.recommend.content import content_scores

    split, rec = setup
    scorer = eng.ContentOnlyScorer(rec)
    hist = histories(split.train)[2]  # an even user: likes comedies (items 1-20)
    scores = scorer(hist, split.candidates)
    rows = np.array([rec.ctx.table.row_of[c] for c in split.candidates])
    expected = content_scores(
        scorer.space, eng.signals_from_history(hist), eng.history_now(hist), rows=rows, seeds=rec.ctx.seeds
    )
    assert expected is not None
    np.testing.assert_allclose(scores, expected, rtol=1e-6)
    result = evaluate_split(ranker(scorer), new_title_cut(split, n_titles=8))
    assert result.summary["ndcg@10"] > 0.3


def test_preference_vector_setting_reproduces_the_reference_row(setup) -> None:  # type: ignore[no-untyped-def]
    from wtw.service.recommend.content import PREFERENCE_VECTOR

    split, rec = setup
    hist = histories(split.train)[3]
    new = eng.ContentOnlyScorer(rec, PREFERENCE_VECTOR)(hist, split.candidates)
    old = eng.ContentScorer(rec)(hist, split.candidates)
    np.testing.assert_allclose(new, old, rtol=1e-5, atol=1e-6)


def test_unknown_candidates_score_below_every_title(setup) -> None:  # type: ignore[no-untyped-def]
    split, rec = setup
    hist = histories(split.train)[2]
    scores = eng.ContentOnlyScorer(rec)(hist, [*split.candidates[:3], "tt9999999"])
    assert scores[-1] == eng.UNSEEN_SCORE and (scores[:3] > eng.UNSEEN_SCORE).all()


def test_tuning_uses_validation_and_records_every_setting(setup) -> None:  # type: ignore[no-untyped-def]
    split, rec = setup
    config = SuiteConfig(data_root=Path("."), new_titles=8, content_knn=(3,), content_hub_betas=(0.5,))
    result = SuiteResult()
    chosen, no_era = _tune_content(config, split, eng.ContentOnlyScorer(rec), result)
    labels = {p.label() for p in content_grid(config)}
    assert labels <= set(result.content_tuning)
    assert result.content_params == chosen.params.label() and no_era.params.era_weight == 0.0
    best = result.content_tuning[chosen.params.label()]
    assert best["new-title"] == max(result.content_tuning[label]["new-title"] for label in labels)
    assert "a" in best and any(k.startswith("multi-interest kNN") for k in result.content_tuning)
    assert any("hubness" in k for k in result.content_tuning)


def test_knn_and_hub_variants_rank_the_taste_group(setup) -> None:  # type: ignore[no-untyped-def]
    split, rec = setup
    base = eng.ContentOnlyScorer(rec)
    hubs = hub_scores(base.space, k=5)
    assert hubs.shape == (rec.ctx.table.n,) and np.isfinite(hubs).all()
    cut = new_title_cut(split, n_titles=8)
    for scorer in (KNNContentScorer(base, 3), HubCorrectedScorer(base, hubs, 0.5)):
        assert evaluate_split(ranker(scorer), cut).summary["ndcg@10"] > 0.3
