"""`Recommender`: the facade the API routes, the evaluation and the jobs call (no HTTP, no SQL)."""

from __future__ import annotations

import marshal
from collections import OrderedDict
from datetime import UTC, datetime
from threading import Lock
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, Field

from wtw.errors import NotFoundError
from wtw.service.recommend import feed as F
from wtw.service.recommend import group as G
from wtw.service.recommend import profile as P
from wtw.service.recommend import reasons as R
from wtw.service.recommend import rows as W
from wtw.service.recommend import search as S
from wtw.service.recommend import similar as M
from wtw.service.recommend.context import Context
from wtw.service.recommend.reasons import Reason
from wtw.service.recommend.signals import UserSignals
from wtw.service.recommend.titles import Constraints

if TYPE_CHECKING:
    import polars as pl

SIMILAR_CACHE = 20_000
SEARCH_CACHE = 20_000


class ResultCache:
    """A thread-safe LRU of ranked results; the engine's inputs never change, so entries never go stale.

    Entries are stored as `marshal` bytes of plain tuples, which the cyclic collector never tracks: 20,000
    cached lists of result models were over a million tracked objects, and a full collection walking them
    stalled a request for 250 ms (benchmarks/api, search after similar-cold). Unpacking a hit takes
    microseconds.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[Any, ...]) -> R.Ranked | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is None:
            return None
        return [(row, score, [R.Reason(*r) for r in reasons]) for row, score, reasons in marshal.loads(hit)]

    def put(self, key: tuple[Any, ...], ranked: R.Ranked) -> None:
        packed = marshal.dumps(
            tuple(
                (int(row), float(score), tuple((r.kind, r.text, r.tconst) for r in reasons))
                for row, score, reasons in ranked
            )
        )
        with self._lock:
            self._items[key] = packed
            if len(self._items) > self.size:
                self._items.popitem(last=False)


class ScoredTitle(BaseModel):
    """One result: the title's essentials, its score and the evidence behind it."""

    tconst: str
    title: str
    year: int | None = None
    type: str
    genres: list[str] = Field(default_factory=list)
    score: float
    reasons: list[Reason] = Field(default_factory=list)
    rating: float | None = None
    votes: int | None = None
    runtime_minutes: int | None = None
    directors: list[str] = Field(default_factory=list)
    cast: list[str] = Field(default_factory=list)


class TitleDetail(BaseModel):
    """Everything the catalog knows about one title."""

    tconst: str
    title: str
    original_title: str | None = None
    year: int | None = None
    end_year: int | None = None
    type: str
    genres: list[str] = Field(default_factory=list)
    runtime_minutes: int | None = None
    rating: float | None = None
    votes: int | None = None
    directors: list[str] = Field(default_factory=list)
    writers: list[str] = Field(default_factory=list)
    cast: list[str] = Field(default_factory=list)
    overview: str | None = None
    akas: list[str] = Field(default_factory=list)
    seasons: int | None = None
    episodes: int | None = None


class FeedRow(BaseModel):
    """A titled row of the home page."""

    kind: str  # top_picks | because_you_liked | more_like | popular_in_genre
    title: str
    anchor: str | None = None  # the tconst behind "Because you liked X" / "More like X"
    genre: str | None = None
    items: list[ScoredTitle]


class WeightedName(BaseModel):
    name: str
    weight: float


class TasteProfile(BaseModel):
    """What the engine believes about a user, for the editable taste page."""

    genres: list[WeightedName]
    people: list[WeightedName]
    anchors: list[ScoredTitle]  # the titles that shape the preference vector most
    disliked: list[ScoredTitle]
    interactions: int
    has_vector: bool


