"""TitleIndex.search: top-k for one and many queries, filters and exclusions, against numpy brute force."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from wtw.config import IndexSettings
from wtw.errors import ArtifactError, NotFoundError
from wtw.index import Hit, TitleFilter, TitleIndex
from wtw.index import title_index as title_index_module
from wtw.index.faiss_build import sample_queries

from .conftest import brute_force

KINDS = ["flat", "hnsw", "ivfpq"]
SETTINGS = {
    "flat": IndexSettings(kind="flat"),
    "hnsw": IndexSettings(kind="hnsw", hnsw_m=16, hnsw_ef_construction=80, hnsw_ef_search=64),
    "ivfpq": IndexSettings(kind="ivfpq", ivf_nprobe=8),
}


@pytest.fixture(scope="module")
def indexes(vectors: np.ndarray, ids: list[str], catalog: pl.DataFrame) -> dict[str, TitleIndex]:
    return {kind: TitleIndex.from_vectors(vectors, ids, catalog, SETTINGS[kind]) for kind in KINDS}


def expected_mask(catalog: pl.DataFrame, ids: list[str], flt: TitleFilter) -> np.ndarray:
    """The filter evaluated row by row in plain Python (independent of RowAttributes)."""
    rows = {r["tconst"]: r for r in catalog.iter_rows(named=True)}

    def within(value: Any, low: Any, high: Any) -> bool:
        if low is None and high is None:
            return True
        return value is not None and (low is None or value >= low) and (high is None or value <= high)

    def passes(row: dict[str, Any] | None) -> bool:
        row = row or {}
        return (
            (flt.types is None or row.get("type") in flt.types)
            and (flt.genres is None or bool(set(row.get("genres") or []) & set(flt.genres)))
            and within(row.get("start_year"), flt.year_from, flt.year_to)
            and within(row.get("runtime_minutes"), flt.runtime_min, flt.runtime_max)
            and within(row.get("rating"), flt.min_rating, None)
            and within(row.get("votes"), flt.min_votes, None)
        )

    return np.array([passes(rows.get(t)) for t in ids])


def rows_of(hits: list[list[Hit]]) -> list[list[int]]:
    return [[h.row for h in row] for row in hits]


def overlap(found: list[list[int]], truth: np.ndarray) -> float:
    return sum(len(set(f) & set(t.tolist())) for f, t in zip(found, truth, strict=True)) / truth.size


@pytest.mark.parametrize("kind", KINDS)
def test_top_k_for_one_query(indexes: dict[str, TitleIndex], vectors: np.ndarray, kind: str) -> None:
    index = indexes[kind]
    query = sample_queries(vectors, 1, seed=3)[0]
    (hits,) = index.search(query, 10)
    assert len(hits) == 10
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    for hit in hits:
        assert hit.tconst == index.vocab.tconst(hit.row)
        assert hit.score == pytest.approx(float(vectors[hit.row] @ query), abs=1e-4)
    assert overlap(rows_of([hits]), brute_force(vectors, query, 10)) >= 0.9
    (self_hits,) = index.search(vectors[7], 1)
    assert self_hits[0].row == 7


@pytest.mark.parametrize("kind", KINDS)
def test_top_k_for_many_queries(indexes: dict[str, TitleIndex], vectors: np.ndarray, kind: str) -> None:
    queries = sample_queries(vectors, 50, seed=4)
    hits = indexes[kind].search(queries, 10)
    assert len(hits) == 50 and all(len(row) == 10 for row in hits)
    recall = overlap(rows_of(hits), brute_force(vectors, queries, 10))
    assert recall == 1.0 if kind == "flat" else recall >= 0.95


def test_k_larger_than_the_catalog_and_bad_arguments(
    vectors: np.ndarray, ids: list[str], catalog: pl.DataFrame
) -> None:
    small = TitleIndex.from_vectors(vectors[:5], ids[:5], catalog)
    assert [len(r) for r in small.search(vectors[:2], 50)] == [5, 5]
    with pytest.raises(ValueError, match="k must be"):
        small.search(vectors[0], 0)
    with pytest.raises(ValueError, match="dimension"):
        small.search(np.ones(7, dtype=np.float32), 3)
    with pytest.raises(ArtifactError, match="vocabulary"):
        TitleIndex(small.index, small.vocab, vectors[:4], catalog, small.manifest)


def test_vector_by_tconst(indexes: dict[str, TitleIndex], vectors: np.ndarray, ids: list[str]) -> None:
    np.testing.assert_array_equal(indexes["hnsw"].vector(ids[42]), vectors[42])
    with pytest.raises(NotFoundError):
        indexes["hnsw"].vector("tt9999999")


FILTERS = {
    "type": TitleFilter(types=("tvSeries",)),
    "two types": TitleFilter(types=("movie", "short")),
    "genres any-of": TitleFilter(genres=("Horror", "Animation")),
    "year range": TitleFilter(year_from=1990, year_to=1999),
    "year from": TitleFilter(year_from=2020),
    "runtime range": TitleFilter(runtime_min=80, runtime_max=120),
    "min rating": TitleFilter(min_rating=8.5),
    "min votes": TitleFilter(min_votes=90_000),
    "combined": TitleFilter(types=("movie",), genres=("Drama",), year_from=1950, min_rating=5.0),
    "nothing passes": TitleFilter(types=("podcast",)),
}


@pytest.mark.parametrize("name", FILTERS)
def test_filters_match_numpy_brute_force(
    indexes: dict[str, TitleIndex], vectors: np.ndarray, ids: list[str], catalog: pl.DataFrame, name: str
) -> None:
    flt = FILTERS[name]
    mask = expected_mask(catalog, ids, flt)
    np.testing.assert_array_equal(indexes["flat"].allowed(flt), mask)
    queries = sample_queries(vectors, 8, seed=5)
    hits = indexes["flat"].search(queries, 10, filter=flt)
    truth = brute_force(vectors, queries, 10, mask)
    assert [len(r) for r in hits] == [min(10, int(mask.sum()))] * len(queries)
    assert rows_of(hits) == truth.tolist()


def test_empty_filter_values_mean_no_constraint(indexes: dict[str, TitleIndex]) -> None:
    assert TitleFilter(genres=(), types=[]).is_empty()  # type: ignore[arg-type]
    assert indexes["flat"].allowed(TitleFilter(genres=())) is None
    one = TitleFilter(genres="Comedy")  # type: ignore[arg-type]
    assert one.genres == ("Comedy",)


PATHS = {  # (ANN_MIN_SHARE, GATHER_MAX): which of the filtered-search paths answers
    "exact gather": (1.1, 10**9),
    "exact bitmap scan": (1.1, 0),
    "ann over-fetch": (0.0, 0),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", PATHS)
def test_filters_and_exclusions_never_lose_k(
    *,
    indexes: dict[str, TitleIndex],
    vectors: np.ndarray,
    ids: list[str],
    catalog: pl.DataFrame,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    path: str,
) -> None:
    min_share, gather_max = PATHS[path]
    monkeypatch.setattr(title_index_module, "ANN_MIN_SHARE", min_share)
    monkeypatch.setattr(title_index_module, "GATHER_MAX", gather_max)
    index = indexes[kind]
    queries = sample_queries(vectors, 30, seed=6)
    flt = TitleFilter(types=("movie", "short"), genres=("Drama", "Comedy", "Sci-Fi"), min_votes=30_000)
    unfiltered = index.search(queries, 10)
    exclude = {h.tconst for row in unfiltered for h in row[:3]} | {"tt9999999"}
    mask = expected_mask(catalog, ids, flt)
    mask[[ids.index(t) for t in exclude if t in ids]] = False
    assert 10 < mask.sum() < len(ids) / 4  # selective: a plain top-k then post-filter would come up short

    hits = index.search(queries, 10, filter=flt, exclude=exclude)
    assert all(len(row) == 10 for row in hits)
    assert all(mask[h.row] for row in hits for h in row)
    for row in hits:
        assert [h.score for h in row] == sorted((h.score for h in row), reverse=True)
    recall = overlap(rows_of(hits), brute_force(vectors, queries, 10, mask))
    assert recall == 1.0 if kind == "flat" or path != "ann over-fetch" else recall >= 0.9


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", PATHS)
def test_fewer_titles_pass_than_k(
    *,
    indexes: dict[str, TitleIndex],
    vectors: np.ndarray,
    ids: list[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    path: str,
) -> None:
    min_share, gather_max = PATHS[path]
    monkeypatch.setattr(title_index_module, "ANN_MIN_SHARE", min_share)
    monkeypatch.setattr(title_index_module, "GATHER_MAX", gather_max)
    keep = set(ids[100:106])
    exclude = [t for t in ids if t not in keep]
    hits = indexes[kind].search(vectors[:3], 10, exclude=exclude)
    assert [sorted(h.tconst for h in row) for row in hits] == [sorted(keep)] * 3
    assert indexes[kind].search(vectors[:2], 10, filter=TitleFilter(types=("podcast",))) == [[], []]


@pytest.mark.parametrize("kind", KINDS)
def test_broad_filter_over_many_queries(
    indexes: dict[str, TitleIndex], vectors: np.ndarray, ids: list[str], catalog: pl.DataFrame, kind: str
) -> None:
    flt = TitleFilter(types=("movie", "tvSeries"))  # ~2/3 of titles: the ANN over-fetch path
    mask = expected_mask(catalog, ids, flt)
    assert mask.mean() > title_index_module.ANN_MIN_SHARE
    queries = sample_queries(vectors, 60, seed=8)
    hits = indexes[kind].search(queries, 10, filter=flt)
    assert all(len(row) == 10 and all(mask[h.row] for h in row) for row in hits)
    recall = overlap(rows_of(hits), brute_force(vectors, queries, 10, mask))
    assert recall == 1.0 if kind == "flat" else recall >= 0.95


def test_exclusions_alone_skip_seen_titles(indexes: dict[str, TitleIndex], vectors: np.ndarray) -> None:
    index = indexes["hnsw"]
    (first,) = index.search(vectors[10], 20)
    seen = {h.tconst for h in first[:5]}
    (again,) = index.search(vectors[10], 15, exclude=seen)
    assert [h.tconst for h in again] == [h.tconst for h in first[5:]]


def test_titles_missing_from_the_catalog_never_pass_a_bound(
    vectors: np.ndarray, ids: list[str], catalog: pl.DataFrame
) -> None:
    partial = catalog.filter(~pl.col("tconst").is_in(ids[:50]))
    index = TitleIndex.from_vectors(vectors, ids, partial, IndexSettings(kind="flat"))
    mask = index.allowed(TitleFilter(year_from=1900))
    assert mask is not None and not mask[:50].any()
    (hits,) = index.search(vectors[0], 1)
    assert hits[0].tconst == ids[0]  # still found without a filter
