"""Title vectors aligned with the catalog's rows, exact top-k under a mask, and MMR diversification."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import numpy as np

from wtw.service.recommend.titles import TitleTable

logger = logging.getLogger(__name__)


def normalise(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float32) if norm > 0 else v.astype(np.float32)


def _index_rows(index: Any) -> tuple[np.ndarray, list[str]] | None:
    """The index's own (vectors, tconsts) when it exposes them; None otherwise."""
    vectors = getattr(index, "vectors", None)
    tconsts = getattr(index, "tconsts", None)
    if tconsts is None:
        vocab = getattr(index, "vocab", None)
        tconsts = getattr(vocab, "tconsts", None)
    if isinstance(vectors, np.ndarray) and tconsts is not None and len(tconsts) == vectors.shape[0]:
        return vectors, list(tconsts)
    return None


SHORTLIST = 500
"""Rows a catalog served through its ANN index scores exactly: the index's best, plus the caller's. Above
the largest pool a caller ranks (the feed's 300); an HNSW walk costs in proportion (1.3 ms at 500, 6 ms at
2,000 on 200k titles, one core, against 20 ms for the exact product)."""
MOMENT_SAMPLE = 4_096
"""Rows whose cosines estimate a query's score mean and spread when only a shortlist is scored."""


class VectorSpace:
    """Row i of `matrix` is the normalised vector of catalog row i (zeros when the index lacks the title).

    Small catalogs are scored exactly: one matrix–vector product per query. When the index build chose an
    approximate index (HNSW or IVF-PQ: the catalog is past ``index.flat_max``) and its rows are the
    catalog's, `ann` is that index, and a query scores only its ANN shortlist (plus rows the caller names):
    a full product at 1M titles reads 1.5 GB per request.
    """

    def __init__(
        self, matrix: np.ndarray, present: np.ndarray, row_of: dict[str, int], ann: Any = None
    ) -> None:
        self.matrix = matrix
        self.present = present
        self.row_of = row_of
        self.dim = matrix.shape[1]
        self.ann = ann
        self._sample: np.ndarray | None = None

    def vector(self, tconst: str) -> np.ndarray:
        """The title's vector (KeyError when unknown or missing from the index)."""
        row = self.row_of[tconst]
        if not self.present[row]:
            raise KeyError(tconst)
        return self.matrix[row]

    @classmethod
    def from_index(cls, table: TitleTable, index: Any) -> VectorSpace:
        own = _index_rows(index)
        if own is not None:
            vectors, tconsts = own
            if tconsts == table.tconsts:
                ann = index if getattr(index, "kind", "flat") != "flat" else None
                matrix = np.asarray(vectors, dtype=np.float32)
                return cls(matrix, np.ones(table.n, dtype=bool), table.row_of, ann)
            pos = {t: i for i, t in enumerate(tconsts)}
            rows = np.array([pos.get(t, -1) for t in table.tconsts])
            present = rows >= 0
            matrix = np.zeros((table.n, vectors.shape[1]), dtype=np.float32)
            matrix[present] = vectors[rows[present]]
        else:
            dim = int(index.dim) if hasattr(index, "dim") else len(index.vector(table.tconsts[0]))
            matrix = np.zeros((table.n, dim), dtype=np.float32)
            present = np.zeros(table.n, dtype=bool)
            for i, t in enumerate(table.tconsts):
                try:
                    matrix[i] = index.vector(t)
                    present[i] = True
                except (KeyError, LookupError, ValueError):
                    continue
        if not present.all():
            logger.warning("%d catalog titles have no vector in the index", int((~present).sum()))
        return cls(matrix, present, table.row_of)

    def vec(self, row: int) -> np.ndarray:
        return self.matrix[row]

    def scores(
        self, query: np.ndarray, allowed: np.ndarray | None = None, *, also: np.ndarray | None = None
    ) -> np.ndarray:
        """Cosine of every title with `query` (normalised); titles without a vector score -inf.

        Through the ANN index only the SHORTLIST best titles among `allowed`, and the rows `also`, are
        scored; every other title scores -inf. Callers rank by these scores plus small terms (a prior, a
        genre boost), so they lose only titles those terms would have lifted from below the shortlist.
        """
        q = query.astype(np.float32)
        if self.ann is None:
            s = self.matrix @ q
            return s if self.present.all() else np.where(self.present, s, -np.inf)
        ids, _ = self.ann.search_rows(q, SHORTLIST, allowed)
        rows = ids[0][ids[0] >= 0]
        if also is not None and len(also):
            rows = np.union1d(rows, also)
        s = np.full(self.matrix.shape[0], -np.inf, dtype=np.float32)
        s[rows] = self.matrix[rows] @ q
        return s

    def moments(self, query: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
        """Mean and standard deviation of `query`'s cosines over the catalog, for standardising `scores`.

        Exact over `scores` when every title was scored; from a fixed sample of titles when only a
        shortlist was (its own moments would be those of the best titles only).
        """
        if self.ann is None:
            finite = scores[np.isfinite(scores)]
        else:
            if self._sample is None:
                rows = np.flatnonzero(self.present)
                pick = np.random.default_rng(0).choice(rows, min(MOMENT_SAMPLE, rows.size), replace=False)
                self._sample = np.ascontiguousarray(self.matrix[np.sort(pick)])
            finite = self._sample @ query.astype(np.float32)
        if finite.size == 0:
            return 0.0, 1.0
        return float(finite.mean()), float(finite.std()) or 1.0


def top_rows(scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """Rows of the k best finite scores among `allowed`, best first."""
    s = scores if allowed is None else np.where(allowed, scores, -np.inf)
    finite = np.isfinite(s)
    count = int(np.count_nonzero(finite))
    k = min(k, count)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if count < s.size // 2:  # a shortlist: partition it alone
        candidates = np.flatnonzero(finite)
        part = candidates[np.argpartition(-s[candidates], k - 1)[:k]] if k < count else candidates
    else:
        part = np.argpartition(-s, k - 1)[:k] if k < s.size else np.arange(s.size)
    return part[np.argsort(-s[part], kind="stable")]


def mmr(
    rows: np.ndarray, relevance: np.ndarray, matrix: np.ndarray, k: int, *, lam: float = 0.8
) -> list[int]:
    """Greedy maximal marginal relevance over candidate `rows`.

    Picks argmax λ·relevance − (1−λ)·max cosine to the picks so far. `relevance` is aligned with `rows` and
    should be on a cosine-like scale (roughly [0, 1]).
    """
    if len(rows) == 0 or k <= 0:
        return []
    vecs = matrix[rows]
    rel = relevance.astype(np.float32)
    max_sim = np.full(len(rows), -1.0, dtype=np.float32)
    taken = np.zeros(len(rows), dtype=bool)
    picked: list[int] = []
    for _ in range(min(k, len(rows))):
        gain = lam * rel - (1.0 - lam) * np.maximum(max_sim, 0.0)
        gain[taken] = -np.inf
        j = int(np.argmax(gain))
        taken[j] = True
        picked.append(int(rows[j]))
        np.maximum(max_sim, vecs @ vecs[j], out=max_sim)
    return picked


class Neighbours:
    """Each title's nearest titles by cosine, precomputed in blocks (in a background thread for big catalogs).

    Similar-title requests read a title's list once its block is done and fall back to a full scan before; the
    lists are exact (blockwise matrix products), so results do not change when they arrive.
    """

    K = 64
    BLOCK = 512
    MAX_TITLES = 30_000
    SYNC_TITLES = 2_000

    def __init__(self, space: VectorSpace) -> None:
        n = space.matrix.shape[0]
        self.space = space
        self.enabled = 1 < n <= self.MAX_TITLES
        k = min(self.K, max(n - 1, 1))
        self.rows = np.zeros((n, k), dtype=np.int32)
        self.sims = np.zeros((n, k), dtype=np.float32)
        self.done = np.zeros(n, dtype=bool)
        if not self.enabled:
            return
        if n <= self.SYNC_TITLES:
            self._fill()
        else:
            threading.Thread(target=self._fill, name="wtw-neighbours", daemon=True).start()

    def _fill(self) -> None:
        m = self.space.matrix
        n, k = self.rows.shape
        started = time.perf_counter()
        for start in range(0, n, self.BLOCK):
            stop = min(start + self.BLOCK, n)
            sims = m[start:stop] @ m.T
            sims[np.arange(stop - start), np.arange(start, stop)] = -np.inf
            sims[:, ~self.space.present] = -np.inf
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            top_sims = np.take_along_axis(sims, top, axis=1)
            order = np.argsort(-top_sims, axis=1, kind="stable")
            self.rows[start:stop] = np.take_along_axis(top, order, axis=1)
            self.sims[start:stop] = np.take_along_axis(top_sims, order, axis=1)
            self.done[start:stop] = True
        logger.info("nearest neighbours of %d titles in %.1fs", n, time.perf_counter() - started)

    def of(self, row: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows, cosines) best first, or None while not computed."""
        if not self.enabled or not self.done[row] or not self.space.present[row]:
            return None
        return self.rows[row], self.sims[row]
