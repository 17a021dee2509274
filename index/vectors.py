"""Vector arithmetic the recommender needs: a weighted preference centroid and MMR re-ranking."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _normalise(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)


def weighted_centroid(
    positives: np.ndarray,
    positive_weights: Sequence[float] | np.ndarray | None = None,
    negatives: np.ndarray | None = None,
    negative_weights: Sequence[float] | np.ndarray | None = None,
    *,
    negative_scale: float = 0.5,
) -> np.ndarray:
    """L2-normalised Σ wᵢ·pᵢ − negative_scale·Σ vⱼ·nⱼ (weighted means of each side).

    Returns a zero vector when there is nothing to average (callers fall back to popularity).
    """
    positives = np.atleast_2d(np.asarray(positives, dtype=np.float32))
    dim = positives.shape[1]
    total = np.zeros(dim, dtype=np.float32)
    if len(positives):
        total += _weighted_mean(positives, positive_weights)
    if negatives is not None and len(negatives):
        negatives = np.atleast_2d(np.asarray(negatives, dtype=np.float32))
        total -= negative_scale * _weighted_mean(negatives, negative_weights)
    return _normalise(total)


def _weighted_mean(vectors: np.ndarray, weights: Sequence[float] | np.ndarray | None) -> np.ndarray:
    w = np.ones(len(vectors), dtype=np.float32) if weights is None else np.asarray(weights, dtype=np.float32)
    if w.shape != (len(vectors),):
        raise ValueError(f"expected {len(vectors)} weights, got {w.shape}")
    s = float(np.abs(w).sum())
    return (w[:, None] * vectors).sum(0) / s if s > 0 else np.zeros(vectors.shape[1], dtype=np.float32)


def mmr(
    query: np.ndarray | None,
    candidates: np.ndarray,
    k: int,
    *,
    lambda_: float = 0.7,
    relevance: np.ndarray | None = None,
) -> list[int]:
    """Maximal marginal relevance: indices into ``candidates`` (k of them, in pick order).

    Each pick maximises ``lambda_·relevance − (1 − lambda_)·max similarity to the picks so far``. Relevance is
    ``candidates @ query`` unless given (e.g. blended feed scores); candidates are unit vectors.
    """
    if not 0.0 <= lambda_ <= 1.0:
        raise ValueError("lambda_ must be within [0, 1]")
    n = len(candidates)
    if relevance is None:
        if query is None:
            raise ValueError("mmr needs a query or relevance scores")
        relevance = candidates @ np.asarray(query, dtype=np.float32)
    relevance = np.asarray(relevance, dtype=np.float32)
    k = min(k, n)
    picked: list[int] = []
    max_sim = np.full(n, -np.inf, dtype=np.float32)
    available = np.ones(n, dtype=bool)
    for _ in range(k):
        penalty = np.where(np.isfinite(max_sim), max_sim, 0.0)
        score = lambda_ * relevance - (1.0 - lambda_) * penalty
        score[~available] = -np.inf
        best = int(np.argmax(score))
        picked.append(best)
        available[best] = False
        max_sim = np.maximum(max_sim, candidates @ candidates[best])
    return picked
