"""MovieLens enrichment: links (movieId ↔ tconst ↔ tmdbId), titles/genres of movies IMDb lacks, user tags.

``movies.csv`` titles look like ``"City of Lost Children, The (Cité des enfants perdus, La) (1995)"``:
the year, the moved article and the alternate title in parentheses are parsed out.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from wtw.catalog.csvfile import columns_of, iter_csv, read_csv
from wtw.catalog.tsv import FileReport

GENRE_TO_IMDB = {"Children": "Family", "(no genres listed)": None, "IMAX": None}
"""MovieLens genre → IMDb genre name (None: dropped); every other MovieLens genre already has IMDb's name."""

ARTICLES = (
    "The",
    "A",
    "An",
    "Les",
    "Le",
    "La",
    "L'",
    "Il",
    "El",
    "Los",
    "Las",
    "Der",
    "Die",
    "Das",
    "Den",
    "Det",
)
_YEAR = re.compile(r"\s*\((?P<year>\d{4})(?:\s*[-–]\s*\d{0,4})?\)\s*$")
_AKA = re.compile(r"\s*\((?P<aka>[^()]+)\)\s*$")
_MOVED = re.compile(r"^(?P<rest>.+), (?P<article>" + "|".join(re.escape(a) for a in ARTICLES) + r")$")


def _unmove_article(title: str) -> str:
    """``Shawshank Redemption, The`` → ``The Shawshank Redemption``."""
    match = _MOVED.match(title.strip())
    if not match:
        return title.strip()
    article = match["article"]
    space = "" if article.endswith("'") else " "
    return f"{article}{space}{match['rest']}"


def parse_title(raw: str) -> tuple[str, int | None, str | None]:
    """MovieLens title → (title, year, alternate title)."""
    text = raw.strip()
    year = None
    if match := _YEAR.search(text):
        year = int(match["year"])
        text = text[: match.start()]
    aka = None
    if (match := _AKA.search(text)) and match.start() > 0:
        aka = match["aka"].strip()
        text = text[: match.start()]
        if aka.lower().startswith("a.k.a. "):
            aka = aka[7:]
    return _unmove_article(text), year, _unmove_article(aka) if aka else None


def map_genres(raw: str | None) -> list[str]:
    """``Adventure|Children|Sci-Fi`` → ``["Adventure", "Family", "Sci-Fi"]`` (IMDb names, order kept)."""
    out: list[str] = []
    for genre in (raw or "").split("|"):
        mapped = GENRE_TO_IMDB.get(genre, genre)
        if mapped and mapped not in out:
            out.append(mapped)
    return out


