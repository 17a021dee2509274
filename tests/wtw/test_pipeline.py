"""`wtw build --if-missing`: which steps are current, read from manifests alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from wtw.pipeline import _current
from wtw.store import ArtifactStore


def test_current_reads_manifests_and_never_fetches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ArtifactStore.open(tmp_path / "artifacts", cache_dir=tmp_path / "cache")
    assert _current(store, "catalog", None, None) is None
    assert _current(store, "index", "vectors_version", None) is None
    source = tmp_path / "index.faiss"
    source.write_bytes(b"index")
    catalog = store.publish("catalog", {"catalog.parquet": source})
    index = store.publish("index", {"index.faiss": source}, {"vectors_version": "v1"})

    def no_fetch(*args: object, **kwargs: object) -> None:
        raise AssertionError("fetch downloads the whole artifact")

    monkeypatch.setattr(ArtifactStore, "fetch", no_fetch)
    assert _current(store, "catalog", None, None) == catalog
    assert _current(store, "index", "vectors_version", "v1") == index
    assert _current(store, "index", "vectors_version", "v2") is None
