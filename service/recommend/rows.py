"""Grouped feed rows: "Top picks for you", "Because you liked X", "More like X", "Popular now in <genre>"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from wtw.service.recommend import feed as F
from wtw.service.recommend import reasons as R
from wtw.service.recommend.context import Context
from wtw.service.recommend.signals import UserSignals
from wtw.service.recommend.space import mmr, top_rows
from wtw.service.recommend.titles import Constraints

MIN_ROW = 3
RECENCY_YEARS = 8.0


@dataclass
class Row:
    kind: str  # top_picks | because_you_liked | more_like | popular_in_genre
    title: str
    anchor: int | None
    genre: str | None
    items: R.Ranked


def _neighbours(ctx: Context, anchor: int, allowed: np.ndarray, k: int) -> R.Ranked:
    ok = allowed.copy()
    ok[anchor] = False
    cosine = ctx.space.scores(ctx.space.matrix[anchor], ok)
    relevance = cosine + 0.1 * ctx.prior01
    pool = top_rows(relevance, 4 * k, ok)
    picked = mmr(pool, relevance[pool], ctx.space.matrix, k, lam=0.85)
    return [(r, float(cosine[r]), R.similar(ctx, r, anchor, float(cosine[r]))) for r in picked]


def _popular_now(ctx: Context, genre: str, allowed: np.ndarray, k: int, year: int) -> R.Ranked:
    """ "Popular now": the quality prior of the genre's titles, discounted by years since release."""
    years = np.where(ctx.table.year_arr > 0, year - ctx.table.year_arr, 50).astype(np.float32)
    score = ctx.prior01 * np.exp(-np.maximum(years, 0.0) / RECENCY_YEARS)
    ok = allowed & ctx.table.genre_mask(frozenset({genre}))
    rows = top_rows(score, k, ok)
    out = []
    for r in rows:
        reasons = [R.Reason("popular_in_genre", f"Popular now in {genre}")]
        reasons += [p for p in [R.popularity(ctx, int(r))] if p]
        out.append((int(r), float(score[r]), reasons))
    return out


def rows(
    ctx: Context, signals: UserSignals, *, per_row: int, constraints: Constraints, now: datetime
) -> list[Row]:
    t = F.taste(ctx, signals, now)
    allowed = ctx.table.mask(constraints.merge(F.onboarding_constraints(signals))).copy()
    allowed[F.hidden_rows(ctx, signals, now)] = False
    out: list[Row] = []

    def take(items: R.Ranked) -> R.Ranked:
        kept = [it for it in items if allowed[it[0]]][:per_row]
        allowed[[it[0] for it in kept]] = False  # each title appears in one row only
        return kept

    top = take(F.feed(ctx, signals, limit=per_row, offset=0, constraints=constraints, now=now))
    if len(top) >= MIN_ROW:
        out.append(Row("top_picks", "Top picks for you", None, None, top))
    strong = [int(r) for r, w in zip(t.anchors.rows, t.anchors.weights, strict=True) if w >= 0.5][:2]
    for anchor in strong:
        items = take(_neighbours(ctx, anchor, allowed, per_row * 2))
        if len(items) >= MIN_ROW:
            out.append(
                Row("because_you_liked", f"Because you liked {ctx.table.title[anchor]}", anchor, None, items)
            )
    recent = sorted(
        (it for it in signals.interactions if it.kind in ("watchlist", "watched", "like", "rating")),
        key=lambda it: it.at,
        reverse=True,
    )
    used = set(strong)
    for it in recent:
        row = ctx.table.row_of.get(it.tconst)
        if row is None or row in used or t.weights.get(it.tconst, 0.0) <= 0:
            continue
        items = take(_neighbours(ctx, row, allowed, per_row * 2))
        if len(items) >= MIN_ROW:
            out.append(Row("more_like", f"More like {ctx.table.title[row]}", row, None, items))
        break
    genres = t.anchors.top_genres[:2] or _catalog_genres(ctx)[:2]
    for genre in genres:
        items = take(_popular_now(ctx, genre, allowed, per_row, now.year))
        if len(items) >= MIN_ROW:
            out.append(Row("popular_in_genre", f"Popular now in {genre}", None, genre, items))
    return out


def _catalog_genres(ctx: Context) -> list[str]:
    counts = ctx.table.genre_arr.sum(axis=0)
    return [ctx.table.genre_names[i] for i in np.argsort(-counts)]