def _integer(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().cast(pl.Int32, strict=False)


def read_links(path: Path, report: FileReport) -> pl.DataFrame:
    """links.csv → movielens_id, tconst (``tt`` + at least 7 digits), tmdb_id (null when empty)."""
    frame = read_csv(path, report, required=("movieId", "imdbId", "tmdbId")).select(
        _integer("movieId").alias("movielens_id"),
        pl.col("imdbId").str.strip_chars().cast(pl.Int64, strict=False).alias("imdb_number"),
        pl.col("tmdbId").str.strip_chars().cast(pl.Int64, strict=False).alias("tmdb_id"),
    )
    bad = frame.filter(pl.col("movielens_id").is_null() | pl.col("imdb_number").is_null())
    if bad.height:
        report.reject(bad.height, f"link without movieId/imdbId: {bad.row(0)}")
    frame = frame.filter(pl.col("movielens_id").is_not_null() & pl.col("imdb_number").is_not_null())
    return frame.select(
        "movielens_id",
        pl.concat_str(pl.lit("tt"), pl.col("imdb_number").cast(pl.String).str.zfill(7)).alias("tconst"),
        "tmdb_id",
    ).unique("tconst", keep="first", maintain_order=True)


def read_movies(path: Path, report: FileReport) -> pl.DataFrame:
    """movies.csv → movielens_id, title, year, aka, genres (IMDb names)."""
    frame = read_csv(path, report, required=("movieId", "title", "genres"))
    rows = []
    for movie_id, raw_title, raw_genres in frame.select("movieId", "title", "genres").iter_rows():
        try:
            number = int(movie_id)
        except (TypeError, ValueError):
            report.reject(1, f"movieId {movie_id!r}")
            continue
        title, year, aka = parse_title(raw_title or "")
        rows.append((number, title, year, aka, map_genres(raw_genres)))
    return pl.DataFrame(
        rows,
        schema={"movielens_id": pl.Int32, "title": pl.String, "start_year": pl.Int32, "aka": pl.String,
                "genres": pl.List(pl.String)},
        orient="row",
    )  # fmt: skip


def read_tags(path: Path, report: FileReport, max_tags: int = 15) -> pl.DataFrame:
    """tags.csv → per movie the most used user tags (case-insensitively distinct), at most ``max_tags``."""
    raw = read_csv(path, report, required=("movieId", "tag"))
    bad = raw.filter(_integer("movieId").is_null())
    if bad.height:
        report.reject(bad.height, f"tag with movieId {bad['movieId'][0]!r}")
    frame = raw.select(_integer("movieId").alias("movielens_id"), pl.col("tag").str.strip_chars())
    frame = frame.filter(pl.col("movielens_id").is_not_null() & (pl.col("tag").str.len_chars() > 0))
    return (
        frame.with_columns(pl.col("tag").str.to_lowercase().alias("key"))
        .group_by("movielens_id", "key")
        .agg(pl.len().alias("uses"), pl.col("tag").first())
        .sort(["movielens_id", "uses", "key"], descending=[False, True, False])
        .group_by("movielens_id", maintain_order=True)
        .agg(pl.col("tag").head(max_tags).alias("tags"))
    )


def read_genome(
    scores: Path, names: Path, report: FileReport, *, min_relevance: float = 0.8, top: int = 10
) -> pl.DataFrame:
    """Tag genome (genome-scores.csv + genome-tags.csv) → per movie its most relevant tag names.

    The scores file (15M rows in ml-25m) is streamed and filtered batch by batch; rows with unparsable
    numbers, in either file, are rejected with examples.
    """
    raw = read_csv(names, report, required=("tagId", "tag"))
    tags = _typed(raw, report, names, _integer("tagId"), "tag").unique("tagId", keep="first")
    kept = []
    for batch in iter_csv(scores, columns_of(scores, ("movieId", "tagId", "relevance")), report):
        relevance = pl.col("relevance").str.strip_chars().cast(pl.Float32, strict=False)
        typed = _typed(batch, report, scores, _integer("movieId"), _integer("tagId"), relevance)
        kept.append(typed.filter(pl.col("relevance") >= min_relevance))
    frame = (
        pl.concat(kept)
        if kept
        else pl.DataFrame(schema={"movieId": pl.Int32, "tagId": pl.Int32, "relevance": pl.Float32})
    )
    return (
        frame.join(tags, on="tagId")
        .sort(["movieId", "relevance"], descending=[False, True])
        .group_by("movieId", maintain_order=True)
        .agg(pl.col("tag").head(top).alias("genome"))
        .rename({"movieId": "movielens_id"})
    )


def _typed(raw: pl.DataFrame, report: FileReport, path: Path, *columns: pl.Expr | str) -> pl.DataFrame:
    """``raw`` cast by ``columns``; rows with a null (empty or unparsable) value are rejected."""
    typed = raw.select(*columns)
    bad = pl.any_horizontal(pl.all().is_null())
    mask = typed.select(bad.alias("bad")).to_series()
    if count := int(mask.sum()):
        report.reject(count, f"{path.name}: unparsable row {raw.filter(mask).row(0)}")
        return typed.filter(~mask)
    return typed
