"""TitleFilter and the per-row attribute arrays it is evaluated on (one boolean mask per query)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import polars as pl

    from wtw.index.vocab import Vocab


@dataclass(frozen=True)
class TitleFilter:
    """Constraints on titles; None means unconstrained. ``genres`` match any-of."""

    types: tuple[str, ...] | None = None
    genres: tuple[str, ...] | None = None
    year_from: int | None = None
    year_to: int | None = None
    runtime_min: int | None = None
    runtime_max: int | None = None
    min_rating: float | None = None
    min_votes: int | None = None

    def __post_init__(self) -> None:
        # One name or any collection is accepted; an empty one means "no constraint", as None does.
        for name in ("types", "genres"):
            value = getattr(self, name)
            if value is not None:
                values = (value,) if isinstance(value, str) else tuple(value)
                object.__setattr__(self, name, values or None)

    def is_empty(self) -> bool:
        return all(getattr(self, f) is None for f in self.__dataclass_fields__)


class RowAttributes:
    """Catalog columns aligned with the index rows, as numpy arrays (missing values never pass a bound)."""

    def __init__(self, catalog: pl.DataFrame, vocab: Vocab) -> None:
        import polars as pl

        order = pl.DataFrame({"tconst": vocab.tconsts, "_row": np.arange(len(vocab))})
        wanted = ["tconst", "type", "genres", "start_year", "runtime_minutes", "rating", "votes"]
        present = [c for c in wanted if c in catalog.columns]
        frame = order.join(catalog.select(present), on="tconst", how="left").sort("_row")
        n = len(vocab)

        def floats(name: str) -> np.ndarray:
            if name not in frame.columns:
                return np.full(n, np.nan)
            return frame[name].cast(pl.Float64).fill_null(np.nan).to_numpy()

        self.year = floats("start_year")
        self.runtime = floats("runtime_minutes")
        self.rating = floats("rating")
        self.votes = floats("votes")
        types = frame["type"].fill_null("") if "type" in frame.columns else pl.Series([""] * n)
        self.type_names, self.type_codes = np.unique(types.to_numpy().astype(str), return_inverse=True)
        self._genre_lists = frame["genres"] if "genres" in frame.columns else None
        self._genre_masks: dict[str, np.ndarray] = {}
        self._type_masks: dict[tuple[str, ...], np.ndarray] = {}
        self.size = n

    def genre_mask(self, genre: str) -> np.ndarray:
        mask = self._genre_masks.get(genre)
        if mask is None:
            if self._genre_lists is None:
                mask = np.zeros(self.size, dtype=bool)
            else:
                mask = self._genre_lists.list.contains(genre).fill_null(False).to_numpy()
            self._genre_masks[genre] = mask
        return mask

    def mask(self, flt: TitleFilter) -> np.ndarray:
        """Rows passing ``flt``."""
        keep = np.ones(self.size, dtype=bool)
        if flt.types is not None:
            key = tuple(sorted(flt.types))
            if key not in self._type_masks:  # the same few type sets recur: one pass over the rows each
                self._type_masks[key] = np.isin(self.type_names, key)[self.type_codes]
            keep &= self._type_masks[key]
        if flt.genres is not None:
            any_genre = np.zeros(self.size, dtype=bool)
            for genre in flt.genres:
                any_genre |= self.genre_mask(genre)
            keep &= any_genre
        for values, low, high in (
            (self.year, flt.year_from, flt.year_to),
            (self.runtime, flt.runtime_min, flt.runtime_max),
            (self.rating, flt.min_rating, None),
            (self.votes, flt.min_votes, None),
        ):
            if low is not None:
                keep &= values >= low
            if high is not None:
                keep &= values <= high
        return keep
