"""The catalog table's columns and types (docs/architecture.md), and reading it back."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from wtw.errors import ArtifactError

_LIST = pl.List(pl.String)
CATALOG_SCHEMA: dict[str, pl.DataType] = {
    "tconst": pl.String(),
    "title": pl.String(),
    "original_title": pl.String(),
    "akas": _LIST,
    "type": pl.String(),
    "start_year": pl.Int32(),
    "end_year": pl.Int32(),
    "runtime_minutes": pl.Int32(),
    "genres": _LIST,
    "directors": _LIST,
    "writers": _LIST,
    "cast": _LIST,
    "characters": _LIST,
    "rating": pl.Float32(),
    "votes": pl.Int32(),
    "seasons": pl.Int32(),
    "episodes": pl.Int32(),
    "overview": pl.String(),
    "keywords": _LIST,
    "tags": _LIST,
    "movielens_id": pl.Int32(),
    "sources": _LIST,
    "document": pl.String(),
    "doc_hash": pl.String(),
}


def empty_lists() -> list[str]:
    """List columns: never null, empty when unknown."""
    return [name for name, dtype in CATALOG_SCHEMA.items() if dtype == _LIST]


def read_catalog(path: Path | str) -> pl.DataFrame:
    """Read a catalog Parquet file (or the ``catalog.parquet`` inside a directory) and check its columns.

    Raises:
        ArtifactError: the file is missing or lacks catalog columns.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "catalog.parquet"
    if not path.is_file():
        raise ArtifactError(f"catalog not found: {path}")
    frame = pl.read_parquet(path)
    missing = [c for c in CATALOG_SCHEMA if c not in frame.columns]
    if missing:
        raise ArtifactError(f"{path} is not a catalog: missing columns {', '.join(missing)}")
    return frame


def write_catalog(frame: pl.DataFrame, path: Path) -> Path:
    """Write the catalog Parquet atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    frame.write_parquet(tmp, compression="zstd", statistics=True)
    tmp.replace(path)
    return path
