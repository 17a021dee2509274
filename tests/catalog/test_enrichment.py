"""Enrichment joins: MovieLens (links, titles, genres, tags), TMDB, Kaggle IMDB 5000, PromptCloud; sources."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from wtw.catalog import CatalogSources, build_catalog
from wtw.catalog.movielens import map_genres, parse_title
from wtw.catalog.promptcloud import normalise_title
from wtw.config import CatalogSettings

from .conftest import row


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Toy Story (1995)", ("Toy Story", 1995, None)),
        ("Shawshank Redemption, The (1994)", ("The Shawshank Redemption", 1994, None)),
        (
            "City of Lost Children, The (Cité des enfants perdus, La) (1995)",
            ("The City of Lost Children", 1995, "La Cité des enfants perdus"),
        ),
        ("Seven (a.k.a. Se7en) (1995)", ("Seven", 1995, "Se7en")),
        ("Misérables, Les (1995)", ("Les Misérables", 1995, None)),
        ("Death Note: Desu nôto (2006–2007)", ("Death Note: Desu nôto", 2006, None)),
        ("Hyena Road", ("Hyena Road", None, None)),
    ],
)
def test_parse_movielens_title(raw: str, expected: tuple) -> None:
    assert parse_title(raw) == expected


def test_genres_map_to_imdb_names() -> None:
    assert map_genres("Adventure|Children|Sci-Fi|IMAX") == ["Adventure", "Family", "Sci-Fi"]
    assert map_genres("(no genres listed)") == []
    assert map_genres("Film-Noir|Musical") == ["Film-Noir", "Musical"]


def test_normalised_titles() -> None:
    assert (
        normalise_title("The Lord of the Rings: The Return of the King")
        == "lord of the rings the return of the king"
    )
    assert normalise_title("Amélie") == normalise_title("amelie")
    assert normalise_title("Fast & Furious") == "fast and furious"


@pytest.fixture
def sources(tmp_path: Path, write_imdb) -> CatalogSources:
    """IMDb knows The Matrix only; MovieLens adds Toy Story; TMDB, Kaggle and PromptCloud enrich both."""
    write_imdb(
        "title.basics",
        [row("tt0133093", "movie", "The Matrix", "The Matrix", "0", "1999", "\\N", "\\N", "Action,Sci-Fi")],
    )
    write_imdb("title.ratings", [row("tt0133093", "8.7", "2000000"), row("tt0114709", "8.3", "1000000")])
    ml = tmp_path / "ml"
    ml.mkdir()
    (ml / "links.csv").write_text("movieId,imdbId,tmdbId\r\n2571,0133093,603\r\n1,0114709,862\r\n")
    (ml / "movies.csv").write_text(
        'movieId,title,genres\r\n2571,"Matrix, The (1999)",Action|Sci-Fi|Thriller\r\n'
        "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\r\n"
    )
    (ml / "tags.csv").write_text(
        "userId,movieId,tag,timestamp\r\n1,1,pixar,1\r\n2,1,Pixar,2\r\n3,1,fun,3\r\n4,2571,cyberpunk,4\r\n"
    )
    keywords = json.dumps([{"id": 1, "name": "toy"}, {"id": 2, "name": "friendship"}]).replace('"', '""')
    tmdb = tmp_path / "tmdb_5000_movies.csv"
    tmdb.write_text(
        f'id,title,overview,keywords\n862,Toy Story,"Woody, a cowboy doll, meets Buzz.","{keywords}"\n'
    )
    metadata = tmp_path / "movies_metadata.csv"
    metadata.write_text('id,imdb_id,overview\n603,tt0133093,"A hacker learns the truth about reality."\n')
    kaggle = tmp_path / "movie_metadata.csv"
    kaggle.write_text(
        "movie_title,title_year,duration,genres,director_name,actor_1_name,actor_2_name,actor_3_name,"
        "plot_keywords,movie_imdb_link\n"
        "The Matrix\u00a0,1999,136,Action|Sci-Fi,Lana Wachowski,"
        "Keanu Reeves,Laurence Fishburne,Carrie-Anne Moss,"
        "simulation|hacker,http://www.imdb.com/title/tt0133093/?ref_=fn_tt_tt_1\n"
        "Unknown Film\u00a0,2001,90,Drama,Someone,A,B,C,x,http://www.imdb.com/title/tt9999999/\n"
    )
    promptcloud = tmp_path / "IMDB-Movie-Data.csv"
    promptcloud.write_text(
        "Rank,Title,Genre,Description,Director,Actors,Year,Runtime (Minutes),"
        "Rating,Votes,Revenue (Millions),Metascore\n"
        '1,Toy Story,"Animation,Comedy",Toys come alive.,John Lasseter,'
        '"Tom Hanks, Tim Allen",1995,81,8.3,1,1,1\n'
        '2,Nowhere Film,Drama,Not in the catalog.,X,"A, B",2010,90,5,1,1,1\n'
    )
    return CatalogSources(
        imdb_dir=tmp_path / "imdb",
        movielens_dir=ml,
        tmdb_files=(tmdb, metadata),
        kaggle_imdb5000=kaggle,
        promptcloud=promptcloud,
    )


def test_enrichment_joins(sources: CatalogSources) -> None:
    catalog, report = build_catalog(sources, CatalogSettings())
    assert catalog["tconst"].to_list() == ["tt0114709", "tt0133093"]
    toy, matrix = catalog.iter_rows(named=True)

    # MovieLens-only movie becomes a row: parsed title/year, IMDb genre names, IMDb rating joined
    assert (toy["title"], toy["start_year"], toy["type"]) == ("Toy Story", 1995, "movie")
    assert toy["genres"] == ["Adventure", "Animation", "Family", "Comedy", "Fantasy"]
    assert (toy["rating"], toy["votes"], toy["movielens_id"]) == (pytest.approx(8.3), 1_000_000, 1)
    assert toy["tags"] == ["pixar", "fun"]  # case-insensitively distinct, most used first
    # TMDB via MovieLens tmdbId; PromptCloud by title + year fills people and runtime
    assert toy["overview"] == "Woody, a cowboy doll, meets Buzz."
    assert toy["keywords"] == ["toy", "friendship"]
    assert toy["directors"] == ["John Lasseter"] and toy["cast"] == ["Tom Hanks", "Tim Allen"]
    assert toy["characters"] == ["", ""] and toy["runtime_minutes"] == 81
    assert toy["sources"] == ["movielens", "imdb", "tmdb", "promptcloud"]

    # IMDb title: TMDB via imdb_id, Kaggle fills people, runtime and merges keywords
    assert matrix["genres"] == ["Action", "Sci-Fi"]  # IMDb's genres win over MovieLens'
    assert matrix["overview"] == "A hacker learns the truth about reality."
    assert matrix["directors"] == ["Lana Wachowski"]
    assert matrix["cast"] == ["Keanu Reeves", "Laurence Fishburne", "Carrie-Anne Moss"]
    assert matrix["runtime_minutes"] == 136 and matrix["keywords"] == ["simulation", "hacker"]
    assert matrix["tags"] == ["cyberpunk"]
    assert matrix["sources"] == ["imdb", "movielens", "tmdb", "kaggle-imdb5000"]
    assert "Keanu Reeves" in matrix["document"] and "A hacker learns" in matrix["document"]

    lines = "\n".join(report.lines())
    assert "1 linked movies missing from title.basics added" in lines
    assert "unmatched Nowhere Film (2010)" in lines
    assert "kaggle-imdb5000: 2 read" in lines and "1 rows about titles not in the catalog" in lines


def test_without_optional_sources_the_summary_says_what_is_lost(sources: CatalogSources) -> None:
    catalog, report = build_catalog(CatalogSources(imdb_dir=sources.imdb_dir), CatalogSettings())
    assert catalog.height == 1
    lines = "\n".join(report.lines())
    assert "title.principals: not found" in lines and "no cast" in lines
    assert "name.basics: not found" in lines


def test_movielens_covers_every_linked_movie(shared_data: Path) -> None:
    ml = shared_data / "movielens" / "ml-latest-small"
    catalog, _ = build_catalog(
        CatalogSources(
            imdb_dir=shared_data / "imdb" / "famous40",
            ratings=shared_data / "imdb" / "title.ratings.tsv.gz",
            movielens_dir=ml,
        ),
        CatalogSettings(),
    )
    linked = catalog.filter(pl.col("movielens_id").is_not_null())
    assert linked.height == 9742
    assert linked["rating"].is_not_null().sum() >= 9700
    heat = catalog.filter(pl.col("tconst") == "tt0113277").row(0, named=True)
    assert (heat["title"], heat["start_year"]) == ("Heat", 1995)
    assert heat["genres"] == ["Action", "Crime", "Thriller"]
