"""TMDB enrichment: plot overviews and keywords from Kaggle's TMDB exports.

Two layouts are read: ``tmdb_5000_movies.csv`` (TMDB ``id``, ``overview``, ``keywords`` as JSON) and The
Movies Dataset's ``movies_metadata.csv`` (``id``, ``imdb_id``, ``overview``). Rows join to the catalog
through ``imdb_id`` when the file has it, else through MovieLens' ``tmdbId``.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from wtw.catalog.csvfile import read_csv
from wtw.catalog.tsv import FileReport


def keyword_names(raw: str | None) -> list[str]:
    """TMDB's JSON list of ``{"id": .., "name": ..}`` → names; anything unparsable → []."""
    try:
        items = json.loads(raw) if raw else []
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    return [str(item["name"]).strip() for item in items if isinstance(item, dict) and item.get("name")]


def read_tmdb(path: Path, report: FileReport) -> pl.DataFrame:
    """One TMDB file → tmdb_id (Int64), tconst (or null), overview, keywords (list[str]).

    Raises:
        InputError: the file is unreadable or has no ``id``/``overview`` column.
    """
    frame = read_csv(path, report, required=("id", "overview"), optional=("imdb_id", "keywords"))
    tconst = pl.col("imdb_id") if "imdb_id" in frame.columns else pl.lit(None, dtype=pl.String)
    keywords = (
        pl.col("keywords").map_elements(keyword_names, return_dtype=pl.List(pl.String))
        if "keywords" in frame.columns
        else pl.lit([], dtype=pl.List(pl.String))
    )
    out = frame.select(
        pl.col("id").str.strip_chars().cast(pl.Int64, strict=False).alias("tmdb_id"),
        tconst.str.strip_chars().alias("tconst"),
        pl.col("overview").str.strip_chars().alias("overview"),
        keywords.alias("keywords"),
    )
    bad = out.filter(pl.col("tmdb_id").is_null() & pl.col("tconst").is_null())
    if bad.height:
        report.reject(bad.height, "row without a usable id")
    return out.filter(pl.col("tmdb_id").is_not_null() | pl.col("tconst").is_not_null()).with_columns(
        pl.when(pl.col("tconst").str.contains(r"^tt\d+$")).then(pl.col("tconst")).alias("tconst"),
        pl.when(pl.col("overview").str.len_chars() > 0).then(pl.col("overview")).alias("overview"),
    )


def tmdb_by_tconst(tmdb: pl.DataFrame, links: pl.DataFrame | None) -> pl.DataFrame:
    """TMDB rows keyed by tconst: direct ``imdb_id`` first, then MovieLens' tmdbId; first non-empty wins."""
    direct = tmdb.filter(pl.col("tconst").is_not_null()).select("tconst", "overview", "keywords")
    parts = [direct]
    if links is not None:
        via_links = (
            tmdb.drop("tconst")
            .join(links.filter(pl.col("tmdb_id").is_not_null()).select("tmdb_id", "tconst"), on="tmdb_id")
            .select("tconst", "overview", "keywords")
        )
        parts.append(via_links)
    both = pl.concat(parts, how="vertical_relaxed")
    return both.group_by("tconst", maintain_order=True).agg(
        pl.col("overview").drop_nulls().first(),
        pl.col("keywords").filter(pl.col("keywords").list.len() > 0).first().fill_null([]),
    )
