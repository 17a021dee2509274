"""The service's own recommendation code, wrapped for the evaluation loop (no re-implementation).

- content-only feed: ``service.recommend.content.content_scores`` (the user's evidence against the title
  vectors the engine serves from, centred on the catalog mean, plus a release-era term), and as a reference
  the service's preference vector (``Recommender.preference_vector``) against the raw title vectors;
- hybrid feed: ``Recommender.feed`` exactly as the API calls it, with the nightly job's collaborative model
  (``wtw.jobs.train.fit_ease``) trained on the split's training ratings;
- search: ``Recommender.search`` (hybrid), the engine's vector space alone (semantic) and its fuzzy title and
  person matchers alone (lexical).

Service, jobs and embedding imports happen inside functions: they are heavy, and `wtw --help` must stay fast.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from wtw.config import Settings
from wtw.errors import ArtifactError
from wtw.evaluation.baselines import UNSEEN_SCORE
from wtw.evaluation.scoring import Ranker, UserHistory

logger = logging.getLogger(__name__)


@dataclass
class VectorIndex:
    """Title vectors aligned with tconsts: what the engine's vector space reads from an index."""

    vectors: np.ndarray
    tconsts: list[str]

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def vector(self, tconst: str) -> np.ndarray:
        return self.vectors[self.tconsts.index(tconst)]


@dataclass
class Engine:
    """A catalog, its title vectors and the query encoder: what the service loads."""

    catalog: pl.DataFrame
    index: Any
    encoder: Any
    source: str

    @property
    def tconsts(self) -> set[str]:
        return set(self.catalog["tconst"].to_list())


def engine_from_catalog(
    catalog_path: Path, settings: Settings, *, keep: set[str] | None = None, progress: bool = False
) -> Engine:
    """Embed a catalog Parquet's documents with the configured encoder (cached under the cache dir).

    ``keep`` restricts the catalog (e.g. to the MovieLens titles of the evaluation) to bound embedding time.
    """
    from wtw.catalog.schema import read_catalog
    from wtw.embeddings.encoders import load_encoder

    catalog = read_catalog(catalog_path)
    if keep is not None:
        catalog = catalog.filter(pl.col("tconst").is_in(sorted(keep)))
    if catalog.is_empty():
        raise ArtifactError(f"{catalog_path}: no title left to evaluate")
    encoder = load_encoder(settings.embedding)
    digest = hashlib.sha256((encoder.model_id + "".join(catalog["doc_hash"].to_list())).encode()).hexdigest()
    cache = settings.cache_dir / "eval" / f"vectors-{digest[:16]}.npy"
    if cache.is_file():
        vectors = np.load(cache)
    else:
        vectors = encoder.encode(catalog["document"].to_list(), progress=progress)
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(cache)
    index = VectorIndex(np.asarray(vectors, dtype=np.float32), catalog["tconst"].to_list())
    return Engine(catalog, index, encoder, f"{catalog_path} ({catalog.height:,} titles, {encoder.model_id})")


def engine_from_store(settings: Settings) -> Engine:
    """The latest published index with its catalog and the encoder, loaded as the service loads them."""
    from wtw.catalog.schema import read_catalog
    from wtw.embeddings.encoders import load_encoder
    from wtw.index import TitleIndex
    from wtw.store import open_store

    store = open_store(settings)
    if store.latest("index") is None:
        raise ArtifactError("no published index; run `wtw build --demo` (or `wtw build`) or pass --catalog")
    artifact = store.fetch("index")
    catalog_version = artifact.manifest.get("catalog_version")
    catalog = read_catalog(store.fetch("catalog", catalog_version).file("catalog.parquet"))
    encoder = load_encoder(settings.embedding)
    index = TitleIndex.load(artifact, catalog, model_id=encoder.model_id)
    source = (
        f"index {artifact.version} over catalog {catalog_version} "
        f"({catalog.height:,} titles, {encoder.model_id})"
    )
    return Engine(catalog, index, encoder, source)


def restricted(engine: Engine, keep: set[str]) -> Engine:
    """The same engine over the titles in ``keep`` only: the feeds then rank exactly the evaluation's
    candidate catalog, like the baselines (the index's vectors are shared, matched by tconst)."""
    catalog = engine.catalog.filter(pl.col("tconst").is_in(sorted(keep)))
    if catalog.is_empty():
        raise ArtifactError("no title of the evaluation catalog is in the engine's catalog")
    return Engine(catalog, engine.index, engine.encoder, engine.source)


