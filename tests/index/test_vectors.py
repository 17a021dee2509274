"""Weighted centroid (positives minus negatives) and MMR re-ranking."""

from __future__ import annotations

import numpy as np
import pytest

from wtw.index import mmr, weighted_centroid

E = np.eye(4, dtype=np.float32)


def test_centroid_of_positives_is_their_normalised_mean() -> None:
    centre = weighted_centroid(E[:2])
    np.testing.assert_allclose(centre, [2**-0.5, 2**-0.5, 0, 0], atol=1e-6)
    assert centre.dtype == np.float32
    np.testing.assert_allclose(weighted_centroid(E[0]), E[0])  # one vector is accepted as such


def test_weights_pull_the_centroid_towards_heavier_titles() -> None:
    centre = weighted_centroid(E[:2], [3.0, 1.0])
    assert centre[0] > centre[1] > 0
    np.testing.assert_allclose(centre, np.array([3, 1, 0, 0]) / np.sqrt(10), atol=1e-6)
    with pytest.raises(ValueError, match="expected 2 weights"):
        weighted_centroid(E[:2], [1.0])


def test_negatives_are_subtracted_with_their_scale() -> None:
    centre = weighted_centroid(E[:2], negatives=E[1:2], negative_scale=0.5)
    # mean(e0, e1) − 0.5·e1 = (0.5, 0, 0, 0): the disliked direction cancels out
    np.testing.assert_allclose(centre, E[0], atol=1e-6)
    away = weighted_centroid(E[:1], negatives=E[2:4], negative_weights=[1.0, 3.0], negative_scale=1.0)
    assert away[0] > 0 and away[3] < away[2] < 0
    np.testing.assert_allclose(np.linalg.norm(away), 1.0, atol=1e-6)


def test_nothing_to_average_gives_a_zero_vector() -> None:
    np.testing.assert_array_equal(weighted_centroid(np.zeros((0, 4))), np.zeros(4))
    np.testing.assert_array_equal(weighted_centroid(E[:1], negatives=E[:1], negative_scale=1.0), np.zeros(4))
    np.testing.assert_array_equal(weighted_centroid(E[:2], [0.0, 0.0]), np.zeros(4))


def _unit(*rows: list[float]) -> np.ndarray:
    out = np.array(rows, dtype=np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_mmr_with_lambda_one_is_plain_relevance_order() -> None:
    candidates = _unit([1, 0.1, 0], [1, 0.2, 0], [0, 1, 0], [0.5, 0.5, 0.5])
    query = _unit([1, 0, 0])[0]
    assert mmr(query, candidates, 4, lambda_=1.0) == list(np.argsort(-(candidates @ query)))


def test_mmr_skips_near_duplicates_for_diverse_picks() -> None:
    # two near-copies of the best match, and a less relevant but different title
    candidates = _unit([1, 0.05, 0], [1, 0.06, 0], [0.6, 0, 0.8])
    query = _unit([1, 0, 0.2])[0]
    assert mmr(query, candidates, 2, lambda_=1.0) == [0, 1]
    assert mmr(query, candidates, 2, lambda_=0.5) == [0, 2]


def test_mmr_given_relevance_and_bounds() -> None:
    candidates = _unit([1, 0, 0], [0, 1, 0], [0, 0, 1])
    assert mmr(None, candidates, 3, relevance=np.array([0.1, 0.9, 0.5])) == [1, 2, 0]
    assert sorted(mmr(None, candidates, 10, relevance=np.zeros(3))) == [0, 1, 2]  # k capped, no repeats
    assert mmr(None, candidates[:0], 5, relevance=np.zeros(0)) == []
    with pytest.raises(ValueError, match="needs a query"):
        mmr(None, candidates, 2)
    with pytest.raises(ValueError, match="lambda_"):
        mmr(candidates[0], candidates, 2, lambda_=1.5)
