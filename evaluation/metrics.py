"""Top-K ranking metrics, vectorised over users.

Every metric takes a ``hits`` matrix: ``hits[u, r]`` is True when the item at rank ``r`` (0-based) of
user ``u``'s list is relevant. Lists shorter than the depth are padded with False. ``n_relevant[u]`` is the
number of relevant held-out items of user ``u`` inside the candidate catalog. Per-user values are returned so
results can be cut by user group; take ``.mean()`` for the figure.

Definitions (the usual ones, as in LensKit and RecBole):
- Recall@K = hits in top K / number of relevant items
- NDCG@K with binary gains and log2(rank + 1) discount, ideal DCG over min(K, relevant) items
- MRR = 1 / rank of the first relevant item within the list depth (0 when none)
- hit@K = 1 when any of the top K is relevant
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def hits_matrix(ranked: Sequence[Sequence[str]], relevant: Sequence[set[str]], depth: int) -> np.ndarray:
    """Boolean (users, depth) matrix of which ranked items are relevant."""
    hits = np.zeros((len(ranked), depth), dtype=bool)
    for u, (items, rel) in enumerate(zip(ranked, relevant, strict=True)):
        for r, item in enumerate(items[:depth]):
            if item in rel:
                hits[u, r] = True
    return hits


def _check(hits: np.ndarray, k: int) -> None:
    if hits.ndim != 2:
        raise ValueError("hits must be a (users, depth) matrix")
    if not 1 <= k <= hits.shape[1]:
        raise ValueError(f"k={k} must be between 1 and the list depth {hits.shape[1]}")


def recall_at_k(hits: np.ndarray, n_relevant: np.ndarray, k: int) -> np.ndarray:
    """Per-user Recall@K (0 for users without relevant items)."""
    _check(hits, k)
    n_rel = np.asarray(n_relevant, dtype=np.float64)
    found = hits[:, :k].sum(axis=1)
    return np.divide(found, n_rel, out=np.zeros_like(n_rel), where=n_rel > 0)


def ndcg_at_k(hits: np.ndarray, n_relevant: np.ndarray, k: int) -> np.ndarray:
    """Per-user NDCG@K with binary relevance."""
    _check(hits, k)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (hits[:, :k] * discounts).sum(axis=1)
    ideal_cum = np.concatenate([[0.0], np.cumsum(discounts)])
    idcg = ideal_cum[np.minimum(np.asarray(n_relevant, dtype=np.int64), k)]
    return np.divide(dcg, idcg, out=np.zeros_like(dcg), where=idcg > 0)


def reciprocal_rank(hits: np.ndarray) -> np.ndarray:
    """Per-user 1/rank of the first hit within the list depth, 0 when there is none."""
    first = hits.argmax(axis=1)
    found = hits.any(axis=1)
    return np.where(found, 1.0 / (first + 1), 0.0)


def hit_at_k(hits: np.ndarray, k: int) -> np.ndarray:
    """Per-user 1.0 when any of the top K is relevant."""
    _check(hits, k)
    return np.asarray(hits[:, :k].any(axis=1), dtype=np.float64)


def catalog_coverage(ranked: Sequence[Sequence[str]], catalog_size: int, k: int) -> float:
    """Share of the candidate catalog that appears in at least one user's top K."""
    if catalog_size <= 0:
        raise ValueError("catalog_size must be positive")
    shown = {item for items in ranked for item in items[:k]}
    return len(shown) / catalog_size


def novelty(ranked: Sequence[Sequence[str]], item_users: dict[str, int], n_users: int, k: int) -> float:
    """Mean self-information -log2 p(i) of recommended items, p(i) = (users who had i + 1) / (users + 1).

    The +1 smoothing gives never-seen titles a finite (maximal) novelty instead of infinity.
    """
    if n_users <= 0:
        raise ValueError("n_users must be positive")
    counts = np.array([item_users.get(item, 0) for items in ranked for item in items[:k]], dtype=np.float64)
    if counts.size == 0:
        return 0.0
    return float(np.mean(-np.log2((counts + 1.0) / (n_users + 1.0))))


def intra_list_diversity(
    ranked: Sequence[Sequence[str]], item_vectors: dict[str, np.ndarray], k: int
) -> np.ndarray:
    """Per-user mean pairwise cosine distance (1 - cos) among the top K items that have a vector.

    ``item_vectors`` may hold title embeddings or multi-hot genre vectors; they are L2-normalised here.
    Users with fewer than two vectorised items get NaN (use ``np.nanmean``).
    """
    out = np.full(len(ranked), np.nan)
    for u, items in enumerate(ranked):
        vecs = [item_vectors[i] for i in items[:k] if i in item_vectors]
        if len(vecs) < 2:
            continue
        m = np.asarray(vecs, dtype=np.float64)
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        m = np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)
        sims = m @ m.T
        n = len(vecs)
        out[u] = 1.0 - (sims.sum() - np.trace(sims)) / (n * (n - 1))
    return out


def genre_vectors(item_genres: dict[str, Sequence[str]]) -> dict[str, np.ndarray]:
    """Multi-hot genre vectors, for intra-list diversity when no embeddings are at hand."""
    vocab = sorted({g for genres in item_genres.values() for g in genres})
    pos = {g: i for i, g in enumerate(vocab)}
    out: dict[str, np.ndarray] = {}
    for item, genres in item_genres.items():
        v = np.zeros(len(vocab), dtype=np.float32)
        for g in genres:
            v[pos[g]] = 1.0
        out[item] = v
    return out
