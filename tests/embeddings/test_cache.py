from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wtw.embeddings import cache as cache_module
from wtw.embeddings.cache import CacheKey, VectorCache


def _vectors(n: int, dim: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)


def _cache(root: Path, model_id: str = "m", dim: int = 4, backend: str = "onnx", precision: str = "int8"):
    return VectorCache(root, model_id, dim, backend=backend, precision=precision)


def test_vectors_come_back_by_hash_after_reopening(tmp_path: Path) -> None:
    cache = _cache(tmp_path, "model-a", 4)
    vectors = _vectors(3)
    cache.add(["h1", "h2", "h3"], vectors)
    reopened = _cache(tmp_path, "model-a", 4)
    found, out = reopened.get(["h3", "missing", "h1"])
    assert found.tolist() == [True, False, True]
    np.testing.assert_array_equal(out[0], vectors[2])
    np.testing.assert_array_equal(out[2], vectors[0])
    assert not out[1].any()


def test_models_do_not_share_vectors(tmp_path: Path) -> None:
    _cache(tmp_path, "model-a", 4).add(["h1"], _vectors(1))
    assert "h1" not in _cache(tmp_path, "model-b", 4)
    assert "h1" not in _cache(tmp_path, "model-a", 8)


def test_shards_are_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "MAX_SHARDS", 2)
    cache = _cache(tmp_path, "m", 4)
    for i in range(5):
        cache.add([f"h{i}"], _vectors(1, seed=i))
    assert len(list(cache.dir.glob("*.vectors.npy"))) <= 2
    found, out = _cache(tmp_path, "m", 4).get([f"h{i}" for i in range(5)])
    assert found.all()
    np.testing.assert_array_equal(out[4], _vectors(1, seed=4)[0])


def test_wrong_shape_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shape"):
        _cache(tmp_path, "m", 4).add(["a", "b"], _vectors(1))


@pytest.mark.parametrize(
    ("backend", "precision"),
    [("sentence-transformers", "fp16"), ("onnx", "int8"), ("onnx", "fp32")],
)
def test_backends_and_precisions_do_not_share_vectors(tmp_path: Path, backend: str, precision: str) -> None:
    _cache(tmp_path, "model-a", 4, "sentence-transformers", "fp32").add(["h1"], _vectors(1))
    assert "h1" not in _cache(tmp_path, "model-a", 4, backend, precision)
    assert "h1" in _cache(tmp_path, "model-a", 4, "sentence-transformers", "fp32")


def test_key_comes_from_the_encoder(tmp_path: Path, fake_encoder) -> None:
    class Int8:
        model_id, dim, backend, precision = "model-a", 4, "onnx", "int8"

    assert CacheKey.of(Int8()) == CacheKey("model-a", "onnx", "int8", 4)
    assert VectorCache.for_encoder(tmp_path, Int8()).dir == _cache(tmp_path, "model-a", 4).dir
    key = VectorCache.for_encoder(tmp_path, fake_encoder).key
    assert (key.backend, key.precision) == ("HashingEncoder", "unknown")


def test_old_format_caches_are_never_read(tmp_path: Path) -> None:
    """A format-1 directory (model id and dim only) says nothing of its backend: ignored, not deleted."""
    key = CacheKey("model-a", "sentence-transformers", "fp32", 4)
    legacy = tmp_path / key.legacy_dirname()
    legacy.mkdir()
    np.save(legacy / "1.vectors.npy", _vectors(1))
    np.save(legacy / "1.hashes.npy", np.array(["h1"], dtype="S64"))
    cache = _cache(tmp_path, "model-a", 4, "sentence-transformers", "fp32")
    assert cache.dir != legacy and "h1" not in cache and len(cache) == 0
    assert (legacy / "1.vectors.npy").is_file()


def test_shards_without_a_matching_key_are_dropped(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.add(["h1"], _vectors(1))
    (cache.dir / "key.json").write_text('{"format": 2, "backend": "something else"}')
    reopened = _cache(tmp_path)
    assert "h1" not in reopened
    reopened.add(["h2"], _vectors(1, seed=1))
    assert "h2" in _cache(tmp_path) and "h1" not in _cache(tmp_path)
