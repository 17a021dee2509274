from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wtw.embeddings import cache as cache_module
from wtw.embeddings.cache import VectorCache


def _vectors(n: int, dim: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)


def test_vectors_come_back_by_hash_after_reopening(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path, "model-a", 4)
    vectors = _vectors(3)
    cache.add(["h1", "h2", "h3"], vectors)
    reopened = VectorCache(tmp_path, "model-a", 4)
    found, out = reopened.get(["h3", "missing", "h1"])
    assert found.tolist() == [True, False, True]
    np.testing.assert_array_equal(out[0], vectors[2])
    np.testing.assert_array_equal(out[2], vectors[0])
    assert not out[1].any()


def test_models_do_not_share_vectors(tmp_path: Path) -> None:
    VectorCache(tmp_path, "model-a", 4).add(["h1"], _vectors(1))
    assert "h1" not in VectorCache(tmp_path, "model-b", 4)
    assert "h1" not in VectorCache(tmp_path, "model-a", 8)


def test_shards_are_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "MAX_SHARDS", 2)
    cache = VectorCache(tmp_path, "m", 4)
    for i in range(5):
        cache.add([f"h{i}"], _vectors(1, seed=i))
    assert len(list(cache.dir.glob("*.vectors.npy"))) <= 2
    found, out = VectorCache(tmp_path, "m", 4).get([f"h{i}" for i in range(5)])
    assert found.all()
    np.testing.assert_array_equal(out[4], _vectors(1, seed=4)[0])


def test_wrong_shape_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shape"):
        VectorCache(tmp_path, "m", 4).add(["a", "b"], _vectors(1))
