"""`wtw ingest`, `wtw embed` and `wtw index build` as separate processes against a moto S3 server."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

BUCKET = "wtw-pipeline"
PREFIX = "prod/artifacts"
KINDS = ("catalog", "vectors", "index")


@pytest.fixture
def s3_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A moto S3 server on a free local port with one empty bucket; yields its endpoint URL."""
    import boto3
    from moto.server import ThreadedMotoServer

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def _wtw() -> list[str]:
    script = Path(sys.executable).with_name("wtw")
    found = str(script) if script.is_file() else shutil.which("wtw")
    if found is None:
        pytest.skip("the `wtw` console script is not installed")
    return [found]


def _run(args: list[str], env: dict[str, str]) -> str:
    out = subprocess.run([*_wtw(), *args], env=env, capture_output=True, text=True, timeout=180, check=False)
    assert out.returncode == 0, f"wtw {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr
    return out.stdout


def test_ingest_embed_index_publish_to_s3(shared_data: Path, s3_server: str, tmp_path: Path) -> None:
    import boto3
    import polars as pl

    env = {k: v for k, v in os.environ.items() if not k.startswith("WTW_")}
    env |= {
        "WTW_ARTIFACT_ROOT": f"s3://{BUCKET}/{PREFIX}",
        "WTW_S3_ENDPOINT_URL": s3_server,
        "WTW_DATA_DIR": str(tmp_path / "data"),
        "WTW_CACHE_DIR": str(tmp_path / "cache"),
        "WTW_DATABASE_URL": f"sqlite:///{tmp_path / 'wtw.db'}",
        "WTW_EMBEDDING__DEVICE": "cpu",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }

    _run(["ingest", "--source", str(shared_data / "imdb" / "famous40")], env)
    _run(["embed"], env)
    _run(["index", "build"], env)

    s3 = boto3.client("s3", endpoint_url=s3_server)

    def read(key: str) -> bytes:
        return s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{key}")["Body"].read()

    latest = {kind: read(f"{kind}/LATEST").decode().strip() for kind in KINDS}
    manifests: dict[str, dict[str, Any]] = {
        kind: json.loads(read(f"{kind}/{latest[kind]}/manifest.json")) for kind in KINDS
    }
    for kind in KINDS:
        assert manifests[kind]["kind"] == kind and manifests[kind]["version"] == latest[kind]
        for name in manifests[kind]["files"]:
            s3.head_object(Bucket=BUCKET, Key=f"{PREFIX}/{kind}/{latest[kind]}/{name}")

    catalog = pl.read_parquet(io.BytesIO(read(f"catalog/{latest['catalog']}/catalog.parquet")))
    assert catalog.height == manifests["catalog"]["rows"] > 0
    assert manifests["vectors"]["count"] == catalog.height
    assert manifests["vectors"]["catalog_version"] == latest["catalog"]
    assert manifests["index"]["count"] == catalog.height
    assert manifests["index"]["vectors_version"] == latest["vectors"]
    assert manifests["index"]["catalog_version"] == latest["catalog"]
