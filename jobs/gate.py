"""The quality gate's holdouts, scorers, metrics and decision.

Two holdouts of the database's own interactions (which one a run uses is `jobs.champion`'s choice):

* forward: every (user, title) pair that first appeared after a cutoff (the published model's training
  cutoff) is held out; the rest trains. Models that saw only the data up to the cutoff are judged on what came
  after it.
* temporal: each user with at least ``min_history`` positive-weight interactions keeps their oldest
  ``1 - holdout`` share for training; the rest (their latest) is held out.

Either way the titles an evaluated user liked in the held-out part (weight ≥ POSITIVE) are the relevant ones,
and models rank every title they know, minus the user's training titles.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import polars as pl
import scipy.sparse as sp

from wtw.evaluation.metrics import catalog_coverage, intra_list_diversity, ndcg_at_k, novelty, recall_at_k
from wtw.jobs.interactions import Interactions
from wtw.jobs.train import user_item_matrix
from wtw.service.recommend.collab import POSITIVE, CollabModel

K = 20
BLOCK_USERS = 2048
GATED = ("recall@20", "ndcg@20")


@dataclass
class Holdout:
    train: Interactions
    users: np.ndarray  # evaluated user ids, sorted
    relevant: list[set[int]]  # title codes liked in the held-out part, per evaluated user


@dataclass
class Metrics:
    users: int
    recall: float
    ndcg: float
    coverage: float
    novelty: float
    diversity: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        out = asdict(self)
        out["recall@20"], out["ndcg@20"] = out.pop("recall"), out.pop("ndcg")
        return out


def temporal_holdout(data: Interactions, *, holdout: float = 0.2, min_history: int = 5) -> Holdout:
    """Hold out each user's latest interactions (rows are sorted by user, time, title)."""
    frame = pl.DataFrame({"u": data.users}).with_columns(
        pl.int_range(pl.len()).over("u").alias("rank"), pl.len().over("u").alias("n")
    )
    test = (pl.col("n") >= min_history) & (pl.col("rank") >= pl.col("n") - (pl.col("n") * holdout).ceil())
    return _split(data, frame.select(test.alias("test"))["test"].to_numpy())


def forward_holdout(data: Interactions, *, cutoff: int) -> Holdout:
    """Hold out the (user, title) pairs first seen after ``cutoff`` (epoch seconds).

    A pair that existed at the cutoff and was touched again later (a like, then a rating) stays in training:
    the model trained up to the cutoff saw it. Users with no pair before the cutoff are left out.
    """
    first = data.times if data.first_times is None else data.first_times
    return _split(data, first > cutoff)


def held_out_likes(holdout: Holdout) -> int:
    """Relevant (user, title) pairs of the evaluated users: what the holdout can judge a model on."""
    return sum(len(titles) for titles in holdout.relevant)


def _split(data: Interactions, test_mask: np.ndarray) -> Holdout:
    train = data.subset(~test_mask)
    liked = (
        pl.DataFrame({"u": data.users, "i": data.items, "w": data.weights, "test": test_mask})
        .filter(pl.col("test") & (pl.col("w") >= POSITIVE))
        .group_by("u")
        .agg(pl.col("i"))
        .sort("u")
    )
    trained_users = set(np.unique(train.users).tolist())
    keep = [u in trained_users for u in liked["u"].to_list()]
    liked = liked.filter(pl.Series(keep, dtype=pl.Boolean)) if liked.height else liked
    return Holdout(
        train=train,
        users=liked["u"].to_numpy().astype(np.int64),
        relevant=[set(items) for items in liked["i"].to_list()],
    )


Scores = Callable[[sp.csr_matrix], np.ndarray]
"""Rows of the users x title-codes interaction matrix (sparse) → dense scores over title codes."""


