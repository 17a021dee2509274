"""Kaggle "IMDB 5000 Movie Dataset" (``movie_metadata.csv``): director, three actors, runtime, plot keywords.

The staged IMDb people files do not cover MovieLens' movies; this file fills people for ~3.5k of them.
The tconst is the ``tt…`` inside ``movie_imdb_link``; titles end in a non-breaking space in the original,
which is stripped.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from wtw.catalog.csvfile import read_csv
from wtw.catalog.tsv import FileReport
from wtw.errors import InputError

COLUMNS = ("movie_imdb_link", "movie_title", "title_year", "duration", "director_name", "actor_1_name",
           "actor_2_name", "actor_3_name", "plot_keywords")  # fmt: skip


def _names(*columns: str) -> pl.Expr:
    cleaned = [pl.col(c).str.strip_chars() for c in columns]
    return pl.concat_list(cleaned).list.eval(
        pl.element().filter(pl.element().is_not_null() & (pl.element() != ""))
    )


def _number(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().cast(pl.Float64, strict=False).cast(pl.Int32, strict=False)


def _split(column: str, separator: str) -> pl.Expr:
    parts = pl.col(column).fill_null("").str.split(separator).list.eval(pl.element().str.strip_chars())
    return parts.list.eval(pl.element().filter(pl.element() != ""))


def read_imdb5000(path: Path, report: FileReport) -> pl.DataFrame:
    """movie_metadata.csv → tconst, title, start_year, runtime_minutes, genres, directors, cast, keywords.

    Raises:
        InputError: the file is unreadable or lacks a column (genres may be called ``category``).
    """
    frame = read_csv(path, report, required=COLUMNS, optional=("genres", "category"))
    genres = next((c for c in ("genres", "category") if c in frame.columns), None)
    if genres is None:
        raise InputError(f"{path}: no genres (or category) column in its header")
    out = frame.select(
        pl.col("movie_imdb_link").str.extract(r"(tt\d{7,})").alias("tconst"),
        pl.col("movie_title").str.strip_chars(" \u00a0\t").alias("title"),
        _number("title_year").alias("start_year"),
        _number("duration").alias("runtime_minutes"),
        _split(genres, "|").alias("genres"),
        _names("director_name").alias("directors"),
        _names("actor_1_name", "actor_2_name", "actor_3_name").alias("cast"),
        _split("plot_keywords", "|").alias("keywords"),
    )  # fmt: skip
    bad = out.filter(pl.col("tconst").is_null())
    if bad.height:
        report.reject(bad.height, f"no IMDb link for {bad['title'][0]!r}")
    out = out.filter(pl.col("tconst").is_not_null())
    duplicates = out.height - out["tconst"].n_unique()
    if duplicates:
        report.notes.append(f"{duplicates:,} duplicate rows dropped")
    return out.unique("tconst", keep="first", maintain_order=True)
