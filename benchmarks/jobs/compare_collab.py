"""Which collaborative model the nightly job trains: EASE or implicit-feedback ALS, on the job's own gate.

    .venv/bin/python benchmarks/jobs/compare_collab.py [--db sqlite:///var/bench/jobs/movielens-x1.db]

Reads a user database (default: the ml-latest-small one `bench_jobs.py` builds), takes the gate's time-based
holdout (each user's latest 20 %), fits each candidate on the training part and scores it with the gate's own
`evaluate` (Recall/NDCG@20, coverage, novelty). Prints a markdown table; `jobs/train.py` cites the result.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DB = f"sqlite:///{REPO / 'var' / 'bench' / 'jobs' / 'movielens-x1.db'}"


def als_scores(holdout: Any, factors: int, regularization: float, alpha: float) -> tuple[Any, float]:
    """Fit implicit's ALS on the training matrix; score evaluated users from their trained factors."""
    from implicit.als import AlternatingLeastSquares

    from wtw.jobs.train import user_item_matrix

    matrix, users = user_item_matrix(holdout.train)
    model = AlternatingLeastSquares(
        factors=factors, regularization=regularization, alpha=alpha, iterations=15, random_state=0
    )
    started = time.perf_counter()
    model.fit(matrix, show_progress=False)
    seconds = time.perf_counter() - started
    rows = np.searchsorted(users, holdout.users)
    item_factors = np.asarray(model.item_factors)
    user_factors = np.asarray(model.user_factors)
    offset = 0

    def score(x: Any) -> np.ndarray:  # `evaluate` asks for the holdout users in order, in blocks
        nonlocal offset
        block = rows[offset : offset + x.shape[0]]
        offset += x.shape[0]
        return (user_factors[block] @ item_factors.T).astype(np.float32)

    return score, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    args = parser.parse_args()
    from wtw.jobs.gate import ease_scores, evaluate, popularity_scores, temporal_holdout
    from wtw.jobs.interactions import read_interactions
    from wtw.jobs.train import EaseParams, fit_ease, popularity
    from wtw.service.db import make_engine

    engine = make_engine(args.db)
    data = read_interactions(engine)
    engine.dispose()
    holdout = temporal_holdout(data)
    results: list[tuple[str, float, Any]] = [
        ("popularity", 0.0, evaluate(popularity_scores(popularity(holdout.train)), holdout))
    ]
    for l2 in (50.0, 100.0, 300.0, 1000.0):
        started = time.perf_counter()
        model = fit_ease(holdout.train, EaseParams(l2=l2))
        seconds = time.perf_counter() - started
        results.append((f"EASE l2={l2:g}", seconds, evaluate(ease_scores(model, data.titles), holdout)))
    for factors, reg, alpha in ((32, 0.05, 1.0), (64, 0.05, 1.0), (64, 0.1, 10.0), (128, 0.1, 10.0)):
        score, seconds = als_scores(holdout, factors, reg, alpha)
        label = f"ALS factors={factors} reg={reg:g} alpha={alpha:g}"
        results.append((label, seconds, evaluate(score, holdout)))
    print(
        f"{data.n_users:,} users, {len(data):,} (user, title) pairs; {len(holdout.users):,} evaluated users\n"
    )
    print("| model | fit s | recall@20 | ndcg@20 | coverage | novelty |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, seconds, m in results:
        print(
            f"| {label} | {seconds:.2f} | {m.recall:.4f} | {m.ndcg:.4f} "
            f"| {m.coverage:.4f} | {m.novelty:.2f} |"
        )


if __name__ == "__main__":
    main()
