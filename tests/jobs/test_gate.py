"""The gate's scorers on sparse interaction rows."""

from __future__ import annotations

import numpy as np

from wtw.jobs.gate import ease_scores
from wtw.jobs.interactions import Interactions
from wtw.jobs.train import EaseParams, fit_ease, user_item_matrix


def test_ease_scores_sparse_rows_equal_the_dense_product() -> None:
    rng = np.random.default_rng(0)
    users, items = np.divmod(rng.choice(40 * 30, 400, replace=False), 30)
    data = Interactions(
        users=users.astype(np.int64),
        items=items.astype(np.int32),
        weights=rng.choice([0.3, 0.5, 1.0], users.size).astype(np.float32),
        times=np.zeros(users.size, dtype=np.int64),
        titles=[f"tt{i:07d}" for i in range(30)],
    )
    model = fit_ease(data, EaseParams(l2=10.0, min_interactions=12))
    assert 0 < len(model) < 30  # some titles are left out of the model
    matrix, _ = user_item_matrix(data)
    scores = ease_scores(model, data.titles)(matrix[:7])
    cols = [data.titles.index(t) for t in model.items]
    expected = np.full((7, 30), -np.inf, dtype=np.float32)
    expected[:, cols] = matrix[:7].toarray()[:, cols] @ model.weights
    np.testing.assert_allclose(scores, expected, rtol=1e-5, atol=1e-6)
