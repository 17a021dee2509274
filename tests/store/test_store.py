"""The artifact store on a local directory and on S3 (moto)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from wtw.errors import ArtifactError, NotFoundError
from wtw.store import ArtifactStore, LatestBuild, open_store

BUCKET = "wtw-test"


@pytest.fixture
def s3_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ArtifactStore]:
    from moto import mock_aws

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        import boto3

        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield ArtifactStore.open(
            f"s3://{BUCKET}/prod/artifacts", cache_dir=tmp_path / "cache", multipart_threshold=5 * 1024 * 1024
        )


@pytest.fixture
def local_store(tmp_path: Path) -> ArtifactStore:
    return ArtifactStore.open(tmp_path / "artifacts", cache_dir=tmp_path / "cache")


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest) -> ArtifactStore:
    return request.getfixturevalue(f"{request.param}_store")


def _files(tmp_path: Path, **contents: bytes) -> dict[str, Path]:
    out = {}
    for name, data in contents.items():
        path = tmp_path / "src" / name.replace("_", ".")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out[path.name] = path
    return out


def test_publish_then_fetch_round_trip(store: ArtifactStore, tmp_path: Path) -> None:
    assert store.latest("index") is None
    files = _files(tmp_path, a_npy=b"vectors" * 100, vocab_json=b'["tt1"]')
    version = store.publish("index", files, {"model_id": "m", "dim": 4})
    assert store.latest("index") == version
    assert store.versions("index") == [version]
    art = store.fetch("index")
    assert art.version == version
    assert art.file("a.npy").read_bytes() == b"vectors" * 100
    assert art.manifest["model_id"] == "m"
    assert art.manifest["kind"] == "index"
    assert art.manifest["created_at"]
    assert art.manifest["files"]["vocab.json"]["size"] == 7
    assert len(art.manifest["files"]["a.npy"]["sha256"]) == 64
    with pytest.raises(ArtifactError, match="no file"):
        art.file("missing.bin")


def test_newer_version_becomes_latest_and_old_stays_fetchable(store: ArtifactStore, tmp_path: Path) -> None:
    first = store.publish("catalog", _files(tmp_path, c_parquet=b"one"))
    second = store.publish("catalog", _files(tmp_path, c_parquet=b"two"))
    assert second > first
    assert store.fetch("catalog").file("c.parquet").read_bytes() == b"two"
    assert store.fetch("catalog", first).file("c.parquet").read_bytes() == b"one"


def test_fetch_unknown_kind_or_version(store: ArtifactStore) -> None:
    with pytest.raises(NotFoundError, match="no index artifact"):
        store.fetch("index")
    with pytest.raises(NotFoundError, match="not found"):
        store.fetch("index", "20200101T000000Z-000000")


def test_crash_between_uploads_leaves_latest_unchanged(
    store: ArtifactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = store.publish("vectors", _files(tmp_path, v_npy=b"good"))
    backend = store._backend
    real_put = backend.put_file
    calls = []

    def crash_on_second(key: str, path: Path) -> None:
        calls.append(key)
        if len(calls) == 2:
            raise ConnectionError("network down")
        real_put(key, path)

    monkeypatch.setattr(backend, "put_file", crash_on_second)
    with pytest.raises(ConnectionError):
        store.publish("vectors", _files(tmp_path, v_npy=b"new", t_txt=b"tt1\n"))
    assert store.latest("vectors") == good
    assert store.versions("vectors") == [good]
    assert store.fetch("vectors").file("v.npy").read_bytes() == b"good"


def test_corrupted_remote_file_is_a_clear_error(s3_store: ArtifactStore, tmp_path: Path) -> None:
    import boto3

    version = s3_store.publish("index", _files(tmp_path, index_faiss=b"index bytes"))
    boto3.client("s3").put_object(
        Bucket=BUCKET, Key=f"prod/artifacts/index/{version}/index.faiss", Body=b"tampered!!!"
    )
    with pytest.raises(ArtifactError, match=r"index.faiss .* is corrupt"):
        s3_store.fetch("index")
    assert not (s3_store.cache_dir / "artifacts" / "index" / version / "index.faiss").exists()


def test_corrupted_local_file_is_a_clear_error(local_store: ArtifactStore, tmp_path: Path) -> None:
    version = local_store.publish("index", _files(tmp_path, index_faiss=b"index bytes"))
    (tmp_path / "artifacts" / "index" / version / "index.faiss").write_bytes(b"tampered")
    with pytest.raises(ArtifactError, match="missing or corrupt"):
        local_store.fetch("index")


def test_stale_cache_is_refetched(s3_store: ArtifactStore, tmp_path: Path) -> None:
    version = s3_store.publish("vectors", _files(tmp_path, v_npy=b"the real vectors"))
    cached = s3_store.fetch("vectors").file("v.npy")
    assert cached.is_relative_to(s3_store.cache_dir)
    cached.write_bytes(b"stale or half-written")
    assert s3_store.fetch("vectors", version).file("v.npy").read_bytes() == b"the real vectors"
    cached.unlink()
    assert s3_store.fetch("vectors").file("v.npy").read_bytes() == b"the real vectors"


def test_multipart_upload_of_a_large_file(s3_store: ArtifactStore, tmp_path: Path) -> None:
    import boto3

    big = tmp_path / "big.bin"
    big.write_bytes(bytes(range(256)) * (6 * 1024 * 1024 // 256 + 1))
    version = s3_store.publish("index", {"index.faiss": big})
    head = boto3.client("s3").head_object(Bucket=BUCKET, Key=f"prod/artifacts/index/{version}/index.faiss")
    assert "-" in head["ETag"]  # multipart ETags end in -<parts>
    assert s3_store.fetch("index").file("index.faiss").read_bytes() == big.read_bytes()


def test_manifest_written_and_reserved_fields_refused(local_store: ArtifactStore, tmp_path: Path) -> None:
    version = local_store.publish("catalog", _files(tmp_path, c_parquet=b"x"), {"rows": 1})
    manifest = json.loads((tmp_path / "artifacts" / "catalog" / version / "manifest.json").read_text())
    assert manifest["rows"] == 1 and manifest["version"] == version
    with pytest.raises(ValueError, match="set by the store"):
        local_store.publish("catalog", _files(tmp_path, c_parquet=b"x"), {"files": {}})
    with pytest.raises(ValueError, match="invalid kind"):
        local_store.publish("../evil", _files(tmp_path, c_parquet=b"x"))


def test_open_store_from_settings(settings_env: Path) -> None:
    from wtw.config import get_settings

    store = open_store(get_settings())
    assert store.root == str(settings_env / "artifacts")
    assert store.cache_dir == settings_env / "cache"


def test_latest_build_reads_the_manifest_without_downloading_files(
    s3_store: ArtifactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert s3_store.latest_build("index") == LatestBuild("index", None, {})
    assert not s3_store.latest_build("index").built_from("catalog_version", None)
    version = s3_store.publish("index", _files(tmp_path, a_npy=b"x" * 1000), {"catalog_version": "c1"})

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("latest_build downloaded a file")

    monkeypatch.setattr(type(s3_store._backend), "download", no_download)
    latest = s3_store.latest_build("index")
    assert (latest.version, latest.manifest["catalog_version"]) == (version, "c1")
    assert latest.built_from("catalog_version", "c1") and not latest.built_from("catalog_version", "c2")