class Recommender:
    """Search, similar titles, the personal feed, rows, group mode and taste, over one catalog version."""

    def __init__(self, catalog: pl.DataFrame, index: Any, encoder: Any, collab: Any | None = None) -> None:
        self.ctx = Context(catalog, index, encoder, collab)
        self._similar_cache = ResultCache(SIMILAR_CACHE)
        self._search_cache = ResultCache(SEARCH_CACHE)

    @property
    def size(self) -> int:
        return self.ctx.table.n

    def _row(self, tconst: str) -> int:
        row = self.ctx.row(tconst)
        if row is None:
            raise NotFoundError(f"unknown title {tconst}")
        return row

    def _scored(self, row: int, score: float, reasons: list[Reason]) -> ScoredTitle:
        t = self.ctx.table
        return ScoredTitle.model_construct(
            tconst=t.tconsts[row],
            title=t.title[row],
            year=t.year[row],
            type=t.type[row],
            genres=t.genres[row],
            score=round(float(score), 6),
            reasons=reasons,
            rating=t.rating[row],
            votes=t.votes[row],
            runtime_minutes=t.runtime[row],
            directors=t.directors[row],
            cast=t.cast[row][:5],
        )

    def _many(self, ranked: R.Ranked) -> list[ScoredTitle]:
        return [self._scored(r, s, why) for r, s, why in ranked]

    def title(self, tconst: str) -> TitleDetail:
        row = self._row(tconst)
        t = self.ctx.table
        return TitleDetail(
            tconst=tconst,
            title=t.title[row],
            original_title=t.original_title[row],
            year=t.year[row],
            end_year=t.end_year[row],
            type=t.type[row],
            genres=t.genres[row],
            runtime_minutes=t.runtime[row],
            rating=t.rating[row],
            votes=t.votes[row],
            directors=t.directors[row],
            writers=t.writers[row],
            cast=t.cast[row],
            overview=t.overview[row],
            akas=t.akas[row],
            seasons=t.seasons[row],
            episodes=t.episodes[row],
        )

    def cached_search(self, q: str, *, limit: int = 10, filter: Any = None) -> list[ScoredTitle] | None:
        """`search`'s answer if it needs no work (cached or empty), else None; never parses or encodes."""
        if not q.strip() or limit <= 0:
            return []
        hit = self._search_cache.get((q, limit, Constraints.of(filter)))
        return self._many(hit) if hit is not None else None

    def search(self, q: str, *, limit: int = 10, filter: Any = None) -> list[ScoredTitle]:
        """Free-text search (see docs/search.md); an empty query returns nothing."""
        hit = self.cached_search(q, limit=limit, filter=filter)
        if hit is None:
            constraints = Constraints.of(filter)
            key = (q, limit, constraints)
            ranked = S.search(self.ctx, q, limit=limit, constraints=constraints)
            self._search_cache.put(key, ranked)
            hit = self._many(ranked)
        return hit

    def similar(
        self, tconst: str, *, limit: int = 10, filter: Any = None, signals: UserSignals | None = None
    ) -> list[ScoredTitle]:
        """Titles like `tconst` (NotFoundError if unknown), without the caller's dislikes and dismissals."""
        row = self._row(tconst)
        constraints = Constraints.of(filter)
        now = datetime.now(UTC)
        if signals is not None and not M.negatives(self.ctx, signals, now)[0]:
            signals = None
        key = (row, limit, constraints)
        if signals is None and (hit := self._similar_cache.get(key)) is not None:
            return self._many(hit)
        ranked = M.similar(self.ctx, row, limit=limit, constraints=constraints, signals=signals, now=now)
        if signals is None:
            self._similar_cache.put(key, ranked)
        return self._many(ranked)

    def feed(
        self,
        signals: UserSignals,
        *,
        limit: int = 20,
        offset: int = 0,
        filter: Any = None,
        now: datetime | None = None,
        vector: np.ndarray | None = None,
    ) -> list[ScoredTitle]:
        """The user's feed, best first, never a title they rated, watched or dismissed.

        ``vector``: the user's stored preference vector when no signal is newer (else it is computed).
        """
        now = now or datetime.now(UTC)
        ranked = F.feed(
            self.ctx,
            signals,
            limit=limit,
            offset=max(0, offset),
            constraints=Constraints.of(filter),
            now=now,
            vector=vector,
        )
        return self._many(ranked)

    def rows(
        self, signals: UserSignals, *, per_row: int = 10, filter: Any = None, now: datetime | None = None
    ) -> list[FeedRow]:
        now = now or datetime.now(UTC)
        built = W.rows(self.ctx, signals, per_row=per_row, constraints=Constraints.of(filter), now=now)
        t = self.ctx.table
        return [
            FeedRow(
                kind=r.kind,
                title=r.title,
                anchor=t.tconsts[r.anchor] if r.anchor is not None else None,
                genre=r.genre,
                items=self._many(r.items),
            )
            for r in built
        ]

    def group(
        self, members: list[UserSignals], *, limit: int = 20, filter: Any = None, now: datetime | None = None
    ) -> list[ScoredTitle]:
        """One list for several users: their tastes blended, nothing any of them has seen."""
        now = now or datetime.now(UTC)
        return self._many(
            G.group(self.ctx, members, limit=limit, constraints=Constraints.of(filter), now=now)
        )

    def preference_vector(self, signals: UserSignals, now: datetime | None = None) -> np.ndarray | None:
        """The vector `feed` computes (`taste`'s), without the rest of the taste."""
        ctx = self.ctx
        return P.preference_vector(signals, ctx.space, now or datetime.now(UTC), seeds=ctx.seeds)

    def taste(self, signals: UserSignals, now: datetime | None = None) -> TasteProfile:
        now = now or datetime.now(UTC)
        t = F.taste(self.ctx, signals, now)
        table = self.ctx.table
        people: dict[str, float] = {}
        for row, w in zip(t.anchors.rows[:100], t.anchors.weights[:100], strict=True):
            for name in table.directors[row][:2] + table.cast[row][:3]:
                people[name] = people.get(name, 0.0) + float(w)
        for name in signals.preferences.liked_people:
            people[name] = people.get(name, 0.0) + 1.0
        genre_weight: dict[str, float] = {}
        for row, w in zip(t.anchors.rows, t.anchors.weights, strict=True):
            for g in table.genres[row]:
                genre_weight[g] = genre_weight.get(g, 0.0) + float(w)
        for g in signals.preferences.liked_genres:
            genre_weight[g] = genre_weight.get(g, 0.0) + 1.0
        for g, b in signals.preferences.boosted_genres.items():
            genre_weight[g] = genre_weight.get(g, 0.0) + b
        negatives = sorted((w, tc) for tc, w in t.weights.items() if w < 0 and tc in table.row_of)

        def top(d: dict[str, float], n: int) -> list[WeightedName]:
            return [
                WeightedName(name=k, weight=round(v, 3))
                for k, v in sorted(d.items(), key=lambda x: -x[1])[:n]
                if v > 0
            ]

        return TasteProfile(
            genres=top(genre_weight, 8),
            people=[
                p
                for p in top(people, 10)
                if p.weight > 0 and (people[p.name] >= 1.0 or p.name in signals.preferences.liked_people)
            ],
            anchors=[
                self._scored(int(r), float(w), [])
                for r, w in zip(t.anchors.rows[:10], t.anchors.weights[:10], strict=True)
            ],
            disliked=[self._scored(table.row_of[tc], w, []) for w, tc in negatives[:10]],
            interactions=len(signals.interactions),
            has_vector=t.vector is not None,
        )
