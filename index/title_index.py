"""TitleIndex: top-k search over the title vectors with filters and exclusions that never lose k results."""

from __future__ import annotations

import logging
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from wtw.errors import ArtifactError
from wtw.index.faiss_build import apply_search_params, build_faiss, choose_kind, index_params
from wtw.index.filters import RowAttributes, TitleFilter
from wtw.index.vocab import Vocab

if TYPE_CHECKING:
    import polars as pl

    from wtw.config import IndexSettings
    from wtw.store import LocalArtifact

logger = logging.getLogger(__name__)

ANN_MIN_SHARE = 0.25
"""Filters passing at least this share of titles over-fetch from the ANN index; narrower ones are answered
exactly. Measured in benchmarks/index: an IDSelector inside the HNSW walk loses most true neighbours of a
narrow filter that correlates with the vectors (recall@10 ≈ 0.2 at 8 % of titles), over-fetching has to go
thousands deep there, and an exact scan of the allowed rows costs time in proportion to their number."""
GATHER_MAX = 2048
"""Up to this many allowed rows, gathering them for one matmul beats a bitmap scan of the flat vectors."""


@dataclass(frozen=True)
class Hit:
    tconst: str
    row: int
    score: float


class TitleIndex:
    """FAISS index + vocabulary + normalised vectors (memory-mapped) + catalog attributes for filtering."""

    def __init__(
        self,
        index: Any,
        vocab: Vocab,
        vectors: np.ndarray,
        catalog: pl.DataFrame,
        manifest: dict[str, Any],
    ) -> None:
        if not (index.ntotal == len(vocab) == len(vectors)):
            raise ArtifactError(
                f"index holds {index.ntotal} vectors, vocabulary {len(vocab)}, vectors file {len(vectors)}"
            )
        self.index = index
        self.vocab = vocab
        self.vectors = vectors
        self.manifest = manifest
        self.kind: str = manifest.get("index_kind", "flat")
        self.model_id: str = manifest.get("model_id", "")
        self.dim: int = int(vectors.shape[1])
        self.attributes = RowAttributes(catalog, vocab)
        params = manifest.get("index_params", {})
        apply_search_params(index, self.kind, params)
        self.rerank = int(params.get("rerank", 1))
        """IVF-PQ's re-score factor, the manifest's own: its measured recall holds for that factor."""

    def __len__(self) -> int:
        return len(self.vocab)

    @classmethod
    def load(
        cls,
        artifact: LocalArtifact,
        catalog: pl.DataFrame,
        *,
        model_id: str | None = None,
        dim: int | None = None,
    ) -> TitleIndex:
        """Open a fetched `index` artifact; a model or dimension other than the one expected is refused."""
        import faiss

        manifest = artifact.manifest
        if manifest.get("kind") != "index":
            raise ArtifactError(f"{artifact.path} is a {manifest.get('kind')!r} artifact, not an index")
        if model_id is not None and manifest.get("model_id") != model_id:
            raise ArtifactError(
                f"index {artifact.version} was built with model {manifest.get('model_id')!r}, "
                f"but the encoder is {model_id!r}; rebuild the index (`wtw embed && wtw index build`)"
            )
        if dim is not None and manifest.get("dim") != dim:
            raise ArtifactError(
                f"index {artifact.version} has dimension {manifest.get('dim')}, the encoder gives {dim}"
            )
        vocab = Vocab.load(artifact.file("vocab.json"), expected_sha256=manifest.get("vocab_sha256"))
        vectors = np.load(artifact.file("vectors.npy"), mmap_mode="r")
        try:
            index = faiss.read_index(str(artifact.file("index.faiss")))
        except RuntimeError as exc:
            raise ArtifactError(f"index {artifact.version}: index.faiss is unreadable: {exc}") from exc
        if vectors.ndim != 2 or vectors.shape[1] != manifest.get("dim") or index.d != vectors.shape[1]:
            raise ArtifactError(f"index {artifact.version}: files disagree with the manifest's dimension")
        own = _stored_vectors(index)
        if own is not None and own.shape == vectors.shape:
            vectors = own  # the same floats, already in memory: one copy instead of two at 1M titles (1.5 GB)
        return cls(index, vocab, vectors, catalog, manifest)

    @classmethod
    def from_vectors(
        cls,
        vectors: np.ndarray,
        tconsts: Sequence[str],
        catalog: pl.DataFrame,
        settings: IndexSettings | None = None,
        *,
        model_id: str = "",
    ) -> TitleIndex:
        """Build in memory (tests, small tools); `build_index` is the published path."""
        from wtw.config import IndexSettings

        settings = settings or IndexSettings()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        kind = choose_kind(len(vectors), settings)
        params = index_params(kind, len(vectors), vectors.shape[1], settings)
        manifest = {"model_id": model_id, "dim": vectors.shape[1], "index_kind": kind, "index_params": params}
        return cls(build_faiss(vectors, kind, params), Vocab(tconsts), vectors, catalog, manifest)

    def vector(self, tconst: str) -> np.ndarray:
        """The stored unit vector of ``tconst`` (NotFoundError when unknown)."""
        return np.array(self.vectors[self.vocab.row(tconst)], dtype=np.float32)

    def allowed(
        self, filter: TitleFilter | None = None, exclude: Collection[str] | None = None
    ) -> np.ndarray | None:
        """Boolean mask of rows that may be returned, or None when every row may."""
        mask = None if filter is None or filter.is_empty() else self.attributes.mask(filter)
        if exclude:
            rows = self.vocab.rows(exclude)
            if len(rows):
                mask = np.ones(len(self), dtype=bool) if mask is None else mask.copy()
                mask[rows] = False
        return mask

    def search(
        self,
        queries: np.ndarray,
        k: int,
        *,
        filter: TitleFilter | None = None,
        exclude: Collection[str] | None = None,
    ) -> list[list[Hit]]:
        """Top-k titles per query vector, best first; with a filter, min(k, titles passing) results."""
        if k < 1:
            raise ValueError("k must be at least 1")
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if q.shape[1] != self.dim:
            raise ValueError(f"query dimension {q.shape[1]} != index dimension {self.dim}")
        ids, scores = self.search_rows(q, k, self.allowed(filter, exclude))
        return [
            [
                Hit(self.vocab.tconsts[i], int(i), float(s))
                for i, s in zip(row_ids, row_scores, strict=True)
                if i >= 0
            ]
            for row_ids, row_scores in zip(ids, scores, strict=True)
        ]

    def search_rows(
        self, queries: np.ndarray, k: int, mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(row ids, scores) of the top-k rows per query among ``mask`` (None: all rows), best first.

        Row ids are -1 past the allowed rows. The primitive under :meth:`search`, for callers that hold a
        row mask of their own (the service's catalog table, whose rows are the index's).
        """
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if mask is None:
            return self._ann(q, min(k, len(self)))
        return self._filtered(q, k, mask)

    def _ann(self, q: np.ndarray, k: int, params: Any = None) -> tuple[np.ndarray, np.ndarray]:
        return ann_search(self.index, self.kind, self.vectors, q, k, rerank=self.rerank, params=params)

    def _filtered(self, q: np.ndarray, k: int, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        allowed = int(mask.sum())
        k = min(k, allowed)
        if k == 0:
            return np.empty((len(q), 0), dtype=np.int64), np.empty((len(q), 0), dtype=np.float32)
        share = allowed / len(mask)
        if self.kind == "flat" or share < ANN_MIN_SHARE:
            return self._exact(q, k, mask)
        ids, scores = self._overfetch(q, k, mask, share)
        short = [j for j in range(len(q)) if (ids[j] >= 0).sum() < k]
        if short:  # the allowed titles were not among the fetched neighbours: answer those exactly
            ids[short], scores[short] = self._exact(q[short], k, mask)
        return ids, scores

    def _overfetch(
        self, q: np.ndarray, k: int, mask: np.ndarray, share: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """The first k allowed rows of the ANN top ⌈2k/share⌉ or more (fewer than k when unlucky)."""
        import faiss

        fetch = math.ceil(2 * k / share)
        untyped: Any = faiss  # faiss's bundled stubs lack SearchParametersHNSW
        params: Any = None
        if self.kind == "hnsw":  # the walk visits efSearch candidates anyway: keeping them all costs nothing
            fetch = max(fetch, self.index.hnsw.efSearch)
            params = untyped.SearchParametersHNSW()
            params.efSearch = fetch
        fetch = min(len(mask), fetch)
        ids, scores = self._ann(q, fetch, params)
        keep = (ids >= 0) & mask[np.maximum(ids, 0)]
        out_ids = np.full((len(q), k), -1, dtype=np.int64)
        out_scores = np.full((len(q), k), -np.inf, dtype=np.float32)
        for j in range(len(q)):
            found = ids[j][keep[j]][:k]
            out_ids[j, : len(found)] = found
            out_scores[j, : len(found)] = scores[j][keep[j]][:k]
        return out_ids, out_scores

    def _exact(self, q: np.ndarray, k: int, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-k of the allowed rows: gather + matmul when few, else a bitmap scan of flat vectors."""
        rows = np.flatnonzero(mask)
        flat = self._flat_storage()
        if len(rows) > GATHER_MAX and flat is not None:
            import faiss

            bits = np.packbits(mask, bitorder="little")
            params = faiss.SearchParameters()
            params.sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits))
            scores, ids = flat.search(q, k, params=params)
            del bits  # kept alive until the search is done: the selector only points at it
            return ids, scores
        if len(rows) > GATHER_MAX and len(rows) >= len(mask) // 4:
            scores = q @ np.asarray(self.vectors, dtype=np.float32).T
            scores[:, ~mask] = -np.inf
            rows = np.arange(len(mask))
        else:
            scores = q @ np.asarray(self.vectors[rows], dtype=np.float32).T
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        return rows[top].astype(np.int64), np.take_along_axis(top_scores, order, axis=1).astype(np.float32)

    def _flat_storage(self) -> Any:
        """The exact IndexFlatIP over the vectors inside the FAISS index (None for IVF-PQ, which has none)."""
        import faiss

        if self.kind == "flat":
            return self.index
        if self.kind == "hnsw":
            return faiss.downcast_index(self.index.storage)
        return None