def ease_scores(model: CollabModel, titles: list[str]) -> Scores:
    """EASE scores over ``titles``; the model's titles missing from them (a published model's) are dropped."""
    codes = {t: i for i, t in enumerate(titles)}
    known = [j for j, t in enumerate(model.items) if t in codes]
    cols = np.array([codes[model.items[j]] for j in known], dtype=np.int64)
    weights = model.weights if len(known) == len(model.items) else model.weights[np.ix_(known, known)]

    def score(x: sp.csr_matrix) -> np.ndarray:
        out = np.full((x.shape[0], len(titles)), -np.inf, dtype=np.float32)
        out[:, cols] = x[:, cols] @ weights  # sparse x: cost ∝ interactions, not users x titles
        return out

    return score


def popularity_scores(counts: np.ndarray) -> Scores:
    return lambda x: np.broadcast_to(counts.astype(np.float32), (x.shape[0], counts.size)).copy()


def evaluate(
    score: Scores, holdout: Holdout, *, item_vectors: dict[str, np.ndarray] | None = None
) -> Metrics:
    """Recall/NDCG@20, catalog coverage, novelty and intra-list diversity of one scorer on the holdout."""
    train = holdout.train
    matrix, rows_users = user_item_matrix(train)
    rows = np.searchsorted(rows_users, holdout.users)
    ranked: list[list[int]] = []
    for start in range(0, len(rows), BLOCK_USERS):
        x = matrix[rows[start : start + BLOCK_USERS]]
        scores = score(x)
        seen = x.nonzero()
        scores[seen] = -np.inf
        top = np.argpartition(-scores, K - 1, axis=1)[:, :K] if scores.shape[1] > K else np.argsort(-scores)
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1, kind="stable")[:, ::-1]
        top = np.take_along_axis(top, order, axis=1)
        finite = np.isfinite(np.take_along_axis(scores, top, axis=1))
        ranked += [list(t[f]) for t, f in zip(top, finite, strict=True)]
    hits = np.zeros((len(ranked), K), dtype=bool)
    for u, (items, rel) in enumerate(zip(ranked, holdout.relevant, strict=True)):
        for r, item in enumerate(items[:K]):
            hits[u, r] = item in rel
    n_rel = np.array([len(r) for r in holdout.relevant])
    names = [[train.titles[i] for i in items] for items in ranked]
    counts = np.bincount(train.items, minlength=len(train.titles))
    known = int((counts > 0).sum())
    diversity = None
    if item_vectors:
        per_user = intra_list_diversity(names, item_vectors, K)
        diversity = float(np.nanmean(per_user)) if np.isfinite(per_user).any() else None
    return Metrics(
        users=len(ranked),
        recall=float(recall_at_k(hits, n_rel, K).mean()) if ranked else 0.0,
        ndcg=float(ndcg_at_k(hits, n_rel, K).mean()) if ranked else 0.0,
        coverage=catalog_coverage(names, max(known, 1), K),
        novelty=novelty(
            names, {t: int(c) for t, c in zip(train.titles, counts, strict=True)}, train.n_users, K
        )
        if train.n_users
        else 0.0,
        diversity=diversity,
    )


@dataclass
class Decision:
    accepted: bool
    reasons: list[str]


def decide(candidate: Metrics, baselines: dict[str, Metrics], tolerance: float) -> Decision:
    """Accept unless a gated metric is below a baseline's by more than ``tolerance`` (relative)."""
    reasons: list[str] = []
    if candidate.users == 0:
        return Decision(False, ["no user has a held-out liked title: not enough data to judge a model"])
    cand = candidate.as_dict()
    for name, base in baselines.items():
        ref = base.as_dict()
        for metric in GATED:
            value, floor = float(cand[metric] or 0.0), float(ref[metric] or 0.0) * (1.0 - tolerance)
            if value < floor and not math.isclose(value, floor):
                reasons.append(f"{metric} {value:.4f} < {name} {ref[metric]:.4f} - {tolerance:.0%}")
    return Decision(not reasons, reasons or ["not worse than any baseline beyond the tolerance"])
