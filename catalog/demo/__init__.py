"""The bundled demo inputs (built by ``build_demo.py`` from ../shared/data; provenance in README.md)."""

from __future__ import annotations

from pathlib import Path

from wtw.catalog.builder import CatalogSources

DATA = Path(__file__).resolve().parent / "data"


def demo_sources() -> CatalogSources:
    """Source paths of the demo catalog: ~9.7k MovieLens movies plus famous films and classic TV series."""
    return CatalogSources(
        imdb_dir=DATA / "imdb",
        movielens_dir=DATA / "movielens",
        tmdb_files=(DATA / "tmdb" / "tmdb_5000_movies.csv.gz", DATA / "tmdb" / "movies_metadata.csv.gz"),
        kaggle_imdb5000=DATA / "kaggle-imdb5000" / "movie_metadata.csv.gz",
        promptcloud=DATA / "promptcloud" / "IMDB-Movie-Data.csv.gz",
    )


__all__ = ["DATA", "demo_sources"]
