"""`wtw ingest`: IMDb's datasets (+ MovieLens, TMDB, Kaggle files) → the versioned catalog artifact."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wtw.config import get_settings
from wtw.errors import InputError
from wtw.progress import console, summarised


def register(app: typer.Typer) -> None:
    """Add `wtw ingest`."""
    app.command("ingest")(ingest_command)


def ingest_command(
    *,
    source: Annotated[
        Path | None,
        typer.Option("--source", help="Folder of IMDb's .tsv(.gz) files (default: the data dir)."),
    ] = None,
    download: Annotated[
        bool, typer.Option("--download", help="Fetch IMDb's files into the data dir.")
    ] = False,
    demo: Annotated[bool, typer.Option("--demo", help="Ingest the bundled demo inputs.")] = False,
    ratings: Annotated[
        Path | None, typer.Option("--ratings", help="A title.ratings file to use instead of --source's.")
    ] = None,
    movielens: Annotated[
        Path | None, typer.Option("--movielens", help="MovieLens folder (links, movies, tags).")
    ] = None,
    tmdb: Annotated[
        list[Path] | None,
        typer.Option("--tmdb", help="TMDB export (tmdb_5000_movies.csv, movies_metadata.csv)."),
    ] = None,
    kaggle_imdb5000: Annotated[
        Path | None, typer.Option("--kaggle-imdb5000", help="Kaggle IMDB 5000 movie_metadata.csv.")
    ] = None,
    promptcloud: Annotated[
        Path | None, typer.Option("--promptcloud", help="PromptCloud IMDB-Movie-Data.csv.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the catalog Parquet here.")] = None,
    publish: Annotated[
        bool, typer.Option("--publish/--no-publish", help="Publish to the artifact store.")
    ] = True,
    include_adult: Annotated[bool, typer.Option("--include-adult", help="Keep adult titles.")] = False,
    include_episodes: Annotated[bool, typer.Option("--include-episodes", help="Keep TV episodes.")] = False,
) -> None:
    """Build the title catalog and the text documents to embed, and publish them as a `catalog` artifact."""
    from wtw.catalog.builder import CatalogSources
    from wtw.catalog.ingest import ingest

    settings = get_settings()
    catalog_settings = settings.catalog.model_copy(
        update={
            "include_adult": include_adult or settings.catalog.include_adult,
            "include_episodes": include_episodes or settings.catalog.include_episodes,
        }
    )
    if catalog_settings.include_episodes and "tvEpisode" not in catalog_settings.title_types:
        catalog_settings.title_types = (*catalog_settings.title_types, "tvEpisode")
    settings = settings.model_copy(update={"catalog": catalog_settings})
    for path in (ratings, movielens, kaggle_imdb5000, promptcloud, *(tmdb or ())):
        if path is not None and not path.exists():
            raise InputError(f"{path} does not exist")
    if demo:
        from wtw.catalog.demo import demo_sources

        sources = demo_sources()
    else:
        imdb_dir = source or settings.data_dir
        if download:
            from wtw.catalog.download import download_imdb

            download_imdb(settings.imdb_base_url, settings.data_dir)
            imdb_dir = source or settings.data_dir
        sources = CatalogSources(
            imdb_dir=imdb_dir,
            ratings=ratings,
            movielens_dir=movielens,
            tmdb_files=tuple(tmdb or ()),
            kaggle_imdb5000=kaggle_imdb5000,
            promptcloud=promptcloud,
        )
    with summarised("ingest") as summary:
        result = ingest(sources, settings, out=out, publish=publish)
        summary.read, summary.rejected = result.report.read, result.report.rejected
        summary.notes.append(f"{result.catalog.height:,} titles")
        if result.version:
            summary.notes.append(f"catalog {result.version}")
        if out:
            summary.notes.append(f"written to {out}")
    for line in result.report.lines():
        console.print(f"  {line}", highlight=False, markup=False)
