"""The scoring side of the nightly collaborative model (EASE over the titles with enough interactions).

The nightly job (``wtw.jobs``) trains an item-item weight matrix ``B`` and publishes it as a ``usermodel``
artifact; the feed asks :meth:`CollabModel.candidates` for any user. EASE needs no per-user factors: a user's
scores are their interaction vector times ``B``, so users who joined after the last run (or whose history
changed since) are folded in from their current interactions, exactly like the users the model was trained on.

Interaction weights live here so that training and serving read a user's history the same way.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from wtw.errors import ArtifactError
from wtw.service.recommend.signals import UserSignals

if TYPE_CHECKING:
    from wtw.store import LocalArtifact

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "ease_B.npy"
ITEMS_FILE = "items.json"
MODEL_KIND = "ease"

POSITIVE = 1.0
"""Weight from which an interaction counts as liked (relevant in the holdout)."""


def interaction_weight(kind: str, value: float | None) -> float:
    """How much one interaction says the user wants titles like this one (0 = no positive signal).

    Ratings of 7-10 and likes are full positives; 5-6 and watched/watchlist are weak ones; low ratings,
    dislikes and dismissals carry no co-occurrence signal (the feed handles them as negatives elsewhere).
    """
    if kind == "rating":
        if value is None:
            return 0.0
        return POSITIVE if value >= 7 else 0.3 if value >= 5 else 0.0
    if kind == "like":
        return POSITIVE
    if kind in ("watched", "watchlist"):
        return 0.5
    return 0.0


def user_weights(signals: UserSignals) -> dict[str, float]:
    """The strongest weight per title; a later rating replaces an earlier one of the same title."""
    ratings = signals.ratings()
    out: dict[str, float] = {}
    for it in signals.interactions:
        value = ratings.get(it.tconst) if it.kind == "rating" else it.value
        weight = interaction_weight(it.kind, value)
        if weight > out.get(it.tconst, 0.0):
            out[it.tconst] = weight
    return out


class CollabModel:
    """Item-item EASE model: ``scores = x_user @ B`` over the model's items."""

    def __init__(self, items: list[str], weights: np.ndarray, *, version: str | None = None) -> None:
        if weights.shape != (len(items), len(items)):
            raise ArtifactError(f"EASE matrix {weights.shape} does not match {len(items)} items")
        self.items = items
        self.weights = weights
        self.version = version
        self._row = {t: i for i, t in enumerate(items)}

    def __len__(self) -> int:
        return len(self.items)

    def user_vector(self, signals: UserSignals) -> np.ndarray:
        """The user's interaction vector over the model's items (titles outside the model are ignored)."""
        x = np.zeros(len(self.items), dtype=np.float32)
        for tconst, weight in user_weights(signals).items():
            row = self._row.get(tconst)
            if row is not None:
                x[row] = weight
        return x

    def candidates(
        self, signals: UserSignals, k: int, *, now: datetime | None = None
    ) -> list[tuple[str, float]]:
        """Up to ``k`` (tconst, score) pairs, best first, never a title the user has seen or dismissed.

        Scores are relative to the best candidate (the first is 1.0), so the feed can blend them with other
        signals on one scale. A user with no usable interaction gets an empty list (cold start is the feed's
        popularity prior, not this model).
        """
        if k <= 0:
            return []
        x = self.user_vector(signals)
        rows = np.flatnonzero(x)
        if rows.size == 0:
            return []
        scores = x[rows] @ self.weights[rows]  # only the user's rows of B: reads |history| x n, not n x n
        hidden = signals.seen(now or datetime.now(UTC)) | set(signals.preferences.muted_titles)
        hidden.update(t for t, w in user_weights(signals).items() if w > 0)
        for tconst in hidden:
            row = self._row.get(tconst)
            if row is not None:
                scores[row] = -np.inf
        top_n = min(k, len(scores))
        top = np.argpartition(-scores, top_n - 1)[:top_n]
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[np.isfinite(scores[top]) & (scores[top] > 0)]
        if top.size == 0:
            return []
        best = float(scores[top[0]])
        return [(self.items[i], float(scores[i]) / best) for i in top]

    def save(self, directory: Path) -> dict[str, Path]:
        """Write the model's files; returns ``{name: path}`` for the artifact store."""
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / WEIGHTS_FILE, self.weights.astype(np.float32, copy=False))
        (directory / ITEMS_FILE).write_text(json.dumps(self.items))
        return {WEIGHTS_FILE: directory / WEIGHTS_FILE, ITEMS_FILE: directory / ITEMS_FILE}

    @classmethod
    def load(cls, directory: Path, *, version: str | None = None) -> CollabModel:
        try:
            items = json.loads((directory / ITEMS_FILE).read_text())
            weights = np.load(directory / WEIGHTS_FILE, mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise ArtifactError(f"usermodel files in {directory} cannot be read: {exc}") from exc
        return cls(items, weights, version=version)


def load_collab(artifact: LocalArtifact) -> CollabModel:
    """The collaborative model of a fetched ``usermodel`` artifact (ArtifactError when it is not one)."""
    manifest: dict[str, Any] = artifact.manifest
    if manifest.get("model") != MODEL_KIND:
        raise ArtifactError(
            f"usermodel {artifact.version} is a {manifest.get('model')!r} model, not {MODEL_KIND!r}"
        )
    model = CollabModel.load(artifact.path, version=artifact.version)
    logger.info("collaborative model %s: %d titles", artifact.version, len(model))
    return model
