"""Search quality on the judged query set: hit@1, hit@10 and MRR@10, overall and per query kind."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from wtw.errors import InputError
from wtw.evaluation import metrics

QUERIES_PATH = Path(__file__).with_name("data") / "search_queries.json"
HELDOUT_QUERIES_PATH = QUERIES_PATH.with_name("search_queries_heldout.json")
"""Queries written after search was tuned on QUERIES_PATH, and never used to tune it."""
SearchFn = Callable[[str, int], list[str]]
"""search(query, limit) -> tconsts, best first."""


@dataclass(frozen=True)
class JudgedQuery:
    id: str
    kind: str
    query: str
    relevant: frozenset[str]


@dataclass
class SearchResult:
    mode: str
    summary: dict[str, float]
    by_kind: dict[str, dict[str, float]]
    per_query: pl.DataFrame
    skipped: list[str]


def load_queries(path: Path = QUERIES_PATH) -> list[JudgedQuery]:
    """The judged queries; each must have an id, a kind, the query text and at least one relevant tconst."""
    try:
        raw = json.loads(path.read_text())["queries"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read judged queries from {path}: {exc}") from exc
    out = []
    for row in raw:
        if not row.get("relevant"):
            raise InputError(f"query {row.get('id')!r} has no relevant title")
        out.append(JudgedQuery(row["id"], row["kind"], row["query"], frozenset(row["relevant"])))
    if len({q.id for q in out}) != len(out):
        raise InputError(f"duplicate query ids in {path}")
    return out


def evaluate_search(
    search: SearchFn,
    queries: Sequence[JudgedQuery],
    *,
    mode: str = "hybrid",
    depth: int = 10,
    catalog: set[str] | None = None,
) -> SearchResult:
    """Run every query once; relevant titles outside ``catalog`` are dropped, queries left empty skipped."""
    kept, skipped = [], []
    for q in queries:
        rel = q.relevant & catalog if catalog is not None else q.relevant
        if rel:
            kept.append(JudgedQuery(q.id, q.kind, q.query, frozenset(rel)))
        else:
            skipped.append(q.id)
    if not kept:
        raise InputError("no judged query has a relevant title in this catalog")
    ranked = [list(search(q.query, depth))[:depth] for q in kept]
    hits = metrics.hits_matrix(ranked, [set(q.relevant) for q in kept], depth)
    frame = pl.DataFrame(
        {
            "id": [q.id for q in kept],
            "kind": [q.kind for q in kept],
            "query": [q.query for q in kept],
            "hit@1": metrics.hit_at_k(hits, 1),
            f"hit@{depth}": metrics.hit_at_k(hits, depth),
            f"mrr@{depth}": metrics.reciprocal_rank(hits),
            "top": [", ".join(r[:3]) for r in ranked],
        }
    )
    cols = ["hit@1", f"hit@{depth}", f"mrr@{depth}"]
    summary = {c: float(np.mean(frame[c].to_numpy())) for c in cols} | {"queries": float(len(kept))}
    by_kind = {
        kind: {c: float(np.mean(group[c].to_numpy())) for c in cols} | {"queries": float(group.height)}
        for (kind,), group in frame.group_by("kind", maintain_order=True)
    }
    return SearchResult(mode, summary, by_kind, frame, skipped)
