"""Index kind by size and override, build parameters, and recall of each kind against exact search."""

from __future__ import annotations

import numpy as np
import pytest

from wtw.config import IndexSettings
from wtw.errors import ConfigError
from wtw.index.build import measure_recall
from wtw.index.faiss_build import (
    build_faiss,
    choose_kind,
    exact_topk,
    index_params,
    recall_at,
    sample_queries,
)

from .conftest import brute_force, clustered


def test_auto_kind_is_exact_up_to_flat_max_then_hnsw() -> None:
    settings = IndexSettings(flat_max=1000)
    assert choose_kind(10, settings) == "flat"
    assert choose_kind(1000, settings) == "flat"
    assert choose_kind(1001, settings) == "hnsw"
    assert choose_kind(5_000_000, IndexSettings()) == "hnsw"  # IVF-PQ only on request


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivfpq", "HNSW"])
def test_kind_override_wins_over_size(kind: str) -> None:
    assert choose_kind(10, IndexSettings(kind=kind)) == kind.lower()
    assert choose_kind(10_000_000, IndexSettings(kind=kind)) == kind.lower()


def test_unknown_kind_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown index kind 'annoy'"):
        choose_kind(10, IndexSettings(kind="annoy"))


def test_params_follow_settings_and_fit_small_catalogs() -> None:
    settings = IndexSettings(hnsw_m=16, hnsw_ef_construction=80, hnsw_ef_search=40, pq_m=48, ivf_nprobe=8)
    assert index_params("hnsw", 10_000, 384, settings) == {"M": 16, "efConstruction": 80, "efSearch": 40}
    assert index_params("flat", 10, 384, settings) == {}
    big = index_params("ivfpq", 1_000_000, 384, settings)
    assert big == {"nlist": 4000, "pq_m": 48, "nbits": 8, "nprobe": 8, "rerank": 16}
    small = index_params("ivfpq", 300, 64, settings)
    assert 64 % small["pq_m"] == 0  # 48 does not divide 64: the largest common divisor is used
    assert 2 ** small["nbits"] * 39 <= 300 and small["nlist"] * 39 <= 300  # trainable on 300 titles


@pytest.mark.parametrize("n", [60, 300])
def test_ivfpq_builds_on_tiny_catalogs(n: int) -> None:
    vectors = clustered(n)
    params = index_params("ivfpq", n, vectors.shape[1], IndexSettings())
    index = build_faiss(vectors, "ivfpq", params)
    assert index.ntotal == n
    assert measure_recall(index, "ivfpq", vectors, rerank=params["rerank"]) >= 0.8


@pytest.mark.parametrize(("kind", "floor"), [("flat", 1.0), ("hnsw", 0.95), ("ivfpq", 0.9)])
def test_each_kind_finds_the_exact_neighbours(kind: str, floor: float) -> None:
    vectors = clustered(2000)
    params = index_params(kind, len(vectors), vectors.shape[1], IndexSettings(hnsw_ef_construction=80))
    index = build_faiss(vectors, kind, params)
    assert index.ntotal == len(vectors) and index.d == vectors.shape[1]
    assert measure_recall(index, kind, vectors, rerank=params.get("rerank", 1)) >= floor


def test_exact_topk_matches_numpy_and_recall_counts_overlap() -> None:
    vectors = clustered(500)
    queries = sample_queries(vectors, 20)
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    assert not any((q == vectors).all(1).any() for q in queries)  # perturbed: never a stored point
    truth = exact_topk(vectors, queries, 10)
    assert (truth == brute_force(vectors, queries, 10)).mean() > 0.99  # ties aside
    assert recall_at(truth, truth) == 1.0
    half = truth.copy()
    half[:, 5:] = -1
    assert recall_at(half, truth) == 0.5


def test_ivfpq_rerank_is_read_from_the_manifest_and_restores_the_exact_order() -> None:
    import polars as pl

    from wtw.index import TitleIndex

    vectors = clustered(4000)
    catalog = pl.DataFrame({"tconst": [f"tt{i:07d}" for i in range(len(vectors))]})
    recalls = {}
    for rerank in (1, 16):
        index = TitleIndex.from_vectors(
            vectors, catalog["tconst"].to_list(), catalog, IndexSettings(kind="ivfpq", ivf_rerank=rerank)
        )
        assert index.rerank == rerank == index.manifest["index_params"]["rerank"]
        recalls[rerank] = measure_recall(index.index, "ivfpq", vectors, rerank=index.rerank)
    # PQ codes alone cannot order near neighbours; re-scoring 16·k candidates exactly nearly can.
    assert recalls[16] >= 0.95 and recalls[16] > recalls[1] + 0.05


def test_ivfpq_rerank_reads_at_most_rerank_max_candidates() -> None:
    from wtw.index.title_index import RERANK_MAX, ann_search

    vectors = clustered(5000)
    index = build_faiss(vectors, "ivfpq", index_params("ivfpq", 5000, vectors.shape[1], IndexSettings()))
    asked: list[int] = []

    class Counting:  # records how many candidates ann_search asks the real FAISS index for
        ntotal = index.ntotal

        def search(self, q: np.ndarray, n: int, params: object = None) -> tuple[np.ndarray, np.ndarray]:
            asked.append(n)
            return index.search(q, n, params=params)

    queries = sample_queries(vectors, 2)
    for k in (10, 500, 3000):
        ids, _ = ann_search(Counting(), "ivfpq", vectors, queries, k, rerank=16)
        assert ids.shape == (2, k)
    assert asked == [160, RERANK_MAX, 3000]
