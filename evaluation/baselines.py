"""Reference recommenders: popularity, item-kNN (cosine, top-k neighbours) and EASE (closed form).

All three treat every training rating as an interaction (implicit feedback), the usual top-N setting.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Self

import numpy as np
import polars as pl
import scipy.sparse as sp
from pydantic import BaseModel, Field

from wtw.evaluation.scoring import Scorer, UserHistory

logger = logging.getLogger(__name__)

UNSEEN_SCORE = -1e9
"""Score of a candidate the model never saw in training: below every real score, still rankable."""


def interaction_matrix(ratings: pl.DataFrame) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Binary users x items CSR matrix and the item vocabulary (sorted ids)."""
    items = sorted(set(ratings["item"].to_list()))
    vocab = {item: i for i, item in enumerate(items)}
    users = {u: i for i, u in enumerate(sorted(set(ratings["user"].to_list())))}
    rows = np.fromiter((users[u] for u in ratings["user"]), np.int64, ratings.height)
    cols = np.fromiter((vocab[i] for i in ratings["item"]), np.int64, ratings.height)
    data = np.ones(ratings.height, dtype=np.float32)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(len(users), len(items)))
    matrix.data[:] = 1.0  # duplicates collapse to one interaction
    return matrix, vocab


class PopularityConfig(BaseModel):
    min_rating: float = Field(default=0.0, description="Count only ratings at or above this many stars.")


class Popularity(Scorer):
    """Most-watched first; titles nobody rated fall back to a prior (e.g. IMDb votes) below rated ones."""

    config: PopularityConfig

    def __init__(self, config: PopularityConfig | None = None, prior: Mapping[str, float] | None = None):
        super().__init__()
        self.config = config or PopularityConfig()
        self.prior = dict(prior or {})
        self._counts = np.empty(0)
        self._prior_key: tuple[int, int] | None = None
        self._prior_scores = np.empty(0)

    def train(self, ratings: pl.DataFrame) -> Self:
        kept = ratings.filter(pl.col("rating") >= self.config.min_rating)
        matrix, self._items = interaction_matrix(kept)
        self._counts = np.asarray(matrix.sum(axis=0)).ravel().astype(np.float64)
        return self

    def __call__(self, history: UserHistory, candidates: Sequence[str]) -> np.ndarray:
        pos = self._positions(candidates)
        scores = np.where(pos >= 0, self._counts[np.maximum(pos, 0)], 0.0)
        return scores + self._prior_of(candidates) if self.prior else scores

    def _prior_of(self, candidates: Sequence[str]) -> np.ndarray:
        """log-prior rescaled below 1, so it only orders ties of the counts; cached for the same list."""
        key = (id(candidates), len(candidates))
        if key != self._prior_key:
            prior = np.log1p(np.array([max(self.prior.get(c, 0.0), 0.0) for c in candidates]))
            top = prior.max() if prior.size else 0.0
            self._prior_scores = prior / (top + 1.0) if top > 0 else np.zeros_like(prior)
            self._prior_key = key
        return self._prior_scores


class ItemKNNConfig(BaseModel):
    neighbours: int = Field(default=50, ge=1, description="Most similar items kept per item.")
    block: int = Field(default=1024, ge=1, description="Items per block when computing similarities.")


class ItemKNN(Scorer):
    """Item-based kNN: score(i) = sum of cosine(i, j) over the user's items j among i's top-k neighbours."""

    config: ItemKNNConfig

    def __init__(self, config: ItemKNNConfig | None = None):
        super().__init__()
        self.config = config or ItemKNNConfig()
        self._sims = sp.csr_matrix((0, 0))

    def train(self, ratings: pl.DataFrame) -> Self:
        matrix, self._items = interaction_matrix(ratings)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=0)).ravel())
        normed = sp.csr_matrix(matrix.multiply(1.0 / np.maximum(norms, 1e-12)).tocsc())
        n = matrix.shape[1]
        k = min(self.config.neighbours, max(n - 1, 1))
        rows, cols, vals = [], [], []
        for start in range(0, n, self.config.block):
            stop = min(start + self.config.block, n)
            block = np.asarray((normed[:, start:stop].T @ normed).todense(), dtype=np.float32)
            block[np.arange(stop - start), np.arange(start, stop)] = 0.0
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            top_vals = np.take_along_axis(block, top, axis=1)
            keep = top_vals > 0
            rows.append(np.repeat(np.arange(start, stop), k)[keep.ravel()])
            cols.append(top.ravel()[keep.ravel()])
            vals.append(top_vals.ravel()[keep.ravel()])
        self._sims = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
        )
        return self

    def __call__(self, history: UserHistory, candidates: Sequence[str]) -> np.ndarray:
        pos = self._positions(candidates)
        scores = self._sims @ self._history_vector(history)
        return np.where(pos >= 0, scores[np.maximum(pos, 0)], UNSEEN_SCORE)


class EASEConfig(BaseModel):
    l2: float = Field(default=500.0, gt=0, description="L2 regularisation lambda (tune on validation).")


class EASE(Scorer):
    """EASE (Steck, WWW 2019): B = I - P diagMat(1/diag(P)), P = (X^T X + lambda I)^-1; scores = x B."""

    config: EASEConfig

    def __init__(self, config: EASEConfig | None = None):
        super().__init__()
        self.config = config or EASEConfig()
        self._weights = np.empty((0, 0), dtype=np.float32)

    def train(self, ratings: pl.DataFrame) -> Self:
        from scipy.linalg import lapack

        matrix, self._items = interaction_matrix(ratings)
        n = matrix.shape[1]
        dtype = np.float64 if n <= 4000 else np.float32  # float32 halves memory and time on 10k items
        gram: np.ndarray = np.asarray((matrix.T @ matrix).todense(), dtype=dtype)
        gram[np.diag_indices(n)] += self.config.l2
        potrf, potri = lapack.get_lapack_funcs(("potrf", "potri"), (gram,))
        chol, info = potrf(gram, lower=False, overwrite_a=True)
        if info != 0:
            raise RuntimeError(f"EASE: Cholesky failed (info={info})")
        inv, info = potri(chol, lower=False, overwrite_c=True)
        if info != 0:
            raise RuntimeError(f"EASE: inversion failed (info={info})")
        inv = np.triu(inv) + np.triu(inv, 1).T
        weights = -inv / np.diag(inv)
        weights[np.diag_indices(n)] = 0.0
        self._weights = weights.astype(np.float32)
        logger.debug("EASE trained on %d items, lambda %.0f", n, self.config.l2)
        return self

    def __call__(self, history: UserHistory, candidates: Sequence[str]) -> np.ndarray:
        pos = self._positions(candidates)
        items = self._require_trained()
        rows = [items[i] for i in history.items if i in items]
        scores = self._weights[rows].sum(axis=0) if rows else np.zeros(len(items), dtype=np.float32)
        return np.where(pos >= 0, scores[np.maximum(pos, 0)], UNSEEN_SCORE)
