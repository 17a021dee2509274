"""The personal feed: content, collaborative and popularity candidates, one blend, MMR, never what was seen.

The blend (docs/recommendation.md) works on standardised scores, so that it does not depend on the embedding
model's cosine scale:

    score(i) = w_c · z_content(i)  +  w_k · 3 · collab(i)  +  w_p · z_prior(i)  +  genre(i)
    z_content = (cos(u, v_i) − mean) / std over the catalog;  z_prior likewise for the popularity prior
    w_p = 0.15 + 0.6 / (1 + n / 3)      n = number of positive evidence items (ratings ≥ 6, likes, seeds, ...)
    w_c = 1 − w_p (0 without a preference vector, and then w_p = 1)
    w_k = 2 when the collaborative model returns candidates for the user, else 0 (tuned on a validation
          split of ml-latest-small: NDCG@20 0.084 at 0.35, 0.144 at 1, 0.163 at 2, 0.162 at 4;
          docs/evaluation.md)
    genre(i) = 0.5 · Σ boosts of liked/boosted genres of i  − 0.75 if i has a disliked genre

collab(i) is the model's score relative to its best candidate (1.0 for the first, about three standard
deviations). The item's *source* (used by its reasons) is the term contributing most. The top 300 by score are
diversified with MMR (λ = 0.8, relevance rescaled to [0, 1] within the pool) and paged by offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from wtw.service.recommend import reasons as R
from wtw.service.recommend.context import Context
from wtw.service.recommend.profile import combine, evidence, positive_evidence, title_weights
from wtw.service.recommend.signals import UserSignals
from wtw.service.recommend.space import mmr, top_rows
from wtw.service.recommend.titles import Constraints

POOL = 300
MMR_LAMBDA = 0.8
COLLAB_WEIGHT = 2.0
COLLAB_CANDIDATES = 500
LIKED_GENRE, DISLIKED_GENRE = 0.5, -0.75
COLLAB_SCALE = 3.0


@dataclass
class Taste:
    """A user's taste as the feed uses it."""

    vector: np.ndarray | None
    anchors: R.Anchors
    positives: int
    weights: dict[str, float]


def taste(ctx: Context, signals: UserSignals, now: datetime, vector: np.ndarray | None = None) -> Taste:
    """The user's taste; ``vector``: their stored preference vector, still fresh (else it is computed)."""
    titles = title_weights(signals, now)
    weights = dict(titles)
    prefs = signals.preferences
    for tconst in prefs.liked_titles:
        weights.setdefault(tconst, 1.0)
    positive = sorted(((w, t) for t, w in weights.items() if w > 0 and t in ctx.table.row_of), reverse=True)
    rows = np.array([ctx.table.row_of[t] for _, t in positive], dtype=np.int64)
    ratings = {ctx.table.row_of[t]: v for t, v in signals.ratings().items() if t in ctx.table.row_of}
    liked = {ctx.table.row_of[t] for t in prefs.liked_titles if t in ctx.table.row_of}
    liked |= {
        ctx.table.row_of[it.tconst]
        for it in signals.interactions
        if it.kind == "like" and it.tconst in ctx.table.row_of
    }
    genre_weight: dict[str, float] = {}
    for w, t in positive:
        for g in ctx.table.genres[ctx.table.row_of[t]]:
            genre_weight[g] = genre_weight.get(g, 0.0) + w
    for g in prefs.liked_genres:
        genre_weight[g] = genre_weight.get(g, 0.0) + 1.0
    for g, b in prefs.boosted_genres.items():
        genre_weight[g] = genre_weight.get(g, 0.0) + b
    top_genres = [g for g, w in sorted(genre_weight.items(), key=lambda x: -x[1]) if w > 0]
    weights_arr = np.array([w for w, _ in positive], dtype=np.float32)
    anchors = R.Anchors(rows, weights_arr, ratings, liked, top_genres, frozenset(prefs.liked_people))
    if vector is not None:
        positives = positive_evidence(signals, ctx.space, now, seeds=ctx.seeds, titles=titles)
        return Taste(vector, anchors, positives, weights)
    vectors, evidence_weights = evidence(signals, ctx.space, now, seeds=ctx.seeds, titles=titles)
    return Taste(combine(vectors, evidence_weights), anchors, int((evidence_weights > 0).sum()), weights)


def onboarding_constraints(signals: UserSignals) -> Constraints:
    p = signals.preferences
    return Constraints(
        types=frozenset(p.title_types) or None,
        year_from=p.year_from,
        year_to=p.year_to,
        runtime_max=p.max_runtime,
    )


def hidden_rows(ctx: Context, signals: UserSignals, now: datetime) -> list[int]:
    """Never in the feed: rated, watched, disliked, dismissed, liked, watchlisted, onboarding-liked titles."""
    hidden = signals.seen(now)
    hidden.update(it.tconst for it in signals.interactions if it.kind in ("like", "watchlist"))
    hidden.update(signals.preferences.liked_titles)
    return ctx.table.rows(hidden)


