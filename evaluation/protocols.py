"""Evaluation protocols on MovieLens: loaders, splits and the cold-start and new-title cuts.

Ratings are polars frames with columns ``user`` (Int64), ``item`` (Utf8), ``rating`` (Float64, MovieLens 0.5-5
stars) and ``timestamp`` (Int64, Unix seconds). Items are IMDb tconsts for ml-latest-small (mapped through
``links.csv``) and MovieLens ids (as strings) for ml-100k, whose files carry no IMDb id.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from wtw.errors import InputError

POSITIVE_THRESHOLD = 4.0
"""A held-out rating at or above this many stars is a relevant item."""

ML100K_FOLDS = ("u1", "u2", "u3", "u4", "u5")


@dataclass
class Split:
    """One train/test split. ``candidates`` is the catalog every recommender ranks (sorted, unique)."""

    name: str
    train: pl.DataFrame
    test: pl.DataFrame
    candidates: list[str]
    users: list[int] | None = None
    """Evaluate only these users (a cut); None = every user with a relevant held-out item."""
    notes: list[str] = field(default_factory=list)


def tconst_from_imdb_id(imdb_id: str | int) -> str:
    """MovieLens ``imdbId`` (zero-padded, no prefix) → IMDb tconst ``tt`` + at least 7 digits."""
    digits = str(imdb_id).strip()
    if not digits.isdigit():
        raise InputError(f"not an IMDb id: {imdb_id!r}")
    return "tt" + digits.zfill(7)


def load_ml_latest_small(root: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ratings keyed by tconst, and the movies table (item, movielens_id, title, genres list).

    Ratings of movies without an IMDb link are dropped (none in the official file).
    """
    base = root / "movielens" / "ml-latest-small"
    for name in ("ratings.csv", "links.csv", "movies.csv"):
        if not (base / name).is_file():
            raise InputError(f"missing {base / name}")
    links = pl.read_csv(base / "links.csv", schema_overrides={"imdbId": pl.Utf8, "tmdbId": pl.Utf8})
    links = links.with_columns(
        pl.col("imdbId").map_elements(tconst_from_imdb_id, return_dtype=pl.Utf8).alias("item")
    ).select("movieId", "item")
    ratings = (
        pl.read_csv(base / "ratings.csv")
        .join(links, on="movieId", how="inner")
        .select(
            pl.col("userId").cast(pl.Int64).alias("user"),
            "item",
            pl.col("rating").cast(pl.Float64),
            pl.col("timestamp").cast(pl.Int64),
        )
    )
    movies = (
        pl.read_csv(base / "movies.csv")
        .join(links, on="movieId", how="inner")
        .select(
            "item",
            pl.col("movieId").alias("movielens_id"),
            "title",
            pl.col("genres").str.split("|").alias("genres"),
        )
        .with_columns(pl.col("genres").list.filter(pl.element() != "(no genres listed)"))
    )
    return ratings, movies


def temporal_split(ratings: pl.DataFrame, *, holdout: float = 0.2, name: str = "temporal") -> Split:
    """Per user, the last ``holdout`` share of ratings by time (at least one) is held out.

    Ties in time are broken by item id so the split is deterministic.
    """
    if not 0.0 < holdout < 1.0:
        raise ValueError("holdout must be in (0, 1)")
    ranked = ratings.sort(["user", "timestamp", "item"]).with_columns(
        pl.int_range(pl.len()).over("user").alias("_pos"), pl.len().over("user").alias("_n")
    )
    n_test = (pl.col("_n") * holdout).ceil().cast(pl.Int64).clip(lower_bound=1)
    is_test = pl.col("_pos") >= pl.col("_n") - n_test
    cols = ["user", "item", "rating", "timestamp"]
    train = ranked.filter(~is_test).select(cols)
    test = ranked.filter(is_test).select(cols)
    candidates = sorted(set(ratings["item"].to_list()))
    return Split(name, train, test, candidates)


def read_ml100k_file(path: Path) -> pl.DataFrame:
    """An ml-100k ``u.data``-format file (tab-separated, no header; gzipped or not)."""
    if not path.is_file():
        raise InputError(f"missing {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        data = fh.read()
    return pl.read_csv(
        data,
        separator="\t",
        has_header=False,
        new_columns=["user", "item", "rating", "timestamp"],
        schema_overrides={"user": pl.Int64, "item": pl.Utf8, "rating": pl.Float64, "timestamp": pl.Int64},
    )


def ml100k_folds(root: Path, folds: tuple[str, ...] = ML100K_FOLDS) -> list[Split]:
    """The official ml-100k 5-fold splits u1-u5; candidates = all 1,682 movies."""
    base = root / "movielens" / "ml-100k"
    items = read_ml100k_file(base / "u.data")["item"].unique().sort().to_list()
    splits = []
    for fold in folds:
        train = read_ml100k_file(base / "splits" / f"{fold}.base.gz")
        test = read_ml100k_file(base / "splits" / f"{fold}.test.gz")
        splits.append(Split(f"ml-100k {fold}", train, test, items))
    return splits


def cold_start_cut(split: Split, *, max_history: int = 5, share: float = 0.25, seed: int = 0) -> Split:
    """A share of the evaluable users keep only their ``max_history`` most recent training ratings.

    The model is retrained on this reduced data, so those users are truly cold; only they are evaluated.
    """
    users = np.array(sorted(positive_users(split)))
    rng = np.random.default_rng(seed)
    cold = sorted(rng.choice(users, size=max(1, math.ceil(len(users) * share)), replace=False).tolist())
    recent = (
        split.train.filter(pl.col("user").is_in(cold))
        .sort(["user", "timestamp", "item"], descending=[False, True, True])
        .group_by("user", maintain_order=True)
        .head(max_history)
    )
    train = pl.concat([split.train.filter(~pl.col("user").is_in(cold)), recent])
    note = f"{len(cold)} users cut to their {max_history} most recent ratings"
    return Split(f"{split.name} cold-start", train, split.test, split.candidates, cold, [note])


def new_title_cut(split: Split, *, n_titles: int = 300, seed: int = 0) -> Split:
    """Titles with relevant held-out ratings are removed from training entirely; only they are candidates.

    Collaborative models cannot know them; content (and catalog metadata) can.
    """
    relevant = split.test.filter(pl.col("rating") >= POSITIVE_THRESHOLD)["item"].unique().sort().to_numpy()
    if relevant.size == 0:
        raise InputError(f"{split.name}: no relevant held-out items to hold out")
    rng = np.random.default_rng(seed)
    chosen = sorted(rng.choice(relevant, size=min(n_titles, relevant.size), replace=False).tolist())
    train = split.train.filter(~pl.col("item").is_in(chosen))
    test = split.test.filter(pl.col("item").is_in(chosen))
    note = f"{len(chosen)} titles removed from training; candidates are those titles only"
    return Split(f"{split.name} new-title", train, test, chosen, None, [note])


def validation_split(split: Split, *, holdout: float = 0.2) -> Split:
    """The training part of a split, split again in time: for tuning without touching the test set."""
    inner = temporal_split(split.train, holdout=holdout, name=f"{split.name} validation")
    inner.candidates = split.candidates
    return inner


def positive_users(split: Split, threshold: float = POSITIVE_THRESHOLD) -> set[int]:
    """Users with at least one relevant held-out item in the candidate catalog and some training history."""
    cands = set(split.candidates)
    pos = split.test.filter((pl.col("rating") >= threshold) & pl.col("item").is_in(list(cands)))
    have_train = set(split.train["user"].unique().to_list())
    return {u for u in pos["user"].unique().to_list() if u in have_train}
