"""`build_index`: a `vectors` artifact → a published `index` artifact with its measured recall@10."""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from wtw.errors import ArtifactError
from wtw.index.faiss_build import (
    build_faiss,
    choose_kind,
    exact_topk,
    index_params,
    recall_at,
    sample_queries,
)
from wtw.index.vocab import Vocab

if TYPE_CHECKING:
    from wtw.config import Settings
    from wtw.store import ArtifactStore

logger = logging.getLogger(__name__)

RECALL_QUERIES = 1000


@dataclass(frozen=True)
class IndexResult:
    version: str
    vectors_version: str
    kind: str
    count: int
    recall_at_10: float
    build_seconds: float


def build_index(
    settings: Settings,
    *,
    store: ArtifactStore | None = None,
    vectors_version: str | None = None,
    kind: str | None = None,
) -> IndexResult:
    """Index a `vectors` artifact (default: LATEST) and publish it; ``kind`` overrides settings.index.kind."""
    import faiss

    from wtw.store import open_store

    store = store or open_store(settings)
    source = store.fetch("vectors", vectors_version)
    manifest = source.manifest
    vectors = np.load(source.file("vectors.npy"))
    tconsts = source.file("tconsts.txt").read_text().split()
    if vectors.ndim != 2 or len(vectors) != len(tconsts) or vectors.shape[1] != manifest.get("dim"):
        raise ArtifactError(
            f"vectors {source.version}: vectors.npy and tconsts.txt disagree with the manifest"
        )
    if len(vectors) == 0:
        raise ArtifactError(f"vectors {source.version} is empty")
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index_settings = settings.index if kind is None else settings.index.model_copy(update={"kind": kind})
    chosen = choose_kind(len(vectors), index_settings)
    params = index_params(chosen, len(vectors), vectors.shape[1], index_settings)
    started = time.perf_counter()
    index = build_faiss(vectors, chosen, params)
    seconds = time.perf_counter() - started
    recall = measure_recall(index, chosen, vectors, rerank=params.get("rerank", 1))
    vocab = Vocab(tconsts)
    with tempfile.TemporaryDirectory(prefix="wtw-index-") as tmp:
        out = Path(tmp)
        faiss.write_index(index, str(out / "index.faiss"))
        vocab.save(out / "vocab.json")
        np.save(out / "vectors.npy", vectors)
        version = store.publish(
            "index",
            {name: out / name for name in ("index.faiss", "vocab.json", "vectors.npy")},
            {
                "model_id": manifest["model_id"],
                "dim": int(vectors.shape[1]),
                "count": len(vectors),
                "metric": "ip",
                "index_kind": chosen,
                "index_params": params,
                "recall_at_10": recall,
                "recall_queries": min(RECALL_QUERIES, len(vectors)),
                "build_seconds": round(seconds, 3),
                "vocab_sha256": vocab.sha256,
                "catalog_version": manifest.get("catalog_version"),
                "vectors_version": source.version,
            },
        )
    logger.info("index %s: %s over %d vectors, recall@10 %.4f", version, chosen, len(vectors), recall)
    return IndexResult(version, source.version, chosen, len(vectors), recall, seconds)


def measure_recall(index: object, kind: str, vectors: np.ndarray, k: int = 10, *, rerank: int = 1) -> float:
    """Recall@k of the built index (IVF-PQ re-scoring rerank·k candidates) against exact search, on perturbed
    real vectors as queries."""
    from wtw.index.title_index import ann_search

    if kind == "flat":
        return 1.0
    queries = sample_queries(vectors, RECALL_QUERIES)
    k = min(k, len(vectors))
    truth = exact_topk(vectors, queries, k)
    ids, _ = ann_search(index, kind, vectors, queries, k, rerank=rerank)
    return round(recall_at(ids, truth), 4)
