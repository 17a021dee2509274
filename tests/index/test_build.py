"""`build_index` / `wtw index build`: a vectors artifact → a published index artifact, locally and on S3."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from wtw.cli import app
from wtw.config import get_settings
from wtw.errors import ArtifactError, ConfigError, NotFoundError
from wtw.index import TitleFilter, TitleIndex, build_index
from wtw.store import ArtifactStore, open_store

from .conftest import brute_force, clustered, tconsts

BUCKET = "wtw-index-test"


def test_build_publishes_index_vocab_vectors_and_manifest(
    settings_env: Path, publish_vectors: Callable[..., str], catalog: pl.DataFrame
) -> None:
    vectors, ids = clustered(400), tconsts(400)
    vectors_version = publish_vectors(vectors, ids, model_id="m-32", catalog_version="cat-1")
    result = build_index(get_settings())
    assert (result.kind, result.count, result.vectors_version) == ("flat", 400, vectors_version)
    art = open_store(get_settings()).fetch("index")
    assert art.version == result.version
    m = art.manifest
    assert (m["model_id"], m["dim"], m["count"], m["metric"]) == ("m-32", 32, 400, "ip")
    assert (m["index_kind"], m["index_params"], m["recall_at_10"]) == ("flat", {}, 1.0)
    assert (m["catalog_version"], m["vectors_version"]) == ("cat-1", vectors_version)
    assert set(m["files"]) == {"index.faiss", "vocab.json", "vectors.npy"}
    np.testing.assert_array_equal(np.load(art.file("vectors.npy")), vectors)

    index = TitleIndex.load(art, catalog, model_id="m-32", dim=32)
    assert (len(index), index.kind, index.model_id, index.dim) == (400, "flat", "m-32", 32)
    assert index.vocab.tconsts == ids
    hits = index.search(vectors[:5], 3)
    assert [[h.row for h in row] for row in hits] == brute_force(vectors, vectors[:5], 3).tolist()


@pytest.mark.parametrize("kind", ["hnsw", "ivfpq"])
def test_kind_override_and_measured_recall_in_manifest(
    settings_env: Path, publish_vectors: Callable[..., str], catalog: pl.DataFrame, kind: str
) -> None:
    vectors, ids = clustered(1200), tconsts(1200)
    publish_vectors(vectors, ids)
    result = build_index(get_settings(), kind=kind)
    art = open_store(get_settings()).fetch("index")
    assert art.manifest["index_kind"] == result.kind == kind
    assert 0.85 <= art.manifest["recall_at_10"] == result.recall_at_10 <= 1.0
    assert art.manifest["recall_queries"] == 1000
    index = TitleIndex.load(art, catalog)
    (hits,) = index.search(vectors[3], 5, filter=TitleFilter(types=("movie",)), exclude={ids[3]})
    assert len(hits) == 5 and ids[3] not in {h.tconst for h in hits}
    np.testing.assert_array_equal(index.vectors, vectors)
    # HNSW serves its own copy of the vectors (one in memory, not two); IVF-PQ has none, so the file's
    assert isinstance(index.vectors, np.memmap) == (kind == "ivfpq")
    assert not index.vectors.flags.writeable
    served = np.asarray(index.vectors, dtype=np.float32)  # what the service keeps; it may drop the index
    del index, hits
    gc.collect()
    np.testing.assert_array_equal(served, vectors)


def test_auto_kind_follows_flat_max_from_settings(
    settings_env: Path, publish_vectors: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WTW_INDEX__FLAT_MAX", "100")
    monkeypatch.setenv("WTW_INDEX__HNSW_EF_SEARCH", "48")
    get_settings.cache_clear()
    publish_vectors(clustered(300), tconsts(300))
    result = build_index(get_settings())
    assert result.kind == "hnsw"
    params = open_store(get_settings()).fetch("index").manifest["index_params"]
    assert params["efSearch"] == 48 and params["M"] == 48


def test_model_or_dimension_mismatch_is_refused(
    settings_env: Path, publish_vectors: Callable[..., str], catalog: pl.DataFrame
) -> None:
    publish_vectors(clustered(200), tconsts(200), model_id="model-a")
    build_index(get_settings())
    art = open_store(get_settings()).fetch("index")
    with pytest.raises(
        ArtifactError, match=r"built with model 'model-a', but the encoder is 'model-b'; rebuild"
    ):
        TitleIndex.load(art, catalog, model_id="model-b")
    with pytest.raises(ArtifactError, match="has dimension 32, the encoder gives 384"):
        TitleIndex.load(art, catalog, model_id="model-a", dim=384)
    vectors_art = open_store(get_settings()).fetch("vectors")
    with pytest.raises(ArtifactError, match="not an index"):
        TitleIndex.load(vectors_art, catalog)


def test_inconsistent_or_missing_vectors_are_clear_errors(
    settings_env: Path, publish_vectors: Callable[..., str]
) -> None:
    with pytest.raises(NotFoundError, match="no vectors artifact"):
        build_index(get_settings())
    publish_vectors(clustered(10), tconsts(9))
    with pytest.raises(ArtifactError, match="disagree with the manifest"):
        build_index(get_settings())
    publish_vectors(clustered(10), tconsts(10))
    with pytest.raises(ConfigError, match="unknown index kind"):
        build_index(get_settings(), kind="lsh")


def test_tampered_vocabulary_is_refused_on_load(
    settings_env: Path, publish_vectors: Callable[..., str], catalog: pl.DataFrame
) -> None:
    publish_vectors(clustered(50), tconsts(50))
    build_index(get_settings())
    art = open_store(get_settings()).fetch("index")
    manifest = {**art.manifest, "vocab_sha256": "0" * 64}
    with pytest.raises(ArtifactError, match="does not match its hash"):
        TitleIndex.load(type(art)(art.kind, art.version, art.path, manifest), catalog)


def test_cli_builds_with_kind_and_version(settings_env: Path, publish_vectors: Callable[..., str]) -> None:
    first = publish_vectors(clustered(300), tconsts(300))
    publish_vectors(clustered(200, seed=9), tconsts(200))
    result = CliRunner().invoke(app, ["index", "build", "--kind", "hnsw", "--vectors-version", first])
    assert result.exit_code == 0, result.output
    assert "hnsw index" in result.output and "recall@10" in result.output and first in result.output
    manifest = open_store(get_settings()).fetch("index").manifest
    assert (manifest["vectors_version"], manifest["count"], manifest["index_kind"]) == (first, 300, "hnsw")


def test_cli_reports_a_missing_vectors_artifact_without_traceback(settings_env: Path) -> None:
    import subprocess
    import sys

    code = "import sys; sys.argv = ['wtw', 'index', 'build']; from wtw.cli import main; main()"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == NotFoundError.exit_code, out.stderr
    assert "no vectors artifact" in out.stdout + out.stderr and "Traceback" not in out.stderr


@pytest.fixture
def s3_settings(settings_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ArtifactStore]:
    """Settings whose artifact root is an S3 bucket of moto's; yields the store."""
    from moto import mock_aws

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("WTW_ARTIFACT_ROOT", f"s3://{BUCKET}/prod/artifacts")
    get_settings.cache_clear()
    with mock_aws():
        import boto3

        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield open_store(get_settings())


def test_build_against_s3(
    s3_settings: ArtifactStore, publish_vectors: Callable[..., str], catalog: pl.DataFrame
) -> None:
    import boto3

    vectors, ids = clustered(600), tconsts(600)
    publish_vectors(vectors, ids)
    result = CliRunner().invoke(app, ["index", "build", "--kind", "ivfpq"])
    assert result.exit_code == 0, result.output
    version = s3_settings.latest("index")
    keys = {
        o["Key"]
        for o in boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="prod/artifacts/index/")["Contents"]
    }
    assert {f"prod/artifacts/index/{version}/{name}" for name in ("index.faiss", "vocab.json")} <= keys
    assert "prod/artifacts/index/LATEST" in keys
    art = s3_settings.fetch("index")  # downloaded into the local cache, checksums verified
    assert art.manifest["index_kind"] == "ivfpq" and art.manifest["recall_at_10"] >= 0.85
    index = TitleIndex.load(art, catalog, model_id="test-model", dim=32)
    (hits,) = index.search(vectors[0], 3)
    assert hits[0].tconst == ids[0]