class _IndexMemory:
    """Exposes memory a FAISS index owns as an array (``__array_interface__``) while holding the index, so
    that memory outlives every view of it (the service keeps the vectors and may drop the index)."""

    def __init__(self, address: int, shape: tuple[int, int], owner: Any) -> None:
        self.__array_interface__ = {"data": (address, True), "shape": shape, "typestr": "<f4", "version": 3}
        self.owner = owner


def _stored_vectors(index: Any) -> np.ndarray | None:
    """A read-only view of the float32 vectors an HNSW (flat storage) or flat index holds; None for others."""
    import faiss

    flat = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSWFlat) else index
    if not isinstance(flat, faiss.IndexFlat) or flat.ntotal == 0:
        return None
    raw = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d)
    return np.asarray(_IndexMemory(raw.__array_interface__["data"][0], (flat.ntotal, flat.d), index))


RERANK_MAX = 2048
"""Most candidates IVF-PQ re-scores per query: reads of the memory-mapped vectors (3 MB at 384-d) stay what
4·k cost the service's 500-title shortlists, while small-k queries get the full rerank·k."""


def ann_search(
    index: Any, kind: str, vectors: np.ndarray, q: np.ndarray, k: int, *, rerank: int = 1, params: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """(ids, scores) of the index's top-k; IVF-PQ's top rerank·k are re-scored exactly against ``vectors``."""
    if kind != "ivfpq":
        scores, ids = index.search(q, k, params=params)
        return ids, scores
    scores, ids = index.search(q, min(max(k, min(k * rerank, RERANK_MAX)), index.ntotal), params=params)
    out_ids = np.full((len(q), k), -1, dtype=np.int64)
    out_scores = np.full((len(q), k), -np.inf, dtype=np.float32)
    for j, row in enumerate(ids):
        candidates = np.sort(row[row >= 0])
        exact = np.asarray(vectors[candidates], dtype=np.float32) @ q[j]
        order = np.argsort(-exact)[:k]
        out_ids[j, : len(order)] = candidates[order]
        out_scores[j, : len(order)] = exact[order]
    return out_ids, out_scores
