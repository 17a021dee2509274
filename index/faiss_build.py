"""FAISS index construction, kind chosen by size (Flat / HNSW / IVF-PQ); recall@10 measured against exact."""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from wtw.errors import ConfigError

if TYPE_CHECKING:
    import faiss

    from wtw.config import IndexSettings

logger = logging.getLogger(__name__)

KINDS = ("flat", "hnsw", "ivfpq")


def choose_kind(n: int, settings: IndexSettings) -> str:
    """Exact up to ``flat_max`` titles, HNSW above; IVF-PQ only on request (it trades recall for memory)."""
    kind = settings.kind.lower()
    if kind == "auto":
        return "flat" if n <= settings.flat_max else "hnsw"
    if kind not in KINDS:
        raise ConfigError(f"unknown index kind {settings.kind!r}; choose auto or one of {', '.join(KINDS)}")
    return kind


def index_params(kind: str, n: int, dim: int, settings: IndexSettings) -> dict[str, Any]:
    """The parameters a build of ``kind`` uses, as stored in the manifest."""
    if kind == "hnsw":
        return {
            "M": settings.hnsw_m,
            "efConstruction": settings.hnsw_ef_construction,
            "efSearch": settings.hnsw_ef_search,
        }
    if kind == "ivfpq":
        nlist = max(1, min(settings.ivf_nlist, int(4 * math.sqrt(n)), n // 39))
        pq_m = settings.pq_m if dim % settings.pq_m == 0 else math.gcd(dim, settings.pq_m)
        # k-means wants ≥ 39 points per centroid: a small catalog gets smaller PQ codebooks (the rerank
        # restores the order), where 2**8 centroids would fail to train below 256 titles.
        nbits = max(1, min(8, int(math.log2(max(2, n // 39)))))
        return {
            "nlist": nlist,
            "pq_m": pq_m,
            "nbits": nbits,
            "nprobe": min(nlist, settings.ivf_nprobe),
            "rerank": settings.ivf_rerank,
        }
    return {}


def build_faiss(vectors: np.ndarray, kind: str, params: dict[str, Any]) -> faiss.Index:
    """An inner-product index over ``vectors`` (row i gets id i)."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = vectors.shape
    if kind == "flat":
        index: faiss.Index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, params["M"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = params["efConstruction"]
        index.hnsw.efSearch = params["efSearch"]
    elif kind == "ivfpq":
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFPQ(
            quantizer, dim, params["nlist"], params["pq_m"], params["nbits"], faiss.METRIC_INNER_PRODUCT
        )
        sample = vectors[np.random.default_rng(0).permutation(n)[: max(params["nlist"] * 64, 10_000)]]
        index.train(sample)
        index.nprobe = params["nprobe"]
    else:
        raise ConfigError(f"unknown index kind {kind!r}")
    index.add(vectors)
    return index


def apply_search_params(index: Any, kind: str, params: dict[str, Any]) -> None:
    """Set query-time parameters read back from a manifest."""
    if kind == "hnsw":
        index.hnsw.efSearch = int(params.get("efSearch", 128))
    elif kind == "ivfpq":
        index.nprobe = int(params.get("nprobe", 32))


def exact_topk(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row ids of the exact top-k by inner product (FAISS flat search, row order)."""
    import faiss

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
    _, ids = flat.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return ids


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean |found ∩ truth| / |truth| over queries."""
    hits = sum(
        len(set(f[f >= 0].tolist()) & set(t[t >= 0].tolist())) for f, t in zip(found, truth, strict=True)
    )
    return hits / max(1, int((truth >= 0).sum()))


def sample_queries(vectors: np.ndarray, size: int, seed: int = 0) -> np.ndarray:
    """Real catalog vectors, slightly perturbed and renormalised: a query is never exactly a stored point."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(vectors), size=min(size, len(vectors)), replace=False)
    queries = np.asarray(vectors[rows], dtype=np.float32) + rng.normal(
        0, 0.02, (len(rows), vectors.shape[1])
    ).astype(np.float32)
    return queries / np.linalg.norm(queries, axis=1, keepdims=True)
