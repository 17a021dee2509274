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
    weights = title_weights(signals, now)
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
        return Taste(vector, anchors, positive_evidence(signals, ctx.space, now, seeds=ctx.seeds), weights)
    vectors, evidence_weights = evidence(signals, ctx.space, now, seeds=ctx.seeds)
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


def blended(
    ctx: Context, signals: UserSignals, t: Taste, now: datetime, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(score per row, source per row: 0 content, 1 collab, 2 popularity).

    Through an ANN index (big catalogs) the content term is exact for the user's ANN shortlist among
    ``allowed``, the collaborative candidates and the POOL most popular allowed titles, -10 elsewhere.
    """
    w_p = 0.15 + 0.6 / (1.0 + t.positives / 3.0) if t.vector is not None else 1.0
    w_c = 1.0 - w_p if t.vector is not None else 0.0
    parts = np.zeros((3, ctx.table.n), dtype=np.float32)
    # A source can only be credited where it has evidence: no content term without a preference vector,
    # no collaborative term for titles the model did not return (their 0 would otherwise beat negative terms).
    evidence = np.zeros((3, ctx.table.n), dtype=bool)
    evidence[2] = True
    collab_rows: list[int] = []
    if ctx.collab is not None:
        found = ctx.collab.candidates(signals, COLLAB_CANDIDATES, now=now)
        pairs = [(ctx.table.row_of[c], s) for c, s in found if c in ctx.table.row_of]
        if pairs:
            rows, scores = zip(*pairs, strict=True)
            collab_rows = list(rows)
            parts[1][collab_rows] = COLLAB_WEIGHT * COLLAB_SCALE * np.asarray(scores, dtype=np.float32)
            evidence[1][collab_rows] = True
    if t.vector is not None:
        also = None
        if ctx.space.ann is not None:
            popular = ctx.by_prior if allowed is None else ctx.by_prior[allowed[ctx.by_prior]]
            also = np.concatenate([popular[:POOL], np.asarray(collab_rows, dtype=np.int64)])
        content = ctx.space.scores(t.vector, allowed, also=also)
        parts[0] = w_c * _z(content, *ctx.space.moments(t.vector, content))
        evidence[0] = True
    parts[2] = w_p * ctx.prior_z
    score = parts.sum(axis=0) + genre_adjustment(ctx, signals)
    return score, np.where(evidence, parts, -np.inf).argmax(axis=0)


def relevance01(score: np.ndarray) -> np.ndarray:
    """Scores of a candidate pool rescaled to [0, 1] for MMR."""
    if score.size == 0:
        return score
    lo, hi = float(score.min()), float(score.max())
    return (score - lo) / (hi - lo) if hi > lo else np.ones_like(score)


SOURCES = ("content", "collab", "popularity")


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
    score, source = blended(ctx, signals, t, now, allowed)
    pool = top_rows(score, max(POOL, 2 * (offset + limit)), allowed)
    picked = mmr(pool, relevance01(score[pool]), ctx.space.matrix, offset + limit, lam=MMR_LAMBDA)[offset:]
    return [(r, float(score[r]), R.personal(ctx, r, t.anchors, SOURCES[source[r]])) for r in picked]
