"""Every staged IMDb slice builds a catalog; known facts are checked on real rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from wtw.catalog import CATALOG_SCHEMA, CatalogSources, build_catalog
from wtw.config import CatalogSettings


def _build(directory: Path, **kwargs) -> tuple[pl.DataFrame, object]:
    return build_catalog(CatalogSources(imdb_dir=directory, **kwargs), CatalogSettings())


def _title(catalog: pl.DataFrame, tconst: str) -> dict:
    rows = catalog.filter(pl.col("tconst") == tconst)
    assert rows.height == 1, tconst
    return rows.row(0, named=True)


def _check_schema(catalog: pl.DataFrame) -> None:
    assert catalog.columns == list(CATALOG_SCHEMA)
    assert dict(catalog.schema) == CATALOG_SCHEMA
    assert catalog["tconst"].is_unique().all()
    assert catalog["tconst"].to_list() == sorted(catalog["tconst"].to_list())
    assert catalog["document"].str.len_chars().max() <= CatalogSettings().document_max_chars


def test_all7_head99_uses_all_seven_files(shared_data: Path) -> None:
    catalog, report = _build(shared_data / "imdb" / "all7-head99")
    _check_schema(catalog)
    names = {f.name for f in report.files}
    assert {"title.basics", "title.akas", "title.crew", "title.principals", "title.ratings", "title.episode",
            "name.basics"} <= names  # fmt: skip
    assert report.rejected == 0
    carmencita = _title(catalog, "tt0000001")
    assert carmencita["title"] == "Carmencita" and carmencita["start_year"] == 1894
    assert carmencita["type"] == "short" and carmencita["genres"] == ["Documentary", "Short"]
    assert carmencita["rating"] == pytest.approx(5.8) and carmencita["votes"] == 1472
    assert "Καρμενσίτα" in carmencita["akas"]
    # the episode file's parents are not in this head slice: counted, not fatal
    episode = next(f for f in report.files if f.name == "title.episode")
    assert episode.unknown == 99


def test_head50k_known_films_director_cast_order(shared_data: Path) -> None:
    catalog, report = _build(shared_data / "imdb" / "head50k-2025-02")
    _check_schema(catalog)
    assert catalog.height > 40_000
    assert set(catalog["type"].unique()) <= set(CatalogSettings().title_types)
    tramp = _title(catalog, "tt0006177")
    assert (tramp["title"], tramp["type"], tramp["start_year"]) == ("The Tramp", "short", 1915)
    assert tramp["genres"] == ["Comedy", "Short"]
    assert tramp["directors"] == ["Charles Chaplin"]
    assert tramp["cast"][:2] == ["Charles Chaplin", "Billy Armstrong"]
    assert tramp["characters"][:2] == ["Tramp", "Minister"]
    # Lloyd Bacon plays two parts: billed once, both characters kept
    assert tramp["cast"].count("Lloyd Bacon") == 1
    assert "Second Thief / Edna's Fiancé" in tramp["characters"]
    assert tramp["rating"] is not None and tramp["votes"] > 1000
    assert "Directed by Charles Chaplin" in tramp["document"] and "The Tramp (1915)" in tramp["document"]
    trip = _title(catalog, "tt0000417")
    assert trip["title"] == "A Trip to the Moon" and trip["original_title"] == "Le voyage dans la lune"
    assert trip["genres"] == ["Adventure", "Comedy", "Fantasy"] and trip["runtime_minutes"] == 13
    # the restored principals file has a job starting with a bare quote; it must not swallow lines
    principals = next(f for f in report.files if f.name == "title.principals")
    assert principals.rejected == 0 and principals.read == 50_108
    names = next(f for f in report.files if f.name == "name.basics")
    assert any("referenced people not found" in n for n in names.notes)


def test_movies_sample_cast_in_billing_order(shared_data: Path) -> None:
    catalog, _ = _build(shared_data / "imdb" / "movies-sample2000-2022-10")
    _check_schema(catalog)
    assert catalog.height == 1994  # 6 adult titles excluded by default
    shadowtown = _title(catalog, "tt9806258")
    assert shadowtown["title"] == "Shadowtown" and shadowtown["start_year"] == 2020
    assert shadowtown["characters"][:4] == ["Maya", "María", "Asgeir", "Einar"]
    assert len(shadowtown["cast"]) == len(shadowtown["characters"]) >= 4
    assert shadowtown["rating"] is None  # no ratings file in this slice


def test_famous40_akas_find_amelie(shared_data: Path) -> None:
    catalog, report = _build(shared_data / "imdb" / "famous40")
    _check_schema(catalog)
    assert catalog.height == 40
    amelie = _title(catalog, "tt0211915")
    assert amelie["original_title"] == "Le fabuleux destin d'Amélie Poulain"
    assert "Le fabuleux destin d'Amélie Poulain" in amelie["document"]
    godfather = _title(catalog, "tt0068646")
    assert godfather["start_year"] == 1972 and godfather["genres"] == ["Crime", "Drama"]
    assert godfather["rating"] == pytest.approx(9.2)
    assert len(godfather["akas"]) <= CatalogSettings().max_akas
    assert len({a.casefold() for a in godfather["akas"]}) == len(godfather["akas"])
    assert "The Godfather" not in godfather["akas"]
    assert any("title.principals: not found" in n and "no cast" in n for n in report.notes)


def test_movies2017_with_complete_ratings_override(shared_data: Path) -> None:
    catalog, _ = _build(
        shared_data / "imdb" / "movies2017-subset-2018-05",
        ratings=shared_data / "imdb" / "title.ratings.tsv.gz",
    )
    assert 18_000 < catalog.height < 18_199  # adult titles excluded
    assert catalog["rating"].is_not_null().sum() > 5_000


def test_missing_title_basics_is_a_clear_error(tmp_path: Path) -> None:
    from wtw.errors import InputError

    with pytest.raises(InputError, match=r"title\.basics.*datasets\.imdbws\.com"):
        _build(tmp_path)
