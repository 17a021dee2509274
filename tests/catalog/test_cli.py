"""`wtw ingest` end to end: staged slice → published catalog artifact, summary and per-file notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from wtw.catalog import read_catalog
from wtw.cli import app
from wtw.errors import ArtifactError


def test_ingest_publishes_a_catalog(shared_data: Path, settings_env: Path) -> None:
    out = settings_env / "copy" / "catalog.parquet"
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            "--source", str(shared_data / "imdb" / "famous40"),
            "--ratings", str(shared_data / "imdb" / "title.ratings.tsv.gz"),
            "--promptcloud", str(shared_data / "promptcloud-imdb1000" / "IMDB-Movie-Data.csv"),
            "--out", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ingest: " in result.output and "rejected" in result.output and "40 titles" in result.output
    assert "title.principals: not found" in result.output
    assert "promptcloud: 1,000 read" in result.output
    latest = (settings_env / "artifacts" / "catalog" / "LATEST").read_text().strip()
    published = read_catalog(settings_env / "artifacts" / "catalog" / latest / "catalog.parquet")
    assert published.equals(read_catalog(out))
    inception = published.filter(published["tconst"] == "tt1375666").row(0, named=True)
    assert "promptcloud" in inception["sources"] and inception["directors"] == ["Christopher Nolan"]


def test_ingest_without_title_basics_fails_cleanly(settings_env: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", "--source", str(settings_env)])
    assert result.exit_code != 0
    assert "title.basics" in str(result.exception) or "title.basics" in result.output


def test_read_catalog_rejects_other_files(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="not found"):
        read_catalog(tmp_path / "nope.parquet")
    import polars as pl

    pl.DataFrame({"tconst": ["tt1"]}).write_parquet(tmp_path / "x.parquet")
    with pytest.raises(ArtifactError, match="missing columns"):
        read_catalog(tmp_path / "x.parquet")
