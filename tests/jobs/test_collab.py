"""The serving side of the nightly model: candidates for one user."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from wtw.service.recommend.collab import CollabModel, user_weights
from wtw.service.recommend.signals import Interaction, Preferences, UserSignals


def test_candidates_score_the_full_product_and_hide_seen_titles(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    items = [f"tt{i:07d}" for i in range(50)]
    weights = rng.standard_normal((50, 50)).astype(np.float32)
    np.fill_diagonal(weights, 0.0)
    CollabModel(items, weights).save(tmp_path)
    model = CollabModel.load(tmp_path)  # memory-mapped, as the service loads it
    at = datetime(2026, 1, 1, tzinfo=UTC)
    signals = UserSignals(
        user_id=1,
        interactions=[
            Interaction(items[3], "rating", at, 9.0),
            Interaction(items[7], "like", at),
            Interaction(items[11], "watched", at),
            Interaction(items[20], "rating", at, 2.0),
            Interaction("tt9999999", "rating", at, 10.0),  # not in the model
        ],
        preferences=Preferences(),
    )
    found = model.candidates(signals, 10, now=at)
    x = np.zeros(50, dtype=np.float32)
    for tconst, w in user_weights(signals).items():
        if tconst in items:
            x[items.index(tconst)] = w
    full = x @ weights
    full[[3, 7, 11, 20]] = -np.inf
    order = [i for i in np.argsort(-full, kind="stable") if full[i] > 0][:10]
    assert [t for t, _ in found] == [items[i] for i in order]
    np.testing.assert_allclose([s for _, s in found], full[order] / full[order[0]], rtol=1e-5)
