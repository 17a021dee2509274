"""Content-only alternatives tried on validation and not shipped: multi-interest kNN and hubness correction.

They are built from the service's content pieces (`service.recommend.content`) and only ever scored on the
validation split, so that the report shows why the service's scorer is a centroid and carries no hubness term:

- multi-interest kNN: score(i) = the evidence-weighted mean of i's top-m centred cosines to the user's
  positive titles (item-kNN in embedding space) instead of the cosine to one centroid;
- CSLS-style hubness correction (Lample et al., "Word translation without parallel data", ICLR 2018):
  score(i) − β · r_k(i), r_k(i) = mean centred cosine of i to its k nearest catalog titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from wtw.evaluation.baselines import UNSEEN_SCORE
from wtw.evaluation.engine import ContentOnlyScorer, history_now, signals_from_history
from wtw.evaluation.scoring import UserHistory

HUB_BLOCK = 1024


def hub_scores(space: Any, k: int = 10) -> np.ndarray:
    """r_k per catalog row: mean centred cosine to its k nearest other titles (exact, blockwise)."""
    present = space.space.present
    x = space.centred(space.space.matrix)
    x[~present] = 0.0
    n = x.shape[0]
    k = max(1, min(k, n - 1))
    out = np.zeros(n, dtype=np.float32)
    for start in range(0, n, HUB_BLOCK):
        sims = x[start : start + HUB_BLOCK] @ x.T
        sims[np.arange(sims.shape[0]), np.arange(start, start + sims.shape[0])] = -np.inf
        sims[:, ~present] = -np.inf
        out[start : start + HUB_BLOCK] = np.partition(-sims, k - 1, axis=1)[:, :k].mean(axis=1) * -1.0
    return out


class KNNContentScorer:
    """Multi-interest content scorer: top-m centred cosines to the positive titles, plus the era term."""

    def __init__(self, base: ContentOnlyScorer, m: int) -> None:
        self.base = base
        self.m = m

    def __call__(self, history: UserHistory, candidates: Sequence[str]) -> np.ndarray:
        from wtw.service.recommend.content import era_affinity
        from wtw.service.recommend.profile import evidence_weights

        cs, params = self.base.space, self.base.params
        table = self.base.rec.ctx.table
        rows = np.array([table.row_of.get(c, -1) for c in candidates], dtype=np.int64)
        known = (rows >= 0) & cs.space.present[np.maximum(rows, 0)]
        titles = evidence_weights(signals_from_history(history), history_now(history))
        pairs = [
            (table.row_of[t], w)
            for t, w in titles.items()
            if w > 0 and t in table.row_of and cs.space.present[table.row_of[t]]
        ]
        if not pairs:
            return np.where(known, 0.0, UNSEEN_SCORE)
        anchors = cs.centred(cs.space.matrix[[r for r, _ in pairs]])
        weights = np.array([w for _, w in pairs], dtype=np.float32)
        sims = anchors @ cs.centred(cs.space.matrix[np.maximum(rows, 0)]).T
        m = min(self.m, sims.shape[0])
        top = np.argpartition(-sims, m - 1, axis=0)[:m] if m < sims.shape[0] else None
        if top is None:
            top = np.broadcast_to(np.arange(sims.shape[0])[:, None], sims.shape)
        w = weights[top]
        scores = (np.take_along_axis(sims, top, axis=0) * w).sum(axis=0) / w.sum(axis=0)
        if params.era_weight:
            scores = scores + params.era_weight * era_affinity(cs, titles, np.maximum(rows, 0), params)
        return np.where(known, scores, UNSEEN_SCORE)


class HubCorrectedScorer:
    """The content scorer minus β times each candidate's hubness r_k (CSLS-style)."""

    def __init__(self, base: ContentOnlyScorer, hubs: np.ndarray, beta: float) -> None:
        self.base = base
        self.hubs = hubs
        self.beta = beta

    def __call__(self, history: UserHistory, candidates: Sequence[str]) -> np.ndarray:
        scores = self.base(history, candidates)
        table = self.base.rec.ctx.table
        rows = np.array([table.row_of.get(c, -1) for c in candidates], dtype=np.int64)
        hub = np.where(rows >= 0, self.hubs[np.maximum(rows, 0)], 0.0)
        return np.where(scores > UNSEEN_SCORE, scores - self.beta * hub, scores)
