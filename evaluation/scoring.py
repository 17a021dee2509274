"""The scorer contract shared by every evaluated recommender, and the ranker the evaluation loop calls.

A scorer is a small component: a pydantic config, ``train(ratings)``, ``is_trained()`` and
``__call__(history, candidates) -> scores`` (one float per candidate, higher is better). A ranker turns any
scorer, or a service call that ranks by itself, into ``rank(history, candidates, k) -> tconsts``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
import polars as pl
from pydantic import BaseModel


@dataclass(frozen=True)
class UserHistory:
    """What a recommender may know about one user at query time: their training ratings, oldest first."""

    user: int
    items: tuple[str, ...]
    ratings: tuple[float, ...]
    timestamps: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.items)


Ranker = Callable[[UserHistory, Sequence[str], int], list[str]]
"""rank(history, candidates, k) -> at most k candidate ids, best first, never an item of the history."""


def histories(train: pl.DataFrame) -> dict[int, UserHistory]:
    """Every user's training history, ordered by time."""
    out: dict[int, UserHistory] = {}
    grouped = (
        train.sort(["user", "timestamp", "item"])
        .group_by("user", maintain_order=True)
        .agg("item", "rating", "timestamp")
    )
    for user, items, ratings, stamps in grouped.iter_rows():
        out[user] = UserHistory(user, tuple(items), tuple(ratings), tuple(stamps))
    return out


class Scorer(ABC):
    """Base of the baselines: an item vocabulary learned in ``train`` and cached candidate positions."""

    config: BaseModel

    def __init__(self) -> None:
        self._items: dict[str, int] | None = None
        self._cand_key: tuple[int, int] | None = None
        self._cand_pos: np.ndarray = np.empty(0, dtype=np.int64)

    @abstractmethod
    def train(self, ratings: pl.DataFrame) -> Self:
        """Fit on a ratings frame (user, item, rating, timestamp)."""

    def is_trained(self) -> bool:
        return self._items is not None

    @abstractmethod
    def __call__(self, history: UserHistory, candidates: Sequence[str]) -> np.ndarray:
        """Scores of ``candidates`` for a user with this history."""

    def _require_trained(self) -> dict[str, int]:
        if self._items is None:
            raise RuntimeError(f"{type(self).__name__} is not trained")
        return self._items

    def _positions(self, candidates: Sequence[str]) -> np.ndarray:
        """Vocabulary row of each candidate (-1 when unseen in training); cached for the same list object."""
        items = self._require_trained()
        key = (id(candidates), len(candidates))
        if key != self._cand_key:
            self._cand_pos = np.fromiter((items.get(c, -1) for c in candidates), np.int64, len(candidates))
            self._cand_key = key
        return self._cand_pos

    def _history_vector(self, history: UserHistory) -> np.ndarray:
        """Binary vector over the vocabulary of the items in the history."""
        items = self._require_trained()
        x = np.zeros(len(items), dtype=np.float32)
        rows = [items[i] for i in history.items if i in items]
        x[rows] = 1.0
        return x


def ranker(scorer: Callable[[UserHistory, Sequence[str]], np.ndarray]) -> Ranker:
    """Top-k by score, excluding the user's history; ties broken by candidate order (stable)."""
    cache: dict[tuple[int, int], dict[str, int]] = {}

    def rank(history: UserHistory, candidates: Sequence[str], k: int) -> list[str]:
        key = (id(candidates), len(candidates))
        if key not in cache:
            cache.clear()
            cache[key] = {c: i for i, c in enumerate(candidates)}
        pos = cache[key]
        scores = np.asarray(scorer(history, candidates), dtype=np.float64).copy()
        if scores.shape != (len(candidates),):
            raise ValueError(f"scorer returned shape {scores.shape}, expected ({len(candidates)},)")
        seen = [pos[i] for i in history.items if i in pos]
        scores[seen] = -np.inf
        k = min(k, len(candidates) - len(seen))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]
        return [candidates[i] for i in top if np.isfinite(scores[i])]

    return rank
