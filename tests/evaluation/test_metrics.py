from __future__ import annotations

import math

import numpy as np
import pytest

from wtw.evaluation import metrics


@pytest.fixture
def lists() -> tuple[list[list[str]], list[set[str]]]:
    ranked = [["a", "b", "c", "d"], ["e", "f", "g", "h"], ["a", "x", "y", "z"]]
    relevant = [{"b", "d", "q"}, {"zz"}, {"a"}]
    return ranked, relevant


def test_hits_matrix_marks_relevant_ranks(lists: tuple[list[list[str]], list[set[str]]]) -> None:
    ranked, relevant = lists
    hits = metrics.hits_matrix(ranked, relevant, 4)
    assert hits.tolist() == [[False, True, False, True], [False] * 4, [True, False, False, False]]


def test_hits_matrix_pads_short_lists() -> None:
    assert metrics.hits_matrix([["a"]], [{"a"}], 3).tolist() == [[True, False, False]]


def test_recall_ndcg_mrr_hit_match_hand_computation(lists: tuple[list[list[str]], list[set[str]]]) -> None:
    ranked, relevant = lists
    n_rel = np.array([len(r) for r in relevant])
    hits = metrics.hits_matrix(ranked, relevant, 4)
    assert metrics.recall_at_k(hits, n_rel, 4).tolist() == pytest.approx([2 / 3, 0.0, 1.0])
    assert metrics.recall_at_k(hits, n_rel, 1).tolist() == pytest.approx([0.0, 0.0, 1.0])
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert metrics.ndcg_at_k(hits, n_rel, 4).tolist() == pytest.approx([dcg / idcg, 0.0, 1.0])
    # ideal DCG at k=2 counts only two relevant items
    assert metrics.ndcg_at_k(hits, n_rel, 2)[0] == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert metrics.reciprocal_rank(hits).tolist() == pytest.approx([0.5, 0.0, 1.0])
    assert metrics.hit_at_k(hits, 1).tolist() == [0.0, 0.0, 1.0]
    assert metrics.hit_at_k(hits, 4).tolist() == [1.0, 0.0, 1.0]


def test_users_without_relevant_items_score_zero() -> None:
    hits = np.zeros((1, 3), dtype=bool)
    assert metrics.recall_at_k(hits, np.array([0]), 3)[0] == 0.0
    assert metrics.ndcg_at_k(hits, np.array([0]), 3)[0] == 0.0


@pytest.mark.parametrize("k", [0, 5])
def test_k_outside_depth_is_rejected(k: int) -> None:
    with pytest.raises(ValueError, match="between 1 and"):
        metrics.recall_at_k(np.zeros((1, 4), dtype=bool), np.array([1]), k)


def test_coverage_counts_distinct_items_in_top_k(lists: tuple[list[list[str]], list[set[str]]]) -> None:
    ranked, _ = lists
    assert metrics.catalog_coverage(ranked, 20, 1) == pytest.approx(2 / 20)  # a, e
    assert metrics.catalog_coverage(ranked, 20, 4) == pytest.approx(11 / 20)


def test_novelty_is_mean_self_information() -> None:
    # 3 users; item "a" seen by 3, "b" by 0 -> p = 4/4 and 1/4
    value = metrics.novelty([["a", "b"]], {"a": 3}, 3, 2)
    assert value == pytest.approx((0.0 + 2.0) / 2)


def test_intra_list_diversity_with_orthogonal_and_identical_vectors() -> None:
    vecs = {"a": np.array([1.0, 0.0]), "b": np.array([0.0, 2.0]), "c": np.array([3.0, 0.0])}
    ild = metrics.intra_list_diversity([["a", "b"], ["a", "c"], ["a", "missing"]], vecs, 2)
    assert ild[0] == pytest.approx(1.0)
    assert ild[1] == pytest.approx(0.0)
    assert np.isnan(ild[2])


def test_genre_vectors_are_multi_hot() -> None:
    vecs = metrics.genre_vectors({"a": ["Comedy", "Drama"], "b": ["Drama"]})
    assert vecs["a"].tolist() == [1.0, 1.0]
    assert vecs["b"].tolist() == [0.0, 1.0]
