"""PromptCloud's Kaggle "IMDB data" (``IMDB-Movie-Data.csv``, 1,000 movies 2006–2016): plot and people.

It has no IMDb id, so rows are matched to catalog titles by normalised title + year (±1 year when the exact
year finds nothing); rows that match nothing, or more than one title, are reported, not guessed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import polars as pl

from wtw.catalog.csvfile import read_csv
from wtw.catalog.tsv import FileReport

COLUMNS = ("Title", "Year", "Description", "Director", "Actors", "Runtime (Minutes)", "Genre")

_LEADING_ARTICLE = re.compile(r"^(the|a|an) ")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_title(title: str) -> str:
    """Lower-cased, accents and punctuation removed, ``&`` → ``and``, leading article dropped."""
    text = (
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    )
    text = _NON_WORD.sub(" ", text).strip()
    return _LEADING_ARTICLE.sub("", text)


def _split(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .fill_null("")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def read_promptcloud(path: Path, report: FileReport) -> pl.DataFrame:
    """IMDB-Movie-Data.csv → key (normalised title), year, overview, directors, cast, runtime, genres.

    Raises:
        InputError: the file is unreadable or lacks one of :data:`COLUMNS`.
    """
    frame = read_csv(path, report, required=COLUMNS)
    out = frame.select(
        pl.col("Title").str.strip_chars().alias("source_title"),
        pl.col("Year").str.strip_chars().cast(pl.Int32, strict=False).alias("start_year"),
        pl.col("Description").str.strip_chars().alias("overview"),
        _split("Director").alias("directors"),
        _split("Actors").alias("cast"),
        pl.col("Runtime (Minutes)").str.strip_chars().cast(pl.Int32, strict=False).alias("runtime_minutes"),
        _split("Genre").alias("genres"),
    )
    bad = out.filter(pl.col("source_title").is_null() | pl.col("start_year").is_null())
    if bad.height:
        report.reject(bad.height, f"no title/year: {bad.row(0)[:2]}")
    out = out.filter(pl.col("source_title").is_not_null() & pl.col("start_year").is_not_null())
    return out.with_columns(
        pl.col("source_title").map_elements(normalise_title, return_dtype=pl.String).alias("key")
    )


def match_promptcloud(rows: pl.DataFrame, catalog: pl.DataFrame, report: FileReport) -> pl.DataFrame:
    """Attach a catalog ``tconst`` to each row (title or original title + year); unmatched rows are reported.

    ``catalog`` needs tconst, title, original_title, start_year, type. Only movie-like types are candidates.
    """
    movies = catalog.filter(pl.col("type").is_in(["movie", "tvMovie", "video"]))
    keys = pl.concat(
        [
            movies.select("tconst", pl.col(column).alias("name"), "start_year")
            for column in ("title", "original_title")
        ]
    ).filter(pl.col("name").is_not_null())
    keys = keys.with_columns(
        pl.col("name").map_elements(normalise_title, return_dtype=pl.String).alias("key")
    )
    keys = keys.select("tconst", "key", "start_year").unique()
    matched: list[pl.DataFrame] = []
    pending = rows.with_row_index("row")
    for shift in (0, -1, 1):
        candidates = keys.with_columns((pl.col("start_year") - shift).alias("start_year"))
        joined = pending.join(candidates, on=["key", "start_year"], how="inner")
        unique = joined.group_by("row").agg(pl.col("tconst").n_unique().alias("n")).filter(pl.col("n") == 1)
        hits = joined.join(unique.select("row"), on="row").unique("row")
        matched.append(hits)
        pending = pending.join(hits.select("row"), on="row", how="anti")
    if pending.height:
        report.notes.append(f"{pending.height:,} rows matched no catalog title")
        for title, year in pending.select("source_title", "start_year").head(3).iter_rows():
            report.examples.append(f"unmatched {title} ({year})")
    result = pl.concat(matched, how="vertical_relaxed").drop("row", "key", "source_title")
    return result.unique("tconst", keep="first")
