"""The real encoders: ONNX int8 against the sentence-transformers reference, the export, the contract."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from wtw.embeddings.encoders import Encoder
from wtw.errors import ArtifactError

pytestmark = pytest.mark.slow


def _assert_normalised_float32(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.dtype == np.float32 and vectors.shape == (rows, dim)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_export_onnx_writes_the_int8_model_and_its_meta(onnx_export: Path) -> None:
    from wtw.embeddings.onnx_int8 import EXPORT_FORMAT, META_FILE, MODEL_FILE

    assert {MODEL_FILE, META_FILE, "tokenizer.json"} <= {p.name for p in onnx_export.iterdir()}
    meta = json.loads((onnx_export / META_FILE).read_text())
    assert meta["model_id"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert meta["dim"] == 384 and meta["quantization"] == "dynamic-int8"
    assert meta["export_format"] == EXPORT_FORMAT
    assert not onnx_export.with_name(onnx_export.name + ".tmp").exists()


def test_onnx_int8_matches_the_reference_on_real_documents(
    onnx_export: Path, reference_encoder, real_documents: list[str]
) -> None:
    from wtw.embeddings.onnx_int8 import OnnxEncoder

    onnx = OnnxEncoder(onnx_export)
    assert isinstance(onnx, Encoder) and isinstance(reference_encoder, Encoder)
    assert onnx.model_id == reference_encoder.model_id and onnx.dim == reference_encoder.dim
    assert len(real_documents) >= 500
    reference = reference_encoder.encode(real_documents)
    quantized = onnx.encode(real_documents)
    _assert_normalised_float32(reference, len(real_documents), reference_encoder.dim)
    _assert_normalised_float32(quantized, len(real_documents), onnx.dim)
    cosine = (reference * quantized).sum(axis=1)
    assert cosine.min() >= 0.99, (
        f"worst cosine {cosine.min():.4f} on {real_documents[int(cosine.argmin())]!r}"
    )
    # Same neighbourhoods, not only close vectors: the reference's nearest other document is in int8's top 5.
    ref_sim, q_sim = reference @ reference.T, quantized @ quantized.T
    np.fill_diagonal(ref_sim, -1)
    np.fill_diagonal(q_sim, -1)
    top5 = np.argsort(-q_sim, axis=1)[:, :5]
    assert (top5 == ref_sim.argmax(1)[:, None]).any(axis=1).mean() >= 0.95


def test_encoders_keep_input_order_and_handle_short_queries(onnx_export: Path, reference_encoder) -> None:
    from wtw.embeddings.onnx_int8 import OnnxEncoder

    onnx = OnnxEncoder(onnx_export, batch_size=2)
    texts = ["matrix", "a long documentary about the history of jazz in New Orleans", "heist", "toy story"]
    # int8 activations are quantized per batch, so a batch's other rows move a vector a little (not fp32's).
    for encoder, min_cosine in ((onnx, 0.99), (reference_encoder, 0.9999)):
        together = encoder.encode(texts, batch_size=2)
        alone = np.vstack([encoder.encode([t]) for t in texts])
        _assert_normalised_float32(together, len(texts), encoder.dim)
        assert (together * alone).sum(axis=1).min() >= min_cosine
    assert onnx.encode([]).shape == (0, onnx.dim)


def test_missing_export_is_a_clear_error(tmp_path: Path) -> None:
    from wtw.embeddings.onnx_int8 import OnnxEncoder

    with pytest.raises(ArtifactError, match="export-onnx"):
        OnnxEncoder(tmp_path)


def test_onnx_backend_loads_the_export_in_the_cache_dir(onnx_export: Path, settings_env: Path) -> None:
    import shutil

    from wtw.config import EmbeddingSettings, get_settings
    from wtw.embeddings.encoders import load_encoder
    from wtw.embeddings.onnx_int8 import OnnxEncoder, export_dir

    settings = EmbeddingSettings(backend="onnx", batch_size=16)
    shutil.copytree(onnx_export, export_dir(get_settings().cache_dir, settings.model))
    encoder = load_encoder(settings)
    assert isinstance(encoder, OnnxEncoder) and encoder.batch_size == 16
    assert encoder.model_id == "sentence-transformers/all-MiniLM-L6-v2"
