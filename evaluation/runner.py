"""The evaluation loop: rank the candidate catalog for every test user and score the lists.

This is the API the nightly quality gate calls::

    from wtw.evaluation import EASE, evaluate, ranker
    model = EASE().train(split.train)
    result = evaluate(ranker(model), split.train, split.test, k_list=(10, 20), catalog=split.candidates)
    result.summary["ndcg@20"]
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from wtw.evaluation import metrics
from wtw.evaluation.baselines import EASE, EASEConfig
from wtw.evaluation.protocols import POSITIVE_THRESHOLD, Split, validation_split
from wtw.evaluation.scoring import Ranker, histories, ranker

logger = logging.getLogger(__name__)

HISTORY_BUCKETS = ((1, 5), (6, 20), (21, 50), (51, 150), (151, 10**9))
"""User groups by training-history length, for the cut-by-history plots."""


@dataclass
class EvalResult:
    """Mean metrics (``summary``) and the per-user values they come from (``per_user``)."""

    recommender: str
    split: str
    summary: dict[str, float]
    per_user: pl.DataFrame
    seconds: float
    notes: list[str] = field(default_factory=list)


def evaluate(
    rank: Ranker,
    train: pl.DataFrame,
    test: pl.DataFrame,
    *,
    k_list: Sequence[int] = (10, 20),
    catalog: Sequence[str],
    users: Sequence[int] | None = None,
    item_vectors: dict[str, np.ndarray] | None = None,
    threshold: float = POSITIVE_THRESHOLD,
    name: str = "recommender",
    split_name: str = "split",
) -> EvalResult:
    """Rank ``catalog`` for each test user with a relevant held-out item and compute the metrics.

    Relevant = held-out rating >= ``threshold`` on a catalog item. MRR is cut at max(k_list).
    Coverage is over ``catalog``; novelty uses training popularity; diversity needs ``item_vectors``.
    """
    if not k_list or min(k_list) < 1:
        raise ValueError("k_list must hold positive cutoffs")
    depth = max(k_list)
    cands = list(catalog)
    cand_set = set(cands)
    positives = test.filter((pl.col("rating") >= threshold) & pl.col("item").is_in(cands))
    relevant = {u: set(items) for u, items in positives.group_by("user").agg("item").iter_rows()}
    hist = histories(train)
    wanted = sorted(u for u in relevant if u in hist and (users is None or u in set(users)))
    if not wanted:
        raise ValueError(f"{split_name}: no user has both history and a relevant held-out item")

    started = time.perf_counter()
    ranked = []
    for u in wanted:
        items = rank(hist[u], cands, depth)
        ranked.append([i for i in items if i in cand_set][:depth])
    seconds = time.perf_counter() - started

    rel = [relevant[u] for u in wanted]
    n_rel = np.array([len(r) for r in rel])
    hits = metrics.hits_matrix(ranked, rel, depth)
    per_user: dict[str, object] = {
        "user": wanted,
        "history": [len(hist[u]) for u in wanted],
        "relevant": n_rel,
    }
    for k in k_list:
        per_user[f"recall@{k}"] = metrics.recall_at_k(hits, n_rel, k)
        per_user[f"ndcg@{k}"] = metrics.ndcg_at_k(hits, n_rel, k)
        per_user[f"hit@{k}"] = metrics.hit_at_k(hits, k)
    per_user["mrr"] = metrics.reciprocal_rank(hits)
    frame = pl.DataFrame(per_user)

    summary = {
        col: float(np.mean(frame[col].to_numpy())) for col in frame.columns if "@" in col or col == "mrr"
    }
    item_users = dict(train.group_by("item").agg(pl.col("user").n_unique()).iter_rows())
    n_train_users = train["user"].n_unique()
    for k in k_list:
        summary[f"coverage@{k}"] = metrics.catalog_coverage(ranked, len(cands), k)
        summary[f"novelty@{k}"] = metrics.novelty(ranked, item_users, n_train_users, k)
        if item_vectors:
            diversity = metrics.intra_list_diversity(ranked, item_vectors, k)
            if np.isfinite(diversity).any():
                summary[f"diversity@{k}"] = float(np.nanmean(diversity))
    summary["users"] = float(len(wanted))
    summary["ms_per_user"] = 1000.0 * seconds / len(wanted)
    logger.info(
        "%s on %s: ndcg@%d %.4f over %d users", name, split_name, depth, summary[f"ndcg@{depth}"], len(wanted)
    )
    return EvalResult(name, split_name, summary, frame, seconds)


def evaluate_split(
    rank: Ranker,
    split: Split,
    *,
    k_list: Sequence[int] = (10, 20),
    item_vectors: dict[str, np.ndarray] | None = None,
    name: str = "recommender",
) -> EvalResult:
    """``evaluate`` on a protocol's split (its candidates and user cut)."""
    result = evaluate(
        rank,
        split.train,
        split.test,
        k_list=k_list,
        catalog=split.candidates,
        users=split.users,
        item_vectors=item_vectors,
        name=name,
        split_name=split.name,
    )
    result.notes.extend(split.notes)
    return result


def by_history(result: EvalResult, metric: str) -> dict[str, float]:
    """Mean of ``metric`` per user-history bucket (empty buckets left out)."""
    out = {}
    for lo, hi in HISTORY_BUCKETS:
        group = result.per_user.filter(pl.col("history").is_between(lo, hi))
        if group.height:
            label = f"{lo}-{hi}" if hi < 10**9 else f">{lo - 1}"
            out[label] = float(np.mean(group[metric].to_numpy()))
    return out


def tune_ease(
    split: Split, lambdas: Sequence[float], *, metric: str = "ndcg@20"
) -> tuple[float, dict[float, float]]:
    """Pick EASE's lambda on a temporal validation split carved from the training data (never the test)."""
    if not lambdas:
        raise ValueError("no lambda to try")
    val = validation_split(split)
    scores = {}
    for lam in lambdas:
        model = EASE(EASEConfig(l2=lam)).train(val.train)
        scores[lam] = evaluate_split(ranker(model), val, name=f"EASE l2={lam}").summary[metric]
    best = max(scores, key=lambda lam: scores[lam])
    logger.info("EASE lambda %s chosen on validation (%s %s)", best, metric, scores)
    return best, scores