def signals_from_history(history: UserHistory) -> Any:
    """MovieLens ratings (0.5-5 stars) as the service's UserSignals (1-10 ratings at their real times)."""
    from wtw.service.recommend.signals import Interaction, UserSignals

    interactions = [
        Interaction(tconst=item, kind="rating", at=datetime.fromtimestamp(ts, UTC), value=float(r) * 2.0)
        for item, r, ts in zip(history.items, history.ratings, history.timestamps, strict=True)
    ]
    return UserSignals(user_id=int(history.user), interactions=interactions)


def history_now(history: UserHistory) -> datetime:
    """The split's "now" for this user: just after their last training rating (recency decay is relative)."""
    last = max(history.timestamps) if history.timestamps else 0
    return datetime.fromtimestamp(last + 1, UTC)


def recommender(engine: Engine, collab: Any | None = None) -> Any:
    from wtw.service.recommend.engine import Recommender

    return Recommender(engine.catalog, engine.index, engine.encoder, collab=collab)


def with_collab(rec: Any, collab: Any | None) -> Any:
    """The same Recommender serving another collaborative model, as the service's hot swap of a new
    ``usermodel`` would, without rebuilding the catalog's precomputed state (seconds per split)."""
    clone = copy.copy(rec)
    clone.ctx = copy.copy(rec.ctx)
    clone.ctx.collab = collab
    return clone


class ContentScorer:
    """Preference-vector feed: cosine of each candidate's vector with the service's preference vector."""

    def __init__(self, rec: Any) -> None:
        self.rec = rec
        self._key: tuple[int, int] | None = None
        self._rows = np.empty(0, dtype=np.int64)

    def __call__(self, history: UserHistory, candidates: Sequence[str]) -> np.ndarray:
        ctx = self.rec.ctx
        key = (id(candidates), len(candidates))
        if key != self._key:
            self._rows = np.array([ctx.table.row_of.get(c, -1) for c in candidates], dtype=np.int64)
            self._key = key
        rows = self._rows
        known = (rows >= 0) & ctx.space.present[np.maximum(rows, 0)]
        vec = self.rec.preference_vector(signals_from_history(history), history_now(history))
        if vec is None:
            return np.where(known, 0.0, UNSEEN_SCORE)
        scores = ctx.space.matrix[np.maximum(rows, 0)] @ np.asarray(vec, dtype=np.float32)
        return np.where(known, scores, UNSEEN_SCORE)


class ContentOnlyScorer:
    """Content-only feed: ``content.content_scores`` over the candidates (no interaction count, no vote)."""

    def __init__(self, rec: Any, params: Any | None = None, space: Any | None = None) -> None:
        from wtw.service.recommend.content import ContentParams, ContentSpace

        self.rec = rec
        self.params = params or ContentParams()
        self.space = space or ContentSpace(rec.ctx.table, rec.ctx.space)
        self._key: tuple[int, int] | None = None
        self._rows = np.empty(0, dtype=np.int64)

    def with_params(self, params: Any) -> ContentOnlyScorer:
        """The same scorer with other constants (the catalog's precomputed content space is shared)."""
        return ContentOnlyScorer(self.rec, params, self.space)

    def __call__(self, history: UserHistory, candidates: Sequence[str]) -> np.ndarray:
        from wtw.service.recommend.content import content_scores

        key = (id(candidates), len(candidates))
        if key != self._key:
            self._rows = np.array([self.rec.ctx.table.row_of.get(c, -1) for c in candidates], dtype=np.int64)
            self._key = key
        rows = self._rows
        known = rows >= 0
        scores = content_scores(
            self.space,
            signals_from_history(history),
            history_now(history),
            rows=np.maximum(rows, 0),
            seeds=self.rec.ctx.seeds,
            params=self.params,
        )
        if scores is None:
            return np.where(known & self.rec.ctx.space.present[np.maximum(rows, 0)], 0.0, UNSEEN_SCORE)
        return np.where(known & np.isfinite(scores), scores, UNSEEN_SCORE)


