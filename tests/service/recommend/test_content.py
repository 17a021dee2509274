"""The content-only scorer: centred cosines to the user's evidence plus a release-era affinity."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from wtw.service.recommend import Recommender, preference_vector
from wtw.service.recommend.content import (
    PREFERENCE_VECTOR,
    ContentParams,
    ContentSpace,
    content_scores,
    direction,
    era_affinity,
)
from wtw.service.recommend.space import VectorSpace

GODFATHER, GODFATHER2, ALIEN, ALIENS, MATRIX, OFFICE = (
    "tt0068646",
    "tt0071562",
    "tt0078748",
    "tt0090605",
    "tt0133093",
    "tt0386676",
)


@pytest.fixture(scope="module")
def cs(recommender: Recommender) -> ContentSpace:
    return ContentSpace(recommender.ctx.table, recommender.ctx.space)


def test_preference_vector_setting_is_the_service_formula(
    recommender: Recommender, cs: ContentSpace, make
) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.rating(ALIEN, 10), make.rating(ALIENS, 8), make.rating(OFFICE, 2, days_ago=400))
    space = recommender.ctx.space
    scores = content_scores(cs, u, make.now, params=PREFERENCE_VECTOR, seeds=recommender.ctx.seeds)
    vec = preference_vector(u, space, make.now, seeds=recommender.ctx.seeds)
    assert scores is not None and vec is not None
    np.testing.assert_allclose(scores, space.matrix @ vec, rtol=1e-5, atol=1e-6)


def test_centred_cosines_match_the_explicitly_centred_matrix(
    recommender: Recommender, cs: ContentSpace
) -> None:
    m = recommender.ctx.space.matrix
    mean = m.mean(axis=0)
    np.testing.assert_allclose(cs.mean, mean, rtol=1e-5, atol=1e-6)
    centred = (m - mean) / np.linalg.norm(m - mean, axis=1, keepdims=True)
    q = centred[3] + 0.5 * centred[7]
    q /= np.linalg.norm(q)
    np.testing.assert_allclose(cs.cosines(q), centred @ q, rtol=1e-4, atol=1e-5)
    rows = np.array([5, 1, 9])
    np.testing.assert_allclose(cs.cosines(q, rows), (centred @ q)[rows], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(cs.cosines(q, rows, centre=False), (m @ q)[rows], rtol=1e-5)


def test_no_positive_evidence_gives_no_scores(cs: ContentSpace, make) -> None:  # type: ignore[no-untyped-def]
    assert content_scores(cs, make.user(), make.now) is None
    assert content_scores(cs, make.user(make.rating(ALIEN, 2)), make.now) is None


def test_rows_score_as_in_the_full_catalog(recommender: Recommender, cs: ContentSpace, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.rating(GODFATHER, 10), make.rating(MATRIX, 9))
    full = content_scores(cs, u, make.now)
    rows = np.array([recommender.ctx.table.row_of[t] for t in (ALIENS, OFFICE, GODFATHER2)])
    part = content_scores(cs, u, make.now, rows=rows)
    assert full is not None and part is not None
    np.testing.assert_allclose(part, full[rows], rtol=1e-6)


def test_liked_titles_neighbours_rank_first(recommender: Recommender, cs: ContentSpace, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.rating(GODFATHER, 10))
    scores = content_scores(cs, u, make.now)
    assert scores is not None
    table = recommender.ctx.table
    ranked = [table.tconsts[r] for r in np.argsort(-scores)]
    assert ranked[0] == GODFATHER and ranked[1] in {GODFATHER2, "tt0099674"}


def test_negative_pull_only_moves_scores_when_set(cs: ContentSpace, make) -> None:  # type: ignore[no-untyped-def]
    liked = make.rating(ALIEN, 10)
    alone = content_scores(cs, make.user(liked), make.now)
    with_dislike = content_scores(cs, make.user(liked, make.rating(ALIENS, 1)), make.now)
    assert alone is not None and with_dislike is not None
    np.testing.assert_allclose(alone, with_dislike, rtol=1e-6)  # the shipped pull is 0
    pulled = content_scores(
        cs, make.user(liked, make.rating(ALIENS, 1)), make.now, params=ContentParams(negative_pull=0.5)
    )
    assert pulled is not None
    row = cs.row_of[ALIENS]
    assert pulled[row] < alone[row]


def test_era_affinity_peaks_at_the_rated_years_and_is_bounded(cs: ContentSpace) -> None:
    params = ContentParams(era_bandwidth=2.0, era_floor=1e-3)
    era = era_affinity(cs, {GODFATHER: 1.0, GODFATHER2: 1.0}, None, params)  # 1972 and 1974
    years = cs.years
    assert era[cs.row_of[GODFATHER]] == pytest.approx(np.log(0.5 + 0.5 * np.exp(-0.5) + 1e-3), rel=1e-5)
    assert era[cs.row_of[ALIEN]] > era[cs.row_of[MATRIX]]  # 1979 is nearer than 1999
    assert era.min() >= np.log(1e-3) - 1e-6 and era.max() <= np.log(1 + 1e-3) + 1e-6
    assert np.all(era[years == 1972] == era[cs.row_of[GODFATHER]])
    assert not era_affinity(cs, {ALIEN: -1.0}, None, params).any()  # no positive evidence: no era term


def test_undated_rows_get_the_mean_era_and_undated_evidence_counts_for_nothing() -> None:
    vectors = np.eye(4, dtype=np.float32)
    tconsts = ["a", "b", "c", "d"]
    table = SimpleNamespace(
        year_arr=np.array([1990, 1991, -1, 2010], dtype=np.int32),
        row_of={t: i for i, t in enumerate(tconsts)},
    )
    space = VectorSpace(vectors, np.ones(4, dtype=bool), table.row_of)
    cs = ContentSpace(table, space)  # type: ignore[arg-type]
    params = ContentParams()
    era = era_affinity(cs, {"a": 1.0}, None, params)
    assert era[2] == pytest.approx(float(np.mean(era[[0, 1, 3]])), rel=1e-5)
    assert not era_affinity(cs, {"c": 1.0}, None, params).any()


def test_centring_removes_the_shared_direction_that_favours_thin_documents() -> None:
    """Unit vectors sharing a large common component: a 'thin' title (almost only the common part) sits
    nearest the mean of two distinct liked titles in the raw space; centred, a title close to both wins."""
    rng = np.random.default_rng(0)
    dim = 32
    common = np.zeros(dim, dtype=np.float32)
    common[0] = 1.0
    topics = np.eye(dim, dtype=np.float32)[1:5]
    rows = [
        common * 0.8 + topics[0] * 0.6,  # liked 1
        common * 0.8 + topics[1] * 0.6,  # liked 2
        common * 0.4 + (topics[0] + topics[1]) * 0.65,  # between the two liked titles
        common * 0.99 + topics[2] * 0.14,  # thin: nearly the common direction
        common * 0.8 + topics[3] * 0.6,  # elsewhere
    ]
    rows += [common * 0.8 + rng.normal(size=dim).astype(np.float32) * 0.15 for _ in range(20)]
    matrix = np.vstack([r / np.linalg.norm(r) for r in rows]).astype(np.float32)
    n = matrix.shape[0]
    row_of = {f"t{i}": i for i in range(n)}
    table = SimpleNamespace(year_arr=np.full(n, 2000, dtype=np.int32), row_of=row_of)
    cs = ContentSpace(table, VectorSpace(matrix, np.ones(n, dtype=bool), row_of))  # type: ignore[arg-type]
    weights = np.array([1.0, 1.0], dtype=np.float32)
    raw = direction(cs, matrix[:2], weights, replace(PREFERENCE_VECTOR, negative_pull=0.0))
    centred = direction(cs, matrix[:2], weights, ContentParams())
    assert raw is not None and centred is not None
    candidates = np.array([2, 3, 4])
    raw_scores = cs.cosines(raw, candidates, centre=False)
    centred_scores = cs.cosines(centred, candidates)
    assert raw_scores[1] > raw_scores[0]  # raw: the thin title beats the one between the liked titles
    assert centred_scores[0] > centred_scores[1] > -1.0  # centred: the one in between wins