def genre_adjustment(ctx: Context, signals: UserSignals) -> np.ndarray | float:
    p = signals.preferences
    adj: np.ndarray | float = 0.0
    boosts = {g: 1.0 for g in p.liked_genres} | dict(p.boosted_genres)
    for g, b in boosts.items():
        col = ctx.table.genre_bit.get(g)
        if col is not None:
            adj = adj + LIKED_GENRE * b * ctx.table.genre_arr[:, col]
    if p.disliked_genres:
        adj = adj + DISLIKED_GENRE * ctx.table.genre_mask(frozenset(p.disliked_genres))
    return adj


def _z(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    return np.where(np.isfinite(x), (x - mean) / std, -10.0).astype(np.float32)


@dataclass
class Blend:
    """The blended score of every row and the terms it came from (for each item's source)."""

    score: np.ndarray
    content: np.ndarray | None
    """w_c · z_content per row; None without a preference vector."""
    collab: dict[int, float]
    """w_k · 3 · collab for the rows the collaborative model returned."""
    prior: np.ndarray
    w_p: float
    rows: np.ndarray | None = None
    """The rows an ANN shortlist scored (the only ones worth ranking); None when every row was scored."""

    def source(self, row: int) -> str:
        """The term contributing most to ``row`` among those with evidence for it (ties: the first)."""
        terms = [
            (self.content[row] if self.content is not None else -np.inf, "content"),
            (self.collab.get(row, -np.inf), "collab"),
            (self.w_p * self.prior[row], "popularity"),
        ]
        best = max(value for value, _ in terms)
        return next(name for value, name in terms if value == best)


def _popular(ctx: Context, allowed: np.ndarray | None, k: int) -> np.ndarray:
    """The k most popular rows among ``allowed`` (looking at the top of the popularity order first)."""
    order = ctx.by_prior
    if allowed is None:
        return order[:k]
    head = order[: 20 * k]
    found = head[allowed[head]]
    return found[:k] if len(found) >= k else order[allowed[order]][:k]


def blended(
    ctx: Context, signals: UserSignals, t: Taste, now: datetime, allowed: np.ndarray | None = None
) -> Blend:
    """The blend of docs/recommendation.md for every row.

    Through an ANN index (big catalogs) the content term is exact for the user's ANN shortlist among
    ``allowed``, the collaborative candidates and the POOL most popular allowed titles, -10 elsewhere.
    A source can only be credited where it has evidence: no content term without a preference vector, no
    collaborative term for titles the model did not return (their 0 would otherwise beat negative terms).
    """
    w_p = 0.15 + 0.6 / (1.0 + t.positives / 3.0) if t.vector is not None else 1.0
    w_c = 1.0 - w_p if t.vector is not None else 0.0
    collab: dict[int, float] = {}
    if ctx.collab is not None:
        for c, s in ctx.collab.candidates(signals, COLLAB_CANDIDATES, now=now):
            if (row := ctx.table.row_of.get(c)) is not None:
                collab[row] = COLLAB_WEIGHT * COLLAB_SCALE * float(s)
    score = w_p * ctx.prior_z + genre_adjustment(ctx, signals)
    content, scored = None, None
    if t.vector is not None:
        also = None
        if ctx.space.ann is not None:
            also = np.concatenate([_popular(ctx, allowed, POOL), np.fromiter(collab, np.int64, len(collab))])
        cosine = ctx.space.scores(t.vector, allowed, also=also)
        content = w_c * _z(cosine, *ctx.space.moments(t.vector, cosine))
        score += content
        if also is not None:
            scored = np.flatnonzero(np.isfinite(cosine))
    if collab:
        rows = np.fromiter(collab, np.int64, len(collab))
        score[rows] += np.fromiter(collab.values(), np.float32, len(collab))
    return Blend(score.astype(np.float32, copy=False), content, collab, ctx.prior_z, w_p, scored)


def relevance01(score: np.ndarray) -> np.ndarray:
    """Scores of a candidate pool rescaled to [0, 1] for MMR."""
    if score.size == 0:
        return score
    lo, hi = float(score.min()), float(score.max())
    return (score - lo) / (hi - lo) if hi > lo else np.ones_like(score)


def feed(
    ctx: Context,
    signals: UserSignals,
    *,
    limit: int,
    offset: int,
    constraints: Constraints,
    now: datetime,
    vector: np.ndarray | None = None,
) -> R.Ranked:
    t = taste(ctx, signals, now, vector)
    allowed = ctx.table.mask(constraints.merge(onboarding_constraints(signals))).copy()
    allowed[hidden_rows(ctx, signals, now)] = False
    blend = blended(ctx, signals, t, now, allowed)
    score, size = blend.score, max(POOL, 2 * (offset + limit))
    if blend.rows is None:
        pool = top_rows(score, size, allowed)
    else:  # the rows outside the shortlist carry the content floor (-10): ranking them is wasted work
        pool = blend.rows[top_rows(score[blend.rows], size, allowed[blend.rows])]
    picked = mmr(pool, relevance01(score[pool]), ctx.space.matrix, offset + limit, lam=MMR_LAMBDA)[offset:]
    return [(r, float(score[r]), R.personal(ctx, r, t.anchors, blend.source(r))) for r in picked]
