from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

from wtw.evaluation import (
    EASE,
    Popularity,
    UserHistory,
    by_history,
    evaluate,
    evaluate_split,
    ranker,
    tune_ease,
)
from wtw.evaluation.protocols import cold_start_cut, load_ml_latest_small, new_title_cut, temporal_split


@pytest.fixture(scope="module")
def split(ml_root: Path):
    ratings, _ = load_ml_latest_small(ml_root)
    return temporal_split(ratings)


def test_oracle_ranker_scores_perfectly(split) -> None:
    relevant = {
        u: items
        for u, items in split.test.filter(pl.col("rating") >= 4).group_by("user").agg("item").iter_rows()
    }

    def oracle(history: UserHistory, candidates: Sequence[str], k: int) -> list[str]:
        return list(relevant.get(history.user, []))[:k]

    result = evaluate(
        oracle, split.train, split.test, k_list=(10, 20), catalog=split.candidates, name="oracle"
    )
    assert result.summary["recall@20"] == pytest.approx(1.0)
    assert result.summary["ndcg@10"] == pytest.approx(1.0)
    assert result.summary["mrr"] == pytest.approx(1.0)
    assert result.per_user.height == result.summary["users"]
    assert {"user", "history", "relevant", "ndcg@20"} <= set(result.per_user.columns)


def test_items_outside_the_catalog_never_count(split) -> None:
    def rogue(history: UserHistory, candidates: Sequence[str], k: int) -> list[str]:
        return ["tt0000000"] * k

    result = evaluate(rogue, split.train, split.test, k_list=(5,), catalog=split.candidates)
    assert result.summary["recall@5"] == 0.0
    assert result.summary["coverage@5"] == 0.0


def test_ease_beats_popularity_on_taste_groups(split) -> None:
    vectors = None
    pop = evaluate_split(ranker(Popularity().train(split.train)), split, item_vectors=vectors, name="pop")
    ease = evaluate_split(ranker(EASE().train(split.train)), split, name="ease")
    assert ease.summary["ndcg@10"] > pop.summary["ndcg@10"]
    assert ease.summary["coverage@10"] >= pop.summary["coverage@10"]


def test_cuts_evaluate_only_their_users_and_titles(split) -> None:
    cold = cold_start_cut(split)
    result = evaluate_split(ranker(Popularity().train(cold.train)), cold)
    assert set(result.per_user["user"].to_list()) <= set(cold.users or [])
    assert result.per_user["history"].max() <= 5
    fresh = new_title_cut(split, n_titles=6)
    result = evaluate_split(ranker(EASE().train(fresh.train)), fresh)
    assert result.summary["coverage@10"] <= 1.0
    assert result.notes


def test_by_history_groups_users(split) -> None:
    result = evaluate_split(ranker(Popularity().train(split.train)), split)
    buckets = by_history(result, "ndcg@20")
    assert list(buckets) == ["6-20"]


def test_tune_ease_picks_a_lambda_from_the_grid(split) -> None:
    best, scores = tune_ease(split, (1.0, 50.0))
    assert best in (1.0, 50.0)
    assert set(scores) == {1.0, 50.0}
    with pytest.raises(ValueError):
        tune_ease(split, ())


def test_no_evaluable_user_is_an_error(split) -> None:
    with pytest.raises(ValueError, match="no user"):
        evaluate(lambda h, c, k: [], split.train, split.test.head(0), catalog=split.candidates)
