"""The gate's scorers on sparse interaction rows."""

from __future__ import annotations

import numpy as np

from wtw.jobs.gate import ease_scores
from wtw.jobs.interactions import Interactions
from wtw.jobs.train import EaseParams, fit_ease, user_item_matrix
from wtw.service.recommend.collab import CollabModel


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


def _interactions(rows: list[tuple[int, int, float, int]], n_titles: int) -> Interactions:
    users, items, weights, times = (np.array(column) for column in zip(*rows, strict=True))
    return Interactions(
        users=users.astype(np.int64),
        items=items.astype(np.int32),
        weights=weights.astype(np.float32),
        times=times.astype(np.int64),
        titles=[f"tt{i:07d}" for i in range(n_titles)],
    )


def test_forward_holdout_trains_up_to_the_cutoff_and_judges_the_likes_after_it() -> None:
    from dataclasses import replace

    from wtw.jobs.gate import forward_holdout, held_out_likes

    data = _interactions(
        [
            (1, 0, 1.0, 10), (1, 1, 1.0, 20), (1, 2, 1.0, 31), (1, 3, 0.5, 32),  # a weak signal is not a like
            (2, 0, 1.0, 15), (2, 4, 1.0, 30),  # at the cutoff: the champion saw it
            (3, 1, 1.0, 40),  # no history before the cutoff: nothing to rank from
        ],
        n_titles=5,
    )  # fmt: skip
    split = forward_holdout(data, cutoff=30)
    assert split.train.times.max() == 30 and len(split.train) == 4
    assert split.users.tolist() == [1] and split.relevant == [{2}]
    assert held_out_likes(split) == 1

    first = data.times.copy()
    first[2] = 12  # user 1 liked title 2 before the cutoff and rated it after: the model saw the pair
    split = forward_holdout(replace(data, first_times=first), cutoff=30)
    assert len(split.train) == 5 and split.users.size == 0


def test_ease_scores_drop_a_published_models_titles_that_left_the_data() -> None:
    data = _interactions([(1, 0, 1.0, 0), (1, 1, 1.0, 0), (2, 1, 1.0, 0)], n_titles=2)
    weights = np.array([[0, 2, 5], [3, 0, 7], [1, 1, 0]], dtype=np.float32)
    model = CollabModel(["tt0000001", "tt9999999", "tt0000000"], weights)  # tt9999999: no interaction left
    matrix, _ = user_item_matrix(data)
    scores = ease_scores(model, data.titles)(matrix)
    # title 0 scores 5 from a history with title 1 (B[tt1, tt0]); tt9999999's row and column play no part
    np.testing.assert_allclose(scores, [[5.0, 1.0], [5.0, 0.0]])
