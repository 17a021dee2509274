"""`wtw embed --engine ray` on a local Ray instance: the same vectors as the local engine."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from wtw.cli import app
from wtw.config import get_settings
from wtw.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture
def local_ray() -> Iterator[None]:
    """A local Ray instance of two CPUs, shut down afterwards."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, log_to_driver=False, include_dashboard=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.mark.usefixtures("settings_env", "local_ray")
def test_ray_engine_gives_the_local_vectors(
    monkeypatch: pytest.MonkeyPatch,
    publish_catalog: Callable[..., str],
    demo_catalog: pl.DataFrame,
    reference_encoder,
) -> None:
    monkeypatch.setenv("WTW_EMBEDDING__DEVICE", "cpu")
    get_settings.cache_clear()
    small = demo_catalog.sample(48, seed=1).sort("tconst").select("tconst", "document", "doc_hash")
    catalog_version = publish_catalog(small)

    result = CliRunner().invoke(app, ["embed", "--engine", "ray", "--batch-size", "8"])

    assert result.exit_code == 0, result.output
    assert "48 embedded" in result.output
    art = open_store(get_settings()).fetch("vectors")
    assert art.manifest["engine"] == "ray" and art.manifest["catalog_version"] == catalog_version
    assert art.file("tconsts.txt").read_text().split() == small["tconst"].to_list()
    vectors = np.load(art.file("vectors.npy"))
    local = reference_encoder.encode(small["document"].to_list())
    assert vectors.dtype == np.float32 and vectors.shape == local.shape
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert (vectors * local).sum(axis=1).min() >= 0.9999
    np.testing.assert_allclose(vectors, local, atol=1e-4)

    # A rebuild sends only the changed documents through the actors (the other batches come back empty).
    changed = small.with_columns(
        pl.when(pl.int_range(pl.len()) < 3)
        .then(pl.col("document") + " Remastered.")
        .otherwise(pl.col("document"))
        .alias("document")
    ).with_columns(
        pl.col("document")
        .map_elements(lambda d: hashlib.sha256(d.encode()).hexdigest(), pl.String)
        .alias("doc_hash")
    )
    publish_catalog(changed)

    again = CliRunner().invoke(app, ["embed", "--engine", "ray", "--batch-size", "8"])

    assert again.exit_code == 0, again.output
    assert "3 embedded" in again.output and "45 reused" in again.output
    rebuilt = np.load(open_store(get_settings()).fetch("vectors").file("vectors.npy"))
    np.testing.assert_allclose(rebuilt, reference_encoder.encode(changed["document"].to_list()), atol=1e-4)
