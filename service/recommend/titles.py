"""The catalog as column arrays the engine can filter and score quickly, built once per artifact version."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from wtw.service.recommend.filters import catalog_vocabularies

if TYPE_CHECKING:
    import polars as pl

SERIES_TYPES = frozenset({"tvSeries", "tvMiniSeries"})
MOVIE_TYPES = frozenset({"movie", "tvMovie"})


@dataclass(frozen=True)
class Constraints:
    """Hard filters on titles; None means unconstrained. Genres match any-of, excluded genres none-of."""

    types: frozenset[str] | None = None
    genres: frozenset[str] | None = None
    exclude_genres: frozenset[str] | None = None
    year_from: int | None = None
    year_to: int | None = None
    runtime_min: int | None = None
    runtime_max: int | None = None
    min_rating: float | None = None
    min_votes: int | None = None

    @classmethod
    def of(cls, filter: Any) -> Constraints:
        """Read a `wtw.index.TitleFilter` or a look-alike; None → no constraint."""
        if filter is None:
            return cls()
        if isinstance(filter, Constraints):
            return filter
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = getattr(filter, f.name, None)
            if f.name in ("types", "genres", "exclude_genres") and value is not None:
                value = frozenset([value] if isinstance(value, str) else value) or None
            values[f.name] = value
        return cls(**values)

    def merge(self, other: Constraints) -> Constraints:
        """Both sets of constraints at once (the tighter bound of each)."""

        def tight(a: Any, b: Any, pick: Any) -> Any:
            return b if a is None else a if b is None else pick(a, b)

        def inter(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
            return b if a is None else a if b is None else a & b

        def union(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
            return b if a is None else a if b is None else a | b

        return Constraints(
            types=inter(self.types, other.types),
            genres=inter(self.genres, other.genres),
            exclude_genres=union(self.exclude_genres, other.exclude_genres),
            year_from=tight(self.year_from, other.year_from, max),
            year_to=tight(self.year_to, other.year_to, min),
            runtime_min=tight(self.runtime_min, other.runtime_min, max),
            runtime_max=tight(self.runtime_max, other.runtime_max, min),
            min_rating=tight(self.min_rating, other.min_rating, max),
            min_votes=tight(self.min_votes, other.min_votes, max),
        )

    def is_empty(self) -> bool:
        return self == Constraints()

    def without(self, *names: str) -> Constraints:
        return replace(self, **dict.fromkeys(names))


def _list_col(catalog: pl.DataFrame, name: str, n: int) -> list[list[str]]:
    if name not in catalog.columns:
        return [[] for _ in range(n)]
    return [list(v) if v is not None else [] for v in catalog[name].to_list()]


def _col(catalog: pl.DataFrame, name: str, n: int) -> list[Any]:
    return catalog[name].to_list() if name in catalog.columns else [None] * n


class TitleTable:
    """Row-aligned arrays of the catalog (row i = catalog row i) plus lookups and filter masks."""

    def __init__(self, catalog: pl.DataFrame) -> None:
        n = catalog.height
        self.n = n
        self.tconsts: list[str] = catalog["tconst"].to_list()
        self.row_of: dict[str, int] = {t: i for i, t in enumerate(self.tconsts)}
        self.title: list[str] = catalog["title"].to_list()
        self.original_title: list[str | None] = _col(catalog, "original_title", n)
        self.type: list[str] = [t or "" for t in _col(catalog, "type", n)]
        self.year: list[int | None] = _col(catalog, "start_year", n)
        self.end_year: list[int | None] = _col(catalog, "end_year", n)
        self.runtime: list[int | None] = _col(catalog, "runtime_minutes", n)
        # IMDb ratings have one decimal; the catalog's float32 would read back as 8.699999809265137.
        self.rating: list[float | None] = [
            None if r is None else round(r, 1) for r in _col(catalog, "rating", n)
        ]
        self.votes: list[int | None] = _col(catalog, "votes", n)
        self.overview: list[str | None] = _col(catalog, "overview", n)
        self.seasons: list[int | None] = _col(catalog, "seasons", n)
        self.episodes: list[int | None] = _col(catalog, "episodes", n)
        self.genres = _list_col(catalog, "genres", n)
        self.akas = _list_col(catalog, "akas", n)
        self.directors = _list_col(catalog, "directors", n)
        self.writers = _list_col(catalog, "writers", n)
        self.cast = _list_col(catalog, "cast", n)
        self.keywords = _list_col(catalog, "keywords", n)

        self.year_arr = np.array([y if y is not None else -1 for y in self.year], dtype=np.int32)
        self.runtime_arr = np.array([r if r is not None else -1 for r in self.runtime], dtype=np.int32)
        self.rating_arr = np.array([r if r is not None else np.nan for r in self.rating], dtype=np.float32)
        self.votes_arr = np.array([v or 0 for v in self.votes], dtype=np.int64)
        self.type_names = sorted(set(self.type))
        type_code = {t: i for i, t in enumerate(self.type_names)}
        self.type_arr = np.array([type_code[t] for t in self.type], dtype=np.int16)
        self.genre_names = sorted({g for gs in self.genres for g in gs})
        self.genre_bit = {g: i for i, g in enumerate(self.genre_names)}
        self.genre_arr = np.zeros((n, max(1, len(self.genre_names))), dtype=bool)
        for i, gs in enumerate(self.genres):
            for g in gs:
                self.genre_arr[i, self.genre_bit[g]] = True
        # What filters accept, in the catalog's spelling: built once here, not per request.
        self.genre_vocab, self.type_vocab = catalog_vocabularies(self.genre_names, self.type_names)
        self.people = self._people_map()
        self.prior = self._quality_prior()
        self.mask = lru_cache(maxsize=256)(self._mask)

    def _people_map(self) -> dict[str, dict[int, float]]:
        """Person name → {row: role weight}: director 1.0, writer 0.7, cast 0.9 decaying with billing."""
        people: dict[str, dict[int, float]] = defaultdict(dict)
        for i in range(self.n):
            for name in self.directors[i]:
                people[name][i] = max(people[name].get(i, 0.0), 1.0)
            for name in self.writers[i]:
                people[name][i] = max(people[name].get(i, 0.0), 0.7)
            for pos, name in enumerate(self.cast[i]):
                people[name][i] = max(people[name].get(i, 0.0), 0.9 / (1.0 + 0.15 * pos))
        return dict(people)

    def _quality_prior(self) -> np.ndarray:
        """Bayesian-average rating (shrunk to the catalog mean by m pseudo-votes) × log-popularity, in [0, 1].

        bayes = (v·R + m·C) / (v + m) with m = median votes of rated titles;
        prior = bayes / 10 · (0.35 + 0.65 · log1p(v) / log1p(max v)).
        """
        votes = self.votes_arr.astype(np.float64)
        rated = ~np.isnan(self.rating_arr) & (votes > 0)
        if not rated.any():
            return np.zeros(self.n, dtype=np.float32)
        c = float(np.average(self.rating_arr[rated], weights=votes[rated]))
        m = max(float(np.median(votes[rated])), 1.0)
        r = np.where(rated, self.rating_arr, c)
        bayes = (votes * r + m * c) / (votes + m)
        pop = np.log1p(votes) / math.log1p(float(votes.max()))
        return (bayes / 10.0 * (0.35 + 0.65 * pop)).astype(np.float32)

    def genre_mask(self, names: frozenset[str]) -> np.ndarray:
        cols = [self.genre_bit[g] for g in names if g in self.genre_bit]
        if not cols:
            return np.zeros(self.n, dtype=bool)
        return np.asarray(self.genre_arr[:, cols].any(axis=1))

    def _mask(self, c: Constraints) -> np.ndarray:
        """Rows passing the constraints (cached per distinct constraint set)."""
        m = np.ones(self.n, dtype=bool)
        if c.types is not None:
            codes = [i for i, t in enumerate(self.type_names) if t in c.types]
            m &= np.isin(self.type_arr, codes)
        if c.genres is not None:
            m &= self.genre_mask(c.genres)
        if c.exclude_genres:
            m &= ~self.genre_mask(c.exclude_genres)
        if c.year_from is not None:
            m &= self.year_arr >= c.year_from
        if c.year_to is not None:
            m &= (self.year_arr <= c.year_to) & (self.year_arr >= 0)
        if c.runtime_min is not None:
            m &= self.runtime_arr >= c.runtime_min
        if c.runtime_max is not None:
            m &= (self.runtime_arr <= c.runtime_max) & (self.runtime_arr > 0)
        if c.min_rating is not None:
            m &= self.rating_arr >= c.min_rating
        if c.min_votes is not None:
            m &= self.votes_arr >= c.min_votes
        m.flags.writeable = False
        return m

    def rows(self, tconsts: Any) -> list[int]:
        return [self.row_of[t] for t in tconsts if t in self.row_of]
