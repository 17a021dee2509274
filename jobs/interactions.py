"""All users' interactions, read from the database in chunks into compact numpy columns.

Rows stream from a server-side cursor ``chunk_rows`` at a time and become numpy arrays per chunk (user id,
title code, weight, time), so memory holds a few bytes per interaction instead of ORM objects. Each (user,
title) pair is then reduced to its strongest weight and latest time, the same reading of a history as
:func:`wtw.service.recommend.collab.user_weights` does for one user online; its earliest time is kept too
(when the pair first appeared, what the forward gate holds out by).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from wtw.service.models import Feedback, Rating
from wtw.service.recommend.collab import POSITIVE, interaction_weight

logger = logging.getLogger(__name__)

_RATING_WEIGHT = np.array([interaction_weight("rating", float(v)) for v in range(11)], dtype=np.float32)


@dataclass
class Interactions:
    """One row per (user, title) with a positive weight; ``titles[code]`` is the tconst of a title code."""

    users: np.ndarray  # int64 database user ids
    items: np.ndarray  # int32 title codes
    weights: np.ndarray  # float32
    times: np.ndarray  # int64 epoch seconds of the latest interaction
    titles: list[str]
    rows_read: int = 0
    rows_rejected: int = 0  # rows with no positive weight (low ratings, dislikes, hides): they train nothing
    first_times: np.ndarray | None = None  # int64 epoch seconds of the pair's earliest row (None: unknown)

    def __len__(self) -> int:
        return len(self.users)

    @property
    def n_users(self) -> int:
        return int(np.unique(self.users).size)

    def subset(self, mask: np.ndarray) -> Interactions:
        return Interactions(
            self.users[mask],
            self.items[mask],
            self.weights[mask],
            self.times[mask],
            self.titles,
            self.rows_read,
            self.rows_rejected,
            None if self.first_times is None else self.first_times[mask],
        )

    def positives(self) -> np.ndarray:
        return self.weights >= POSITIVE


def epoch_seconds(column: Any, dialect: str) -> Any:
    """``column`` as integer UTC epoch seconds, computed by the database.

    Converting in SQL skips building (and time-zone tagging) one Python datetime per row, which was half of
    the read's cost. Both dialects store UTC: SQLite as text, PostgreSQL as timestamptz.
    """
    if dialect == "sqlite":
        return sa.cast(sa.func.strftime("%s", column), sa.BigInteger)
    return sa.cast(sa.extract("epoch", column), sa.BigInteger)


class _Codes:
    """tconst → dense int code, grown as titles appear."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.titles: list[str] = []

    def __call__(self, tconsts: list[str]) -> np.ndarray:
        out = np.empty(len(tconsts), dtype=np.int32)
        for i, tconst in enumerate(tconsts):
            code = self.codes.get(tconst)
            if code is None:
                code = self.codes[tconst] = len(self.titles)
                self.titles.append(tconst)
            out[i] = code
        return out


def read_interactions(engine: Engine, *, chunk_rows: int = 50_000) -> Interactions:
    """Stream ratings and feedback, keep positive signals, reduce to one row per (user, title)."""
    codes = _Codes()
    parts: list[pl.DataFrame] = []
    rows_read = 0
    dialect = engine.dialect.name
    ratings = sa.select(
        col(Rating.user_id),
        col(Rating.tconst),
        col(Rating.rating),
        epoch_seconds(col(Rating.rated_at), dialect),
    )
    feedback = sa.select(
        col(Feedback.user_id),
        col(Feedback.tconst),
        col(Feedback.kind),
        epoch_seconds(col(Feedback.created_at), dialect),
    )
    with engine.connect() as conn:
        streamed = conn.execution_options(stream_results=True, yield_per=chunk_rows)
        for chunk in streamed.execute(ratings).partitions():
            users, tconsts, values, times = zip(*chunk, strict=True)
            rows_read += len(chunk)
            weights = _RATING_WEIGHT[np.clip(np.asarray(values, dtype=np.int64), 0, 10)]
            parts.append(_frame(users, codes(list(tconsts)), weights, np.asarray(times, dtype=np.int64)))
        for chunk in streamed.execute(feedback).partitions():
            users, tconsts, kinds, times = zip(*chunk, strict=True)
            rows_read += len(chunk)
            weights = np.fromiter((interaction_weight(k, None) for k in kinds), np.float32, len(kinds))
            parts.append(_frame(users, codes(list(tconsts)), weights, np.asarray(times, dtype=np.int64)))
    frame = (
        pl.concat(parts) if parts else _frame((), np.empty(0, np.int32), np.empty(0, np.float32), np.empty(0))
    )
    positive = frame.filter(pl.col("w") > 0)
    reduced = (
        positive.group_by("u", "i")
        .agg(pl.col("w").max(), pl.col("t").max(), pl.col("t").min().alias("first"))
        .sort("u", "t", "i")
    )
    logger.info(
        "interactions rows_read=%d rows_rejected=%d pairs=%d",
        rows_read,
        rows_read - positive.height,
        reduced.height,
    )
    return Interactions(
        users=reduced["u"].to_numpy().astype(np.int64),
        items=reduced["i"].to_numpy().astype(np.int32),
        weights=reduced["w"].to_numpy().astype(np.float32),
        times=reduced["t"].to_numpy().astype(np.int64),
        titles=codes.titles,
        rows_read=rows_read,
        rows_rejected=rows_read - positive.height,
        first_times=reduced["first"].to_numpy().astype(np.int64),
    )


def _frame(users: tuple, items: np.ndarray, weights: np.ndarray, times: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "u": np.asarray(users, dtype=np.int64),
            "i": items.astype(np.int32),
            "w": weights.astype(np.float32),
            "t": np.asarray(times, dtype=np.int64),
        }
    )