@contextmanager
def collab_weight(weight: float | None) -> Iterator[None]:
    """Run the production feed with another collaborative weight ``w_k`` (None: the shipped one).

    It is the one blend constant the evaluation tunes, on a validation split; everything else is the
    service's code as shipped.
    """
    from wtw.service.recommend import feed

    shipped = feed.COLLAB_WEIGHT
    feed.COLLAB_WEIGHT = shipped if weight is None else weight
    try:
        yield
    finally:
        feed.COLLAB_WEIGHT = shipped


def hybrid_ranker(rec: Any, *, weight: float | None = None) -> Ranker:
    """The production feed (``Recommender.feed``) as the API calls it, with the split's "now".

    The Recommender should hold exactly the candidate catalog (see ``restricted``); any title outside the
    candidates is dropped, since it cannot be judged. ``weight`` overrides the collaborative weight.
    """

    def rank(history: UserHistory, candidates: Sequence[str], k: int) -> list[str]:
        allowed = set(candidates)
        with collab_weight(weight):
            items = rec.feed(signals_from_history(history), limit=k, now=history_now(history))
        return [s.tconst for s in items if s.tconst in allowed][:k]

    return rank


def train_collab(train: pl.DataFrame, settings: Settings) -> Any:
    """The nightly job's EASE model (its trainer, weights and parameters) fitted on a split's ratings."""
    from wtw.jobs.interactions import Interactions
    from wtw.jobs.nightly import params_from
    from wtw.jobs.train import fit_ease
    from wtw.service.recommend.collab import interaction_weight

    weights = np.array([interaction_weight("rating", float(v)) for v in range(11)], dtype=np.float32)
    frame = (
        train.with_columns(
            pl.col("item").cast(pl.Categorical).alias("_code"),
            pl.Series("w", weights[np.clip(np.rint(train["rating"].to_numpy() * 2).astype(np.int64), 0, 10)]),
        )
        .filter(pl.col("w") > 0)
        .group_by("user", "item")
        .agg(pl.col("w").max(), pl.col("timestamp").max())
        .sort("user", "timestamp", "item")
    )
    titles = sorted(set(frame["item"].to_list()))
    code = {t: i for i, t in enumerate(titles)}
    data = Interactions(
        users=frame["user"].to_numpy().astype(np.int64),
        items=np.fromiter((code[t] for t in frame["item"]), np.int32, frame.height),
        weights=frame["w"].to_numpy().astype(np.float32),
        times=frame["timestamp"].to_numpy().astype(np.int64),
        titles=titles,
    )
    return fit_ease(data, params_from(settings))


def search_modes(rec: Any) -> dict[str, Callable[[str, int], list[str]]]:
    """search(query, limit) -> tconsts for the lexical-only, semantic-only and hybrid modes."""
    from wtw.service.recommend.space import top_rows

    ctx = rec.ctx
    tconsts = ctx.table.tconsts
    everything = np.ones(ctx.table.n, dtype=bool)

    def lexical(q: str, limit: int) -> list[str]:
        rows = [r for r, _ in ctx.titles.match(q, k=limit)]
        for person, _ in ctx.people.match(q, k=3, min_score=80.0):
            name = ctx.person_names[person]
            owned = sorted(ctx.table.people.get(name, {}), key=lambda r: -float(ctx.prior01[r]))
            rows += [r for r in owned if r not in rows]
        return [tconsts[r] for r in rows[:limit]]

    def semantic(q: str, limit: int) -> list[str]:
        scores = ctx.space.scores(ctx.encode_one(q))
        return [tconsts[int(r)] for r in top_rows(scores, limit, everything)]

    def hybrid(q: str, limit: int) -> list[str]:
        return [s.tconst for s in rec.search(q, limit=limit)]

    return {"lexical-only": lexical, "semantic-only": semantic, "hybrid": hybrid}


def collab_ranker(collab: Any) -> Ranker:
    """The nightly collaborative model alone (``CollabModel.candidates``), as the feed asks it."""

    def rank(history: UserHistory, candidates: Sequence[str], k: int) -> list[str]:
        allowed = set(candidates)
        signals = signals_from_history(history)
        pairs = collab.candidates(signals, k * 3, now=history_now(history))
        return [t for t, _ in pairs if t in allowed][:k]

    return rank
