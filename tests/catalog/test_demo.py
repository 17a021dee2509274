"""The bundled demo inputs: small, in the repository, and a useful catalog of well-known titles."""

from __future__ import annotations

import polars as pl
import pytest

from wtw.catalog import build_catalog
from wtw.catalog.demo import DATA, demo_sources
from wtw.config import CatalogSettings


@pytest.fixture(scope="module")
def demo() -> pl.DataFrame:
    catalog, report = build_catalog(demo_sources(), CatalogSettings())
    assert report.rejected == 0
    return catalog


def test_demo_inputs_are_small() -> None:
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total <= 3_000_000


def test_demo_catalog_content(demo: pl.DataFrame) -> None:
    assert demo.filter(pl.col("movielens_id").is_not_null()).height == 9742
    assert demo.filter(pl.col("type").is_in(["tvSeries", "tvMiniSeries"])).height >= 800
    assert demo["rating"].is_not_null().mean() > 0.9
    assert demo["overview"].is_not_null().sum() > 4500
    assert (demo["directors"].list.len() > 0).sum() > 3500
    toy = demo.filter(pl.col("tconst") == "tt0114709").row(0, named=True)
    assert toy["title"] == "Toy Story" and toy["start_year"] == 1995
    assert toy["directors"] == ["John Lasseter"] and "Tom Hanks" in toy["cast"]
    assert toy["overview"] and "Buzz" in toy["document"]
    assert {"imdb", "movielens", "tmdb"} <= set(toy["sources"])
