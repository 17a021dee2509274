"""One contract every scorer honours (each scorer's test class inherits it), then scorer-specific checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from wtw.evaluation import (
    EASE,
    EASEConfig,
    ItemKNN,
    ItemKNNConfig,
    Popularity,
    UserHistory,
    histories,
    ranker,
)
from wtw.evaluation.baselines import UNSEEN_SCORE, interaction_matrix
from wtw.evaluation.protocols import load_ml_latest_small, temporal_split
from wtw.evaluation.scoring import Scorer


@pytest.fixture(scope="module")
def split(ml_root: Path):
    ratings, _ = load_ml_latest_small(ml_root)
    return temporal_split(ratings)


class ScorerContract:
    """Inherit and define ``make``; the tests below then apply to that scorer."""

    def make(self) -> Scorer:
        raise NotImplementedError

    def test_untrained_scorer_refuses_to_score(self) -> None:
        scorer = self.make()
        assert not scorer.is_trained()
        with pytest.raises(RuntimeError, match="not trained"):
            scorer(UserHistory(1, ("tt1",), (4.0,), (0,)), ["tt1"])

    def test_scores_one_float_per_candidate(self, split) -> None:
        scorer = self.make().train(split.train)
        assert scorer.is_trained()
        hist = histories(split.train)[2]
        scores = scorer(hist, split.candidates)
        assert scores.shape == (len(split.candidates),)
        assert np.isfinite(scores).all()

    def test_unknown_candidates_rank_below_known_ones(self, split) -> None:
        scorer = self.make().train(split.train)
        hist = histories(split.train)[2]
        cands = ["tt9999999", *split.candidates]
        scores = scorer(hist, cands)
        assert scores[0] <= scores[1:].min()

    def test_scoring_is_deterministic(self, split) -> None:
        hist = histories(split.train)[3]
        a = self.make().train(split.train)(hist, split.candidates)
        b = self.make().train(split.train)(hist, split.candidates)
        assert np.array_equal(a, b)

    def test_ranker_excludes_history_and_returns_k(self, split) -> None:
        rank = ranker(self.make().train(split.train))
        hist = histories(split.train)[4]
        items = rank(hist, split.candidates, 10)
        assert len(items) == 10 == len(set(items))
        assert not set(items) & set(hist.items)

    def test_config_is_a_pydantic_model(self) -> None:
        scorer = self.make()
        assert scorer.config.model_dump() == type(scorer.config)(**scorer.config.model_dump()).model_dump()


class TestPopularity(ScorerContract):
    def make(self) -> Scorer:
        return Popularity()

    def test_counts_users_per_title(self) -> None:
        train = pl.DataFrame(
            {"user": [1, 2, 3, 1], "item": ["a", "a", "a", "b"], "rating": [5.0] * 4, "timestamp": [0] * 4}
        )
        scores = Popularity().train(train)(UserHistory(9, (), (), ()), ["a", "b", "c"])
        assert scores.tolist() == [3.0, 1.0, 0.0]

    def test_prior_orders_unrated_titles_but_never_beats_a_rating(self) -> None:
        train = pl.DataFrame({"user": [1], "item": ["a"], "rating": [5.0], "timestamp": [0]})
        pop = Popularity(prior={"a": 1.0, "b": 10.0, "c": 1e6}).train(train)
        scores = pop(UserHistory(9, (), (), ()), ["a", "b", "c"])
        assert scores[0] > scores[2] > scores[1] > 0


class TestItemKNN(ScorerContract):
    def make(self) -> Scorer:
        return ItemKNN(ItemKNNConfig(neighbours=10, block=7))

    def test_scores_are_cosine_sums_over_history(self) -> None:
        # a and b co-occur for users 1 and 2; c only with user 3
        train = pl.DataFrame(
            {
                "user": [1, 1, 2, 2, 3, 3],
                "item": ["a", "b", "a", "b", "a", "c"],
                "rating": [5.0] * 6,
                "timestamp": [0] * 6,
            }
        )
        knn = ItemKNN(ItemKNNConfig(neighbours=2)).train(train)
        scores = knn(UserHistory(9, ("a",), (5.0,), (0,)), ["b", "c"])
        # cos(a, b) = 2 / (sqrt(3) sqrt(2)); cos(a, c) = 1 / (sqrt(3) * 1)
        assert scores.tolist() == pytest.approx([2 / np.sqrt(6), 1 / np.sqrt(3)], rel=1e-5)

    def test_keeps_at_most_k_neighbours(self, split) -> None:
        knn = ItemKNN(ItemKNNConfig(neighbours=3)).train(split.train)
        assert (np.diff(knn._sims.indptr) <= 3).all()


class TestEASE(ScorerContract):
    def make(self) -> Scorer:
        return EASE(EASEConfig(l2=50.0))

    def test_matches_the_closed_form(self, split) -> None:
        lam = 50.0
        model = EASE(EASEConfig(l2=lam)).train(split.train)
        x, vocab = interaction_matrix(split.train)
        gram = (x.T @ x).toarray().astype(np.float64) + lam * np.eye(x.shape[1])
        p = np.linalg.inv(gram)
        b = -p / np.diag(p)
        np.fill_diagonal(b, 0.0)
        assert np.allclose(model._weights, b, atol=1e-5)
        hist = histories(split.train)[5]
        items = list(vocab)
        expected = b[[vocab[i] for i in hist.items]].sum(axis=0)
        assert np.allclose(model(hist, items), expected, atol=1e-5)

    def test_unseen_candidates_get_the_floor_score(self, split) -> None:
        model = EASE().train(split.train)
        assert model(histories(split.train)[1], ["tt0000001"])[0] == UNSEEN_SCORE
