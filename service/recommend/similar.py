"""Titles similar to one title: its vector, the caller's negatives pushed away, MMR for variety."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from wtw.service.recommend import reasons as R
from wtw.service.recommend.context import Context
from wtw.service.recommend.profile import title_weights
from wtw.service.recommend.signals import UserSignals
from wtw.service.recommend.space import mmr, top_rows
from wtw.service.recommend.titles import Constraints

PRIOR_WEIGHT = 0.1
NEGATIVE_PENALTY = 0.3
MMR_LAMBDA = 0.85


def negatives(ctx: Context, signals: UserSignals | None, now: datetime) -> tuple[set[int], np.ndarray]:
    """Rows the caller dismissed or disliked (never shown) and their vectors."""
    if signals is None:
        return set(), np.empty((0, ctx.space.dim), dtype=np.float32)
    weights = title_weights(signals, now)
    rows = {ctx.table.row_of[t] for t, w in weights.items() if w < 0 and t in ctx.table.row_of}
    rows |= {
        ctx.table.row_of[t] for t in signals.seen(now) if t in ctx.table.row_of and weights.get(t, 0) < 0
    }
    return rows, ctx.space.matrix[sorted(rows)]


def similar(
    ctx: Context,
    row: int,
    *,
    limit: int,
    constraints: Constraints,
    signals: UserSignals | None,
    now: datetime,
) -> R.Ranked:
    allowed = ctx.table.mask(constraints)
    hidden, neg_vecs = negatives(ctx, signals, now)
    pool, cosine = _pool(ctx, row, allowed, hidden, max(4 * limit, 50))
    rel = cosine + PRIOR_WEIGHT * ctx.prior01[pool]
    if len(neg_vecs) and len(pool):
        rel = rel - NEGATIVE_PENALTY * np.maximum(0.0, (ctx.space.matrix[pool] @ neg_vecs.T).max(axis=1))
    picked = mmr(pool, rel, ctx.space.matrix, limit, lam=MMR_LAMBDA)
    cos_of = dict(zip(pool.tolist(), cosine.tolist(), strict=True))
    return [(r, cos_of[r], R.similar(ctx, r, row, cos_of[r])) for r in picked]


def _pool(
    ctx: Context, row: int, allowed: np.ndarray, hidden: set[int], size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate rows and their cosines: the precomputed neighbours when enough pass, else a full scan."""
    near = ctx.neighbours.of(row)
    if near is not None:
        rows, sims = near
        keep = allowed[rows] & np.isfinite(sims)
        if hidden:
            keep &= ~np.isin(rows, list(hidden))
        if keep.sum() >= min(size, len(rows)) // 2 and keep.sum() >= 10:
            return rows[keep].astype(np.int64), sims[keep]
    ok = allowed.copy()
    ok[row] = False
    if hidden:
        ok[list(hidden)] = False
    cosine = ctx.space.scores(ctx.space.matrix[row], ok)
    pool = top_rows(cosine + PRIOR_WEIGHT * ctx.prior01, size, ok)
    return pool, cosine[pool]
